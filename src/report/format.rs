//! The translation report written out: a table and a to-do list for people, JSON for CI, or an
//! HTML page in the editor's language, kept outside the published site.

use std::fmt::Write;

use super::{LanguageReport, Todo};

/// The summary table, one row per language, then each language's to-do list.
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
    for l in languages.iter().filter(|l| !l.todo.is_empty()) {
        let _ = writeln!(out, "\n{}: {} to do", l.code, l.todo.len());
        for todo in &l.todo {
            let mut notes = Vec::new();
            if todo.menu {
                notes.push("in the menu".to_string());
            }
            match todo.words {
                0 => {}
                1 => notes.push("1 word".to_string()),
                n => notes.push(format!("{n} words")),
            }
            if !todo.detail.is_empty() {
                notes.push(todo.detail.clone());
            }
            let notes = if notes.is_empty() {
                String::new()
            } else {
                format!(" ({})", notes.join("; "))
            };
            let _ = writeln!(out, "  {:<18} {}{notes}", todo.kind, todo.title);
            let _ = writeln!(out, "  {:<18} {}", "", action(todo));
            if let Some(url) = &todo.url {
                let _ = writeln!(out, "  {:<18} shown at {url}", "");
            }
        }
    }
    out
}

/// What to do, in a line: `translate content/az/a.md into content/ru/a.md`.
fn action(todo: &Todo) -> String {
    match todo.kind {
        "stale" => format!("update {} from {}", todo.file, todo.source),
        "unused-strings" => format!("use it in a template or remove it from {}", todo.file),
        "incomplete-plurals" => format!("add the missing plural variants in {}", todo.file),
        _ if todo.source == todo.file => format!("add the missing texts to {}", todo.file),
        _ => format!("translate {} into {}", todo.source, todo.file),
    }
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
        (l.untranslated.len() + l.no_original.len()).to_string(),
        l.stale.len().to_string(),
        l.missing_strings.len().to_string(),
        l.unused_strings.len().to_string(),
        l.catalog_gaps.len().to_string(),
    ]
}

/// JSON for CI: `{ "languages": [ { "code", "pages", "coverage", "gaps", "todo": [...] } ] }`,
/// every entry of `todo` an object with the same fields.
pub fn json(languages: &[LanguageReport]) -> String {
    let languages: Vec<serde_json::Value> = languages
        .iter()
        .map(|l| {
            serde_json::json!({
                "code": l.code,
                "pages": l.pages,
                "coverage": l.coverage,
                "gaps": l.todo.len(),
                "todo": l.todo,
            })
        })
        .collect();
    let mut text = serde_json::to_string_pretty(&serde_json::json!({ "languages": languages }))
        .expect("the report serialises");
    text.push('\n');
    text
}

/// English words for the labels a site's UI strings lack.
fn english(label: &str) -> &'static str {
    match label {
        "report-title" => "Translation report",
        "report-language" => "Language",
        "report-pages" => "Pages",
        "report-coverage" => "Translated",
        "report-todo" => "To do",
        "report-nothing" => "Nothing to do.",
        "report-from" => "Translate from",
        "report-create" => "Into the file",
        "report-shown-at" => "Shown at",
        "report-words" => "words",
        "report-menu" => "in the menu",
        "report-kind-untranslated" => "Not translated",
        "report-kind-no-original" => "No original in this language",
        "report-kind-stale" => "Translation out of date",
        "report-kind-service-texts" => "Service texts missing",
        "report-kind-missing-strings" => "Interface text missing",
        _ => "Other",
    }
}

/// A self-contained HTML page in the language `lang` (its UI strings), to keep beside the
/// build, not in the published folder. `base_url` makes the page addresses links.
pub fn html(languages: &[LanguageReport], lang: &str, base_url: &str) -> String {
    let e = crate::escape::html;
    let labels = languages.iter().find(|l| l.code == lang).map(|l| &l.labels);
    let t = |key: &str| -> String {
        labels
            .and_then(|l| l.get(key))
            .cloned()
            .unwrap_or_else(|| english(key).to_string())
    };
    let origin = base_url.trim_end_matches('/');
    let origin = origin
        .find("://")
        .and_then(|s| origin[s + 3..].find('/').map(|p| &origin[..s + 3 + p]))
        .unwrap_or(origin);
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>body{{font:16px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem}}table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;padding:.3rem .6rem;text-align:right}}th:first-child,td:first-child{{text-align:left}}li{{margin:.5rem 0}}.kind{{font-weight:bold}}</style>\n</head>\n<body>\n<h1>{}</h1>\n<table>\n",
        e(lang),
        e(&t("report-title")),
        e(&t("report-title"))
    );
    let _ = writeln!(
        out,
        "<tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
        e(&t("report-language")),
        e(&t("report-pages")),
        e(&t("report-coverage")),
        e(&t("report-todo"))
    );
    for l in languages {
        let _ = writeln!(
            out,
            "<tr><td><a href=\"#{0}\">{0}</a></td><td>{1}</td><td>{2}%</td><td>{3}</td></tr>",
            e(&l.code),
            l.pages,
            l.coverage,
            l.todo.len()
        );
    }
    out.push_str("</table>\n");
    for l in languages {
        let _ = writeln!(
            out,
            "<h2 id=\"{0}\">{0} — {1}: {2}</h2>",
            e(&l.code),
            e(&t("report-todo")),
            l.todo.len()
        );
        if l.todo.is_empty() {
            let _ = writeln!(out, "<p>{}</p>", e(&t("report-nothing")));
            continue;
        }
        out.push_str("<ol>\n");
        for todo in &l.todo {
            let kind = match todo.kind {
                "untranslated" | "no-original" | "stale" | "service-texts" | "missing-strings" => {
                    t(&format!("report-kind-{}", todo.kind))
                }
                other => other.to_string(),
            };
            let title = match &todo.url {
                Some(url) => format!("<a href=\"{}{}\">{}</a>", e(origin), e(url), e(&todo.title)),
                None => format!("<code>{}</code>", e(&todo.title)),
            };
            let mut notes = Vec::new();
            if todo.menu {
                notes.push(t("report-menu"));
            }
            if todo.words > 0 {
                notes.push(format!("{} {}", todo.words, t("report-words")));
            }
            if !todo.detail.is_empty() {
                notes.push(todo.detail.clone());
            }
            let notes = if notes.is_empty() {
                String::new()
            } else {
                format!(" ({})", e(&notes.join("; ")))
            };
            let _ = writeln!(
                out,
                "<li><span class=\"kind\">{}</span>: {title}{notes}<br>{} <a href=\"{}\"><code>{}</code></a> → {} <code>{}</code></li>",
                e(&kind),
                e(&t("report-from")),
                e(&todo.source),
                e(&todo.source),
                e(&t("report-create")),
                e(&todo.file)
            );
        }
        out.push_str("</ol>\n");
    }
    out.push_str("</body>\n</html>\n");
    out
}
