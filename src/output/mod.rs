//! The output: every file of the built site, in memory, then written.
//!
//! 1. [`assemble`]: minify the rendered HTML (in parallel), add the theme's and the site's static
//!    files, `sitemap.xml` and `robots.txt`. The result is a sorted map from path to bytes: a
//!    pure function of the input, the same whatever the number of threads.
//! 2. [`write`](write::write_atomically): swap it in as the output folder (see [`write`]).
//!
//! Keeping the whole output in memory is what lets `serve` answer from memory and a later build
//! compare with what is on disk to write only what changed.

pub mod sitemap;
pub mod write;

use std::collections::BTreeMap;

use crate::assets::Assets;
use crate::error::{Diagnostic, Diagnostics};
use crate::site::Site;

pub use crate::source::Bytes;

/// Every file of the built site: path under the output folder → bytes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Output {
    pub files: BTreeMap<String, Bytes>,
}

impl Output {
    pub fn total_bytes(&self) -> usize {
        self.files.values().map(|b| b.len()).sum()
    }
}

/// How HTML is minified: spec-compliant, keeping what old browsers and validators need.
pub fn minify_config() -> minify_html::Cfg {
    let mut cfg = minify_html::Cfg::spec_compliant();
    cfg.do_not_minify_doctype = true;
    cfg.ensure_spec_compliant_unquoted_attribute_values = true;
    cfg.keep_html_and_head_opening_tags = true;
    cfg.keep_closing_tags = true;
    cfg.keep_spaces_between_attributes = true;
    cfg.minify_css = false;
    cfg.minify_js = false;
    cfg
}

/// Puts the rendered (and minified) pages, static files, sitemap and robots.txt together.
pub fn assemble(
    site: &Site,
    assets: &Assets,
    pages: BTreeMap<String, Bytes>,
) -> Result<Output, Diagnostics> {
    let mut problems = Diagnostics::default();
    let config = &site.config;
    let mut files: BTreeMap<String, Bytes> = assets
        .files
        .iter()
        .map(|(path, bytes)| {
            (
                assets.fingerprinted.get(path).unwrap_or(path).clone(),
                Bytes::clone(bytes),
            )
        })
        .collect();
    for (path, bytes) in pages {
        if files.contains_key(&path) {
            problems.push(
                Diagnostic::error(format!(
                    "a static file would overwrite the generated page {path}"
                ))
                .in_file(format!("static/{path}"))
                .with_help("rename or remove the static file"),
            );
        }
        files.insert(path, bytes);
    }
    files.insert(
        "sitemap.xml".into(),
        Bytes::from(sitemap::sitemap(site).into_bytes()),
    );
    files.insert(
        "robots.txt".into(),
        Bytes::from(
            format!(
                "User-agent: *\nAllow: /\n\nSitemap: {}/sitemap.xml\n",
                config.base_url
            )
            .into_bytes(),
        ),
    );
    redirects(site, &mut files, &mut problems);
    files.insert("_headers".into(), Bytes::from(headers(assets).into_bytes()));
    // What would fail to write, or be overwritten on a case-insensitive host, fails here: in
    // `check` as in `build`.
    for problem in crate::validate::output_files(files.keys().map(String::as_str)) {
        problems.push(
            Diagnostic::error(problem)
                .with_help("rename the page, alias or static file that makes one of them"),
        );
    }
    if problems.has_errors() {
        return Err(problems);
    }
    Ok(Output { files })
}

/// `_headers` (read by Netlify and Cloudflare Pages): fingerprinted files are cached for a year;
/// everything is served with `nosniff`.
fn headers(assets: &Assets) -> String {
    let mut text = String::from(
        "/*\n  X-Content-Type-Options: nosniff\n  Referrer-Policy: strict-origin-when-cross-origin\n",
    );
    for name in assets.fingerprinted.values() {
        text.push_str(&format!(
            "/{name}\n  Cache-Control: public, max-age=31536000, immutable\n"
        ));
    }
    text
}

/// The old URLs of pages (`aliases` in front matter): a small page at each that sends the visitor
/// on (for any host), and `_redirects` with a 301 for hosts that read it.
fn redirects(site: &Site, files: &mut BTreeMap<String, Bytes>, problems: &mut Diagnostics) {
    let mut lines = String::new();
    for (i, entry) in site.entries.iter().enumerate() {
        if entry.fallback {
            continue;
        }
        let page = site.page(i);
        for alias in &page.meta.aliases {
            let path = alias.get_ref();
            if let Err(why) = crate::validate::site_path(path) {
                problems.push(
                    page.error_at(
                        format!("the alias {path:?} {why}"),
                        alias.span(),
                    )
                    .with_help(
                        "write the old address's path on this site, starting with /, e.g. \"/en/old/page/\"",
                    ),
                );
                continue;
            }
            let file = crate::validate::alias_file(path);
            // Taken by a page or file, or a file where the alias needs a folder, or the reverse.
            let folder_of = |f: &str| f.rsplit_once('/').map(|(dir, _)| dir.to_string());
            let mut ancestors = std::iter::successors(folder_of(&file), |d| folder_of(d));
            let below = format!("{}/", file.trim_end_matches("/index.html"));
            let taken = files.contains_key(&file)
                || ancestors.any(|d| files.contains_key(&d))
                || (!file.ends_with("/index.html")
                    && files.keys().any(|f| f.starts_with(&format!("{file}/"))))
                || (file.ends_with("/index.html")
                    && files.contains_key(below.trim_end_matches('/')));
            if taken {
                problems.push(
                    page.error_at(
                        format!("the alias {path:?} is the address of another page or file"),
                        alias.span(),
                    )
                    .with_help("remove the alias: that address is in use"),
                );
                continue;
            }
            let url = &entry.url;
            let permalink = site.config.permalink(url);
            let title = crate::escape::html(&page.meta.title);
            let html = format!(
                "<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\"><title>{title}</title><link rel=\"canonical\" href=\"{permalink}\"><meta name=\"robots\" content=\"noindex\"><meta http-equiv=\"refresh\" content=\"0; url={url}\"></head><body><p><a href=\"{url}\">{title}</a></p></body></html>\n",
                lang = site.config.code(entry.lang),
            );
            files.insert(file, Bytes::from(html.into_bytes()));
            lines.push_str(&format!("{}{path} {url} 301\n", site.config.base_path));
        }
    }
    if !lines.is_empty() {
        files.insert("_redirects".into(), Bytes::from(lines.into_bytes()));
    }
}
