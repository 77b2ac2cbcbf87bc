//! Files for programs beside the pages: an Atom feed for every section with dated pages, in each
//! language, and a static JSON API of the services and agencies per language, so that an app or
//! another site can use the portal's data with no server.
//!
//! They are render jobs like the pages: what they read is noted as facts, so `serve` and an
//! incremental build make them again only when a page they list, or the catalog, changes.

use serde::Serialize;
use serde_json::json;

use super::views::{Localizer, service_card};
use crate::config::Lang;
use crate::content::PageKind;
use crate::escape::xml;
use crate::i18n::UiStrings;
use crate::record::{Fact, note};
use crate::site::{Generated, Site};

/// The most recent entries a feed lists.
const FEED_ENTRIES: usize = 50;

/// One data file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataFile {
    /// The Atom feed of a section entry (`<section>/atom.xml`).
    Feed(usize),
    /// Every service of a language, as cards (`<lang>/<services>/services.json`).
    Services(Lang),
    /// One service, whole (`<lang>/<services>/<id>.json`).
    Service(Lang, usize),
    /// Every agency of a language (`<lang>/<agencies>/agencies.json`).
    Agencies(Lang),
    /// One agency, whole (`<lang>/<agencies>/<id>.json`).
    Agency(Lang, usize),
}

/// Every data file of the site with its path under the output.
pub fn files(site: &Site) -> Vec<(String, DataFile)> {
    let mut files = Vec::new();
    for (i, e) in site.entries.iter().enumerate() {
        if let Some(path) = feed_path(site, i) {
            debug_assert!(!e.output.is_empty());
            files.push((path, DataFile::Feed(i)));
        }
    }
    for lang in site.config.langs() {
        if !site.catalog.services.is_empty() {
            let folder = site.generated_path(lang, Generated::Services);
            files.push((format!("{folder}services.json"), DataFile::Services(lang)));
            for (i, s) in site.catalog.services.iter().enumerate() {
                files.push((
                    format!("{folder}{}.json", s.data.id.get_ref()),
                    DataFile::Service(lang, i),
                ));
            }
        }
        if !site.catalog.agencies.is_empty() {
            let folder = site.generated_path(lang, Generated::Agencies);
            files.push((format!("{folder}agencies.json"), DataFile::Agencies(lang)));
            for (i, a) in site.catalog.agencies.iter().enumerate() {
                files.push((
                    format!("{folder}{}.json", a.data.id.get_ref()),
                    DataFile::Agency(lang, i),
                ));
            }
        }
    }
    files
}

/// Whether a section has a feed: it lists at least one page with a `date`.
fn has_feed(site: &Site, entry: usize) -> bool {
    let e = &site.entries[entry];
    site.page(entry).kind == PageKind::Section
        && !e.output.is_empty()
        && e.pages.iter().any(|&p| site.page(p).meta.date.is_some())
}

fn feed_path(site: &Site, entry: usize) -> Option<String> {
    has_feed(site, entry).then(|| {
        let output = &site.entries[entry].output;
        let folder = output.strip_suffix("index.html").unwrap_or(output);
        format!("{folder}atom.xml")
    })
}

/// The URL of the feed a page offers: its own if it is a section with one, else its section's.
/// (Which pages are dated is part of the section's children, noted by the caller's listing.)
pub fn feed_url(site: &Site, entry: usize) -> Option<String> {
    let e = &site.entries[entry];
    let section = if site.page(entry).kind == PageKind::Section {
        entry
    } else {
        e.parent?
    };
    note(Fact::Children(
        site.entries[section].lang,
        site.entries[section].key.clone(),
    ));
    feed_path(site, section).map(|path| format!("{}/{path}", site.config.base_path))
}

/// Makes one data file. Problems in the texts are reported by the HTML pages that show them.
pub fn render(site: &Site, strings: &UiStrings, file: DataFile) -> Vec<u8> {
    match file {
        DataFile::Feed(entry) => feed(site, entry).into_bytes(),
        DataFile::Services(lang) => {
            note(Fact::Catalog);
            let folder = site.generated_url(lang, Generated::Services);
            let services: Vec<_> = (0..site.catalog.services.len())
                .map(|i| {
                    let card = service_card(site, lang, i);
                    let data = format!("{folder}{}.json", card.id);
                    json!({ "card": card, "data": data })
                })
                .collect();
            to_json(&json!({
                "language": site.config.code(lang),
                "services": services,
            }))
        }
        DataFile::Service(lang, i) => {
            note(Fact::Catalog);
            to_json(&Localizer::new(site, strings, lang).service(i))
        }
        DataFile::Agencies(lang) => {
            note(Fact::Catalog);
            let folder = site.generated_url(lang, Generated::Agencies);
            let localizer = Localizer::new(site, strings, lang);
            let agencies: Vec<_> = (0..site.catalog.agencies.len())
                .map(|i| {
                    let link = localizer.agency_link(i);
                    let data = format!("{folder}{}.json", link.id);
                    json!({ "agency": link, "data": data })
                })
                .collect();
            to_json(&json!({
                "language": site.config.code(lang),
                "agencies": agencies,
            }))
        }
        DataFile::Agency(lang, i) => {
            note(Fact::Catalog);
            to_json(&Localizer::new(site, strings, lang).agency(i))
        }
    }
}

fn to_json(value: &impl Serialize) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(value).expect("views serialize to JSON");
    bytes.push(b'\n');
    bytes
}

/// A TOML date or date-time as RFC 3339 (a date alone is midnight UTC).
fn rfc3339(value: &toml::value::Datetime) -> String {
    match (&value.date, &value.time, &value.offset) {
        (Some(d), None, _) => format!("{d}T00:00:00Z"),
        (Some(d), Some(t), None) => {
            format!(
                "{d}T{:02}:{:02}:{:02}Z",
                t.hour,
                t.minute,
                t.second.unwrap_or(0)
            )
        }
        _ => value.to_string(),
    }
}

/// The Atom feed of a section: its dated pages, newest first.
fn feed(site: &Site, section: usize) -> String {
    let e = &site.entries[section];
    note(Fact::Children(e.lang, e.key.clone()));
    note(Fact::Summary(e.lang, e.key.clone()));
    let config = &site.config;
    let language = &config[e.lang];
    let page = site.page(section);
    let mut items: Vec<(String, usize)> = e
        .pages
        .iter()
        .filter_map(|&p| {
            let meta = &site.page(p).meta;
            let newest = meta.updated.as_ref().or(meta.date.as_ref())?;
            Some((rfc3339(newest), p))
        })
        .collect();
    items.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    items.truncate(FEED_ENTRIES);
    let updated = items
        .first()
        .map_or_else(|| "1970-01-01T00:00:00Z".to_string(), |(d, _)| d.clone());
    let alternate = config.permalink(&e.url);
    let path = feed_path(site, section).expect("a feed job is made for sections with one");
    let this = config.permalink(&format!("{}/{path}", config.base_path));
    let mut out = String::with_capacity(1024 + items.len() * 512);
    out.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    out.push_str(&format!(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n",
        xml(&language.code)
    ));
    out.push_str(&format!(
        "<title>{} · {}</title>\n",
        xml(&page.meta.title),
        xml(&language.title)
    ));
    if let Some(description) = &page.meta.description {
        out.push_str(&format!("<subtitle>{}</subtitle>\n", xml(description)));
    }
    out.push_str(&format!("<id>{}</id>\n", xml(&alternate)));
    out.push_str(&format!(
        "<link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n",
        xml(&this)
    ));
    out.push_str(&format!(
        "<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        xml(&alternate)
    ));
    out.push_str(&format!("<updated>{updated}</updated>\n"));
    out.push_str(&format!(
        "<author><name>{}</name><uri>{}</uri></author>\n",
        xml(&language.title),
        xml(&config.permalink(&format!("{}/{}/", config.base_path, language.code)))
    ));
    for (newest, p) in &items {
        let entry = &site.entries[*p];
        note(Fact::Summary(entry.lang, entry.key.clone()));
        let shown = site.page(*p);
        let link = config.permalink(&entry.url);
        let lang = if entry.fallback {
            format!(" xml:lang=\"{}\"", xml(config.code(shown.lang)))
        } else {
            String::new()
        };
        out.push_str(&format!("<entry{lang}>\n"));
        out.push_str(&format!("<title>{}</title>\n", xml(&shown.meta.title)));
        out.push_str(&format!("<id>{}</id>\n", xml(&link)));
        out.push_str(&format!(
            "<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
            xml(&link)
        ));
        if let Some(date) = &shown.meta.date {
            out.push_str(&format!("<published>{}</published>\n", rfc3339(date)));
        }
        out.push_str(&format!("<updated>{newest}</updated>\n"));
        if let Some(description) = &shown.meta.description {
            out.push_str(&format!("<summary>{}</summary>\n", xml(description)));
        }
        out.push_str("</entry>\n");
    }
    out.push_str("</feed>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::rfc3339;

    #[test]
    fn dates_become_rfc_3339() {
        let parse = |s: &str| s.parse::<toml::value::Datetime>().unwrap();
        assert_eq!(rfc3339(&parse("2026-11-25")), "2026-11-25T00:00:00Z");
        assert_eq!(
            rfc3339(&parse("2026-11-25T10:30:00")),
            "2026-11-25T10:30:00Z"
        );
        assert_eq!(
            rfc3339(&parse("2026-11-25T10:30:00+04:00")),
            "2026-11-25T10:30:00+04:00"
        );
    }
}
