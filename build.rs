//! 1. Puts the commit into `karvan --version`: `0.1.0 (3f9a1c2 2026-11-30)`. Outside a git
//!    clone (a source archive, a vendored crate) or without git, the version alone.
//! 2. Lists the default theme's files for `karvan init`, which writes them into a new site.

use std::path::Path;
use std::process::Command;

fn main() {
    embed_theme();
    let version = std::env::var("CARGO_PKG_VERSION").unwrap_or_default();
    let git = |args: &[&str]| {
        Command::new("git")
            .args(args)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .and_then(|o| String::from_utf8(o.stdout).ok())
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    };
    let commit = git(&["rev-parse", "--short=9", "HEAD"]);
    let date = git(&["log", "-1", "--format=%cs"]);
    let full = match (commit, date) {
        (Some(commit), Some(date)) => format!("{version} ({commit} {date})"),
        (Some(commit), None) => format!("{version} ({commit})"),
        _ => version,
    };
    println!("cargo:rustc-env=KARVAN_VERSION={full}");
    // Rebuild when HEAD moves: .git/HEAD and the branch it names (in a worktree, .git is a file).
    // A path that does not exist would make cargo run this script on every build.
    let watch = |path: Option<String>| {
        if let Some(path) = path.filter(|p| std::path::Path::new(p).exists()) {
            println!("cargo:rerun-if-changed={path}");
        }
    };
    watch(git(&["rev-parse", "--git-path", "HEAD"]));
    if let Some(reference) = git(&["symbolic-ref", "-q", "HEAD"]) {
        watch(git(&["rev-parse", "--git-path", &reference]));
    }
    println!("cargo:rerun-if-changed=build.rs");
}

/// Writes `$OUT_DIR/theme.rs`: `THEME`, every file of themes/default as (path, bytes).
fn embed_theme() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
    let mut files = Vec::new();
    let mut folders = vec![root.clone()];
    while let Some(folder) = folders.pop() {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        // Each folder too: a file added to a subfolder changes that folder, not the theme's.
        println!("cargo:rerun-if-changed={}", folder.display());
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                folders.push(path);
            } else if let Ok(rel) = path.strip_prefix(&root) {
                let rel = rel.to_string_lossy().replace('\\', "/");
                files.push((rel, path.clone()));
            }
        }
    }
    files.sort();
    let mut code = String::from(
        "/// The default theme's files: (path under themes/default/, bytes).\npub const THEME: &[(&str, &[u8])] = &[\n",
    );
    for (rel, path) in &files {
        code.push_str(&format!(
            "    ({rel:?}, include_bytes!({:?})),\n",
            path.display().to_string()
        ));
    }
    code.push_str("];\n");
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    std::fs::write(Path::new(&out).join("theme.rs"), code).expect("OUT_DIR is writable");
    for (_, path) in &files {
        println!("cargo:rerun-if-changed={}", path.display());
    }
}
