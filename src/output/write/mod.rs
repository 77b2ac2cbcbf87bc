//! Writing the output folder: only what changed, atomically, and never into a folder that is not
//! ours to replace.
//!
//! 1. [`check_output_dir`]: the output must not be the site root, hold the site, or sit inside
//!    its sources; if it exists and is not empty it must carry our marker file.
//! 2. [`write_atomically`]:
//!    1. take the output's lock (`.<name>.karvan-lock` beside it; a second build waits for the
//!       first), and remove the staging folders a killed build left;
//!    2. read the previous build's [manifest](manifest) from the output's marker, hash the new
//!       files, and look at the files on disk: a file is unchanged when its hash and size are
//!       the manifest's and its size and modification time on disk are too (so a file edited by
//!       hand since is rewritten);
//!    3. if nothing changed (the same files, all unchanged, nothing else in the folder), stop:
//!       nothing is written;
//!    4. otherwise fill a staging folder beside the output: unchanged files as hard links to the
//!       current ones (their modification times kept), new and changed files written, removed
//!       ones left out, and the marker with the new manifest (the `stage` module);
//!    5. swap it in with one atomic exchange (two renames where the system has none) and remove
//!       the previous output.
//!
//! The output folder is at every moment either the previous build or the new one, whole: a
//! build that fails or is killed leaves the previous output as it was, and the next build
//! removes what it left beside it. The result is the same, byte for byte, as writing everything
//! into an empty folder.

pub mod manifest;

mod lock;
mod plan;
mod stage;
mod stream;

pub use stream::{Put, Stream};

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rayon::prelude::*;

use crate::error::{Diagnostic, io_error};
use crate::output::compress::Precompress;

/// The file that marks a folder as written by karvan (and so safe for karvan to replace). It
/// holds the manifest of the files written.
pub const MARKER: &str = ".karvan";

/// What a write did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Written {
    /// New and changed files, written fresh.
    pub written: usize,
    /// Unchanged files, kept as they were (hard links, or copies with the same time).
    pub kept: usize,
    /// Files the previous build's manifest listed that are gone (0 when there was none).
    pub removed: usize,
    /// Whether the output folder was replaced; `false` when nothing had changed.
    pub replaced: bool,
}

/// How [`write_with`] works; the defaults are what a build uses.
#[derive(Debug, Clone)]
struct Settings {
    /// Keep unchanged files as hard links; `false`: as copies, as across file systems.
    hard_links: bool,
    /// How long to wait for another build writing into the same output.
    lock_wait: Duration,
    /// Which files get `.br` and `.gz` siblings.
    precompress: Precompress,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            hard_links: true,
            lock_wait: Duration::from_secs(600),
            precompress: Precompress::new(false),
        }
    }
}

/// The folders of a site that hold its sources.
const SOURCE_FOLDERS: &[&str] = &["content", "themes", "i18n", "static", "templates"];

/// Checks that `output` may be replaced by a build of the site at `root`.
pub fn check_output_dir(output: &Path, root: &Path) -> Result<(), Diagnostic> {
    let shown = output.display().to_string();
    let refuse = |why: String, help: &str| {
        Diagnostic::error(format!("refusing to write the site into {shown}: {why}")).with_help(help)
    };
    let output_abs = absolute(output);
    let root_abs = absolute(root);
    if output_abs == root_abs {
        return Err(refuse(
            "it is the site's own folder".into(),
            "write to a folder of its own, e.g. --output public",
        ));
    }
    if root_abs.starts_with(&output_abs) {
        return Err(refuse(
            "it holds the site's sources".into(),
            "write to a folder of its own, e.g. --output public",
        ));
    }
    for folder in SOURCE_FOLDERS {
        if output_abs.starts_with(root_abs.join(folder)) {
            return Err(refuse(
                format!("it is inside the site's {folder}/ folder"),
                "write to a folder of its own, e.g. --output public",
            ));
        }
    }
    if output_abs.is_file() {
        return Err(refuse("it is a file".into(), "name a folder"));
    }
    if output_abs.is_dir() {
        let mut entries = fs::read_dir(&output_abs)
            .map_err(|e| io_error(output, "read the output folder", &e))?;
        let empty = entries.next().is_none();
        if !empty && !output_abs.join(MARKER).is_file() {
            return Err(refuse(
                "it is not empty and was not written by karvan".into(),
                "karvan replaces its output folder whole; name a new or empty folder, or one an earlier build wrote",
            ));
        }
    }
    Ok(())
}

/// `path` made absolute and normalised without requiring it to exist.
pub(crate) fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().map_or_else(|_| path.to_path_buf(), |cwd| cwd.join(path))
    };
    // Resolve the longest existing prefix (symlinks included), then append the rest.
    let mut existing = joined.as_path();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => break,
        }
    }
    let mut resolved = fs::canonicalize(existing).unwrap_or_else(|_| existing.to_path_buf());
    for name in rest.into_iter().rev() {
        if name == ".." {
            resolved.pop();
        } else if name != "." {
            resolved.push(name);
        }
    }
    resolved
}

/// Writes `files` (path under the output → bytes) as the new content of `output`: only what
/// changed since the previous build, swapped in atomically.
pub fn write_atomically<'a>(
    output: &Path,
    files: impl IntoIterator<Item = (&'a str, &'a [u8])>,
    precompress: Precompress,
) -> Result<Written, Diagnostic> {
    let settings = Settings {
        precompress,
        ..Settings::default()
    };
    write_with(output, files, &settings)
}

fn write_with<'a>(
    shown: &Path,
    files: impl IntoIterator<Item = (&'a str, &'a [u8])>,
    settings: &Settings,
) -> Result<Written, Diagnostic> {
    let files: BTreeMap<&str, &[u8]> = files.into_iter().collect();
    let stream = Stream::open(shown, files.keys().map(|p| p.to_string()), settings.clone())?;
    files
        .par_iter()
        .try_for_each(|(path, bytes)| stream.put(path, bytes).map(|_| ()))?;
    stream.finish()
}

/// Opens the output folder `shown` for a build that makes the files `paths`, to be given to
/// [`Stream::put`] as they are made (see [`stream`]).
pub fn open(
    shown: &Path,
    paths: impl IntoIterator<Item = String>,
    precompress: Precompress,
) -> Result<Stream, Diagnostic> {
    Stream::open(
        shown,
        paths,
        Settings {
            precompress,
            ..Settings::default()
        },
    )
}

/// Writes `bytes` to `file` (making its folder) through a temporary file beside it, renamed in
/// place: a reader, or a build killed meanwhile, sees the old file or the new one, never half of
/// one. For the files karvan keeps between builds in `.karvan-cache/`.
pub fn replace_file(file: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let folder = file.parent().unwrap_or(Path::new("."));
    let name = file.file_name().unwrap_or_default().to_string_lossy();
    let temporary = folder.join(format!(".{name}.{}.tmp", std::process::id()));
    let written = fs::create_dir_all(folder)
        .and_then(|()| fs::write(&temporary, bytes))
        .and_then(|()| fs::rename(&temporary, file));
    if written.is_err() {
        let _ = fs::remove_file(&temporary);
    }
    written
}

/// A path the build gives must stay inside the output and leave the marker alone.
fn check_path(path: &str) -> Result<(), Diagnostic> {
    let outside = path.starts_with('/')
        || (cfg!(windows) && path.contains('\\'))
        || path
            .split('/')
            .any(|c| c.is_empty() || c == "." || c == "..");
    if path == MARKER {
        return Err(
            Diagnostic::error(format!("the site has a file named {MARKER} at its top")).with_help(
                format!("karvan marks its output with {MARKER}; rename or remove that file"),
            ),
        );
    }
    if outside {
        return Err(Diagnostic::error(format!(
            "the output would have a file at {path:?}, which is not a path inside it"
        ))
        .with_help("the build made a path it should not have: please report this as a bug"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_the_site_root_its_parent_and_its_sources() {
        let site = tempfile::tempdir().unwrap();
        let root = site.path();
        fs::create_dir(root.join("content")).unwrap();
        for bad in [
            root.to_path_buf(),
            root.join(".."),
            root.join("content/public"),
        ] {
            assert!(check_output_dir(&bad, root).is_err(), "{}", bad.display());
        }
        assert!(check_output_dir(&root.join("public"), root).is_ok());
    }

    #[test]
    fn refuses_a_non_empty_folder_it_did_not_write() {
        let site = tempfile::tempdir().unwrap();
        let out = site.path().join("public");
        fs::create_dir(&out).unwrap();
        assert!(
            check_output_dir(&out, site.path()).is_ok(),
            "an empty folder is fine"
        );
        fs::write(out.join("thesis.docx"), "precious").unwrap();
        let err = check_output_dir(&out, site.path()).unwrap_err();
        assert!(
            err.message
                .ends_with("it is not empty and was not written by karvan"),
            "{}",
            err.message
        );
    }

    #[test]
    fn replaces_its_own_output_whole() {
        let site = tempfile::tempdir().unwrap();
        let out = site.path().join("public");
        plain(
            &out,
            [("a/index.html", &b"one"[..]), ("old.txt", &b"x"[..])],
        )
        .unwrap();
        check_output_dir(&out, site.path()).unwrap();
        plain(&out, [("a/index.html", &b"two"[..])]).unwrap();
        assert_eq!(fs::read(out.join("a/index.html")).unwrap(), b"two");
        assert!(!out.join("old.txt").exists());
        let leftovers: Vec<_> = fs::read_dir(site.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(leftovers, [std::ffi::OsString::from("public")]);
    }

    /// Writes without compressed siblings, as the tests below expect.
    fn plain<'a>(
        output: &Path,
        files: impl IntoIterator<Item = (&'a str, &'a [u8])>,
    ) -> Result<Written, Diagnostic> {
        write_with(output, files, &Settings::default())
    }

    fn files(list: &[(&'static str, &'static str)]) -> Vec<(&'static str, &'static [u8])> {
        list.iter().map(|(p, b)| (*p, b.as_bytes())).collect()
    }

    fn modified(path: &Path) -> std::time::SystemTime {
        fs::metadata(path).unwrap().modified().unwrap()
    }

    #[test]
    fn without_hard_links_unchanged_files_are_copied_with_their_time() {
        let site = tempfile::tempdir().unwrap();
        let out = site.path().join("public");
        let copying = Settings {
            hard_links: false,
            ..Settings::default()
        };
        write_with(&out, files(&[("a.html", "a"), ("b.html", "b")]), &copying).unwrap();
        let before = modified(&out.join("a.html"));
        std::thread::sleep(Duration::from_millis(20));
        let written =
            write_with(&out, files(&[("a.html", "a"), ("b.html", "B")]), &copying).unwrap();
        assert_eq!(
            written,
            Written {
                written: 1,
                kept: 1,
                removed: 0,
                replaced: true
            }
        );
        assert_eq!(modified(&out.join("a.html")), before);
        assert_eq!(fs::read(out.join("b.html")).unwrap(), b"B");
        // The copy is trusted by the next build like a link would be.
        let again = write_with(&out, files(&[("a.html", "a"), ("b.html", "B")]), &copying).unwrap();
        assert!(!again.replaced, "{again:?}");
    }

    #[test]
    fn a_build_that_cannot_take_the_lock_names_the_output() {
        let site = tempfile::tempdir().unwrap();
        let out = site.path().join("public");
        let _held =
            lock::Lock::acquire(&site.path().join(".public.karvan-lock"), Duration::ZERO).unwrap();
        let impatient = Settings {
            lock_wait: Duration::from_millis(50),
            ..Settings::default()
        };
        let err = write_with(&out, files(&[("a.html", "a")]), &impatient).unwrap_err();
        assert!(
            err.message.starts_with(&format!(
                "another karvan build has been writing into {}",
                out.display()
            )),
            "{}",
            err.message
        );
        assert!(!out.exists());
    }

    #[test]
    fn a_file_named_like_the_marker_or_leaving_the_output_is_refused() {
        let site = tempfile::tempdir().unwrap();
        let out = site.path().join("public");
        for bad in [".karvan", "../escape.html", "/etc/x", "a//b", "a/./b", ""] {
            assert!(plain(&out, [(bad, &b"x"[..])]).is_err(), "{bad:?}");
        }
        assert!(!out.exists());
        plain(&out, [("en/.karvan", &b"x"[..])]).unwrap();
    }

    #[test]
    fn a_file_added_by_hand_goes_with_the_next_build_even_if_nothing_changed() {
        let site = tempfile::tempdir().unwrap();
        let out = site.path().join("public");
        let list = files(&[("a/index.html", "a")]);
        plain(&out, list.clone()).unwrap();
        fs::write(out.join("a/notes.txt"), "stray").unwrap();
        fs::create_dir(out.join("empty")).unwrap();
        let written = plain(&out, list).unwrap();
        assert!(written.replaced);
        assert!(!out.join("a/notes.txt").exists());
        assert!(!out.join("empty").exists());
    }

    #[test]
    fn an_io_error_names_the_output_path_not_the_staging_folder() {
        let site = tempfile::tempdir().unwrap();
        let out = site.path().join("public");
        // "a" is both a file and a folder: writing a/b.html fails.
        let err = plain(&out, files(&[("a", "x"), ("a/b.html", "y")])).unwrap_err();
        let shown = err.to_string();
        eprintln!("{shown}");
        assert!(shown.contains(&out.display().to_string()), "{shown}");
        assert!(!shown.contains("karvan-new"), "{shown}");
        assert!(!out.exists());
        let leftovers: Vec<_> = fs::read_dir(site.path()).unwrap().collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
    }

    #[test]
    fn text_files_get_compressed_siblings_made_again_only_when_they_change() {
        let site = tempfile::tempdir().unwrap();
        let out = site.path().join("public");
        let page = "<p>Qeydiyyat — регистрация</p>\n".repeat(50);
        let other = "<p>Başqa səhifə</p>\n".repeat(50);
        let on = Settings {
            precompress: Precompress::new(true),
            ..Settings::default()
        };
        let list = |first: &'static str| {
            vec![
                ("a.html", first.as_bytes()),
                ("b.html", other.as_bytes()),
                ("tiny.html", &b"<p>x</p>"[..]),
                ("photo.jpg", &[0u8; 4096][..]),
            ]
        };
        let first: &'static str = Box::leak(page.clone().into_boxed_str());
        let written = write_with(&out, list(first), &on).unwrap();
        assert_eq!(
            written.written, 8,
            "4 files and 2 siblings of each large text file"
        );
        let gz = fs::read(out.join("a.html.gz")).unwrap();
        let mut back = String::new();
        std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&gz[..]), &mut back)
            .unwrap();
        assert_eq!(back, page);
        assert!(out.join("a.html.br").exists());
        assert!(!out.join("tiny.html.gz").exists() && !out.join("photo.jpg.gz").exists());

        // Nothing changed: nothing written, siblings included.
        assert!(!write_with(&out, list(first), &on).unwrap().replaced);
        let b_br = modified(&out.join("b.html.br"));

        // One page changed: it and its siblings are written, the rest kept.
        let changed: &'static str = Box::leak(format!("{page}<p>new</p>").into_boxed_str());
        let written = write_with(&out, list(changed), &on).unwrap();
        assert_eq!((written.written, written.kept), (3, 5));
        assert_eq!(modified(&out.join("b.html.br")), b_br);
        let gz = fs::read(out.join("a.html.gz")).unwrap();
        let mut back = String::new();
        std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&gz[..]), &mut back)
            .unwrap();
        assert_eq!(back, changed);

        // Switched off: the siblings go with the next build.
        let written = write_with(&out, list(changed), &Settings::default()).unwrap();
        assert_eq!(written.removed, 4);
        assert!(!out.join("a.html.gz").exists() && !out.join("b.html.br").exists());
    }
}
