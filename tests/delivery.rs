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
