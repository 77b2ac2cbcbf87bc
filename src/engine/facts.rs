//! The dependency record of a session: for every HTML file, the facts it read, and for every
//! fact, its digest and its readers; the digests of facts in one build; rendering a set of files
//! while noting what each reads.

use super::stages::{Built, Stages};
use super::*;

/// For every HTML file, the facts it was made from; for every fact, its digest and its readers.
#[derive(Debug, Default)]
pub(super) struct Record {
    /// Output path → the facts it read, with their digests when it was rendered.
    pub(super) outputs: HashMap<Arc<str>, Facts>,
    /// Fact → its digest when its readers were rendered, and the readers. Every reader of a
    /// fact was rendered with the same digest: when it changes, they are all rendered again.
    pub(super) readers: HashMap<Fact, (Option<Digest>, HashSet<Arc<str>>)>,
}

impl Record {
    pub(super) fn forget(&mut self, path: &str) {
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

    pub(super) fn remember(&mut self, path: Arc<str>, facts: Facts) {
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

/// The digests of facts in one build.
pub(super) struct Digests<'a> {
    pub(super) stages: &'a Stages,
    pub(super) built: &'a Built,
    pub(super) homes: Digest,
    pub(super) menus: Vec<Digest>,
    pub(super) templates: HashMap<&'a str, Digest>,
    pub(super) assets: Digest,
}

impl<'a> Digests<'a> {
    pub(super) fn new(stages: &'a Stages, built: &'a Built) -> Digests<'a> {
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
    pub(super) fn of(&self, fact: &Fact) -> Option<Digest> {
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
            Fact::Headings(lang, key) => self.built.bodies.get(&(*lang, key.clone())).map(|b| {
                digest(
                    &b.toc
                        .iter()
                        .map(|h| (h.level, &h.title))
                        .collect::<Vec<_>>(),
                )
            }),
            Fact::Letter(lang, initial) => {
                Some(digest(&render::search::under_letter(site, *lang, *initial)))
            }
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
pub(super) type Facts = Vec<(Fact, Option<Digest>)>;

/// The HTML files rendered by one update, before they are committed.
pub(super) struct Rendered {
    /// Path → minified bytes and the facts read.
    pub(super) files: Vec<(Arc<str>, Bytes, Facts)>,
}

/// Where a build that keeps nothing in memory sends each file it makes, from the worker thread
/// that made it.
pub(super) type Sink<'s> = dyn Fn(&str, &[u8]) -> Result<(), Diagnostic> + Sync + 's;

/// Renders `jobs` of the build `digests` describe in parallel, each noting what it reads (and
/// counting it done in `progress`, whose total the caller sets);
/// minifies the results. Without `noting`, nothing is noted: a build that will not be updated
/// needs no record. With a `sink`, each file goes there as soon as it is made and is not kept
/// (the files of the result are empty).
pub(super) fn render_jobs(
    digests: &Digests<'_>,
    jobs: Vec<(Arc<str>, Job)>,
    noting: bool,
    progress: Option<&super::Progress>,
    sink: Option<&Sink<'_>>,
) -> Result<Rendered, Diagnostics> {
    use std::sync::atomic::Ordering;
    let (stages, built) = (digests.stages, digests.built);
    let bound = stages
        .templates
        .bind(&built.site, &stages.strings, &stages.assets);
    let minify = stages.config.minify;
    let results: Vec<_> = jobs
        .into_par_iter()
        .map(|(path, job)| {
            let render = || {
                render::render(
                    &built.site,
                    &bound,
                    &stages.strings,
                    &stages.assets,
                    &built.bodies,
                    job,
                )
            };
            let ((html, problems), facts) = if noting {
                record::capture(render)
            } else {
                (render(), Vec::new())
            };
            let html = html.and_then(|bytes| {
                let bytes = output::finish_html(&path, bytes, minify);
                let bytes = match sink {
                    Some(sink) => {
                        sink(&path, &bytes)?;
                        Vec::new()
                    }
                    None => bytes,
                };
                let facts: Facts = facts
                    .into_iter()
                    .map(|f| {
                        let d = digests.of(&f);
                        (f, d)
                    })
                    .collect();
                Ok((Bytes::from(bytes), facts))
            });
            if let Some(progress) = progress {
                progress.done.fetch_add(1, Ordering::Relaxed);
            }
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
