//! The output: every file of the built site, in memory, then written.
//!
//! 1. [`assemble`]: minify the rendered HTML (in parallel), add the theme's and the site's static
//!    files, `sitemap.xml` and `robots.txt`. The result is a sorted map from path to bytes: a
//!    pure function of the input, the same whatever the number of threads.
//! 2. [`write`](write::write_atomically): swap it in as the output folder (see [`write`]).
//!
//! Keeping the whole output in memory is what lets `serve` answer from memory and a later build
//! compare with what is on disk to write only what changed.

pub mod budget;
pub mod compress;
pub mod sitemap;
pub mod worker;
pub mod write;

use std::collections::{BTreeMap, BTreeSet};

use crate::assets::Assets;
use crate::error::{Diagnostic, Diagnostics};
use crate::images::Images;
use crate::site::Site;

pub use crate::source::Bytes;

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

/// Minifies one rendered HTML file, keeping what validators and old browsers need: `<html>` and
/// `<head>` tags, closing tags, and text escaped as the HTML standard requires (`&lt;`, `&amp;`).
pub fn minify(html: &[u8]) -> Vec<u8> {
    let cfg = simple_minify_html::Cfg {
        keep_closing_tags: true,
        keep_html_and_head_opening_tags: true,
        ..simple_minify_html::Cfg::default()
    };
    simple_minify_html::minify(html, Some(cfg))
}

/// A rendered file as it is written: minified if it is a page and `minify` is on.
pub fn finish_html(path: &str, bytes: Vec<u8>, minify: bool) -> Vec<u8> {
    if minify && path.ends_with(".html") {
        self::minify(&bytes)
    } else {
        bytes
    }
}

/// Puts the rendered (and minified) pages, static files, sitemap and robots.txt together.
pub fn assemble(
    site: &Site,
    assets: &Assets,
    images: &Images,
    pages: BTreeMap<String, Bytes>,
) -> Result<Output, Diagnostics> {
    let paths: BTreeSet<String> = pages.keys().cloned().collect();
    let mut files = extras(site, assets, images, &paths)?;
    files.extend(pages);
    // Last: it is made from the files it keeps.
    worker::refresh(site, assets, &mut files);
    Ok(Output { files })
}

/// Every file of the output but the rendered pages, whose paths are `pages`: the static files,
/// sitemap, robots.txt, the pages that send old addresses on, `_redirects` and `_headers`;
/// checked against the pages (a static file must not overwrite one, an alias must not take a
/// page's address, no two paths may collide on a case-insensitive host).
pub fn extras(
    site: &Site,
    assets: &Assets,
    images: &Images,
    pages: &BTreeSet<String>,
) -> Result<BTreeMap<String, Bytes>, Diagnostics> {
    let mut problems = Diagnostics::default();
    let config = &site.config;
    let mut files: BTreeMap<String, Bytes> = assets
        .files
        .iter()
        .map(|(path, bytes)| {
            (
                assets.fingerprinted.get(path).unwrap_or(path).clone(),
                Bytes::clone(bytes),
            )
        })
        .collect();
    for (path, bytes) in images.files() {
        if files.contains_key(path) {
            problems.push(
                Diagnostic::error(format!(
                    "a static file has the name of a smaller copy of an image: {path}"
                ))
                .in_file(format!("static/{path}"))
                .with_help(
                    "rename the static file: karvan names copies <name>.<width>.<digest>.<format>",
                ),
            );
        }
        files.insert(path.to_string(), Bytes::clone(bytes));
    }
    for path in files.keys() {
        if pages.contains(path) {
            problems.push(
                Diagnostic::error(format!(
                    "a static file would overwrite the generated page {path}"
                ))
                .in_file(format!("static/{path}"))
                .with_help("rename or remove the static file"),
            );
        }
    }
    files.insert(
        "sitemap.xml".into(),
        Bytes::from(sitemap::sitemap(site).into_bytes()),
    );
    files.insert(
        "robots.txt".into(),
        Bytes::from(
            format!(
                "User-agent: *\nAllow: /\n\nSitemap: {}/sitemap.xml\n",
                config.base_url
            )
            .into_bytes(),
        ),
    );
    redirects(site, pages, &mut files, &mut problems);
    files.insert(
        "_headers".into(),
        Bytes::from(headers(site, assets, images).into_bytes()),
    );
    if site.config.app.offline && assets.files.contains_key(worker::PATH) {
        problems.push(
            Diagnostic::error(format!(
                "a static file would overwrite the service worker {}",
                worker::PATH
            ))
            .in_file(format!("static/{}", worker::PATH))
            .with_help(
                "rename or remove the static file, or set `offline = false` in site.toml's [app]",
            ),
        );
    }

    // What would fail to write, or be overwritten on a case-insensitive host, fails here: in
    // `check` as in `build`.
    let mut all: BTreeSet<&str> = pages.iter().map(String::as_str).collect();
    all.extend(files.keys().map(String::as_str));
    for problem in crate::validate::output_files(all) {
        problems.push(
            Diagnostic::error(problem)
                .with_help("rename the page, alias or static file that makes one of them"),
        );
    }
    if problems.has_errors() {
        return Err(problems);
    }
    Ok(files)
}

/// The policy every response carries: scripts, styles, images, fonts and fetches from this site
/// only (the JSON-LD blocks are data, not scripts: no inline script runs), no plugins, no
/// framing, forms posting nowhere else.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; manifest-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/// `_headers` (read by Netlify and Cloudflare Pages). Every response: a strict
/// Content-Security-Policy, `nosniff`, a Referrer-Policy and a Permissions-Policy that turns off
/// what a reading site never needs. Pages (the home, each language's folder) are revalidated on
/// every visit, so an edit is seen at once; fingerprinted files are cached for a year, immutable.
/// (Hosts join the headers of every rule a path matches, so no two rules set the same header for
/// one path.)
fn headers(site: &Site, assets: &Assets, images: &Images) -> String {
    let base = &site.config.base_path;
    let mut text = format!(
        "{base}/*\n  Content-Security-Policy: {CONTENT_SECURITY_POLICY}\n  X-Content-Type-Options: nosniff\n  Referrer-Policy: strict-origin-when-cross-origin\n  Permissions-Policy: camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=()\n"
    );
    let revalidate = "  Cache-Control: public, max-age=0, must-revalidate\n";
    text.push_str(&format!(
        "{base}/\n{revalidate}{base}/index.html\n{revalidate}{base}/404.html\n{revalidate}"
    ));
    for language in &site.config.languages {
        text.push_str(&format!("{base}/{}/*\n{revalidate}", language.code));
    }
    let copies = images.files().map(|(path, _)| path);
    for name in assets
        .fingerprinted
        .values()
        .map(String::as_str)
        .chain(copies)
    {
        text.push_str(&format!(
            "{base}/{name}\n  Cache-Control: public, max-age=31536000, immutable\n"
        ));
    }
    if site.config.app.offline {
        // The browser checks the worker for a new build on every visit; the manifests are
        // under the languages' folders (revalidated), with their media type.
        text.push_str(&format!("{base}/{}\n{revalidate}", worker::PATH));
        for lang in site.config.langs() {
            text.push_str(&format!(
                "{base}/{}\n  Content-Type: application/manifest+json; charset=utf-8\n",
                crate::render::app::manifest_path(site, lang)
            ));
        }
    }
    text
}

/// The old URLs of pages (`aliases` in front matter): a small page at each that sends the visitor
/// on (for any host), and `_redirects` with a 301 for hosts that read it.
fn redirects(
    site: &Site,
    pages: &BTreeSet<String>,
    files: &mut BTreeMap<String, Bytes>,
    problems: &mut Diagnostics,
) {
    let mut lines = String::new();
    for (i, entry) in site.entries.iter().enumerate() {
        if entry.fallback {
            continue;
        }
        let page = site.page(i);
        for alias in &page.meta.aliases {
            let path = alias.get_ref();
            if let Err(why) = crate::validate::site_path(path) {
                problems.push(
                    page.error_at(
                        format!("the alias {path:?} {why}"),
                        alias.span(),
                    )
                    .with_help(
                        "write the old address's path on this site, starting with /, e.g. \"/en/old/page/\"",
                    ),
                );
                continue;
            }
            let file = crate::validate::alias_file(path);
            // Taken by a page or file, or a file where the alias needs a folder, or the reverse.
            let folder_of = |f: &str| f.rsplit_once('/').map(|(dir, _)| dir.to_string());
            let mut ancestors = std::iter::successors(folder_of(&file), |d| folder_of(d));
            let below = format!("{}/", file.trim_end_matches("/index.html"));
            let has = |f: &str| files.contains_key(f) || pages.contains(f);
            let inside = format!("{file}/");
            let has_inside = |set: &mut dyn Iterator<Item = &String>| {
                set.next().is_some_and(|f| f.starts_with(&inside))
            };
            let taken = has(&file)
                || ancestors.any(|d| has(&d))
                || (!file.ends_with("/index.html")
                    && (has_inside(&mut files.range(inside.clone()..).map(|(f, _)| f))
                        || has_inside(&mut pages.range(inside.clone()..))))
                || (file.ends_with("/index.html") && has(below.trim_end_matches('/')));
            if taken {
                problems.push(
                    page.error_at(
                        format!("the alias {path:?} is the address of another page or file"),
                        alias.span(),
                    )
                    .with_help("remove the alias: that address is in use"),
                );
                continue;
            }
            let url = &entry.url;
            let permalink = site.config.permalink(url);
            let title = crate::escape::html(&page.meta.title);
            let html = format!(
                "<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\"><title>{title}</title><link rel=\"canonical\" href=\"{permalink}\"><meta name=\"robots\" content=\"noindex\"><meta http-equiv=\"refresh\" content=\"0; url={url}\"></head><body><p><a href=\"{url}\">{title}</a></p></body></html>\n",
                lang = site.config.code(entry.lang),
            );
            files.insert(file, Bytes::from(html.into_bytes()));
            lines.push_str(&format!("{}{path} {url} 301\n", site.config.base_path));
        }
    }
    // Last, so that every rule above wins: a missing address under a language's folder gets
    // that language's 404 page, with status 404 (hosts apply these only where no file exists).
    let base = &site.config.base_path;
    for language in &site.config.languages {
        let code = &language.code;
        let not_found = format!("{code}/404.html");
        if files.contains_key(&not_found) || pages.contains(&not_found) {
            lines.push_str(&format!("{base}/{code}/* {base}/{code}/404.html 404\n"));
        }
    }
    if !lines.is_empty() {
        files.insert("_redirects".into(), Bytes::from(lines.into_bytes()));
    }
}
