//! `sitemap.xml`: every translated page with its `xhtml:link` alternates, then the pages made
//! from the service and agency files (indexes, audiences, services, agencies) in every language.
//! Fallback pages are left out: their canonical is the original.

use std::fmt::Write;

use crate::render::Alternate;
use crate::site::{Generated, Site};

pub fn sitemap(site: &Site) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
    );
    for (i, entry) in site.entries.iter().enumerate() {
        if entry.fallback {
            continue;
        }
        let page = site.page(i);
        xml.push_str("  <url>\n");
        let _ = writeln!(
            xml,
            "    <loc>{}</loc>",
            crate::escape::xml(&site.config.permalink(&entry.url))
        );
        if let Some(date) = page.meta.updated.or(page.meta.date).and_then(|d| d.date) {
            let _ = writeln!(xml, "    <lastmod>{date}</lastmod>");
        }
        let translations = site.translations(i);
        if translations.len() > 1 {
            for Alternate { hreflang, href } in crate::render::alternates_of(site, &translations) {
                let _ = writeln!(
                    xml,
                    "    <xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>",
                    crate::escape::xml(&hreflang),
                    crate::escape::xml(&href)
                );
            }
        }
        xml.push_str("  </url>\n");
    }
    let default = site.config.default_lang();
    for page in site.generated() {
        let alternates: Vec<Alternate> = site
            .config
            .langs()
            .map(|lang| Alternate {
                hreflang: site.config.code(lang).to_string(),
                href: site.config.permalink(&site.generated_url(lang, page)),
            })
            .chain(std::iter::once(Alternate {
                hreflang: "x-default".into(),
                href: site.config.permalink(&site.generated_url(default, page)),
            }))
            .collect();
        for lang in site.config.langs() {
            xml.push_str("  <url>\n");
            let _ = writeln!(
                xml,
                "    <loc>{}</loc>",
                crate::escape::xml(&site.config.permalink(&site.generated_url(lang, page)))
            );
            if let Generated::Service(i) = page {
                let checked = site.catalog.services[i].data.review.last_checked;
                let _ = writeln!(xml, "    <lastmod>{checked}</lastmod>");
            }
            if alternates.len() > 2 {
                for Alternate { hreflang, href } in &alternates {
                    let _ = writeln!(
                        xml,
                        "    <xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>",
                        crate::escape::xml(hreflang),
                        crate::escape::xml(href)
                    );
                }
            }
            xml.push_str("  </url>\n");
        }
    }
    xml.push_str("</urlset>\n");
    xml
}
