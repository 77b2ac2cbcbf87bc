//! The command line: one `Args` struct per command, each with `run()`.

use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, PoisonError, mpsc};

use clap::{Parser, Subcommand};

use crate::engine::{self, Options, Report};
use crate::error::{Diagnostic, Diagnostics};
use crate::serve;

mod print;
mod progress;
mod scaffold;

pub use print::{MessageFormat, OutputArgs, Printer, Verbosity};
pub use scaffold::{InitArgs, NewArgs};

/// The version and the commit it was built from: `0.1.0 (3f9a1c2 2026-11-30)`; the version
/// alone when it was built outside a git clone (see build.rs).
pub const VERSION: &str = env!("KARVAN_VERSION");

/// karvan builds multilingual static sites.
#[derive(Debug, Parser)]
#[command(name = "karvan", version = VERSION, about, propagate_version = true)]
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
    /// Serve the site from memory on 127.0.0.1, rebuilt on every save; open pages reload.
    Serve(ServeArgs),
    /// Start a page, a service or an agency in every language.
    #[command(subcommand)]
    New(NewArgs),
    /// Start a new site in a new folder.
    Init(InitArgs),
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
    /// Treat every warning (untranslated pages and strings, stale translations) as an error:
    /// for pull requests. Publishing builds without it fail only on real errors.
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
            precompress: None,
            progress: None,
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
    /// Write no .br and .gz siblings (quicker, for a build you will not publish).
    #[arg(long)]
    pub no_precompress: bool,
    #[command(flatten)]
    pub print: OutputArgs,
}

impl BuildArgs {
    /// Builds, prints what happened, and returns the exit code.
    pub fn run(&self) -> u8 {
        let printer = Printer::new(&self.print);
        let mut options = self.site.options(self.output.clone());
        if self.no_precompress {
            options.precompress = Some(false);
        }
        let counts = std::sync::Arc::new(engine::Progress::default());
        options.progress = Some(std::sync::Arc::clone(&counts));
        let progress = progress::Progress::start(&printer, "building", Some(counts));
        let result = engine::build(&options);
        progress.stop();
        match result {
            Ok(report) => {
                let out = options.output_dir();
                let summary = if report.unchanged {
                    format!(
                        "{} is up to date: nothing changed since the last build ({} files, {} KiB)",
                        out.display(),
                        report.files,
                        report.bytes / 1024,
                    )
                } else {
                    format!(
                        "built {} files ({} KiB) into {}",
                        report.files,
                        report.bytes / 1024,
                        out.display()
                    )
                };
                print_report(&printer, &report, &summary);
                0
            }
            Err(diagnostics) => {
                print_failure(&printer, &diagnostics, " — nothing was written");
                1
            }
        }
    }
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Print the translation report, a to-do list of every gap, on standard output.
    #[arg(long)]
    pub translations: bool,
    /// The report's format.
    #[arg(long, value_enum, default_value_t = Format::Text, requires = "translations")]
    pub format: Format,
    /// The language of the HTML report (default: the site's default language).
    #[arg(long, value_name = "CODE", requires = "translations")]
    pub lang: Option<String>,
    /// Request every external link and report the dead and redirected ones.
    #[arg(long)]
    pub external: bool,
    /// With --external: seconds to wait for each answer.
    #[arg(
        long,
        value_name = "SECONDS",
        default_value_t = 10,
        requires = "external"
    )]
    pub timeout: u64,
    #[command(flatten)]
    pub print: OutputArgs,
}

/// How `check --translations` writes its report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A table and a to-do list for people.
    Text,
    /// For CI and other tools.
    Json,
    /// A page in the editor's language to open in a browser (keep it outside the published folder).
    Html,
}

impl CheckArgs {
    /// Checks, prints the report and what was found, and returns the exit code.
    pub fn run(&self) -> u8 {
        let printer = Printer::new(&self.print);
        let mut options = self.site.options(None);
        let counts = std::sync::Arc::new(engine::Progress::default());
        options.progress = Some(std::sync::Arc::clone(&counts));
        let progress = progress::Progress::start(&printer, "checking", Some(counts));
        let result = engine::check(&options);
        progress.stop();
        let mut report = match result {
            Ok(report) => report,
            Err(diagnostics) => {
                print_failure(&printer, &diagnostics, "");
                return 1;
            }
        };
        if self.translations {
            let languages = &report.languages;
            let text = match self.format {
                Format::Text => crate::report::text(languages),
                Format::Json => crate::report::json(languages),
                Format::Html => {
                    // The check has read site.toml already: it reads again.
                    let overrides = crate::config::Overrides {
                        base_url: options.base_url.clone(),
                    };
                    let config = crate::config::Config::load(&options.root, &overrides);
                    let (default, base_url) = config
                        .map(|c| (c.default_language, c.base_url))
                        .unwrap_or_default();
                    let lang = self.lang.clone().unwrap_or(default);
                    crate::report::html(languages, &lang, &base_url)
                }
            };
            print!("{text}");
        }
        if self.external {
            let progress = progress::Progress::start(&printer, "requesting external links", None);
            let found = crate::external::check(
                &options.root,
                &crate::external::Settings {
                    timeout: std::time::Duration::from_secs(self.timeout),
                    ..crate::external::Settings::default()
                },
            );
            progress.stop();
            report.warnings.extend(found.0);
        }
        if options.strict && !report.warnings.is_empty() {
            report.warnings.escalate(true);
        }
        if report.warnings.has_errors() {
            print_failure(&printer, &report.warnings, "");
            return 1;
        }
        print_report(&printer, &report, "checked; nothing was written");
        0
    }
}

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// The site's folder, holding site.toml.
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,
    /// The port to listen on; 0 picks a free one.
    #[arg(long, short, value_name = "N", default_value_t = 1111)]
    pub port: u16,
    /// Open the site in the default browser.
    #[arg(long)]
    pub open: bool,
    /// Include pages marked draft = true.
    #[arg(long)]
    pub drafts: bool,
}

/// What the serve loop waits for.
enum Signal {
    Event(serve::Event),
    Stop,
}

impl ServeArgs {
    /// Serves until Ctrl-C; prints what happens on standard error. Fails only when serving
    /// cannot start (the folder is not a site, the port is taken); a site with errors is served
    /// with them shown.
    pub fn run(&self) -> Result<(), Diagnostics> {
        let (signals, received) = mpsc::channel();
        let interrupted = AtomicBool::new(false);
        let stop = signals.clone();
        ctrlc::set_handler(move || {
            if interrupted.swap(true, Ordering::SeqCst) {
                // A second Ctrl-C while a rebuild finishes: leave at once.
                std::process::exit(130);
            }
            let _ = stop.send(Signal::Stop);
        })
        .map_err(|e| {
            Diagnostic::error(format!("cannot handle Ctrl-C: {e}"))
                .with_help("run karvan serve from an ordinary terminal")
        })?;
        let options = Options {
            root: self.root.clone(),
            drafts: self.drafts,
            ..Options::default()
        };
        let events = Mutex::new(signals);
        let server = serve::Server::start(&options, self.port, move |event| {
            let events = events.lock().unwrap_or_else(PoisonError::into_inner);
            let _ = events.send(Signal::Event(event));
        })?;
        // The first build's report comes first.
        let mut stopped = false;
        while let Ok(signal) = received.try_recv() {
            stopped |= print_signal(signal, &options);
        }
        eprintln!("serving {} — Ctrl-C to stop", server.url());
        let mut browser = None;
        if self.open && !stopped {
            match open_browser(server.url()) {
                Ok(child) => browser = Some(child),
                Err(e) => eprintln!(
                    "warning: cannot open a browser ({e}); open {} in one yourself",
                    server.url()
                ),
            }
        }
        while !stopped {
            match received.recv() {
                Ok(signal) => stopped = print_signal(signal, &options),
                Err(_) => break,
            }
        }
        eprintln!("stopping");
        server.stop();
        if let Some(mut child) = browser {
            // Reaps the opener if it is done; a browser it became goes on.
            let _ = child.try_wait();
        }
        Ok(())
    }
}

/// Prints what the server tells; true when it is time to stop.
fn print_signal(signal: Signal, options: &Options) -> bool {
    use serve::Event;
    let event = match signal {
        Signal::Stop => return true,
        Signal::Event(event) => event,
    };
    match event {
        Event::Built(report) => print_report(
            &Printer::plain(),
            &report,
            &format!(
                "built {} files ({} KiB) in memory",
                report.files,
                report.bytes / 1024
            ),
        ),
        Event::Rebuilt { paths, update } => {
            let shown: Vec<String> = paths
                .iter()
                .map(|p| {
                    p.strip_prefix(&options.root)
                        .unwrap_or(p)
                        .display()
                        .to_string()
                })
                .collect();
            let what = match shown.as_slice() {
                [] => "a change".to_string(),
                [one] => one.clone(),
                [first, rest @ ..] => format!("{first} and {} more", rest.len()),
            };
            eprintln!(
                "rebuilt after {what} in {} ms: {} files changed, {} removed",
                update.elapsed.as_millis(),
                update.changed.len(),
                update.removed.len()
            );
        }
        Event::Failed {
            diagnostics,
            serving_last_good,
        } => {
            eprint!("{diagnostics}");
            let errors = diagnostics.errors().count();
            eprintln!(
                "{errors} error{} — {}; fix and save to rebuild",
                if errors == 1 { "" } else { "s" },
                if serving_last_good {
                    "still serving the last good build, with the errors over it"
                } else {
                    "serving the errors until the site builds"
                }
            );
        }
        Event::Warning(message) => eprintln!("warning: {message}"),
    }
    false
}

/// Starts the system's opener on `url`.
fn open_browser(url: &str) -> std::io::Result<std::process::Child> {
    use std::process::{Command, Stdio};
    let mut command = if cfg!(target_os = "macos") {
        Command::new("open")
    } else if cfg!(windows) {
        let mut command = Command::new("cmd");
        command.args(["/C", "start", ""]);
        command
    } else {
        Command::new("xdg-open")
    };
    command
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| {
            let program = command.get_program().to_string_lossy().into_owned();
            std::io::Error::new(e.kind(), format!("{program}: {e}"))
        })
}

/// Prints the warnings (gaps summarised unless verbose), the summary, the pages per language,
/// the stage timings (verbose only) and the total.
fn print_report(printer: &Printer, report: &Report, summary: &str) {
    let (out, err_text) = printer.diagnostics(&report.warnings);
    print!("{out}");
    let mut err = std::io::stderr().lock();
    let _ = write!(err, "{err_text}");
    if printer.format != MessageFormat::Human || printer.verbosity == Verbosity::Quiet {
        return;
    }
    let _ = writeln!(err, "{summary}");
    for language in &report.languages {
        let translated = language.pages - language.untranslated.len() - language.no_original.len();
        let _ = writeln!(
            err,
            "  {:<6} {translated:>4} of {:>4} pages translated ({}%)",
            language.code, language.pages, language.coverage
        );
    }
    if let Some(heaviest) = report.heaviest.first() {
        let listed = if printer.verbosity == Verbosity::Verbose {
            report.heaviest.len()
        } else {
            1
        };
        let pages: Vec<String> = report.heaviest[..listed]
            .iter()
            .map(|w| format!("/{} {}", w.path, crate::output::budget::kb(w.page)))
            .collect();
        let _ = writeln!(
            err,
            "  heaviest page{} (HTML and CSS, compressed): {}; first view {}",
            if listed > 1 { "s" } else { "" },
            pages.join(", "),
            crate::output::budget::kb(heaviest.first_view)
        );
    }
    if printer.verbosity == Verbosity::Verbose {
        let stages: Vec<String> = report
            .stages
            .iter()
            .map(|(name, time)| format!("{name} {} ms", time.as_millis()))
            .collect();
        let _ = writeln!(err, "  time: {}", stages.join(", "));
    }
    let _ = writeln!(err, "{}", printer.total(&report.warnings));
}

/// Prints the diagnostics of a failed build or check, errors last, then the total.
fn print_failure(printer: &Printer, diagnostics: &Diagnostics, suffix: &str) {
    let (out, err_text) = printer.diagnostics(diagnostics);
    print!("{out}");
    let mut err = std::io::stderr().lock();
    let _ = write!(err, "{err_text}");
    if printer.format == MessageFormat::Human {
        let _ = writeln!(err, "{}{suffix}", printer.total(diagnostics));
    }
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
