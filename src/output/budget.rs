//! Budgets for visitors on slow, metered connections: what a page costs on the wire.
//!
//! For every HTML page: its size compressed (gzip, what every host can serve) with the
//! stylesheets it links, against `page` (default 14 KB: what arrives in the first round trips of a
//! new connection); the first view, that plus every script, icon and image the page loads without
//! `loading="lazy"`, against `first_view` (default 30 KB); and no request to another site. A page
//! over a budget is a warning (an error with `--strict`) naming the page and its size; the report
//! lists the heaviest pages.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rayon::prelude::*;

use super::Output;
use crate::config::Budget;
use crate::error::{Diagnostic, Diagnostics};

/// How many of the heaviest pages the report lists.
const HEAVIEST: usize = 5;

/// What one page costs.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Weight {
    pub path: String,
    /// The HTML and its stylesheets, compressed, in bytes.
    pub page: usize,
    /// Everything the first view loads, compressed where text, in bytes.
    pub first_view: usize,
}

/// What one page loads, weighed as it is made (from any thread): the files that are not pages
/// at once, the pages it loads (rare) by [`Weigher::finish`], when every page is weighed.
#[derive(Debug)]
pub struct Weighed {
    path: String,
    /// The HTML compressed.
    html: usize,
    /// The compressed sizes of the other files it loads: its stylesheets, and the rest of its
    /// first view.
    styles: usize,
    first_view: usize,
    /// What is weighed when every page is: the pages it loads (an iframe; rare), and other
    /// sites' files (left in `styles` and `first_view` here), with the addresses of the latter
    /// in `third_party`.
    loads: Loads,
}

/// Weighs pages against the budgets, given every other file of the output.
pub struct Weigher<'a> {
    budget: &'a Budget,
    base_path: &'a str,
    /// The sizes (compressed where text) of the files pages may load: every file of the output
    /// but the pages.
    sizes: HashMap<String, usize>,
}

impl<'a> Weigher<'a> {
    /// `files`: the output's files but its rendered pages (static files, generated extras).
    pub fn new(
        files: &BTreeMap<String, crate::output::Bytes>,
        budget: &'a Budget,
        base_path: &'a str,
    ) -> Weigher<'a> {
        let sizes = files
            .par_iter()
            .filter(|(path, _)| !path.ends_with(".html"))
            .map(|(path, bytes)| {
                let size = if is_text(path) {
                    gzip_len(bytes)
                } else {
                    bytes.len()
                };
                (path.clone(), size)
            })
            .collect();
        Weigher {
            budget,
            base_path,
            sizes,
        }
    }

    /// Weighs one HTML page; `gzip`: its compressed size if already known (its `.gz` sibling).
    pub fn weigh(&self, path: &str, html: &[u8], gzip: Option<usize>) -> Weighed {
        let mut loads = Loads::of(&String::from_utf8_lossy(html), self.base_path);
        // What is not a page is weighed now: only what is kept is held until the end.
        let known = |paths: &mut Vec<String>| {
            let mut size = 0;
            paths.retain(|path| match self.sizes.get(path) {
                Some(cost) => {
                    size += cost;
                    false
                }
                None => true,
            });
            paths.shrink_to_fit();
            size
        };
        Weighed {
            path: path.to_string(),
            html: gzip.unwrap_or_else(|| gzip_len(html)),
            styles: known(&mut loads.styles),
            first_view: known(&mut loads.first_view),
            loads,
        }
    }

    /// The heaviest pages (heaviest first) and a warning for each page over a budget or loading
    /// something from another site, in the pages' order.
    pub fn finish(&self, mut pages: Vec<Weighed>) -> (Vec<Weight>, Diagnostics) {
        pages.sort_by(|a, b| a.path.cmp(&b.path));
        let budget = self.budget;
        let mut problems = Diagnostics::default();
        let mut weights: Vec<Weight> = Vec::with_capacity(pages.len());
        // A page loaded by another counts at its compressed size too (rare: an iframe).
        // The files `weigh` left: pages (weighed by now) and other sites' files (not counted).
        let cost = |path: &String| {
            pages
                .binary_search_by(|p| p.path.as_str().cmp(path))
                .map_or(0, |i| pages[i].html)
        };
        for weighed in &pages {
            let (path, load) = (&weighed.path, &weighed.loads);
            let page = weighed.html + weighed.styles + load.styles.iter().map(cost).sum::<usize>();
            let first_view =
                page + weighed.first_view + load.first_view.iter().map(cost).sum::<usize>();
            let shown = format!("{}/{path}", self.base_path);
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
}

/// Weighs every page of `output`: the heaviest pages (heaviest first) and a warning for each
/// page over a budget or loading something from another site.
pub fn check(output: &Output, budget: &Budget, base_path: &str) -> (Vec<Weight>, Diagnostics) {
    let weigher = Weigher::new(&output.files, budget, base_path);
    let pages: Vec<Weighed> = output
        .files
        .par_iter()
        .filter(|(path, _)| path.ends_with(".html"))
        .map(|(path, html)| weigher.weigh(path, html, None))
        .collect();
    weigher.finish(pages)
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

/// The size of `bytes` compressed as their `.gz` sibling would be.
fn gzip_len(bytes: &[u8]) -> usize {
    let precompress = super::compress::Precompress::default();
    super::compress::gzip(bytes, precompress.gzip).len()
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
            // The tag's name, compared without allocating: a page has hundreds of tags.
            let name = &tag[..tag.bytes().take_while(u8::is_ascii_alphanumeric).count()];
            let is = |names: &[&str]| names.iter().any(|n| name.eq_ignore_ascii_case(n));
            let end = tag.find('>').unwrap_or(tag.len());
            let tag = &tag[..end];
            let (url, style) = match () {
                () if is(&["link"]) => {
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
                () if is(&["script", "iframe", "video", "audio", "source", "embed"]) => {
                    (attribute(tag, "src"), false)
                }
                () if is(&["img"]) => {
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
