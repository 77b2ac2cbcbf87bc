//! A build kept in memory and brought up to date by edits: what `serve` runs on, and what a
//! one-shot build is (a session started and dropped).
//!
//! 1. [`Session::start`] runs every stage and renders every file, noting for each HTML file the
//!    facts it read (see [`crate::record`]) in the [`Record`].
//! 2. [`Session::update`] takes the paths that changed and reloads only the stages they belong
//!    to (a page's file, the catalog, the strings, the static files, the templates; site.toml
//!    starts over), builds the site model again (cheap: unchanged pages are shared), keeps the
//!    Markdown bodies whose page and links are unchanged, and renders again only the HTML files
//!    one of whose facts has a new digest, or that are new.
//! 3. Nothing of the session changes until the update has succeeded: a failed update leaves the
//!    last good output in place, and the next update starts from it again with every path that
//!    changed since.

use super::*;
use crate::content::Page;

/// For every HTML file, the facts it was made from; for every fact, its digest and its readers.
#[derive(Debug, Default)]
struct Record {
    /// Output path → the facts it read, with their digests when it was rendered.
    outputs: HashMap<Arc<str>, Facts>,
    /// Fact → its digest when its readers were rendered, and the readers. Every reader of a
    /// fact was rendered with the same digest: when it changes, they are all rendered again.
    readers: HashMap<Fact, (Option<Digest>, HashSet<Arc<str>>)>,
}

impl Record {
    fn forget(&mut self, path: &str) {
        let Some(facts) = self.outputs.remove(path) else {
            return;
        };
        for (fact, _) in facts {
            if let Some((_, readers)) = self.readers.get_mut(&fact) {
                readers.remove(path);
                if readers.is_empty() {
                    self.readers.remove(&fact);
                }
            }
        }
    }

    fn remember(&mut self, path: Arc<str>, facts: Facts) {
        self.forget(&path);
        for (fact, digest) in &facts {
            let entry = self
                .readers
                .entry(fact.clone())
                .or_insert_with(|| (*digest, HashSet::new()));
            entry.0 = *digest;
            entry.1.insert(Arc::clone(&path));
        }
        self.outputs.insert(path, facts);
    }
}

/// Every stage's output.
struct Stages {
    config: Arc<Config>,
    content: Content,
    content_warnings: Diagnostics,
    catalog: Arc<Catalog>,
    catalog_warnings: Diagnostics,
    catalog_digest: Digest,
    locales: Arc<Locales>,
    strings: Arc<UiStrings>,
    assets: Arc<Assets>,
    templates: Arc<Templates>,
    used_keys: Vec<KeyUse>,
}

/// What the stages after `site` made.
struct Built {
    site: Arc<Site>,
    bodies: Bodies,
    warnings: Diagnostics,
}

/// A build kept in memory and brought up to date by edits.
///
/// [`Session::update`] takes the paths that changed and re-runs what they touch; when it fails,
/// the session keeps its last good output, so a server can go on answering from it.
pub struct Session {
    pub(super) options: Options,
    stages: Stages,
    built: Built,
    record: Record,
    /// Every HTML file, minified, and the job that makes it.
    pages: HashMap<Arc<str>, Bytes>,
    jobs: HashMap<Arc<str>, Job>,
    pub(super) output: Output,
    pub(super) report: Report,
    /// Paths changed since the last good build (kept while updates fail).
    pending: BTreeSet<PathBuf>,
    /// The worker threads of updates.
    pool: Arc<rayon::ThreadPool>,
    /// Whether the record is kept (else every update starts over).
    noting: bool,
}

/// What an update changed in the output.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Update {
    /// Output files that are new or whose bytes changed, sorted.
    pub changed: Vec<String>,
    /// Output files that are gone, sorted.
    pub removed: Vec<String>,
    /// How many HTML files were rendered.
    pub rendered: usize,
    pub elapsed: Duration,
}

/// Which stages a set of changed paths touches.
#[derive(Debug, Default)]
struct Touched {
    everything: bool,
    content: Vec<PathBuf>,
    catalog: bool,
    strings: bool,
    assets: bool,
    templates: bool,
}

impl Touched {
    /// Nothing a build reads changed.
    fn is_nothing(&self) -> bool {
        !self.everything
            && self.content.is_empty()
            && !self.catalog
            && !self.strings
            && !self.assets
            && !self.templates
    }

    /// Only UI strings or templates changed: the site and its bodies stay as they are.
    fn is_interface_only(&self) -> bool {
        !self.everything
            && self.content.is_empty()
            && !self.catalog
            && !self.assets
            && (self.strings || self.templates)
    }

    fn of(config: &Config, paths: &BTreeSet<PathBuf>) -> Touched {
        let root = &config.root;
        let content = config.content_dir();
        let theme = config.theme_dir();
        let mut touched = Touched::default();
        for path in paths {
            let path = if path.is_absolute() {
                path.clone()
            } else {
                root.join(path)
            };
            let under = |folder: &Path, name: &str| path.starts_with(folder.join(name));
            if path == root.join(crate::config::CONFIG_FILE)
                || path == *root
                || path == content
                || path == root.join("themes")
                || path == theme
            {
                touched.everything = true;
            } else if under(&content, "services") || under(&content, "agencies") {
                touched.catalog = true;
            } else if path.starts_with(&content) {
                touched.content.push(path);
            } else if under(root, "i18n") || under(&theme, "i18n") {
                touched.strings = true;
            } else if under(root, "templates") || under(&theme, "templates") {
                touched.templates = true;
            } else if under(root, "static") || under(&theme, "static") {
                touched.assets = true;
            }
        }
        touched
    }
}

fn lap(report: &mut Report, clock: &mut Instant, stage: &'static str) {
    report.stages.push((stage, clock.elapsed()));
    *clock = Instant::now();
}

/// The section folders of the default language: the topics services may be listed under.
fn topics(config: &Config, content: &Content) -> BTreeSet<String> {
    content
        .pages()
        .filter(|p| p.kind == PageKind::Section && !p.dir.is_empty())
        .filter(|p| p.lang == config.default_lang())
        .map(|p| p.dir.clone())
        .collect()
}

fn load_catalog(
    config: &Config,
    content: &Content,
    options: &Options,
) -> Result<(Arc<Catalog>, Diagnostics, Digest), Diagnostics> {
    let (catalog, warnings) = catalog::load(
        config,
        &topics(config, content),
        options.today.unwrap_or_else(Date::today),
    )?;
    let digest = catalog.digest();
    Ok((Arc::new(catalog), warnings, digest))
}

fn load_templates(config: &Config) -> Result<(Arc<Templates>, Vec<KeyUse>), Diagnostics> {
    let (templates, used_keys) = Templates::load(config)?;
    Ok((Arc::new(templates), used_keys))
}

impl Stages {
    fn load(options: &Options, report: &mut Report) -> Result<Stages, Diagnostics> {
        let mut clock = Instant::now();
        let overrides = Overrides {
            base_url: options.base_url.clone(),
        };
        let config = Arc::new(Config::load(&options.root, &overrides)?);
        lap(report, &mut clock, "config");
        let content = Content::discover(&config, options.drafts);
        let content_warnings = content.problems(&config);
        if content_warnings.has_errors() {
            return Err(content_warnings);
        }
        lap(report, &mut clock, "content");
        let (catalog, catalog_warnings, catalog_digest) = load_catalog(&config, &content, options)?;
        let locales = Arc::new(Locales::load(&config)?);
        lap(report, &mut clock, "catalog");
        let strings = Arc::new(UiStrings::load(&config, &locales)?);
        let assets = Arc::new(Assets::load(&config)?);
        let (templates, used_keys) = load_templates(&config)?;
        lap(report, &mut clock, "templates");
        Ok(Stages {
            config,
            content,
            content_warnings,
            catalog,
            catalog_warnings,
            catalog_digest,
            locales,
            strings,
            assets,
            templates,
            used_keys,
        })
    }

    /// The stages after `touched` changed; those not touched are shared with `self`.
    fn reload(
        &self,
        options: &Options,
        touched: &Touched,
        report: &mut Report,
    ) -> Result<Stages, Diagnostics> {
        let mut clock = Instant::now();
        let config = Arc::clone(&self.config);
        let mut content = self.content.clone();
        let mut content_warnings = self.content_warnings.clone();
        if !touched.content.is_empty() {
            content.update(&config, &touched.content);
            content_warnings = content.problems(&config);
            if content_warnings.has_errors() {
                return Err(content_warnings);
            }
        }
        lap(report, &mut clock, "content");
        // Topics come from the sections: a new or removed section is checked against the
        // services too.
        let topics_changed = !touched.content.is_empty()
            && topics(&config, &content) != topics(&config, &self.content);
        let (catalog, catalog_warnings, catalog_digest) = if touched.catalog || topics_changed {
            load_catalog(&config, &content, options)?
        } else {
            (
                Arc::clone(&self.catalog),
                self.catalog_warnings.clone(),
                self.catalog_digest,
            )
        };
        lap(report, &mut clock, "catalog");
        let strings = if touched.strings {
            Arc::new(UiStrings::load(&config, &self.locales)?)
        } else {
            Arc::clone(&self.strings)
        };
        let assets = if touched.assets {
            Arc::new(Assets::load(&config)?)
        } else {
            Arc::clone(&self.assets)
        };
        let (templates, used_keys) = if touched.templates {
            load_templates(&config)?
        } else {
            (Arc::clone(&self.templates), self.used_keys.clone())
        };
        lap(report, &mut clock, "templates");
        Ok(Stages {
            config,
            content,
            content_warnings,
            catalog,
            catalog_warnings,
            catalog_digest,
            locales: Arc::clone(&self.locales),
            strings,
            assets,
            templates,
            used_keys,
        })
    }

    /// The site model, the checks between the stages, and the Markdown bodies (reusing
    /// `previous` where they still hold).
    fn build(&self, previous: &Bodies, report: &mut Report) -> Result<(Built, usize), Diagnostics> {
        let mut clock = Instant::now();
        let mut warnings = Diagnostics::default();
        warnings.extend(self.content_warnings.0.iter().cloned());
        warnings.extend(self.catalog_warnings.0.iter().cloned());
        let site = Arc::new(Site::new(
            Arc::clone(&self.config),
            &self.content,
            Arc::clone(&self.catalog),
            Arc::clone(&self.locales),
        )?);
        lap(report, &mut clock, "site");
        let string_report = self.strings.check(&self.used_keys);
        if string_report.has_errors() {
            return Err(string_report);
        }
        warnings.extend(string_report.0);
        render::check_templates(&site, &self.templates)?;
        let (bodies, rendered) = render::bodies(&site, previous)?;
        lap(report, &mut clock, "markdown");
        Ok((
            Built {
                site,
                bodies,
                warnings,
            },
            rendered,
        ))
    }
}

/// The digests of facts in one build.
struct Digests<'a> {
    stages: &'a Stages,
    built: &'a Built,
    homes: Digest,
    menus: Vec<Digest>,
    templates: HashMap<&'a str, Digest>,
    assets: Digest,
}

impl<'a> Digests<'a> {
    fn new(stages: &'a Stages, built: &'a Built) -> Digests<'a> {
        let site = &built.site;
        let homes = digest(
            &site
                .config
                .langs()
                .map(|l| site.home(l).map(|h| &site.entries[h].url))
                .collect::<Vec<_>>(),
        );
        let menus = site
            .config
            .langs()
            .map(|l| digest(&(&site.menus[l.index()], &site.footers[l.index()])))
            .collect();
        let templates = stages
            .templates
            .names()
            .map(|n| (n, stages.templates.digest(n).expect("a name it has")))
            .collect();
        Digests {
            stages,
            built,
            homes,
            menus,
            templates,
            assets: stages.assets.digest(),
        }
    }

    /// The digest of `fact` in this build; `None` when what it names does not exist.
    fn of(&self, fact: &Fact) -> Option<Digest> {
        let site = &self.built.site;
        let entry = |lang: Lang, key: &str| site.entry(lang, key);
        match fact {
            Fact::Page(lang, key) => entry(*lang, key).map(|e| {
                let en = &site.entries[e];
                digest(&(site.page(e).serial, &en.url, &en.output, en.fallback))
            }),
            Fact::Body(lang, key) => self
                .built
                .bodies
                .get(&(*lang, key.clone()))
                .map(|b| b.digest),
            Fact::Summary(lang, key) => {
                if let Some(file) = key.strip_prefix("@/") {
                    return Some(digest(&site.file_presence(file)));
                }
                entry(*lang, key).map(|e| {
                    let en = &site.entries[e];
                    let page = site.page(e);
                    let m = &page.meta;
                    digest(&(
                        (&m.title, &m.description, m.weight),
                        (
                            m.date.map(|d| d.to_string()),
                            m.updated.map(|d| d.to_string()),
                        ),
                        (&en.url, en.fallback, &page.lang),
                    ))
                })
            }
            Fact::Children(lang, key) => entry(*lang, key).map(|e| {
                let en = &site.entries[e];
                let keys = |list: &[usize]| {
                    list.iter()
                        .map(|&c| &*site.entries[c].key)
                        .collect::<Vec<_>>()
                };
                digest(&(keys(&en.pages), keys(&en.subsections)))
            }),
            Fact::Translations(key) => Some(digest(
                &site
                    .config
                    .langs()
                    .map(|l| {
                        entry(l, key).map(|e| (&site.entries[e].url, site.entries[e].fallback))
                    })
                    .collect::<Vec<_>>(),
            )),
            Fact::Homes => Some(self.homes),
            Fact::Menus(lang) => self.menus.get(lang.index()).copied(),
            Fact::String(lang, key) => Some(self.stages.strings.digest(*lang, key)),
            Fact::Template(name) => self.templates.get(&**name).copied(),
            Fact::Catalog => Some(self.stages.catalog_digest),
            Fact::Assets => Some(self.assets),
        }
    }
}

/// The facts a file read, with their digests when it was rendered (`None`: what the fact names
/// did not exist).
type Facts = Vec<(Fact, Option<Digest>)>;

/// The HTML files rendered by one update, before they are committed.
struct Rendered {
    /// Path → minified bytes and the facts read.
    files: Vec<(Arc<str>, Bytes, Facts)>,
}

/// Renders `jobs` in parallel, each noting what it reads; minifies the results.
/// Without `noting`, nothing is noted: a build that will not be updated needs no record.
fn render_jobs(
    stages: &Stages,
    built: &Built,
    jobs: Vec<(Arc<str>, Job)>,
    noting: bool,
) -> Result<Rendered, Diagnostics> {
    let bound = stages
        .templates
        .bind(&built.site, &stages.strings, &stages.assets);
    let minify = stages.config.minify;
    let cfg = output::minify_config();
    let digests = Digests::new(stages, built);
    let results: Vec<_> = jobs
        .into_par_iter()
        .map(|(path, job)| {
            let render =
                || render::render(&built.site, &bound, &stages.strings, &built.bodies, job);
            let ((html, problems), facts) = if noting {
                record::capture(render)
            } else {
                (render(), Vec::new())
            };
            let html = html.map(|bytes| {
                let bytes = if minify {
                    minify_html::minify(&bytes, &cfg)
                } else {
                    bytes
                };
                let facts: Facts = facts
                    .into_iter()
                    .map(|f| {
                        let d = digests.of(&f);
                        (f, d)
                    })
                    .collect();
                (Bytes::from(bytes), facts)
            });
            (path, html, problems)
        })
        .collect();
    let mut problems = Diagnostics::default();
    let mut files = Vec::with_capacity(results.len());
    for (path, html, found) in results {
        problems.extend(found);
        match html {
            Ok((bytes, facts)) => files.push((path, bytes, facts)),
            Err(d) => problems.push(d),
        }
    }
    if problems.has_errors() {
        problems.sort();
        return Err(problems);
    }
    Ok(Rendered { files })
}

impl Session {
    /// Builds the site in memory.
    pub fn start(options: &Options) -> Result<Session, Diagnostics> {
        let pool = Arc::new(pool(options)?);
        pool.install(|| Session::start_here(options, Arc::clone(&pool), true))
    }

    /// Builds the site in memory once, keeping no record (what `build` and `check` run): an
    /// update of such a session renders everything again.
    pub(super) fn once(options: &Options) -> Result<Session, Diagnostics> {
        let pool = Arc::new(pool(options)?);
        pool.install(|| Session::start_here(options, Arc::clone(&pool), false))
    }

    fn start_here(
        options: &Options,
        pool: Arc<rayon::ThreadPool>,
        noting: bool,
    ) -> Result<Session, Diagnostics> {
        let mut report = Report::default();
        let stages = Stages::load(options, &mut report)?;
        let (built, _) = stages.build(&Bodies::new(), &mut report)?;
        let mut clock = Instant::now();
        let jobs: Vec<(Arc<str>, Job)> = render::jobs(&built.site)
            .into_iter()
            .map(|(p, j)| (Arc::from(p.as_str()), j))
            .collect();
        let rendered = render_jobs(&stages, &built, jobs.clone(), noting)?;
        lap(&mut report, &mut clock, "render");
        let mut session = Session {
            options: options.clone(),
            stages,
            built,
            record: Record::default(),
            pages: HashMap::new(),
            jobs: jobs.into_iter().collect(),
            output: Output::default(),
            report,
            pending: BTreeSet::new(),
            pool,
            noting,
        };
        let output = session.assemble(&rendered, &[])?;
        session.commit(rendered, output, &[], BTreeSet::new());
        lap(&mut session.report, &mut clock, "assemble");
        Ok(session)
    }

    /// The whole output: the HTML files of `rendered`, the others of the last build but
    /// `removed`, the static files, sitemap, robots.txt, redirects and headers.
    fn assemble(&self, rendered: &Rendered, removed: &[Arc<str>]) -> Result<Output, Diagnostics> {
        let mut pages: BTreeMap<String, Bytes> = self
            .pages
            .iter()
            .map(|(p, b)| (p.to_string(), Bytes::clone(b)))
            .collect();
        for path in removed {
            pages.remove(&**path);
        }
        for (path, bytes, _) in &rendered.files {
            pages.insert(path.to_string(), Bytes::clone(bytes));
        }
        output::assemble(&self.built.site, &self.stages.assets, pages)
    }

    fn commit(
        &mut self,
        rendered: Rendered,
        output: Output,
        removed: &[Arc<str>],
        pending: BTreeSet<PathBuf>,
    ) {
        for path in removed {
            self.record.forget(path);
            self.pages.remove(path);
        }
        for (path, bytes, facts) in rendered.files {
            self.pages.insert(Arc::clone(&path), bytes);
            self.record.remember(path, facts);
        }
        self.output = output;
        self.pending = pending;
        let site = &self.built.site;
        let mut warnings = self.built.warnings.clone();
        self.report.languages = translation_report(
            site,
            &self.stages.strings,
            &self.stages.used_keys,
            &mut warnings,
        );
        warnings.sort();
        self.report.warnings = warnings;
        self.report.files = self.output.files.len();
        self.report.bytes = self.output.total_bytes();
    }

    /// Brings the output up to date after `changed` (files or folders, absolute or under the
    /// site's root) changed, were created or were removed.
    pub fn update(&mut self, changed: &[PathBuf]) -> Result<Update, Diagnostics> {
        let started = Instant::now();
        let mut pending = self.pending.clone();
        pending.extend(changed.iter().cloned());
        let mut touched = Touched::of(&self.stages.config, &pending);
        touched.everything |= !self.noting;
        if touched.is_nothing() {
            self.pending.clear();
            return Ok(Update {
                elapsed: started.elapsed(),
                ..Update::default()
            });
        }
        let pool = Arc::clone(&self.pool);
        // A page edited in place knows what it changed; the long ways compare the outputs.
        if let Some(pages) = self.edited_pages(&touched) {
            let result = pool.install(|| self.update_pages(pages));
            return self.settle(result, pending, started);
        }
        if touched.is_interface_only() {
            let result = pool.install(|| self.update_interface(&touched));
            return self.settle(result, pending, started);
        }
        let before = self.output.clone();
        let result = if touched.everything {
            self.restart()
        } else {
            pool.install(|| self.update_here(&touched))
        };
        let rendered = match result {
            Ok(rendered) => rendered,
            Err(problems) => {
                self.pending = pending;
                return Err(problems);
            }
        };
        self.pending.clear();
        let mut update = Update {
            rendered,
            ..Update::default()
        };
        for (path, bytes) in &self.output.files {
            // Files rendered again share nothing with the old ones; the others are the same
            // allocation, so most comparisons stop at the pointer.
            let same = before
                .files
                .get(path)
                .is_some_and(|old| Bytes::ptr_eq(old, bytes) || old == bytes);
            if !same {
                update.changed.push(path.clone());
            }
        }
        for path in before.files.keys() {
            if !self.output.files.contains_key(path) {
                update.removed.push(path.clone());
            }
        }
        update.elapsed = started.elapsed();
        Ok(update)
    }

    /// Clears the pending paths after a good update; keeps them, with the new ones, after a
    /// failed one.
    fn settle(
        &mut self,
        result: Result<Update, Diagnostics>,
        pending: BTreeSet<PathBuf>,
        started: Instant,
    ) -> Result<Update, Diagnostics> {
        match result {
            Ok(mut update) => {
                self.pending.clear();
                update.elapsed = started.elapsed();
                Ok(update)
            }
            Err(problems) => {
                self.pending = pending;
                Err(problems)
            }
        }
    }

    /// Takes in the HTML files rendered by a short-way update; returns the paths whose bytes
    /// changed.
    fn take_rendered(&mut self, rendered: Rendered) -> Vec<String> {
        let mut changed = Vec::new();
        for (path, bytes, facts) in rendered.files {
            let old = self
                .output
                .files
                .insert(path.to_string(), Bytes::clone(&bytes));
            if old.as_deref() != Some(&bytes[..]) {
                changed.push(path.to_string());
            }
            self.pages.insert(Arc::clone(&path), bytes);
            self.record.remember(path, facts);
        }
        changed
    }

    /// The report and the update of a short-way update that took in `changed` files.
    fn finish_short(
        &mut self,
        report: Report,
        mut changed: Vec<String>,
        rendered: usize,
    ) -> Update {
        self.report.stages = report.stages;
        self.report.files = self.output.files.len();
        self.report.bytes = self.output.total_bytes();
        changed.sort();
        Update {
            changed,
            removed: Vec::new(),
            rendered,
            elapsed: Duration::ZERO,
        }
    }

    /// The translation report and the warnings, after the strings or the dates changed.
    fn report_translations(&mut self) {
        let mut warnings = self.built.warnings.clone();
        self.report.languages = translation_report(
            &self.built.site,
            &self.stages.strings,
            &self.stages.used_keys,
            &mut warnings,
        );
        warnings.sort();
        self.report.warnings = warnings;
    }

    /// The jobs that make these files of the last build.
    fn jobs_of(&self, paths: BTreeSet<Arc<str>>) -> Vec<(Arc<str>, Job)> {
        paths
            .into_iter()
            .map(|path| {
                let job = self.jobs[&path];
                (path, job)
            })
            .collect()
    }

    /// Starts over (site.toml changed); on failure the session stays as it was.
    fn restart(&mut self) -> Result<usize, Diagnostics> {
        let fresh = Session::start(&self.options)?;
        let rendered = fresh.pages.len();
        *self = fresh;
        Ok(rendered)
    }

    fn update_here(&mut self, touched: &Touched) -> Result<usize, Diagnostics> {
        let mut report = Report::default();
        let stages = self.stages.reload(&self.options, touched, &mut report)?;
        let (built, _) = stages.build(&self.built.bodies, &mut report)?;
        let mut clock = Instant::now();

        // What to render: new files, and files one of whose facts changed.
        let digests = Digests::new(&stages, &built);
        let facts: Vec<(&Fact, &Option<Digest>)> = self
            .record
            .readers
            .iter()
            .map(|(f, (d, _))| (f, d))
            .collect();
        let changed: Vec<&Fact> = facts
            .par_iter()
            .filter(|(fact, before)| digests.of(fact) != **before)
            .map(|(fact, _)| *fact)
            .collect();
        let mut dirty: HashSet<&str> = HashSet::new();
        for fact in changed {
            dirty.extend(self.record.readers[fact].1.iter().map(|p| &**p));
        }
        let jobs = render::jobs(&built.site);
        let planned: HashSet<&str> = jobs.iter().map(|(p, _)| p.as_str()).collect();
        let removed: Vec<Arc<str>> = self
            .pages
            .keys()
            .filter(|p| !planned.contains(&***p))
            .cloned()
            .collect();
        let todo: Vec<(Arc<str>, Job)> = jobs
            .iter()
            .filter(|(p, _)| !self.pages.contains_key(p.as_str()) || dirty.contains(p.as_str()))
            .map(|(p, j)| (Arc::from(p.as_str()), *j))
            .collect();
        let count = todo.len();
        let jobs: HashMap<Arc<str>, Job> = jobs
            .into_iter()
            .map(|(p, j)| (Arc::from(p.as_str()), j))
            .collect();
        let rendered = render_jobs(&stages, &built, todo, true)?;
        lap(&mut report, &mut clock, "render");

        let previous_stages = std::mem::replace(&mut self.stages, stages);
        let previous_built = std::mem::replace(&mut self.built, built);
        let output = match self.assemble(&rendered, &removed) {
            Ok(output) => output,
            Err(problems) => {
                self.stages = previous_stages;
                self.built = previous_built;
                return Err(problems);
            }
        };
        self.commit(rendered, output, &removed, BTreeSet::new());
        self.jobs = jobs;
        lap(&mut report, &mut clock, "assemble");
        let languages = std::mem::take(&mut self.report.languages);
        let warnings = std::mem::take(&mut self.report.warnings);
        report.languages = languages;
        report.warnings = warnings;
        report.files = self.report.files;
        report.bytes = self.report.bytes;
        self.report = report;
        Ok(count)
    }

    /// The site as last built successfully.
    pub fn output(&self) -> &Output {
        &self.output
    }

    pub fn report(&self) -> &Report {
        &self.report
    }

    pub fn options(&self) -> &Options {
        &self.options
    }

    /// The files and folders whose changes a watcher should report: site.toml, content/, i18n/,
    /// the themes, static/ and templates/ (those that exist).
    pub fn watched(&self) -> Vec<PathBuf> {
        let root = &self.options.root;
        [
            crate::config::CONFIG_FILE,
            "content",
            "i18n",
            "themes",
            "static",
            "templates",
        ]
        .iter()
        .map(|p| root.join(p))
        .filter(|p| p.exists())
        .collect()
    }

    /// When every changed path is a published page edited in place (same key, slug, place and
    /// aliases, still published), the new versions of those pages with their index in the site
    /// and their language. Anything else (a new, removed or broken file, a moved page) goes the
    /// long way.
    fn edited_pages(&self, touched: &Touched) -> Option<Vec<(usize, Lang, Arc<Page>)>> {
        if touched.everything
            || touched.catalog
            || touched.strings
            || touched.templates
            || touched.assets
            || touched.content.is_empty()
        {
            return None;
        }
        let config = &self.stages.config;
        let mut pages = Vec::new();
        for path in &touched.content {
            let (lang, rel) = Content::locate(config, path)?;
            if !rel.ends_with(".md") || !path.is_file() {
                return None;
            }
            let old = self.stages.content.page(lang, &rel)?;
            let new = Content::read(config, lang, &rel).ok()?;
            let same_place = new.key == old.key
                && new.slug == old.slug
                && new.kind == old.kind
                && new.dir == old.dir
                && new.meta.draft == old.meta.draft
                && new.meta.aliases.is_empty()
                && old.meta.aliases.is_empty();
            if !same_place {
                return None;
            }
            let index = self.built.site.page_index(lang, &rel)?;
            if pages.iter().any(|(i, _, _)| *i == index) {
                continue;
            }
            pages.push((index, lang, Arc::new(new)));
        }
        Some(pages)
    }

    /// Brings the session up to date after pages were edited in place: the entries that show
    /// them get new bodies, and only the files that read a fact of those entries are rendered.
    fn update_pages(
        &mut self,
        edited: Vec<(usize, Lang, Arc<Page>)>,
    ) -> Result<Update, Diagnostics> {
        let mut report = Report::default();
        let mut clock = Instant::now();
        let replaced: Vec<(usize, Arc<Page>)> =
            edited.iter().map(|(i, _, p)| (*i, Arc::clone(p))).collect();
        let old_site = Arc::clone(&self.built.site);
        let site = Arc::new(old_site.with_pages(&replaced));
        render::check_templates(&site, &self.stages.templates)?;
        lap(&mut report, &mut clock, "site");

        let affected: Vec<usize> = replaced
            .iter()
            .flat_map(|(i, _)| site.entries_of_page(*i))
            .collect();
        let mut bodies = self.built.bodies.clone();
        let fresh: Vec<(usize, render::Body)> = affected
            .par_iter()
            .map(|&e| (e, render::body(&site, e)))
            .collect();
        for (e, body) in fresh {
            let en = &site.entries[e];
            bodies.insert((en.lang, en.key.clone()), Arc::new(body));
        }
        render::check_bodies(&site, &bodies)?;
        lap(&mut report, &mut clock, "markdown");

        let built = Built {
            site: Arc::clone(&site),
            bodies,
            warnings: self.built.warnings.clone(),
        };
        // The facts an in-place edit can change: those of the entries that show the pages.
        let mut candidates: Vec<Fact> = Vec::new();
        for &e in &affected {
            let en = &site.entries[e];
            let (lang, key) = (en.lang, en.key.clone());
            candidates.extend([
                Fact::Page(lang, key.clone()),
                Fact::Body(lang, key.clone()),
                Fact::Summary(lang, key.clone()),
                Fact::Children(lang, key.clone()),
                Fact::Translations(key),
            ]);
            if let Some(parent) = en.parent {
                let p = &site.entries[parent];
                candidates.push(Fact::Children(p.lang, p.key.clone()));
            }
        }
        let digests = Digests::new(&self.stages, &built);
        let mut dirty: BTreeSet<Arc<str>> = BTreeSet::new();
        for fact in &candidates {
            if let Some((before, readers)) = self.record.readers.get(fact)
                && digests.of(fact) != *before
            {
                dirty.extend(readers.iter().cloned());
            }
        }
        let todo: Vec<(Arc<str>, Job)> = self.jobs_of(dirty);
        let count = todo.len();
        let rendered = render_jobs(&self.stages, &built, todo, true)?;
        lap(&mut report, &mut clock, "render");

        // Nothing fails from here on.
        let dated = edited.iter().any(|(index, _, new)| {
            let old = &old_site.pages[*index].meta;
            (old.date, old.updated) != (new.meta.date, new.meta.updated)
        });
        for (_, _, page) in edited {
            self.stages.content.set_page(page);
        }
        self.built = built;
        let mut changed = self.take_rendered(rendered);
        if dated {
            let sitemap = Bytes::from(output::sitemap::sitemap(&self.built.site).into_bytes());
            let old = self
                .output
                .files
                .insert("sitemap.xml".into(), Bytes::clone(&sitemap));
            if old.as_deref() != Some(&sitemap[..]) {
                changed.push("sitemap.xml".into());
            }
            self.report_translations();
        }
        lap(&mut report, &mut clock, "assemble");
        Ok(self.finish_short(report, changed, count))
    }

    /// Brings the session up to date after UI strings or templates changed: they are loaded and
    /// checked again, and only the files that read a changed string or template are rendered.
    fn update_interface(&mut self, touched: &Touched) -> Result<Update, Diagnostics> {
        let mut report = Report::default();
        let mut clock = Instant::now();
        let config = Arc::clone(&self.stages.config);
        let strings = if touched.strings {
            Arc::new(UiStrings::load(&config, &self.stages.locales)?)
        } else {
            Arc::clone(&self.stages.strings)
        };
        let (templates, used_keys) = if touched.templates {
            load_templates(&config)?
        } else {
            (
                Arc::clone(&self.stages.templates),
                self.stages.used_keys.clone(),
            )
        };
        let string_report = strings.check(&used_keys);
        if string_report.has_errors() {
            return Err(string_report);
        }
        render::check_templates(&self.built.site, &templates)?;
        lap(&mut report, &mut clock, "templates");

        // Render with the new strings and templates in place; put the old ones back on failure.
        let old_strings = std::mem::replace(&mut self.stages.strings, strings);
        let old_templates = std::mem::replace(&mut self.stages.templates, templates);
        let old_keys = std::mem::replace(&mut self.stages.used_keys, used_keys);
        let rendered = {
            let digests = Digests::new(&self.stages, &self.built);
            let mut dirty: BTreeSet<Arc<str>> = BTreeSet::new();
            for (fact, (before, readers)) in &self.record.readers {
                let candidate = match fact {
                    Fact::String(..) => touched.strings,
                    Fact::Template(_) => touched.templates,
                    _ => false,
                };
                if candidate && digests.of(fact) != *before {
                    dirty.extend(readers.iter().cloned());
                }
            }
            let todo: Vec<(Arc<str>, Job)> = self.jobs_of(dirty);
            render_jobs(&self.stages, &self.built, todo, true)
        };
        let rendered = match rendered {
            Ok(rendered) => rendered,
            Err(problems) => {
                self.stages.strings = old_strings;
                self.stages.templates = old_templates;
                self.stages.used_keys = old_keys;
                return Err(problems);
            }
        };
        lap(&mut report, &mut clock, "render");

        let count = rendered.files.len();
        let changed = self.take_rendered(rendered);
        let mut warnings = self.stages.content_warnings.clone();
        warnings.extend(self.stages.catalog_warnings.0.iter().cloned());
        warnings.extend(string_report.0);
        self.built.warnings = warnings;
        self.report_translations();
        lap(&mut report, &mut clock, "assemble");
        Ok(self.finish_short(report, changed, count))
    }
}
