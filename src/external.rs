//! `karvan check --external`: every external link of the content (the official sources of the
//! services, e-service addresses, agency websites, links in pages) requested once, and each dead
//! or redirected one reported at its file and line.
//!
//! 1. [`collect`] finds every `http://` and `https://` address in the files under `content/`
//!    (Markdown and TOML), with where it is written.
//! 2. [`check`] requests each address not found good in the cache of recent results: a `GET`
//!    without following redirects, with a timeout, at most [`Settings::per_host`] requests to
//!    one host at a time (official sites throttle), on a few threads.
//! 3. A dead address (no answer, or a 4xx or 5xx status) is an error, a redirected one a warning
//!    naming where it goes; good answers are kept in the cache for [`Settings::cache_for`].

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::error::{Diagnostic, Diagnostics};
use crate::source::SourceText;

/// How external links are checked.
#[derive(Debug, Clone)]
pub struct Settings {
    /// How long to wait for an answer.
    pub timeout: Duration,
    /// At most this many requests to one host at a time.
    pub per_host: usize,
    /// Requests at a time, over all hosts.
    pub threads: usize,
    /// How long a good answer is trusted without asking again.
    pub cache_for: Duration,
    /// Where the results are kept, relative to the site's folder (`None`: no cache).
    pub cache_file: Option<PathBuf>,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            timeout: Duration::from_secs(10),
            per_host: 2,
            threads: 8,
            cache_for: Duration::from_secs(24 * 60 * 60),
            cache_file: Some(PathBuf::from(".karvan-cache/external-links.json")),
        }
    }
}

/// An address written in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub url: String,
    /// The file, relative to the site's folder.
    pub path: PathBuf,
    /// Where the address is in the file's text.
    pub span: std::ops::Range<usize>,
}

/// What an address answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    Ok,
    Redirect { status: u16, to: String },
    Dead(String),
}

/// Every external address in the files under `content/`, in file order.
pub fn collect(root: &Path) -> (Vec<Link>, Vec<SourceText>) {
    let mut links = Vec::new();
    let mut sources = Vec::new();
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(root.join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|x| x == "md" || x == "toml"))
        .collect();
    files.sort();
    for file in files {
        let shown = crate::source::display_path(root, &file);
        let Ok(source) = SourceText::read(&file, shown) else {
            // An unreadable file is the build's to report.
            continue;
        };
        for (url, span) in addresses(&source.text) {
            links.push(Link {
                url,
                path: source.path.clone(),
                span,
            });
        }
        sources.push(source);
    }
    (links, sources)
}

/// The `http(s)://` addresses in `text` and where they are: an address ends at a space, a quote,
/// a bracket or `<>`, and loses a full stop or comma at its end.
pub fn addresses(text: &str) -> Vec<(String, std::ops::Range<usize>)> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(at) = text[from..].find("http").map(|i| i + from) {
        let rest = &text[at..];
        if !(rest.starts_with("https://") || rest.starts_with("http://")) {
            from = at + 4;
            continue;
        }
        let end = rest
            .find(|c: char| c.is_whitespace() || "\"'<>()[]{}`|\\".contains(c))
            .unwrap_or(rest.len());
        let url = rest[..end].trim_end_matches(['.', ',', ';', ':', '!', '?', '*']);
        let scheme_len = if url.starts_with("https") { 8 } else { 7 };
        if url.len() > scheme_len {
            found.push((url.to_string(), at..at + url.len()));
        }
        from = at + end.max(4);
    }
    found
}

/// The host of an address, for the per-host limit.
fn host(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest.split(['/', '?', '#']).next().unwrap_or(rest)
}

/// Requests every external address of the site (see the module's steps); the dead ones are
/// errors, the redirected ones warnings.
pub fn check(root: &Path, settings: &Settings) -> Diagnostics {
    let (links, sources) = collect(root);
    let mut by_url: BTreeMap<&str, Vec<&Link>> = BTreeMap::new();
    for link in &links {
        by_url.entry(&link.url).or_default().push(link);
    }
    let cache_file = settings.cache_file.as_ref().map(|f| root.join(f));
    let mut cache = cache_file.as_deref().map(Cache::read).unwrap_or_default();
    let now = now();
    let to_ask: Vec<&str> = by_url
        .keys()
        .copied()
        .filter(|url| !cache.is_fresh(url, now, settings.cache_for))
        .collect();
    let answers = request_all(&to_ask, settings);
    let mut problems = Diagnostics::default();
    for (url, answer) in &answers {
        if *answer == Answer::Ok {
            cache.good.insert(url.to_string(), now);
        } else {
            cache.good.remove(*url);
        }
    }
    if let Some(file) = &cache_file {
        // A cache that cannot be written costs time next run, nothing else.
        let _ = cache.write(file);
    }
    for (url, answer) in answers {
        for link in &by_url[url] {
            let source = sources
                .iter()
                .find(|s| s.path == link.path)
                .expect("every link comes from a source read");
            let diagnostic = match &answer {
                Answer::Ok => continue,
                Answer::Redirect { status, to } => Diagnostic::warning(format!(
                    "{url} redirects ({status}) to {to}"
                ))
                .with_help("if the new address is the right page, write it here instead"),
                Answer::Dead(why) => Diagnostic::error(format!("{url} is dead: {why}"))
                    .with_help(
                        "find where the page has moved on the official site and correct the address, or remove the link",
                    ),
            };
            problems.push(
                diagnostic
                    .in_file(&link.path)
                    .at_span(&source.text, link.span.clone()),
            );
        }
    }
    problems.sort();
    problems
}

/// Requests each address, at most `per_host` to a host at a time, on `threads` threads.
fn request_all<'a>(urls: &[&'a str], settings: &Settings) -> Vec<(&'a str, Answer)> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(settings.timeout))
        .max_redirects(0)
        .http_status_as_error(false)
        .user_agent(concat!(
            "karvan/",
            env!("CARGO_PKG_VERSION"),
            " (link check)"
        ))
        .build()
        .into();
    // Each host's addresses dealt into `per_host` lanes; a lane is requested in order, so a host
    // never has more than `per_host` requests open.
    let mut hosts: BTreeMap<&str, Vec<&'a str>> = BTreeMap::new();
    for url in urls {
        hosts.entry(host(url)).or_default().push(url);
    }
    let mut lanes: Vec<Vec<&'a str>> = Vec::new();
    for urls in hosts.into_values() {
        let count = settings.per_host.max(1).min(urls.len());
        let mut host_lanes = vec![Vec::new(); count];
        for (i, url) in urls.into_iter().enumerate() {
            host_lanes[i % count].push(url);
        }
        lanes.extend(host_lanes);
    }
    let queue = Mutex::new(lanes);
    let answers = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..settings.threads.max(1) {
            scope.spawn(|| {
                loop {
                    let lane = queue.lock().map(|mut q| q.pop());
                    let Ok(Some(lane)) = lane else { break };
                    for url in lane {
                        let answer = request(&agent, url);
                        if let Ok(mut answers) = answers.lock() {
                            answers.push((url, answer));
                        }
                    }
                }
            });
        }
    });
    let mut answers = answers.into_inner().unwrap_or_default();
    answers.sort_by(|a, b| a.0.cmp(b.0));
    answers
}

fn request(agent: &ureq::Agent, url: &str) -> Answer {
    match agent.get(url).call() {
        Ok(response) => {
            let status = response.status().as_u16();
            match status {
                200..=299 => Answer::Ok,
                300..=399 => {
                    let to = response
                        .headers()
                        .get("location")
                        .and_then(|l| l.to_str().ok())
                        .unwrap_or("")
                        .to_string();
                    Answer::Redirect {
                        status,
                        to: absolute(url, &to),
                    }
                }
                _ => Answer::Dead(
                    format!(
                        "{status} {}",
                        response.status().canonical_reason().unwrap_or("")
                    )
                    .trim_end()
                    .to_string(),
                ),
            }
        }
        Err(ureq::Error::Timeout(_)) => Answer::Dead("no answer in time".into()),
        Err(e) => Answer::Dead(e.to_string()),
    }
}

/// A `Location` made absolute against the address it came from.
fn absolute(base: &str, location: &str) -> String {
    if location.contains("://") {
        return location.to_string();
    }
    let (scheme, rest) = base.split_once("://").unwrap_or(("https", base));
    let host = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    if location.starts_with('/') {
        format!("{scheme}://{host}{location}")
    } else {
        let dir = base.rsplit_once('/').map_or(base, |(d, _)| d);
        format!("{dir}/{location}")
    }
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// The addresses that answered well, and when (seconds since 1970).
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
struct Cache {
    good: HashMap<String, u64>,
}

impl Cache {
    fn read(file: &Path) -> Cache {
        std::fs::read(file)
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default()
    }

    fn write(&self, file: &Path) -> std::io::Result<()> {
        let sorted: BTreeMap<&String, &u64> = self.good.iter().collect();
        let text = serde_json::to_string_pretty(&serde_json::json!({ "good": sorted }))
            .expect("the cache serialises");
        crate::output::write::replace_file(file, text.as_bytes())
    }

    fn is_fresh(&self, url: &str, now: u64, cache_for: Duration) -> bool {
        self.good
            .get(url)
            .is_some_and(|&at| now.saturating_sub(at) < cache_for.as_secs())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_addresses_in_markdown_and_toml_without_trailing_punctuation() {
        let text = "See [the law](https://e-qanun.az/framework/46944). Also https://migration.gov.az/en, and\nurl = \"http://example.org/a?b=1\"\nnot a link: httpx://no";
        let found: Vec<String> = addresses(text).into_iter().map(|(u, _)| u).collect();
        assert_eq!(
            found,
            [
                "https://e-qanun.az/framework/46944",
                "https://migration.gov.az/en",
                "http://example.org/a?b=1"
            ]
        );
    }

    #[test]
    fn makes_a_relative_location_absolute() {
        assert_eq!(absolute("https://a.az/x/y", "/new"), "https://a.az/new");
        assert_eq!(absolute("https://a.az/x/y", "z"), "https://a.az/x/z");
        assert_eq!(absolute("https://a.az/x", "https://b.az/"), "https://b.az/");
    }
}
