//! Fixture sites: copy one into a temporary folder (with the default theme unless it has its own
//! themes/) and build it in memory or on disk.

#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};

use karvan::Options;
use karvan::output::Output;

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Copies the folder `from` to `to`, creating it.
pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).unwrap();
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A copy of `tests/fixtures/<name>` with the default theme, in a temporary folder.
pub fn fixture(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("tests/fixtures").join(name), dir.path());
    if !dir.path().join("themes").exists() {
        copy_dir(
            &repo().join("themes/default"),
            &dir.path().join("themes/default"),
        );
    }
    dir
}

pub fn options(root: &Path) -> Options {
    Options {
        root: root.to_path_buf(),
        ..Options::default()
    }
}

/// Builds a fixture in memory.
pub fn build(name: &str) -> Output {
    let site = fixture(name);
    match karvan::engine::build_in_memory(&options(site.path())) {
        Ok((output, _)) => output,
        Err(d) => panic!("{name} should build, but:\n{d}"),
    }
}

/// The text of the errors a fixture's build reports.
pub fn errors(name: &str) -> String {
    errors_with(name, |_| {})
}

pub fn errors_with(name: &str, adjust: impl FnOnce(&mut Options)) -> String {
    let site = fixture(name);
    let mut options = options(site.path());
    adjust(&mut options);
    let in_memory = match karvan::engine::build_in_memory(&options) {
        Ok(_) => panic!("{name} should fail to build"),
        Err(d) => d.to_string(),
    };
    // A build into a folder takes another road (each page's Markdown read again as it is
    // rendered, its pages written at once): it must fail the same way, and write nothing.
    let output = tempfile::tempdir().unwrap();
    let once = Options {
        output: Some(output.path().join("public")),
        ..options
    };
    match karvan::engine::build(&once) {
        Ok(_) => panic!("{name} should fail to build into a folder"),
        Err(d) => assert_eq!(
            d.to_string(),
            in_memory,
            "{name}: a build into a folder reports other errors than a build in memory"
        ),
    }
    assert!(
        !output.path().join("public").exists(),
        "{name}: a failed build left an output"
    );
    in_memory
}

/// A page of the output as text.
pub fn page(output: &Output, path: &str) -> String {
    let bytes = output.files.get(path).unwrap_or_else(|| {
        panic!(
            "no {path} in the output; it has: {:?}",
            output.files.keys().collect::<Vec<_>>()
        )
    });
    String::from_utf8(bytes.to_vec()).unwrap()
}

/// Writes `text` to `path` in a fixture copy, creating folders as needed.
pub fn write(site: &Path, path: &str, text: &str) {
    let file = site.join(path);
    fs::create_dir_all(file.parent().unwrap()).unwrap();
    fs::write(file, text).unwrap();
}

/// Adds `text` at the end of `path` in a fixture copy.
pub fn append(site: &Path, path: &str, text: &str) {
    let before = fs::read_to_string(site.join(path)).unwrap();
    write(site, path, &format!("{before}{text}"));
}

/// Builds a fixture copy in memory; it must build.
pub fn build_at(site: &Path) -> (Output, karvan::Report) {
    karvan::engine::build_in_memory(&options(site))
        .unwrap_or_else(|d| panic!("the site should build:\n{d}"))
}
