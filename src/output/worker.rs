//! The service worker, `sw.js` at the site's root (site.toml's `[app] offline`): written last,
//! from the output itself, because it names the files it keeps and its version is the digest
//! of their bytes (see `sw.js` beside this file for what it does with them).
//!
//! It keeps, from install: the root's language chooser and every language's home, services
//! index, offline page and search page, and the stylesheets and the scripts of pages. A build that changes one of them
//! changes the version, so the browser installs the new worker, which keeps the new files and
//! deletes the old cache. It is made again whenever the output is assembled, and after the
//! short ways of [`crate::engine::Session::update`], so that it is always the clean build's.

use std::collections::BTreeMap;
use std::hash::Hasher;

use crate::assets::Assets;
use crate::record::StableHasher;
use crate::site::{Generated, Site, encode_path};
use crate::source::Bytes;

/// Where the worker is, under the output folder (the root: its scope is the whole site).
pub const PATH: &str = "sw.js";

/// What the worker does; the build puts the site's facts (`SITE`) before it.
const SCRIPT: &str = include_str!("sw.js");

/// The output paths the worker keeps from install, in order: the chooser, then per language its
/// home, services index, offline page and search page, then the stylesheets and the scripts of
/// pages. Only files the output has.
pub fn precached(site: &Site, assets: &Assets, files: &BTreeMap<String, Bytes>) -> Vec<String> {
    wanted(site, assets, |p| files.contains_key(p))
}

/// The paths the worker keeps among those `has` says the output has (see [`precached`]).
pub fn wanted(site: &Site, assets: &Assets, has: impl Fn(&str) -> bool) -> Vec<String> {
    let mut paths = vec!["index.html".to_string()];
    for lang in site.config.langs() {
        if let Some(home) = site.home(lang) {
            paths.push(site.entries[home].output.clone());
        }
        if !site.catalog.services.is_empty() {
            paths.push(format!(
                "{}index.html",
                site.generated_path(lang, Generated::Services)
            ));
        }
        paths.push(crate::render::app::offline_path(site, lang));
        // Its A–Z list leads to every page, offline too (the index is kept once searched).
        paths.push(format!(
            "{}index.html",
            crate::render::search::page_path(site, lang)
        ));
    }
    paths.extend(
        assets
            .fingerprinted
            .iter()
            .filter(|(source, _)| {
                source.ends_with(".css") || *source == "app.js" || *source == "search.js"
            })
            .map(|(_, name)| name.clone()),
    );
    paths.retain(|p| has(p));
    let mut seen = std::collections::HashSet::new();
    paths.retain(|p| seen.insert(p.clone()));
    paths
}

/// The URL of an output path: `az/index.html` → `/az/`.
pub fn url_of(base_path: &str, path: &str) -> String {
    let path = path.strip_suffix("index.html").unwrap_or(path);
    format!("{base_path}/{}", encode_path(path))
}

/// The worker for this output: `None` when `[app] offline` is off.
pub fn service_worker(
    site: &Site,
    assets: &Assets,
    files: &BTreeMap<String, Bytes>,
) -> Option<Bytes> {
    let config = &site.config;
    if !config.app.offline {
        return None;
    }
    let base = &config.base_path;
    let paths = precached(site, assets, files);
    let mut hasher = StableHasher::default();
    hasher.write(SCRIPT.as_bytes());
    for path in &paths {
        hasher.write(path.as_bytes());
        hasher.write(&[0]);
        hasher.write(&files[path]);
    }
    let offline: BTreeMap<&str, String> = config
        .langs()
        .map(|l| {
            (
                config.code(l),
                url_of(base, &crate::render::app::offline_path(site, l)),
            )
        })
        .collect();
    let current: BTreeMap<String, String> = assets
        .fingerprinted
        .iter()
        .map(|(source, name)| (url_of(base, source), url_of(base, name)))
        .collect();
    let facts = serde_json::json!({
        "version": format!("{:016x}", hasher.finish()),
        "base": base,
        "default": config.default_language,
        "precache": paths.iter().map(|p| url_of(base, p)).collect::<Vec<_>>(),
        "offline": offline,
        "assets": current,
    });
    let text = format!(
        "var SITE = {};\n{SCRIPT}",
        serde_json::to_string_pretty(&facts).expect("strings serialize to JSON")
    );
    Some(Bytes::from(text.into_bytes()))
}

/// Puts the worker for `files` into them (nothing when `[app] offline` is off); whether its
/// bytes changed.
pub fn refresh(site: &Site, assets: &Assets, files: &mut BTreeMap<String, Bytes>) -> bool {
    let Some(bytes) = service_worker(site, assets, files) else {
        return false;
    };
    let old = files.insert(PATH.to_string(), Bytes::clone(&bytes));
    old.as_deref() != Some(&bytes[..])
}
