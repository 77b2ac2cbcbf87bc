//! Writing the output folder: only what changed, the rest untouched, atomically even when the
//! build is killed.

#![cfg(unix)]

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use karvan::output::compress::Precompress;
use karvan::output::write::manifest::{self, Manifest, Stamp};
use karvan::output::write::{MARKER, Written, check_output_dir, write_atomically};

/// Every file under `dir` but the marker: path → bytes.
fn contents(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    files_under(dir)
        .into_iter()
        .filter(|path| path != MARKER)
        .map(|path| {
            let bytes = fs::read(dir.join(&path)).unwrap();
            (path, bytes)
        })
        .collect()
}

/// Every file under `dir`, marker included: path → (inode, modification time).
fn identities(dir: &Path) -> BTreeMap<String, (u64, Stamp)> {
    files_under(dir)
        .into_iter()
        .map(|path| {
            let metadata = fs::metadata(dir.join(&path)).unwrap();
            (
                path,
                (metadata.ino(), Stamp::from(metadata.modified().unwrap())),
            )
        })
        .collect()
}

/// The `/`-separated paths of the files under `dir`, folders left out.
fn files_under(dir: &Path) -> Vec<String> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(Result::unwrap)
        .filter(|entry| !entry.file_type().is_dir())
        .map(|entry| {
            let rel = entry.path().strip_prefix(dir).unwrap();
            rel.to_str().unwrap().replace('\\', "/")
        })
        .collect()
}

/// The manifest in `dir`'s marker, checked against the files there: the same set, and each
/// file's hash, size and modification time as listed.
fn consistent_manifest(dir: &Path) -> Manifest {
    checked_contents(dir).0
}

/// The files in `dir` (as [`contents`]) and the manifest, checked against them.
fn checked_contents(dir: &Path) -> (Manifest, BTreeMap<String, Vec<u8>>) {
    let marker = fs::read_to_string(dir.join(MARKER)).unwrap();
    let manifest = Manifest::parse(&marker).expect("the marker holds a whole manifest");
    let files = contents(dir);
    assert!(
        manifest.files.keys().eq(files.keys()),
        "the manifest lists the files there"
    );
    for (path, entry) in &manifest.files {
        let bytes = &files[path];
        assert_eq!(manifest::hash(bytes), entry.hash, "{path}");
        assert_eq!(bytes.len() as u64, entry.size, "{path}");
        let modified = fs::metadata(dir.join(path)).unwrap().modified().unwrap();
        assert_eq!(Stamp::from(modified), entry.modified, "{path}");
    }
    (manifest, files)
}

fn write(out: &Path, files: &BTreeMap<String, Vec<u8>>) -> Written {
    write_atomically(
        out,
        files.iter().map(|(p, b)| (p.as_str(), &b[..])),
        Precompress::new(false),
    )
    .unwrap()
}

fn site_files(list: &[(&str, &str)]) -> BTreeMap<String, Vec<u8>> {
    list.iter()
        .map(|(p, b)| (p.to_string(), b.as_bytes().to_vec()))
        .collect()
}

/// Lets the clock move on, so that a file written again would get another modification time.
fn tick() {
    std::thread::sleep(Duration::from_millis(30));
}

/// The names in `dir`, sorted.
fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_rebuild_writes_only_what_changed_and_equals_a_fresh_write() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let first = site_files(&[
        ("index.html", "home"),
        ("en/index.html", "english"),
        ("en/stay/index.html", "stay"),
        ("en/gone/index.html", "soon gone"),
        ("style.1234abcd.css", "body{}"),
    ]);
    let written = write(&out, &first);
    assert_eq!(written.written, 5);
    let before = identities(&out);
    tick();

    let mut second = first.clone();
    second.insert("en/stay/index.html".into(), b"stay, updated".to_vec());
    second.remove("en/gone/index.html");
    second.insert("en/new/index.html".into(), b"new".to_vec());
    let written = write(&out, &second);
    assert_eq!(
        written,
        Written {
            written: 2,
            kept: 3,
            removed: 1,
            replaced: true
        }
    );

    let after = identities(&out);
    for path in ["index.html", "en/index.html", "style.1234abcd.css"] {
        assert_eq!(after[path], before[path], "{path} is untouched");
    }
    assert_ne!(after["en/stay/index.html"], before["en/stay/index.html"]);
    assert_eq!(contents(&out), second);
    assert!(
        !out.join("en/gone").exists(),
        "a removed page's folder goes"
    );

    let manifest = consistent_manifest(&out);
    assert_eq!(
        manifest.files.keys().collect::<Vec<_>>(),
        second.keys().collect::<Vec<_>>()
    );

    let fresh = dir.path().join("fresh");
    write(&fresh, &second);
    assert_eq!(contents(&fresh), contents(&out));
    assert_eq!(files_under(&fresh), files_under(&out));
    assert_eq!(
        names_in(dir.path()),
        ["fresh", "public"],
        "nothing left beside"
    );
}

#[test]
fn a_file_modified_by_hand_since_the_last_build_is_rewritten() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let files = site_files(&[("a.html", "aaaa"), ("b.html", "bbbb"), ("c.html", "cccc")]);
    write(&out, &files);
    tick();
    // Same size, other bytes; and the same bytes, touched.
    fs::write(out.join("a.html"), "AAAA").unwrap();
    fs::write(out.join("b.html"), "bbbb").unwrap();
    let c_before = identities(&out)["c.html"];

    let written = write(&out, &files);
    assert_eq!((written.written, written.kept), (2, 1), "{written:?}");
    assert_eq!(contents(&out), files);
    assert_eq!(identities(&out)["c.html"], c_before);
    consistent_manifest(&out);
}

#[test]
fn a_write_with_nothing_changed_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let files = site_files(&[
        ("index.html", "home"),
        ("en/index.html", "english"),
        ("en/stay/index.html", "stay"),
    ]);
    write(&out, &files);
    let before = identities(&out);
    let folder_before = fs::metadata(&out).unwrap().ino();
    tick();

    let written = write(&out, &files);
    assert_eq!(
        written,
        Written {
            written: 0,
            kept: 3,
            removed: 0,
            replaced: false
        }
    );
    assert_eq!(identities(&out), before, "files and marker untouched");
    assert_eq!(fs::metadata(&out).unwrap().ino(), folder_before);
    assert_eq!(names_in(dir.path()), ["public"]);
}

#[test]
fn a_non_empty_folder_without_the_marker_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    fs::create_dir(&out).unwrap();
    fs::write(out.join("thesis.docx"), "precious").unwrap();
    let err = check_output_dir(&out, dir.path()).unwrap_err();
    assert!(
        err.message
            .ends_with("it is not empty and was not written by karvan"),
        "{}",
        err.message
    );
    // The write refuses too, whoever calls it.
    let err = write_atomically(
        &out,
        [("index.html", &b"home"[..])],
        Precompress::new(false),
    )
    .unwrap_err();
    assert!(
        err.message
            .ends_with("it is not empty and was not written by karvan"),
        "{}",
        err.message
    );
    assert_eq!(names_in(&out), ["thesis.docx"]);
    assert_eq!(names_in(dir.path()), ["public"]);
}

#[test]
fn an_older_marker_without_a_manifest_means_everything_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    fs::create_dir_all(out.join("en")).unwrap();
    fs::write(
        out.join(MARKER),
        "This folder is written by karvan. Every build replaces it whole: do not keep files here.\n",
    )
    .unwrap();
    fs::write(out.join("en/index.html"), "english").unwrap();
    fs::write(out.join("old.html"), "old").unwrap();
    let before = identities(&out);

    let files = site_files(&[("en/index.html", "english")]);
    let written = write(&out, &files);
    assert_eq!((written.written, written.kept), (1, 0));
    assert_ne!(identities(&out)["en/index.html"], before["en/index.html"]);
    assert_eq!(contents(&out), files);
    consistent_manifest(&out);
}

#[test]
fn what_a_killed_build_left_beside_the_output_is_removed_by_the_next() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let files = site_files(&[("index.html", "home")]);
    write(&out, &files);
    let staging = dir.path().join(".public.karvan-new-99999");
    fs::create_dir_all(staging.join("en")).unwrap();
    fs::write(staging.join(MARKER), "This folder is written by karvan.\n").unwrap();
    fs::write(staging.join("en/index.html"), "half").unwrap();
    let empty = dir.path().join(".public.karvan-new-99998");
    fs::create_dir(&empty).unwrap();
    let old = dir.path().join(".public.karvan-old-99997");
    fs::create_dir(&old).unwrap();
    fs::write(old.join(MARKER), "").unwrap();
    let lock = dir.path().join(".public.karvan-lock");
    fs::write(&lock, "").unwrap();

    // Even a build with nothing to write cleans up.
    let written = write(&out, &files);
    assert!(!written.replaced);
    assert_eq!(names_in(dir.path()), ["public"]);
}

#[test]
fn builds_into_the_same_output_at_once_take_turns() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let versions: Vec<BTreeMap<String, Vec<u8>>> = (0..4)
        .map(|v| {
            (0..300)
                .map(|i| {
                    let text = if i % 7 == v {
                        format!("{i} of {v}")
                    } else {
                        i.to_string()
                    };
                    (format!("p{}/{i}.html", i % 10), text.into_bytes())
                })
                .collect()
        })
        .collect();
    std::thread::scope(|scope| {
        for version in &versions {
            for _ in 0..3 {
                scope.spawn(|| write(&out, version));
            }
        }
    });
    let last = contents(&out);
    assert!(versions.contains(&last), "the output is one of the builds");
    consistent_manifest(&out);
    assert_eq!(names_in(dir.path()), ["public"]);
}

// The kill test: a real build (the karvan binary) of a site with thousands of files, killed at
// random moments while it writes the files that changed; after every kill the output must be
// the previous site or the new one, whole.

/// A site: a few pages and `files` static files, of which those with `i % 10 == variant` (and
/// one in 50 more, which this variant has and the other not) differ between variants.
fn kill_test_site(root: &Path, files: usize, variant: usize) {
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    common::copy_dir(&repo.join("themes/default"), &root.join("themes/default"));
    fs::write(
        root.join("site.toml"),
        "base_url = \"https://example.org/\"\ndefault_language = \"en\"\n\n[[languages]]\ncode = \"en\"\nname = \"English\"\ntitle = \"Kill test\"\n\n[build]\nprecompress = false\n",
    )
    .unwrap();
    let content = root.join("content/en");
    fs::create_dir_all(&content).unwrap();
    fs::write(
        content.join("_index.md"),
        "+++\ntitle = \"Home\"\n+++\nHome.\n",
    )
    .unwrap();
    for page in 0..5 {
        fs::write(
            content.join(format!("page-{page}.md")),
            format!("+++\ntitle = \"Page {page}\"\n+++\nVariant {variant}.\n"),
        )
        .unwrap();
    }
    let filler = "All work and no play makes a static site. ".repeat(8);
    for i in 0..files {
        let only_in_other = i % 50 == 7 && variant == 0 || i % 50 == 17 && variant == 1;
        if only_in_other {
            continue;
        }
        let folder = root.join(format!("static/data/{:03}", i / 50));
        fs::create_dir_all(&folder).unwrap();
        let changed = if i % 10 == 3 { variant } else { 0 };
        fs::write(
            folder.join(format!("{i}.txt")),
            format!("{i} {changed}\n{filler}"),
        )
        .unwrap();
    }
}

fn spawn_build(root: &Path, out: &Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_karvan"))
        .args(["build", "--root"])
        .arg(root)
        .arg("--output")
        .arg(out)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn build(root: &Path, out: &Path) {
    let result = spawn_build(root, out).wait_with_output().unwrap();
    assert!(
        result.status.success(),
        "the build of {} failed:\n{}",
        root.display(),
        String::from_utf8_lossy(&result.stderr)
    );
}

/// A small, seedable pseudo-random sequence (xorshift64*), enough to spread kills.
struct Random(u64);

impl Random {
    fn below(&mut self, bound: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) % bound.max(1)
    }
}

/// The staging folder of the build with process id `pid`, writing into `parent/out`.
fn staging_of(parent: &Path, pid: u32) -> PathBuf {
    parent.join(format!(".out.karvan-new-{pid}"))
}

/// Waits until `ready` (checked every 100 µs) or the child has exited.
fn wait_for(child: &mut Child, ready: impl Fn() -> bool) {
    let started = Instant::now();
    while !ready() && child.try_wait().unwrap().is_none() {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "the build seems stuck"
        );
        std::thread::sleep(Duration::from_micros(100));
    }
}

/// The inode of the marker in `out`: it changes when a build swaps its output in.
fn marker_inode(out: &Path) -> Option<u64> {
    fs::metadata(out.join(MARKER)).ok().map(|m| m.ino())
}

/// Runs a build of `root` into `out` and times it: from the start to the staging folder's
/// appearance, to the swap, and to the end.
fn timed_build(root: &Path, out: &Path) -> [Duration; 3] {
    let parent = out.parent().unwrap();
    let marker = marker_inode(out);
    let started = Instant::now();
    let mut child = spawn_build(root, out);
    let staging = staging_of(parent, child.id());
    let (mut staged, mut swapped) = (None, None);
    loop {
        if staged.is_none() && staging.exists() {
            staged = Some(started.elapsed());
        }
        if swapped.is_none() && marker_inode(out) != marker {
            swapped = Some(started.elapsed());
        }
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success());
            let ended = started.elapsed();
            return [staged.unwrap_or(ended), swapped.unwrap_or(ended), ended];
        }
        std::thread::sleep(Duration::from_micros(100));
    }
}

#[test]
fn a_build_killed_at_random_moments_leaves_the_previous_site_or_the_new_one_whole() {
    const FILES: usize = 3000;
    const KILLS: usize = 40;
    let dir = tempfile::tempdir().unwrap();
    let sites = [dir.path().join("a"), dir.path().join("b")];
    for (variant, root) in sites.iter().enumerate() {
        kill_test_site(root, FILES, variant);
    }
    // The two sites as a clean build writes them.
    let expected: Vec<BTreeMap<String, Vec<u8>>> = sites
        .iter()
        .enumerate()
        .map(|(i, root)| {
            let clean = dir.path().join(format!("clean-{i}"));
            build(root, &clean);
            contents(&clean)
        })
        .collect();
    let differing = expected[0]
        .iter()
        .filter(|(path, bytes)| expected[1].get(*path) != Some(bytes))
        .count();
    assert!(differing > FILES / 20, "{differing} files differ");

    let parent = dir.path().join("target");
    fs::create_dir(&parent).unwrap();
    let out = parent.join("out");
    build(&sites[0], &out);
    // Calibrate, as the kills will find it: a build that follows a killed one (whose leftovers
    // it removes first). On the median of three: the machine may be busy.
    let runs: Vec<[Duration; 3]> = [0, 1, 0]
        .into_iter()
        .map(|site| {
            let mut child = spawn_build(&sites[site], &out);
            let staging = staging_of(&parent, child.id());
            wait_for(&mut child, || staging.exists());
            child.kill().unwrap();
            child.wait().unwrap();
            timed_build(&sites[site], &out)
        })
        .collect();
    let median = |i: usize| {
        let mut times: Vec<Duration> = runs.iter().map(|run| run[i]).collect();
        times.sort();
        times[1]
    };
    let (to_staging, to_swap, to_end) = (median(0), median(1), median(2));
    let filling = to_swap
        .saturating_sub(to_staging)
        .max(Duration::from_millis(5));
    let removing = to_end.saturating_sub(to_swap).max(Duration::from_millis(5));

    let seed = std::env::var("KARVAN_KILL_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
                | 1
        });
    eprintln!(
        "kill test: seed {seed} (KARVAN_KILL_SEED to repeat); a build starts writing at {to_staging:?}, swaps at {to_swap:?}, ends at {to_end:?}"
    );
    let mut random = Random(seed);
    let mut current = 1;
    // Kills that found: the previous site (while writing the staging folder), the new one
    // (while removing the previous output), the build already gone.
    let (mut previous, mut mid_write, mut new, mut mid_removal, mut exited_first) = (0, 0, 0, 0, 0);
    for kill in 0..KILLS {
        let target = 1 - current;
        let mut child = spawn_build(&sites[target], &out);
        let staging = staging_of(&parent, child.id());
        // A kill in four anywhere in the build, two while it fills the staging folder, one
        // once it has swapped its output in (while it removes the previous one, or later).
        let delay = match kill % 4 {
            0 => random.below(to_end.as_micros() as u64),
            1 | 2 => {
                wait_for(&mut child, || staging.exists());
                random.below(filling.as_micros() as u64)
            }
            _ => {
                let marker = marker_inode(&out);
                wait_for(&mut child, || marker_inode(&out) != marker);
                random.below(removing.as_micros() as u64)
            }
        };
        std::thread::sleep(Duration::from_micros(delay));
        let exited = child.try_wait().unwrap();
        child.kill().unwrap();
        let result = child.wait_with_output().unwrap();
        if let Some(status) = exited {
            assert!(
                status.success(),
                "kill {kill}: the build failed:\n{}",
                String::from_utf8_lossy(&result.stderr)
            );
        }
        // Still there after the kill: killed while filling it or, once it has been swapped
        // with the output, while removing the previous output from it.
        let writing = staging.exists();
        assert!(out.is_dir(), "kill {kill} (seed {seed}): no output folder");

        let (_, now) = checked_contents(&out);
        let is = expected
            .iter()
            .position(|site| *site == now)
            .unwrap_or_else(|| {
                let mixed = now
                    .iter()
                    .filter(|(path, bytes)| expected[current].get(*path) != Some(bytes))
                    .take(5)
                    .map(|(path, _)| path)
                    .collect::<Vec<_>>();
                panic!(
                    "kill {kill} (seed {seed}): the output is neither site, e.g. {mixed:?} differ from the previous one"
                )
            });
        if is == target {
            new += 1;
            mid_removal += usize::from(writing);
        } else {
            previous += 1;
            mid_write += usize::from(writing);
        }
        exited_first += usize::from(exited.is_some());
        current = is;
    }
    eprintln!(
        "kill test: {KILLS} kills: {previous} found the previous site ({mid_write} killed while filling the staging folder), {new} the new one ({mid_removal} while removing the previous output); {exited_first} came after the build had exited"
    );

    // The next build succeeds and leaves nothing beside the output.
    build(&sites[1 - current], &out);
    assert_eq!(checked_contents(&out).1, expected[1 - current]);
    assert_eq!(names_in(&parent), ["out"]);
}

/// The writing stage alone, measured on a site of 15,000 pages of 10 KB (150 MB), each in
/// its own folder: the first write, a write with nothing changed, one with one page changed,
/// and writing everything into a staging folder and swapping it in, as karvan did before. It
/// prints the times and asserts nothing; run it with
/// `cargo test --release --test write -- --ignored --nocapture`.
#[test]
#[ignore = "a measurement, not a test"]
fn measures_writes_of_a_large_site() {
    let pages = 15_000;
    let files: BTreeMap<String, Vec<u8>> = (0..pages)
        .map(|i| {
            let mut bytes = format!("<!DOCTYPE html><title>Page {i}</title>").into_bytes();
            bytes.resize(10_000, b'x' + (i % 3) as u8);
            (format!("en/section-{}/page-{i}/index.html", i % 50), bytes)
        })
        .collect();
    // KARVAN_BENCH_DIR=/dev/shm leaves the disk out and measures the work alone.
    let dir = match std::env::var_os("KARVAN_BENCH_DIR") {
        Some(dir) => tempfile::tempdir_in(dir).unwrap(),
        None => tempfile::tempdir().unwrap(),
    };
    // Each run starts with the disk's caches flushed; the time to flush what the run wrote
    // (`sync` after it) is shown beside the run's own.
    let sync = || {
        let started = Instant::now();
        Command::new("sync").status().unwrap();
        started.elapsed()
    };
    let time = |what: &str, setup: &mut dyn FnMut(), run: &mut dyn FnMut()| {
        let mut runs: Vec<(Duration, Duration)> = (0..3)
            .map(|_| {
                setup();
                sync();
                let started = Instant::now();
                run();
                (started.elapsed(), sync())
            })
            .collect();
        runs.sort();
        eprintln!(
            "{what}: median {:?}, then sync {:?} (runs {runs:?})",
            runs[1].0, runs[1].1
        );
    };

    let out = dir.path().join("public");
    write_everything(&out, &files);
    time("write everything the old way", &mut || {}, &mut || {
        write_everything(&out, &files)
    });
    time(
        "first write into an empty folder",
        &mut || {
            let _ = fs::remove_dir_all(&out);
        },
        &mut || {
            write(&out, &files);
        },
    );
    time("nothing changed", &mut || {}, &mut || {
        assert!(!write(&out, &files).replaced);
    });
    let mut round = 0u8;
    let changed = std::cell::RefCell::new(files);
    time(
        "one page changed",
        &mut || {
            round += 1;
            changed
                .borrow_mut()
                .get_mut("en/section-7/page-7/index.html")
                .unwrap()[0] = round;
        },
        &mut || {
            let written = write(&out, &changed.borrow());
            assert_eq!((written.written, written.kept), (1, pages - 1));
        },
    );
}

/// What karvan did before: write everything into a staging folder, swap it in with two renames,
/// remove the previous output.
fn write_everything(out: &Path, files: &BTreeMap<String, Vec<u8>>) {
    use rayon::prelude::*;
    let staging = out.with_file_name("staging");
    let old = out.with_file_name("old");
    fs::create_dir(&staging).unwrap();
    let folders: std::collections::BTreeSet<&str> = files
        .keys()
        .filter_map(|path| path.rsplit_once('/').map(|(dir, _)| dir))
        .collect();
    for folder in folders {
        fs::create_dir_all(staging.join(folder)).unwrap();
    }
    files
        .par_iter()
        .for_each(|(path, bytes)| fs::write(staging.join(path), bytes).unwrap());
    if out.exists() {
        fs::rename(out, &old).unwrap();
        fs::rename(&staging, out).unwrap();
        fs::remove_dir_all(&old).unwrap();
    } else {
        fs::rename(&staging, out).unwrap();
    }
}
