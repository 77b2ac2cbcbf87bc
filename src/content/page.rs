//! One Markdown page: split the `+++` front matter from the body and check it.

use std::borrow::Cow;
use std::ops::Range;
use std::path::Path;

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::config::{Lang, check_url_segment};
use crate::error::Diagnostic;
use crate::source::{SourceText, parse_toml};

/// The front matter as written. Unknown keys are errors.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    pub title: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default, deserialize_with = "dated")]
    pub date: Option<toml::value::Datetime>,
    #[serde(default, deserialize_with = "dated")]
    pub updated: Option<toml::value::Datetime>,
    #[serde(default)]
    pub weight: Option<i64>,
    #[serde(default)]
    pub slug: Option<Spanned<String>>,
    #[serde(default)]
    pub key: Option<Spanned<String>>,
    #[serde(default)]
    pub services: Vec<Spanned<String>>,
    #[serde(default)]
    pub draft: bool,
    #[serde(default)]
    pub template: Option<Spanned<String>>,
    #[serde(default)]
    pub aliases: Vec<Spanned<String>>,
    /// The page's own image, shown under its heading and offered to link previews (`og:image`):
    /// `image = { src = "/images/baku.png", alt = "…" }`.
    #[serde(default)]
    pub image: Option<Spanned<PageImage>>,
    #[serde(default)]
    pub extra: toml::Table,
}

/// A page's own image, as front matter gives it.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct PageImage {
    /// The path under `static/`, from the site's root: `/images/baku.png`.
    pub src: String,
    /// What the image shows, for those who cannot see it.
    #[serde(default)]
    pub alt: String,
    /// A line shown under it (e.g. the source and licence).
    #[serde(default)]
    pub caption: Option<String>,
}

/// A date, or a date and time: a time alone (`10:00:00`) is an error at its place.
fn dated<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<toml::value::Datetime>, D::Error> {
    let value = toml::value::Datetime::deserialize(deserializer)?;
    if value.date.is_none() {
        return Err(serde::de::Error::custom(
            "a time without a date; write a date like 2026-03-01",
        ));
    }
    Ok(Some(value))
}

/// The keys of the front matter itself (see [`FrontMatter`]).
const FRONT_MATTER_KEYS: &[&str] = &[
    "title",
    "description",
    "date",
    "updated",
    "weight",
    "slug",
    "key",
    "services",
    "draft",
    "template",
    "aliases",
    "image",
];

/// Whether a file is a section's own page (`_index.md`) or a plain page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PageKind {
    Section,
    Page,
}

/// A page as read from `content/<lang>/<rel>`.
#[derive(Debug, Clone)]
pub struct Page {
    /// The language of the tree it was found in.
    pub lang: Lang,
    /// Its path under `content/<lang>/`, with `/` separators: `stay/register.md`.
    pub rel: String,
    pub kind: PageKind,
    /// The section folder it belongs to (for a section: its own folder; `` for the home page).
    pub dir: String,
    /// Pages with the same key in different languages are translations of each other.
    pub key: String,
    /// The URL segment: the front matter's `slug`, else the file stem (for a section its folder).
    pub slug: String,
    pub meta: FrontMatter,
    pub source: SourceText,
    /// Where the front matter's TOML starts in `source.text`.
    pub front_matter_start: usize,
    /// Where the Markdown body starts in `source.text`.
    pub body_start: usize,
    /// Different for every page read, in this process: an edited file is a new page.
    pub serial: u64,
    /// The local images it shows (paths under `static/`): the front matter's, then the body's.
    pub images: Vec<String>,
    /// The words of the body, counted when the body was set aside (see [`Page::shelve_body`]).
    words: Option<usize>,
    /// Set when the body was set aside: the length and hash of the body read, which a second
    /// read must find again.
    shelved: Option<(usize, u64)>,
}

/// The serial number of the next page read.
static SERIAL: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

impl Page {
    /// Parses the page at `rel` (under `content/<lang>/`) from its text.
    pub fn parse(lang: Lang, rel: &str, source: SourceText) -> Result<Page, Diagnostic> {
        let (front, body_start) = split_front_matter(&source)?;
        let meta: FrontMatter = parse_toml(&source, front.clone())?;
        let stem = rel.strip_suffix(".md").unwrap_or(rel);
        let (parent, file) = stem.rsplit_once('/').unwrap_or(("", stem));
        let (kind, dir, default_slug) = if file == "_index" {
            let own = parent.rsplit('/').next().unwrap_or("");
            (PageKind::Section, parent.to_string(), own.to_string())
        } else {
            (PageKind::Page, parent.to_string(), file.to_string())
        };
        let mut page = Page {
            lang,
            rel: rel.to_string(),
            kind,
            dir,
            key: meta
                .key
                .as_ref()
                .map_or_else(|| stem.to_string(), |k| k.get_ref().clone()),
            slug: meta
                .slug
                .as_ref()
                .map_or(default_slug, |s| s.get_ref().clone()),
            meta,
            front_matter_start: front.start,
            body_start,
            serial: SERIAL.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            images: Vec::new(),
            words: None,
            shelved: None,
            source,
        };
        let own = page
            .meta
            .image
            .as_ref()
            .and_then(|i| crate::images::local_path(&i.get_ref().src).map(str::to_string));
        page.images = own
            .into_iter()
            .chain(crate::images::references(page.body()))
            .collect();
        page.check()?;
        Ok(page)
    }

    fn check(&self) -> Result<(), Diagnostic> {
        // TOML puts every key after `[extra]` into extra, and extra takes anything: a `slug` or
        // `weight` written below it would be silently ignored.
        if let Some(key) = FRONT_MATTER_KEYS
            .iter()
            .find(|k| self.meta.extra.contains_key(**k))
        {
            let front = &self.source.text[self.front_matter_start..self.body_start];
            let extra_at = front.find("[extra]").unwrap_or(0);
            let offset = front[extra_at..]
                .find(&format!("\n{key}"))
                .map_or(extra_at, |i| extra_at + i + 1);
            return Err(self
                .error_at(format!("`{key}` is inside [extra], where karvan does not read it"), offset..offset + key.len())
                .with_help("move it above the [extra] line: in TOML, every key after a [table] header belongs to that table"));
        }
        let is_home = self.kind == PageKind::Section && self.dir.is_empty();
        if is_home {
            if let Some(slug) = &self.meta.slug {
                return Err(self
                    .error_at("the home page has no slug", slug.span())
                    .with_help("remove `slug`: the home page is always at /<language>/"));
            }
        } else if let Err(why) = check_url_segment(&self.slug) {
            let error = Diagnostic::error(format!("the slug {:?} {why}", self.slug));
            return Err(match &self.meta.slug {
                Some(slug) => self.locate(error, slug.span()),
                None => error.in_file(&self.source.path).at_position(1, 1),
            }
            .with_help("set `slug = \"...\"` with letters, digits and hyphens"));
        }
        if let Some(key) = &self.meta.key
            && (key.get_ref().is_empty() || key.get_ref().starts_with('/'))
        {
            return Err(self
                .error_at(
                    "a key must be a non-empty path without a leading /",
                    key.span(),
                )
                .with_help("write it like the file's path without .md: \"stay/register\""));
        }
        Ok(())
    }

    /// An error pointing at `span` of the front matter (as deserialised by toml).
    pub fn error_at(&self, message: impl Into<String>, span: Range<usize>) -> Diagnostic {
        self.locate(Diagnostic::error(message), span)
    }

    /// Points `diagnostic` at `span` of the front matter.
    pub fn locate(&self, diagnostic: Diagnostic, span: Range<usize>) -> Diagnostic {
        let start = self.front_matter_start;
        diagnostic
            .in_file(&self.source.path)
            .at_span(&self.source.text, start + span.start..start + span.end)
    }

    /// Points at the `slug` line when there is one, else at the top of the file: where an editor
    /// changes a page's URL.
    pub fn url_diagnostic(&self, message: impl Into<String>) -> Diagnostic {
        match &self.meta.slug {
            Some(slug) => self.error_at(message, slug.span()),
            None => Diagnostic::error(message)
                .in_file(&self.source.path)
                .at_span(&self.source.text, 0..3),
        }
    }

    /// Sets the Markdown body aside, keeping the front matter (and so every position in it), the
    /// words and the images: a build that will not be updated reads the body again when it
    /// renders it ([`Page::text`]), so that the whole site's Markdown is never held at once.
    pub fn shelve_body(&mut self) {
        let body = self.body();
        let (words, shelved) = (count_words(body), (body.len(), body_hash(body)));
        self.words = Some(words);
        self.shelved = Some(shelved);
        self.source.text.truncate(self.body_start);
        self.source.text.shrink_to_fit();
    }

    /// The page's whole text: as held, or read again from `root` if its body was set aside. A
    /// file that changed since it was first read is an error: the build would otherwise mix
    /// two versions of it.
    pub fn text(&self, root: &Path) -> Result<Cow<'_, SourceText>, Diagnostic> {
        let Some((len, hash)) = self.shelved else {
            return Ok(Cow::Borrowed(&self.source));
        };
        let again = SourceText::read_found(root, &root.join(&self.source.path))?;
        let front = &self.source.text[..self.body_start];
        let body = again.text.get(self.body_start..).unwrap_or_default();
        if !again.text.starts_with(front) || body.len() != len || body_hash(body) != hash {
            return Err(
                Diagnostic::error("this file changed while karvan was building the site")
                    .in_file(&self.source.path)
                    .with_help("build again once it is saved: the site was not written"),
            );
        }
        Ok(Cow::Owned(again))
    }

    /// How many words the body has (what a translator has to translate).
    pub fn words(&self) -> usize {
        self.words.unwrap_or_else(|| count_words(self.body()))
    }

    /// The Markdown body (empty once set aside: see [`Page::text`]).
    pub fn body(&self) -> &str {
        debug_assert!(
            self.shelved.is_none(),
            "the body of {} was set aside",
            self.rel
        );
        &self.source.text[self.body_start..]
    }

    pub fn is_home(&self) -> bool {
        self.kind == PageKind::Section && self.dir.is_empty()
    }
}

/// The hash a set-aside body is checked against when read again, with its length (not kept
/// across runs): CRC-32, which notices any edit short of a deliberate forgery.
fn body_hash(body: &str) -> u64 {
    let mut crc = flate2::Crc::new();
    crc.update(body.as_bytes());
    u64::from(crc.sum())
}

/// `text.split_whitespace().count()`, byte by byte: every page's words are counted, and
/// decoding each character of Azerbaijani and Russian text to ask whether it is a space took
/// more than the count needs. A word starts at a byte that begins a character other than
/// Unicode's `White_Space` after one that is (or at the start).
fn count_words(text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut words = 0;
    let mut in_word = false;
    for (i, &b) in bytes.iter().enumerate() {
        if (0x80..0xc0).contains(&b) {
            continue; // inside a character
        }
        let next = |n: usize| bytes.get(i + n).copied().unwrap_or(0);
        let space = match b {
            b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ' => true,
            // U+0085, U+00A0
            0xc2 => matches!(next(1), 0x85 | 0xa0),
            // U+1680
            0xe1 => next(1) == 0x9a && next(2) == 0x80,
            // U+2000–U+200A, U+2028, U+2029, U+202F; U+205F
            0xe2 => match (next(1), next(2)) {
                (0x80, c) => matches!(c, 0x80..=0x8a | 0xa8 | 0xa9 | 0xaf),
                (0x81, c) => c == 0x9f,
                _ => false,
            },
            // U+3000
            0xe3 => next(1) == 0x80 && next(2) == 0x80,
            _ => false,
        };
        if !space && !in_word {
            words += 1;
        }
        in_word = !space;
    }
    words
}

/// Finds the TOML between the opening and closing `+++` lines. Returns its byte range and where
/// the body starts.
pub fn split_front_matter(source: &SourceText) -> Result<(Range<usize>, usize), Diagnostic> {
    let text = &source.text;
    let first_line = text.lines().next().unwrap_or("");
    if first_line.trim_end() != "+++" {
        let help = if first_line.trim_end() == "---" {
            "karvan reads TOML front matter between +++ lines; replace the --- lines with +++ and write the keys as TOML (title = \"...\")"
        } else {
            "start the file with a +++ line, then title = \"...\" and other keys, then a closing +++ line"
        };
        return Err(Diagnostic::error("the page has no front matter")
            .in_file(&source.path)
            .at_span(text, 0..first_line.len())
            .with_help(help));
    }
    let start = first_line.len() + 1;
    let mut offset = start.min(text.len());
    for line in text[offset..].split_inclusive('\n') {
        if line.trim_end() == "+++" {
            return Ok((start..offset, offset + line.len()));
        }
        offset += line.len();
    }
    Err(Diagnostic::error("the front matter is not closed")
        .in_file(&source.path)
        .at_span(text, 0..3)
        .with_help("add a line with +++ after the last front-matter key"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(rel: &str, text: &str) -> Result<Page, Diagnostic> {
        let source = SourceText::from_bytes(format!("content/en/{rel}"), text.as_bytes().to_vec())?;
        Page::parse(Lang::from_index(0), rel, source)
    }

    #[test]
    fn defaults_key_and_slug_from_the_path() {
        let p = page("stay/register.md", "+++\ntitle = \"Register\"\n+++\nBody\n").unwrap();
        assert_eq!(
            (p.key.as_str(), p.slug.as_str(), p.dir.as_str()),
            ("stay/register", "register", "stay")
        );
        assert_eq!(p.kind, PageKind::Page);
        assert_eq!(p.body(), "Body\n");
    }

    #[test]
    fn words_are_counted_as_split_whitespace_counts_them() {
        for c in (0..0x3100u32).filter_map(char::from_u32) {
            for text in [format!("a{c}b"), format!("{c}"), format!("{c}{c} x{c}")] {
                assert_eq!(
                    count_words(&text),
                    text.split_whitespace().count(),
                    "{c:?} in {text:?}"
                );
            }
        }
        let text = "Viza üçün müraciət\u{a0}— «онлайн»\u{2003}заявка\n\n  ok ";
        assert_eq!(count_words(text), text.split_whitespace().count());
    }

    #[test]
    fn a_body_set_aside_is_read_again_and_a_changed_file_is_an_error() {
        let root = tempfile::tempdir().unwrap();
        let file = root.path().join("content/en/visa.md");
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        let text = "+++\ntitle = \"Visa\"\n+++\nApply **online**, then wait.\n";
        std::fs::write(&file, text).unwrap();
        let source = SourceText::read_found(root.path(), &file).unwrap();
        let mut p = Page::parse(Lang::from_index(0), "visa.md", source).unwrap();
        p.shelve_body();
        assert_eq!(p.source.text, "+++\ntitle = \"Visa\"\n+++\n");
        assert_eq!(p.words(), 4);
        assert_eq!(p.text(root.path()).unwrap().text, text);
        // The same length, another body.
        std::fs::write(&file, text.replace("wait", "pray")).unwrap();
        let error = p.text(root.path()).unwrap_err();
        assert_eq!(
            (error.message.as_str(), error.path.as_deref()),
            (
                "this file changed while karvan was building the site",
                Some(Path::new("content/en/visa.md"))
            )
        );
        // Another title, the same body.
        std::fs::write(&file, text.replace("Visa", "Visas")).unwrap();
        assert!(p.text(root.path()).is_err());
        std::fs::write(&file, text).unwrap();
        assert!(p.text(root.path()).is_ok());
    }

    #[test]
    fn a_section_takes_its_folder_as_slug() {
        let p = page("stay/_index.md", "+++\ntitle = \"Stay\"\n+++\n").unwrap();
        assert_eq!(
            (p.key.as_str(), p.slug.as_str(), p.dir.as_str()),
            ("stay/_index", "stay", "stay")
        );
        assert_eq!(p.kind, PageKind::Section);
        let home = page("_index.md", "+++\ntitle = \"Home\"\n+++\n").unwrap();
        assert!(home.is_home());
    }

    #[test]
    fn reads_crlf_and_bom_files() {
        let p = page(
            "a.md",
            "\u{feff}+++\r\ntitle = \"A\"\r\nslug = \"b\"\r\n+++\r\nText\r\n",
        )
        .unwrap();
        assert_eq!(p.slug, "b");
        assert_eq!(p.body(), "Text\n");
    }

    #[test]
    fn names_an_unknown_key_with_its_line() {
        let err = page("a.md", "+++\ntitle = \"A\"\nsulg = \"b\"\n+++\n").unwrap_err();
        assert_eq!(err.location().unwrap(), "content/en/a.md:3:1");
        assert_eq!(err.message, "unknown key `sulg`");
        assert_eq!(
            err.help.as_deref(),
            Some("did you mean `slug`? Correct the key or remove it")
        );
    }

    #[test]
    fn explains_yaml_front_matter() {
        let err = page("a.md", "---\ntitle: A\n---\n").unwrap_err();
        assert_eq!(err.message, "the page has no front matter");
        assert!(err.help.unwrap().contains("replace the --- lines with +++"));
    }

    #[test]
    fn a_key_below_extra_is_an_error_not_silence() {
        let err = page(
            "a.md",
            "+++\ntitle = \"A\"\n[extra]\nicon = \"x\"\nslug = \"b\"\n+++\n",
        )
        .unwrap_err();
        assert_eq!(
            err.message,
            "`slug` is inside [extra], where karvan does not read it"
        );
        assert_eq!(err.location().unwrap(), "content/en/a.md:5:1");
    }

    #[test]
    fn rejects_a_slug_with_a_slash() {
        let err = page("a.md", "+++\ntitle = \"A\"\nslug = \"a/b\"\n+++\n").unwrap_err();
        assert_eq!(err.location().unwrap(), "content/en/a.md:3:8");
    }
}
