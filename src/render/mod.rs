//! Rendering: Markdown bodies, then every page through its template, in parallel.
//!
//! 1. [`bodies`]: each entry's Markdown to HTML, with `@/` links resolved in the entry's language;
//!    then every `#anchor` of an internal link is checked against the target's headings.
//! 2. [`pages`]: each entry through its template (home, section, page or the front matter's
//!    `template`) with the context described in [`context`], then the language chooser at the
//!    root and a 404 page for the root and for every language.
//!
//! Both steps borrow the site and return new data; nothing is shared mutably between threads.

mod catalog;
mod context;
mod jsonld;
mod templates;

use std::cell::RefCell;

use rayon::prelude::*;

pub use catalog::{GENERATED_KEY_PREFIXES, GENERATED_KEYS, pages as catalog_pages};
pub use context::{Alternate, LanguageLink, alternates as alternates_of};
pub use templates::{Templates, escape_html};

use crate::content::PageKind;
use crate::error::{Diagnostic, Diagnostics};
use crate::markdown::{self, Heading, LinkRef, LinkResolver};
use crate::site::{Site, Target};

/// The rendered Markdown of one entry.
#[derive(Debug, Clone, Default)]
pub struct Body {
    pub html: String,
    pub toc: Vec<Heading>,
}

/// A rendered file: its path under the output folder and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// An `#anchor` link to check once every page is rendered: (target entry, anchor, span in the body).
type AnchorLink = (usize, String, std::ops::Range<usize>);

/// Resolves the links of one entry and remembers the anchors to check.
struct EntryLinks<'a> {
    site: &'a Site,
    lang: &'a str,
    anchors: RefCell<Vec<AnchorLink>>,
}

impl LinkResolver for EntryLinks<'_> {
    fn resolve(&self, link: &LinkRef<'_>) -> Result<String, (String, String)> {
        let target = self.site.resolve(self.lang, link.destination)?;
        if let (Some(anchor), Target::Entry(entry)) = (&target.anchor, &target.target) {
            self.anchors
                .borrow_mut()
                .push((*entry, anchor.clone(), link.span.clone()));
        }
        Ok(target.url(self.site))
    }
}

/// Renders the Markdown of every entry. Link errors are reported once, on the page that has them.
pub fn bodies(site: &Site) -> Result<Vec<Body>, Diagnostics> {
    let results: Vec<(Body, Vec<Diagnostic>, Vec<AnchorLink>)> = site
        .entries
        .par_iter()
        .map(|entry| {
            let page = &site.pages[entry.page];
            let links = EntryLinks {
                site,
                lang: &entry.lang,
                anchors: RefCell::new(Vec::new()),
            };
            let (rendered, errors) = markdown::render(page.body(), &page.lang, &links);
            let diagnostics = if entry.fallback {
                Vec::new()
            } else {
                errors
                    .into_iter()
                    .map(|e| {
                        let span = page.body_start + e.span.start..page.body_start + e.span.end;
                        Diagnostic::error(e.message)
                            .in_file(&page.source.path)
                            .at_span(&page.source.text, span)
                            .with_help(e.help)
                    })
                    .collect()
            };
            let anchors = if entry.fallback {
                Vec::new()
            } else {
                links.anchors.into_inner()
            };
            (
                Body {
                    html: rendered.html,
                    toc: rendered.toc,
                },
                diagnostics,
                anchors,
            )
        })
        .collect();

    let mut problems = Diagnostics::default();
    let mut bodies = Vec::with_capacity(results.len());
    let mut anchors = Vec::new();
    for (i, (body, diagnostics, entry_anchors)) in results.into_iter().enumerate() {
        problems.extend(diagnostics);
        anchors.extend(entry_anchors.into_iter().map(|a| (i, a)));
        bodies.push(body);
    }
    for (from, (to, anchor, span)) in anchors {
        let known = bodies[to].toc.iter().any(|h| h.id == anchor);
        if !known {
            let page = site.page(from);
            let target = site.page(to);
            let ids: Vec<&str> = bodies[to].toc.iter().map(|h| h.id.as_str()).collect();
            let span = page.body_start + span.start..page.body_start + span.end;
            problems.push(
                Diagnostic::error(format!(
                    "{} has no heading with the id `{anchor}`",
                    target.source.path.display()
                ))
                .in_file(&page.source.path)
                .at_span(&page.source.text, span)
                .with_help(if ids.is_empty() {
                    "that page has no headings; link the page without #...".to_string()
                } else {
                    format!(
                        "the ids there are: {}; or set one with ## Heading {{#{anchor}}}",
                        ids.join(", ")
                    )
                }),
            );
        }
    }
    if problems.has_errors() {
        problems.sort();
        return Err(problems);
    }
    Ok(bodies)
}

/// The template an entry is rendered with.
fn template_of(site: &Site, entry: usize) -> String {
    let page = site.page(entry);
    if let Some(template) = &page.meta.template {
        return template.get_ref().clone();
    }
    match page.kind {
        PageKind::Section if page.is_home() => "home.html",
        PageKind::Section => "section.html",
        PageKind::Page => "page.html",
    }
    .to_string()
}

/// Renders every entry, the root language chooser and the 404 pages.
pub fn pages(
    site: &Site,
    templates: &Templates,
    bodies: &[Body],
) -> Result<Vec<RenderedFile>, Diagnostics> {
    let mut problems = Diagnostics::default();
    for entry in 0..site.entries.len() {
        let page = site.page(entry);
        if let Some(template) = &page.meta.template
            && !templates.has(template.get_ref())
        {
            problems.push(
                page.error_at(
                    format!("there is no template `{}`", template.get_ref()),
                    template.span(),
                )
                .with_help(
                    "name a file of themes/<theme>/templates/ or templates/, e.g. \"page.html\"",
                ),
            );
        }
    }
    if problems.has_errors() {
        problems.sort();
        return Err(problems);
    }

    let results: Vec<Result<RenderedFile, Diagnostic>> = (0..site.entries.len())
        .into_par_iter()
        .map(|entry| {
            let context = context::entry(site, entry, &bodies[entry]);
            let shown = site.page(entry).source.path.display().to_string();
            let html = templates.render(
                &site.entries[entry].lang,
                &template_of(site, entry),
                &context,
                &shown,
            )?;
            Ok(RenderedFile {
                path: site.entries[entry].output.clone(),
                bytes: html.into_bytes(),
            })
        })
        .collect();
    let mut files = Vec::with_capacity(results.len() + site.config.languages.len() + 2);
    for result in results {
        match result {
            Ok(file) => files.push(file),
            Err(d) => problems.push(d),
        }
    }

    let default = &site.config.default_language;
    let chooser = context::chooser(site);
    match templates.render(
        default,
        "chooser.html",
        &chooser,
        "the language chooser (index.html)",
    ) {
        Ok(html) => files.push(RenderedFile {
            path: "index.html".into(),
            bytes: html.into_bytes(),
        }),
        Err(d) => problems.push(d),
    }
    let mut not_found = vec![(default.clone(), "404.html".to_string())];
    not_found.extend(
        site.config
            .languages
            .iter()
            .map(|l| (l.code.clone(), format!("{}/404.html", l.code))),
    );
    for (lang, path) in not_found {
        let context = context::not_found(site, &lang);
        match templates.render(&lang, "404.html", &context, &format!("the 404 page {path}")) {
            Ok(html) => files.push(RenderedFile {
                path,
                bytes: html.into_bytes(),
            }),
            Err(d) => problems.push(d),
        }
    }
    if problems.has_errors() {
        problems.sort();
        return Err(problems);
    }
    Ok(files)
}
