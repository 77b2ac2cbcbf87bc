//! Budgets for visitors on slow, metered connections: what a page costs on the wire.
//!
//! For every HTML page: its size compressed (gzip, what every host can serve) with the
//! stylesheets it links, against `page` (default 14 KB: what arrives in the first round trips of a
//! new connection); the first view, that plus every script, icon and image the page loads without
//! `loading="lazy"`, against `first_view` (default 30 KB); and no request to another site. A page
//! over a budget is a warning (an error with `--strict`) naming the page and its size; the report
//! lists the heaviest pages.

use std::collections::{BTreeSet, HashMap};
use std::io::Write;

use rayon::prelude::*;

use super::Output;
use crate::config::Budget;
use crate::error::{Diagnostic, Diagnostics};

/// How many of the heaviest pages the report lists.
const HEAVIEST: usize = 5;

/// What one page costs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Weight {
    pub path: String,
    /// The HTML and its stylesheets, compressed, in bytes.
    pub page: usize,
    /// Everything the first view loads, compressed where text, in bytes.
    pub first_view: usize,
}

/// Weighs every page of `output`: the heaviest pages (heaviest first) and a warning for each
/// page over a budget or loading something from another site.
pub fn check(output: &Output, budget: &Budget, base_path: &str) -> (Vec<Weight>, Diagnostics) {
    let pages: Vec<(&String, &[u8])> = output
        .files
        .iter()
        .filter(|(path, _)| path.ends_with(".html"))
        .map(|(path, bytes)| (path, &bytes[..]))
        .collect();
    let loads: Vec<Loads> = pages
        .par_iter()
        .map(|(_, html)| Loads::of(&String::from_utf8_lossy(html), base_path))
        .collect();
    // Every file a page may load, compressed once.
    let mut wanted: Vec<&str> = loads
        .iter()
        .flat_map(|l| l.styles.iter().chain(&l.first_view))
        .map(String::as_str)
        .collect();
    wanted.sort_unstable();
    wanted.dedup();
    let cache: HashMap<&str, usize> = wanted
        .par_iter()
        .map(|&path| {
            let size = output.files.get(path).map_or(0, |bytes| {
                if is_text(path) {
                    gzip_len(bytes)
                } else {
                    bytes.len()
                }
            });
            (path, size)
        })
        .collect();
    let sizes: Vec<usize> = pages.par_iter().map(|(_, html)| gzip_len(html)).collect();
    let mut problems = Diagnostics::default();
    let mut weights: Vec<Weight> = Vec::with_capacity(pages.len());
    let cost = |path: &String| cache.get(path.as_str()).copied().unwrap_or(0);
    for (((path, _), load), html) in pages.iter().zip(&loads).zip(sizes) {
        let page = html + load.styles.iter().map(cost).sum::<usize>();
        let first_view = page + load.first_view.iter().map(cost).sum::<usize>();
        let shown = format!("{base_path}/{path}");
        if page > budget.page_kb * 1024 {
            problems.push(
                Diagnostic::warning(format!(
                    "{shown} weighs {} compressed with its stylesheet, over the page budget of {} KB",
                    kb(page),
                    budget.page_kb
                ))
                .with_help("split the page, or shorten its longest table or list; the budget is [budget] page_kb in site.toml"),
            );
        }
        if first_view > budget.first_view_kb * 1024 {
            problems.push(
                Diagnostic::warning(format!(
                    "{shown} loads {} on its first view, over the budget of {} KB",
                    kb(first_view),
                    budget.first_view_kb
                ))
                .with_help("give images below the first screen loading=\"lazy\", or make them smaller; the budget is [budget] first_view_kb in site.toml"),
            );
        }
        for url in &load.third_party {
            problems.push(
                Diagnostic::warning(format!("{shown} loads {url} from another site"))
                    .with_help("copy the file into static/ and link it from there: visitors should not be tracked or slowed by other sites"),
            );
        }
        weights.push(Weight {
            path: path.to_string(),
            page,
            first_view,
        });
    }
    weights.sort_by(|a, b| b.page.cmp(&a.page).then_with(|| a.path.cmp(&b.path)));
    weights.truncate(HEAVIEST);
    (weights, problems)
}

/// A size in kilobytes for people: `9.1 KB`.
pub fn kb(bytes: usize) -> String {
    format!("{:.1} KB", bytes as f64 / 1024.0)
}

fn is_text(path: &str) -> bool {
    [
        ".html",
        ".css",
        ".js",
        ".json",
        ".svg",
        ".xml",
        ".webmanifest",
    ]
    .iter()
    .any(|ext| path.ends_with(ext))
}

fn gzip_len(bytes: &[u8]) -> usize {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(6));
    encoder.write_all(bytes).expect("compressing into memory");
    encoder.finish().expect("compressing into memory").len()
}

/// What a page loads: stylesheets, the rest of its first view, and other sites' files.
#[derive(Debug, Default, PartialEq, Eq)]
struct Loads {
    /// Output paths of the stylesheets.
    styles: Vec<String>,
    /// Output paths of scripts, icons and images loaded at once.
    first_view: Vec<String>,
    /// Addresses on other sites that the page loads (not links it offers).
    third_party: Vec<String>,
}

impl Loads {
    fn of(html: &str, base_path: &str) -> Loads {
        let mut loads = Loads::default();
        let mut seen: BTreeSet<String> = BTreeSet::new();
        for tag in html.split('<').skip(1) {
            let name: String = tag
                .chars()
                .take_while(char::is_ascii_alphanumeric)
                .collect::<String>()
                .to_ascii_lowercase();
            let end = tag.find('>').unwrap_or(tag.len());
            let tag = &tag[..end];
            let (url, style) = match name.as_str() {
                "link" => {
                    let rel = attribute(tag, "rel")
                        .unwrap_or_default()
                        .to_ascii_lowercase();
                    let loads_now = rel.split_whitespace().any(|r| {
                        matches!(
                            r,
                            "stylesheet" | "icon" | "preload" | "modulepreload" | "manifest"
                        )
                    });
                    if !loads_now {
                        continue;
                    }
                    (attribute(tag, "href"), rel.contains("stylesheet"))
                }
                "script" | "iframe" | "video" | "audio" | "source" | "embed" => {
                    (attribute(tag, "src"), false)
                }
                "img" => {
                    if attribute(tag, "loading").as_deref() == Some("lazy") {
                        // Not on the first view; still not from another site.
                        if let Some(src) = attribute(tag, "src")
                            && is_other_site(&src)
                        {
                            loads.third_party.push(src);
                        }
                        continue;
                    }
                    (attribute(tag, "src"), false)
                }
                _ => continue,
            };
            let Some(url) = url else { continue };
            if is_other_site(&url) {
                loads.third_party.push(url);
                continue;
            }
            let Some(path) = url
                .strip_prefix(base_path)
                .and_then(|p| p.strip_prefix('/'))
                .map(|p| p.split(['?', '#']).next().unwrap_or(p).to_string())
            else {
                continue;
            };
            if !seen.insert(path.clone()) {
                continue;
            }
            if style {
                loads.styles.push(path);
            } else {
                loads.first_view.push(path);
            }
        }
        loads
    }
}

fn is_other_site(url: &str) -> bool {
    url.starts_with("http://") || url.starts_with("https://") || url.starts_with("//")
}

/// The value of `name` in a tag's attributes (minified HTML: quoted or not).
fn attribute(tag: &str, name: &str) -> Option<String> {
    let mut rest = tag;
    while let Some(at) = rest.find(name) {
        let before = rest[..at].chars().next_back();
        let after = &rest[at + name.len()..];
        rest = after;
        if !matches!(before, Some(' ' | '\n' | '\t')) || !after.starts_with('=') {
            continue;
        }
        let value = &after[1..];
        return Some(match value.chars().next() {
            Some(q @ ('"' | '\'')) => value[1..].split(q).next().unwrap_or("").to_string(),
            _ => value
                .split([' ', '>', '\n', '\t'])
                .next()
                .unwrap_or("")
                .trim_end_matches('/')
                .to_string(),
        });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_what_a_page_loads_and_from_where() {
        let loads = Loads::of(
            "<link href=/style.1.css rel=stylesheet><link href=/favicon.svg rel=icon type=image/svg+xml><link rel=canonical href=https://e.org/en/><link href=/en/ hreflang=en rel=alternate><script src=/a.js defer></script><img src=\"/x.png\" alt=\"\"><img loading=lazy src=/y.png><img src=https://cdn.example/t.gif><a href=https://other.example/>x</a>",
            "",
        );
        assert_eq!(loads.styles, ["style.1.css"]);
        assert_eq!(loads.first_view, ["favicon.svg", "a.js", "x.png"]);
        assert_eq!(loads.third_party, ["https://cdn.example/t.gif"]);
    }

    #[test]
    fn pages_over_a_budget_are_named_with_their_size() {
        let mut output = Output::default();
        let heavy: String = (0..4000)
            .map(|i| format!("<p>{i} {}</p>", i * 7919 % 104_729))
            .collect();
        output.files.insert(
            "en/heavy/index.html".into(),
            format!("<link href=/style.css rel=stylesheet>{heavy}")
                .into_bytes()
                .into(),
        );
        output
            .files
            .insert("en/index.html".into(), b"<p>small</p>".to_vec().into());
        output
            .files
            .insert("style.css".into(), b"p{margin:0}".to_vec().into());
        let (weights, problems) = check(&output, &Budget::default(), "");
        assert_eq!(weights[0].path, "en/heavy/index.html");
        assert!(weights[0].page > 14 * 1024);
        let text = problems.to_string();
        assert!(text.contains("/en/heavy/index.html weighs "), "{text}");
        assert!(text.contains("over the page budget of 14 KB"), "{text}");
        assert!(!text.contains("/en/index.html"), "{text}");
    }
}
