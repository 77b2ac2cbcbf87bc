//! Rendering: Markdown bodies, then every page through its template, in parallel.
//!
//! 1. [`bodies`]: each entry's Markdown to HTML, with `@/` links resolved in the entry's language;
//!    then every `#anchor` of an internal link is checked against the target's headings. A body
//!    of the last build is kept when its page is the same and its links lead where they led.
//! 2. [`jobs`]: the HTML files a build makes, each a [`Job`]: every entry, the generated pages
//!    of the services and agencies, the language chooser at the root, a 404 page for the root
//!    and every language.
//! 3. [`render`]: one job through its template, with the context described in [`context`]; what
//!    it reads is noted (see [`crate::record`]) so that a later build renders it again only
//!    when that changed.
//!
//! Every step borrows the site and returns new data; nothing is shared mutably between threads.

pub mod app;
mod context;
mod cycles;
pub mod data;
mod functions;
mod generated;
mod jsonld;
mod refs;
pub mod search;
mod template_errors;
pub mod templates;
mod views;

use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::Hasher as _;
use std::sync::Arc;

use rayon::prelude::*;

pub use context::{Alternate, LanguageLink, alternates as alternates_of};
pub use templates::{Bound, Templates};
pub use views::{GENERATED_KEY_PREFIXES, GENERATED_KEYS};

use crate::config::Lang;
use crate::content::PageKind;
use crate::error::{Diagnostic, Diagnostics};
use crate::images::Images;
use crate::markdown::{self, Heading, ImageRef, LinkRef, LinkResolver};
use crate::record::{Digest, Key};
use crate::site::{Generated, Site, Target};
use crate::source::SourceText;

/// The rendered Markdown of one entry, with what it was made from.
#[derive(Debug, Clone, Default)]
pub struct Body {
    pub html: String,
    pub toc: Vec<Heading>,
    /// The digest of `html` and `toc`.
    pub digest: Digest,
    /// The [`crate::content::Page::serial`] of the page it was made from.
    page: u64,
    /// The ids its headings were kept from: its template's own ([`Site::reserved_ids`]).
    reserved: Option<Arc<std::collections::BTreeSet<String>>>,
    /// Every link destination and the URL it resolved to (`None`: it did not resolve).
    links: Vec<(String, Option<String>)>,
    /// `#anchor` links to check, each with where it is in the page (an error without its
    /// message: the page's text need not be held until they are checked).
    anchors: Vec<(Lang, Key, String, Diagnostic)>,
    /// Links to paths of this site (`/files/form.pdf`), each with where it is in the page, to
    /// check against the output (see [`check_local_links`]); none for a fallback.
    local: Vec<(String, Diagnostic)>,
    /// Link errors, located in the page.
    errors: Vec<Diagnostic>,
    /// Images without alt text, located in the page.
    pub warnings: Vec<Diagnostic>,
    /// Every local image shown and the digest of what it was shown with (`None`: missing).
    images: Vec<(String, Option<Digest>)>,
    /// The front matter's image.
    pub image: Option<LeadImage>,
}

/// A page's own image (front matter `image`), as the page shows it under its heading and as
/// link previews (`og:image`) take it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
pub struct LeadImage {
    /// A `<figure>` with the picture and its caption.
    pub html: String,
    /// The absolute URL of a copy for other sites.
    pub url: String,
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub alt: String,
}

/// The front matter's image of `page`, when it names an image of `images`.
fn lead_image(site: &Site, images: &Images, page: &crate::content::Page) -> Option<LeadImage> {
    let own = page.meta.image.as_ref()?.get_ref();
    let image = images.by_path.get(crate::images::local_path(&own.src)?)?;
    let base = &site.config.base_path;
    let picture = image.html(base, &own.alt, "", crate::images::Loading::Eager);
    let caption = own
        .caption
        .as_deref()
        .map(|c| format!("<figcaption>{}</figcaption>", crate::escape::html(c)))
        .unwrap_or_default();
    let (url, size) = image.share(base);
    let origin = site
        .config
        .base_url
        .strip_suffix(base.as_str())
        .unwrap_or(&site.config.base_url);
    Some(LeadImage {
        html: format!("<figure class=\"lead-image\">{picture}{caption}</figure>"),
        url: format!("{origin}{url}"),
        width: size.map(|s| s.0),
        height: size.map(|s| s.1),
        alt: own.alt.clone(),
    })
}

impl Body {
    /// Whether `other` warns of the same things (images, raw HTML, links to the site's paths).
    pub fn warns_as(&self, other: &Body) -> bool {
        self.warnings == other.warnings && self.local == other.local
    }

    /// Lets the HTML and the links go, once every page showing the body is made: what is left
    /// is what the checks across pages and the search index read.
    pub fn strip(&mut self) {
        self.html = String::new();
        self.links = Vec::new();
    }
}

/// An `#anchor` link to check: the target entry's language and key, the anchor, the link's span
/// in the body.
type AnchorLink = (Lang, Key, String, std::ops::Range<usize>);

/// The bodies of a build, by entry (language and key).
pub type Bodies = HashMap<(Lang, Key), Arc<Body>>;

/// A rendered file: its path under the output folder and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// Resolves the links of one entry and remembers where they went.
struct EntryLinks<'a> {
    site: &'a Site,
    images: &'a Images,
    lang: Lang,
    links: RefCell<Vec<(String, Option<String>)>>,
    anchors: RefCell<Vec<AnchorLink>>,
    local: RefCell<Vec<(String, std::ops::Range<usize>)>>,
    shown: RefCell<Vec<(String, Option<Digest>)>>,
    /// The ids the entry's template gives the page's own elements.
    reserved: Option<Arc<std::collections::BTreeSet<String>>>,
    /// The page has its own image at the top: every image of the text is below the first screen.
    lead: bool,
}

impl LinkResolver for EntryLinks<'_> {
    fn policy(&self) -> crate::policy::Policy {
        self.site.config.policy
    }

    fn resolve(&self, link: &LinkRef<'_>) -> Result<String, (String, String)> {
        let resolved = self.site.resolve(self.lang, link.destination);
        let url = resolved.as_ref().ok().map(|t| t.url(self.site));
        self.links
            .borrow_mut()
            .push((link.destination.to_string(), url.clone()));
        let target = resolved?;
        if let (Some(anchor), Target::Entry(entry)) = (&target.anchor, &target.target) {
            let e = &self.site.entries[*entry];
            self.anchors.borrow_mut().push((
                e.lang,
                e.key.clone(),
                anchor.clone(),
                link.span.clone(),
            ));
        }
        Ok(url.expect("resolved above"))
    }

    fn reserved_ids(&self) -> Option<&std::collections::BTreeSet<String>> {
        self.reserved.as_deref()
    }

    fn local(&self, link: &LinkRef<'_>) {
        self.local
            .borrow_mut()
            .push((link.destination.to_string(), link.span.clone()));
    }

    fn image(&self, image: &ImageRef<'_>) -> Result<Option<String>, (String, String)> {
        let destination = image.destination;
        let Some(path) = crate::images::local_path(destination) else {
            let scheme = destination
                .split_once(':')
                .is_some_and(|(s, _)| !s.contains('/'));
            if scheme || destination.starts_with("//") {
                // Another site's image: the content policy and the budgets speak of it.
                return Ok(None);
            }
            return Err((
                format!("the image path {destination:?} does not start at the site's root"),
                "put the image in static/ and write its path from there, starting with /: static/images/map.png is ![…](/images/map.png)".into(),
            ));
        };
        let found = self.images.by_path.get(path);
        self.shown
            .borrow_mut()
            .push((path.to_string(), found.map(|i| i.digest)));
        match found {
            Some(found) => Ok(Some(found.html(
                &self.site.config.base_path,
                image.alt,
                image.title,
                if self.lead {
                    crate::images::Loading::Lazy
                } else {
                    image.loading
                },
            ))),
            None => Err((
                format!("there is no image static/{path}"),
                format!(
                    "put the image at static/{path} (images are shared by every language), or correct the path"
                ),
            )),
        }
    }
}

/// Whether a body of the last build still holds for `entry`: same page, links leading to the
/// same places.
fn still_valid(site: &Site, images: &Images, entry: usize, body: &Body) -> bool {
    let e = &site.entries[entry];
    body.page == site.page(entry).serial
        && body.reserved == reserved_ids(site, entry)
        && body
            .images
            .iter()
            .all(|(path, digest)| images.by_path.get(path).map(|i| i.digest) == *digest)
        && body.links.iter().all(|(destination, url)| {
            site.resolve(e.lang, destination).ok().map(|t| t.url(site)) == *url
        })
}

/// Renders the Markdown of one entry.
pub fn body(site: &Site, images: &Images, entry: usize) -> Body {
    body_of(site, images, entry, &site.page(entry).source)
}

/// Renders the Markdown of one entry from `source`, the whole text of its page (see
/// [`crate::content::Page::text`]).
pub fn body_of(site: &Site, images: &Images, entry: usize, source: &SourceText) -> Body {
    let e = &site.entries[entry];
    let page = site.page(entry);
    let links = EntryLinks {
        site,
        images,
        lang: e.lang,
        links: RefCell::new(Vec::new()),
        anchors: RefCell::new(Vec::new()),
        local: RefCell::new(Vec::new()),
        shown: RefCell::new(Vec::new()),
        reserved: reserved_ids(site, entry),
        lead: page.meta.image.is_some(),
    };
    let (rendered, errors) = markdown::render(
        &source.text[page.body_start..],
        site.config.code(page.lang),
        &links,
    );
    // A fallback shows another language's page: its problems are reported there.
    let own = !e.fallback;
    // A diagnostic at a span of the body, located in the page's file.
    let at = |diagnostic: Diagnostic, span: std::ops::Range<usize>| {
        let span = page.body_start + span.start..page.body_start + span.end;
        diagnostic.in_file(&source.path).at_span(&source.text, span)
    };
    let errors: Vec<Diagnostic> = errors
        .into_iter()
        .filter(|_| own)
        .map(|err| at(Diagnostic::error(err.message), err.span).with_help(err.help))
        .collect();
    let anchors = links
        .anchors
        .into_inner()
        .into_iter()
        .filter(|_| own)
        .map(|(lang, key, anchor, span)| (lang, key, anchor, at(Diagnostic::error(""), span)))
        .collect();
    let local = links
        .local
        .into_inner()
        .into_iter()
        .filter(|_| own)
        .map(|(destination, span)| (destination, at(Diagnostic::warning(""), span)))
        .collect();
    let warnings = rendered
        .warnings
        .iter()
        .filter(|_| own)
        .map(|w| {
            at(Diagnostic::warning(w.message.clone()), w.span.clone()).with_help(w.help.clone())
        })
        .collect();
    let image = lead_image(site, images, page);
    if let Some(own) = page
        .meta
        .image
        .as_ref()
        .and_then(|i| crate::images::local_path(&i.get_ref().src))
    {
        links
            .shown
            .borrow_mut()
            .push((own.to_string(), images.by_path.get(own).map(|i| i.digest)));
    }
    // The digest of the HTML, the image's digest and the headings, one after the other (FNV-1a
    // reads bytes one by one: the same as the digest of them joined).
    let mut digest = crate::record::StableHasher::default();
    digest.write(rendered.html.as_bytes());
    if let Some(image) = &image {
        digest.write(&[0]);
        digest.write(&crate::record::digest(image).0.to_le_bytes());
    }
    for heading in &rendered.toc {
        digest.write(&[0]);
        digest.write(heading.id.as_bytes());
        digest.write(&[0]);
        digest.write(heading.title.as_bytes());
        digest.write(&[heading.level]);
    }
    // Every body is held until the last page is rendered: none keeps room it does not use.
    let mut html = rendered.html;
    html.shrink_to_fit();
    let mut found_links = links.links.into_inner();
    found_links.shrink_to_fit();
    Body {
        digest: Digest(digest.finish()),
        html,
        toc: rendered.toc,
        page: page.serial,
        reserved: links.reserved,
        links: found_links,
        anchors,
        local,
        errors,
        warnings,
        images: links.shown.into_inner(),
        image,
    }
}

/// Renders the Markdown of every entry, keeping the bodies of `previous` that still hold. Link
/// errors are reported once, on the page that has them. The second value counts the bodies
/// rendered.
pub fn bodies(
    site: &Site,
    images: &Images,
    previous: &Bodies,
) -> Result<(Bodies, usize), Diagnostics> {
    let results: Vec<(Arc<Body>, bool)> = (0..site.entries.len())
        .into_par_iter()
        .map(|entry| {
            let e = &site.entries[entry];
            match previous.get(&(e.lang, e.key.clone())) {
                Some(body) if still_valid(site, images, entry, body) => (Arc::clone(body), false),
                _ => (Arc::new(body(site, images, entry)), true),
            }
        })
        .collect();
    let rendered = results.iter().filter(|(_, fresh)| *fresh).count();
    let bodies: Bodies = site
        .entries
        .iter()
        .zip(results)
        .map(|(e, (body, _))| ((e.lang, e.key.clone()), body))
        .collect();
    check_bodies(site, &bodies)?;
    Ok((bodies, rendered))
}

/// The output file a link to a path of this site leads to (`/az/page/#x` → `az/page/index.html`),
/// as a host serves it: the query and the fragment aside, percent-escapes decoded, the site's
/// base path taken off (`None`: the link leads outside the site's base path).
pub fn local_target(base_path: &str, destination: &str) -> Option<String> {
    let path = destination.split(['#', '?']).next().unwrap_or(destination);
    let path = crate::site::percent_decode(path).unwrap_or_else(|| path.to_string());
    let path = if base_path.is_empty() {
        path.as_str()
    } else {
        path.strip_prefix(base_path)
            .filter(|rest| rest.is_empty() || rest.starts_with('/'))?
    };
    let path = path.trim_start_matches('/');
    Some(if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    })
}

/// A warning for each link of the bodies to a path of this site that the output does not have
/// (`exists` says whether it has a file): a file not put in `static/`, a page's old or mistyped
/// address. Each once, on the page that has it.
pub fn check_local_links(
    site: &Site,
    bodies: &Bodies,
    exists: &dyn Fn(&str) -> bool,
) -> Vec<Diagnostic> {
    let base = &site.config.base_path;
    let mut warnings = Vec::new();
    for e in site.entries.iter().filter(|e| !e.fallback) {
        let Some(body) = bodies.get(&(e.lang, e.key.clone())) else {
            continue;
        };
        for (destination, at) in &body.local {
            let target = local_target(base, destination);
            if let Some(target) = &target
                && (exists(target) || exists(&format!("{target}/index.html")))
            {
                continue;
            }
            let mut warning = at.clone();
            warning.message = match target {
                None => format!(
                    "the link {destination} leads outside this site, which is published under {base}/"
                ),
                Some(_) => format!("the link {destination} leads to nothing on this site"),
            };
            let file = local_target("", destination).unwrap_or_default();
            let help = if file.ends_with("index.html") || !file.contains('.') {
                "link a page by its file, [text](@/folder/page.md): the link then follows the page if its address changes, and a wrong one is an error".to_string()
            } else {
                format!(
                    "put the file at static/{file} (it is published at {base}/{file}), or correct the path"
                )
            };
            warnings.push(warning.with_help(help));
        }
    }
    warnings
}

/// The link errors of every body, and every `#anchor` link checked against its target's headings.
pub fn check_bodies(site: &Site, bodies: &Bodies) -> Result<(), Diagnostics> {
    let mut problems = Diagnostics::default();
    for e in site.entries.iter() {
        let body = &bodies[&(e.lang, e.key.clone())];
        problems.extend(body.errors.iter().cloned());
        for (lang, key, anchor, at) in &body.anchors {
            let Some(target_body) = bodies.get(&(*lang, key.clone())) else {
                continue;
            };
            if target_body.toc.iter().any(|h| h.id == *anchor) {
                continue;
            }
            let target = site
                .entry(*lang, key)
                .map(|t| site.page(t).source.path.display().to_string())
                .unwrap_or_else(|| key.to_string());
            let ids: Vec<&str> = target_body.toc.iter().map(|h| h.id.as_str()).collect();
            let mut error = at.clone();
            error.message = format!("{target} has no heading with the id `{anchor}`");
            problems.push(error.with_help(if ids.is_empty() {
                "that page has no headings; link the page without #...".to_string()
            } else {
                format!(
                    "the ids there are: {}; or set one with ## Heading {{#{anchor}}}",
                    ids.join(", ")
                )
            }));
        }
    }
    if problems.has_errors() {
        problems.sort();
        return Err(problems);
    }
    Ok(())
}

/// One HTML file of a build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Job {
    /// An entry of the site (an index into [`Site::entries`]).
    Entry(usize),
    /// Page `n` (from 2) of a long section's listing.
    Listing(usize, usize),
    /// A page made from the service and agency files.
    Generated(Lang, Generated),
    /// The root page where a visitor chooses a language.
    Chooser,
    /// The 404 page of the root (`None`) or of a language.
    NotFound(Option<Lang>),
    /// A feed or a JSON file (not HTML: not minified).
    Data(data::DataFile),
    /// The search page of a language.
    Search(Lang),
    /// The page of a letter of a language's A–Z index, named by an initial of its titles
    /// (`None`: titles that begin with no letter or digit), when the index is split.
    SearchLetter(Lang, Option<char>),
    /// The search index of a language (JSON).
    SearchIndex(Lang),
    /// The web manifest of a language (`[app] offline`).
    Manifest(Lang),
    /// The offline page of a language (`[app] offline`).
    Offline(Lang),
}

/// Every HTML file the site makes: its path under the output and the job that makes it.
pub fn jobs(site: &Site, templates: &Templates) -> Vec<(String, Job)> {
    let mut jobs: Vec<(String, Job)> = site
        .entries
        .iter()
        .enumerate()
        .filter(|(_, e)| !e.output.is_empty())
        .map(|(i, e)| (e.output.clone(), Job::Entry(i)))
        .collect();
    for (i, e) in site.entries.iter().enumerate() {
        if e.output.is_empty() || site.page(i).kind != PageKind::Section {
            continue;
        }
        let folder = e.output.strip_suffix("index.html").unwrap_or(&e.output);
        for n in 2..=context::listing_pages(site, i) {
            jobs.push((format!("{folder}page/{n}/index.html"), Job::Listing(i, n)));
        }
    }
    let generated = site.generated();
    for lang in site.config.langs() {
        for &page in &generated {
            jobs.push((
                format!("{}index.html", site.generated_path(lang, page)),
                Job::Generated(lang, page),
            ));
        }
    }
    jobs.push(("index.html".into(), Job::Chooser));
    jobs.push(("404.html".into(), Job::NotFound(None)));
    for lang in site.config.langs() {
        jobs.push((
            format!("{}/404.html", site.config.code(lang)),
            Job::NotFound(Some(lang)),
        ));
    }
    jobs.extend(
        data::files(site)
            .into_iter()
            .map(|(path, file)| (path, Job::Data(file))),
    );
    // Each language's titles sorted to find its letters: one language a thread.
    let letters: Vec<Vec<(String, Option<char>)>> = site
        .config
        .langs()
        .collect::<Vec<_>>()
        .into_par_iter()
        .map(|lang| search::letter_pages(site, templates, lang))
        .collect();
    for lang in site.config.langs() {
        jobs.push((
            format!("{}index.html", search::page_path(site, lang)),
            Job::Search(lang),
        ));
        jobs.push((search::index_path(site, lang), Job::SearchIndex(lang)));
        jobs.extend(
            letters[lang.index()]
                .iter()
                .map(|(path, initial)| (path.clone(), Job::SearchLetter(lang, *initial))),
        );
        if site.config.app.offline {
            jobs.push((app::manifest_path(site, lang), Job::Manifest(lang)));
            jobs.push((app::offline_path(site, lang), Job::Offline(lang)));
        }
    }
    jobs
}

/// Checks that every template a page names exists.
pub fn check_templates(site: &Site, templates: &Templates) -> Result<(), Diagnostics> {
    let mut problems = Diagnostics::default();
    for page in &site.pages {
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
    Ok(())
}

/// The ids the template of `entry` gives the elements of its page.
fn reserved_ids(site: &Site, entry: usize) -> Option<Arc<std::collections::BTreeSet<String>>> {
    site.reserved_ids.get(&template_of(site, entry)).cloned()
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

/// Renders the job of an entry (its page, or a further page of its listing) with its body.
pub fn entry_page(
    site: &Site,
    templates: &Bound<'_>,
    strings: &crate::i18n::UiStrings,
    body: &Body,
    job: Job,
) -> Result<Vec<u8>, Diagnostic> {
    let (entry, listing) = match job {
        Job::Entry(entry) => (entry, 1),
        Job::Listing(entry, n) => (entry, n),
        _ => unreachable!("not the job of an entry: {job:?}"),
    };
    let e = &site.entries[entry];
    let context = context::entry(site, strings, entry, body, listing);
    let shown = site.page(entry).source.path.display().to_string();
    templates
        .render(e.lang, &template_of(site, entry), &context, &shown)
        .map(String::into_bytes)
}

/// Renders one job. The second value holds the problems found in the texts it shows.
pub fn render(
    site: &Site,
    templates: &Bound<'_>,
    strings: &crate::i18n::UiStrings,
    assets: &crate::assets::Assets,
    bodies: &Bodies,
    job: Job,
) -> (Result<Vec<u8>, Diagnostic>, Vec<Diagnostic>) {
    let html = match job {
        Job::Data(file) => return (Ok(data::render(site, strings, file)), Vec::new()),
        Job::Search(lang) => {
            return (
                search::render_page(site, templates, strings, bodies, lang),
                Vec::new(),
            );
        }
        Job::SearchIndex(lang) => return (Ok(search::index(site, bodies, lang)), Vec::new()),
        Job::SearchLetter(lang, initial) => {
            return (
                search::render_letter(site, templates, strings, lang, initial),
                Vec::new(),
            );
        }
        Job::Manifest(lang) => {
            return (Ok(app::manifest(site, strings, assets, lang)), Vec::new());
        }
        Job::Offline(lang) => {
            return (
                app::offline_page(site, templates, strings, lang),
                Vec::new(),
            );
        }
        Job::Entry(entry) | Job::Listing(entry, _) => {
            let e = &site.entries[entry];
            let body = &bodies[&(e.lang, e.key.clone())];
            return (entry_page(site, templates, strings, body, job), Vec::new());
        }
        Job::Generated(lang, page) => {
            let (result, problems) = generated::render(site, templates, strings, lang, page);
            return (result.map(|file| file.bytes), problems);
        }
        Job::Chooser => templates.render(
            site.config.default_lang(),
            "chooser.html",
            &context::chooser(site),
            "the language chooser (index.html)",
        ),
        Job::NotFound(lang) => {
            let (lang, path) = match lang {
                None => (site.config.default_lang(), "404.html".to_string()),
                Some(l) => (l, format!("{}/404.html", site.config.code(l))),
            };
            templates.render(
                lang,
                "404.html",
                &context::not_found(site, lang),
                &format!("the 404 page {path}"),
            )
        }
    };
    (html.map(String::into_bytes), Vec::new())
}

#[cfg(test)]
mod tests {
    use super::local_target;

    #[test]
    fn a_local_link_leads_to_the_file_a_host_would_serve() {
        for (base, link, target) in [
            ("", "/", Some("index.html")),
            ("", "/az/page/", Some("az/page/index.html")),
            ("", "/az/page/#fee", Some("az/page/index.html")),
            ("", "/files/form.pdf?v=2", Some("files/form.pdf")),
            (
                "",
                "/files/%C9%99riz%C9%99%20100%25.txt",
                Some("files/ərizə 100%.txt"),
            ),
            ("/portal", "/portal/az/", Some("az/index.html")),
            ("/portal", "/portal", Some("index.html")),
            ("/portal", "/portals/az/", None),
            ("/portal", "/az/", None),
        ] {
            assert_eq!(local_target(base, link).as_deref(), target, "{base} {link}");
        }
    }
}
