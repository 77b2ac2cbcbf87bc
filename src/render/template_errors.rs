//! Template errors located in their files: what Tera 2 reports when templates do not load
//! together ([`load_errors`]) or a render fails ([`render_error`]), as diagnostics with the
//! template's path, line and column, and a hint.

use std::collections::BTreeMap;

use tera::{ErrorKind, Tera};

use super::functions;
use super::refs::Refs;
use crate::config::Config;
use crate::error::Diagnostic;
use crate::source::{SourceText, display_path};

/// The help of an error in a template, after what is specific to it.
const RENDER_HELP: &str =
    "correct the template; the names a template can use are listed in README.md (Templates)";

/// A render error located where Tera 2 says it happened: in the template, one of its parents,
/// or the component or include it called (the help then names the callers).
pub(super) fn render_error(
    sources: &BTreeMap<String, SourceText>,
    template: &str,
    err: &tera::Error,
    page: &str,
) -> Diagnostic {
    let (message, place) = match err.kind() {
        ErrorKind::RenderingError(report) => (
            report.message().to_string(),
            Some((report.filename(), report.span().range.clone())),
        ),
        _ => (innermost(err), None),
    };
    let diagnostic = Diagnostic::error(format!("cannot render {page} with {template}: {message}"));
    let diagnostic = match place.and_then(|(name, range)| Some((sources.get(name)?, range))) {
        Some((source, range)) => diagnostic
            .in_file(&source.path)
            .at_span(&source.text, range),
        None => match sources.get(template) {
            Some(source) => diagnostic.in_file(&source.path),
            None => diagnostic,
        },
    };
    // Tera writes where a component or include was called from only into its report text.
    let callers: Vec<String> = err
        .to_string()
        .lines()
        .filter_map(|line| line.strip_prefix("note: called from "))
        .map(|place| shown_place(sources, place))
        .collect();
    let mut help = Vec::new();
    if let Some(close) = did_you_mean(&message) {
        help.push(format!("did you mean `{close}`?"));
    }
    if !callers.is_empty() {
        help.push(format!(
            "called from {};",
            callers.join(", itself called from ")
        ));
    }
    help.push(RENDER_HELP.to_string());
    diagnostic.with_help(help.join(" "))
}

/// `page.html:3:1` as the path of the template's file: `templates/page.html:3:1`.
fn shown_place(sources: &BTreeMap<String, SourceText>, place: &str) -> String {
    let mut parts = place.rsplitn(3, ':');
    let (column, line, name) = (parts.next(), parts.next(), parts.next());
    match (name.and_then(|n| sources.get(n)), line, column) {
        (Some(source), Some(line), Some(column)) => {
            format!("{}:{line}:{column}", source.path.display())
        }
        _ => place.to_string(),
    }
}

/// For Tera's "Field `titel` is not defined. Available fields: ..., title, ..." (and the same for
/// variables), the available name nearest to the unknown one.
fn did_you_mean(message: &str) -> Option<&str> {
    let unknown = message.split('`').nth(1)?;
    let (_, available) = message
        .split_once("Available fields: ")
        .or_else(|| message.split_once("Available variables: "))?;
    let available: Vec<&str> = available.split(", ").map(str::trim).collect();
    crate::source::closest(unknown, &available)
}

/// The diagnostics of templates that do not load together.
pub(super) fn load_errors(
    err: &tera::Error,
    sources: &BTreeMap<String, SourceText>,
    config: &Config,
) -> Vec<Diagnostic> {
    let names: Vec<&str> = sources.keys().map(String::as_str).collect();
    let names_help = format!(
        "check that every {{% extends %}} and {{% include %}} names an existing template: {}",
        names.join(", ")
    );
    let in_template = |name: &str, diagnostic: Diagnostic| match sources.get(name) {
        Some(source) => diagnostic.in_file(&source.path),
        None => diagnostic.in_file(display_path(
            &config.root,
            &config.theme_dir().join("templates"),
        )),
    };
    let found = match err.kind() {
        // Tera stops at the first template it cannot parse: parse each alone to report them all.
        ErrorKind::SyntaxError(_) => sources
            .iter()
            .filter_map(|(name, source)| {
                let err = Tera::default().add_raw_template(name, &source.text).err()?;
                match err.kind() {
                    ErrorKind::SyntaxError(report) => Some(syntax_error(source, report)),
                    _ => None,
                }
            })
            .collect(),
        ErrorKind::MissingParent { current, parent } => {
            let diagnostic = Diagnostic::error(format!(
                "the templates do not fit together: `{current}` extends `{parent}`, which does not exist"
            ));
            let diagnostic = match sources.get(current) {
                Some(source) => {
                    let at = Refs::of(&source.text).extends.map(|(_, range)| range);
                    let diagnostic = diagnostic.in_file(&source.path);
                    match at {
                        Some(range) => diagnostic.at_span(&source.text, range),
                        None => diagnostic,
                    }
                }
                None => in_template(current, diagnostic),
            };
            let help = match crate::source::closest(parent, &names) {
                Some(close) => format!("did you mean `{close}`? {names_help}"),
                None => names_help,
            };
            vec![diagnostic.with_help(help)]
        }
        ErrorKind::CircularExtend { tpl, .. } | ErrorKind::CircularInclude { tpl, .. } => {
            vec![
                in_template(
                    tpl,
                    Diagnostic::error(format!("the templates do not fit together: {err}")),
                )
                .with_help("a template cannot extend or include itself, through others or not"),
            ]
        }
        // Every unknown filter, function, component, include or block, as one text of reports.
        ErrorKind::Msg(text) => reports(text, sources, &names_help),
        _ => Vec::new(),
    };
    if !found.is_empty() {
        return found;
    }
    let message = innermost(err);
    // "Component `x` is defined in both `a.html` and `b.html`": at its definition in b.html.
    if let Some(rest) = message.strip_prefix("Component `") {
        let mut quoted = rest.split('`').step_by(2);
        if let (Some(component), Some(_), Some(second)) =
            (quoted.next(), quoted.next(), quoted.next())
            && let Some(source) = sources.get(second)
        {
            let at = Refs::of(&source.text)
                .components
                .into_iter()
                .find(|(name, _)| name == component)
                .map(|(_, range)| range);
            let diagnostic =
                Diagnostic::error(format!("the templates do not fit together: {message}"))
                    .in_file(&source.path);
            return vec![match at {
                Some(range) => diagnostic.at_span(&source.text, range),
                None => diagnostic,
            }
            .with_help(format!(
                "a component is defined once, in any template: rename one of the two, or replace the theme's template that defines `{component}` with a site template of the same name"
            ))];
        }
    }
    // Anything else: in the first template the message names.
    let named = names
        .iter()
        .find(|name| message.contains(&format!("`{name}`")))
        .copied()
        .unwrap_or_default();
    vec![
        in_template(
            named,
            Diagnostic::error(format!("the templates do not fit together: {message}")),
        )
        .with_help(RENDER_HELP),
    ]
}

/// Tera 2's reports of a check across templates, each `error: message`, ` --> name:line:col`,
/// the line and carets under the span, turned into diagnostics.
fn reports(
    text: &str,
    sources: &BTreeMap<String, SourceText>,
    names_help: &str,
) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    let mut message: Option<&str> = None;
    let mut place: Option<(&SourceText, usize)> = None;
    let mut finish = |message: &str, place: Option<(&SourceText, usize)>, width: usize| {
        let help = report_help(message, sources, names_help);
        let diagnostic = Diagnostic::error(format!("template error: {message}"));
        found.push(
            match place {
                Some((source, offset)) => {
                    let end = source.text[offset..]
                        .char_indices()
                        .nth(width)
                        .map_or(source.text.len(), |(i, _)| offset + i);
                    diagnostic
                        .in_file(&source.path)
                        .at_span(&source.text, offset..end)
                }
                None => diagnostic,
            }
            .with_help(help),
        );
    };
    for line in text.lines() {
        if let Some(next) = line.strip_prefix("error: ") {
            if let Some(done) = message.take() {
                finish(done, place.take(), 1);
            }
            message = Some(next);
        } else if let Some(at) = line.trim_start().strip_prefix("--> ") {
            let mut parts = at.rsplitn(3, ':');
            let (column, line, name) = (parts.next(), parts.next(), parts.next());
            place = (|| {
                let source = sources.get(name?)?;
                let offset = line_offset(&source.text, line?.parse().ok()?, column?.parse().ok()?);
                Some((source, offset))
            })();
        } else if line.contains('^')
            && line.trim_start().starts_with('|')
            && let Some(done) = message.take()
        {
            let width = line.matches('^').count();
            finish(done, place.take(), width);
        }
    }
    if let Some(done) = message.take() {
        finish(done, place.take(), 1);
    }
    found
}

/// The help for one of Tera's load-time reports: what exists, and the name nearest the unknown one.
fn report_help(message: &str, sources: &BTreeMap<String, SourceText>, names_help: &str) -> String {
    let unknown = message.split('`').nth(1).unwrap_or_default();
    let suggest =
        |candidates: &[&str], help: String| match crate::source::closest(unknown, candidates) {
            Some(close) => format!("did you mean `{close}`? {help}"),
            None => help,
        };
    if message.starts_with("Unknown template") {
        let names: Vec<&str> = sources.keys().map(String::as_str).collect();
        suggest(&names, names_help.to_string())
    } else if message.starts_with("Unknown component") {
        let refs: Vec<Refs> = sources.values().map(|s| Refs::of(&s.text)).collect();
        let mut names: Vec<&str> = refs
            .iter()
            .flat_map(|r| r.components.iter().map(|(name, _)| name.as_str()))
            .collect();
        names.sort_unstable();
        names.dedup();
        suggest(
            &names,
            format!(
                "the components are {}; a template defines one with {{% component name(arguments) %}}...{{% endcomponent name %}}",
                names.join(", ")
            ),
        )
    } else if message.starts_with("Unknown function") {
        let names: Vec<&str> = functions::function_names().collect();
        suggest(
            &names,
            format!(
                "karvan's functions are {} (README.md, Templates)",
                names.join(", ")
            ),
        )
    } else if message.starts_with("Unknown filter") {
        let names: Vec<&str> = functions::filter_names().collect();
        suggest(
            &names,
            format!(
                "karvan's filters are {}, besides Tera's own (README.md, Templates)",
                names.join(", ")
            ),
        )
    } else {
        RENDER_HELP.to_string()
    }
}

fn syntax_error(source: &SourceText, report: &tera::ReportError) -> Diagnostic {
    Diagnostic::error(format!("template syntax error: {}", report.message()))
        .in_file(&source.path)
        .at_span(&source.text, report.span().range.clone())
        .with_help(
            "check the {{ }} and {% %} tags on this line: each must be closed and well formed",
        )
}

/// The byte offset of a 1-based line and column (in characters).
fn line_offset(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    let rest = &text[start.min(text.len())..];
    start
        + rest
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(rest.len(), |(i, _)| i)
}

fn innermost(err: &tera::Error) -> String {
    let mut message = err.to_string();
    let mut source = std::error::Error::source(err);
    while let Some(s) = source {
        message = s.to_string();
        source = s.source();
    }
    message
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_misspelt_field_suggests_the_available_one() {
        assert_eq!(
            did_you_mean("Field `titel` is not defined. Available fields: content, title, toc"),
            Some("title")
        );
        assert_eq!(did_you_mean("Variable `x` is not defined."), None);
    }
}
