//! Diagnostics: what went wrong, where, and what to do about it.
//!
//! Every problem a user can fix is a [`Diagnostic`]: a message, the file it is in (relative to the
//! site root), the line and column where known, the offending line itself, and a hint. A stage
//! collects all of its diagnostics and returns them together as [`Diagnostics`], so an editor sees
//! every problem of a build at once rather than one per run.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// How serious a diagnostic is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum Severity {
    /// The build goes on; `--strict` turns it into an error.
    Warning,
    /// The build fails.
    Error,
}

/// The kinds of gap a translation or a review can leave. They are warnings unless site.toml's
/// `[gaps] errors` lists them (or `--strict` is on); the command line summarises them per
/// language and kind.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum GapKind {
    /// A page shown in a language it is not translated into.
    Untranslated,
    /// A page with no original in the default language.
    NoOriginal,
    /// A translation older than its original.
    Stale,
    /// A UI string missing in a language.
    MissingString,
    /// A message without a variant for one of its language's plural categories.
    IncompletePlural,
    /// Service or agency texts missing in a language.
    ServiceText,
    /// UI strings that nothing uses.
    UnusedString,
    /// A service or agency whose review is overdue.
    OverdueReview,
}

impl GapKind {
    pub const ALL: [GapKind; 8] = [
        GapKind::Untranslated,
        GapKind::NoOriginal,
        GapKind::Stale,
        GapKind::MissingString,
        GapKind::IncompletePlural,
        GapKind::ServiceText,
        GapKind::UnusedString,
        GapKind::OverdueReview,
    ];

    /// The name site.toml's `[gaps] errors` and the JSON formats use.
    pub fn name(self) -> &'static str {
        match self {
            GapKind::Untranslated => "untranslated",
            GapKind::NoOriginal => "no-original",
            GapKind::Stale => "stale",
            GapKind::MissingString => "missing-strings",
            GapKind::IncompletePlural => "incomplete-plurals",
            GapKind::ServiceText => "service-texts",
            GapKind::UnusedString => "unused-strings",
            GapKind::OverdueReview => "overdue-reviews",
        }
    }

    pub fn from_name(name: &str) -> Option<GapKind> {
        GapKind::ALL.into_iter().find(|k| k.name() == name)
    }
}

/// A gap a diagnostic reports: its kind and the language it is in (none for a review).
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct Gap {
    pub kind: GapKind,
    pub lang: Option<String>,
    /// What a summary of many gaps names for this one when its file does not tell them apart
    /// (every missing UI string of a language is in the same file): `` `menu-open` ``.
    #[serde(default)]
    pub example: Option<String>,
}

/// A position in a text file, 1-based. Column counts characters, not bytes.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

impl Position {
    /// The position of byte `offset` in `text` (clamped to the text's end).
    pub fn at(text: &str, offset: usize) -> Position {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let before = &text[..offset];
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        Position {
            line: before.matches('\n').count() + 1,
            column: before[line_start..].chars().count() + 1,
        }
    }
}

/// One problem, located in a file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub message: String,
    /// The file, relative to the site root where it is inside it.
    pub path: Option<PathBuf>,
    pub position: Option<Position>,
    /// The text of the offending line and how many characters to underline.
    pub snippet: Option<(String, usize)>,
    pub help: Option<String>,
    /// The translation or review gap this reports, if it is one.
    pub gap: Option<Gap>,
}

impl Diagnostic {
    pub fn error(message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            path: None,
            position: None,
            snippet: None,
            help: None,
            gap: None,
        }
    }

    pub fn warning(message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(message)
        }
    }

    pub fn in_file(mut self, path: impl AsRef<Path>) -> Diagnostic {
        self.path = Some(path.as_ref().to_path_buf());
        self
    }

    /// Points at the bytes `span` of `text`, the whole content of the file.
    pub fn at_span(mut self, text: &str, span: Range<usize>) -> Diagnostic {
        let position = Position::at(text, span.start);
        let line = text.lines().nth(position.line - 1).unwrap_or("");
        let line = line.strip_suffix('\r').unwrap_or(line);
        let end = span.end.min(text.len()).max(span.start);
        let underlined = text
            .get(span.start..end)
            .map_or(1, |s| s.lines().next().unwrap_or("").chars().count().max(1));
        self.position = Some(position);
        self.snippet = Some((line.to_string(), underlined));
        self
    }

    /// Points at a line and column without the text at hand.
    pub fn at_position(mut self, line: usize, column: usize) -> Diagnostic {
        self.position = Some(Position { line, column });
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    /// Marks this as a gap of `kind` in `lang`.
    pub fn with_gap(mut self, kind: GapKind, lang: Option<&str>) -> Diagnostic {
        self.gap = Some(Gap {
            kind,
            lang: lang.map(str::to_string),
            example: None,
        });
        self
    }

    /// Names the gap in a summary of many (see [`Gap::example`]); after [`Diagnostic::with_gap`].
    pub fn with_example(mut self, example: impl Into<String>) -> Diagnostic {
        if let Some(gap) = &mut self.gap {
            gap.example = Some(example.into());
        }
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `path:line:col` (or less, where less is known).
    pub fn location(&self) -> Option<String> {
        let path = self.path.as_ref()?.display().to_string();
        Some(match self.position {
            Some(p) => format!("{path}:{}:{}", p.line, p.column),
            None => path,
        })
    }
}

/// ANSI styles for a terminal: what is coloured when [`Diagnostic::render`] is asked to.
mod style {
    pub const RED: &str = "\x1b[1;31m";
    pub const YELLOW: &str = "\x1b[1;33m";
    pub const BLUE: &str = "\x1b[1;34m";
    pub const CYAN: &str = "\x1b[1;36m";
    pub const BOLD: &str = "\x1b[1m";
    pub const RESET: &str = "\x1b[0m";
}

impl Diagnostic {
    /// The diagnostic as text: `error: ...`, the location, the line with a caret under the
    /// problem, and the help. With `color`, for a terminal: the label red (error) or yellow
    /// (warning), the caret and the help highlighted. Control characters are shown escaped
    /// (`\u{1b}`), never sent to the terminal as they are, and a long line is shown as the part
    /// around its column.
    pub fn render(&self, color: bool) -> String {
        use std::fmt::Write as _;
        let paint = |style: &str, text: &str| {
            if color {
                format!("{style}{text}{}", style::RESET)
            } else {
                text.to_string()
            }
        };
        let (label, label_style) = match self.severity {
            Severity::Error => ("error", style::RED),
            Severity::Warning => ("warning", style::YELLOW),
        };
        let mut f = String::new();
        let _ = writeln!(
            f,
            "{}{} {}",
            paint(label_style, label),
            paint(style::BOLD, ":"),
            paint(style::BOLD, &shorten(&escape_controls(&self.message)))
        );
        if let Some(location) = self.location() {
            let _ = writeln!(
                f,
                "  {} {}",
                paint(style::BLUE, "-->"),
                escape_controls(&location)
            );
        }
        if let (Some((line, width)), Some(position)) = (&self.snippet, self.position) {
            let number = position.line.to_string();
            let gutter = " ".repeat(number.len());
            let (shown, column, width) = clip(line, position.column, *width);
            let bar = paint(style::BLUE, "|");
            let _ = writeln!(f, "{gutter} {bar}");
            let _ = writeln!(f, "{} {bar} {shown}", paint(style::BLUE, &number));
            let pad = " ".repeat(column - 1);
            let _ = writeln!(
                f,
                "{gutter} {bar} {pad}{}",
                paint(label_style, &"^".repeat(width))
            );
        }
        if let Some(help) = &self.help {
            let width = self
                .position
                .filter(|_| self.snippet.is_some())
                .map_or(1, |p| p.line.to_string().len());
            let _ = writeln!(
                f,
                "{} {} {}",
                " ".repeat(width),
                paint(style::CYAN, "= help:"),
                shorten(&escape_controls(help))
            );
        }
        f
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(false))
    }
}

/// The longest part of a line a diagnostic shows, in characters.
const SHOWN_LINE: usize = 240;

/// `text` with every control character but the tab written as an escape: what a terminal shows
/// without obeying it (no colours, no moved cursor, no changed title, no bell).
pub fn escape_controls(text: &str) -> std::borrow::Cow<'_, str> {
    if !text
        .chars()
        .any(|c| c.is_control() && c != '\t' && c != '\n')
    {
        return std::borrow::Cow::Borrowed(text);
    }
    text.chars()
        .map(|c| {
            if c.is_control() && c != '\t' && c != '\n' {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect::<String>()
        .into()
}

/// The longest message or help a diagnostic shows, in characters (one that quotes a whole bad
/// line could otherwise be as long as the file).
const SHOWN_TEXT: usize = 400;

/// `text` cut to [`SHOWN_TEXT`] characters, with `…` where cut.
fn shorten(text: &str) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(SHOWN_TEXT) {
        None => std::borrow::Cow::Borrowed(text),
        Some((end, _)) => format!("{}…", &text[..end]).into(),
    }
}

/// The part of `line` to show around `column` (1-based, in characters), escaped, with the
/// caret's new column and width: at most [`SHOWN_LINE`] characters of the line, `…` where cut.
fn clip(line: &str, column: usize, width: usize) -> (String, usize, usize) {
    let chars: Vec<char> = line.chars().collect();
    let (start, end) = if chars.len() <= SHOWN_LINE {
        (0, chars.len())
    } else {
        let start = column.saturating_sub(1 + SHOWN_LINE / 4).min(chars.len());
        (start, (start + SHOWN_LINE).min(chars.len()))
    };
    let mut shown = String::new();
    let mut new_column = 1;
    if start > 0 {
        shown.push('…');
        new_column += 1;
    }
    let mut caret_width = 0;
    for (i, c) in chars[start..end].iter().enumerate() {
        let piece = if c.is_control() && *c != '\t' {
            c.escape_unicode().to_string()
        } else {
            c.to_string()
        };
        let len = piece.chars().count();
        if start + i + 1 < column {
            new_column += len;
        } else if start + i + 1 < column + width {
            caret_width += len;
        }
        shown.push_str(&piece);
    }
    if end < chars.len() {
        shown.push('…');
    }
    (shown, new_column, caret_width.max(1))
}

/// The diagnostics of one or more stages. As an error it holds at least one error.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.0.extend(other);
    }

    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter().filter(|d| d.is_error())
    }

    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter().filter(|d| !d.is_error())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Sorts by file and position so that reports are stable whatever the thread count.
    pub fn sort(&mut self) {
        self.0.sort_by(|a, b| {
            (&a.path, a.position, &a.message).cmp(&(&b.path, b.position, &b.message))
        });
        self.0.dedup();
    }

    /// Gaps of the kinds in `errors` become errors.
    pub fn escalate_gaps(&mut self, errors: &[GapKind]) {
        for d in &mut self.0 {
            if d.gap.as_ref().is_some_and(|g| errors.contains(&g.kind)) {
                d.severity = Severity::Error;
            }
        }
    }

    /// With `strict`, warnings become errors.
    pub fn escalate(&mut self, strict: bool) {
        if strict {
            for d in &mut self.0 {
                d.severity = Severity::Error;
            }
        }
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Diagnostics {
        Diagnostics(vec![d])
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

/// An I/O failure on `path`, as a diagnostic.
pub fn io_error(path: &Path, action: &str, err: &std::io::Error) -> Diagnostic {
    Diagnostic::error(format!("cannot {action}: {err}")).in_file(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn position_counts_lines_and_characters_not_bytes() {
        let text = "a = 1\nşəhər = 2\n";
        assert_eq!(Position::at(text, 0), Position { line: 1, column: 1 });
        let offset = text.find('=').unwrap();
        assert_eq!(Position::at(text, offset), Position { line: 1, column: 3 });
        let offset = text.rfind('=').unwrap();
        assert_eq!(Position::at(text, offset), Position { line: 2, column: 7 });
    }

    #[test]
    fn control_characters_are_shown_escaped_and_long_lines_clipped() {
        let text = format!("title = \"\u{1b}]0;owned\u{7}{}\"\n", "x".repeat(200_000));
        let d = Diagnostic::error("bad \u{1b}[2J")
            .in_file("content/en/a\u{1b}.md")
            .at_span(&text, 150..151);
        let shown = d.to_string();
        assert!(
            !shown.contains('\u{1b}') && !shown.contains('\u{7}'),
            "{shown:?}"
        );
        assert!(shown.contains("bad \\u{1b}[2J"), "{shown}");
        assert!(shown.contains("a\\u{1b}.md"), "{shown}");
        assert!(shown.len() < 700, "{} bytes: {shown}", shown.len());
        let lines: Vec<&str> = shown.lines().collect();
        let line = lines[3];
        let caret = lines[4];
        assert!(line.starts_with("1 | …") && line.ends_with('…'), "{line}");
        let at = caret.chars().position(|c| c == '^').unwrap();
        assert_eq!(line.chars().nth(at), Some('x'), "{line}\n{caret}");
    }

    #[test]
    fn diagnostic_shows_location_line_and_caret() {
        let text = "title = \"x\"\ntitel = \"y\"\n";
        let d = Diagnostic::error("unknown key `titel`")
            .in_file("content/en/a.md")
            .at_span(text, 12..17)
            .with_help("did you mean `title`?");
        assert_eq!(
            d.to_string(),
            "error: unknown key `titel`\n  --> content/en/a.md:2:1\n  |\n2 | titel = \"y\"\n  | ^^^^^\n  = help: did you mean `title`?\n"
        );
    }
}
