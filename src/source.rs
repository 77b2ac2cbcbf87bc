//! Source files as text: reading them (UTF-8 check, byte-order mark, CRLF) and parsing TOML from
//! them with errors that point at the file, line and column.

use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

use crate::error::{Diagnostic, io_error};

/// The bytes of a file, shared: a build kept in memory (`serve`) hands its files to the server
/// and to the next build without copying them.
pub type Bytes = std::sync::Arc<[u8]>;

/// A text file of the site, normalised: no byte-order mark, `\n` line endings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceText {
    /// The path shown to the user: relative to the site root where the file is inside it.
    pub path: PathBuf,
    pub text: String,
}

impl SourceText {
    /// Normalises `bytes` read from `path`: a file that is not UTF-8 is an error pointing at the
    /// first bad byte.
    pub fn from_bytes(path: impl Into<PathBuf>, bytes: Vec<u8>) -> Result<SourceText, Diagnostic> {
        let path = path.into();
        let text = match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(err) => {
                let valid = err.utf8_error().valid_up_to();
                let bytes = err.as_bytes();
                let good = String::from_utf8_lossy(&bytes[..valid]);
                let shown = String::from_utf8_lossy(bytes);
                return Err(Diagnostic::error("this file is not valid UTF-8 text")
                    .in_file(&path)
                    .at_span(&shown, good.len()..good.len() + 1)
                    .with_help(
                        "save the file as UTF-8 (in most editors: \"Save with encoding\" → UTF-8)",
                    ));
            }
        };
        // The text as read is kept unless it has a byte-order mark or CRs to drop: a copy of
        // every file would touch twice the content's memory.
        let text = if text.starts_with('\u{feff}') || text.contains('\r') {
            let unmarked = text.strip_prefix('\u{feff}').unwrap_or(&text);
            unmarked.replace("\r\n", "\n")
        } else {
            text
        };
        // Control characters (ESC, BEL, NUL…) have no place in a page and would reach the
        // HTML and the terminal: refused where they are.
        if let Some(offset) = first_control(&text) {
            let c = text[offset..]
                .chars()
                .next()
                .expect("a character starts there");
            return Err(Diagnostic::error(format!(
                "this file holds a control character ({})",
                c.escape_unicode()
            ))
            .in_file(&path)
            .at_span(&text, offset..offset + c.len_utf8())
            .with_help(
                "remove it: it was most likely pasted from another program, and shows as nothing or as garbage",
            ));
        }
        Ok(SourceText { path, text })
    }

    /// Reads `file`; `shown` is the path to name in errors. Only a regular file is read: a
    /// pipe or a device (which could block or never end) is an error.
    pub fn read(file: &Path, shown: impl Into<PathBuf>) -> Result<SourceText, Diagnostic> {
        let shown = shown.into();
        let bytes = read_regular(file, &shown)?;
        SourceText::from_bytes(shown, bytes)
    }

    /// Reads `file` of the site at `root` (see [`read_site_file`]).
    pub fn read_in_site(root: &Path, file: &Path) -> Result<SourceText, Diagnostic> {
        let bytes = read_site_file(root, file)?;
        SourceText::from_bytes(display_path(root, file), bytes)
    }

    /// Reads `file`, which [`walk_site`] found in the site at `root`: the walk checked the links
    /// on its way, so it is not resolved again (two `realpath`s a file, a tenth of reading the
    /// content).
    pub fn read_found(root: &Path, file: &Path) -> Result<SourceText, Diagnostic> {
        let shown = display_path(root, file);
        let bytes = read_regular(file, &shown)?;
        SourceText::from_bytes(shown, bytes)
    }
}

/// Where the first control character but a newline or a tab is in `text` (Unicode's `Cc`:
/// U+0000–U+001F, U+007F–U+009F). Byte by byte, not character by character: every page is
/// checked, twice in a build that reads it again, and most of their bytes are not one.
fn first_control(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(at) = bytes[from..]
        .iter()
        .position(|&b| (b < 0x20 && b != b'\n' && b != b'\t') || b == 0x7f || b == 0xc2)
    {
        let at = from + at;
        // U+0080–U+009F are 0xC2 0x80–0x9F; other characters starting with 0xC2 are fine.
        if bytes[at] != 0xc2 || matches!(bytes.get(at + 1), Some(0x80..=0x9f)) {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// Reads a file of the site at `root`: only a regular file inside the site. A symbolic link
/// (of the file or of a folder above it) that leads out of the site is an error naming the
/// link; so is a pipe, a device or a socket.
pub fn read_site_file(root: &Path, file: &Path) -> Result<Vec<u8>, Diagnostic> {
    if let Some(error) = leaves_site(root, file) {
        return Err(error);
    }
    read_regular(file, &display_path(root, file))
}

/// Walks `folder` of the site at `root` in name order, following the links that stay inside
/// the site and leaving out the names `skip` says: the regular files found, and an error for
/// every link that leads out of the site, every pipe, device or socket, and every folder that
/// cannot be read.
pub fn walk_site(
    root: &Path,
    folder: &Path,
    skip: impl Fn(&std::ffi::OsStr) -> bool,
) -> (Vec<PathBuf>, Vec<(PathBuf, Diagnostic)>) {
    // The folder itself, or one above it, may be a link out of the site; below it, the walk
    // checks every link it meets. So each file found is inside the site (see
    // `SourceText::read_found`).
    if let Some(error) = leaves_site(root, folder) {
        return (Vec::new(), vec![(folder.to_path_buf(), error)]);
    }
    let mut files = Vec::new();
    let mut problems = Vec::new();
    let mut outside = Vec::new();
    let walker = walkdir::WalkDir::new(folder)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            if e.depth() > 0 && skip(e.file_name()) {
                return false;
            }
            if e.path_is_symlink()
                && let Some(error) = leaves_site(root, e.path())
            {
                outside.push((e.path().to_path_buf(), error));
                return false;
            }
            true
        });
    for entry in walker {
        match entry {
            Ok(entry) if entry.file_type().is_file() => files.push(entry.into_path()),
            Ok(entry) if entry.file_type().is_dir() => {}
            Ok(entry) => {
                let error = not_regular(&display_path(root, entry.path()));
                problems.push((entry.into_path(), error));
            }
            Err(err) => {
                let path = err.path().unwrap_or(folder).to_path_buf();
                let error = Diagnostic::error(format!("cannot read this folder: {err}"))
                    .in_file(display_path(root, &path));
                problems.push((path, error));
            }
        }
    }
    problems.extend(outside);
    (files, problems)
}

/// The bytes of `file` if it is a regular file (after links).
fn read_regular(file: &Path, shown: &Path) -> Result<Vec<u8>, Diagnostic> {
    let metadata = std::fs::metadata(file).map_err(|e| io_error(shown, "read this file", &e))?;
    if !metadata.is_file() {
        return Err(not_regular(shown));
    }
    std::fs::read(file).map_err(|e| io_error(shown, "read this file", &e))
}

/// The error for a path that is neither a file nor a folder.
pub fn not_regular(shown: &Path) -> Diagnostic {
    Diagnostic::error(
        "this is not a regular file (a pipe, a device or a socket); karvan reads only files",
    )
    .in_file(shown)
    .with_help("remove it, or put a copy of the file here")
}

/// An error if `path` (under `root`) is, or lies below, a symbolic link that leads out of the
/// site: it names the link and where it leads.
pub fn leaves_site(root: &Path, path: &Path) -> Option<Diagnostic> {
    let root = std::fs::canonicalize(root).ok()?;
    let target = std::fs::canonicalize(path).ok()?;
    if target.starts_with(&root) {
        return None;
    }
    // The link: the path itself or the nearest folder above it that is one.
    let link = path
        .ancestors()
        .find(|p| std::fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_symlink()))
        .unwrap_or(path);
    let shown_root = path
        .ancestors()
        .find(|p| std::fs::canonicalize(p).is_ok_and(|c| c == root))
        .unwrap_or(path);
    let leads_to = std::fs::canonicalize(link).unwrap_or(target);
    Some(
        Diagnostic::error(format!(
            "this is a link to {}, outside the site",
            leads_to.display()
        ))
        .in_file(display_path(shown_root, link))
        .with_help("karvan reads only files inside the site's folder: copy the file in instead of linking to it"),
    )
}

/// `path` relative to `root` when it is inside it, for messages.
pub fn display_path(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

/// Parses `text[range]` as TOML into `T`. Errors point into the whole `text`, so a front-matter
/// block reports the line of the file, not of the block.
pub fn parse_toml<T: DeserializeOwned>(
    source: &SourceText,
    range: std::ops::Range<usize>,
) -> Result<T, Diagnostic> {
    let part = &source.text[range.clone()];
    toml::from_str(part).map_err(|err| {
        let span = err.span().map_or(range.start..range.start, |s| {
            s.start + range.start..s.end + range.start
        });
        let raw_message = err.message().trim();
        let line_start = source.text[..span.start].rfind('\n').map_or(0, |i| i + 1);
        let line = source.text[line_start..].lines().next().unwrap_or("");
        let mut help = help_for_toml_message(raw_message, &source.text[span.clone()]);
        // "unknown field `x`, expected one of ..." → "unknown key `x`": the list goes in the help.
        let mut message = match raw_message
            .strip_prefix("unknown field `")
            .and_then(|r| r.split_once('`'))
        {
            Some((field, _)) => format!("unknown key `{field}`"),
            None => raw_message.replace("missing field", "missing key"),
        };
        let mut span = span;
        if let Some((plain, plain_help, value)) = plain_words_for(raw_message, line) {
            message = plain;
            help = Some(plain_help);
            if let Some(value) = value {
                let at = line_start + line.find(&value).unwrap_or(0);
                span = at..at + value.len();
            }
        }
        let diagnostic = Diagnostic::error(message)
            .in_file(&source.path)
            .at_span(&source.text, span);
        match help {
            Some(help) => diagnostic.with_help(help),
            None => diagnostic,
        }
    })
}

/// Plain words for the TOML mistakes editors make, from the parser's message and the line:
/// (message, help, the value to underline if not the parser's span).
fn plain_words_for(message: &str, line: &str) -> Option<(String, String, Option<String>)> {
    if message.starts_with("unclosed table") {
        let name = line.trim().trim_start_matches('[').trim_end_matches(']');
        let open = line.trim_start().starts_with("[[");
        let written = if open {
            format!("[[{name}]]")
        } else {
            format!("[{name}]")
        };
        return Some((
            "this table's name is not closed: `]` is missing".to_string(),
            format!("write it as {written}"),
            None,
        ));
    }
    let (key, value) = line.split_once('=').map(|(k, v)| (k.trim(), v.trim()))?;
    let value = value.split(" #").next().unwrap_or(value).trim();
    let unquoted = value.trim_matches('"');
    // 25.11.2026, 25/11/2026, 25-11-2026: a date written the local way.
    let parts: Vec<&str> = unquoted.split(['.', '/', '-']).collect();
    let local_date = parts.len() == 3
        && parts[0].len() <= 2
        && parts[1].len() <= 2
        && parts[2].len() == 4
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()));
    let about_a_value = [
        "float",
        "integer",
        "number",
        "date",
        "expected nothing",
        "invalid type",
    ]
    .iter()
    .any(|m| message.contains(m));
    if local_date && about_a_value {
        let iso = format!("{}-{:0>2}-{:0>2}", parts[2], parts[1], parts[0]);
        return Some((
            format!("the date {value} is not written the way karvan reads dates"),
            format!("write it year-month-day, without quotes: {key} = {iso}"),
            Some(value.to_string()),
        ));
    }
    if (message.contains("expected a TOML datetime") || message.contains("expected a date"))
        && value.starts_with('"')
    {
        return Some((
            "a date must not be in quotes".to_string(),
            format!("remove the quotes: {key} = {unquoted}"),
            None,
        ));
    }
    if message.starts_with("invalid date") || message.starts_with("invalid time") {
        return Some((
            format!("{unquoted} is not a date"),
            format!("write it year-month-day with a real month and day, e.g. {key} = 2026-11-25"),
            None,
        ));
    }
    if message.starts_with("unclosed array") {
        return Some((
            "this list is not closed: `]` is missing".to_string(),
            format!("end the list on the same line with ], e.g. {key} = [\"a\", \"b\"]"),
            None,
        ));
    }
    if let Some(number) = message
        .strip_prefix("invalid type: string \"")
        .and_then(|r| r.split_once("\", expected i"))
        .map(|(n, _)| n)
    {
        return Some((
            "a number must not be in quotes".to_string(),
            format!("remove the quotes: {key} = {number}"),
            None,
        ));
    }
    if message.contains("string values must be quoted") {
        return Some((
            "text must be in quotes".to_string(),
            format!("put it in double quotes: {key} = \"{unquoted}\""),
            None,
        ));
    }
    None
}

/// A hint for the commonest TOML mistakes: a misspelt key, a missing key, an unquoted text.
fn help_for_toml_message(message: &str, spanned: &str) -> Option<String> {
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let (field, expected) = rest.split_once('`')?;
        let expected: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
        return Some(match closest(field, &expected) {
            Some(best) => format!("did you mean `{best}`? Correct the key or remove it"),
            None => format!(
                "remove it or correct its spelling; the keys allowed here are: {}",
                expected.join(", ")
            ),
        });
    }
    if let Some(rest) = message.strip_prefix("missing field `") {
        let field = rest.split('`').next()?;
        return Some(format!(
            "add `{field} = ...` to this file, in the table it belongs to"
        ));
    }
    if message.contains("basic string") {
        return Some("close the quoted text with \" on the same line; for text over several lines use \"\"\"...\"\"\"".into());
    }
    if message.contains("string values must be quoted") || message.contains("invalid string") {
        return Some(format!("put text in double quotes: \"{}\"", spanned.trim()));
    }
    None
}

/// The candidate nearest to `word` by edit distance, if it is near enough to be a typo.
pub fn closest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (edit_distance(word, c), *c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 4))
        .min()
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            current.push(
                (previous[j] + cost)
                    .min(previous[j + 1] + 1)
                    .min(current[j] + 1),
            );
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_found_byte_by_byte_as_char_by_char() {
        let all: String = (0..0x300u32).filter_map(char::from_u32).collect();
        let texts = [
            "plain text\n\twith a tab".to_string(),
            "«Azərbaycan» — NBSP\u{a0}here".to_string(),
            "Ёлка\u{85}next line".to_string(),
            "bell \u{7}".to_string(),
            "del\u{7f}".to_string(),
            "\u{9f} first".to_string(),
            all,
        ];
        for text in &texts {
            let by_char = text
                .char_indices()
                .find(|&(_, c)| c.is_control() && c != '\n' && c != '\t')
                .map(|(i, _)| i);
            assert_eq!(first_control(text), by_char, "{text:?}");
        }
        // Every character on its own, between letters.
        for c in (0..0x800u32).filter_map(char::from_u32) {
            let text = format!("a{c}b");
            let expected = (c.is_control() && c != '\n' && c != '\t').then_some(1);
            assert_eq!(first_control(&text), expected, "{c:?}");
        }
    }

    #[test]
    fn strips_byte_order_mark_and_crlf() {
        let s =
            SourceText::from_bytes("a.md", b"\xEF\xBB\xBF+++\r\ntitle = 1\r\n".to_vec()).unwrap();
        assert_eq!(s.text, "+++\ntitle = 1\n");
    }

    #[test]
    fn rejects_latin1_with_the_line_of_the_bad_byte() {
        let err = SourceText::from_bytes("a.md", b"ok\nbad \xE7 here\n".to_vec()).unwrap_err();
        assert_eq!(err.location().unwrap(), "a.md:2:5");
        assert_eq!(err.message, "this file is not valid UTF-8 text");
    }

    #[test]
    fn suggests_the_nearest_key() {
        assert_eq!(
            closest("titel", &["title", "slug", "weight"]),
            Some("title")
        );
        assert_eq!(closest("colour", &["title", "slug"]), None);
    }

    #[test]
    fn toml_errors_point_into_the_whole_file() {
        #[derive(serde::Deserialize, Debug)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct T {
            title: String,
        }
        let source = SourceText {
            path: "x.md".into(),
            text: "+++\ntitle = \"a\"\ntitel = \"b\"\n+++\n".into(),
        };
        let err = parse_toml::<T>(&source, 4..28).unwrap_err();
        assert_eq!(err.location().unwrap(), "x.md:3:1");
        assert_eq!(
            err.help.as_deref(),
            Some("did you mean `title`? Correct the key or remove it")
        );
    }
}
