//! The dependency record: which facts of the sources each output file was made from.
//!
//! A [`Fact`] is one thing a render can read: a page's own text, the summary of a page that a
//! listing shows, the order of a section's pages, a UI string, a template, the catalog. While an
//! output is rendered, everything it reads is noted with [`note`] on the rendering thread;
//! [`capture`] collects those notes for one output. A build keeps, for every output file, the
//! facts it read; the next build of the same session computes each fact's [`Digest`] again and
//! renders only the outputs one of whose facts changed (see [`crate::build`]).
//!
//! Noting more than an output reads costs a render; noting less leaves a stale file: when in
//! doubt, a render notes the coarser fact.

use std::cell::RefCell;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use crate::config::Lang;

/// A page's key (`stay/register`), shared between the entries of its languages.
pub type Key = Arc<str>;

/// One thing an output can be made from.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Fact {
    /// An entry's own page: its source file, URL, output path, and whether it is a fallback.
    Page(Lang, Key),
    /// An entry's rendered Markdown (which also depends on the URLs its links resolve to).
    Body(Lang, Key),
    /// The headings of an entry's rendered Markdown, what the search index reads of it: an
    /// edit of the text between them renders the page again, not the index.
    Headings(Lang, Key),
    /// Which pages are under a letter of a language's A–Z index (named by an initial of their
    /// titles; `None`: titles that begin with no letter or digit): what a letter's page reads of
    /// the pages it does not list, so that a title that moves in or out renders it again.
    Letter(Lang, Option<char>),
    /// What a listing, a breadcrumb or a link shows of an entry: title, description, dates,
    /// weight, URL, language, whether it is a fallback. A missing entry is a fact too.
    Summary(Lang, Key),
    /// Which pages and subsections a section lists, in order.
    Children(Lang, Key),
    /// Where a page is, in every language, and whether it is translated there (the switcher,
    /// `hreflang`).
    Translations(Key),
    /// Every language's home page (the language links of every page).
    Homes,
    /// A language's resolved menu and footer.
    Menus(Lang),
    /// A UI string in a language (with the default language's, which it falls back to).
    String(Lang, Arc<str>),
    /// A template's source.
    Template(Arc<str>),
    /// The services and agencies.
    Catalog,
    /// The static files and their fingerprinted names.
    Assets,
}

/// A stable 64-bit digest (FNV-1a): the same on every platform and Rust release, so records
/// could be kept between runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Digest(pub u64);

/// A hasher with stable output, for [`Digest`]s.
pub struct StableHasher(u64);

impl Default for StableHasher {
    fn default() -> Self {
        StableHasher(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for StableHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// The digest of anything hashable.
pub fn digest(value: &impl Hash) -> Digest {
    let mut hasher = StableHasher::default();
    value.hash(&mut hasher);
    Digest(hasher.finish())
}

/// The digest of bytes, without a length prefix: the same as a file's content hash.
pub fn digest_bytes(bytes: &[u8]) -> Digest {
    let mut hasher = StableHasher::default();
    hasher.write(bytes);
    Digest(hasher.finish())
}

thread_local! {
    /// The facts noted by the render running on this thread, innermost capture last.
    static NOTES: RefCell<Vec<Vec<Fact>>> = const { RefCell::new(Vec::new()) };
}

/// Notes that the output being rendered on this thread reads `fact`. Outside [`capture`] it does
/// nothing.
pub fn note(fact: Fact) {
    NOTES.with(|notes| {
        if let Some(current) = notes.borrow_mut().last_mut() {
            current.push(fact);
        }
    });
}

/// Runs `read` without noting what it reads: for a render that notes a finer fact itself.
pub fn unnoted<T>(read: impl FnOnce() -> T) -> T {
    NOTES.with(|notes| notes.borrow_mut().push(Vec::new()));
    let value = read();
    NOTES.with(|notes| notes.borrow_mut().pop());
    value
}

/// Whether a [`capture`] is running on this thread: a caller whose fact is costly to make can
/// skip making it.
pub fn noting() -> bool {
    NOTES.with(|notes| !notes.borrow().is_empty())
}

/// Runs `render` and returns what it returned with the facts it noted, sorted and without
/// duplicates. Captures nest: an inner capture's facts are noted in the outer one too.
pub fn capture<T>(render: impl FnOnce() -> T) -> (T, Vec<Fact>) {
    NOTES.with(|notes| notes.borrow_mut().push(Vec::new()));
    let value = render();
    let mut facts = NOTES.with(|notes| {
        let mut notes = notes.borrow_mut();
        let facts = notes.pop().expect("pushed above");
        if let Some(outer) = notes.last_mut() {
            outer.extend(facts.iter().cloned());
        }
        facts
    });
    facts.sort_unstable();
    facts.dedup();
    (value, facts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_outside_a_capture_are_dropped_and_nested_captures_reach_the_outer_one() {
        note(Fact::Homes);
        let ((_, inner), outer) = capture(|| {
            note(Fact::Catalog);
            capture(|| note(Fact::Assets))
        });
        assert_eq!(inner, vec![Fact::Assets]);
        assert_eq!(outer, vec![Fact::Catalog, Fact::Assets]);
    }

    #[test]
    fn digests_are_stable() {
        assert_eq!(digest_bytes(b"").0, 0xcbf2_9ce4_8422_2325);
        assert_eq!(digest_bytes(b"a").0, 0xaf63_dc4c_8601_ec8c);
    }
}
