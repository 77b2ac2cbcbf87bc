//! What the command line prints: diagnostics for people (in colour on a terminal), as JSON
//! objects, or as GitHub Actions annotations; translation gaps summarised per language and
//! kind unless `--verbose`; errors in full and last, with a total.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::IsTerminal;

use crate::error::{Diagnostic, Diagnostics, GapKind, Severity};

/// How diagnostics are printed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum MessageFormat {
    /// For people: the file, the line, a caret under the problem, what to do.
    #[default]
    Human,
    /// One JSON object a line on standard output, every one with the same fields.
    Json,
    /// GitHub Actions workflow commands, so that problems show on their line in a pull request.
    Github,
}

/// How much is printed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Verbosity {
    /// Errors only.
    Quiet,
    /// Errors, warnings (translation gaps summarised), the totals.
    #[default]
    Normal,
    /// Every warning in full, and the time each stage took.
    Verbose,
}

/// Options of what is printed, shared by build and check.
#[derive(Debug, Clone, clap::Args)]
pub struct OutputArgs {
    /// Print only errors.
    #[arg(long, short, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print every warning in full, and the time each stage took.
    #[arg(long, short)]
    pub verbose: bool,
    /// How to print errors and warnings.
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t)]
    pub message_format: MessageFormat,
}

/// Translation gaps of one language and kind beyond this many are summarised in one line.
pub const SUMMARY_AFTER: usize = 3;

/// Prints diagnostics and summaries as the options say.
#[derive(Debug, Clone, Copy)]
pub struct Printer {
    pub color: bool,
    pub verbosity: Verbosity,
    pub format: MessageFormat,
}

impl Printer {
    pub fn new(args: &OutputArgs) -> Printer {
        Printer {
            color: args.message_format == MessageFormat::Human
                && use_color(std::io::stderr().is_terminal()),
            verbosity: if args.quiet {
                Verbosity::Quiet
            } else if args.verbose {
                Verbosity::Verbose
            } else {
                Verbosity::Normal
            },
            format: args.message_format,
        }
    }

    /// A plain printer for people: no colour, normal verbosity.
    pub fn plain() -> Printer {
        Printer {
            color: false,
            verbosity: Verbosity::Normal,
            format: MessageFormat::Human,
        }
    }

    /// The diagnostics as the format says: for people and GitHub, warnings first (gaps
    /// summarised unless verbose), then every error in full. `(stdout, stderr)`.
    pub fn diagnostics(&self, diagnostics: &Diagnostics) -> (String, String) {
        let errors: Vec<&Diagnostic> = diagnostics.errors().collect();
        let warnings: Vec<&Diagnostic> = if self.verbosity == Verbosity::Quiet {
            Vec::new()
        } else {
            diagnostics.warnings().collect()
        };
        match self.format {
            MessageFormat::Json => {
                let mut out = String::new();
                for d in warnings.iter().chain(&errors) {
                    out.push_str(&json(d));
                    out.push('\n');
                }
                (out, String::new())
            }
            MessageFormat::Human | MessageFormat::Github => {
                let shown = if self.verbosity == Verbosity::Verbose {
                    warnings.into_iter().cloned().collect()
                } else {
                    summarise(&warnings)
                };
                let mut out = String::new();
                for d in shown.iter().chain(errors) {
                    if self.format == MessageFormat::Github {
                        out.push_str(&github(d));
                    } else {
                        out.push_str(&d.render(self.color));
                        out.push('\n');
                    }
                }
                if self.format == MessageFormat::Github {
                    (out, String::new())
                } else {
                    (String::new(), out)
                }
            }
        }
    }

    /// `2 errors, 4 warnings`, coloured on a terminal.
    pub fn total(&self, diagnostics: &Diagnostics) -> String {
        let errors = diagnostics.errors().count();
        let warnings = diagnostics.warnings().count();
        let plural = |n: usize, word: &str| {
            format!("{} {word}{}", thousands(n), if n == 1 { "" } else { "s" })
        };
        let (errors_text, warnings_text) = (plural(errors, "error"), plural(warnings, "warning"));
        if self.color {
            let paint = |n: usize, style: &str, text: String| {
                if n > 0 {
                    format!("{style}{text}\x1b[0m")
                } else {
                    text
                }
            };
            format!(
                "{}, {}",
                paint(errors, "\x1b[1;31m", errors_text),
                paint(warnings, "\x1b[1;33m", warnings_text)
            )
        } else {
            format!("{errors_text}, {warnings_text}")
        }
    }
}

/// Colour when the stream is a terminal, unless `NO_COLOR` is set (https://no-color.org);
/// `CLICOLOR_FORCE` asks for it anyway.
pub fn use_color(is_terminal: bool) -> bool {
    let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty() && v != "0");
    if set("NO_COLOR") {
        return false;
    }
    if set("CLICOLOR_FORCE") {
        return true;
    }
    is_terminal && std::env::var_os("TERM").is_none_or(|t| t != "dumb")
}

/// `6526` → `6,526`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The warnings, with the translation gaps of each language and kind beyond [`SUMMARY_AFTER`]
/// replaced by one summary: other warnings first, then the gaps by kind and language.
pub fn summarise(warnings: &[&Diagnostic]) -> Vec<Diagnostic> {
    let mut shown = Vec::new();
    let mut groups: BTreeMap<(GapKind, Option<String>), Vec<&Diagnostic>> = BTreeMap::new();
    for d in warnings {
        match &d.gap {
            Some(gap) => groups
                .entry((gap.kind, gap.lang.clone()))
                .or_default()
                .push(d),
            None => shown.push((*d).clone()),
        }
    }
    for ((kind, lang), group) in groups {
        if group.len() <= SUMMARY_AFTER {
            shown.extend(group.into_iter().cloned());
            continue;
        }
        let n = thousands(group.len());
        let lang = lang.as_deref().unwrap_or("");
        let what = match kind {
            GapKind::Untranslated => format!("{lang}: {n} pages shown untranslated"),
            GapKind::NoOriginal => format!("{n} pages have no original in {lang}"),
            GapKind::Stale => format!("{lang}: {n} translations older than their original"),
            GapKind::MissingString => format!("{lang}: {n} UI strings not translated"),
            GapKind::IncompletePlural => {
                format!("{lang}: {n} UI strings miss a plural variant")
            }
            GapKind::ServiceText => {
                format!("{lang}: {n} service and agency files with texts not translated")
            }
            GapKind::UnusedString => format!("{n} groups of UI strings unused"),
            GapKind::OverdueReview => {
                format!("{n} services and agencies are overdue for review")
            }
        };
        let mut examples: Vec<String> = Vec::new();
        for d in &group {
            let example = d
                .gap
                .as_ref()
                .and_then(|g| g.example.clone())
                .or_else(|| d.location());
            if let Some(example) = example
                && !examples.contains(&example)
            {
                examples.push(example);
            }
            if examples.len() == SUMMARY_AFTER {
                break;
            }
        }
        let more = group.len() - examples.len();
        let help = if kind == GapKind::OverdueReview {
            "run `karvan check --verbose` to see every one"
        } else {
            "run `karvan check --translations` for the list, or add --verbose to see every one"
        };
        shown.push(
            Diagnostic::warning(format!(
                "{what}, e.g. {} and {} more",
                examples.join(", "),
                thousands(more)
            ))
            .with_help(help)
            .with_gap(kind, (!lang.is_empty()).then_some(lang)),
        );
    }
    shown
}

/// One diagnostic as a JSON object on one line; every object has the same fields.
pub fn json(d: &Diagnostic) -> String {
    let value = serde_json::json!({
        "severity": severity(d),
        "message": d.message,
        "file": d.path.as_ref().map(|p| p.display().to_string().replace('\\', "/")),
        "line": d.position.map(|p| p.line),
        "column": d.position.map(|p| p.column),
        "source_line": d.snippet.as_ref().map(|(line, _)| line),
        "help": d.help,
        "gap": d.gap.as_ref().map(|g| g.kind.name()),
        "language": d.gap.as_ref().and_then(|g| g.lang.clone()),
    });
    value.to_string()
}

fn severity(d: &Diagnostic) -> &'static str {
    match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// One diagnostic as a GitHub Actions workflow command:
/// `::error file=content/en/a.md,line=3,col=1,title=karvan::message`.
pub fn github(d: &Diagnostic) -> String {
    // https://docs.github.com/en/actions/reference/workflow-commands-for-github-actions
    let data = |s: &str| {
        s.replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A")
    };
    let property = |s: &str| data(s).replace(':', "%3A").replace(',', "%2C");
    let mut properties = Vec::new();
    if let Some(path) = &d.path {
        properties.push(format!(
            "file={}",
            property(&path.display().to_string().replace('\\', "/"))
        ));
    }
    if let Some(position) = d.position {
        properties.push(format!("line={}", position.line));
        properties.push(format!("col={}", position.column));
    }
    properties.push(format!(
        "title={}",
        property(&format!("karvan {}", severity(d)))
    ));
    let mut message = d.message.clone();
    if let Some(help) = &d.help {
        let _ = write!(message, "\nhelp: {help}");
    }
    format!(
        "::{} {}::{}\n",
        severity(d),
        properties.join(","),
        data(&message)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_summary_of_missing_strings_names_the_strings_not_their_one_file() {
        let warnings: Vec<Diagnostic> = ["a", "b", "c", "d", "e"]
            .iter()
            .map(|key| {
                Diagnostic::warning(format!("the UI string `{key}` is not translated into ar"))
                    .in_file("i18n/ar.ftl")
                    .with_gap(GapKind::MissingString, Some("ar"))
                    .with_example(format!("`{key}`"))
            })
            .collect();
        let shown = summarise(&warnings.iter().collect::<Vec<_>>());
        assert_eq!(shown.len(), 1);
        assert_eq!(
            shown[0].message,
            "ar: 5 UI strings not translated, e.g. `a`, `b`, `c` and 2 more"
        );
    }

    #[test]
    fn a_summary_names_each_file_once() {
        let warnings: Vec<Diagnostic> = ["x", "x", "y", "z", "z"]
            .iter()
            .map(|id| {
                Diagnostic::warning("not translated into ru")
                    .in_file(format!("content/ru/{id}.md"))
                    .with_gap(GapKind::Untranslated, Some("ru"))
            })
            .collect();
        let shown = summarise(&warnings.iter().collect::<Vec<_>>());
        assert_eq!(
            shown[0].message,
            "ru: 5 pages shown untranslated, e.g. content/ru/x.md, content/ru/y.md, content/ru/z.md and 2 more"
        );
    }

    #[test]
    fn thousands_are_separated_by_commas() {
        assert_eq!(thousands(7), "7");
        assert_eq!(thousands(6526), "6,526");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }

    #[test]
    fn github_annotations_escape_newlines_and_commas() {
        let d = Diagnostic::error("a, b: 100%")
            .in_file("content/en/a,b.md")
            .at_position(3, 2)
            .with_help("do\nthis");
        assert_eq!(
            github(&d),
            "::error file=content/en/a%2Cb.md,line=3,col=2,title=karvan error::a, b: 100%25%0Ahelp: do%0Athis\n"
        );
    }
}
