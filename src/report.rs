//! The translation report: per language, what is not translated, what is out of date, which UI
//! strings are missing or unused, which service and agency texts are missing, and the coverage.
//! Written as a table for people, JSON for CI, or an HTML page kept outside the published site.

use std::fmt::Write;

use serde::Serialize;

use crate::catalog::TranslationGap;

/// A translation older than its original.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StalePage {
    /// The translation's file.
    pub path: String,
    /// The original's file and its `updated` date.
    pub original: String,
    pub original_updated: String,
    /// The translation's `updated` date, if it has one.
    pub updated: Option<String>,
}

/// The gaps of one language.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct LanguageReport {
    pub code: String,
    /// Pages published in this language, translated or not.
    pub pages: usize,
    /// The originals shown untranslated (default-language files).
    pub untranslated: Vec<String>,
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
}

impl LanguageReport {
    pub fn gaps(&self) -> usize {
        self.untranslated.len()
            + self.stale.len()
            + self.missing_strings.len()
            + self.unused_strings.len()
            + self.incomplete_plurals.len()
            + self.catalog_gaps.len()
    }
}

/// A plain-text table, one row per language, then the details.
pub fn text(languages: &[LanguageReport]) -> String {
    let row = |cells: [String; 8]| {
        let mut line = format!("{:<8}", cells[0]);
        for (cell, width) in cells[1..].iter().zip(WIDTHS) {
            line.push_str(&format!(" {cell:>width$}"));
        }
        line.push('\n');
        line
    };
    let mut out = row(COLUMNS.map(str::to_string));
    for l in languages {
        out.push_str(&row(summary(l)));
    }
    for l in languages.iter().filter(|l| l.gaps() > 0) {
        let _ = writeln!(out, "\n{}:", l.code);
        for (kind, what, detail) in details(l) {
            let _ = writeln!(out, "  {kind:<14} {what}{detail}");
        }
    }
    out
}

/// The summary table's columns, and the widths of all but the first in the text format.
const COLUMNS: [&str; 8] = [
    "language",
    "pages",
    "coverage",
    "untranslated",
    "stale",
    "strings missing",
    "strings unused",
    "service texts",
];
const WIDTHS: [usize; 7] = [6, 9, 13, 6, 16, 15, 16];

/// A language's row of the summary table.
fn summary(l: &LanguageReport) -> [String; 8] {
    [
        l.code.clone(),
        l.pages.to_string(),
        format!("{}%", l.coverage),
        l.untranslated.len().to_string(),
        l.stale.len().to_string(),
        l.missing_strings.len().to_string(),
        l.unused_strings.len().to_string(),
        l.catalog_gaps.len().to_string(),
    ]
}

/// Every gap of a language as (kind, what, detail), in the order of the report.
fn details(l: &LanguageReport) -> Vec<(&'static str, String, String)> {
    let mut rows = Vec::new();
    rows.extend(
        l.untranslated
            .iter()
            .map(|p| ("untranslated", p.clone(), String::new())),
    );
    rows.extend(l.stale.iter().map(|p| {
        let detail = format!(
            " (original updated {}, translation {})",
            p.original_updated,
            p.updated.as_deref().unwrap_or("undated")
        );
        ("stale", p.path.clone(), detail)
    }));
    rows.extend(
        l.missing_strings
            .iter()
            .map(|k| ("string missing", k.clone(), String::new())),
    );
    rows.extend(
        l.unused_strings
            .iter()
            .map(|k| ("string unused", k.clone(), String::new())),
    );
    rows.extend(
        l.incomplete_plurals
            .iter()
            .map(|k| ("plural missing", k.clone(), String::new())),
    );
    rows.extend(l.catalog_gaps.iter().map(|g| {
        (
            "texts missing",
            g.file.display().to_string(),
            format!(": {}", g.fields.join(", ")),
        )
    }));
    rows
}

/// JSON for CI: `{ "languages": [ ... ] }`.
pub fn json(languages: &[LanguageReport]) -> String {
    let mut text = serde_json::to_string_pretty(&serde_json::json!({ "languages": languages }))
        .expect("the report serialises");
    text.push('\n');
    text
}

/// A self-contained HTML page, to keep beside the build (not in the published folder).
pub fn html(languages: &[LanguageReport]) -> String {
    let e = crate::escape::html;
    let mut out = String::from(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>Translation report</title>\n<style>body{font:16px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:right}th:first-child,td:first-child{text-align:left}</style>\n</head>\n<body>\n<h1>Translation report</h1>\n<table>\n",
    );
    let header: Vec<String> = COLUMNS.iter().map(|c| format!("<th>{c}</th>")).collect();
    let _ = writeln!(out, "<tr>{}</tr>", header.concat());
    for l in languages {
        let cells: Vec<String> = summary(l)
            .iter()
            .map(|c| format!("<td>{}</td>", e(c)))
            .collect();
        let _ = writeln!(out, "<tr>{}</tr>", cells.concat());
    }
    out.push_str("</table>\n");
    for l in languages.iter().filter(|l| l.gaps() > 0) {
        let _ = writeln!(out, "<h2 lang=\"{0}\">{0}</h2>\n<ul>", e(&l.code));
        for (kind, what, detail) in details(l) {
            let _ = writeln!(
                out,
                "<li>{kind}: <code>{}</code>{}</li>",
                e(&what),
                e(&detail)
            );
        }
        out.push_str("</ul>\n");
    }
    out.push_str("</body>\n</html>\n");
    out
}
