//! The pages made from service and agency files, in every language: a page per service and per
//! agency, the services index (grouped by topic), one services page per audience, and the
//! agencies index; with schema.org JSON-LD.

use serde::Serialize;
use serde_json::Value;

use crate::catalog::AUDIENCES;
use crate::config::Lang;
use crate::error::Diagnostic;
use crate::i18n::{Arg, UiStrings};
use crate::record::{Fact, note};
use crate::render::templates::Bound;
use crate::render::views::{Localizer, ServiceCard};
use crate::render::{RenderedFile, context};
use crate::site::{Generated, Site};

use super::jsonld;

/// The services of one topic on the services pages.
#[derive(Debug, Serialize)]
struct TopicGroup {
    /// The topic (a section's folder); `None` for the services without one.
    id: Option<String>,
    title: String,
    /// The section's URL.
    url: Option<String>,
    services: Vec<ServiceCard>,
}

/// An audience's services page, in the list of them on the services pages.
#[derive(Debug, Serialize)]
struct AudienceLink {
    id: &'static str,
    label: String,
    url: String,
    /// The page being rendered is this audience's.
    current: bool,
}

/// The services, sorted by title in `lang`, grouped by topic in the order of the sections.
fn services_by_topic(l: &Localizer<'_>, audience: Option<&str>) -> Vec<TopicGroup> {
    let site = l.site;
    let mut groups = Vec::new();
    let wanted = |i: usize| {
        audience.is_none_or(|a| {
            site.catalog.services[i]
                .data
                .audience
                .iter()
                .any(|x| x.get_ref() == a)
        })
    };
    let mut topics: Vec<String> = Vec::new();
    for s in &site.catalog.services {
        for t in &s.data.topics {
            if !topics.contains(t.get_ref()) {
                topics.push(t.get_ref().clone());
            }
        }
    }
    let section_order = |t: &String| {
        let key = format!("{t}/_index");
        note(Fact::Summary(l.lang, key.as_str().into()));
        site.entry(l.lang, &key).map_or((i64::MAX, t.clone()), |e| {
            (
                site.page(e).meta.weight.unwrap_or(i64::MAX),
                site.entries[e].url.clone(),
            )
        })
    };
    topics.sort_by_key(section_order);
    for topic in topics.iter().map(Some).chain(std::iter::once(None)) {
        let mut members: Vec<usize> = (0..site.catalog.services.len())
            .filter(|&i| wanted(i))
            .filter(|&i| {
                let ts = &site.catalog.services[i].data.topics;
                match topic {
                    Some(t) => ts.iter().any(|x| x.get_ref() == t),
                    None => ts.is_empty(),
                }
            })
            .collect();
        if members.is_empty() {
            continue;
        }
        l.sort_by_text(&mut members, |i| &site.catalog.services[i].data.title);
        let (title, url) = match topic.and_then(|t| site.entry(l.lang, &format!("{t}/_index"))) {
            Some(e) => (
                site.page(e).meta.title.clone(),
                Some(site.entries[e].url.clone()),
            ),
            None => (l.ui("services-other", &[]), None),
        };
        groups.push(TopicGroup {
            id: topic.cloned(),
            title,
            url,
            services: members.into_iter().map(|i| l.service_card(i)).collect(),
        });
    }
    groups
}

/// Renders one generated page in `lang`. The second value holds the problems found in the
/// service and agency texts it shows (links that lead nowhere).
pub fn render(
    site: &Site,
    templates: &Bound<'_>,
    strings: &UiStrings,
    lang: Lang,
    page: Generated,
) -> (Result<RenderedFile, Diagnostic>, Vec<Diagnostic>) {
    note(Fact::Catalog);
    let mut l = Localizer::new(site, strings, lang);
    let result = render_one(&mut l, templates, page);
    (result, l.problems)
}

/// What differs between generated pages.
struct PageParts {
    template: &'static str,
    title: String,
    /// Template variables besides the common ones.
    extra: tera::Context,
    /// The index above the page in the breadcrumbs (title, URL), if it is not an index itself.
    parent: Option<(String, String)>,
    /// The page's main JSON-LD object (the breadcrumbs are added to it).
    json_ld: Value,
    /// How errors name the page.
    shown: String,
}

fn render_one(
    l: &mut Localizer<'_>,
    templates: &Bound<'_>,
    page: Generated,
) -> Result<RenderedFile, Diagnostic> {
    let site = l.site;
    let lang = l.lang;
    let services_index = (
        l.ui("services-title", &[]),
        site.generated_url(lang, Generated::Services),
    );
    let agencies_index = (
        l.ui("agencies-title", &[]),
        site.generated_url(lang, Generated::Agencies),
    );
    let parts = match page {
        Generated::Services | Generated::Audience(_) => {
            let audience = match page {
                Generated::Audience(a) => Some(AUDIENCES[a]),
                _ => None,
            };
            let title = match audience {
                Some(a) => l.ui(
                    "services-for",
                    &[
                        ("audience", Arg::Text(a.to_string())),
                        ("label", Arg::Text(l.ui(&format!("audience-{a}"), &[]))),
                    ],
                ),
                None => services_index.0.clone(),
            };
            let audiences: Vec<AudienceLink> = site
                .generated()
                .into_iter()
                .filter_map(|g| match g {
                    Generated::Audience(a) => Some(AudienceLink {
                        id: AUDIENCES[a],
                        label: l.ui(&format!("audience-{}", AUDIENCES[a]), &[]),
                        url: site.generated_url(lang, g),
                        current: audience == Some(AUDIENCES[a]),
                    }),
                    _ => None,
                })
                .collect();
            let mut extra = tera::Context::new();
            extra.insert("groups", &services_by_topic(l, audience));
            extra.insert("audiences", &audiences);
            extra.insert("audience", &audience);
            PageParts {
                template: "services.html",
                title,
                extra,
                parent: audience.map(|_| services_index),
                json_ld: Value::Null,
                shown: "the services index".to_string(),
            }
        }
        Generated::Service(i) => {
            let view = l.service(i);
            let mut extra = tera::Context::new();
            extra.insert("service", &view);
            PageParts {
                template: "service.html",
                title: view
                    .title
                    .as_ref()
                    .map_or_else(String::new, |t| t.text.clone()),
                json_ld: jsonld::service(site, lang, i, &view),
                extra,
                parent: Some(services_index),
                shown: site.catalog.services[i].source.path.display().to_string(),
            }
        }
        Generated::Agencies => {
            let mut agencies: Vec<usize> = (0..site.catalog.agencies.len()).collect();
            l.sort_by_text(&mut agencies, |a| &site.catalog.agencies[a].data.name);
            let list: Vec<_> = agencies.into_iter().map(|a| l.agency_link(a)).collect();
            let mut extra = tera::Context::new();
            extra.insert("agencies", &list);
            PageParts {
                template: "agencies.html",
                title: agencies_index.0,
                extra,
                parent: None,
                json_ld: Value::Null,
                shown: "the agencies index".to_string(),
            }
        }
        Generated::Agency(i) => {
            let view = l.agency(i);
            let mut extra = tera::Context::new();
            extra.insert("agency", &view);
            PageParts {
                template: "agency.html",
                title: view
                    .name
                    .as_ref()
                    .map_or_else(String::new, |t| t.text.clone()),
                json_ld: jsonld::agency(&view),
                extra,
                parent: Some(agencies_index),
                shown: site.catalog.agencies[i].source.path.display().to_string(),
            }
        }
    };
    let url = site.generated_url(lang, page);
    let mut crumbs: Vec<(String, String)> = parts.parent.into_iter().collect();
    crumbs.push((parts.title.clone(), url.clone()));
    let mut context =
        context::generated(site, lang, &url, &parts.title, crumbs, parts.json_ld, |l| {
            site.generated_url(l, page)
        });
    context.extend(parts.extra);
    let html = templates.render(lang, parts.template, &context, &parts.shown)?;
    Ok(RenderedFile {
        path: format!("{}index.html", site.generated_path(lang, page)),
        bytes: html.into_bytes(),
    })
}
