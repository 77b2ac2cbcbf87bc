//! The manifest kept in the output's marker file: what the last build wrote, so that the next one
//! writes only what changed.
//!
//! The marker is plain text, one line per file, in path order:
//!
//! ```text
//! This folder is written by karvan. Every build replaces it whole: do not keep files here.
//! The lines below list its files (hash, size, modified, path) so the next build writes only what changed.
//! manifest v1
//! 9f2c3e4d5a6b7c8d<TAB>5120<TAB>1767225600.123456789<TAB>en/index.html
//! end 1
//! ```
//!
//! - hash: FNV-1a, 64 bits, of the file's bytes, in 16 hexadecimal digits;
//! - size: in bytes;
//! - modified: the file's modification time as karvan left it, seconds and nanoseconds since
//!   1970 (`-` before it), so that a file changed by hand since is rewritten rather than trusted;
//! - path: relative, `/`-separated, with `\`, tab, newline and carriage return escaped as `\\`,
//!   `\t`, `\n` and `\r`, so that no path can break a line.
//!
//! `end N` closes the list and counts it: a marker cut short, of another version or edited into
//! nonsense is read as "nothing known", and the next build writes everything.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::time::{Duration, SystemTime};

/// The explanatory lines a marker opens with.
pub const HEADER: &str = "This folder is written by karvan. Every build replaces it whole: do not keep files here.\n\
The lines below list its files (hash, size, modified, path) so the next build writes only what changed.\n";

const VERSION_LINE: &str = "manifest v1";

/// What karvan knows of one file it wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    /// [`hash`] of the bytes.
    pub hash: u64,
    pub size: u64,
    /// The modification time the file had when karvan left it.
    pub modified: Stamp,
}

/// A modification time, exactly as the file system gave it: seconds and nanoseconds from
/// 1970-01-01 (negative seconds before it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Stamp {
    pub seconds: i64,
    pub nanos: u32,
}

impl From<SystemTime> for Stamp {
    fn from(time: SystemTime) -> Stamp {
        match time.duration_since(SystemTime::UNIX_EPOCH) {
            Ok(after) => Stamp {
                seconds: i64::try_from(after.as_secs()).unwrap_or(i64::MAX),
                nanos: after.subsec_nanos(),
            },
            Err(before) => {
                // `before` is how long before 1970: -1.25 s is seconds -2, nanos 750_000_000.
                let before = before.duration();
                let seconds = -i64::try_from(before.as_secs()).unwrap_or(i64::MAX);
                match before.subsec_nanos() {
                    0 => Stamp { seconds, nanos: 0 },
                    n => Stamp {
                        seconds: seconds - 1,
                        nanos: 1_000_000_000 - n,
                    },
                }
            }
        }
    }
}

impl Stamp {
    /// The time again, to give a copied file the time of the one it copies.
    pub fn to_system_time(self) -> SystemTime {
        let nanos = Duration::from_nanos(u64::from(self.nanos));
        if self.seconds >= 0 {
            SystemTime::UNIX_EPOCH + Duration::from_secs(self.seconds.unsigned_abs()) + nanos
        } else {
            SystemTime::UNIX_EPOCH - Duration::from_secs(self.seconds.unsigned_abs()) + nanos
        }
    }
}

/// The files of one build: path under the output → what was written there.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Manifest {
    pub files: BTreeMap<String, Entry>,
}

/// The stable digest of the record (FNV-1a, 64 bits): with the size beside it a change detector
/// whose chance of missing an edit is about one in 2^64.
pub fn hash(bytes: &[u8]) -> u64 {
    crate::record::digest_bytes(bytes).0
}

impl Manifest {
    /// The marker's whole text: the header, then the manifest.
    pub fn to_marker(&self) -> String {
        let mut text = String::with_capacity(HEADER.len() + 64 * (self.files.len() + 2));
        text.push_str(HEADER);
        text.push_str(VERSION_LINE);
        text.push('\n');
        for (path, entry) in &self.files {
            let Stamp { seconds, nanos } = entry.modified;
            let _ = write!(
                text,
                "{:016x}\t{}\t{seconds}.{nanos:09}\t",
                entry.hash, entry.size
            );
            escape_into(path, &mut text);
            text.push('\n');
        }
        let _ = writeln!(text, "end {}", self.files.len());
        text
    }

    /// Reads a marker's text; `None` when it holds no manifest this version understands (an
    /// older karvan's marker, one cut short or edited by hand): nothing is known then.
    pub fn parse(marker: &str) -> Option<Manifest> {
        let mut lines = marker.lines();
        let version = lines.by_ref().find(|line| line.starts_with("manifest "))?;
        if version != VERSION_LINE {
            return None;
        }
        let mut files = BTreeMap::new();
        for line in lines {
            if let Some(count) = line.strip_prefix("end ") {
                return (count.parse::<usize>().ok()? == files.len()).then_some(Manifest { files });
            }
            let (path, entry) = parse_line(line)?;
            if files.insert(path, entry).is_some() {
                return None;
            }
        }
        None
    }
}

fn parse_line(line: &str) -> Option<(String, Entry)> {
    let mut fields = line.splitn(4, '\t');
    let hash = fields.next()?;
    let size = fields.next()?;
    let modified = fields.next()?;
    let path = unescape(fields.next()?)?;
    if hash.len() != 16 {
        return None;
    }
    let (seconds, nanos) = modified.split_once('.')?;
    if nanos.len() != 9 {
        return None;
    }
    let nanos: u32 = nanos.parse().ok()?;
    if nanos >= 1_000_000_000 {
        return None;
    }
    let entry = Entry {
        hash: u64::from_str_radix(hash, 16).ok()?,
        size: size.parse().ok()?,
        modified: Stamp {
            seconds: seconds.parse().ok()?,
            nanos,
        },
    };
    Some((path, entry))
}

fn escape_into(path: &str, text: &mut String) {
    for c in path.chars() {
        match c {
            '\\' => text.push_str("\\\\"),
            '\t' => text.push_str("\\t"),
            '\n' => text.push_str("\\n"),
            '\r' => text.push_str("\\r"),
            c => text.push(c),
        }
    }
}

fn unescape(field: &str) -> Option<String> {
    let mut path = String::with_capacity(field.len());
    let mut chars = field.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            path.push(c);
            continue;
        }
        path.push(match chars.next()? {
            '\\' => '\\',
            't' => '\t',
            'n' => '\n',
            'r' => '\r',
            _ => return None,
        });
    }
    (!path.is_empty()).then_some(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(hash: u64, size: u64, seconds: i64, nanos: u32) -> Entry {
        Entry {
            hash,
            size,
            modified: Stamp { seconds, nanos },
        }
    }

    #[test]
    fn a_manifest_reads_back_as_written_whatever_its_paths_hold() {
        let mut manifest = Manifest::default();
        for (i, path) in [
            "index.html",
            "en/a b/index.html",
            "tab\there/x",
            "new\nline/x",
            "back\\slash\\n/x",
            "cr\r/x",
            "şəhər/индекс.html",
        ]
        .into_iter()
        .enumerate()
        {
            let i = i as u64;
            manifest.files.insert(
                path.to_string(),
                entry(
                    u64::MAX - i,
                    i * 1000,
                    1_767_225_600 + i as i64,
                    123 + i as u32,
                ),
            );
        }
        manifest
            .files
            .insert("old".into(), entry(0, 0, -2, 750_000_000));
        let marker = manifest.to_marker();
        assert!(marker.starts_with(HEADER));
        assert_eq!(marker.lines().count(), 3 + manifest.files.len() + 1);
        assert_eq!(Manifest::parse(&marker), Some(manifest));
    }

    #[test]
    fn the_format_is_the_documented_one() {
        let mut manifest = Manifest::default();
        manifest.files.insert(
            "en/index.html".into(),
            entry(0x9f2c_3e4d_5a6b_7c8d, 5120, 1_767_225_600, 123_456_789),
        );
        assert_eq!(
            manifest.to_marker(),
            format!(
                "{HEADER}manifest v1\n9f2c3e4d5a6b7c8d\t5120\t1767225600.123456789\ten/index.html\nend 1\n"
            )
        );
    }

    #[test]
    fn a_marker_without_a_whole_manifest_means_nothing_is_known() {
        let mut manifest = Manifest::default();
        manifest.files.insert("a".into(), entry(1, 2, 3, 4));
        manifest.files.insert("b".into(), entry(1, 2, 3, 4));
        let marker = manifest.to_marker();
        let older_karvan = "This folder is written by karvan. Every build replaces it whole: do not keep files here.\n";
        let cut_short = &marker[..marker.find("end").unwrap()];
        let miscounted = marker.replace("end 2", "end 3");
        let other_version = marker.replace("manifest v1", "manifest v2");
        let bad_escape = marker.replace("\ta\n", "\ta\\q\n");
        let bad_nanos = marker.replacen("3.000000004", "3.4", 1);
        for text in [
            "",
            older_karvan,
            cut_short,
            &miscounted,
            &other_version,
            &bad_escape,
            &bad_nanos,
        ] {
            assert_eq!(Manifest::parse(text), None, "{text:?}");
        }
        assert!(Manifest::parse(&marker).is_some());
    }

    #[test]
    fn stamps_convert_exactly_both_sides_of_1970() {
        for time in [
            SystemTime::UNIX_EPOCH,
            SystemTime::UNIX_EPOCH + Duration::new(1_767_225_600, 123_456_789),
            SystemTime::UNIX_EPOCH - Duration::new(1, 250_000_000),
            SystemTime::UNIX_EPOCH - Duration::new(5, 0),
        ] {
            assert_eq!(Stamp::from(time).to_system_time(), time);
        }
        assert_eq!(
            Stamp::from(SystemTime::UNIX_EPOCH - Duration::new(1, 250_000_000)),
            Stamp {
                seconds: -2,
                nanos: 750_000_000
            }
        );
    }

    #[test]
    fn the_hash_is_fnv_1a() {
        assert_eq!(hash(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(hash(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(hash(b"foobar"), 0x8594_4171_f739_67e8);
    }
}
