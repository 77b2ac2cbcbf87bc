//! One build at a time writes into an output folder: an exclusive lock on `.<name>.karvan-lock`
//! beside it, held while leftovers are cleaned, the staging folder is filled and swapped in.
//!
//! The operating system drops the lock of a process that dies, however it dies, so a killed build
//! never blocks the next one. On Unix the file is removed when the lock is released (while still
//! held, and a waiter checks it locked the file that is still there), so no lock file stays beside
//! the output between builds.

use std::fs::{File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Held while writing; released (and its file removed) when dropped.
#[derive(Debug)]
pub struct Lock {
    path: PathBuf,
    _file: File,
}

/// Why the lock was not taken.
#[derive(Debug)]
pub enum LockError {
    /// Another build held it for all of the time we waited.
    Busy,
    Io(io::Error),
}

impl Lock {
    /// Takes the lock at `path`, waiting up to `wait` for a build that holds it.
    pub fn acquire(path: &Path, wait: Duration) -> Result<Lock, LockError> {
        let started = Instant::now();
        let mut told = false;
        loop {
            match open_locked(path).map_err(LockError::Io)? {
                Some(file) if still_there(&file, path) => {
                    return Ok(Lock {
                        path: path.to_path_buf(),
                        _file: file,
                    });
                }
                // The holder removed the file as we waited for it: lock the one now there.
                Some(_) => {}
                None if started.elapsed() < wait => {
                    if !told {
                        log::info!(
                            "another karvan build holds {}: waiting for it to finish",
                            path.display()
                        );
                        told = true;
                    }
                    std::thread::sleep(Duration::from_millis(20));
                }
                None => return Err(LockError::Busy),
            }
        }
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        // Removed while still locked; the file handle, closed after this, releases the lock.
        if cfg!(unix) {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// The lock file, opened and locked; `None` when another process holds the lock.
#[cfg(unix)]
fn open_locked(path: &Path) -> io::Result<Option<File>> {
    use rustix::fs::{FlockOperation, flock};
    use rustix::io::Errno;
    let file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)?;
    match flock(&file, FlockOperation::NonBlockingLockExclusive) {
        Ok(()) => Ok(Some(file)),
        Err(Errno::WOULDBLOCK) => Ok(None),
        // File systems without locks (some network and FUSE ones): go on as karvan always did.
        Err(Errno::NOLCK | Errno::NOSYS | Errno::OPNOTSUPP) => Ok(Some(file)),
        Err(e) => Err(e.into()),
    }
}

/// Whether the file we locked is still the one at `path` (not removed by its last holder).
#[cfg(unix)]
fn still_there(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), std::fs::metadata(path)) {
        (Ok(ours), Ok(there)) => ours.dev() == there.dev() && ours.ino() == there.ino(),
        _ => false,
    }
}

/// On Windows the lock is the file opened without sharing: while we hold it, another build's
/// open fails with a sharing violation. It is never removed.
#[cfg(windows)]
fn open_locked(path: &Path) -> io::Result<Option<File>> {
    use std::os::windows::fs::OpenOptionsExt;
    const ERROR_SHARING_VIOLATION: i32 = 32;
    match OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .share_mode(0)
        .open(path)
    {
        Ok(file) => Ok(Some(file)),
        Err(e) if e.raw_os_error() == Some(ERROR_SHARING_VIOLATION) => Ok(None),
        Err(e) => Err(e),
    }
}

/// Elsewhere there is no lock to take.
#[cfg(not(any(unix, windows)))]
fn open_locked(path: &Path) -> io::Result<Option<File>> {
    OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
        .map(Some)
}

#[cfg(not(unix))]
fn still_there(_file: &File, _path: &Path) -> bool {
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_waits_for_the_first_and_the_file_goes_with_the_last() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".public.karvan-lock");
        let first = Lock::acquire(&path, Duration::ZERO).unwrap();
        assert!(matches!(
            Lock::acquire(&path, Duration::from_millis(50)),
            Err(LockError::Busy)
        ));
        let waiter = {
            let path = path.clone();
            std::thread::spawn(move || Lock::acquire(&path, Duration::from_secs(30)).map(drop))
        };
        std::thread::sleep(Duration::from_millis(100));
        drop(first);
        assert!(waiter.join().unwrap().is_ok());
        if cfg!(unix) {
            assert!(!path.exists(), "the lock file is removed with the lock");
        }
    }
}
