//! What a template sees. Every page template gets:
//!
//! - `lang`: the language of the interface and URL: `code`, `name`, `title`, `description`, `dir`,
//!   `locale`, `home` (the URL of its home page);
//! - `site`: `base_url`, `base_path`, `title` (in `lang`), `default_language`, `languages` (each with
//!   `code`, `name`, `url` of its home, `dir`) `menu` and `footer` (`title`, `url`, `current`);
//! - `page`: `title`, `description`, `content` (HTML), `toc`, `url`, `permalink`, `date`, `updated`,
//!   `weight`, `kind`, `key`, `lang`, `lang_name` and `lang_dir` (the language of the body), `fallback`, `extra`;
//! - `section` for sections and the home: `pages` and `subsections`, each with `title`,
//!   `description`, `url`, `date`, `updated`, `lang`, `fallback`; `count`, and `pages_in_menus`
//!   (the language's menu or footer links every one of its pages);
//! - `services`: the services the front matter names, and `topic_services`: on a section, the
//!   services listed under it (each with `id`, `title`, `summary`, `url`);
//! - `translations`: one per language for the switcher (`code`, `name`, `url`, `current`,
//!   `available`), `alternates` (`hreflang`, `href`, with `x-default`), `canonical`, `breadcrumbs`.

//!
//! Everything a context reads of the site is noted (see [`crate::record`]): the entry's own page
//! and body, the summaries its listings and breadcrumbs show, its translations, the homes, the
//! menus.

use serde::Serialize;
use tera::Context;

use crate::config::Lang;
use crate::content::PageKind;
use crate::markdown::Heading;
use crate::record::{Fact, note};
use crate::render::Body;
use crate::site::{MenuLink, Site};

#[derive(Serialize)]
struct LangView<'a> {
    code: &'a str,
    name: &'a str,
    title: &'a str,
    description: &'a str,
    dir: crate::config::Direction,
    locale: String,
    /// The URL of the language's home page.
    home: String,
    /// The URL of the language's search page.
    search: String,
    /// The URL of the language's web manifest (`None` when `[app] offline` is off).
    manifest: Option<String>,
}

impl<'a> LangView<'a> {
    fn of(site: &'a Site, lang: Lang) -> LangView<'a> {
        let language = &site.config[lang];
        LangView {
            home: home_url(site, lang),
            search: super::search::page_url(site, lang),
            manifest: site.config.app.offline.then(|| {
                format!(
                    "{}/{}",
                    site.config.base_path,
                    super::app::manifest_path(site, lang)
                )
            }),
            code: &language.code,
            name: &language.name,
            title: &language.title,
            description: &language.description,
            dir: language.direction,
            locale: language.locale.to_string(),
        }
    }
}

/// A language as a link: to its home, or to the same page in it.
#[derive(Debug, Clone, Serialize)]
pub struct LanguageLink<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub title: &'a str,
    pub url: String,
    pub dir: crate::config::Direction,
    /// The language of the page being rendered.
    pub current: bool,
    /// The page exists, translated, in this language (else `url` is the untranslated page with
    /// a notice, or the language's home when there is none).
    pub available: bool,
}

#[derive(Serialize)]
struct MenuView<'a> {
    title: &'a str,
    url: &'a str,
    current: bool,
}

#[derive(Serialize)]
struct SiteView<'a> {
    base_url: &'a str,
    base_path: &'a str,
    title: &'a str,
    default_language: &'a str,
    languages: Vec<LanguageLink<'a>>,
    menu: Vec<MenuView<'a>>,
    footer: Vec<MenuView<'a>>,
    /// The colour of the browser's bar (`[app] theme_color`).
    theme_color: &'a str,
    /// The URL of the service worker (`None` when `[app] offline` is off).
    service_worker: Option<String>,
}

/// An `hreflang` alternate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Alternate {
    pub hreflang: String,
    pub href: String,
}

#[derive(Serialize)]
struct PageView<'a> {
    title: &'a str,
    description: &'a str,
    content: &'a str,
    toc: &'a [Heading],
    url: &'a str,
    permalink: String,
    date: Option<String>,
    updated: Option<String>,
    weight: Option<i64>,
    kind: PageKind,
    key: &'a str,
    lang: &'a str,
    /// The name of the body's language, in that language, and its direction.
    lang_name: &'a str,
    lang_dir: crate::config::Direction,
    fallback: bool,
    extra: &'a toml::Table,
    /// The front matter's image: `html` (a `<figure>`), and `url`, `width`, `height`, `alt` for
    /// link previews.
    image: Option<&'a super::LeadImage>,
}

#[derive(Serialize)]
struct Summary<'a> {
    title: &'a str,
    description: &'a str,
    url: &'a str,
    date: Option<String>,
    updated: Option<String>,
    lang: &'a str,
    fallback: bool,
}

#[derive(Serialize)]
struct SectionView<'a> {
    pages: Vec<Summary<'a>>,
    subsections: Vec<Summary<'a>>,
    /// Pages and subsections in the whole section (a listing page shows some of them).
    count: usize,
    /// Whether the language's menu or footer links every page of the section (the default
    /// theme's home lists its own pages only when they do not).
    pages_in_menus: bool,
}

/// Whether the menu or the footer of `entry`'s language links every page of the section `entry`.
fn pages_in_menus(site: &Site, entry: usize) -> bool {
    let e = &site.entries[entry];
    note(Fact::Menus(e.lang));
    let linked = |url: &str| {
        [&site.menus, &site.footers]
            .iter()
            .filter_map(|menus| menus.get(e.lang.index()))
            .any(|links| links.iter().any(|m| m.url == url))
    };
    e.pages.iter().all(|&p| {
        let page = &site.entries[p];
        note(Fact::Summary(page.lang, page.key.clone()));
        linked(&page.url)
    })
}

#[derive(Serialize)]
struct Crumb<'a> {
    title: &'a str,
    url: &'a str,
}

/// What a listing shows of an entry (noted as its summary).
fn summary(site: &Site, entry: usize) -> Summary<'_> {
    let e = &site.entries[entry];
    note(Fact::Summary(e.lang, e.key.clone()));
    let page = site.page(entry);
    Summary {
        title: &page.meta.title,
        description: page.meta.description.as_deref().unwrap_or(""),
        url: &e.url,
        date: page.meta.date.map(|d| d.to_string()),
        updated: page.meta.updated.map(|d| d.to_string()),
        lang: site.config.code(page.lang),
        fallback: e.fallback,
    }
}

fn site_view<'a>(site: &'a Site, lang: Lang, current: Option<&str>) -> SiteView<'a> {
    note(Fact::Menus(lang));
    let links = |menus: &'a [Vec<MenuLink>]| {
        menus
            .get(lang.index())
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .map(|m| MenuView {
                title: &m.title,
                url: &m.url,
                current: current == Some(m.url.as_str()),
            })
            .collect()
    };
    SiteView {
        base_url: &site.config.base_url,
        base_path: &site.config.base_path,
        title: &site.config[lang].title,
        default_language: &site.config.default_language,
        languages: language_homes(site, lang),
        menu: links(&site.menus),
        footer: links(&site.footers),
        theme_color: &site.config.app.theme_color,
        service_worker: site
            .config
            .app
            .offline
            .then(|| format!("{}/{}", site.config.base_path, crate::output::worker::PATH)),
    }
}

/// The URL of a language's home page.
fn home_url(site: &Site, lang: Lang) -> String {
    note(Fact::Homes);
    site.home(lang).map_or_else(
        || format!("{}/{}/", site.config.base_path, site.config.code(lang)),
        |h| site.entries[h].url.clone(),
    )
}

/// Every language, linking to its home.
fn language_homes(site: &Site, current: Lang) -> Vec<LanguageLink<'_>> {
    note(Fact::Homes);
    site.config
        .langs()
        .map(|lang| {
            let l = &site.config[lang];
            let home = site.home(lang);
            LanguageLink {
                code: &l.code,
                name: &l.name,
                title: &l.title,
                url: home.map_or_else(
                    || format!("{}/{}/", site.config.base_path, l.code),
                    |h| site.entries[h].url.clone(),
                ),
                dir: l.direction,
                current: lang == current,
                available: home.is_some(),
            }
        })
        .collect()
}

/// Puts each callout's label (`callout-warning`…) in the language of the interface around it.
fn label_callouts<'b>(
    html: &'b str,
    strings: &crate::i18n::UiStrings,
    lang: &str,
) -> std::borrow::Cow<'b, str> {
    let mark = crate::markdown::CALLOUT_MARK;
    if !html.contains(mark) {
        return html.into();
    }
    let mut out = String::with_capacity(html.len() + 64);
    for (i, part) in html.split(mark).enumerate() {
        if i % 2 == 1 {
            let key = format!("callout-{part}");
            match strings.format(lang, &key, &[]) {
                Ok(message) => out.push_str(&crate::escape::html(&message.text)),
                // Reported by the check of the keys the generator uses.
                Err(_) => out.push_str(part),
            }
        } else {
            out.push_str(part);
        }
    }
    out.into()
}

/// A long section's listing split into numbered pages: page 1 at the section's URL, page `n` at
/// `<section>/page/<n>/`.
#[derive(Serialize)]
struct Pagination {
    current: usize,
    total: usize,
    prev: Option<String>,
    next: Option<String>,
    pages: Vec<PageLink>,
}

#[derive(Serialize)]
struct PageLink {
    number: usize,
    url: String,
    current: bool,
}

/// The URL of page `n` (1-based) of a section's listing.
pub fn listing_url(section_url: &str, n: usize) -> String {
    if n <= 1 {
        section_url.to_string()
    } else {
        format!("{section_url}page/{n}/")
    }
}

/// How many listing pages a section has.
pub fn listing_pages(site: &Site, entry: usize) -> usize {
    let size = site.config.listing_size.max(1);
    site.entries[entry].pages.len().div_ceil(size).max(1)
}

/// The context of one entry; for a section, `listing` is the page of its listing (1-based).
pub fn entry(
    site: &Site,
    strings: &crate::i18n::UiStrings,
    entry: usize,
    body: &Body,
    listing: usize,
) -> Context {
    let e = &site.entries[entry];
    let page = site.page(entry);
    note(Fact::Page(e.lang, e.key.clone()));
    note(Fact::Body(e.lang, e.key.clone()));
    note(Fact::Translations(e.key.clone()));
    let translations = site.translations(entry);

    // The switcher goes to the same page in every language: translated, or shown with a notice.
    let switcher: Vec<LanguageLink<'_>> = language_homes(site, e.lang)
        .into_iter()
        .zip(site.config.langs())
        .map(|(mut link, lang)| {
            if let Some(other) = site.entry(lang, &e.key) {
                link.url = site.entries[other].url.clone();
                link.available = !site.entries[other].fallback;
            } else {
                link.available = false;
            }
            link
        })
        .collect();

    let alternates = if e.fallback {
        Vec::new()
    } else {
        alternates(site, &translations)
    };
    let canonical = if e.fallback {
        // The original: the page in its own language (the default one, unless it has none).
        let original = site
            .entry(page.lang, &e.key)
            .expect("a fallback shows a page published in its own language");
        site.config.permalink(&site.entries[original].url)
    } else {
        site.config.permalink(&e.url)
    };

    let mut breadcrumbs: Vec<Crumb<'_>> = site
        .ancestors(entry)
        .into_iter()
        .map(|a| {
            note(Fact::Summary(
                site.entries[a].lang,
                site.entries[a].key.clone(),
            ));
            Crumb {
                title: &site.page(a).meta.title,
                url: &site.entries[a].url,
            }
        })
        .collect();
    breadcrumbs.push(Crumb {
        title: &page.meta.title,
        url: &e.url,
    });

    let mut context = Context::new();
    context.insert("lang", &LangView::of(site, e.lang));
    context.insert("site", &site_view(site, e.lang, Some(&e.url)));
    let body_language = &site.config[page.lang];
    let content = label_callouts(&body.html, strings, site.config.code(e.lang));
    context.insert(
        "page",
        &PageView {
            title: &page.meta.title,
            description: page.meta.description.as_deref().unwrap_or(""),
            content: &content,
            toc: &body.toc,
            url: &e.url,
            permalink: site.config.permalink(&e.url),
            date: page.meta.date.map(|d| d.to_string()),
            updated: page.meta.updated.map(|d| d.to_string()),
            weight: page.meta.weight,
            kind: page.kind,
            key: &page.key,
            lang: site.config.code(page.lang),
            lang_name: &body_language.name,
            lang_dir: body_language.direction,
            fallback: e.fallback,
            extra: &page.meta.extra,
            image: body.image.as_ref(),
        },
    );
    context.insert("feed", &super::data::feed_url(site, entry));
    let mut listing_canonical = None;
    if page.kind == PageKind::Section {
        note(Fact::Children(e.lang, e.key.clone()));
        let size = site.config.listing_size.max(1);
        let total = listing_pages(site, entry);
        let current = listing.clamp(1, total);
        let shown = e.pages.iter().skip((current - 1) * size).take(size);
        context.insert(
            "section",
            &SectionView {
                pages: shown.map(|&p| summary(site, p)).collect(),
                // The subsections head the first page only.
                subsections: if current == 1 {
                    e.subsections.iter().map(|&s| summary(site, s)).collect()
                } else {
                    Vec::new()
                },
                count: e.pages.len() + e.subsections.len(),
                pages_in_menus: pages_in_menus(site, entry),
            },
        );
        if total > 1 {
            let url = |n: usize| listing_url(&e.url, n);
            context.insert(
                "pagination",
                &Pagination {
                    current,
                    total,
                    prev: (current > 1).then(|| url(current - 1)),
                    next: (current < total).then(|| url(current + 1)),
                    pages: (1..=total)
                        .map(|n| PageLink {
                            number: n,
                            url: url(n),
                            current: n == current,
                        })
                        .collect(),
                },
            );
            if current > 1 {
                listing_canonical = Some(site.config.permalink(&url(current)));
            }
        }
    }
    // Services as cards: those the front matter names, and on a section those of its topic.
    let card = |i: usize| super::views::service_card(site, e.lang, i);
    if !page.meta.services.is_empty() || page.kind == PageKind::Section {
        note(Fact::Catalog);
    }
    let services: Vec<super::views::ServiceCard> = page
        .meta
        .services
        .iter()
        .filter_map(|id| site.catalog.service(id.get_ref()))
        .map(card)
        .collect();
    let topic_services: Vec<super::views::ServiceCard> =
        if page.kind == PageKind::Section && !page.dir.is_empty() {
            (0..site.catalog.services.len())
                .filter(|&i| {
                    site.catalog.services[i]
                        .data
                        .topics
                        .iter()
                        .any(|t| t.get_ref() == &page.dir)
                })
                .map(card)
                .collect()
        } else {
            Vec::new()
        };
    let json_ld = json_ld(
        site,
        &breadcrumbs
            .iter()
            .map(|c| (c.title.to_string(), c.url.to_string()))
            .collect::<Vec<_>>(),
        serde_json::Value::Null,
    );
    context.insert("translations", &switcher);
    match listing_canonical {
        // A later page of a listing is its own page; its translations have their own numbering.
        Some(own) => {
            context.insert("alternates", &Vec::<Alternate>::new());
            context.insert("canonical", &own);
        }
        None => {
            context.insert("alternates", &alternates);
            context.insert("canonical", &canonical);
        }
    }
    context.insert("breadcrumbs", &breadcrumbs);
    context.insert("services", &services);
    context.insert("topic_services", &topic_services);
    context.insert("json_ld", &json_ld);
    context
}

/// The JSON-LD of a page: its `BreadcrumbList`, and `main` (a service or an agency) if any, as
/// text safe to put inside a `<script>` element.
pub fn json_ld(site: &Site, crumbs: &[(String, String)], main: serde_json::Value) -> String {
    let items: Vec<serde_json::Value> = crumbs
        .iter()
        .enumerate()
        .map(|(i, (title, url))| {
            serde_json::json!({ "@type": "ListItem", "position": i + 1, "name": title, "item": site.config.permalink(url) })
        })
        .collect();
    let breadcrumbs = serde_json::json!({ "@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": items });
    let graph = if main.is_null() {
        breadcrumbs
    } else {
        serde_json::Value::Array(vec![main, breadcrumbs])
    };
    serde_json::to_string(&graph)
        .expect("JSON values serialise")
        .replace('<', "\\u003c")
}

/// The context of a generated page (service, agency, index) in `lang`. `url_in` gives the same
/// page's URL in another language: generated pages exist in every language.
pub fn generated(
    site: &Site,
    lang: Lang,
    url: &str,
    title: &str,
    crumbs: Vec<(String, String)>,
    main_json_ld: serde_json::Value,
    url_in: impl Fn(Lang) -> String,
) -> Context {
    let mut trail: Vec<(String, String)> = Vec::new();
    if let Some(home) = site.home(lang) {
        note(Fact::Summary(lang, site.entries[home].key.clone()));
        trail.push((
            site.page(home).meta.title.clone(),
            site.entries[home].url.clone(),
        ));
    }
    trail.extend(crumbs);
    let breadcrumbs: Vec<Crumb<'_>> = trail
        .iter()
        .map(|(t, u)| Crumb { title: t, url: u })
        .collect();
    let switcher: Vec<LanguageLink<'_>> = language_homes(site, lang)
        .into_iter()
        .zip(site.config.langs())
        .map(|(mut link, l)| {
            link.url = url_in(l);
            link.available = true;
            link
        })
        .collect();
    let mut alternates: Vec<Alternate> = site
        .config
        .langs()
        .map(|l| Alternate {
            hreflang: site.config.code(l).to_string(),
            href: site.config.permalink(&url_in(l)),
        })
        .collect();
    alternates.push(Alternate {
        hreflang: "x-default".into(),
        href: site.config.permalink(&url_in(site.config.default_lang())),
    });
    let mut context = Context::new();
    context.insert("lang", &LangView::of(site, lang));
    context.insert("site", &site_view(site, lang, Some(url)));
    context.insert("page", &serde_json::json!({ "title": title, "url": url, "permalink": site.config.permalink(url), "lang": site.config.code(lang), "fallback": false }));
    context.insert("translations", &switcher);
    context.insert("alternates", &alternates);
    context.insert("canonical", &site.config.permalink(url));
    context.insert("breadcrumbs", &breadcrumbs);
    context.insert("json_ld", &json_ld(site, &trail, main_json_ld));
    context
}

/// `hreflang` alternates of a page's translations, with `x-default` on the default language's
/// version (or the first translation when the default language has none).
pub fn alternates(site: &Site, translations: &[usize]) -> Vec<Alternate> {
    let mut list: Vec<Alternate> = translations
        .iter()
        .map(|&t| Alternate {
            hreflang: site.code(t).to_string(),
            href: site.config.permalink(&site.entries[t].url),
        })
        .collect();
    let default = translations
        .iter()
        .find(|&&t| site.entries[t].lang == site.config.default_lang())
        .or(translations.first());
    if let Some(&d) = default {
        list.push(Alternate {
            hreflang: "x-default".into(),
            href: site.config.permalink(&site.entries[d].url),
        });
    }
    list
}

/// The context of the root page where a visitor chooses a language.
pub fn chooser(site: &Site) -> Context {
    let default = site.config.default_lang();
    note(Fact::Homes);
    let homes: Vec<usize> = site.config.langs().filter_map(|l| site.home(l)).collect();
    for &home in &homes {
        note(Fact::Translations(site.entries[home].key.clone()));
    }
    let mut context = Context::new();
    context.insert("lang", &LangView::of(site, default));
    context.insert("site", &site_view(site, default, None));
    context.insert("alternates", &alternates(site, &homes));
    context.insert(
        "canonical",
        &site
            .config
            .permalink(&format!("{}/", site.config.base_path)),
    );
    context
}

/// The context of a 404 page in `lang`.
pub fn not_found(site: &Site, lang: Lang) -> Context {
    let mut context = Context::new();
    context.insert("lang", &LangView::of(site, lang));
    context.insert("site", &site_view(site, lang, None));
    context.insert("translations", &language_homes(site, lang));
    context
}
