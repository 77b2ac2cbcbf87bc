//! The site as an app (site.toml's `[app]`): a web manifest per language, so that a phone can
//! install the language's part of the site to its home screen, and an offline page per language,
//! which the service worker (see [`crate::output::worker`]) shows for a page never read when
//! there is no connection.

use super::context;
use super::templates::Bound;
use super::views::Localizer;
use crate::assets::Assets;
use crate::config::Lang;
use crate::error::Diagnostic;
use crate::i18n::UiStrings;
use crate::record::{Fact, note};
use crate::site::Site;

/// The icons a manifest offers, if the static files have them: (file, size).
pub const ICONS: &[(&str, &str)] = &[("icon-192.png", "192x192"), ("icon-512.png", "512x512")];

/// The path of the web manifest of `lang` under the output: `az/manifest.webmanifest`.
pub fn manifest_path(site: &Site, lang: Lang) -> String {
    format!("{}/manifest.webmanifest", site.config.code(lang))
}

/// The path of the offline page of `lang` under the output: `az/offline.html`.
pub fn offline_path(site: &Site, lang: Lang) -> String {
    format!("{}/offline.html", site.config.code(lang))
}

/// The URL of a language's part of the site: `/az/`.
pub fn scope(site: &Site, lang: Lang) -> String {
    format!("{}/{}/", site.config.base_path, site.config.code(lang))
}

/// The web manifest of `lang`: the language's title and short name (the UI string
/// `app-short-name`), its home as start and its folder as scope, the icons, the colours.
pub fn manifest(site: &Site, strings: &UiStrings, assets: &Assets, lang: Lang) -> Vec<u8> {
    note(Fact::Homes);
    note(Fact::Assets);
    let config = &site.config;
    let language = &config[lang];
    let l = Localizer::new(site, strings, lang);
    let scope = scope(site, lang);
    let start = site
        .home(lang)
        .map_or_else(|| scope.clone(), |h| site.entries[h].url.clone());
    let icons: Vec<serde_json::Value> = ICONS
        .iter()
        .filter_map(|(file, sizes)| {
            let src = assets.url(&config.base_path, file)?;
            Some(serde_json::json!({ "src": src, "sizes": sizes, "type": "image/png", "purpose": "any" }))
        })
        .collect();
    let manifest = serde_json::json!({
        "id": scope,
        "name": language.title,
        "short_name": l.ui("app-short-name", &[]),
        "description": language.description,
        "lang": language.code,
        "dir": language.direction,
        "start_url": start,
        "scope": scope,
        "display": "standalone",
        "theme_color": config.app.theme_color,
        "background_color": config.app.background_color,
        "icons": icons,
    });
    let mut bytes = serde_json::to_vec_pretty(&manifest).expect("strings serialize to JSON");
    bytes.push(b'\n');
    bytes
}

/// The offline page of `lang`: what the service worker answers, without a connection, for a
/// page it has not kept. It links to what it has kept: the home, the services, the search.
pub fn offline_page(
    site: &Site,
    templates: &Bound<'_>,
    strings: &UiStrings,
    lang: Lang,
) -> Result<Vec<u8>, Diagnostic> {
    let l = Localizer::new(site, strings, lang);
    let title = l.ui("offline-title", &[]);
    let url = format!("{}/{}", site.config.base_path, offline_path(site, lang));
    let mut context = context::generated(
        site,
        lang,
        &url,
        &title,
        Vec::new(),
        serde_json::Value::Null,
        |l| format!("{}/{}", site.config.base_path, offline_path(site, l)),
    );
    // Whether there is a services index to link to.
    note(Fact::Catalog);
    let services = (!site.catalog.services.is_empty())
        .then(|| site.generated_url(lang, crate::site::Generated::Services));
    context.insert("services_url", &services);
    context.insert("search_url", &super::search::page_url(site, lang));
    let html = templates.render(
        lang,
        "offline.html",
        &context,
        &format!("the offline page {}", offline_path(site, lang)),
    )?;
    Ok(html.into_bytes())
}
