//! The translation report: per language, what is not translated, what has no original in the
//! default language, what is out of date, which UI strings are missing or unused, which service
//! and agency texts are missing, and the coverage; and from these, a to-do list for editors.
//!
//! 1. [`gather`] walks the site's entries and the strings, makes a warning for every gap (marked
//!    with its [`GapKind`] so that the command line can summarise them), and a [`Todo`] for
//!    every gap: the title, the file to translate from, the file to create or update, the URL
//!    where the gap shows, the words to translate.
//! 2. The to-do list is ordered so that the pages of the menus come first, then services and
//!    agencies, then the other pages, then the interface.
//! 3. `format` writes it as a table for people, JSON for CI, or an HTML page in the editor's
//!    language (the site's own UI strings).

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::catalog::{Date, TranslationGap};
use crate::error::{Diagnostic, Diagnostics, GapKind};
use crate::i18n::{KeyUse, UiStrings};
use crate::site::Site;

mod format;

pub use format::{html, json, text};

/// A translation older than its original.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StalePage {
    /// The translation's file.
    pub path: String,
    /// The original's file and its `updated` date.
    pub original: String,
    pub original_updated: String,
    /// The translation's `updated` date, if it has one.
    pub updated: Option<String>,
}

/// One thing to do for a language; every kind of gap has the same fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Todo {
    /// The kind of gap (`untranslated`, `no-original`, `stale`, `service-texts`,
    /// `missing-strings`, `incomplete-plurals`, `unused-strings`).
    #[serde(deserialize_with = "gap_kind_name")]
    pub kind: KindName,
    /// The page's or service's title in the language it is written in, or the UI string's key.
    pub title: String,
    /// The file to translate from.
    pub source: String,
    /// The file to create (a page) or to add to (a service, the UI strings).
    pub file: String,
    /// Where the gap shows on the site (the page in this language), if it is a page.
    pub url: Option<String>,
    /// How many words there are to translate (0 where it cannot be told).
    pub words: usize,
    /// The page is linked from this language's menu or footer.
    pub menu: bool,
    /// More about the gap: the fields missing, the dates of a stale translation.
    pub detail: String,
}

/// The gaps of one language.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LanguageReport {
    pub code: String,
    /// Pages published in this language, translated or not.
    pub pages: usize,
    /// The originals shown untranslated.
    pub untranslated: Vec<String>,
    /// Pages of other languages that have no original in this, the default, language.
    pub no_original: Vec<String>,
    pub stale: Vec<StalePage>,
    /// UI strings the default language has and this one lacks.
    pub missing_strings: Vec<String>,
    /// UI strings no template or generated page uses (reported for the default language).
    pub unused_strings: Vec<String>,
    /// Messages whose plural variants miss a category of the language (`i18n/ru.ftl:2:1 files`).
    pub incomplete_plurals: Vec<String>,
    /// Service and agency texts missing in this language.
    pub catalog_gaps: Vec<TranslationGap>,
    /// Translated pages, in percent of the pages.
    pub coverage: u32,
    /// Every gap as a thing to do, the menus' pages and the services first.
    pub todo: Vec<Todo>,
    /// The HTML report's words in this language, from the UI strings (`report-*`).
    #[serde(skip)]
    pub labels: BTreeMap<&'static str, String>,
}

/// A [`GapKind`]'s name. (An alias, so that serde does not take the `&'static str` for text
/// borrowed from what it reads.)
pub type KindName = &'static str;

/// A [`Todo`]'s kind read back (from the record of a build): one of [`GapKind`]'s names.
fn gap_kind_name<'de, D: serde::Deserializer<'de>>(from: D) -> Result<&'static str, D::Error> {
    let name = String::deserialize(from)?;
    GapKind::from_name(&name)
        .map(GapKind::name)
        .ok_or_else(|| serde::de::Error::custom(format!("unknown kind of gap {name:?}")))
}

impl LanguageReport {
    pub fn gaps(&self) -> usize {
        self.untranslated.len()
            + self.no_original.len()
            + self.stale.len()
            + self.missing_strings.len()
            + self.unused_strings.len()
            + self.incomplete_plurals.len()
            + self.catalog_gaps.len()
    }
}

/// The UI strings of the HTML report (the default theme defines them in its languages).
pub const LABELS: [&str; 17] = [
    "report-title",
    "report-language",
    "report-pages",
    "report-coverage",
    "report-todo",
    "report-nothing",
    "report-from",
    "report-create",
    "report-shown-at",
    "report-words",
    "report-menu",
    "report-kind-untranslated",
    "report-kind-no-original",
    "report-kind-stale",
    "report-kind-service-texts",
    "report-kind-missing-strings",
    "report-kind-other",
];

/// The order of the to-do list: the menus' pages, services and agencies, the other pages, then
/// the interface.
fn rank(todo: &Todo) -> (u8, u8) {
    let group = match todo.kind {
        _ if todo.menu => 0,
        "service-texts" => 1,
        "untranslated" | "no-original" | "stale" => 2,
        _ => 3,
    };
    let kind = match todo.kind {
        "no-original" => 0,
        "untranslated" => 1,
        "stale" => 2,
        _ => 3,
    };
    (group, kind)
}

/// The translation report of every language, and a warning for every gap.
pub fn gather(
    site: &Site,
    strings: &UiStrings,
    used_keys: &[KeyUse],
    today: Date,
    warnings: &mut Diagnostics,
) -> Vec<LanguageReport> {
    let config = &site.config;
    let default = &config.default_language;
    let default_lang = config.default_lang();
    let mut used: BTreeSet<&str> = used_keys.iter().map(|k| k.key.as_str()).collect();
    used.extend(crate::render::GENERATED_KEYS);
    // Only the site's own strings: a theme's strings for templates the site overrides are the
    // theme's business.
    let unused: Vec<String> = strings
        .site_keys(default)
        .filter(|k| {
            !used.contains(k.as_str())
                && !k.starts_with("report-")
                && !crate::render::GENERATED_KEY_PREFIXES
                    .iter()
                    .any(|p| k.starts_with(p))
        })
        .cloned()
        .collect();
    let default_file = strings.site_file(default).display().to_string();
    if !unused.is_empty() {
        warnings.push(
            Diagnostic::warning(format!(
                "UI strings that nothing uses: {}",
                unused.join(", ")
            ))
            .in_file(strings.site_file(default))
            .with_help("remove them from the .ftl files, or use them in a template")
            .with_gap(GapKind::UnusedString, Some(default)),
        );
    }
    let today = today.to_string();
    let mut languages = Vec::new();
    for lang in config.langs() {
        let language = &config[lang];
        let code = language.code.as_str();
        let menu_urls: BTreeSet<&str> = site.menus[lang.index()]
            .iter()
            .chain(&site.footers[lang.index()])
            .map(|l| l.url.as_str())
            .collect();
        let mut report = LanguageReport {
            code: code.to_string(),
            ..LanguageReport::default()
        };
        for (i, entry) in site
            .entries
            .iter()
            .enumerate()
            .filter(|(_, e)| e.lang == lang)
        {
            report.pages += 1;
            let page = site.page(i);
            let source = page.source.path.display().to_string();
            let file = format!("content/{code}/{}", page.rel);
            let todo = |kind: GapKind, detail: String| Todo {
                kind: kind.name(),
                title: page.meta.title.clone(),
                source: source.clone(),
                file: file.clone(),
                url: Some(entry.url.clone()),
                // Counted only for the gaps: most entries are translated.
                words: page.words(),
                menu: menu_urls.contains(entry.url.as_str()),
                detail,
            };
            if entry.fallback {
                let from = config.code(page.lang);
                if lang == default_lang {
                    report.no_original.push(source.clone());
                    report.todo.push(todo(GapKind::NoOriginal, String::new()));
                    warnings.push(
                        Diagnostic::warning(format!(
                            "no original in {code}: {source} is shown in {code} untranslated"
                        ))
                        .in_file(&file)
                        .with_help(format!(
                            "write the {code} original into this file; if the page is there under another name (a file renamed in one language), give the files the same `key = \"{}\"`",
                            page.key
                        ))
                        .with_gap(GapKind::NoOriginal, Some(code)),
                    );
                } else {
                    report.untranslated.push(source.clone());
                    report.todo.push(todo(GapKind::Untranslated, String::new()));
                    warnings.push(
                        Diagnostic::warning(format!(
                            "not translated into {code}: {source} is shown in {from} with a notice"
                        ))
                        .in_file(&file)
                        .with_help("translate the page into this file, or leave it to fall back")
                        .with_gap(GapKind::Untranslated, Some(code)),
                    );
                }
                continue;
            }
            if let Some(updated) = page.meta.updated
                && let Some(date) = updated.date
                && date.to_string() > today
            {
                let span = page.source.text[..page.body_start]
                    .find("updated")
                    .map_or(0..3, |at| at..at + "updated".len());
                warnings.push(
                    Diagnostic::warning(format!(
                        "`updated` is in the future: {date} (today is {today})"
                    ))
                    .in_file(&page.source.path)
                    .at_span(&page.source.text, span)
                    .with_help("write the date the page was last changed, as YYYY-MM-DD"),
                );
            }
            if lang == default_lang {
                continue;
            }
            let original = site
                .entry(default_lang, &page.key)
                .map(|o| site.page(o))
                .filter(|o| o.lang == default_lang);
            if let Some(original) = original
                && let Some(original_updated) = original.meta.updated
                && page
                    .meta
                    .updated
                    .is_none_or(|u| u.to_string() < original_updated.to_string())
            {
                let updated = page.meta.updated.map(|u| u.to_string());
                let original_path = original.source.path.display().to_string();
                warnings.push(
                    Diagnostic::warning(format!(
                        "{source} may be out of date: {original_path} was updated on {original_updated}, the translation {}",
                        updated.as_deref().map_or("has no date".to_string(), |u| format!("on {u}")),
                    ))
                    .in_file(&page.source.path)
                    .with_help("bring the translation up to date, then set its `updated` to the date you did")
                    .with_gap(GapKind::Stale, Some(code)),
                );
                let detail = format!(
                    "original updated {original_updated}, translation {}",
                    updated.as_deref().unwrap_or("undated")
                );
                report.todo.push(Todo {
                    source: original_path.clone(),
                    words: original.words(),
                    ..todo(GapKind::Stale, detail)
                });
                report.stale.push(StalePage {
                    path: source.clone(),
                    original: original_path,
                    original_updated: original_updated.to_string(),
                    updated,
                });
            }
        }
        let site_file = strings.site_file(code).display().to_string();
        let ui_todo = |kind: GapKind, key: &str, file: &str, detail: String| Todo {
            kind: kind.name(),
            title: key.to_string(),
            source: default_file.clone(),
            file: file.to_string(),
            url: None,
            words: 0,
            menu: false,
            detail,
        };
        report.missing_strings = strings.missing_keys(code);
        for key in &report.missing_strings {
            report.todo.push(ui_todo(
                GapKind::MissingString,
                key,
                &site_file,
                String::new(),
            ));
        }
        report.incomplete_plurals = strings.incomplete_plurals(code);
        for gap in &report.incomplete_plurals {
            // `i18n/ru.ftl:2:1 files`
            let (at, key) = gap.split_once(' ').unwrap_or((gap, ""));
            let file = at.split(':').next().unwrap_or(at);
            report.todo.push(Todo {
                source: file.to_string(),
                ..ui_todo(GapKind::IncompletePlural, key, file, at.to_string())
            });
        }
        if code == default {
            report.unused_strings = unused.clone();
            for key in &unused {
                report.todo.push(ui_todo(
                    GapKind::UnusedString,
                    key,
                    &default_file,
                    String::new(),
                ));
            }
        }
        report.catalog_gaps = site
            .catalog
            .gaps
            .iter()
            .filter(|g| g.lang == code)
            .cloned()
            .collect();
        for gap in &report.catalog_gaps {
            let path = gap.file.display().to_string();
            let (title, url) = catalog_page(site, lang, &gap.file);
            report.todo.push(Todo {
                kind: GapKind::ServiceText.name(),
                title,
                source: path.clone(),
                file: path,
                menu: url.as_deref().is_some_and(|u| menu_urls.contains(u)),
                url,
                words: gap.words,
                detail: gap.fields.join(", "),
            });
        }
        report
            .todo
            .sort_by(|a, b| (rank(a), &a.source).cmp(&(rank(b), &b.source)));
        let translated = report.pages - report.untranslated.len() - report.no_original.len();
        report.coverage = (translated * 100).checked_div(report.pages).unwrap_or(100) as u32;
        for label in LABELS {
            if let Ok(message) = strings.format(code, label, &[]) {
                report.labels.insert(label, message.text);
            }
        }
        languages.push(report);
    }
    languages
}

/// The title (in the default language) and the URL in `lang` of the service or agency in `file`.
fn catalog_page(
    site: &Site,
    lang: crate::config::Lang,
    file: &std::path::Path,
) -> (String, Option<String>) {
    use crate::site::Generated;
    let default = site.config.default_language.as_str();
    let title = |text: &crate::catalog::LocalText| {
        text.get(default, default)
            .map_or_else(|| file.display().to_string(), |t| t.text)
    };
    let catalog = &site.catalog;
    if let Some(i) = catalog.services.iter().position(|s| s.source.path == file) {
        let url = site.generated_url(lang, Generated::Service(i));
        return (title(&catalog.services[i].data.title), Some(url));
    }
    if let Some(i) = catalog.agencies.iter().position(|a| a.source.path == file) {
        let url = site.generated_url(lang, Generated::Agency(i));
        return (title(&catalog.agencies[i].data.name), Some(url));
    }
    (file.display().to_string(), None)
}
