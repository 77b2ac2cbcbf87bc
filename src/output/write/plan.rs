//! What a write has to do: compare the new files with the previous build's manifest and with
//! what is on disk.
//!
//! 1. [`read_previous`]: the manifest in the output's marker, if any (refusing a folder that is
//!    not empty and not ours);
//! 2. [`scan`]: every file in the output folder (its size and modification time; folders
//!    counted, anything else such as links noticed; one folder per task, in parallel); a new
//!    file is kept (see [`super::Stream`]) if the manifest lists it with its hash and size and
//!    the file on disk still has the size and modification time karvan left;
//! 3. [`unchanged`]: whether there is nothing to write at all.

use std::collections::{BTreeSet, HashMap};
use std::fs;
use std::io;
use std::path::Path;

use rayon::prelude::*;

use super::MARKER;
use super::manifest::{Manifest, Stamp};
use crate::error::{Diagnostic, io_error};

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
    pub files: HashMap<String, (u64, Stamp)>,
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

/// A compressed sibling's recorded hash: its source's, mixed with how it is compressed.
pub fn sibling_hash(source: u64, recipe: u64) -> u64 {
    (source ^ recipe.wrapping_mul(0x9E37_79B9_7F4A_7C15)).rotate_left(29)
}

/// Whether the output folder holds exactly `paths` (every one of them kept from the previous
/// build) and nothing else: the manifest's files, no others, and only the folders they need.
pub fn unchanged<'a>(
    paths: impl Iterator<Item = &'a str> + Clone,
    previous: &Manifest,
    on_disk: &OnDisk,
) -> bool {
    let count = paths.clone().count();
    // Every kept file is on disk, and so are the folders that hold them: equal counts mean
    // nothing else is there.
    count == previous.files.len()
        && on_disk.others == 0
        && on_disk.files.len() == count
        && on_disk.folders == folders_of(paths).len()
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
