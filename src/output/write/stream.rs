//! Writing the output while it is made: each file goes to the staging folder from the worker
//! thread that rendered it, and is dropped from memory there, so a build holds the list of its
//! files, not their bytes.
//!
//! 1. [`Stream::open`]: take the output's lock, remove what a killed build left, read the
//!    previous build's manifest and look at the files on disk (see [`super::plan`]).
//! 2. [`Stream::put`], from any thread: a file whose hash and size are the manifest's, and whose
//!    size and modification time on disk are what karvan left, is noted as kept; any other is
//!    written into the staging folder (made at the first such file), and so are its compressed
//!    siblings unless they too are unchanged.
//! 3. [`Stream::finish`]: if nothing was written and the output holds exactly the files noted,
//!    nothing happens; otherwise the kept files are hard-linked (or copied, with their times)
//!    into the staging folder, the marker written with the new manifest, and the staging folder
//!    swapped in. Dropping a stream without finishing removes its staging folder: the output is
//!    as it was.

use std::collections::{BTreeMap, HashSet};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use rayon::prelude::*;

use super::manifest::{self, Entry, Manifest, Stamp};
use super::plan::{self, OnDisk};
use super::{MARKER, Settings, Written, lock, stage};
use crate::error::{Diagnostic, io_error};
use crate::output::compress::Encoding;

/// An output folder being written.
pub struct Stream {
    /// The output, absolute, and as the user named it (for messages).
    output: PathBuf,
    shown: PathBuf,
    parent: PathBuf,
    name: String,
    settings: Settings,
    previous: Option<(Manifest, String)>,
    on_disk: OnDisk,
    /// Every path the build makes: a compressed sibling is not made where the site has a file
    /// of that name.
    paths: HashSet<String>,
    /// The staging folder, once a file had to be written.
    staging: Mutex<Option<PathBuf>>,
    /// Every file noted: path → its entry, and whether it is kept from the current output.
    files: Mutex<Vec<(String, Entry, bool)>>,
    /// The folders made in the staging folder: a page's siblings, and the pages of one folder,
    /// need not ask the file system again.
    folders: Mutex<HashSet<String>>,
    /// Held until the stream is finished or dropped.
    _lock: lock::Lock,
}

/// What [`Stream::put`] learned of a file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Put {
    /// The size of its gzip sibling, when it has one (written now or kept).
    pub gzip: Option<usize>,
}

impl Stream {
    /// Opens `shown` for a build that makes the files `paths`.
    pub(super) fn open(
        shown: &Path,
        paths: impl IntoIterator<Item = String>,
        settings: Settings,
    ) -> Result<Stream, Diagnostic> {
        let output = super::absolute(shown);
        let (Some(parent), Some(name)) = (output.parent(), output.file_name()) else {
            return Err(Diagnostic::error(format!(
                "{} cannot be an output folder",
                shown.display()
            ))
            .with_help("name a folder of its own, e.g. --output public"));
        };
        let (parent, name) = (parent.to_path_buf(), name.to_string_lossy().into_owned());
        let paths: HashSet<String> = paths.into_iter().collect();
        for path in &paths {
            super::check_path(path)?;
        }
        fs::create_dir_all(&parent).map_err(|e| {
            io_error(&parent, "create the folder that holds the output", &e)
                .with_help("check that the folder can be created here, or name another --output")
        })?;
        let lock = lock::Lock::acquire(
            &parent.join(format!(".{name}.karvan-lock")),
            settings.lock_wait,
        )
        .map_err(|e| match e {
            lock::LockError::Busy => Diagnostic::error(format!(
                "another karvan build has been writing into {} for {} seconds",
                shown.display(),
                settings.lock_wait.as_secs()
            ))
            .with_help("let it finish or stop it, then build again"),
            lock::LockError::Io(e) => io_error(shown, "lock the output folder for this build", &e)
                .with_help("check that you may create files in the folder that holds the output"),
        })?;
        stage::remove_leftovers(&parent, &name);
        let previous = plan::read_previous(&output, shown)?;
        // Nothing on disk is of use without a manifest.
        let on_disk = if previous.is_some() {
            plan::scan(&output)
        } else {
            OnDisk::default()
        };
        Ok(Stream {
            output,
            shown: shown.to_path_buf(),
            parent,
            name,
            settings,
            previous,
            on_disk,
            paths,
            staging: Mutex::new(None),
            files: Mutex::new(Vec::new()),
            folders: Mutex::new(HashSet::new()),
            _lock: lock,
        })
    }

    /// The size and modification time of `path` in the current output, if it is there as the
    /// previous build left it with this hash (and this size, if given).
    fn kept(&self, path: &str, hash: u64, size: Option<u64>) -> Option<Entry> {
        let (manifest, _) = self.previous.as_ref()?;
        let entry = manifest.files.get(path)?;
        let same = entry.hash == hash
            && size.is_none_or(|size| entry.size == size)
            && self.on_disk.files.get(path) == Some(&(entry.size, entry.modified));
        same.then_some(*entry)
    }

    /// The staging folder, made now if it is not yet.
    fn staging(&self) -> io::Result<PathBuf> {
        let mut staging = self.staging.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(folder) = &*staging {
            return Ok(folder.clone());
        }
        let folder = stage::create(&self.parent, &self.name)?;
        *staging = Some(folder.clone());
        Ok(folder)
    }

    /// An error while writing `path`, in the user's terms.
    fn cannot(&self, action: &str, path: &str, e: &io::Error) -> Diagnostic {
        io_error(&self.shown.join(path), action, e).with_help(format!(
            "{} is as it was; check that the disk has space and that its folder is writable, then build again",
            self.shown.display()
        ))
    }

    /// Writes `bytes` into the staging folder at `path`; returns its entry.
    fn write(&self, path: &str, hash: u64, bytes: &[u8]) -> Result<Entry, Diagnostic> {
        let staging = self
            .staging()
            .map_err(|e| self.cannot("create the new output's folder beside it", "", &e))?;
        let target = staging.join(path);
        if let Some((folder, _)) = path.rsplit_once('/') {
            let made = self
                .folders
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .contains(folder);
            if !made {
                fs::create_dir_all(staging.join(folder))
                    .map_err(|e| self.cannot("create the folder", folder, &e))?;
                self.folders
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .insert(folder.to_string());
            }
        }
        let modified = stage::write_file(&target, bytes, None)
            .map_err(|e| self.cannot("write the file", path, &e))?;
        Ok(Entry {
            hash,
            size: bytes.len() as u64,
            modified,
        })
    }

    /// Takes one file of the output (from any thread): notes it as kept if the output has it
    /// unchanged, else writes it; the same for its compressed siblings.
    pub fn put(&self, path: &str, bytes: &[u8]) -> Result<Put, Diagnostic> {
        if !self.paths.contains(path) {
            return Err(Diagnostic::error(format!(
                "the build wrote {path}, which it had not planned"
            ))
            .with_help("please report this as a bug"));
        }
        let hash = manifest::hash(bytes);
        let mut noted = Vec::with_capacity(3);
        match self.kept(path, hash, Some(bytes.len() as u64)) {
            Some(entry) => noted.push((path.to_string(), entry, true)),
            None => noted.push((path.to_string(), self.write(path, hash, bytes)?, false)),
        }
        let mut put = Put::default();
        let precompress = &self.settings.precompress;
        if precompress.wants(path, bytes.len()) {
            for encoding in Encoding::ALL {
                let sibling = format!("{path}{}", encoding.extension());
                if self.paths.contains(&sibling) {
                    continue; // the site has a file of that name: it wins
                }
                let hash = plan::sibling_hash(hash, precompress.recipe(encoding));
                let (entry, kept) = match self.kept(&sibling, hash, None) {
                    Some(entry) => (entry, true),
                    None => {
                        let compressed = precompress.compress(encoding, bytes);
                        (self.write(&sibling, hash, &compressed)?, false)
                    }
                };
                if encoding == Encoding::Gzip {
                    put.gzip = Some(entry.size as usize);
                }
                noted.push((sibling, entry, kept));
            }
        }
        self.files
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .extend(noted);
        Ok(put)
    }

    /// Whether the output is exactly what the build whose marker hashes to `marker` left: that
    /// marker, every file it lists with the size and modification time it lists, and nothing
    /// else.
    pub fn is_as_left(&self, marker: u64) -> bool {
        let Some((manifest, text)) = &self.previous else {
            return false;
        };
        manifest::hash(text.as_bytes()) == marker
            && plan::unchanged(
                manifest.files.keys().map(String::as_str),
                manifest,
                &self.on_disk,
            )
            && manifest
                .files
                .iter()
                .all(|(path, entry)| self.kept(path, entry.hash, Some(entry.size)).is_some())
    }

    /// Puts the new output in place, unless it is the current one already.
    pub fn finish(self) -> Result<Written, Diagnostic> {
        self.finish_marked().map(|(written, _)| written)
    }

    /// [`Stream::finish`], and the hash of the marker the output now has (for
    /// [`Stream::is_as_left`]).
    pub fn finish_marked(self) -> Result<(Written, u64), Diagnostic> {
        let files: BTreeMap<String, (Entry, bool)> =
            std::mem::take(&mut *self.files.lock().unwrap_or_else(|e| e.into_inner()))
                .into_iter()
                .map(|(path, entry, kept)| (path, (entry, kept)))
                .collect();
        let kept = files.values().filter(|(_, kept)| *kept).count();
        let removed = self.previous.as_ref().map_or(0, |(manifest, _)| {
            manifest
                .files
                .keys()
                .filter(|path| !files.contains_key(path.as_str()))
                .count()
        });
        let manifest = |files: &BTreeMap<String, (Entry, bool)>| Manifest {
            files: files.iter().map(|(p, (e, _))| (p.clone(), *e)).collect(),
        };
        let staged = self
            .staging
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        if staged.is_none()
            && let Some((previous, marker)) = &self.previous
            && kept == files.len()
            && plan::unchanged(files.keys().map(String::as_str), previous, &self.on_disk)
            && manifest(&files).to_marker() == *marker
        {
            let written = Written {
                kept,
                ..Written::default()
            };
            return Ok((written, manifest::hash(marker.as_bytes())));
        }
        let staging = match staged {
            Some(staging) => staging,
            None => self
                .staging()
                .map_err(|e| self.cannot("create the new output's folder beside it", "", &e))?,
        };
        let linked = self.carry_over(&staging, &files)?;
        let mut files = files;
        for (path, (entry, _)) in files.iter_mut() {
            if let Some(stamp) = linked.get(path.as_str()) {
                entry.modified = *stamp;
            }
        }
        let marker = manifest(&files).to_marker();
        fs::write(staging.join(MARKER), &marker)
            .map_err(|e| self.cannot("write the file", MARKER, &e))?;
        let old = stage::swap(&staging, &self.output).map_err(|e| {
            io_error(&self.shown, "put the new output in place", &e).with_help(format!(
                "{} is as it was; if it is a mount point, write into a folder inside it",
                self.shown.display()
            ))
        })?;
        // In place: nothing to remove on drop.
        *self.staging.lock().unwrap_or_else(|e| e.into_inner()) = None;
        if let Some(old) = old {
            // The new output is in place; what is left here the next build removes.
            if let Err(e) = stage::remove_ours(&old) {
                log::warn!("cannot remove the previous output {}: {e}", old.display());
            }
        }
        let written = Written {
            written: files.len() - kept,
            kept,
            removed,
            replaced: true,
        };
        Ok((written, manifest::hash(marker.as_bytes())))
    }

    /// Hard-links (or copies, with their times) the kept files from the current output into
    /// `staging`; returns the modification times of those that had to be copied.
    fn carry_over(
        &self,
        staging: &Path,
        files: &BTreeMap<String, (Entry, bool)>,
    ) -> Result<BTreeMap<String, Stamp>, Diagnostic> {
        let kept: Vec<(&str, &Entry)> = files
            .iter()
            .filter(|(_, (_, kept))| *kept)
            .map(|(p, (e, _))| (p.as_str(), e))
            .collect();
        for folder in plan::folders_of(kept.iter().map(|(p, _)| *p)) {
            match fs::create_dir(staging.join(folder)) {
                Err(e) if e.kind() != io::ErrorKind::AlreadyExists => {
                    return Err(self.cannot("create the folder", folder, &e));
                }
                _ => {}
            }
        }
        let links = AtomicBool::new(self.settings.hard_links);
        let copied = AtomicUsize::new(0);
        let stamps: Vec<Option<(String, Stamp)>> = kept
            .par_iter()
            .map(|(path, entry)| {
                let (from, to) = (self.output.join(path), staging.join(path));
                if links.load(Ordering::Relaxed) {
                    match fs::hard_link(&from, &to) {
                        Ok(()) => return Ok(None),
                        // Another file system, or one without links: copy from now on.
                        Err(e) if stage::links_unsupported(&e) => {
                            links.store(false, Ordering::Relaxed);
                        }
                        // This file only (gone since we looked, too many links): copy it.
                        Err(_) => {}
                    }
                }
                copied.fetch_add(1, Ordering::Relaxed);
                stage::copy_file(&from, &to, entry.modified)
                    .map(|stamp| Some((path.to_string(), stamp)))
                    .map_err(|e| self.cannot("write the file", path, &e))
            })
            .collect::<Result<_, _>>()?;
        Ok(stamps.into_iter().flatten().collect())
    }
}

impl Drop for Stream {
    /// A stream dropped unfinished (a failed build) removes its staging folder.
    fn drop(&mut self) {
        let staging = self.staging.get_mut().unwrap_or_else(|e| e.into_inner());
        if let Some(staging) = staging.take() {
            let _ = stage::remove_ours(&staging);
        }
    }
}
