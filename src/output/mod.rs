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

/// The bytes of one output file, shared: a build kept in memory (`serve`) hands its files to the
/// server and to the next build without copying them.
pub type Bytes = std::sync::Arc<[u8]>;

/// Every file of the built site: path under the output folder → bytes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Output {
    pub files: BTreeMap<String, Bytes>,
}

impl Output {
    pub fn total_bytes(&self) -> usize {
        self.files.values().map(|b| b.len()).sum()
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

/// The theme's and the site's static files (the site's override the theme's by path), with the
/// fingerprinted names of the stylesheets and scripts.
#[derive(Debug, Clone, Default)]
pub struct Assets {
    pub files: BTreeMap<String, Vec<u8>>,
    /// `style.css` → `style.1b2c3d4e.css`: names that change when the content does, so that
    /// hosts can cache them for a year.
    pub fingerprinted: BTreeMap<String, String>,
}

impl Assets {
    /// Reads the static folders.
    pub fn load(config: &crate::config::Config) -> Result<Assets, Diagnostics> {
        let mut problems = Diagnostics::default();
        let mut files = BTreeMap::new();
        for folder in [
            config.theme_dir().join("static"),
            config.root.join("static"),
        ] {
            copy_static(&folder, &config.root, &mut files, &mut problems);
        }
        if problems.has_errors() {
            return Err(problems);
        }
        let fingerprinted = files
            .iter()
            .filter(|(path, _)| path.ends_with(".css") || path.ends_with(".js"))
            .filter(|(path, _)| !path.ends_with("sw.js"))
            .map(|(path, bytes)| {
                let (stem, extension) = path.rsplit_once('.').expect("filtered on the extension");
                (
                    path.clone(),
                    format!("{stem}.{:08x}.{extension}", fingerprint(bytes) as u32),
                )
            })
            .collect();
        Ok(Assets {
            files,
            fingerprinted,
        })
    }

    /// The URL path of a static file, fingerprinted when it is a stylesheet or script.
    pub fn url(&self, base_path: &str, path: &str) -> Option<String> {
        let path = path.trim_start_matches('/');
        let name = self
            .fingerprinted
            .get(path)
            .map(String::as_str)
            .or_else(|| self.files.contains_key(path).then_some(path))?;
        Some(format!("{base_path}/{name}"))
    }
}

/// FNV-1a, 64 bits: stable across platforms and Rust releases, which is all a cache-busting name
/// needs.
fn fingerprint(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Puts the rendered pages, static files, sitemap and robots.txt together.
pub fn assemble(
    site: &Site,
    assets: &Assets,
    rendered: Vec<RenderedFile>,
) -> Result<Output, Diagnostics> {
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
    let config = &site.config;
    let mut files: BTreeMap<String, Vec<u8>> = assets
        .files
        .iter()
        .map(|(path, bytes)| {
            (
                assets.fingerprinted.get(path).unwrap_or(path).clone(),
                bytes.clone(),
            )
        })
        .collect();
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
    redirects(site, &mut files, &mut problems);
    files.insert("_headers".into(), headers(assets).into_bytes());
    if problems.has_errors() {
        return Err(problems);
    }
    Ok(Output {
        files: files.into_iter().map(|(p, b)| (p, Bytes::from(b))).collect(),
    })
}

/// `_headers` (read by Netlify and Cloudflare Pages): fingerprinted files are cached for a year;
/// everything is served with `nosniff`.
fn headers(assets: &Assets) -> String {
    let mut text = String::from(
        "/*\n  X-Content-Type-Options: nosniff\n  Referrer-Policy: strict-origin-when-cross-origin\n",
    );
    for name in assets.fingerprinted.values() {
        text.push_str(&format!(
            "/{name}\n  Cache-Control: public, max-age=31536000, immutable\n"
        ));
    }
    text
}

/// The old URLs of pages (`aliases` in front matter): a small page at each that sends the visitor
/// on (for any host), and `_redirects` with a 301 for hosts that read it.
fn redirects(site: &Site, files: &mut BTreeMap<String, Vec<u8>>, problems: &mut Diagnostics) {
    let mut lines = String::new();
    for (i, entry) in site.entries.iter().enumerate() {
        if entry.fallback {
            continue;
        }
        let page = site.page(i);
        for alias in &page.meta.aliases {
            let path = alias.get_ref();
            let valid = path.starts_with('/')
                && !path.contains("..")
                && !path.contains(['?', '#', ' ', '\\']);
            if !valid {
                problems.push(
                    page.error_at(
                        format!("the alias {path:?} is not a path on this site"),
                        alias.span(),
                    )
                    .with_help(
                        "write the old address's path, starting with /, e.g. \"/en/old/page/\"",
                    ),
                );
                continue;
            }
            let file = if path.ends_with(".html") {
                path.trim_start_matches('/').to_string()
            } else {
                format!("{}/index.html", path.trim_matches('/'))
            };
            if files.contains_key(&file) {
                problems.push(
                    page.error_at(
                        format!("the alias {path:?} is the address of another page"),
                        alias.span(),
                    )
                    .with_help("remove the alias: that address is in use"),
                );
                continue;
            }
            let url = &entry.url;
            let permalink = site.config.permalink(url);
            let title = crate::render::escape_html(&page.meta.title);
            let html = format!(
                "<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\"><title>{title}</title><link rel=\"canonical\" href=\"{permalink}\"><meta name=\"robots\" content=\"noindex\"><meta http-equiv=\"refresh\" content=\"0; url={url}\"></head><body><p><a href=\"{url}\">{title}</a></p></body></html>\n",
                lang = entry.lang,
            );
            files.insert(file, html.into_bytes());
            lines.push_str(&format!("{}{path} {url} 301\n", site.config.base_path));
        }
    }
    if !lines.is_empty() {
        files.insert("_redirects".into(), lines.into_bytes());
    }
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
