//! The content: find the Markdown files of every language and parse them into [`Page`]s.
//!
//! 1. Walk `content/<lang>/` for every configured language, in a fixed (sorted) order.
//! 2. Read and parse the files in parallel; collect every error instead of stopping at the first.
//! 3. Leave out drafts unless asked for them, remembering them so that a link to a draft can say so.
//!
//! What was found is kept file by file: after an edit, [`Content::update`] reads again only the
//! files and folders that changed.

mod page;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

pub use page::{FrontMatter, Page, PageImage, PageKind, split_front_matter};

use crate::config::{Config, Lang};
use crate::error::{Diagnostic, Diagnostics, io_error};
use crate::source::{SourceText, display_path};

/// Folders of `content/` that hold data rather than a language's pages.
pub const DATA_FOLDERS: &[&str] = &["services", "agencies"];

/// One file found under `content/<lang>/`.
#[derive(Debug, Clone)]
enum Found {
    Page(Arc<Page>),
    /// A draft, left out unless drafts are built.
    Draft(Arc<Page>),
    /// A file that is not Markdown: warned about, not published.
    Other,
    /// A file that cannot be read or parsed.
    Broken(Diagnostic),
}

/// What was found under `content/`: every file of every language, kept so that a later
/// [`Content::update`] re-reads only the files that changed.
#[derive(Debug, Clone, Default)]
pub struct Content {
    /// By language (in site.toml's order) and path, in the order a sorted walk finds them.
    files: BTreeMap<(Lang, String), (String, Found)>,
    with_drafts: bool,
    /// Whether the pages' Markdown bodies are set aside once parsed (see
    /// [`Page::shelve_body`]): a build that will not be updated reads each again when it renders
    /// it.
    shelve: bool,
}

/// The sort key of a path under `content/<lang>/`: component by component, as a sorted walk of
/// the folders visits them (`a/b.md` before `a-c.md`).
fn order_key(rel: &str) -> String {
    rel.replace('/', "\0")
}

impl Content {
    /// Every page to build, in language order, then path order.
    pub fn pages(&self) -> impl Iterator<Item = &Arc<Page>> {
        self.files.values().filter_map(|(_, found)| match found {
            Found::Page(page) => Some(page),
            Found::Draft(page) if self.with_drafts => Some(page),
            _ => None,
        })
    }

    /// `(lang, rel)` of the drafts left out.
    pub fn drafts(&self) -> impl Iterator<Item = (Lang, &str)> {
        self.files.values().filter_map(|(_, found)| match found {
            Found::Draft(page) if !self.with_drafts => Some((page.lang, page.rel.as_str())),
            _ => None,
        })
    }

    /// The problems found: files that do not parse (errors) and files that are not pages
    /// (warnings), and folders of `content/` that are not a language.
    pub fn problems(&self, config: &Config) -> Diagnostics {
        let mut problems = Diagnostics::default();
        check_top_level(config, &config.content_dir(), &mut problems);
        for (lang, (rel, found)) in self.files.iter().map(|((l, _), f)| (l, f)) {
            match found {
                Found::Broken(d) => problems.push(d.clone()),
                Found::Other => {
                    let code = config.code(*lang);
                    problems.push(
                        Diagnostic::warning(
                            "this file is not a Markdown page and is not published",
                        )
                        .in_file(format!("content/{code}/{rel}"))
                        .with_help("put images and downloads in static/ and link them from there"),
                    );
                }
                Found::Page(_) | Found::Draft(_) => {}
            }
        }
        problems
    }

    /// Finds and parses the pages of every language.
    pub fn discover(config: &Config, with_drafts: bool, shelve: bool) -> Content {
        let mut content = Content {
            files: BTreeMap::new(),
            with_drafts,
            shelve,
        };
        for lang in config.langs() {
            let lang_dir = config.content_dir().join(config.code(lang));
            content.rescan(config, lang, &lang_dir, "");
        }
        content
    }

    /// Brings the content up to date after `changed` (files or folders under `content/`,
    /// created, edited or removed) changed. Paths outside the languages' folders are ignored.
    pub fn update(&mut self, config: &Config, changed: &[PathBuf]) {
        let content_dir = config.content_dir();
        for path in changed {
            let Ok(rest) = path.strip_prefix(&content_dir) else {
                continue;
            };
            let mut parts = rest.components().map(|c| c.as_os_str().to_string_lossy());
            let Some(code) = parts.next() else {
                // content/ itself: everything.
                *self = Content::discover(config, self.with_drafts, self.shelve);
                return;
            };
            let Some(lang) = config.lang(&code) else {
                continue;
            };
            let rel = parts.collect::<Vec<_>>().join("/");
            let lang_dir = content_dir.join(code.as_ref());
            self.rescan(config, lang, &lang_dir, &rel);
        }
    }

    /// The language (index in site.toml's order) and path under `content/<lang>/` of a file
    /// under `content/`.
    pub fn locate(config: &Config, path: &Path) -> Option<(Lang, String)> {
        let rest = path.strip_prefix(config.content_dir()).ok()?;
        let mut parts = rest.components().map(|c| c.as_os_str().to_string_lossy());
        let code = parts.next()?;
        let lang = config.lang(&code)?;
        Some((lang, parts.collect::<Vec<_>>().join("/")))
    }

    /// The published page at `rel` in language `lang`, if it is one.
    pub fn page(&self, lang: Lang, rel: &str) -> Option<&Arc<Page>> {
        match self.files.get(&(lang, order_key(rel))) {
            Some((_, Found::Page(page))) => Some(page),
            Some((_, Found::Draft(page))) if self.with_drafts => Some(page),
            _ => None,
        }
    }

    /// Reads the page at `rel` in language `lang` again, without keeping it.
    pub fn read(config: &Config, lang: Lang, rel: &str) -> Result<Page, Diagnostic> {
        let code = config.code(lang);
        let file = config.content_dir().join(code).join(rel);
        let source = SourceText::read_in_site(&config.root, &file)?;
        Page::parse(lang, rel, source)
    }

    /// Keeps `page` as the published page at its place (read with [`Content::read`]).
    pub fn set_page(&mut self, page: Arc<Page>) {
        let lang = page.lang;
        let rel = page.rel.clone();
        let found = if page.meta.draft {
            Found::Draft(page)
        } else {
            Found::Page(page)
        };
        self.files.insert((lang, order_key(&rel)), (rel, found));
    }

    /// Forgets what was known at and below `rel` (a file or a folder, `` for the whole
    /// language) and reads it again from disk.
    fn rescan(&mut self, config: &Config, lang: Lang, lang_dir: &Path, rel: &str) {
        let key = order_key(rel);
        let below = if rel.is_empty() {
            String::new()
        } else {
            format!("{key}\0")
        };
        let stale: Vec<(Lang, String)> = self
            .files
            .range((lang, key.clone())..)
            .take_while(|((l, k), _)| *l == lang && (*k == key || k.starts_with(&below)))
            .map(|(k, _)| k.clone())
            .collect();
        for k in stale {
            self.files.remove(&k);
        }
        let start = if rel.is_empty() {
            lang_dir.to_path_buf()
        } else {
            lang_dir.join(rel)
        };
        if !start.exists() || is_hidden_path(rel) {
            return;
        }
        let (files, problems) = crate::source::walk_site(&config.root, &start, is_hidden);
        for (path, problem) in problems {
            let rel = rel_path(lang_dir, &path);
            self.files
                .insert((lang, order_key(&rel)), (rel, Found::Broken(problem)));
        }
        let found: Vec<String> = files.iter().map(|f| rel_path(lang_dir, f)).collect();
        let shelve = self.shelve;
        let parsed: Vec<(String, Found)> = found
            .into_par_iter()
            .map(|rel| {
                let found = if rel.ends_with(".md") {
                    let file = lang_dir.join(&rel);
                    let page = SourceText::read_found(&config.root, &file)
                        .and_then(|source| Page::parse(lang, &rel, source))
                        .map(|mut page| {
                            if shelve {
                                page.shelve_body();
                            }
                            page
                        });
                    match page {
                        Ok(page) if page.meta.draft => Found::Draft(Arc::new(page)),
                        Ok(page) => Found::Page(Arc::new(page)),
                        Err(d) => Found::Broken(d),
                    }
                } else {
                    Found::Other
                };
                (rel, found)
            })
            .collect();
        for (rel, found) in parsed {
            self.files.insert((lang, order_key(&rel)), (rel, found));
        }
    }
}

fn rel_path(base: &Path, path: &Path) -> String {
    path.strip_prefix(base)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

fn is_hidden_path(rel: &str) -> bool {
    rel.split('/')
        .any(|part| is_hidden(std::ffi::OsStr::new(part)))
}

/// Finds and parses the pages of every language; fails on a file that does not parse. With
/// `shelve`, the pages' bodies are set aside, to be read again when rendered.
pub fn discover(
    config: &Config,
    with_drafts: bool,
    shelve: bool,
) -> Result<(Content, Diagnostics), Diagnostics> {
    let content = Content::discover(config, with_drafts, shelve);
    let problems = content.problems(config);
    if problems.has_errors() {
        return Err(problems);
    }
    Ok((content, problems))
}

/// Warns about folders of `content/` that are neither a language nor a data folder: most likely a
/// language that site.toml does not list.
fn check_top_level(config: &Config, content_dir: &Path, problems: &mut Diagnostics) {
    let entries = match std::fs::read_dir(content_dir) {
        Ok(entries) => entries,
        Err(err) => {
            problems.push(
                io_error(
                    &display_path(&config.root, content_dir),
                    "read the content folder",
                    &err,
                )
                .with_help("create content/<language>/_index.md for each language"),
            );
            return;
        }
    };
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| !is_hidden(name.as_ref()))
        .collect();
    names.sort();
    for name in names {
        if config.language(&name).is_none() && !DATA_FOLDERS.contains(&name.as_str()) {
            problems.push(
                Diagnostic::warning(format!(
                    "content/{name} is not a configured language; its pages are not built"
                ))
                .in_file(format!("content/{name}"))
                .with_help(format!(
                    "add a [[languages]] table with code = \"{name}\" to site.toml, or move the folder"
                )),
            );
        }
    }
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str()
        .is_some_and(|n| n.starts_with('.') && n.len() > 1)
}
