//! Two builds of the same tree are byte-identical, whatever the number of threads. (The marker
//! `.karvan` is karvan's own record of what it wrote, with modification times: not the site.)

mod common;

use std::collections::BTreeMap;
use std::path::Path;

fn tree(root: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(root)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .filter(|e| e.file_name() != karvan::output::write::MARKER)
        .map(|e| {
            (
                e.path().strip_prefix(root).unwrap().display().to_string(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

#[test]
fn builds_are_byte_identical_with_one_and_two_threads() {
    let out = tempfile::tempdir().unwrap();
    let mut trees = Vec::new();
    for (run, threads) in [(0, 1), (1, 2), (2, 2)] {
        let mut options = common::options(&common::repo());
        options.output = Some(out.path().join(format!("run{run}")));
        options.threads = Some(threads);
        // The siblings' determinism is checked on a smaller site below: brotli at its best level
        // takes most of a debug build's time.
        options.precompress = Some(false);
        karvan::build(&options).unwrap_or_else(|d| panic!("the portal should build:\n{d}"));
        trees.push(tree(&out.path().join(format!("run{run}"))));
    }
    assert!(
        trees[0].len() > 40,
        "the portal has pages in three languages"
    );
    assert_eq!(trees[0], trees[1], "1 thread and 2 threads");
    assert_eq!(trees[1], trees[2], "two builds with 2 threads");
}

#[test]
fn a_build_into_a_folder_writes_what_a_build_in_memory_makes() {
    // A build into a folder takes its own road (each page's Markdown read again when its body is
    // made, its pages written at once, the files that read no body made beside them): on the
    // portal (fallbacks, services, images, listings, search) it must come to the same files.
    let (memory, _) = karvan::engine::build_in_memory(&common::options(&common::repo()))
        .unwrap_or_else(|d| panic!("the portal should build:\n{d}"));
    let memory: BTreeMap<String, Vec<u8>> = memory
        .files
        .iter()
        .map(|(path, bytes)| (path.clone(), bytes.to_vec()))
        .collect();
    let out = tempfile::tempdir().unwrap();
    let mut options = common::options(&common::repo());
    options.output = Some(out.path().join("public"));
    options.precompress = Some(false);
    karvan::build(&options).unwrap_or_else(|d| panic!("the portal should build:\n{d}"));
    let disk = tree(&out.path().join("public"));
    let paths = |t: &BTreeMap<String, Vec<u8>>| t.keys().cloned().collect::<Vec<_>>();
    assert_eq!(paths(&disk), paths(&memory), "the same files");
    for (path, bytes) in &memory {
        assert!(disk[path] == *bytes, "{path} differs");
    }
}

#[test]
fn compressed_siblings_are_byte_identical_from_build_to_build() {
    let site = common::fixture("hostile-text");
    let mut trees = Vec::new();
    for (run, threads) in [(0, 1), (1, 2)] {
        let mut options = common::options(site.path());
        options.output = Some(site.path().join(format!("run{run}")));
        options.threads = Some(threads);
        karvan::build(&options).unwrap_or_else(|d| panic!("the fixture should build:\n{d}"));
        trees.push(tree(&site.path().join(format!("run{run}"))));
    }
    let siblings = trees[0]
        .keys()
        .filter(|p| p.ends_with(".br") || p.ends_with(".gz"))
        .count();
    assert!(siblings >= 40, "{siblings} siblings");
    assert_eq!(trees[0], trees[1]);
}
