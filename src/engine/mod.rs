//! A whole build, stage by stage, each stage borrowing the last one's output:
//!
//! 1. `config`: site.toml → [`Config`];
//! 2. `content`: the Markdown of every language → pages; `catalog`: services and agencies;
//! 3. `site`: pages → entries with URLs, translations, sections, menus;
//! 4. `strings`, `assets` and `templates`: Fluent files, static files and Tera templates, checked
//!    against each other;
//! 5. `markdown`: every entry's body, links resolved and checked;
//! 6. `render`: every HTML file through its template, noting what it read;
//! 7. `assemble`: minified pages, static files, sitemap → [`Output`];
//! 8. `write`: the output folder, changed files only, swapped in atomically (`build` only).
//!
//! A [`Session`] keeps every stage's output and the dependency record (for every HTML file, the
//! facts of the sources it was made from, see [`crate::record`]). [`Session::update`] runs again
//! only the stages a change touches (content, catalog, strings, assets or templates; site.toml
//! starts over), and renders again only the files one of whose facts changed; the result is the
//! same, byte for byte, as a build from scratch.
//!
//! Warnings (missing translations and the like) come back in the [`Report`]; `strict` makes
//! them errors. Errors of a stage are all reported together, and no stage runs after one fails.

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
use crate::output::{self, Bytes, Output};
use crate::record::{self, Digest, Fact, digest};
use crate::render::{self, Bodies, Job, Templates};
use crate::site::Site;

mod facts;
mod session;
mod stages;

pub use session::{Session, Update};
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
}

/// Builds the site in memory: everything `check` verifies, and the output it would write.
pub fn build_in_memory(options: &Options) -> Result<(Output, Report), Diagnostics> {
    let session = once_strict(options)?;
    Ok((session.output, session.report))
}

/// Builds once; with `--strict`, warnings fail the build.
fn once_strict(options: &Options) -> Result<Session, Diagnostics> {
    let session = Session::once(options)?;
    if options.strict && !session.report.warnings.is_empty() {
        let mut errors = session.report.warnings;
        errors.escalate(true);
        return Err(errors);
    }
    Ok(session)
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

/// The translation report of every language, and a warning for every gap.
fn translation_report(
    site: &Site,
    strings: &UiStrings,
    used_keys: &[crate::i18n::KeyUse],
    warnings: &mut Diagnostics,
) -> Vec<LanguageReport> {
    let default = &site.config.default_language;
    let default_lang = site.config.default_lang();
    let mut used: std::collections::BTreeSet<&str> =
        used_keys.iter().map(|k| k.key.as_str()).collect();
    used.extend(render::GENERATED_KEYS);
    // Only the site's own strings: a theme's strings for templates the site overrides are the
    // theme's business.
    let unused: Vec<String> = strings
        .site_keys(default)
        .filter(|k| {
            !used.contains(k.as_str())
                && !render::GENERATED_KEY_PREFIXES
                    .iter()
                    .any(|p| k.starts_with(p))
        })
        .cloned()
        .collect();
    if !unused.is_empty() {
        warnings.push(
            Diagnostic::warning(format!(
                "UI strings that nothing uses: {}",
                unused.join(", ")
            ))
            .in_file(strings.site_file(default))
            .with_help("remove them from the .ftl files, or use them in a template"),
        );
    }
    let mut languages = Vec::new();
    for lang in site.config.langs() {
        let language = &site.config[lang];
        let mut report = LanguageReport {
            code: language.code.clone(),
            ..LanguageReport::default()
        };
        for (i, entry) in site
            .entries
            .iter()
            .enumerate()
            .filter(|(_, e)| e.lang == lang)
        {
            report.pages += 1;
            let page = site.page(i);
            if entry.fallback {
                report
                    .untranslated
                    .push(page.source.path.display().to_string());
                warnings.push(
                    Diagnostic::warning(format!(
                        "not translated into {}: {} is shown in {} with a notice",
                        language.code,
                        page.source.path.display(),
                        site.config.code(page.lang)
                    ))
                    .in_file(format!("content/{}/{}", language.code, page.rel))
                    .with_help("translate the page into this file, or leave it to fall back"),
                );
                continue;
            }
            if &language.code == default {
                continue;
            }
            let original = site
                .entry(default_lang, &page.key)
                .map(|o| site.page(o))
                .filter(|o| o.lang == default_lang);
            if let Some(original) = original
                && let Some(original_updated) = original.meta.updated
                && page
                    .meta
                    .updated
                    .is_none_or(|u| u.to_string() < original_updated.to_string())
            {
                let updated = page.meta.updated.map(|u| u.to_string());
                warnings.push(
                    Diagnostic::warning(format!(
                        "{} may be out of date: {} was updated on {original_updated}, the translation {}",
                        page.source.path.display(),
                        original.source.path.display(),
                        updated.as_deref().map_or("has no date".to_string(), |u| format!("on {u}")),
                    ))
                    .in_file(&page.source.path)
                    .with_help("bring the translation up to date, then set its `updated` to the date you did"),
                );
                report.stale.push(crate::report::StalePage {
                    path: page.source.path.display().to_string(),
                    original: original.source.path.display().to_string(),
                    original_updated: original_updated.to_string(),
                    updated,
                });
            }
        }
        report.missing_strings = strings.missing_keys(&language.code);
        report.incomplete_plurals = strings.incomplete_plurals(&language.code);
        if &language.code == default {
            report.unused_strings = unused.clone();
        }
        report.catalog_gaps = site
            .catalog
            .gaps
            .iter()
            .filter(|g| g.lang == language.code)
            .cloned()
            .collect();
        let translated = report.pages - report.untranslated.len();
        report.coverage = (translated * 100).checked_div(report.pages).unwrap_or(100) as u32;
        languages.push(report);
    }
    languages
}

/// Checks the site and writes it to the output folder.
pub fn build(options: &Options) -> Result<Report, Diagnostics> {
    let output_dir = options.output_dir();
    output::write::check_output_dir(&output_dir, &options.root)?;
    let session = once_strict(options)?;
    let precompress = output::compress::Precompress::new(
        options.precompress.unwrap_or(session.config().precompress),
    );
    let (output, mut report) = (session.output, session.report);
    let started = Instant::now();
    output::write::write_atomically(
        &output_dir,
        output.files.iter().map(|(p, b)| (p.as_str(), &b[..])),
        precompress,
    )?;
    report.stages.push(("write", started.elapsed()));
    Ok(report)
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
