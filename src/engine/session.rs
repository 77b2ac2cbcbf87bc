//! A build kept in memory and brought up to date by edits: what `serve` runs on, and what a
//! one-shot build is (a session started and dropped).
//!
//! 1. [`Session::start`] runs every stage and renders every file, noting for each HTML file the
//!    facts it read (see [`crate::record`]) in the record (`facts.rs`).
//! 2. [`Session::update`] takes the paths that changed and reloads only the stages they belong
//!    to (a page's file, the catalog, the strings, the static files, the templates; site.toml
//!    starts over), builds the site model again (cheap: unchanged pages are shared), keeps the
//!    Markdown bodies whose page and links are unchanged, and renders again only the HTML files
//!    one of whose facts has a new digest, or that are new.
//! 3. Nothing of the session changes until the update has succeeded: a failed update leaves the
//!    last good output in place, and the next update starts from it again with every path that
//!    changed since.

use super::facts::{Digests, Record, Rendered, render_jobs};
use super::stages::{Built, Stages, Touched, lap, load_templates};
use super::*;
use crate::content::Page;

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
        let stages = Stages::load(options, false, &mut report)?;
        let (built, _) = stages.build(&Bodies::new(), &mut report)?;
        let mut clock = Instant::now();
        let jobs: Vec<(Arc<str>, Job)> = render::jobs(&built.site, &stages.templates)
            .into_iter()
            .map(|(p, j)| (Arc::from(p.as_str()), j))
            .collect();
        if let Some(progress) = options.progress.as_deref() {
            progress.begin(jobs.len());
        }
        let rendered = render_jobs(
            &Digests::new(&stages, &built),
            jobs.clone(),
            noting,
            options.progress.as_deref(),
            None,
        )?;
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
        if !noting {
            // What pages cost visitors: once per build (serve re-renders too often to weigh all).
            let config = &session.stages.config;
            let (heaviest, problems) =
                output::budget::check(&session.output, &config.budget, &config.base_path);
            session.report.heaviest = heaviest;
            session.report.warnings.extend(problems.0);
            lap(&mut session.report, &mut clock, "budget");
        }
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
        output::assemble(
            &self.built.site,
            &self.stages.assets,
            &self.stages.images,
            pages,
        )
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
        self.report_translations();
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
        // Either may find that the site now makes other files, and leave it to the long way.
        if let Some(pages) = self.edited_pages(&touched) {
            if let Some(result) = pool.install(|| self.update_pages(pages)).transpose() {
                return self.settle(result, pending, started);
            }
        } else if touched.is_interface_only()
            && let Some(result) = pool.install(|| self.update_interface(&touched)).transpose()
        {
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

    /// Makes the service worker again after a short-way update changed some files: it names
    /// and digests some of them (see [`output::worker`]).
    fn refresh_worker(&mut self, changed: &mut Vec<String>) {
        if output::worker::refresh(
            &self.built.site,
            &self.stages.assets,
            &mut self.output.files,
        ) {
            changed.push(output::worker::PATH.to_string());
        }
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
        let files = &self.output.files;
        let (languages, warnings) =
            translations(&self.options, &self.stages, &self.built, &|path| {
                files.contains_key(path)
            });
        self.report.languages = languages;
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
        let jobs = render::jobs(&built.site, &stages.templates);
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
        let rendered = render_jobs(&digests, todo, true, None, None)?;
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

    pub fn output(&self) -> &Output {
        &self.output
    }

    pub fn report(&self) -> &Report {
        &self.report
    }

    /// The files and folders whose changes a watcher should report: site.toml, content/, i18n/,
    /// the themes, static/ and templates/ (those that exist).
    pub fn watched(&self) -> Vec<PathBuf> {
        let root = &self.options.root;
        super::INPUTS
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
                && new.images == old.images
                && new.meta.image.as_ref().map(|i| i.get_ref())
                    == old.meta.image.as_ref().map(|i| i.get_ref())
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

    /// Whether `site` with `templates` makes the files the session has: the short ways render
    /// files again but add or remove none (a title that moves to another letter of a split A–Z
    /// index, or a theme that gains the letters' template, adds some).
    fn plans_the_same(&self, site: &Site, templates: &render::Templates) -> bool {
        let planned = render::jobs(site, templates);
        planned.len() == self.jobs.len()
            && planned
                .iter()
                .all(|(path, job)| self.jobs.get(path.as_str()) == Some(job))
    }

    /// Brings the session up to date after pages were edited in place: the entries that show
    /// them get new bodies, and only the files that read a fact of those entries are rendered.
    /// `None`: the edit changes which files the site makes (see [`Session::plans_the_same`]).
    fn update_pages(
        &mut self,
        edited: Vec<(usize, Lang, Arc<Page>)>,
    ) -> Result<Option<Update>, Diagnostics> {
        let mut report = Report::default();
        let mut clock = Instant::now();
        let replaced: Vec<(usize, Arc<Page>)> =
            edited.iter().map(|(i, _, p)| (*i, Arc::clone(p))).collect();
        let old_site = Arc::clone(&self.built.site);
        let site = Arc::new(old_site.with_pages(&replaced));
        render::check_templates(&site, &self.stages.templates)?;
        // Only a new title can move a page to another letter of the A–Z index.
        let retitled = edited
            .iter()
            .any(|(index, _, new)| old_site.pages[*index].meta.title != new.meta.title);
        if retitled && !self.plans_the_same(&site, &self.stages.templates) {
            return Ok(None);
        }
        lap(&mut report, &mut clock, "site");

        let affected: Vec<usize> = replaced
            .iter()
            .flat_map(|(i, _)| site.entries_of_page(*i))
            .collect();
        let mut bodies = self.built.bodies.clone();
        let images = &self.stages.images;
        let fresh: Vec<(usize, render::Body)> = affected
            .par_iter()
            .map(|&e| (e, render::body(&site, images, e)))
            .collect();
        let mut warned = false;
        for (e, body) in fresh {
            let en = &site.entries[e];
            let old = bodies.insert((en.lang, en.key.clone()), Arc::new(body));
            let new = &bodies[&(en.lang, en.key.clone())];
            warned |= old.is_none_or(|old| !old.warns_as(new));
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
                Fact::Headings(lang, key.clone()),
                Fact::Summary(lang, key.clone()),
                Fact::Children(lang, key.clone()),
                Fact::Translations(key),
            ]);
            if let Some(parent) = en.parent {
                let p = &site.entries[parent];
                candidates.push(Fact::Children(p.lang, p.key.clone()));
            }
        }
        // A new title may move a page to another letter of its language's A–Z index (each of
        // those facts reads every page of the language: only for a new title).
        let langs: BTreeSet<Lang> = if retitled {
            affected.iter().map(|&e| site.entries[e].lang).collect()
        } else {
            BTreeSet::new()
        };
        candidates.extend(
            self.record
                .readers
                .keys()
                .filter(|f| matches!(f, Fact::Letter(l, _) if langs.contains(l)))
                .cloned(),
        );
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
        let rendered = render_jobs(&digests, todo, true, None, None)?;
        lap(&mut report, &mut clock, "render");

        // Nothing fails from here on.
        let dated = edited.iter().any(|(index, _, new)| {
            let old = &old_site.pages[*index].meta;
            (old.date, old.updated) != (new.meta.date, new.meta.updated)
        });
        for (_, _, page) in edited {
            // The session holds the only reference: no copy is made.
            Arc::make_mut(&mut self.stages.content).set_page(page);
        }
        self.built = built;
        let mut changed = self.take_rendered(rendered);
        self.refresh_worker(&mut changed);
        if dated {
            let sitemap = Bytes::from(output::sitemap::sitemap(&self.built.site).into_bytes());
            let old = self
                .output
                .files
                .insert("sitemap.xml".into(), Bytes::clone(&sitemap));
            if old.as_deref() != Some(&sitemap[..]) {
                changed.push("sitemap.xml".into());
            }
        }
        if dated || warned {
            self.report_translations();
        }
        lap(&mut report, &mut clock, "assemble");
        Ok(Some(self.finish_short(report, changed, count)))
    }

    /// Brings the session up to date after UI strings or templates changed: they are loaded and
    /// checked again, and only the files that read a changed string or template are rendered.
    /// `None`: the templates change which files the site makes.
    fn update_interface(&mut self, touched: &Touched) -> Result<Option<Update>, Diagnostics> {
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
        // New ids of the templates' own elements change the ids of the headings that took them.
        if touched.templates
            && (!self.plans_the_same(&self.built.site, &templates)
                || templates.fixed_ids() != *self.built.site.reserved_ids)
        {
            return Ok(None);
        }
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
            render_jobs(&digests, todo, true, None, None)
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
        let mut changed = self.take_rendered(rendered);
        self.refresh_worker(&mut changed);
        self.built.warnings = self.stages.warnings(string_report);
        self.report_translations();
        lap(&mut report, &mut clock, "assemble");
        Ok(Some(self.finish_short(report, changed, count)))
    }
}

/// The translation report of a build, and its warnings (those of the stages with the gaps, and
/// the links to paths of the site that the output, which `exists` knows, does not have).
fn translations(
    options: &Options,
    stages: &Stages,
    built: &Built,
    exists: &dyn Fn(&str) -> bool,
) -> (Vec<LanguageReport>, Diagnostics) {
    let site = &built.site;
    let mut warnings = built.warnings.clone();
    // Images without alt text and raw HTML that is not published, each once, on the page that
    // has it.
    for body in built.bodies.values() {
        warnings.extend(body.warnings.iter().cloned());
    }
    warnings.extend(render::check_local_links(site, &built.bodies, exists));
    let languages = crate::report::gather(
        site,
        &stages.strings,
        &stages.used_keys,
        options.today.unwrap_or_else(Date::today),
        &mut warnings,
    );
    warnings.escalate_gaps(&site.config.gap_errors);
    warnings.sort();
    (languages, warnings)
}

/// Builds the site into `output_dir` without holding it in memory: every file goes to the
/// output's staging folder from the worker thread that made it, weighed on the way; the new
/// output is put in place only if the build succeeds (with `strict`, without warnings).
///
/// Returns the report and the hash of the output's marker.
pub(super) fn write(options: &Options, output_dir: &Path) -> Result<(Report, u64), Diagnostics> {
    let mut report = Report::default();
    let stages = Stages::load(options, true, &mut report)?;
    let mut clock = Instant::now();
    let (site, site_warnings) = stages.site(&mut report, &mut clock)?;
    let site = Arc::new(site);
    let config = &stages.config;
    let jobs: Vec<PathJob> = render::jobs(&site, &stages.templates)
        .into_iter()
        .map(|(p, j)| (Arc::from(p.as_str()), j))
        .collect();
    let pages: BTreeSet<String> = jobs.iter().map(|(p, _)| p.to_string()).collect();
    let extras = output::extras(&site, &stages.assets, &stages.images, &pages)?;
    let precompress =
        output::compress::Precompress::new(options.precompress.unwrap_or(config.precompress));
    // The service worker is made last, from the bytes of the files it keeps (see
    // `output::worker`): those are kept as they go by.
    let kept: BTreeSet<String> = output::worker::wanted(&site, &stages.assets, |p| {
        pages.contains(p) || extras.contains_key(p)
    })
    .into_iter()
    .collect();
    let worker = config
        .app
        .offline
        .then_some(output::worker::PATH.to_string());
    let extra_paths: BTreeSet<String> = extras.keys().cloned().collect();
    let paths = pages
        .iter()
        .chain(extras.keys())
        .cloned()
        .chain(worker.clone());
    let stream = output::write::open(output_dir, paths, precompress)?;
    lap(&mut report, &mut clock, "plan");

    let weigher = output::budget::Weigher::new(&extras, &config.budget, &config.base_path);
    let weighed = std::sync::Mutex::new(Vec::with_capacity(pages.len()));
    let written = std::sync::atomic::AtomicUsize::new(0);
    let count = std::sync::atomic::AtomicUsize::new(0);
    let for_worker = std::sync::Mutex::new(BTreeMap::new());
    let sink = |path: &str, bytes: &[u8]| -> Result<(), Diagnostic> {
        if kept.contains(path) {
            for_worker
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(path.to_string(), Bytes::from(bytes.to_vec()));
        }
        let put = stream.put(path, bytes)?;
        written.fetch_add(bytes.len(), std::sync::atomic::Ordering::Relaxed);
        count.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        if path.ends_with(".html") {
            let page = weigher.weigh(path, bytes, put.gzip);
            weighed.lock().unwrap_or_else(|e| e.into_inner()).push(page);
        }
        Ok(())
    };
    // The files that are not pages first, and let go: the sitemap and static files are not held
    // while the pages render.
    extras
        .into_par_iter()
        .try_for_each(|(path, bytes)| sink(&path, &bytes))?;
    lap(&mut report, &mut clock, "extras");
    if let Some(progress) = options.progress.as_deref() {
        progress.begin(jobs.len());
    }
    // The entries' pages, and beside them the files that read no body (the services' and
    // agencies' pages, feeds, 404 pages...); then the search pages and indexes, which read every
    // body's headings.
    let (by_entry, rest) = entry_jobs(&site, jobs);
    let (searches, others): (Vec<PathJob>, Vec<PathJob>) = rest
        .into_iter()
        .partition(|(_, job)| matches!(job, Job::Search(_) | Job::SearchIndex(_)));
    let bodiless = Built {
        site: Arc::clone(&site),
        bodies: Bodies::new(),
        warnings: Diagnostics::default(),
    };
    let progress = options.progress.as_deref();
    let (bodies, others) = rayon::join(
        || render_entries(&stages, &site, by_entry, progress, &sink),
        || {
            let digests = Digests::new(&stages, &bodiless);
            render_jobs(&digests, others, false, progress, Some(&sink))
        },
    );
    let bodies = bodies?;
    others?;
    drop(bodiless);
    lap(&mut report, &mut clock, "pages");
    let built = Built {
        site,
        bodies,
        warnings: site_warnings,
    };
    let (languages, mut warnings) = translations(options, &stages, &built, &|path| {
        pages.contains(path) || extra_paths.contains(path) || worker.as_deref() == Some(path)
    });
    render_jobs(
        &Digests::new(&stages, &built),
        searches,
        false,
        progress,
        Some(&sink),
    )?;
    if worker.is_some() {
        let files = std::mem::take(&mut *for_worker.lock().unwrap_or_else(|e| e.into_inner()));
        if let Some(bytes) = output::worker::service_worker(&built.site, &stages.assets, &files) {
            sink(output::worker::PATH, &bytes)?;
        }
    }
    lap(&mut report, &mut clock, "render");

    let weighed = weighed.into_inner().unwrap_or_else(|e| e.into_inner());
    let (heaviest, problems) = weigher.finish(weighed);
    warnings.extend(problems.0);
    // On failure the stream goes unfinished: its staging folder with it, the output as it was.
    let warnings = super::failing(warnings, options.strict)?;
    let (_, marker) = stream.finish_marked()?;
    lap(&mut report, &mut clock, "write");
    report.languages = languages;
    report.warnings = warnings;
    report.heaviest = heaviest;
    report.files = count.into_inner();
    report.bytes = written.into_inner();
    Ok((report, marker))
}

/// A file of the output and the job that makes it.
type PathJob = (Arc<str>, Job);

/// The jobs of each entry (its page and the further pages of its listing), by entry, and the
/// other jobs.
fn entry_jobs(site: &Site, jobs: Vec<PathJob>) -> (Vec<Vec<PathJob>>, Vec<PathJob>) {
    let mut by_entry = vec![Vec::new(); site.entries.len()];
    let mut rest = Vec::new();
    for (path, job) in jobs {
        match job {
            Job::Entry(entry) | Job::Listing(entry, _) => by_entry[entry].push((path, job)),
            _ => rest.push((path, job)),
        }
    }
    (by_entry, rest)
}

/// Makes each entry's body and, at once, the pages that show it (`by_entry`), each sent to
/// `sink` from the worker thread that made it; then lets the body's HTML go. Each page's
/// Markdown is read again here (it was set aside when the content was read), so neither the
/// site's Markdown nor its bodies are ever held whole. The bodies come back without their HTML,
/// for the checks across pages and the search index.
fn render_entries(
    stages: &Stages,
    site: &Arc<Site>,
    by_entry: Vec<Vec<PathJob>>,
    progress: Option<&super::Progress>,
    sink: &super::facts::Sink<'_>,
) -> Result<Bodies, Diagnostics> {
    use std::sync::atomic::Ordering;
    let bound = stages.templates.bind(site, &stages.strings, &stages.assets);
    let minify = stages.config.minify;
    type Made = Result<(Arc<render::Body>, Vec<Diagnostic>), Diagnostic>;
    let made: Vec<Made> = by_entry
        .into_par_iter()
        .enumerate()
        .map(|(entry, jobs)| {
            let text = site.page(entry).text(&stages.config.root)?;
            let mut body = render::body_of(site, &stages.images, entry, &text);
            drop(text);
            let mut problems = Vec::new();
            for (path, job) in jobs {
                let page = render::entry_page(site, &bound, &stages.strings, &body, job)
                    .and_then(|bytes| sink(&path, &output::finish_html(&path, bytes, minify)));
                if let Err(d) = page {
                    problems.push(d);
                }
                if let Some(progress) = progress {
                    progress.done.fetch_add(1, Ordering::Relaxed);
                }
            }
            body.strip();
            Ok((Arc::new(body), problems))
        })
        .collect();
    // A page that cannot be read again first, then the bodies' own errors, then the pages'.
    let mut unread = Diagnostics::default();
    let mut problems = Diagnostics::default();
    let mut bodies = Bodies::with_capacity(made.len());
    for (e, made) in site.entries.iter().zip(made) {
        match made {
            Ok((body, found)) => {
                problems.extend(found);
                bodies.insert((e.lang, e.key.clone()), body);
            }
            Err(d) => unread.push(d),
        }
    }
    if !unread.is_empty() {
        // A page shown in several languages is read by each.
        unread.sort();
        unread.0.dedup();
        return Err(unread);
    }
    render::check_bodies(site, &bodies)?;
    if problems.has_errors() {
        problems.sort();
        return Err(problems);
    }
    Ok(bodies)
}
