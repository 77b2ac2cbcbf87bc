//! What visitors on slow phones receive: valid HTML on any text, and the files hosts and browsers
//! are given beside the pages.

mod common;

use common::{build, page};

/// Every `<` in text starts a tag, a comment or a doctype, and no `&` reads as a character reference
/// that lacks its `;` (`&LThttps` is `<https` to a browser): what the HTML standard asks of text,
/// checked in full by the Nu HTML Checker in CI. `<title>` holds text only (a `<` there is text).
fn text_problems(html: &str) -> Vec<String> {
    let bytes = html.as_bytes();
    let mut problems = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'<' => {
                let next = bytes.get(i + 1).copied().unwrap_or(b' ');
                if !(next.is_ascii_alphabetic() || next == b'/' || next == b'!') {
                    problems.push(format!("bare `<` at {i}: {}", around(html, i)));
                    i += 1;
                    continue;
                }
                let close = tag_end(bytes, i);
                let name: String = html[i + 1..close]
                    .chars()
                    .take_while(char::is_ascii_alphanumeric)
                    .collect::<String>()
                    .to_ascii_lowercase();
                i = close + 1;
                // Raw and escapable raw text runs to its end tag.
                if matches!(name.as_str(), "script" | "style" | "title" | "textarea") {
                    let end = format!("</{name}");
                    i = html[i..].find(&end).map_or(bytes.len(), |at| i + at);
                }
            }
            b'&' => {
                let name: String = html[i + 1..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '#')
                    .collect();
                let terminated = html[i + 1 + name.len()..].starts_with(';');
                let legacy = ["amp", "lt", "gt", "quot", "nbsp", "copy", "reg"]
                    .iter()
                    .any(|l| name.to_ascii_lowercase().starts_with(l));
                if !terminated && (legacy || name.starts_with('#')) {
                    problems.push(format!("`&{name}` without `;` at {i}: {}", around(html, i)));
                }
                i += 1;
            }
            _ => i += 1,
        }
    }
    problems
}

/// Where the tag starting at `start` ends, skipping `>` inside quoted attribute values.
fn tag_end(bytes: &[u8], start: usize) -> usize {
    let mut quote = None;
    for (at, &b) in bytes.iter().enumerate().skip(start) {
        match (quote, b) {
            (None, b'"' | b'\'') => quote = Some(b),
            (Some(q), _) if q == b => quote = None,
            (None, b'>') => return at,
            _ => {}
        }
    }
    bytes.len()
}

fn around(html: &str, i: usize) -> String {
    let mut start = i.saturating_sub(30);
    while !html.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = (i + 30).min(html.len());
    while !html.is_char_boundary(end) {
        end += 1;
    }
    html[start..end].to_string()
}

#[test]
fn the_text_checker_finds_what_the_validator_rejects() {
    assert!(
        text_problems("<p>1 &lt; 2 & 3</p><title>a < b</title><script>if (a < b && c) {}</script>")
            .is_empty()
    );
    assert_eq!(text_problems("<a href=/x><</a>").len(), 1);
    assert_eq!(text_problems("<p>&LThttps</p>").len(), 1);
    assert_eq!(text_problems("<p>&#60 x</p>").len(), 1);
    assert!(text_problems("<a href=\"/?a=1&b=2\">a & b</a>").is_empty());
}

#[test]
fn text_full_of_markup_characters_stays_valid_html_after_minifying() {
    let out = build("hostile-text");
    let mut problems = Vec::new();
    let mut pages = 0;
    for (path, bytes) in &out.files {
        if path.ends_with(".html") {
            pages += 1;
            let html = std::str::from_utf8(bytes).unwrap();
            problems.extend(
                text_problems(html)
                    .into_iter()
                    .map(|p| format!("{path}: {p}")),
            );
        }
    }
    assert!(pages >= 20, "{pages} pages");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // The text is kept, escaped, not dropped.
    let home = page(&out, "en/index.html");
    assert!(home.contains("1 &lt; 2 & 3 > 2"), "{home}");
    assert!(home.contains("&amp;LT &amp;AMP"), "{home}");
    let amp = page(&out, "en/notes/amp/index.html");
    assert!(
        amp.contains("<title>A & B < C > D \"E\" 'F' · Test"),
        "{amp}"
    );
    assert!(amp.contains("<h1>A & B &lt; C > D"), "{amp}");
    // A URL with characters a URL may not hold is percent-encoded, not broken.
    let service = page(&out, "en/services/lt-amp/index.html");
    assert!(
        service.contains("href=\"https://example.org/?a=1&b=%3C2%3E\""),
        "{service}"
    );
}

/// Builds a fixture into a folder beside it, as `karvan build` does.
fn build_to_disk(name: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let site = common::fixture(name);
    let target = site.path().join("public");
    let mut options = common::options(site.path());
    options.output = Some(target.clone());
    if let Err(d) = karvan::engine::build(&options) {
        panic!("{name} should build, but:\n{d}");
    }
    (site, target)
}

fn files_of(root: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    walkdir::WalkDir::new(root)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(root).unwrap().display().to_string();
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

#[test]
fn every_compressed_sibling_decompresses_to_its_original_and_every_fingerprint_matches() {
    use std::io::Read;
    let (_site, public) = build_to_disk("hostile-text");
    let files: std::collections::BTreeMap<String, Vec<u8>> =
        files_of(&public).into_iter().collect();
    let (mut br, mut gz, mut fingerprinted) = (0, 0, 0);
    for (path, bytes) in &files {
        if let Some(original) = path.strip_suffix(".br") {
            let mut back = Vec::new();
            brotli::Decompressor::new(&bytes[..], 4096)
                .read_to_end(&mut back)
                .unwrap();
            assert!(back == files[original], "{path} is not {original}");
            br += 1;
        } else if let Some(original) = path.strip_suffix(".gz") {
            let mut back = Vec::new();
            flate2::read::GzDecoder::new(&bytes[..])
                .read_to_end(&mut back)
                .unwrap();
            assert!(back == files[original], "{path} is not {original}");
            gz += 1;
        } else if path.ends_with(".html") && bytes.len() >= 512 {
            assert!(
                files.contains_key(&format!("{path}.br")),
                "{path} has no .br"
            );
            assert!(
                files.contains_key(&format!("{path}.gz")),
                "{path} has no .gz"
            );
        }
        // style.00f50fee.css: the 8 hex digits are the content's digest.
        let name = path.rsplit('/').next().unwrap();
        let parts: Vec<&str> = name.split('.').collect();
        if parts.len() == 3
            && parts[1].len() == 8
            && parts[1].chars().all(|c| c.is_ascii_hexdigit())
        {
            let digest = karvan::record::digest_bytes(bytes).0 as u32;
            assert_eq!(parts[1], format!("{digest:08x}"), "{path}");
            fingerprinted += 1;
        }
    }
    assert!(br >= 20 && br == gz, "{br} .br, {gz} .gz");
    assert!(fingerprinted >= 1, "no fingerprinted file");
}

#[test]
fn every_page_links_the_icons_and_agency_pages_have_a_meta_description() {
    let out = build("services");
    for (path, bytes) in &out.files {
        if path.ends_with(".html") && !path.ends_with("404.html") {
            let html = String::from_utf8_lossy(bytes);
            if html.contains("http-equiv=refresh") {
                continue;
            }
            assert!(
                html.contains("<link href=/favicon.svg rel=icon type=image/svg+xml>"),
                "{path}"
            );
            assert!(html.contains("rel=apple-touch-icon>"), "{path}");
            if path.contains("/agency-a/") || path.contains("/services/full/") {
                assert!(
                    html.contains("name=description>"),
                    "{path} has no meta description"
                );
            }
        }
    }
    assert!(out.files.contains_key("favicon.svg") && out.files.contains_key("icon-192.png"));
    let agency = page(&out, "en/agencies/agency-a/index.html");
    assert!(
        agency.contains("<meta content=\"About the agency.\" name=description>"),
        "{agency}"
    );
}

/// A small well-formedness check of XML: every element closed in order, attributes quoted, every
/// `&` a reference, no `<` in text.
fn xml_problems(text: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let mut open: Vec<String> = Vec::new();
    let mut rest = text.trim_start_matches("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    while let Some(lt) = rest.find('<') {
        let (text, tag) = rest.split_at(lt);
        for (i, _) in text.match_indices('&') {
            let name: String = text[i + 1..].chars().take_while(|c| *c != ';').collect();
            if !matches!(name.as_str(), "amp" | "lt" | "gt" | "quot" | "apos")
                && !name.starts_with('#')
            {
                problems.push(format!("`&{name}` in text"));
            }
        }
        let end = tag.find('>').expect("a tag ends");
        let inside = &tag[1..end];
        if let Some(name) = inside.strip_prefix('/') {
            if open.pop().as_deref() != Some(name) {
                problems.push(format!("</{name}> closes nothing open"));
            }
        } else if !inside.ends_with('/') {
            open.push(inside.split_whitespace().next().unwrap().to_string());
        }
        if inside.contains('<') {
            problems.push(format!("`<` inside <{inside}>"));
        }
        rest = &tag[end + 1..];
    }
    if !open.is_empty() {
        problems.push(format!("never closed: {open:?}"));
    }
    problems
}

#[test]
fn dated_sections_get_an_atom_feed_per_language_linked_from_their_pages() {
    let out = build("hostile-text");
    for lang in ["az", "en", "ru"] {
        let feed = page(&out, &format!("{lang}/notes/atom.xml"));
        assert!(
            xml_problems(&feed).is_empty(),
            "{:?}\n{feed}",
            xml_problems(&feed)
        );
        assert!(feed.contains(&format!(
            "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{lang}\">"
        )));
        assert!(
            feed.contains("<title>A &amp; B &lt; C &gt; D &quot;E&quot; &apos;F&apos;</title>"),
            "{feed}"
        );
        assert!(
            feed.contains("<published>2026-11-01T10:30:00Z</published>"),
            "{feed}"
        );
        assert!(
            feed.contains("<updated>2026-11-20T00:00:00Z</updated>"),
            "{feed}"
        );
        assert!(
            feed.contains(&format!("<id>https://example.org/{lang}/notes/amp/</id>")),
            "{feed}"
        );
        let section = page(&out, &format!("{lang}/notes/index.html"));
        assert!(
            section.contains(&format!(
                "<link href=/{lang}/notes/atom.xml rel=alternate type=application/atom+xml>"
            )),
            "{section}"
        );
        assert!(
            section.contains(&format!("<p class=feed><a href=/{lang}/notes/atom.xml")),
            "{section}"
        );
        let dated = page(&out, &format!("{lang}/notes/amp/index.html"));
        assert!(
            dated.contains(&format!("href=/{lang}/notes/atom.xml rel=alternate")),
            "{dated}"
        );
    }
    // A section without dated pages has none.
    assert!(
        !out.files
            .keys()
            .any(|p| p.ends_with("atom.xml") && !p.contains("/notes/"))
    );
}

#[test]
fn services_and_agencies_are_published_as_json_per_language() {
    let out = build("services");
    for lang in ["az", "en", "ru"] {
        let services = if lang == "en" {
            "services"
        } else if lang == "az" {
            "xidmetler"
        } else {
            "uslugi"
        };
        let list: serde_json::Value =
            serde_json::from_str(&page(&out, &format!("{lang}/{services}/services.json"))).unwrap();
        assert_eq!(list["language"], lang);
        let cards = list["services"].as_array().unwrap();
        assert!(!cards.is_empty());
        for card in cards {
            let data = card["data"].as_str().unwrap().trim_start_matches('/');
            let service: serde_json::Value = serde_json::from_str(&page(&out, data)).unwrap();
            assert_eq!(service["id"], card["card"]["id"]);
            assert!(service["title"]["text"].is_string(), "{service}");
            assert!(service["sources"].is_array(), "{service}");
        }
    }
    for (path, bytes) in &out.files {
        if path.ends_with(".json") {
            serde_json::from_slice::<serde_json::Value>(bytes)
                .unwrap_or_else(|e| panic!("{path} is not JSON: {e}"));
        }
    }
    let agencies: serde_json::Value =
        serde_json::from_str(&page(&out, "en/agencies/agencies.json")).unwrap();
    let first = &agencies["agencies"][0];
    let agency: serde_json::Value = serde_json::from_str(&page(
        &out,
        first["data"].as_str().unwrap().trim_start_matches('/'),
    ))
    .unwrap();
    assert_eq!(agency["id"], first["agency"]["id"]);
}

#[test]
fn github_alerts_render_as_callouts_labelled_in_the_page_s_language() {
    let out = build("hostile-text");
    for (lang, warning, note) in [
        ("az", "Diqqət:", "Qeyd:"),
        ("en", "Warning:", "Note:"),
        ("ru", "Внимание:", "Примечание:"),
    ] {
        let html = page(&out, &format!("{lang}/notes/index.html"));
        assert!(
            html.contains(&format!(
                "<div class=\"callout callout-warning\" role=note><span class=visually-hidden>{warning}</span><p>A fine of 300 AZN & more if &lt; 15 days.</p></div>"
            )),
            "{html}"
        );
        assert!(
            html.contains(&format!(
                "<span class=visually-hidden>{note}</span><p>Free of charge."
            )),
            "{html}"
        );
        assert!(!html.contains('\u{F8FF}'));
    }
}

#[test]
fn no_page_of_the_portal_exceeds_its_budget() {
    let report = karvan::engine::check(&common::options(&common::repo()))
        .unwrap_or_else(|d| panic!("the portal should build:\n{d}"));
    let over: Vec<String> = report
        .warnings
        .0
        .iter()
        .map(ToString::to_string)
        .filter(|w| w.contains("budget") || w.contains("from another site"))
        .collect();
    assert!(over.is_empty(), "{}", over.join("\n"));
    let heaviest = &report.heaviest[0];
    assert!(heaviest.page <= 14 * 1024, "{heaviest:?}");
    assert!(heaviest.first_view <= 30 * 1024, "{heaviest:?}");
}

#[test]
fn a_400_page_section_paginates_within_the_budget() {
    let site = common::fixture("translations");
    common::write(
        site.path(),
        "content/az/many/_index.md",
        "+++\ntitle = \"Çox səhifə\"\n+++\nUzun siyahı.\n",
    );
    for i in 0..400 {
        common::write(
            site.path(),
            &format!("content/az/many/p{i:03}.md"),
            &format!(
                "+++\ntitle = \"Səhifə {i}: olduğu yer üzrə qeydiyyat\"\ndescription = \"Qısa təsvir {i}, bir az uzun ki, siyahıda yer tutsun.\"\nweight = {i}\n+++\nMətn.\n"
            ),
        );
    }
    let (out, report) = karvan::engine::build_in_memory(&common::options(site.path()))
        .unwrap_or_else(|d| panic!("should build:\n{d}"));
    let first = page(&out, "az/many/index.html");
    assert_eq!(first.matches("<p>Qısa təsvir").count(), 50, "{first}");
    assert!(first.contains("Bu bölmədə 400 səhifə var"), "{first}");
    assert!(first.contains("Səhifə 1/8"), "{first}");
    assert!(
        first.contains("<link href=/az/many/page/2/ rel=next>"),
        "{first}"
    );
    assert!(!first.contains("rel=prev"), "{first}");
    let third = page(&out, "az/many/page/3/index.html");
    assert!(
        third.contains("<link href=/az/many/page/2/ rel=prev>"),
        "{third}"
    );
    assert!(
        third.contains("<link href=/az/many/page/4/ rel=next>"),
        "{third}"
    );
    assert!(
        third.contains("href=/az/many/p100/"),
        "page 3 starts at the 101st page: {third}"
    );
    assert!(
        third.contains("<link href=https://example.org/az/many/page/3/ rel=canonical>"),
        "{third}"
    );
    assert!(
        third.contains("<a aria-current=page href=/az/many/page/3/>3</a>"),
        "{third}"
    );
    assert!(out.files.contains_key("az/many/page/8/index.html"));
    assert!(!out.files.contains_key("az/many/page/9/index.html"));
    // The fallbacks in the other languages paginate the same way.
    assert!(out.files.contains_key("en/many/page/8/index.html"));
    let over: Vec<String> = report
        .warnings
        .0
        .iter()
        .map(ToString::to_string)
        .filter(|w| w.contains("budget"))
        .collect();
    assert!(over.is_empty(), "{}", over.join("\n"));
}
