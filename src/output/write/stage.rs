//! The staging folder beside the output: filled with the new output, then swapped in.
//!
//! 1. [`create`]: a folder named `.<name>.karvan-new-<pid>`, with the marker (its header only)
//!    written at once, so it is recognisably ours at every moment.
//! 2. filled by [`super::Stream`]: new and changed files written fresh as they are made
//!    ([`write_file`]), then unchanged ones as hard links to the current output's (same inode:
//!    no bytes copied, modification time kept), or, where links cannot be made, as copies given
//!    the same modification time ([`copy_file`]); then the marker again, with the manifest.
//! 3. [`swap`]: one atomic exchange of the two folders where the system has it (Linux), two
//!    renames elsewhere; then the previous output, now under the staging name, is removed.
//!
//! [`remove_leftovers`] removes what a killed build left beside the output. It runs only under
//! the output's lock, so no other build is using them.

use std::fs;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::MARKER;
use super::manifest::{HEADER, Stamp};

fn staging_prefix(name: &str) -> String {
    format!(".{name}.karvan-new-")
}

fn old_prefix(name: &str) -> String {
    format!(".{name}.karvan-old-")
}

/// Creates a new staging folder for the output `name` in `parent`, marker included.
pub fn create(parent: &Path, name: &str) -> io::Result<PathBuf> {
    let pid = std::process::id();
    let mut attempt = 0;
    loop {
        let staging = match attempt {
            0 => parent.join(format!("{}{pid}", staging_prefix(name))),
            n => parent.join(format!("{}{pid}-{n}", staging_prefix(name))),
        };
        match fs::create_dir(&staging) {
            Ok(()) => {
                fs::write(staging.join(MARKER), HEADER)?;
                return Ok(staging);
            }
            // A folder of that name that was not removed as a leftover: never touch it.
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && attempt < 100 => attempt += 1,
            Err(e) => return Err(e),
        }
    }
}

/// Whether a failed hard link means links cannot be made here at all.
pub fn links_unsupported(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::CrossesDevices
            | io::ErrorKind::Unsupported
            | io::ErrorKind::PermissionDenied
    )
}

/// Writes `bytes` to a new file at `path`, with the modification time `keep` if given; returns
/// the modification time the file has.
pub fn write_file(path: &Path, bytes: &[u8], keep: Option<Stamp>) -> io::Result<Stamp> {
    let mut file = fs::File::create(path)?;
    file.write_all(bytes)?;
    if let Some(stamp) = keep {
        file.set_modified(stamp.to_system_time())?;
    }
    drop(file);
    // Read back after closing: what the file system stored (its clock's precision) is what the
    // next build compares with.
    Ok(Stamp::from(fs::symlink_metadata(path)?.modified()?))
}

/// Copies a kept file from the current output, with its modification time.
pub fn copy_file(from: &Path, to: &Path, keep: Stamp) -> io::Result<Stamp> {
    fs::copy(from, to)?;
    fs::File::options()
        .write(true)
        .open(to)?
        .set_modified(keep.to_system_time())?;
    Ok(Stamp::from(fs::symlink_metadata(to)?.modified()?))
}

/// Puts `staging` in place of `output`; returns the folder now holding the previous output, to
/// be removed, if there was one. On failure `output` is as it was.
pub fn swap(staging: &Path, output: &Path) -> io::Result<Option<PathBuf>> {
    if fs::symlink_metadata(output).is_err() {
        fs::rename(staging, output)?;
        return Ok(None);
    }
    if exchange(staging, output).is_ok() {
        return Ok(Some(staging.to_path_buf()));
    }
    swap_by_renames(staging, output).map(Some)
}

/// Two renames: the output aside, the staging folder in its place. For an instant there is no
/// output folder; a build killed then leaves the previous output under the returned name, and
/// the next build writes everything.
fn swap_by_renames(staging: &Path, output: &Path) -> io::Result<PathBuf> {
    let name = staging
        .file_name()
        .map(|n| {
            n.to_string_lossy()
                .replacen(".karvan-new-", ".karvan-old-", 1)
        })
        .expect("a staging folder has a name");
    let old = staging.with_file_name(name);
    fs::rename(output, &old)?;
    if let Err(e) = fs::rename(staging, output) {
        let _ = fs::rename(&old, output);
        return Err(e);
    }
    Ok(old)
}

/// Removes a folder of ours (a staging folder, a previous output) and everything in it, its
/// marker last: killed halfway, it is still recognisably ours for the next build to finish.
pub fn remove_ours(folder: &Path) -> io::Result<()> {
    remove_contents(folder, Some(MARKER))?;
    match fs::remove_file(folder.join(MARKER)) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    fs::remove_dir(folder)
}

/// Removes everything in `folder` but the file `except`, one folder per task, in parallel.
/// Links are removed, not followed.
fn remove_contents(folder: &Path, except: Option<&str>) -> io::Result<()> {
    let mut subfolders = Vec::new();
    for entry in fs::read_dir(folder)? {
        let entry = entry?;
        if entry.file_type()?.is_dir() {
            subfolders.push(entry.path());
        } else if except.is_none_or(|name| entry.file_name() != name) {
            fs::remove_file(entry.path())?;
        }
    }
    subfolders.par_iter().try_for_each(|subfolder| {
        remove_contents(subfolder, None)?;
        fs::remove_dir(subfolder)
    })
}

/// Exchanges two folders in one step.
#[cfg(any(target_os = "linux", target_os = "android"))]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(io::Error::from)
}

#[cfg(not(any(target_os = "linux", target_os = "android")))]
fn exchange(_a: &Path, _b: &Path) -> io::Result<()> {
    Err(io::ErrorKind::Unsupported.into())
}

/// Removes the staging and previous-output folders of the output `name` in `parent` that a
/// killed build left: those carrying our marker, and empty ones (killed before the marker was
/// written), whose build is provably gone: we hold the output's lock, which every build holds
/// while its folders exist, and the process named in the folder's name is not running (which
/// also protects a build on a file system without locks). Anything else of such a name is left
/// alone. Only call it holding the lock.
pub fn remove_leftovers(parent: &Path, name: &str) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    let prefixes = [staging_prefix(name), old_prefix(name)];
    for entry in entries.filter_map(Result::ok) {
        let file_name = entry.file_name();
        let file_name = file_name.to_string_lossy();
        if !prefixes.iter().any(|p| file_name.starts_with(p.as_str())) {
            continue;
        }
        let path = entry.path();
        let is_folder = fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir());
        if !is_folder {
            continue;
        }
        let pid = prefixes
            .iter()
            .find_map(|p| file_name.strip_prefix(p.as_str()))
            .and_then(|rest| rest.split('-').next())
            .and_then(|pid| pid.parse::<u32>().ok());
        if pid.is_some_and(|pid| pid != std::process::id() && is_running(pid)) {
            continue;
        }
        let empty = fs::read_dir(&path).is_ok_and(|mut e| e.next().is_none());
        if empty || path.join(MARKER).is_file() {
            if let Err(e) = remove_ours(&path) {
                log::warn!("cannot remove {}: {e}", path.display());
            }
        }
    }
}

/// Whether a process of this id is running (on Unix; elsewhere the lock alone decides).
#[cfg(unix)]
fn is_running(pid: u32) -> bool {
    use rustix::io::Errno;
    use rustix::process::{Pid, test_kill_process};
    let Some(pid) = i32::try_from(pid).ok().and_then(Pid::from_raw) else {
        return false;
    };
    // EPERM: it runs, under another user.
    matches!(test_kill_process(pid), Ok(()) | Err(Errno::PERM))
}

#[cfg(not(unix))]
fn is_running(_pid: u32) -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leftovers_are_removed_only_when_ours() {
        let dir = tempfile::tempdir().unwrap();
        let parent = dir.path();
        // Process ids that no process has (above Linux's limit of 2^22).
        let ours = parent.join(".public.karvan-new-4194401");
        let empty = parent.join(".public.karvan-new-4194402");
        let old = parent.join(".public.karvan-old-4194403");
        let foreign = parent.join(".public.karvan-new-4194404");
        let other_output = parent.join(".site.karvan-new-4194405");
        for folder in [&ours, &empty, &old, &foreign, &other_output] {
            fs::create_dir(folder).unwrap();
        }
        for folder in [&ours, &old, &other_output] {
            fs::write(folder.join(MARKER), HEADER).unwrap();
            fs::write(folder.join("page.html"), "x").unwrap();
        }
        fs::write(foreign.join("thesis.docx"), "precious").unwrap();
        remove_leftovers(parent, "public");
        assert!(!ours.exists() && !empty.exists() && !old.exists());
        assert!(foreign.join("thesis.docx").exists());
        assert!(other_output.join("page.html").exists());
    }

    #[test]
    fn the_folder_of_a_running_build_is_never_removed() {
        let dir = tempfile::tempdir().unwrap();
        // pid 1 always runs; a build there on a file system without locks would lose its
        // staging folder if only the marker decided.
        let running = dir.path().join(".public.karvan-new-1");
        fs::create_dir(&running).unwrap();
        fs::write(running.join(MARKER), HEADER).unwrap();
        remove_leftovers(dir.path(), "public");
        assert!(running.join(MARKER).exists());
    }

    #[test]
    fn regression_an_empty_staging_folder_of_a_killed_build_goes_with_the_next_build() {
        // Issue 12, row 7: SIGKILL right after the staging folder was made.
        let dir = tempfile::tempdir().unwrap();
        let killed = dir.path().join(".public.karvan-new-4194406");
        fs::create_dir(&killed).unwrap();
        let output = dir.path().join("public");
        super::super::write_atomically(
            &output,
            [("index.html", &b"x"[..])],
            crate::output::compress::Precompress::new(false),
        )
        .unwrap();
        assert!(!killed.exists());
        assert!(output.join(MARKER).is_file());
    }

    #[test]
    fn a_new_staging_folder_avoids_a_name_in_use() {
        let dir = tempfile::tempdir().unwrap();
        let taken = dir
            .path()
            .join(format!(".public.karvan-new-{}", std::process::id()));
        fs::create_dir(&taken).unwrap();
        fs::write(taken.join("thesis.docx"), "precious").unwrap();
        let staging = create(dir.path(), "public").unwrap();
        assert_ne!(staging, taken);
        assert!(staging.join(MARKER).is_file());
        assert!(taken.join("thesis.docx").exists());
    }

    #[test]
    fn without_an_exchange_two_renames_swap_the_folders() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("public");
        fs::create_dir(&output).unwrap();
        fs::write(output.join(MARKER), HEADER).unwrap();
        fs::write(output.join("index.html"), "old").unwrap();
        let staging = create(dir.path(), "public").unwrap();
        fs::write(staging.join("index.html"), "new").unwrap();
        let old = swap_by_renames(&staging, &output).unwrap();
        assert_eq!(fs::read(output.join("index.html")).unwrap(), b"new");
        assert_eq!(fs::read(old.join("index.html")).unwrap(), b"old");
        assert!(!staging.exists());
        remove_leftovers(dir.path(), "public");
        assert!(!old.exists(), "the previous output is a leftover of ours");
    }
}
