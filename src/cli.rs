//! The command line: one `Args` struct per command, each with `run()`.

use std::io::Write;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::engine::{self, Options, Report};
use crate::error::Diagnostics;

/// karvan builds multilingual static sites.
#[derive(Debug, Parser)]
#[command(name = "karvan", version, about, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into the output folder (public/ by default).
    Build(BuildArgs),
    /// Check everything a build checks and print the translation report; write nothing.
    Check(CheckArgs),
}

/// Options shared by build and check.
#[derive(Debug, clap::Args)]
pub struct SiteArgs {
    /// The site's folder, holding site.toml.
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,
    /// Build with this base URL instead of site.toml's (e.g. for a preview deployment).
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Include pages marked draft = true.
    #[arg(long)]
    pub drafts: bool,
    /// Treat warnings (untranslated pages and strings) as errors.
    #[arg(long)]
    pub strict: bool,
    /// Number of worker threads (default: one per core).
    #[arg(long, short = 'j', value_name = "N")]
    pub threads: Option<usize>,
}

impl SiteArgs {
    fn options(&self, output: Option<PathBuf>) -> Options {
        Options {
            root: self.root.clone(),
            output,
            base_url: self.base_url.clone(),
            drafts: self.drafts,
            strict: self.strict,
            threads: self.threads,
            today: None,
        }
    }
}

#[derive(Debug, clap::Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Where to write the site (default: public/ in the site's folder).
    #[arg(long, short, value_name = "DIR")]
    pub output: Option<PathBuf>,
}

impl BuildArgs {
    pub fn run(&self) -> Result<Report, Diagnostics> {
        let options = self.site.options(self.output.clone());
        let report = engine::build(&options)?;
        let out = options.output_dir();
        print_report(
            &report,
            &format!(
                "built {} files ({} KiB) into {}",
                report.files,
                report.bytes / 1024,
                out.display()
            ),
        );
        Ok(report)
    }
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Print the translation report on standard output.
    #[arg(long)]
    pub translations: bool,
    /// The report's format.
    #[arg(long, value_enum, default_value_t = Format::Text, requires = "translations")]
    pub format: Format,
}

/// How `check --translations` writes its report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A table for people.
    Text,
    /// For CI and other tools.
    Json,
    /// A page to open in a browser (keep it outside the published folder).
    Html,
}

impl CheckArgs {
    pub fn run(&self) -> Result<Report, Diagnostics> {
        let options = self.site.options(None);
        let report = engine::check(&options)?;
        if self.translations {
            let languages = &report.languages;
            let text = match self.format {
                Format::Text => crate::report::text(languages),
                Format::Json => crate::report::json(languages),
                Format::Html => crate::report::html(languages),
            };
            print!("{text}");
        }
        if options.strict && !report.warnings.is_empty() {
            let mut errors = report.warnings;
            errors.escalate(true);
            return Err(errors);
        }
        print_report(&report, "no errors");
        Ok(report)
    }
}

/// Prints warnings, the translation report and the timings to standard error.
fn print_report(report: &Report, summary: &str) {
    let mut err = std::io::stderr().lock();
    for warning in &report.warnings.0 {
        let _ = writeln!(err, "{warning}");
    }
    let _ = writeln!(err, "{summary}");
    for language in &report.languages {
        let translated = language.pages - language.untranslated.len();
        let percent = (translated * 100)
            .checked_div(language.pages)
            .unwrap_or(100);
        let _ = writeln!(
            err,
            "  {:<6} {translated:>4} of {:>4} pages translated ({percent}%)",
            language.code, language.pages
        );
    }
    let stages: Vec<String> = report
        .stages
        .iter()
        .map(|(name, time)| format!("{name} {} ms", time.as_millis()))
        .collect();
    let _ = writeln!(err, "  time: {}", stages.join(", "));
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }
}
