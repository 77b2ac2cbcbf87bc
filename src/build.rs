//! A whole build, stage by stage, each stage borrowing the last one's output:
//!
//! 1. `config`: site.toml → [`Config`];
//! 2. `content`: the Markdown of every language → pages;
//! 3. `site`: pages → entries with URLs, translations, sections, menus;
//! 4. `strings` and `templates`: Fluent files and Tera templates, checked against each other;
//! 5. `markdown`: every entry's body, links resolved and checked;
//! 6. `render`: every entry through its template;
//! 7. `assemble`: minified pages, static files, sitemap → [`Output`];
//! 8. `write`: the output folder, swapped in atomically (`build` only; `check` stops before).
//!
//! Warnings (missing translations and the like) come back in the [`Report`]; `strict` makes
//! them errors. Errors of a stage are all reported together, and no stage runs after one fails.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::catalog::{self, Date};
use crate::config::{Config, Overrides};
use crate::content;
use crate::error::{Diagnostic, Diagnostics};
use crate::i18n::UiStrings;
use crate::i18n::locale::Locales;
use crate::output::{self, Output};
use crate::render::{self, Templates};
use crate::site::Site;

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
    let mut pool = rayon::ThreadPoolBuilder::new();
    if let Some(threads) = options.threads {
        pool = pool.num_threads(threads);
    }
    let pool = pool.build().map_err(|e| {
        Diagnostics::from(Diagnostic::error(format!(
            "cannot start worker threads: {e}"
        )))
    })?;
    let (output, report) = pool.install(|| run(options))?;
    if options.strict && !report.warnings.is_empty() {
        let mut errors = report.warnings;
        errors.escalate(true);
        return Err(errors);
    }
    Ok((output, report))
}

/// The translation report of every language, and a warning for every gap.
fn translation_report(
    site: &Site,
    strings: &UiStrings,
    used_keys: &[crate::i18n::KeyUse],
    warnings: &mut Diagnostics,
) -> Vec<LanguageReport> {
    let default = &site.config.default_language;
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
    for language in &site.config.languages {
        let mut report = LanguageReport {
            code: language.code.clone(),
            ..LanguageReport::default()
        };
        for (i, entry) in site
            .entries
            .iter()
            .enumerate()
            .filter(|(_, e)| e.lang == language.code)
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
                        page.lang
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
                .entry(default, &page.key)
                .map(|o| site.page(o))
                .filter(|o| o.lang == *default);
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

fn run(options: &Options) -> Result<(Output, Report), Diagnostics> {
    let mut report = Report::default();
    let mut warnings = Diagnostics::default();
    let mut clock = Instant::now();
    let mut lap = |report: &mut Report, stage: &'static str| {
        report.stages.push((stage, clock.elapsed()));
        clock = Instant::now();
    };

    let overrides = Overrides {
        base_url: options.base_url.clone(),
    };
    let config = Config::load(&options.root, &overrides)?;
    lap(&mut report, "config");

    let (content, content_warnings) = content::discover(&config, options.drafts)?;
    warnings.extend(content_warnings.0);
    lap(&mut report, "content");

    let topics = content
        .pages
        .iter()
        .filter(|p| {
            p.kind == crate::content::PageKind::Section
                && !p.dir.is_empty()
                && p.lang == config.default_language
        })
        .map(|p| p.dir.clone())
        .collect();
    let (catalog, catalog_warnings) =
        catalog::load(&config, &topics, options.today.unwrap_or_else(Date::today))?;
    warnings.extend(catalog_warnings.0);
    let locales = Locales::load(&config)?;
    let site = Arc::new(Site::new(config, content, catalog, locales)?);
    lap(&mut report, "site");

    let strings = Arc::new(UiStrings::load(&site.config, &site.locales)?);
    let assets = Arc::new(output::Assets::load(&site.config)?);
    let (templates, used_keys) = Templates::load(&site, &strings, &assets)?;
    let string_report = strings.check(&used_keys);
    if string_report.has_errors() {
        return Err(string_report);
    }
    warnings.extend(string_report.0);
    lap(&mut report, "templates");

    let bodies = render::bodies(&site)?;
    lap(&mut report, "markdown");

    let mut rendered = render::pages(&site, &templates, &bodies)?;
    rendered.extend(render::catalog_pages(&site, &templates, &strings)?);
    lap(&mut report, "render");

    let output = output::assemble(&site, &assets, rendered)?;
    lap(&mut report, "assemble");

    report.languages = translation_report(&site, &strings, &used_keys, &mut warnings);

    warnings.sort();
    report.warnings = warnings;
    report.files = output.files.len();
    report.bytes = output.total_bytes();
    Ok((output, report))
}

/// Checks the site and writes it to the output folder.
pub fn build(options: &Options) -> Result<Report, Diagnostics> {
    let output_dir = options.output_dir();
    output::write::check_output_dir(&output_dir, &options.root)?;
    let (output, mut report) = build_in_memory(options)?;
    let started = Instant::now();
    output::write::write_atomically(
        &output_dir,
        output.files.iter().map(|(p, b)| (p.as_str(), &b[..])),
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

/// A build kept in memory and brought up to date by edits: what `serve` runs on.
///
/// [`Session::update`] takes the paths that changed and re-runs what they touch; when it fails,
/// the session keeps its last good output, so a server can go on answering from it.
pub struct Session {
    options: Options,
    output: Output,
    report: Report,
}

/// What an update changed in the output.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Update {
    /// Output files that are new or whose bytes changed, sorted.
    pub changed: Vec<String>,
    /// Output files that are gone, sorted.
    pub removed: Vec<String>,
    /// How many files were rendered to find out.
    pub rendered: usize,
    pub elapsed: Duration,
}

impl Session {
    /// Builds the site in memory.
    pub fn start(options: &Options) -> Result<Session, Diagnostics> {
        let (output, report) = build_in_memory(options)?;
        Ok(Session {
            options: options.clone(),
            output,
            report,
        })
    }

    /// Brings the output up to date after `changed` (files or folders, absolute or under the
    /// site's root) changed, were created or were removed.
    pub fn update(&mut self, changed: &[PathBuf]) -> Result<Update, Diagnostics> {
        let _ = changed;
        let started = Instant::now();
        let (output, report) = build_in_memory(&self.options)?;
        let mut update = Update {
            rendered: output.files.len(),
            ..Update::default()
        };
        for (path, bytes) in &output.files {
            if self.output.files.get(path) != Some(bytes) {
                update.changed.push(path.clone());
            }
        }
        for path in self.output.files.keys() {
            if !output.files.contains_key(path) {
                update.removed.push(path.clone());
            }
        }
        self.output = output;
        self.report = report;
        update.elapsed = started.elapsed();
        Ok(update)
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
    /// the theme, static/ and templates/ (those that exist).
    pub fn watched(&self) -> Vec<PathBuf> {
        let root = &self.options.root;
        ["site.toml", "content", "i18n", "themes", "static", "templates"]
            .iter()
            .map(|p| root.join(p))
            .filter(|p| p.exists())
            .collect()
    }
}
