//! The content: find the Markdown files of every language and parse them into [`Page`]s.
//!
//! 1. Walk `content/<lang>/` for every configured language, in a fixed (sorted) order.
//! 2. Read and parse the files in parallel; collect every error instead of stopping at the first.
//! 3. Leave out drafts unless asked for them, remembering them so that a link to a draft can say so.

mod page;

use std::path::Path;

use rayon::prelude::*;
use walkdir::WalkDir;

pub use page::{FrontMatter, Page, PageKind, split_front_matter};

use crate::config::Config;
use crate::error::{Diagnostic, Diagnostics, io_error};
use crate::source::{SourceText, display_path};

/// Folders of `content/` that hold data rather than a language's pages.
pub const DATA_FOLDERS: &[&str] = &["services", "agencies"];

/// What was found under `content/`.
#[derive(Debug, Default)]
pub struct Content {
    /// Every page to build, in language order, then path order.
    pub pages: Vec<Page>,
    /// `(lang, rel)` of the drafts left out.
    pub drafts: Vec<(String, String)>,
}

/// Finds and parses the pages of every language.
pub fn discover(config: &Config, with_drafts: bool) -> Result<(Content, Diagnostics), Diagnostics> {
    let content_dir = config.content_dir();
    let mut problems = Diagnostics::default();
    check_top_level(config, &content_dir, &mut problems);

    let mut files: Vec<(String, String)> = Vec::new();
    for language in &config.languages {
        let lang_dir = content_dir.join(&language.code);
        if !lang_dir.is_dir() {
            continue;
        }
        let walker = WalkDir::new(&lang_dir)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| !is_hidden(e.file_name()));
        for entry in walker {
            let entry = match entry {
                Ok(entry) => entry,
                Err(err) => {
                    let path = err.path().unwrap_or(&lang_dir).to_path_buf();
                    problems.push(
                        Diagnostic::error(format!("cannot read this folder: {err}"))
                            .in_file(display_path(&config.root, &path)),
                    );
                    continue;
                }
            };
            if !entry.file_type().is_file() {
                continue;
            }
            let rel = entry
                .path()
                .strip_prefix(&lang_dir)
                .expect("walkdir yields paths below its root");
            let rel = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            if rel.ends_with(".md") {
                files.push((language.code.clone(), rel));
            } else {
                problems.push(
                    Diagnostic::warning("this file is not a Markdown page and is not published")
                        .in_file(display_path(&config.root, entry.path()))
                        .with_help("put images and downloads in static/ and link them from there"),
                );
            }
        }
    }

    let parsed: Vec<Result<Page, Diagnostic>> = files
        .par_iter()
        .map(|(lang, rel)| {
            let file = content_dir.join(lang).join(rel);
            let source = SourceText::read(&file, display_path(&config.root, &file))?;
            Page::parse(lang, rel, source)
        })
        .collect();

    let mut content = Content::default();
    for result in parsed {
        match result {
            Ok(page) if page.meta.draft && !with_drafts => {
                content.drafts.push((page.lang, page.rel));
            }
            Ok(page) => content.pages.push(page),
            Err(d) => problems.push(d),
        }
    }
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
