//! A whole build, stage by stage, each stage borrowing the last one's output:
//!
//! 1. `config`: site.toml → [`Config`];
//! 2. `content`: the Markdown of every language → pages; `catalog`: services and agencies;
//! 3. `site`: pages → entries with URLs, translations, sections, menus;
//! 4. `strings`, `assets` and `templates`: Fluent files, static files and Tera templates, checked
//!    against each other;
//! 5. `images`: the images pages show, measured, with their smaller copies (from the cache in
//!    `.karvan-cache/images/` when made before); `markdown`: every entry's body, links resolved
//!    and checked, images written with their size and copies;
//! 6. `render`: every HTML file through its template, noting what it read;
//! 7. `assemble`: minified pages, static files, the images' copies, sitemap → [`Output`];
//! 8. `write`: the output folder, changed files only, swapped in atomically (`build` only).
//!
//! A [`Session`] keeps every stage's output and the dependency record (for every HTML file, the
//! facts of the sources it was made from, see [`crate::record`]). [`Session::update`] runs again
//! only the stages a change touches (content, catalog, strings, assets or templates; site.toml
//! starts over), and renders again only the files one of whose facts changed; the result is the
//! same, byte for byte, as a build from scratch.
//!
//! Warnings (missing translations and the like, see [`crate::report`]) come back in the
//! [`Report`]; the kinds of gap site.toml's `[gaps] errors` lists are errors, and `strict` makes
//! every warning one. Errors of a stage are all reported together, and no stage runs after one fails.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::assets::Assets;
use crate::catalog::{self, Catalog, Date};
use crate::config::{Config, Lang, Overrides};
use crate::content::{Content, PageKind};
use crate::error::{Diagnostic, Diagnostics};
use crate::i18n::locale::Locales;
use crate::i18n::{KeyUse, UiStrings};
use crate::images::Images;
use crate::output::{self, Bytes, Output};
use crate::record::{self, Digest, Fact, digest};
use crate::render::{self, Bodies, Job, Templates};
use crate::site::Site;

mod facts;
mod last_build;
mod session;
mod stages;

pub use session::{Session, Update};

/// The file and folders under a site's root that a build reads (what `serve` watches, and what
/// the record of the last build digests).
const INPUTS: &[&str] = &[
    crate::config::CONFIG_FILE,
    "content",
    "i18n",
    "themes",
    "static",
    "templates",
];
/// What to build and how.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The site's folder (holding site.toml).
    pub root: PathBuf,
    /// Where to write; default `<root>/public`.
    pub output: Option<PathBuf>,
    pub base_url: Option<String>,
    pub drafts: bool,
    /// Translation gaps and other warnings fail the build.
    pub strict: bool,
    /// Worker threads; default: one per core.
    pub threads: Option<usize>,
    /// The date reviews are checked against; default: the system's date.
    pub today: Option<Date>,
    /// Write `.br` and `.gz` siblings; default: site.toml's `[build] precompress` (on).
    pub precompress: Option<bool>,
    /// Where a build reports how far it has got (for a progress bar).
    pub progress: Option<std::sync::Arc<Progress>>,
}

/// How far a build has got: files rendered out of the files to render. Updated from the worker
/// threads; read by whoever shows it.
#[derive(Debug, Default)]
pub struct Progress {
    pub done: std::sync::atomic::AtomicUsize,
    pub total: std::sync::atomic::AtomicUsize,
}

impl Progress {
    /// Starts counting `total` files from none.
    pub fn begin(&self, total: usize) {
        use std::sync::atomic::Ordering;
        self.done.store(0, Ordering::Relaxed);
        self.total.store(total, Ordering::Relaxed);
    }
}

impl Options {
    pub fn output_dir(&self) -> PathBuf {
        self.output
            .clone()
            .unwrap_or_else(|| self.root.join("public"))
    }
}

pub use crate::report::LanguageReport;

/// What a build did.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub languages: Vec<LanguageReport>,
    pub warnings: Diagnostics,
    pub stages: Vec<(&'static str, Duration)>,
    pub files: usize,
    pub bytes: usize,
    /// The heaviest pages, heaviest first (a build's and a check's; not kept by `serve`).
    pub heaviest: Vec<crate::output::budget::Weight>,
    /// How many copies of images were encoded (the others came from the cache or the last
    /// build).
    pub images_encoded: usize,
    /// Nothing had changed since the last build into the same output: nothing was read, made or
    /// written, and the rest of the report is that build's (see `last_build`).
    pub unchanged: bool,
}

/// Builds the site in memory: everything `check` verifies, and the output it would write.
pub fn build_in_memory(options: &Options) -> Result<(Output, Report), Diagnostics> {
    let session = once_strict(options)?;
    Ok((session.output, session.report))
}

/// Builds once; with `--strict`, warnings fail the build.
fn once_strict(options: &Options) -> Result<Session, Diagnostics> {
    let mut session = Session::once(options)?;
    session.report.warnings =
        failing(std::mem::take(&mut session.report.warnings), options.strict)?;
    Ok(session)
}

/// The warnings of a build back if it may go on; else as errors: gaps site.toml's `[gaps] errors`
/// lists are errors already, and `strict` makes every warning one.
fn failing(mut warnings: Diagnostics, strict: bool) -> Result<Diagnostics, Diagnostics> {
    if (strict && !warnings.is_empty()) || warnings.has_errors() {
        warnings.escalate(strict);
        return Err(warnings);
    }
    Ok(warnings)
}

/// A pool of worker threads of the size the options ask for.
fn pool(options: &Options) -> Result<rayon::ThreadPool, Diagnostics> {
    let mut pool = rayon::ThreadPoolBuilder::new();
    if let Some(threads) = options.threads {
        pool = pool.num_threads(threads);
    }
    pool.build().map_err(|e| {
        Diagnostics::from(Diagnostic::error(format!(
            "cannot start worker threads: {e}"
        )))
    })
}

/// Checks the site and writes it to the output folder, each file as it is made.
pub fn build(options: &Options) -> Result<Report, Diagnostics> {
    let output_dir = options.output_dir();
    output::write::check_output_dir(&output_dir, &options.root)?;
    let pool = pool(options)?;
    pool.install(|| {
        let clock = Instant::now();
        let inputs = last_build::Inputs::of(options, &output_dir);
        if let Some(mut report) = inputs
            .as_ref()
            .and_then(|inputs| last_build::repeat(inputs, &output_dir))
        {
            report.stages.push(("unchanged", clock.elapsed()));
            return Ok(report);
        }
        let (report, marker) = session::write(options, &output_dir)?;
        if let Some(inputs) = inputs {
            last_build::remember(&inputs, marker, &report);
        }
        Ok(report)
    })
}

/// Checks the site; writes nothing. Warnings come back in the report whatever `strict` says: the
/// caller shows the report first, then fails.
pub fn check(options: &Options) -> Result<Report, Diagnostics> {
    let lenient = Options {
        strict: false,
        ..options.clone()
    };
    build_in_memory(&lenient).map(|(_, report)| report)
}
