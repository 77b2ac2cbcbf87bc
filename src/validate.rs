//! One validation for every name the build writes: the URL segments editors choose (slugs,
//! section names, folders), the paths of the site they name (aliases, which become files and
//! lines of `_redirects`), and the paths of the output's files (which also become lines of
//! `_headers`). `check` runs it as `build` does, so what would fail to write fails the check.
//!
//! A name must survive as a file name on every system and host (Linux, macOS and Windows file
//! systems, case-insensitive or not) and as one field of a `_redirects` or `_headers` line.

use std::collections::{BTreeMap, HashMap};

/// The longest URL segment, in bytes: a file name holds 255, and precompressed siblings
/// (`.br`, `.gz`) and `index.html` need room.
pub const MAX_SEGMENT_BYTES: usize = 200;

/// Files karvan writes at the top of the output: no alias may take their place.
pub const RESERVED_TOP: &[&str] = &[
    "_headers",
    "_redirects",
    "robots.txt",
    "sitemap.xml",
    "404.html",
    "index.html",
];

/// Names Windows refuses for a file, whatever the extension.
const WINDOWS_RESERVED: &[&str] = &[
    "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8",
    "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];

/// Characters that are not allowed in a segment, besides spaces and control characters.
const FORBIDDEN: &str = "/\\?#\"<>|*:";

/// Checks one URL segment written by an editor (a slug, a section name, a folder name). The
/// error completes a sentence: "the slug \"x\" …".
pub fn segment(segment: &str) -> Result<(), String> {
    if segment.is_empty() {
        return Err("is empty".into());
    }
    if segment == "." || segment == ".." {
        return Err("cannot be . or ..".into());
    }
    if segment
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || FORBIDDEN.contains(c))
    {
        return Err("must not contain spaces or any of / \\ ? # \" < > | * :".into());
    }
    if segment.starts_with('.') {
        return Err("must not start with a dot: hosts hide such files".into());
    }
    if segment.ends_with('.') {
        return Err("must not end with a dot: Windows drops it".into());
    }
    if segment.len() > MAX_SEGMENT_BYTES {
        return Err(format!(
            "is {} bytes long; at most {MAX_SEGMENT_BYTES} fit a file name on every system",
            segment.len()
        ));
    }
    let stem = segment.split('.').next().unwrap_or(segment);
    if WINDOWS_RESERVED.contains(&stem.to_ascii_lowercase().as_str()) {
        return Err(
            "is a name Windows reserves for devices (CON, PRN, AUX, NUL, COM1-9, LPT1-9)".into(),
        );
    }
    Ok(())
}

/// Checks a path of the site written by an editor (an alias: `/en/old/page/`), which becomes a
/// folder or file of the output and a line of `_redirects`. The error completes a sentence.
pub fn site_path(path: &str) -> Result<(), String> {
    if !path.starts_with('/') {
        return Err("does not start with /".into());
    }
    if path.starts_with("//") || path.contains('\\') {
        return Err("is the address of another site, not a path on this one".into());
    }
    if path.contains('%') {
        return Err("holds %-escapes; write the characters themselves".into());
    }
    let parts: Vec<&str> = path[1..].split('/').collect();
    let last = parts.len() - 1;
    for (i, part) in parts.iter().enumerate() {
        if part.is_empty() && i == last {
            continue;
        }
        segment(part).map_err(|why| format!("has a part {part:?} that {why}"))?;
    }
    if parts.len() <= 2 && RESERVED_TOP.contains(&parts[0]) {
        return Err(format!("is {}, a file karvan writes itself", parts[0]));
    }
    if parts.iter().all(|p| p.is_empty()) {
        return Err("is the site's root".into());
    }
    Ok(())
}

/// The output file an alias becomes: `/en/old/` → `en/old/index.html`, `/old.html` → itself.
pub fn alias_file(path: &str) -> String {
    if path.ends_with(".html") {
        path.trim_start_matches('/').to_string()
    } else {
        format!("{}/index.html", path.trim_matches('/'))
    }
}

/// Checks the paths of every output file together: each is a relative path of valid file names
/// without control characters, no file is also a folder of another, and no two differ only in
/// case (they would overwrite each other on macOS and Windows, and on hosts that ignore case).
/// Returns one message per problem.
pub fn output_files<'a>(paths: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut problems = Vec::new();
    let paths: Vec<&str> = paths.into_iter().collect();
    let files: std::collections::BTreeSet<&str> = paths.iter().copied().collect();
    let mut folded: HashMap<String, &str> = HashMap::new();
    let mut folders: BTreeMap<&str, &str> = BTreeMap::new();
    for &path in &paths {
        let bad = path.is_empty()
            || path.starts_with('/')
            || path.split('/').any(|c| {
                c.is_empty()
                    || c == "."
                    || c == ".."
                    || c.len() > 255
                    || c.chars().any(|ch| ch.is_control() || ch == '\\')
            });
        if bad {
            problems.push(format!(
                "the output would have a file at {path:?}, which is not a valid path"
            ));
            continue;
        }
        if let Some(other) = folded.insert(path.to_lowercase(), path)
            && other != path
        {
            problems.push(format!(
                "the output would have both {other} and {path}, which differ only in case and overwrite each other on most hosts"
            ));
        }
        let mut end = 0;
        while let Some(i) = path[end..].find('/') {
            end += i;
            folders.entry(&path[..end]).or_insert(path);
            end += 1;
        }
    }
    for (folder, inside) in folders {
        if files.contains(folder) {
            problems.push(format!(
                "the output would have {folder} as a file and as the folder of {inside}"
            ));
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_must_be_file_names_everywhere() {
        for good in ["register", "şəhər", "a.b", "%", "100%", "x-1_y~"] {
            assert!(segment(good).is_ok(), "{good}");
        }
        for bad in [
            "", ".", "..", ".git", "a b", "a\nb", "a\tb", "a?b", "a#b", "a*b", "a:b", "CON", "aux",
            "Lpt1.txt", "a.", "a\u{1b}b",
        ] {
            assert!(segment(bad).is_err(), "{bad:?}");
        }
        assert!(
            segment(&"x".repeat(300))
                .unwrap_err()
                .starts_with("is 300 bytes long")
        );
    }

    #[test]
    fn an_alias_cannot_redirect_the_whole_site_or_take_a_reserved_file() {
        for good in ["/en/old/", "/old.html", "/az/köhnə/səhifə/", "/en/a"] {
            assert!(site_path(good).is_ok(), "{good}");
        }
        for bad in [
            "/old\n/*\thttps://evil.example/:splat\t301!\n/y",
            "/*",
            "/a/:splat",
            "//evil.example/",
            "/\\evil.example/",
            "/robots.txt",
            "/_headers",
            "/_redirects/",
            "/.karvan",
            "/",
            "en/x/",
            "/a/../b/",
            "/a%2F",
            "/a b/",
        ] {
            assert!(site_path(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn output_files_may_not_collide_by_case_or_as_file_and_folder() {
        let problems = output_files([
            "en/a/index.html",
            "en/A/index.html",
            "robots.txt",
            "robots.txt/index.html",
            "ok.html",
            "bad\n.html",
        ]);
        assert_eq!(problems.len(), 3, "{problems:?}");
        for expected in [
            "not a valid path",
            "differ only in case",
            "robots.txt as a file and as the folder",
        ] {
            assert!(
                problems.iter().any(|p| p.contains(expected)),
                "{expected}: {problems:?}"
            );
        }
    }
}
