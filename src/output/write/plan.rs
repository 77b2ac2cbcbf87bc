//! What a write has to do: compare the new files with the previous build's manifest and with
//! what is on disk.
//!
//! 1. [`read_previous`]: the manifest in the output's marker, if any (refusing a folder that is
//!    not empty and not ours);
//! 2. [`plan`]: each new file hashed, while [`scan`] looks at every file in the output folder
//!    (its size and modification time; folders counted, anything else such as links noticed;
//!    one folder per task, in parallel); a file is kept if the manifest lists it with its hash
//!    and size and the file on disk still has the size and modification time karvan left;
//! 3. [`unchanged`]: whether there is nothing to write at all.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs;
use std::io;
use std::path::Path;

use rayon::prelude::*;

use super::MARKER;
use super::manifest::{self, Entry, Manifest, Stamp};
use crate::error::{Diagnostic, io_error};
use crate::output::compress::{Encoding, Precompress};

/// What a file of the new output holds.
#[derive(Debug, Clone, Copy)]
pub enum Content<'a> {
    Bytes(&'a [u8]),
    /// The compressed sibling of a file with these bytes: compressed only if it is written.
    Compressed(&'a [u8], Encoding),
}

/// One file of the new output and what to do with it.
#[derive(Debug)]
pub struct Planned<'a> {
    pub path: Cow<'a, str>,
    pub content: Content<'a>,
    /// The bytes' hash; for a compressed sibling, its source's hash mixed with how it is
    /// compressed (a sibling is unchanged when its source and the levels are).
    pub hash: u64,
    /// `Some`: the current output has this file, unchanged, with this size and modification time.
    pub keep: Option<(u64, Stamp)>,
}

/// The previous build's manifest and its marker's text, if the output holds them. Refuses a
/// folder that is not empty and not ours.
pub fn read_previous(
    output: &Path,
    shown: &Path,
) -> Result<Option<(Manifest, String)>, Diagnostic> {
    let metadata = match fs::metadata(output) {
        Ok(metadata) => metadata,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io_error(shown, "read the output folder", &e)),
    };
    if !metadata.is_dir() {
        return Err(Diagnostic::error(format!(
            "refusing to write the site into {}: it is a file",
            shown.display()
        ))
        .with_help("name a folder"));
    }
    match fs::read(output.join(MARKER)) {
        Ok(bytes) => Ok(String::from_utf8(bytes)
            .ok()
            .and_then(|text| Manifest::parse(&text).map(|manifest| (manifest, text)))),
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            let empty = fs::read_dir(output)
                .map_err(|e| io_error(shown, "read the output folder", &e))?
                .next()
                .is_none();
            if empty {
                Ok(None)
            } else {
                Err(Diagnostic::error(format!(
                    "refusing to write the site into {}: it is not empty and was not written by karvan",
                    shown.display()
                ))
                .with_help("karvan replaces its output folder whole; name a new or empty folder, or one an earlier build wrote"))
            }
        }
        Err(e) => Err(io_error(&shown.join(MARKER), "read the file", &e)),
    }
}

/// What is in the output folder.
#[derive(Debug, Default)]
pub struct OnDisk {
    /// Plain files, the marker aside: path → size and modification time.
    files: HashMap<String, (u64, Stamp)>,
    folders: usize,
    /// Anything else: links, sockets, folders that could not be read.
    others: usize,
}

/// Files found in one folder and below it.
#[derive(Debug, Default)]
struct Found {
    files: Vec<(String, (u64, Stamp))>,
    folders: usize,
    others: usize,
}

impl Found {
    fn merge(mut self, other: Found) -> Found {
        self.files.extend(other.files);
        self.folders += other.folders;
        self.others += other.others;
        self
    }
}

/// Looks at everything in `output`.
pub fn scan(output: &Path) -> OnDisk {
    let found = scan_folder(output, "");
    OnDisk {
        files: found.files.into_iter().collect(),
        folders: found.folders,
        others: found.others,
    }
}

fn scan_folder(folder: &Path, rel: &str) -> Found {
    let mut found = Found::default();
    let Ok(entries) = fs::read_dir(folder) else {
        found.others += 1;
        return found;
    };
    let mut subfolders = Vec::new();
    for entry in entries {
        let Ok(entry) = entry else {
            found.others += 1;
            continue;
        };
        let name = entry.file_name();
        let (Some(name), Ok(kind)) = (name.to_str(), entry.file_type()) else {
            found.others += 1;
            continue;
        };
        let path = if rel.is_empty() {
            name.to_string()
        } else {
            format!("{rel}/{name}")
        };
        if kind.is_dir() {
            subfolders.push((entry.path(), path));
        } else if kind.is_file() && path != MARKER {
            // Relative to the open folder, not followed if a link: cheaper than a stat by path.
            match entry.metadata().and_then(|m| Ok((m.len(), m.modified()?))) {
                Ok((size, modified)) => found.files.push((path, (size, modified.into()))),
                Err(_) => found.others += 1,
            }
        } else if !kind.is_file() {
            found.others += 1;
        }
    }
    found.folders += subfolders.len();
    subfolders
        .into_par_iter()
        .map(|(folder, rel)| scan_folder(&folder, &rel))
        .reduce(Found::default, Found::merge)
        .merge(found)
}

/// Each new file with its hash, and whether the output has it unchanged, followed by its
/// compressed siblings if `precompress` wants them. Hashing the new files and scanning the
/// output run side by side.
pub fn plan<'a>(
    output: &Path,
    files: &BTreeMap<&'a str, &'a [u8]>,
    previous: Option<&Manifest>,
    precompress: &Precompress,
) -> (Vec<Planned<'a>>, OnDisk) {
    let list: Vec<(&str, &[u8])> = files.iter().map(|(p, b)| (*p, *b)).collect();
    let (hashes, on_disk) = rayon::join(
        || {
            list.par_iter()
                .map(|(_, bytes)| manifest::hash(bytes))
                .collect::<Vec<u64>>()
        },
        // Nothing on disk is of use without a manifest.
        || previous.map(|_| scan(output)).unwrap_or_default(),
    );
    let kept = |path: &str, hash: u64, size: Option<u64>| {
        previous
            .and_then(|manifest| manifest.files.get(path))
            .filter(|entry| entry.hash == hash && size.is_none_or(|size| entry.size == size))
            .filter(|entry| on_disk.files.get(path) == Some(&(entry.size, entry.modified)))
            .map(|entry| (entry.size, entry.modified))
    };
    let mut planned = Vec::with_capacity(list.len());
    for (&(path, bytes), hash) in list.iter().zip(hashes) {
        planned.push(Planned {
            path: Cow::Borrowed(path),
            content: Content::Bytes(bytes),
            hash,
            keep: kept(path, hash, Some(bytes.len() as u64)),
        });
        if !precompress.wants(path, bytes.len()) {
            continue;
        }
        for encoding in Encoding::ALL {
            let sibling = format!("{path}{}", encoding.extension());
            if files.contains_key(sibling.as_str()) {
                continue; // the site has a file of that name: it wins
            }
            let hash = sibling_hash(hash, precompress.recipe(encoding));
            planned.push(Planned {
                keep: kept(&sibling, hash, None),
                path: Cow::Owned(sibling),
                content: Content::Compressed(bytes, encoding),
                hash,
            });
        }
    }
    (planned, on_disk)
}

/// A compressed sibling's recorded hash: its source's, mixed with how it is compressed.
fn sibling_hash(source: u64, recipe: u64) -> u64 {
    (source ^ recipe.wrapping_mul(0x9E37_79B9_7F4A_7C15)).rotate_left(29)
}

/// Whether the output already is what `planned` would write: every file kept, the same set as
/// the manifest, the marker as it would be written, and nothing else in the folder.
pub fn unchanged(planned: &[Planned], previous: &Manifest, marker: &str, on_disk: &OnDisk) -> bool {
    let all_kept =
        planned.len() == previous.files.len() && planned.iter().all(|f| f.keep.is_some());
    // Every kept file is on disk, and so are the folders that hold them: equal counts mean
    // nothing else is there.
    if !all_kept || on_disk.others > 0 || on_disk.files.len() != planned.len() {
        return false;
    }
    if on_disk.folders != folders_of(planned.iter().map(|f| &*f.path)).len() {
        return false;
    }
    let manifest = Manifest {
        files: planned
            .iter()
            .map(|f| {
                let (size, modified) = f.keep.expect("checked above: every file is kept");
                let entry = Entry {
                    hash: f.hash,
                    size,
                    modified,
                };
                (f.path.to_string(), entry)
            })
            .collect(),
    };
    manifest.to_marker() == marker
}

/// Every folder that `paths` need, parents included.
pub fn folders_of<'a>(paths: impl Iterator<Item = &'a str>) -> BTreeSet<&'a str> {
    let mut folders = BTreeSet::new();
    for mut path in paths {
        while let Some((folder, _)) = path.rsplit_once('/') {
            if !folders.insert(folder) {
                break;
            }
            path = folder;
        }
    }
    folders
}
