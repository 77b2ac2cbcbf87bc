//! The loaded site: every page in every language, with its URL, its section and its translations.
//!
//! 1. Index the pages by language and key; two pages with one key in one language are an error.
//! 2. Make an [`Entry`] for every page in every language: the page itself where it is translated,
//!    else (when fallback is on) the page of the first language of the fallback order that has
//!    it (the default language's, unless the page has no original there), at this language's URL.
//! 3. Give every entry its URL from the slugs of its sections in its language; two entries on one
//!    URL are an error naming both files.
//! 4. Link sections to their pages and subsections, sorted by weight, then title.
//! 5. Resolve the menus of site.toml and, on request, `@/` links in Markdown.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::Arc;

use serde::Serialize;

use crate::catalog::Catalog;
use crate::config::{Config, Lang, MenuItem};
use crate::content::{Content, Page, PageKind};
use crate::error::{Diagnostic, Diagnostics};
use crate::i18n::locale::Locales;
use crate::record::{Fact, Key, note};

/// One page as published in one language: found by its language and key.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The language of the URL and of the interface around the page.
    pub lang: Lang,
    /// The page's key, shared by its translations.
    pub key: Key,
    /// Index of the source page in [`Site::pages`]; for a fallback, the page of the first
    /// language of the fallback order that has it (the default language's, where it exists).
    pub page: usize,
    /// The page is not translated into `lang`: its body is in the default language.
    pub fallback: bool,
    /// Site-absolute URL with the base path: `/docs/en/stay/register/`.
    pub url: String,
    /// Output file relative to the output folder: `en/stay/register/index.html`.
    pub output: String,
    /// The enclosing section's entry in the same language.
    pub parent: Option<usize>,
    /// For sections: their pages, then subsections, each sorted by weight and title.
    pub pages: Vec<usize>,
    pub subsections: Vec<usize>,
}

/// A resolved menu entry.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct MenuLink {
    pub title: String,
    pub url: String,
}

/// The whole site, ready to render. Cloning it is cheap: the tables are shared.
#[derive(Debug, Clone)]
pub struct Site {
    pub config: Arc<Config>,
    /// The services and agencies.
    pub catalog: Arc<Catalog>,
    /// Dates, numbers, collation and case for each language.
    pub locales: Arc<Locales>,
    pub pages: Vec<Arc<Page>>,
    pub entries: Arc<Vec<Entry>>,
    /// The main menu of each language, by language.
    pub menus: Vec<Vec<MenuLink>>,
    /// The footer links of each language, by language.
    pub footers: Vec<Vec<MenuLink>>,
    /// By template, the ids it gives the elements of a page (`main`, `menu`): a heading of a
    /// page rendered with it takes none of them (see [`crate::render::Templates::fixed_ids`]).
    pub reserved_ids: Arc<BTreeMap<String, Arc<BTreeSet<String>>>>,
    /// Key → the entry in each language (by [`Lang::index`]).
    by_key: Arc<HashMap<Key, Vec<Option<usize>>>>,
    /// Path under `content/<lang>/` → the page in each language.
    by_rel: Arc<HashMap<String, Vec<Option<usize>>>>,
    drafts: Arc<HashSet<(Lang, String)>>,
}

impl Site {
    /// Builds the site model from the configuration and the parsed content.
    pub fn new(
        config: Arc<Config>,
        content: &Content,
        catalog: Arc<Catalog>,
        locales: Arc<Locales>,
    ) -> Result<Site, Diagnostics> {
        let mut problems = Diagnostics::default();
        let pages: Vec<Arc<Page>> = content.pages().cloned().collect();
        let drafts: HashSet<(Lang, String)> =
            content.drafts().map(|(l, r)| (l, r.to_string())).collect();
        let languages = config.languages.len();
        let lang_of = |page: &Page| page.lang;

        let mut key_pages: HashMap<(Lang, &str), usize> = HashMap::new();
        let mut by_rel: HashMap<String, Vec<Option<usize>>> = HashMap::new();
        for (i, page) in pages.iter().enumerate() {
            let lang = lang_of(page);
            by_rel
                .entry(page.rel.clone())
                .or_insert_with(|| vec![None; languages])[lang.index()] = Some(i);
            if let Some(&other) = key_pages.get(&(lang, page.key.as_str())) {
                let diagnostic = match &page.meta.key {
                    Some(key) => page.error_at(
                        format!(
                            "the key `{}` is already used by {}",
                            page.key,
                            pages[other].source.path.display()
                        ),
                        key.span(),
                    ),
                    None => Diagnostic::error(format!(
                        "the key `{}` is already used by {}",
                        page.key,
                        pages[other].source.path.display()
                    ))
                    .in_file(&page.source.path)
                    .at_span(&page.source.text, 0..3),
                };
                problems.push(diagnostic.with_help(
                    "pages in one language need different keys; give one of them another `key`",
                ));
                continue;
            }
            key_pages.insert((lang, page.key.as_str()), i);
        }

        // Keys in a stable order.
        let keys: BTreeSet<&str> = pages.iter().map(|p| p.key.as_str()).collect();
        let keys: Vec<Key> = keys.into_iter().map(Key::from).collect();

        let mut entries: Vec<Entry> = Vec::new();
        let mut by_key: HashMap<Key, Vec<Option<usize>>> = HashMap::with_capacity(keys.len());
        for lang in config.langs() {
            for key in &keys {
                let own = key_pages.get(&(lang, &**key));
                let (page, fallback) = match own {
                    Some(&page) => (page, false),
                    // The first language of the fallback order that has the page: the default
                    // language, unless the page has no original there.
                    None if config.fallback_pages => match config
                        .fallback_order
                        .iter()
                        .find_map(|&from| key_pages.get(&(from, &**key)))
                    {
                        Some(&page) => (page, true),
                        None => continue,
                    },
                    None => continue,
                };
                by_key
                    .entry(key.clone())
                    .or_insert_with(|| vec![None; languages])[lang.index()] = Some(entries.len());
                entries.push(Entry {
                    lang,
                    key: key.clone(),
                    page,
                    fallback,
                    url: String::new(),
                    output: String::new(),
                    parent: None,
                    pages: Vec::new(),
                    subsections: Vec::new(),
                });
            }
        }

        let mut site = Site {
            config,
            catalog,
            locales,
            pages,
            entries: Arc::new(entries),
            menus: Vec::new(),
            footers: Vec::new(),
            by_key: Arc::new(by_key),
            by_rel: Arc::new(by_rel),
            drafts: Arc::new(drafts),
            reserved_ids: Arc::default(),
        };
        site.assign_urls(&mut problems);
        site.link_sections();
        site.check_generated_urls(&mut problems);
        site.resolve_menus(&mut problems);
        site.check_homes(&mut problems);
        site.check_services(&mut problems);
        if problems.has_errors() {
            return Err(problems);
        }
        Ok(site)
    }

    /// Every language needs a home page (the language chooser, the breadcrumbs and the generated
    /// pages link to it): its own, or the default language's when fallback is on.
    fn check_homes(&self, problems: &mut Diagnostics) {
        if self.pages.is_empty() {
            problems.push(
                Diagnostic::error("the site has no pages")
                    .in_file("content")
                    .with_help(format!(
                        "create content/{}/_index.md with a title: the home page of the default language",
                        self.config.default_language
                    )),
            );
            return;
        }
        for lang in self.config.langs() {
            if self.home(lang).is_none() {
                let code = self.config.code(lang);
                problems.push(
                    Diagnostic::error(format!("the language `{code}` has no home page"))
                        .in_file(format!("content/{code}/_index.md"))
                        .with_help(format!(
                            "create content/{code}/_index.md{}",
                            if self.config.fallback_pages {
                                format!(
                                    ", or content/{}/_index.md to show in its place",
                                    self.config.default_language
                                )
                            } else {
                                " (with [fallback] pages = false, every language needs its own)"
                                    .into()
                            }
                        )),
                );
            }
        }
    }

    /// The services a page names in `services = [...]` must exist.
    fn check_services(&self, problems: &mut Diagnostics) {
        for page in &self.pages {
            for service in &page.meta.services {
                let id = service.get_ref();
                if !self.catalog.knows_service(id) {
                    let known: Vec<&str> = self
                        .catalog
                        .services
                        .iter()
                        .map(|s| s.data.id.get_ref().as_str())
                        .collect();
                    let help = match crate::source::closest(id, &known) {
                        Some(best) => format!("did you mean `{best}`?"),
                        None => format!(
                            "services are the files content/services/<id>.toml; there is no {id}.toml"
                        ),
                    };
                    problems.push(
                        page.error_at(format!("there is no service `{id}`"), service.span())
                            .with_help(help),
                    );
                }
            }
        }
    }

    /// The section entry of folder `dir` in `lang`.
    fn section(lang: Lang, dir: &str, sections: &HashMap<(Lang, &str), usize>) -> Option<usize> {
        sections.get(&(lang, dir)).copied()
    }

    fn section_index(&self) -> HashMap<(Lang, &str), usize> {
        self.entries
            .iter()
            .enumerate()
            .filter(|(_, e)| self.pages[e.page].kind == PageKind::Section)
            .map(|(i, e)| ((e.lang, self.pages[e.page].dir.as_str()), i))
            .collect()
    }

    fn assign_urls(&mut self, problems: &mut Diagnostics) {
        let sections = self.section_index();
        let mut taken: HashMap<String, usize> = HashMap::new();
        let mut assigned: Vec<Option<(String, String)>> = Vec::with_capacity(self.entries.len());
        for i in 0..self.entries.len() {
            let entry = &self.entries[i];
            let page = &self.pages[entry.page];
            let mut segments: Vec<String> = Vec::new();
            let mut prefix = String::new();
            for part in page.dir.split('/').filter(|p| !p.is_empty()) {
                if !prefix.is_empty() {
                    prefix.push('/');
                }
                prefix.push_str(part);
                if page.kind == PageKind::Section && prefix == page.dir {
                    break;
                }
                let slug = match Self::section(entry.lang, &prefix, &sections) {
                    Some(s) => self.pages[self.entries[s].page].slug.clone(),
                    None => {
                        // A folder without a section page is a segment of the URL as it is.
                        if let Err(why) = crate::validate::segment(part)
                            && !entry.fallback
                        {
                            problems.push(
                                Diagnostic::error(format!(
                                    "the folder name {part:?} {why}, and it is part of this page's URL"
                                ))
                                .in_file(&page.source.path)
                                .with_help(format!(
                                    "rename the folder, or give it a section page {prefix}/_index.md with a `slug`"
                                )),
                            );
                        }
                        part.to_string()
                    }
                };
                segments.push(slug);
            }
            if !page.is_home() {
                segments.push(page.slug.clone());
            }
            let mut path = format!("{}/", self.config.code(entry.lang));
            for segment in &segments {
                path.push_str(segment);
                path.push('/');
            }
            let url = format!("{}/{}", self.config.base_path, encode_path(&path));
            let output = format!("{path}index.html");
            // Compared without case: hosts on macOS and Windows file systems, and some CDNs,
            // would serve one for the other.
            if let Some(&other) = taken.get(&output.to_lowercase()) {
                // Two fallbacks collide where their originals do: that is reported once, there.
                if entry.fallback && self.entries[other].fallback {
                    assigned.push(None);
                    continue;
                }
                let first = &self.pages[self.entries[other].page];
                let shown = |e: &Entry, p: &Page| {
                    if e.fallback {
                        format!(
                            "{} (shown untranslated in {})",
                            p.source.path.display(),
                            self.config.code(e.lang)
                        )
                    } else {
                        p.source.path.display().to_string()
                    }
                };
                let other_url = &self.entries[other].url;
                let shown_url = if assigned[other].as_ref().is_some_and(|(u, _)| u == &url) {
                    url.clone()
                } else {
                    format!(
                        "{url} (and {}, which differs only in case)",
                        assigned[other].as_ref().map_or(other_url, |(u, _)| u)
                    )
                };
                problems.push(
                    page.url_diagnostic(format!(
                        "two pages would be published at {shown_url}: {} and {}",
                        shown(&self.entries[other], first),
                        shown(entry, page)
                    ))
                    .with_help("give one of them another `slug`, or move it to another folder"),
                );
                assigned.push(None);
                continue;
            }
            taken.insert(output.to_lowercase(), i);
            assigned.push(Some((url, output)));
        }
        for (entry, assigned) in Arc::make_mut(&mut self.entries).iter_mut().zip(assigned) {
            if let Some((url, output)) = assigned {
                entry.url = url;
                entry.output = output;
            }
        }
    }

    fn link_sections(&mut self) {
        let parents: Vec<Option<usize>> = {
            let sections = self.section_index();
            self.entries
                .iter()
                .map(|entry| {
                    let page = &self.pages[entry.page];
                    if page.is_home() {
                        return None;
                    }
                    let mut dir = match page.kind {
                        PageKind::Section => parent_dir(&page.dir),
                        PageKind::Page => page.dir.as_str(),
                    };
                    loop {
                        if let Some(s) = Self::section(entry.lang, dir, &sections) {
                            break Some(s);
                        }
                        if dir.is_empty() {
                            break None;
                        }
                        dir = parent_dir(dir);
                    }
                })
                .collect()
        };
        let entries = Arc::make_mut(&mut self.entries);
        for (i, parent) in parents.into_iter().enumerate() {
            entries[i].parent = parent;
            if let Some(parent) = parent {
                match self.pages[entries[i].page].kind {
                    PageKind::Section => entries[parent].subsections.push(i),
                    PageKind::Page => entries[parent].pages.push(i),
                }
            }
        }
        for i in 0..self.entries.len() {
            self.sort_children(i);
        }
    }

    /// Sorts a section's pages and subsections (see [`Site::order`]); the shared table of
    /// entries is copied only when the order changes.
    fn sort_children(&mut self, section: usize) {
        let mut pages = self.entries[section].pages.clone();
        let mut subsections = self.entries[section].subsections.clone();
        pages.sort_by(|&a, &b| self.order(a, b));
        subsections.sort_by(|&a, &b| self.order(a, b));
        let entry = &self.entries[section];
        if entry.pages == pages && entry.subsections == subsections {
            return;
        }
        let entries = Arc::make_mut(&mut self.entries);
        entries[section].pages = pages;
        entries[section].subsections = subsections;
    }

    /// The index in [`Site::pages`] of `content/<lang>/<rel>`.
    pub fn page_index(&self, lang: Lang, rel: &str) -> Option<usize> {
        self.by_rel.get(rel).and_then(|found| found[lang.index()])
    }

    /// The same site with pages replaced by new versions of themselves: same file, key, slug and
    /// place (the caller checks). Their sections are sorted again when a title or weight changed.
    pub fn with_pages(&self, replaced: &[(usize, Arc<Page>)]) -> Site {
        let mut site = self.clone();
        let mut resort = Vec::new();
        for (index, page) in replaced {
            let old = &site.pages[*index];
            let moved = old.meta.title != page.meta.title || old.meta.weight != page.meta.weight;
            site.pages[*index] = Arc::clone(page);
            if moved {
                let shown = site.entries_of_page(*index);
                resort.extend(shown.into_iter().filter_map(|e| site.entries[e].parent));
            }
        }
        resort.sort_unstable();
        resort.dedup();
        for section in resort {
            site.sort_children(section);
        }
        site
    }

    /// The entries that show page `index` (in its language, and as a fallback in others).
    pub fn entries_of_page(&self, index: usize) -> Vec<usize> {
        let key = &self.pages[index].key;
        self.config
            .langs()
            .filter_map(|l| self.entry(l, key))
            .filter(|&e| self.entries[e].page == index)
            .collect()
    }

    /// Weight first (unweighted last), then title by the language's collation, then URL so that
    /// the order is total.
    fn order(&self, a: usize, b: usize) -> std::cmp::Ordering {
        let (ea, eb) = (&self.entries[a], &self.entries[b]);
        let (ma, mb) = (&self.pages[ea.page].meta, &self.pages[eb.page].meta);
        let locale = self.locales.get(ea.lang);
        ma.weight
            .unwrap_or(i64::MAX)
            .cmp(&mb.weight.unwrap_or(i64::MAX))
            .then_with(|| locale.compare(&ma.title, &mb.title))
            .then_with(|| ea.url.cmp(&eb.url))
    }

    fn resolve_menus(&mut self, problems: &mut Diagnostics) {
        let config = Arc::clone(&self.config);
        let mut menus = Vec::new();
        let mut footers = Vec::new();
        for lang in config.langs() {
            menus.push(self.resolve_links(lang, &config[lang].menu, problems));
            footers.push(self.resolve_links(lang, &config[lang].footer, problems));
        }
        self.menus = menus;
        self.footers = footers;
    }

    fn resolve_links(
        &self,
        lang: Lang,
        items: &[MenuItem],
        problems: &mut Diagnostics,
    ) -> Vec<MenuLink> {
        let mut links = Vec::new();
        for item in items {
            match self.resolve_menu_link(lang, &item.link) {
                Ok(url) => links.push(MenuLink {
                    title: item.title.clone(),
                    url,
                }),
                Err((message, help)) => problems.push(
                    Diagnostic::error(message)
                        .in_file(&self.config.source.path)
                        .at_span(&self.config.source.text, item.span.clone())
                        .with_help(help),
                ),
            }
        }
        links
    }

    fn resolve_menu_link(&self, lang: Lang, link: &str) -> Result<String, (String, String)> {
        if link.starts_with('@') {
            Ok(self.resolve(lang, link)?.url(self))
        } else if link.starts_with("//")
            || link.starts_with("/\\")
            || link.contains(|c: char| c.is_whitespace() || c.is_control() || c == '\\')
        {
            // `//host/` and `/\host/` lead to another site in every browser.
            Err((
                format!("the menu link {link:?} leads to another site, or holds spaces or backslashes"),
                "write a path on this site starting with a single /, or a full address starting with https://".into(),
            ))
        } else if link.starts_with("https://")
            || link.starts_with("http://")
            || link.starts_with('/')
        {
            Ok(link.to_string())
        } else {
            Err((
                format!("the menu link {link:?} is neither an internal link nor an absolute URL"),
                "link a page as \"@/folder/page.md\", or give a full address starting with https://".into(),
            ))
        }
    }

    /// Resolves an internal link written in language `lang`: `@/stay/register.md#fee`. The
    /// output being rendered notes the summary of what the link leads to.
    pub fn resolve(&self, lang: Lang, link: &str) -> Result<LinkTarget, (String, String)> {
        let (path, anchor) = match link.split_once('#') {
            Some((path, anchor)) => (path, Some(anchor.to_string())),
            None => (link, None),
        };
        let generated = |target: Generated| LinkTarget {
            target: Target::Generated(lang, target),
            anchor: anchor.clone(),
        };
        if let Some(id) = path.strip_prefix("@service/") {
            return match self.catalog.service(id) {
                Some(i) => Ok(generated(Generated::Service(i))),
                None => Err((
                    format!("the link `{link}` points to a service that does not exist"),
                    format!(
                        "services are the files content/services/<id>.toml; there is no {id}.toml"
                    ),
                )),
            };
        }
        if let Some(id) = path.strip_prefix("@agency/") {
            return match self.catalog.agency(id) {
                Some(i) => Ok(generated(Generated::Agency(i))),
                None => Err((
                    format!("the link `{link}` points to an agency that does not exist"),
                    format!(
                        "agencies are the files content/agencies/<id>.toml; there is no {id}.toml"
                    ),
                )),
            };
        }
        match path {
            "@services" => return Ok(generated(Generated::Services)),
            "@agencies" => return Ok(generated(Generated::Agencies)),
            _ => {}
        }
        let Some(file) = path.strip_prefix("@/") else {
            return Err((
                format!("unknown kind of internal link `{link}`"),
                "link a page by its file, [text](@/folder/page.md), a service, @service/<id>, an agency, @agency/<id>, or the indexes @services and @agencies".into(),
            ));
        };
        if !file.ends_with(".md") {
            return Err((
                format!("the internal link `{link}` does not name a Markdown file"),
                "link the file as it is under content/<language>/, e.g. @/stay/register.md or @/stay/_index.md".into(),
            ));
        }
        // Whether the file exists (in any language) is what decides where the link goes; when it
        // does not, the error depends on it: note it under the file's own name.
        if crate::record::noting() {
            note(Fact::Summary(lang, Key::from(format!("@/{file}"))));
        }
        let default = self.config.default_lang();
        let languages = std::iter::once(lang)
            .chain(std::iter::once(default))
            .chain(self.config.langs());
        let in_languages = self.by_rel.get(file);
        let page = in_languages.and_then(|found| languages.clone().find_map(|l| found[l.index()]));
        let Some(page) = page else {
            let is_draft = languages
                .clone()
                .any(|l| self.drafts.contains(&(l, file.to_string())));
            return Err(if is_draft {
                (
                    format!("the link `{link}` points to a draft"),
                    "publish the page (draft = false), build with --drafts, or remove the link"
                        .into(),
                )
            } else {
                (
                    format!("the link `{link}` points to content/{}/{file}, which does not exist", self.config.code(lang)),
                    "check the file name; links are written to the file under content/<language>/, e.g. @/stay/register.md".into(),
                )
            });
        };
        let key = &self.pages[page].key;
        let entry = languages
            .filter_map(|l| self.entry(l, key))
            .next()
            .expect("a page that exists has an entry in its own language");
        if crate::record::noting() {
            note(Fact::Summary(
                self.entries[entry].lang,
                self.entries[entry].key.clone(),
            ));
        }
        Ok(LinkTarget {
            target: Target::Entry(entry),
            anchor,
        })
    }

    /// The generated pages of every language: indexes, services, agencies, audiences in use.
    pub fn generated(&self) -> Vec<Generated> {
        let mut pages = Vec::new();
        if self.catalog.services.is_empty() && self.catalog.agencies.is_empty() {
            return pages;
        }
        if !self.catalog.services.is_empty() {
            pages.push(Generated::Services);
            for (a, audience) in crate::catalog::AUDIENCES.iter().enumerate() {
                if self
                    .catalog
                    .services
                    .iter()
                    .any(|s| s.data.audience.iter().any(|x| x.get_ref() == audience))
                {
                    pages.push(Generated::Audience(a));
                }
            }
            pages.extend((0..self.catalog.services.len()).map(Generated::Service));
        }
        if !self.catalog.agencies.is_empty() {
            pages.push(Generated::Agencies);
            pages.extend((0..self.catalog.agencies.len()).map(Generated::Agency));
        }
        pages
    }

    /// The path of a generated page under the output, without `index.html`: `en/services/x/`.
    pub fn generated_path(&self, lang: Lang, page: Generated) -> String {
        let sections = &self.config[lang].sections;
        let lang = self.config.code(lang);
        match page {
            Generated::Services => format!("{lang}/{}/", sections.services),
            Generated::Audience(a) => format!(
                "{lang}/{}/for-{}/",
                sections.services,
                crate::catalog::AUDIENCES[a]
            ),
            Generated::Service(i) => format!(
                "{lang}/{}/{}/",
                sections.services,
                self.catalog.services[i].data.id.get_ref()
            ),
            Generated::Agencies => format!("{lang}/{}/", sections.agencies),
            Generated::Agency(i) => format!(
                "{lang}/{}/{}/",
                sections.agencies,
                self.catalog.agencies[i].data.id.get_ref()
            ),
        }
    }

    pub fn generated_url(&self, lang: Lang, page: Generated) -> String {
        format!(
            "{}/{}",
            self.config.base_path,
            encode_path(&self.generated_path(lang, page))
        )
    }

    /// A generated page may not take the URL of a Markdown page.
    fn check_generated_urls(&self, problems: &mut Diagnostics) {
        let taken: HashMap<&str, usize> = self
            .entries
            .iter()
            .enumerate()
            .map(|(i, e)| (e.output.as_str(), i))
            .collect();
        for lang in self.config.langs() {
            for page in self.generated() {
                let output = format!("{}index.html", self.generated_path(lang, page));
                if let Some(&entry) = taken.get(output.as_str()) {
                    problems.push(
                        self.page(entry)
                            .url_diagnostic(format!(
                                "this page would be published at {}, where karvan puts the {}",
                                self.entries[entry].url,
                                match page {
                                    Generated::Services | Generated::Audience(_) => "services index",
                                    Generated::Agencies => "agencies index",
                                    Generated::Service(_) => "page of a service",
                                    Generated::Agency(_) => "page of an agency",
                                }
                            ))
                            .with_help("give the page another slug, or rename the section in site.toml's `sections`"),
                    );
                }
            }
            let folder = crate::render::search::page_path(self, lang);
            let search = format!("{folder}index.html");
            if let Some(&entry) = taken.get(search.as_str()) {
                problems.push(
                    self.page(entry)
                        .url_diagnostic(format!(
                            "this page would be published at {}, where karvan puts the search page",
                            self.entries[entry].url
                        ))
                        .with_help("give the page another slug, or rename the search in site.toml's `sections`"),
                );
            }
            // A long A–Z index has a page per letter in the search's folder: `en/search/a/`.
            let mut inside: Vec<usize> = self
                .entries
                .iter()
                .enumerate()
                .filter(|(_, e)| e.output.starts_with(&folder) && e.output != search)
                .map(|(i, _)| i)
                .collect();
            inside.sort_by(|a, b| self.entries[*a].output.cmp(&self.entries[*b].output));
            for entry in inside {
                problems.push(
                    self.page(entry)
                        .url_diagnostic(format!(
                            "this page would be published at {}, inside the search page's folder, where karvan puts the pages of the A–Z index",
                            self.entries[entry].url
                        ))
                        .with_help("move the page to another section, or rename the search in site.toml's `sections`"),
                );
            }
        }
    }

    /// The entry of `key` in `lang`, real or fallback.
    pub fn entry(&self, lang: Lang, key: &str) -> Option<usize> {
        self.by_key.get(key).and_then(|found| found[lang.index()])
    }

    /// In which languages a file `content/<lang>/<rel>` exists (published or a draft): what a
    /// link to it finds.
    pub fn file_presence(&self, rel: &str) -> (Vec<bool>, Vec<bool>) {
        let published = self.by_rel.get(rel).map_or_else(
            || vec![false; self.config.languages.len()],
            |found| found.iter().map(Option::is_some).collect(),
        );
        let drafts = self
            .config
            .langs()
            .map(|l| self.drafts.contains(&(l, rel.to_string())))
            .collect();
        (published, drafts)
    }

    /// The code of an entry's language.
    pub fn code(&self, entry: usize) -> &str {
        self.config.code(self.entries[entry].lang)
    }

    pub fn page(&self, entry: usize) -> &Page {
        &self.pages[self.entries[entry].page]
    }

    /// The real (translated) entries of the same page, in language order.
    pub fn translations(&self, entry: usize) -> Vec<usize> {
        let key = &self.entries[entry].key;
        self.config
            .langs()
            .filter_map(|l| self.entry(l, key))
            .filter(|&e| !self.entries[e].fallback)
            .collect()
    }

    /// The home entry of a language, if the language has one.
    /// (A lookup, not a scan: templates ask for every language's home on every page.)
    pub fn home(&self, lang: Lang) -> Option<usize> {
        let homes = self.by_rel.get("_index.md")?;
        let page = homes[lang.index()].or(homes[self.config.default_lang().index()])?;
        self.entry(lang, &self.pages[page].key)
    }

    /// The entries from the home to `entry`'s parent.
    pub fn ancestors(&self, entry: usize) -> Vec<usize> {
        let mut chain = Vec::new();
        let mut current = self.entries[entry].parent;
        while let Some(e) = current {
            chain.push(e);
            current = self.entries[e].parent;
        }
        chain.reverse();
        chain
    }
}

/// A page made from the service and agency files rather than from Markdown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Generated {
    /// The services index, grouped by topic.
    Services,
    /// The services for one audience (index into [`crate::catalog::AUDIENCES`]).
    Audience(usize),
    Service(usize),
    Agencies,
    Agency(usize),
}

/// What an internal link points to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Entry(usize),
    /// A generated page in a language.
    Generated(Lang, Generated),
}

/// Where an internal link goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkTarget {
    pub target: Target,
    pub anchor: Option<String>,
}

impl LinkTarget {
    pub fn url(&self, site: &Site) -> String {
        let base = match &self.target {
            Target::Entry(entry) => site.entries[*entry].url.clone(),
            Target::Generated(lang, page) => site.generated_url(*lang, *page),
        };
        match &self.anchor {
            Some(anchor) => format!("{base}#{anchor}"),
            None => base,
        }
    }
}

fn parent_dir(dir: &str) -> &str {
    dir.rsplit_once('/').map_or("", |(parent, _)| parent)
}

/// `%XX` sequences decoded (as the site's `encode_path` writes them: UTF-8 bytes); None when the
/// result is not UTF-8. A `%` not followed by two hex digits stays as it is.
pub fn percent_decode(path: &str) -> Option<String> {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && let (Some(&h), Some(&l)) = (bytes.get(i + 1), bytes.get(i + 2))
            && let (Some(h), Some(l)) = (hex(h), hex(l))
        {
            out.push((h * 16 + l) as u8);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Percent-encodes what is not safe in a URL path, keeping `/`.
pub fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_non_ascii_slugs() {
        assert_eq!(encode_path("az/qeydiyyat/"), "az/qeydiyyat/");
        assert_eq!(encode_path("az/şəhər/"), "az/%C5%9F%C9%99h%C9%99r/");
    }
}
