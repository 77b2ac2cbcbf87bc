//! Search without a server: a compact index per language and the search page that loads it.
//!
//! 1. [`index`]: every published page of a language (its title, description and headings),
//!    every service (title, summary, keywords) and every agency (names), as JSON, at
//!    `<lang>/<search>/index.json`. It holds the texts as they are: the theme's `search.js`
//!    folds case and diacritics and stems words the same way for the index and the query, so
//!    that the matching rules live in one place.
//! 2. [`render_page`]: the search page, `<lang>/<search>/`: a form that `search.js` shows and
//!    serves, and, for every visitor with or without JavaScript, an A–Z index of the language's
//!    pages, services and agencies in its collation order, grouped by initial letter. The page
//!    links the index with `?v=` and the digest of its bytes, so that the service worker may
//!    serve it from its cache until a build changes it.
//! 3. [`render_letter`]: when the A–Z index is longer than [`ON_ONE_PAGE`] titles, a page per
//!    letter, `<lang>/<search>/<letter>/`, and the search page links the letters to them: the
//!    whole list of a large site would be far over the page budget (a site of 1,000 pages a
//!    language: 100 KB, 24 KB compressed). The letters' pages read no body, so a build makes
//!    them beside the other pages, not after them.
//!
//! All read the same facts: what the index lists, so that `serve` makes them again when a
//! title, a description, a heading, a section's children or the catalog changes.

use serde::Serialize;

use super::Bodies;
use super::context;
use super::templates::Bound;
use super::views::Localizer;
use crate::config::Lang;
use crate::content::PageKind;
use crate::error::Diagnostic;
use crate::i18n::{Arg, UiStrings};
use crate::record::{Fact, digest_bytes, note};
use crate::site::{Generated, Site};

/// One thing the search finds: a page, a service or an agency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub url: String,
    pub title: String,
    /// The description of a page, the summary of a service.
    pub summary: String,
    /// Searched, not shown: headings, keywords, short names.
    pub terms: Vec<String>,
    /// The language of the title when it is not the page's (a page not yet translated).
    pub lang: Option<String>,
    pub kind: Kind,
    /// The page's key (`None`: a service or an agency).
    pub key: Option<crate::record::Key>,
}

/// What an item is: the A–Z list tells a service from a page of the same title.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Page,
    Service,
    Agency,
}

/// The path of the search page of `lang` under the output, without `index.html`: `az/axtaris/`.
pub fn page_path(site: &Site, lang: Lang) -> String {
    format!(
        "{}/{}/",
        site.config.code(lang),
        site.config[lang].sections.search
    )
}

/// The URL of the search page of `lang`.
pub fn page_url(site: &Site, lang: Lang) -> String {
    format!(
        "{}/{}",
        site.config.base_path,
        crate::site::encode_path(&page_path(site, lang))
    )
}

/// The path of the search index of `lang` under the output.
pub fn index_path(site: &Site, lang: Lang) -> String {
    format!("{}index.json", page_path(site, lang))
}

/// What the search of `lang` finds, in the site's order: pages (not the home), services,
/// agencies. With `bodies`, the headings of the pages are among the terms (the search index
/// needs them; the A–Z list does not, and does not read them).
pub fn items(site: &Site, bodies: Option<&Bodies>, lang: Lang) -> Vec<Item> {
    let mut items = Vec::new();
    let home = site.home(lang);
    let code = site.config.code(lang);
    for (i, e) in site.entries.iter().enumerate() {
        if e.lang != lang {
            continue;
        }
        let page = site.page(i);
        if page.kind == PageKind::Section {
            // Which pages there are: a page added or removed changes a section's children.
            note(Fact::Children(lang, e.key.clone()));
        }
        if e.output.is_empty() || Some(i) == home {
            continue;
        }
        note(Fact::Summary(lang, e.key.clone()));
        let mut terms = Vec::new();
        if let Some(bodies) = bodies {
            note(Fact::Headings(lang, e.key.clone()));
            if let Some(body) = bodies.get(&(lang, e.key.clone())) {
                terms.extend(
                    body.toc
                        .iter()
                        .filter(|h| h.level <= 3)
                        .map(|h| h.title.clone()),
                );
            }
        }
        let shown = site.config.code(page.lang);
        items.push(Item {
            url: e.url.clone(),
            title: page.meta.title.clone(),
            summary: page.meta.description.clone().unwrap_or_default(),
            terms,
            lang: (shown != code).then(|| shown.to_string()),
            kind: Kind::Page,
            key: Some(e.key.clone()),
        });
    }
    // The services and agencies (a site that gains its first one lists it too).
    note(Fact::Catalog);
    let default = &site.config.default_language;
    let other_lang = |l: &str| (l != code).then(|| l.to_string());
    for (i, service) in site.catalog.services.iter().enumerate() {
        let s = &service.data;
        let Some(title) = s.title.get(code, default) else {
            continue;
        };
        let mut keywords = s.keywords.get(code);
        if keywords.is_empty() {
            keywords = s.keywords.get(default);
        }
        items.push(Item {
            url: site.generated_url(lang, Generated::Service(i)),
            summary: s
                .summary
                .get(code, default)
                .map(|t| t.text)
                .unwrap_or_default(),
            terms: keywords.to_vec(),
            lang: other_lang(&title.lang),
            title: title.text,
            kind: Kind::Service,
            key: None,
        });
    }
    for (i, agency) in site.catalog.agencies.iter().enumerate() {
        let a = &agency.data;
        let Some(name) = a.name.get(code, default) else {
            continue;
        };
        items.push(Item {
            url: site.generated_url(lang, Generated::Agency(i)),
            summary: String::new(),
            terms: a
                .short_name
                .get(code, default)
                .map(|t| t.text)
                .into_iter()
                .collect(),
            lang: other_lang(&name.lang),
            title: name.text,
            kind: Kind::Agency,
            key: None,
        });
    }
    items
}

/// The search index of `lang`: `{"language": "az", "items": [[url, title, summary, terms,
/// lang?], …]}`, compact; `terms` is one text, the headings and keywords joined by ` · `, and
/// `lang` is there only when the title is in another language.
pub fn index(site: &Site, bodies: &Bodies, lang: Lang) -> Vec<u8> {
    let rows: Vec<serde_json::Value> = items(site, Some(bodies), lang)
        .into_iter()
        .map(|item| {
            let mut row = vec![
                item.url.into(),
                item.title.into(),
                item.summary.into(),
                item.terms.join(" · ").into(),
            ];
            if let Some(lang) = item.lang {
                row.push(lang.into());
            }
            serde_json::Value::Array(row)
        })
        .collect();
    let mut bytes = serde_json::to_vec(&serde_json::json!({
        "language": site.config.code(lang),
        "items": rows,
    }))
    .expect("strings serialize to JSON");
    bytes.push(b'\n');
    bytes
}

/// An A–Z index of more titles than this is split into a page per letter. 200 titles weigh
/// about 5 KB compressed: with the rest of the search page and its stylesheet, within the page
/// budget's 14 KB (the portal lists about 145 a language).
pub const ON_ONE_PAGE: usize = 200;

/// The template of a letter's page. A theme without it (made before karvan split the index)
/// keeps the whole index on the search page.
pub const LETTER_TEMPLATE: &str = "a-z.html";

/// Whether the A–Z index of `count` titles has a page per letter, with these templates.
fn split(count: usize, has_template: impl FnOnce(&str) -> bool) -> bool {
    if count <= ON_ONE_PAGE {
        return false;
    }
    // A theme that gains the template splits the index.
    note(Fact::Template(LETTER_TEMPLATE.into()));
    has_template(LETTER_TEMPLATE)
}

/// The items under one initial letter of the A–Z index.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Letter {
    /// The letter as a capital: `Ç`, `İ`, `Ё`.
    pub letter: String,
    /// A fragment id for the letter's heading: `letter-3`.
    pub id: String,
    /// Where the letter's link leads: its heading (`#letter-3`), or its own page when the
    /// index is split.
    pub href: String,
    pub items: Vec<AzItem>,
    /// The initial of the letter's first title (`None`: titles that begin with no letter or
    /// digit): the letter's page is made from it.
    #[serde(skip)]
    pub initial: Option<char>,
}

/// An item of the A–Z index.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AzItem {
    pub title: String,
    pub url: String,
    pub lang: Option<String>,
    pub kind: Kind,
}

/// The first letter or digit of a title (quotes and other signs before it are skipped).
fn initial(title: &str) -> Option<char> {
    title.chars().find(|c| c.is_alphanumeric())
}

/// What the index shows for titles that begin with a digit: one group for every digit, not ten.
const DIGITS: &str = "0–9";

/// The folder of the digits' page of a split index.
const DIGITS_SLUG: &str = "0-9";

/// Whether two initials are listed under one letter: the same letter for the language, or two
/// digits (of any script).
fn same_group(locale: &crate::i18n::locale::LocaleData, a: char, b: char) -> bool {
    match (a.is_numeric(), b.is_numeric()) {
        (true, true) => true,
        (false, false) => locale.same_letter(a, b),
        _ => false,
    }
}

/// The heading of the group of an initial: the letter as a capital, [`DIGITS`], or `#` for
/// titles that begin with no letter or digit.
fn group_heading(locale: &crate::i18n::locale::LocaleData, initial: Option<char>) -> String {
    match initial {
        Some(c) if c.is_numeric() => DIGITS.to_string(),
        Some(c) => locale.uppercase(&c.to_string()),
        None => "#".to_string(),
    }
}

/// Whether `title` is listed under the letter of `letter` (`None`: titles that begin with no
/// letter or digit).
fn is_under(site: &Site, lang: Lang, title: &str, letter: Option<char>) -> bool {
    match (initial(title), letter) {
        (Some(a), Some(b)) => same_group(site.locales.get(lang), a, b),
        (None, None) => true,
        _ => false,
    }
}

/// The keys of the pages of `lang` that the A–Z index lists under the letter of `letter`:
/// what [`Fact::Letter`] digests.
pub fn under_letter(site: &Site, lang: Lang, letter: Option<char>) -> Vec<&str> {
    let home = site.home(lang);
    site.entries
        .iter()
        .enumerate()
        .filter(|(i, e)| e.lang == lang && !e.output.is_empty() && Some(*i) != home)
        .filter(|(i, _)| is_under(site, lang, &site.page(*i).meta.title, letter))
        .map(|(_, e)| &*e.key)
        .collect()
}

/// The items sorted by title in the language's collation and grouped by initial letter: a
/// letter's group holds the titles whose initials are the same letter for the language
/// (Azerbaijani `C` and `Ç` are two letters; Russian `Е` and `Ё` one; case and accents aside).
pub fn a_to_z(site: &Site, lang: Lang, mut items: Vec<Item>) -> Vec<Letter> {
    let locale = site.locales.get(lang);
    // «Qala» is listed under Q: what comes before the first letter or digit is not sorted on.
    fn from_initial(title: &str) -> &str {
        title.trim_start_matches(|c: char| !c.is_alphanumeric())
    }
    items.sort_by(|a, b| {
        locale
            .compare(from_initial(&a.title), from_initial(&b.title))
            .then_with(|| locale.compare(&a.title, &b.title))
            .then_with(|| a.url.cmp(&b.url))
    });
    let mut letters: Vec<Letter> = Vec::new();
    let mut last: Option<char> = None;
    for item in items {
        let first = initial(&item.title);
        let same = match (last, first) {
            (Some(a), Some(b)) => same_group(locale, a, b),
            (None, None) => !letters.is_empty(),
            _ => false,
        };
        if !same {
            let letter = group_heading(locale, first);
            let id = format!("letter-{}", letters.len() + 1);
            letters.push(Letter {
                letter,
                href: format!("#{id}"),
                id,
                items: Vec::new(),
                initial: first,
            });
            last = first;
        }
        letters
            .last_mut()
            .expect("pushed above when empty")
            .items
            .push(AzItem {
                title: item.title,
                url: item.url,
                lang: item.lang,
                kind: item.kind,
            });
    }
    letters
}

/// The search page of `lang`.
pub fn render_page(
    site: &Site,
    templates: &Bound<'_>,
    strings: &UiStrings,
    bodies: &Bodies,
    lang: Lang,
) -> Result<Vec<u8>, Diagnostic> {
    let l = Localizer::new(site, strings, lang);
    let title = l.ui("search-title", &[]);
    let url = page_url(site, lang);
    let index_bytes = index(site, bodies, lang);
    let index_url = format!(
        "{}/{}?v={:08x}",
        site.config.base_path,
        crate::site::encode_path(&index_path(site, lang)),
        digest_bytes(&index_bytes).0 as u32
    );
    let listed = items(site, None, lang);
    let count = listed.len();
    let mut letters = a_to_z(site, lang, listed);
    if split(count, |name| templates.has(name)) {
        for letter in &mut letters {
            letter.href = url_of(site, &letter_path(site, lang, letter));
            letter.items = Vec::new();
        }
    }
    let mut context = context::generated(
        site,
        lang,
        &url,
        &title,
        vec![(title.clone(), url.clone())],
        serde_json::Value::Null,
        |l| page_url(site, l),
    );
    context.insert(
        "search",
        &serde_json::json!({ "index": index_url, "count": count }),
    );
    context.insert("letters", &letters);
    let html = templates.render(
        lang,
        "search.html",
        &context,
        &format!("the search page {}index.html", page_path(site, lang)),
    )?;
    Ok(html.into_bytes())
}

/// The folder of a letter's page under the output: `en/search/a/`, `az/axtaris/ı/`; `_` for
/// titles that begin with no letter or digit.
fn letter_path(site: &Site, lang: Lang, letter: &Letter) -> String {
    let slug = match letter.initial {
        Some(c) if c.is_numeric() => DIGITS_SLUG.to_string(),
        Some(_) => site.locales.get(lang).lowercase(&letter.letter),
        None => "_".to_string(),
    };
    format!("{}{slug}/", page_path(site, lang))
}

fn url_of(site: &Site, path: &str) -> String {
    format!(
        "{}/{}",
        site.config.base_path,
        crate::site::encode_path(path)
    )
}

/// The pages of the A–Z index of `lang` when it is split ([`ON_ONE_PAGE`]): each page's path
/// under the output and the initial its letter is made from; none when it is not split.
pub fn letter_pages(
    site: &Site,
    templates: &super::Templates,
    lang: Lang,
) -> Vec<(String, Option<char>)> {
    let listed = items(site, None, lang);
    if !split(listed.len(), |name| templates.has(name)) {
        return Vec::new();
    }
    let mut pages: Vec<(String, Option<char>)> = Vec::new();
    for letter in a_to_z(site, lang, listed) {
        let path = format!("{}index.html", letter_path(site, lang, &letter));
        // A letter whose titles the collation does not keep together is still one page.
        if !pages.iter().any(|(p, _)| *p == path) {
            pages.push((path, letter.initial));
        }
    }
    pages
}

/// The page of one letter of the A–Z index of `lang`: the titles whose initial is the same
/// letter as `initial` (`None`: titles that begin with no letter or digit).
pub fn render_letter(
    site: &Site,
    templates: &Bound<'_>,
    strings: &UiStrings,
    lang: Lang,
    initial: Option<char>,
) -> Result<Vec<u8>, Diagnostic> {
    let locale = site.locales.get(lang);
    // What it reads: the titles it lists, and which pages are under its letter (a title moving
    // here or away); not every title of the language, so that a title edit renders the letters'
    // pages it leaves and joins alone. The services and agencies are the catalog.
    let listed: Vec<Item> = crate::record::unnoted(|| items(site, None, lang))
        .into_iter()
        .filter(|item| is_under(site, lang, &item.title, initial))
        .collect();
    note(Fact::Letter(lang, initial));
    note(Fact::Catalog);
    for item in &listed {
        if let Some(key) = &item.key {
            note(Fact::Summary(lang, key.clone()));
        }
    }
    let mut groups = a_to_z(site, lang, listed).into_iter();
    let mut letter = groups.next().unwrap_or_else(|| Letter {
        letter: group_heading(locale, initial),
        id: "letter-1".to_string(),
        href: "#letter-1".to_string(),
        items: Vec::new(),
        initial,
    });
    for rest in groups {
        letter.items.extend(rest.items);
    }
    let path = letter_path(site, lang, &letter);
    let url = url_of(site, &path);
    let l = Localizer::new(site, strings, lang);
    let search_title = l.ui("search-title", &[]);
    let title = l.ui(
        "search-letter-title",
        &[("letter", Arg::Text(letter.letter.clone()))],
    );
    let search_url = page_url(site, lang);
    let mut context = context::generated(
        site,
        lang,
        &url,
        &title,
        vec![
            (search_title, search_url.clone()),
            (title.clone(), url.clone()),
        ],
        serde_json::Value::Null,
        // The other languages' letters differ: their switcher links lead to their search.
        |l| {
            if l == lang {
                url.clone()
            } else {
                page_url(site, l)
            }
        },
    );
    // No page of another language lists the same titles: no `hreflang` alternates.
    context.insert("alternates", &serde_json::Value::Array(Vec::new()));
    context.insert("letter", &letter);
    context.insert("search_url", &search_url);
    let html = templates.render(
        lang,
        LETTER_TEMPLATE,
        &context,
        &format!("the A–Z page {path}index.html"),
    )?;
    Ok(html.into_bytes())
}

#[cfg(test)]
mod tests {
    use super::initial;

    #[test]
    fn the_initial_skips_quotes_and_signs() {
        assert_eq!(initial("«ASAN xidmət»"), Some('A'));
        assert_eq!(initial("\"Quoted\""), Some('Q'));
        assert_eq!(initial("1 000 manat"), Some('1'));
        assert_eq!(initial("—"), None);
    }
}
