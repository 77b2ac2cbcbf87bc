//! The command line: one `Args` struct per command, each with `run()`.

use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, PoisonError, mpsc};

use clap::{Parser, Subcommand};

use crate::engine::{self, Options, Report};
use crate::error::{Diagnostic, Diagnostics};
use crate::serve;

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
    /// Serve the site from memory on 127.0.0.1, rebuilt on every save; open pages reload.
    Serve(ServeArgs),
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
            precompress: None,
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
}

impl BuildArgs {
    pub fn run(&self) -> Result<Report, Diagnostics> {
        let mut options = self.site.options(self.output.clone());
        if self.no_precompress {
            options.precompress = Some(false);
        }
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
