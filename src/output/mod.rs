//! The output: every file of the built site, in memory, then written.
//!
//! 1. [`assemble`]: minify the rendered HTML (in parallel), add the theme's and the site's static
//!    files, `sitemap.xml` and `robots.txt`. The result is a sorted map from path to bytes: a
//!    pure function of the input, the same whatever the number of threads.
//! 2. [`write`](write::write_atomically): swap it in as the output folder (see [`write`]).
//!
//! Keeping the whole output in memory is what lets `serve` answer from memory and a later build
//! compare with what is on disk to write only what changed.

mod sitemap;
pub mod write;

use std::collections::BTreeMap;
use std::path::Path;

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::error::{Diagnostic, Diagnostics, io_error};
use crate::render::RenderedFile;
use crate::site::Site;
use crate::source::display_path;

/// Every file of the built site: path under the output folder → bytes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Output {
    pub files: BTreeMap<String, Vec<u8>>,
}

impl Output {
    pub fn total_bytes(&self) -> usize {
        self.files.values().map(Vec::len).sum()
    }
}

fn minify_config() -> minify_html::Cfg {
    let mut cfg = minify_html::Cfg::spec_compliant();
    cfg.do_not_minify_doctype = true;
    cfg.ensure_spec_compliant_unquoted_attribute_values = true;
    cfg.keep_html_and_head_opening_tags = true;
    cfg.keep_closing_tags = true;
    cfg.keep_spaces_between_attributes = true;
    cfg.minify_css = false;
    cfg.minify_js = false;
    cfg
}

/// Puts the rendered pages, static files, sitemap and robots.txt together.
pub fn assemble(site: &Site, rendered: Vec<RenderedFile>) -> Result<Output, Diagnostics> {
    let minify = site.config.minify;
    let cfg = minify_config();
    let pages: Vec<(String, Vec<u8>)> = rendered
        .into_par_iter()
        .map(|file| {
            let bytes = if minify && file.path.ends_with(".html") {
                minify_html::minify(&file.bytes, &cfg)
            } else {
                file.bytes
            };
            (file.path, bytes)
        })
        .collect();

    let mut problems = Diagnostics::default();
    let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let config = &site.config;
    for folder in [
        config.theme_dir().join("static"),
        config.root.join("static"),
    ] {
        copy_static(&folder, &config.root, &mut files, &mut problems);
    }
    for (path, bytes) in pages {
        if files.contains_key(&path) {
            problems.push(
                Diagnostic::error(format!(
                    "a static file would overwrite the generated page {path}"
                ))
                .in_file(format!("static/{path}"))
                .with_help("rename or remove the static file"),
            );
        }
        files.insert(path, bytes);
    }
    files.insert("sitemap.xml".into(), sitemap::sitemap(site).into_bytes());
    files.insert(
        "robots.txt".into(),
        format!(
            "User-agent: *\nAllow: /\n\nSitemap: {}/sitemap.xml\n",
            config.base_url
        )
        .into_bytes(),
    );
    if problems.has_errors() {
        return Err(problems);
    }
    Ok(Output { files })
}

/// Reads every file under `folder` into `files` (a later folder overrides an earlier one).
fn copy_static(
    folder: &Path,
    root: &Path,
    files: &mut BTreeMap<String, Vec<u8>>,
    problems: &mut Diagnostics,
) {
    if !folder.is_dir() {
        return;
    }
    for entry in WalkDir::new(folder).sort_by_file_name() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                problems.push(
                    Diagnostic::error(format!("cannot read a static file: {err}"))
                        .in_file(display_path(root, folder)),
                );
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(folder)
            .expect("walkdir yields paths below its root")
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        match std::fs::read(entry.path()) {
            Ok(bytes) => {
                files.insert(rel, bytes);
            }
            Err(e) => problems.push(io_error(
                &display_path(root, entry.path()),
                "read this static file",
                &e,
            )),
        }
    }
}
