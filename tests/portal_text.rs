//! The portal's own text, checked where a machine can check it. The test reads the repository's
//! files directly (no build):
//!
//! (a) Russian typography, in `content/ru/**/*.md` and in every `ru = ...` value of
//!     `content/services/*.toml` and `content/agencies/*.toml`: a non-breaking space (U+00A0)
//!     after `№`, between a number and a unit, an abbreviation, a currency or a month (see
//!     [`RU_UNITS`]), inside digit groups (`500 000`), around `×` in sizes, and before a dash;
//! (b) the glossary (`docs/glossary.md`): no phrase of its `avoid` column appears in the pages
//!     or the service and agency texts of that language (case-insensitive substring);
//! (c) sources: every fact field a service has (see [`SERVICE_FACTS`]) and every contact field
//!     an agency has (see [`AGENCY_FACTS`]) is named in the `covers` of at least one
//!     `[[sources]]` entry, and every name in `covers` is a field of the file.
//!
//! Every failure names the file, the line and what to fix; the test collects them all and fails
//! once. Link targets, addresses and `code` are not checked: they are not prose.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use toml::Spanned;
use toml::de::{DeTable, DeValue};

const NBSP: char = '\u{a0}';

/// What must stay on the line of the number before it, joined by U+00A0 (`60 км`, `2026 г.`,
/// `5 млн`, `100 манатов`, `80 %`, `25 ноября`). A unit counts only as a whole word: `5 м` is a
/// unit, `5 минут` is not. Counted nouns (`15 дней`, `2 года`) may keep an ordinary space.
/// The portal writes `%` after U+00A0, as ГОСТ 8.417 does: neither `80%` nor `80` + ordinary
/// space + `%` passes.
#[rustfmt::skip]
const RU_UNITS: &[&str] = &[
    // length, mass, area
    "км", "м", "см", "мм", "кг", "т", "га",
    // time and dates
    "ч.", "мин.", "сек.", "дн.", "г.", "гг.",
    // counts and money
    "тыс.", "млн", "млрд", "ман.", "AZN", "USD", "EUR", "$", "€", "%",
    "манат", "маната", "манатов", "доллар", "доллара", "долларов", "евро",
    // months after a day number
    "января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
    "сентября", "октября", "ноября", "декабря",
];

/// The fields of a service that state facts a migrant acts on (`src/catalog/schema.rs`, `Service`).
const SERVICE_FACTS: &[&str] = &[
    "who",
    "deadline",
    "processing",
    "fees",
    "documents",
    "channels",
    "steps",
    "legal_basis",
    "consequences",
];

/// Every field of a service, for the names in `covers`.
const SERVICE_FIELDS: &[&str] = &[
    "id",
    "agency",
    "operators",
    "topics",
    "audience",
    "title",
    "summary",
    "keywords",
    "description",
    "who",
    "deadline",
    "processing",
    "fees",
    "documents",
    "channels",
    "steps",
    "legal_basis",
    "consequences",
    "related",
    "faq",
];

/// The contact fields of an agency (`src/catalog/schema.rs`, `Agency`).
const AGENCY_FACTS: &[&str] = &["address", "email", "phones", "offices"];

/// Every field of an agency, for the names in `covers`.
const AGENCY_FIELDS: &[&str] = &[
    "id",
    "name",
    "short_name",
    "description",
    "website",
    "email",
    "address",
    "phones",
    "offices",
];

/// The repository, or the tree named by `PORTAL_TEXT_ROOT` (to try the checks on a broken copy).
fn repo() -> PathBuf {
    std::env::var_os("PORTAL_TEXT_ROOT")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")))
}

/// One line of prose in one language, and where it is.
#[derive(Debug, Clone)]
struct Text {
    file: String,
    line: usize,
    lang: String,
    text: String,
}

/// `content/<lang>/**/*.md`: the title and description of the front matter, and the body.
fn page_texts(root: &Path) -> Vec<Text> {
    let mut texts = Vec::new();
    let content = root.join("content");
    let Ok(dirs) = fs::read_dir(&content) else {
        return texts;
    };
    let mut langs: Vec<String> = dirs
        .filter_map(|d| d.ok())
        .filter(|d| d.path().is_dir())
        .map(|d| d.file_name().to_string_lossy().into_owned())
        .filter(|name| name != "services" && name != "agencies")
        .collect();
    langs.sort();
    for lang in langs {
        let mut files: Vec<PathBuf> = walkdir::WalkDir::new(content.join(&lang))
            .into_iter()
            .filter_map(|e| e.ok())
            .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
            .map(|e| e.into_path())
            .collect();
        files.sort();
        for path in files {
            let source = fs::read_to_string(&path).unwrap();
            let file = relative(root, &path);
            texts.extend(markdown_lines(&file, &lang, &source));
        }
    }
    texts
}

/// The prose lines of a page: front matter only for `title` and `description`, no fenced code.
fn markdown_lines(file: &str, lang: &str, source: &str) -> Vec<Text> {
    let mut out = Vec::new();
    let mut front = false;
    let mut fenced = false;
    for (i, line) in source.lines().enumerate() {
        if line.trim_end() == "+++" && (i == 0 || front) {
            front = i == 0;
            continue;
        }
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if fenced {
            continue;
        }
        let text = if front {
            match line.split_once('=') {
                Some((key, value)) if matches!(key.trim(), "title" | "description") => value,
                _ => continue,
            }
        } else {
            line
        };
        out.push(Text {
            file: file.to_string(),
            line: i + 1,
            lang: lang.to_string(),
            text: prose(text),
        });
    }
    out
}

/// The per-language strings of `content/services/*.toml` and `content/agencies/*.toml`: every
/// string (or list of strings) under a key that is a language code, line by line.
fn catalog_texts(root: &Path, langs: &BTreeSet<String>) -> Vec<Text> {
    let mut texts = Vec::new();
    for (file, source) in catalog_files(root) {
        let Ok(doc) = DeTable::parse(&source) else {
            // A file that does not parse is the build's error to report, not this test's.
            continue;
        };
        collect_strings(&file, &source, langs, doc.get_ref(), &mut texts);
    }
    texts
}

fn catalog_files(root: &Path) -> Vec<(String, String)> {
    let mut files = Vec::new();
    for dir in ["content/services", "content/agencies"] {
        let Ok(entries) = fs::read_dir(root.join(dir)) else {
            continue;
        };
        let mut paths: Vec<PathBuf> = entries
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        paths.sort();
        for path in paths {
            let source = fs::read_to_string(&path).unwrap();
            files.push((relative(root, &path), source));
        }
    }
    files
}

fn collect_strings(
    file: &str,
    source: &str,
    langs: &BTreeSet<String>,
    table: &DeTable<'_>,
    out: &mut Vec<Text>,
) {
    for (key, value) in table.iter() {
        let lang: &str = key.get_ref().as_ref();
        if langs.contains(lang) {
            let mut strings = Vec::new();
            match value.get_ref() {
                DeValue::String(_) => strings.push(value),
                DeValue::Array(items) => strings.extend(items.iter()),
                _ => {}
            }
            for string in strings {
                if let DeValue::String(text) = string.get_ref() {
                    out.extend(string_lines(file, source, lang, string.span().start, text));
                }
            }
        }
        match value.get_ref() {
            DeValue::Table(inner) => collect_strings(file, source, langs, inner, out),
            DeValue::Array(items) => {
                for item in items {
                    if let DeValue::Table(inner) = item.get_ref() {
                        collect_strings(file, source, langs, inner, out);
                    }
                }
            }
            _ => {}
        }
    }
}

/// The lines of a TOML string that starts at byte `start` of `source`. A multi-line string's
/// first line follows its opening `"""` and newline.
fn string_lines(file: &str, source: &str, lang: &str, start: usize, text: &str) -> Vec<Text> {
    let mut line = line_of(source, start);
    let raw = &source[start..];
    if (raw.starts_with("\"\"\"") || raw.starts_with("'''"))
        && raw[3..]
            .trim_start_matches([' ', '\t'])
            .starts_with(['\n', '\r'])
    {
        line += 1;
    }
    text.lines()
        .enumerate()
        .map(|(i, l)| Text {
            file: file.to_string(),
            line: line + i,
            lang: lang.to_string(),
            text: prose(l),
        })
        .collect()
}

fn line_of(source: &str, offset: usize) -> usize {
    source[..offset.min(source.len())].matches('\n').count() + 1
}

fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

/// The line without what is not prose: link targets `](...)`, `<...>` autolinks and HTML,
/// bare addresses, `code`, heading anchors `{#...}`. Each is replaced by one space.
fn prose(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len());
    let mut i = 0;
    let closing = |from: usize, close: char| chars[from..].iter().position(|&c| c == close);
    while i < chars.len() {
        let c = chars[i];
        let skip_to = match c {
            ']' if chars.get(i + 1) == Some(&'(') => closing(i + 1, ')').map(|n| i + 1 + n),
            '<' => closing(i, '>').map(|n| i + n),
            '`' => closing(i + 1, '`').map(|n| i + 1 + n),
            '{' if chars.get(i + 1) == Some(&'#') => closing(i, '}').map(|n| i + n),
            'h' if starts_with_at(&chars, i, "http://")
                || starts_with_at(&chars, i, "https://") =>
            {
                let n = chars[i..]
                    .iter()
                    .position(|c| c.is_whitespace() || *c == ')')
                    .unwrap_or(chars.len() - i);
                Some(i + n - 1)
            }
            _ => None,
        };
        match skip_to {
            Some(end) => {
                if c == ']' {
                    out.push(']');
                }
                out.push(' ');
                i = end + 1;
            }
            None => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

fn starts_with_at(chars: &[char], i: usize, prefix: &str) -> bool {
    prefix
        .chars()
        .enumerate()
        .all(|(k, p)| chars.get(i + k) == Some(&p))
}

// (a) Russian typography

/// What is wrong with the typography of one line of Russian prose, one sentence per problem.
fn ru_typography(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut problems = Vec::new();
    let at = |i: usize| chars.get(i).copied();
    let excerpt = |from: usize, to: usize| -> String {
        let from = from.saturating_sub(12);
        let to = (to + 12).min(chars.len());
        chars[from..to]
            .iter()
            .collect::<String>()
            .replace(NBSP, "⍽")
    };
    for (i, &c) in chars.iter().enumerate() {
        // № 84, №84
        if c == '№' {
            match at(i + 1) {
                Some(' ') => problems.push(format!(
                    "«{}»: after № write U+00A0 (non-breaking space), not an ordinary space",
                    excerpt(i, i + 2)
                )),
                Some(d) if d.is_ascii_digit() => problems.push(format!(
                    "«{}»: put U+00A0 (non-breaking space) between № and the number",
                    excerpt(i, i + 2)
                )),
                _ => {}
            }
        }
        if !c.is_ascii_digit() {
            continue;
        }
        // 80%
        if at(i + 1) == Some('%') {
            problems.push(format!(
                "«{}»: write the percent sign after U+00A0 (non-breaking space): 80\u{a0}%",
                excerpt(i, i + 2)
            ));
        }
        if at(i + 1) != Some(' ') {
            continue;
        }
        // Enough for the longest unit and a digit group.
        let rest: String = chars[i + 2..].iter().take(16).collect();
        // 500 000
        let digits = rest.chars().take_while(|c| c.is_ascii_digit()).count();
        if digits == 3 {
            problems.push(format!(
                "«{}»: separate groups of digits with U+00A0 (non-breaking space), not an ordinary space",
                excerpt(i, i + 5)
            ));
            continue;
        }
        // 3 × 4 см
        if rest.starts_with("× ")
            || (rest.starts_with("x ") && rest[2..].starts_with(|c: char| c.is_ascii_digit()))
        {
            problems.push(format!(
                "«{}»: in a size write U+00A0 (non-breaking space) on both sides of ×",
                excerpt(i, i + 4)
            ));
            continue;
        }
        // 60 км, 2026 г., 100 манатов, 25 ноября
        if let Some(unit) = unit_at(&rest) {
            problems.push(format!(
                "«{}»: put U+00A0 (non-breaking space) between the number and «{unit}» instead of the ordinary space",
                excerpt(i, i + 2 + unit.chars().count())
            ));
        }
    }
    // Dashes: "слово — слово" needs U+00A0 before the dash so that no line starts with it.
    for (i, w) in chars.windows(3).enumerate() {
        if w[0] == ' ' && w[1] == '—' && i > 0 && !chars[..i].iter().all(|c| c.is_whitespace()) {
            problems.push(format!(
                "«{}»: put U+00A0 (non-breaking space) before the dash instead of the ordinary space",
                excerpt(i, i + 2)
            ));
        }
    }
    problems
}

/// The unit of [`RU_UNITS`] that `rest` starts with as a whole word, if any.
fn unit_at(rest: &str) -> Option<&'static str> {
    RU_UNITS
        .iter()
        .filter(|unit| rest.starts_with(**unit))
        .filter(|unit| {
            let after = rest[unit.len()..].chars().next();
            unit.ends_with('.') || !after.is_some_and(|c| c.is_alphanumeric())
        })
        .max_by_key(|unit| unit.len())
        .copied()
}

// (b) the glossary

/// One `avoid` entry: this phrase must not appear in this language's text.
#[derive(Debug, Clone, PartialEq)]
struct Avoid {
    lang: String,
    phrase: String,
    /// The term to use instead (the row's column for that language), for the message.
    instead: String,
    line: usize,
}

/// The glossary's table: header `| en | az | ru | avoid |`, one row per concept. Returns the
/// entries of the `avoid` column, and the problems of the table itself.
fn parse_glossary(source: &str) -> (Vec<Avoid>, Vec<String>) {
    let mut avoid = Vec::new();
    let mut problems = Vec::new();
    let cells = |line: &str| -> Vec<String> {
        let line = line.trim();
        let inner = line.strip_prefix('|').unwrap_or(line);
        let inner = inner.strip_suffix('|').unwrap_or(inner);
        inner.split('|').map(|c| c.trim().to_string()).collect()
    };
    let mut header: Option<Vec<String>> = None;
    for (i, line) in source.lines().enumerate() {
        let lineno = i + 1;
        if !line.trim_start().starts_with('|') {
            if header.is_some() {
                break; // the table has ended
            }
            continue;
        }
        let row = cells(line);
        let Some(columns) = &header else {
            if row.last().map(String::as_str) == Some("avoid") {
                header = Some(row);
            }
            continue;
        };
        if row
            .iter()
            .all(|c| c.chars().all(|ch| matches!(ch, '-' | ':' | ' ')))
        {
            continue; // the separator row
        }
        if row.len() != columns.len() {
            problems.push(format!(
                "docs/glossary.md:{lineno}: the row has {} cells, the header {}: one cell per column, no `|` inside a cell",
                row.len(),
                columns.len()
            ));
            continue;
        }
        let entries = row.last().unwrap();
        for entry in entries.split(';').map(str::trim).filter(|e| !e.is_empty()) {
            let Some((lang, phrase)) = entry.split_once(':') else {
                problems.push(format!(
                    "docs/glossary.md:{lineno}: avoid entry «{entry}» is not `lang: phrase`"
                ));
                continue;
            };
            let (lang, phrase) = (lang.trim(), phrase.trim());
            let Some(col) = columns[..columns.len() - 1].iter().position(|c| c == lang) else {
                problems.push(format!(
                    "docs/glossary.md:{lineno}: avoid entry «{entry}» names language `{lang}`, which has no column"
                ));
                continue;
            };
            if phrase.is_empty() {
                problems.push(format!(
                    "docs/glossary.md:{lineno}: avoid entry «{entry}» has no phrase"
                ));
                continue;
            }
            let term = &row[col];
            if fold(term).contains(&fold(phrase)) {
                problems.push(format!(
                    "docs/glossary.md:{lineno}: avoid phrase «{phrase}» is part of the term «{term}» itself: no page could use the term"
                ));
            }
            avoid.push(Avoid {
                lang: lang.to_string(),
                phrase: phrase.to_string(),
                instead: term.clone(),
                line: lineno,
            });
        }
    }
    if header.is_none() {
        problems.push(
            "docs/glossary.md: no table with the header `| en | az | ru | avoid |` found"
                .to_string(),
        );
    }
    (avoid, problems)
}

/// Case folding for the comparison: lower case, with the Azerbaijani and Turkish İ as i.
fn fold(text: &str) -> String {
    text.chars()
        .map(|c| if c == 'İ' { 'i' } else { c })
        .flat_map(char::to_lowercase)
        .map(|c| if c == NBSP { ' ' } else { c })
        .collect()
}

fn glossary_problems(texts: &[Text], avoid: &[Avoid]) -> Vec<String> {
    let mut problems = Vec::new();
    let folded_phrases: Vec<String> = avoid.iter().map(|a| fold(&a.phrase)).collect();
    for text in texts {
        let folded = fold(&text.text);
        for (entry, phrase) in avoid.iter().zip(&folded_phrases) {
            if entry.lang == text.lang && folded.contains(phrase.as_str()) {
                problems.push(format!(
                    "{}:{}: «{}» is on the glossary's avoid list (docs/glossary.md:{}): use «{}»",
                    text.file, text.line, entry.phrase, entry.line, entry.instead
                ));
            }
        }
    }
    problems
}

// (c) sources

/// What is missing from the `[[sources]]` of one service or agency file.
fn source_problems(file: &str, source: &str, facts: &[&str], fields: &[&str]) -> Vec<String> {
    let doc = match DeTable::parse(source) {
        Ok(doc) => doc,
        Err(e) => return vec![format!("{file}: does not parse as TOML: {e}")],
    };
    let doc = doc.get_ref();
    let mut problems = Vec::new();
    let mut covered = BTreeSet::new();
    let sources = doc.iter().find(|(k, _)| k.get_ref() == "sources");
    if let Some((_, value)) = sources {
        if let DeValue::Array(items) = value.get_ref() {
            for item in items {
                let DeValue::Table(entry) = item.get_ref() else {
                    continue;
                };
                let covers = entry.iter().find(|(k, _)| k.get_ref() == "covers");
                let Some((_, covers)) = covers else { continue };
                let DeValue::Array(names) = covers.get_ref() else {
                    continue;
                };
                for name in names {
                    let DeValue::String(name_text) = name.get_ref() else {
                        continue;
                    };
                    let name_text: &str = name_text.as_ref();
                    if !fields.contains(&name_text) {
                        problems.push(format!(
                            "{file}:{}: covers names «{name_text}», which is not a field of this file; write one of: {}",
                            line_of(source, name.span().start),
                            fields.join(", ")
                        ));
                    }
                    covered.insert(name_text.to_string());
                }
            }
        }
    }
    for (key, value) in doc.iter() {
        let field: &str = key.get_ref().as_ref();
        if !facts.contains(&field) || is_empty(value) || covered.contains(field) {
            continue;
        }
        problems.push(format!(
            "{file}:{}: `{field}` states facts but no [[sources]] entry covers it: add \"{field}\" to the `covers` of the official source it comes from (or add that source)",
            line_of(source, key.span().start)
        ));
    }
    problems
}

fn is_empty(value: &Spanned<DeValue<'_>>) -> bool {
    match value.get_ref() {
        DeValue::Array(items) => items.is_empty(),
        DeValue::Table(table) => table.is_empty(),
        DeValue::String(s) => s.trim().is_empty(),
        _ => false,
    }
}

// The repository

#[test]
fn the_portals_text_follows_its_rules() {
    let root = repo();
    let mut failures = Vec::new();

    let glossary = fs::read_to_string(root.join("docs/glossary.md")).unwrap_or_default();
    let (avoid, glossary_table) = parse_glossary(&glossary);
    failures.extend(glossary_table);

    let pages = page_texts(&root);
    let mut langs: BTreeSet<String> = pages.iter().map(|t| t.lang.clone()).collect();
    langs.extend(avoid.iter().map(|a| a.lang.clone()));
    let texts: Vec<Text> = pages
        .into_iter()
        .chain(catalog_texts(&root, &langs))
        .collect();

    // (a)
    for text in texts.iter().filter(|t| t.lang == "ru") {
        for problem in ru_typography(&text.text) {
            failures.push(format!("{}:{}: {problem}", text.file, text.line));
        }
    }
    // (b)
    failures.extend(glossary_problems(&texts, &avoid));
    // (c)
    for (file, source) in catalog_files(&root) {
        if file.starts_with("content/services/") {
            failures.extend(source_problems(
                &file,
                &source,
                SERVICE_FACTS,
                SERVICE_FIELDS,
            ));
        } else {
            failures.extend(source_problems(&file, &source, AGENCY_FACTS, AGENCY_FIELDS));
        }
    }

    assert!(
        failures.is_empty(),
        "{} problem(s) in the portal's text (U+00A0 is shown as ⍽):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

// The checks themselves, on small examples: each can fail.

#[test]
fn typography_wants_a_non_breaking_space_after_the_number_sign() {
    assert_eq!(ru_typography("Указ № 560 от 19\u{a0}марта").len(), 1);
    assert_eq!(ru_typography("Указ №560").len(), 1);
    assert!(ru_typography("Указ №\u{a0}560 от 19\u{a0}марта 2007 года").is_empty());
}

#[test]
fn typography_wants_a_non_breaking_space_before_units_money_and_months() {
    for bad in [
        "в 60 км к югу",
        "25\u{a0}ноября 2026 г.",
        "штраф 300–400 манатов",
        "5 млн",
        "не менее 80 %",
        "не менее 80%",
        "20 долларов США",
        "с 24 июля",
        "3\u{a0}×\u{a0}4 см",
    ] {
        assert_eq!(ru_typography(bad).len(), 1, "{bad}");
    }
    for good in [
        "в 60\u{a0}км к югу",
        "25\u{a0}ноября 2026\u{a0}г.",
        "в течение 15 дней",
        "через 2 года",
        "5 минут",
        "за 3 месяца",
        "статья 45.1.7",
        "не менее 80\u{a0}%",
    ] {
        assert!(
            ru_typography(good).is_empty(),
            "{good}: {:?}",
            ru_typography(good)
        );
    }
}

#[test]
fn typography_wants_non_breaking_digit_groups_sizes_and_dashes() {
    assert_eq!(ru_typography("не менее 500 000\u{a0}манатов").len(), 1);
    assert!(ru_typography("не менее 500\u{a0}000\u{a0}манатов").is_empty());
    assert_eq!(ru_typography("2 фотографии 3 × 4\u{a0}см").len(), 1);
    assert!(ru_typography("2 фотографии 3\u{a0}×\u{a0}4\u{a0}см").is_empty());
    assert_eq!(ru_typography("Столица — Баку.").len(), 1);
    assert!(ru_typography("Столица\u{a0}— Баку.").is_empty());
    assert!(ru_typography("— Баку.").is_empty());
}

#[test]
fn link_targets_and_addresses_are_not_prose() {
    let line = "См. [страницу](https://example.az/2026 г./№ 5) и <https://a.az/5 км>, `№ 5`.";
    assert!(ru_typography(&prose(line)).is_empty(), "{}", prose(line));
    let texts = markdown_lines(
        "p.md",
        "ru",
        "+++\ntitle = \"Указ № 5\"\nslug = \"5 км\"\n+++\n\nТекст 5 км.\n```\n№ 5\n```\n",
    );
    let found: Vec<usize> = texts
        .iter()
        .filter(|t| !ru_typography(&t.text).is_empty())
        .map(|t| t.line)
        .collect();
    assert_eq!(found, vec![2, 6]);
}

#[test]
fn catalog_strings_know_their_lines() {
    let source = "id = \"x\"\ntitle = { az = \"A\", ru = \"Указ № 5\" }\ndescription = { ru = \"\"\"\nПервая.\nВторая 5 км.\n\"\"\" }\nkeywords = { ru = [\"№ 1\"] }\n[[steps]]\ntitle = { ru = \"60 км\" }\n";
    let langs: BTreeSet<String> = ["az", "ru"].iter().map(|s| s.to_string()).collect();
    let doc = DeTable::parse(source).unwrap();
    let mut texts = Vec::new();
    collect_strings("s.toml", source, &langs, doc.get_ref(), &mut texts);
    let bad: BTreeSet<usize> = texts
        .iter()
        .filter(|t| t.lang == "ru" && !ru_typography(&t.text).is_empty())
        .map(|t| t.line)
        .collect();
    assert_eq!(bad, BTreeSet::from([2, 5, 7, 9]));
}

#[test]
fn the_glossary_table_is_read_and_its_avoid_phrases_are_found() {
    let glossary = "# Glossary\n\n| en | az | ru | avoid |\n|---|---|---|---|\n| work permit | iş icazəsi | разрешение на работу | en: labour permit; ru: трудовое разрешение |\n| card | vəsiqə | удостоверение | ru: удостоверение |\n| bad | x | y | xx: z; ru |\n\nAfter the table.\n";
    let (avoid, problems) = parse_glossary(glossary);
    assert_eq!(avoid.len(), 3, "{avoid:?}");
    assert_eq!(problems.len(), 3, "{problems:?}"); // the term avoided, `xx`, `ru` without phrase
    let texts = vec![
        Text {
            file: "content/ru/a.md".into(),
            line: 3,
            lang: "ru".into(),
            text: "Нужно Трудовое разрешение.".into(),
        },
        Text {
            file: "content/en/a.md".into(),
            line: 4,
            lang: "en".into(),
            text: "Нужно трудовое разрешение, not a work permit.".into(),
        },
    ];
    let found = glossary_problems(&texts, &avoid);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].starts_with("content/ru/a.md:3:"), "{}", found[0]);
    assert!(found[0].contains("разрешение на работу"), "{}", found[0]);
    let (_, problems) = parse_glossary("no table here");
    assert_eq!(problems.len(), 1);
}

#[test]
fn every_fact_field_needs_a_source_that_covers_it() {
    let service = "id = \"s\"\n\n[who]\ntext = { en = \"x\" }\n\n[[fees]]\namount = 1\n\n[[steps]]\ntitle = { en = \"x\" }\n\n[[sources]]\nurl = \"https://a.gov.az\"\ncovers = [\"who\", \"step\"]\n";
    let problems = source_problems("s.toml", service, SERVICE_FACTS, SERVICE_FIELDS);
    assert_eq!(problems.len(), 3, "{problems:?}");
    assert!(
        problems
            .iter()
            .any(|p| p.starts_with("s.toml:14:") && p.contains("«step»"))
    );
    assert!(
        problems
            .iter()
            .any(|p| p.starts_with("s.toml:6:") && p.contains("`fees`"))
    );
    assert!(
        problems
            .iter()
            .any(|p| p.starts_with("s.toml:9:") && p.contains("`steps`"))
    );
    let agency = "id = \"a\"\n[[phones]]\nnumber = \"1\"\n[[sources]]\nurl = \"https://a.gov.az\"\ncovers = [\"phones\"]\n";
    assert!(source_problems("a.toml", agency, AGENCY_FACTS, AGENCY_FIELDS).is_empty());
}
