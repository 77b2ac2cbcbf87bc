//! Writing the output folder atomically, and refusing folders that are not ours to replace.
//!
//! 1. [`check_output_dir`]: the output must not be the site root, hold the site, or sit inside
//!    its sources; if it exists and is not empty it must carry our marker file.
//! 2. [`write_atomically`]: write everything into a staging folder beside the output, then swap
//!    it in with two renames. A build that fails, or is interrupted, leaves the previous output
//!    as it was; a staging folder left by an interrupted build is removed by the next one.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::error::{Diagnostic, io_error};

/// The file that marks a folder as written by karvan (and so safe for karvan to replace).
pub const MARKER: &str = ".karvan";
const MARKER_TEXT: &str =
    "This folder is written by karvan. Every build replaces it whole: do not keep files here.\n";

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
fn absolute(path: &Path) -> PathBuf {
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

/// Writes `files` (path under the output → bytes) as the new content of `output`.
pub fn write_atomically<'a>(
    output: &Path,
    files: impl IntoIterator<Item = (&'a str, &'a [u8])>,
) -> Result<(), Diagnostic> {
    let output = absolute(output);
    let parent = output
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("/"));
    let name = output
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| {
            Diagnostic::error(format!("{} cannot be an output folder", output.display()))
        })?;
    fs::create_dir_all(&parent).map_err(|e| io_error(&parent, "create the folder", &e))?;
    remove_stale_staging(&parent, &name);

    let pid = std::process::id();
    let staging = parent.join(format!(".{name}.karvan-new-{pid}"));
    let files: Vec<(&str, &[u8])> = files.into_iter().collect();
    if let Err(e) = fill(&staging, &files) {
        let _ = fs::remove_dir_all(&staging);
        return Err(e);
    }

    if output.exists() {
        let old = parent.join(format!(".{name}.karvan-old-{pid}"));
        fs::rename(&output, &old).map_err(|e| {
            let _ = fs::remove_dir_all(&staging);
            io_error(&output, "move the previous output aside", &e)
        })?;
        if let Err(e) = fs::rename(&staging, &output) {
            let _ = fs::rename(&old, &output);
            let _ = fs::remove_dir_all(&staging);
            return Err(io_error(&output, "put the new output in place", &e));
        }
        fs::remove_dir_all(&old).map_err(|e| io_error(&old, "remove the previous output", &e))?;
    } else {
        fs::rename(&staging, &output).map_err(|e| {
            let _ = fs::remove_dir_all(&staging);
            io_error(&output, "put the new output in place", &e)
        })?;
    }
    Ok(())
}

fn fill(staging: &Path, files: &[(&str, &[u8])]) -> Result<(), Diagnostic> {
    fs::create_dir(staging).map_err(|e| io_error(staging, "create the staging folder", &e))?;
    // The marker goes first: a staging folder left by an interrupted build is then recognisably ours.
    let marker = staging.join(MARKER);
    fs::write(&marker, MARKER_TEXT).map_err(|e| io_error(&marker, "write the file", &e))?;
    let folders: BTreeSet<&str> = files
        .iter()
        .filter_map(|(path, _)| path.rsplit_once('/').map(|(dir, _)| dir))
        .collect();
    for folder in folders {
        let dir = staging.join(folder);
        fs::create_dir_all(&dir).map_err(|e| io_error(&dir, "create the folder", &e))?;
    }
    files.par_iter().try_for_each(|(path, bytes)| {
        let file = staging.join(path);
        fs::write(&file, bytes).map_err(|e| io_error(&file, "write the file", &e))
    })
}

/// Removes staging and old folders of `name` that an interrupted build left, ours by the marker.
fn remove_stale_staging(parent: &Path, name: &str) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    let prefix = format!(".{name}.karvan-");
    for entry in entries.filter_map(Result::ok) {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        if file_name.starts_with(&prefix) && path.is_dir() && path.join(MARKER).is_file() {
            let _ = fs::remove_dir_all(&path);
        }
    }
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
        write_atomically(
            &out,
            [("a/index.html", &b"one"[..]), ("old.txt", &b"x"[..])],
        )
        .unwrap();
        check_output_dir(&out, site.path()).unwrap();
        write_atomically(&out, [("a/index.html", &b"two"[..])]).unwrap();
        assert_eq!(fs::read(out.join("a/index.html")).unwrap(), b"two");
        assert!(!out.join("old.txt").exists());
        let leftovers: Vec<_> = fs::read_dir(site.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(leftovers, [std::ffi::OsString::from("public")]);
    }
}
