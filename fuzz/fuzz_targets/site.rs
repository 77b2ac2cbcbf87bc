//! The whole build of a tiny generated site: the input, cut at 0xFF bytes, becomes the home page,
//! a page, a service file and the English UI strings of a two-language site with the default
//! theme. The build either succeeds or returns located errors; it never panics or hangs.
#![no_main]

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;

const SITE_TOML: &str = r#"base_url = "https://example.org/"
default_language = "en"
[[languages]]
code = "en"
name = "English"
title = "Test"
menu = [{ title = "Home", link = "@/_index.md" }]
[[languages]]
code = "ru"
name = "Русский"
title = "Тест"
"#;

const AGENCY: &str = r#"id = "agency"
name = { en = "Agency" }
"#;

static SITE: LazyLock<tempfile::TempDir> = LazyLock::new(|| {
    let dir = tempfile::tempdir().unwrap();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    copy_dir(&repo.join("themes/default"), &dir.path().join("themes/default"));
    fs::write(dir.path().join("site.toml"), SITE_TOML).unwrap();
    for folder in ["content/en/stay", "content/ru", "content/services", "content/agencies", "i18n"] {
        fs::create_dir_all(dir.path().join(folder)).unwrap();
    }
    fs::write(dir.path().join("content/agencies/agency.toml"), AGENCY).unwrap();
    fs::write(dir.path().join("content/ru/_index.md"), "+++\ntitle = \"Дом\"\n+++\n").unwrap();
    dir
});

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let root: PathBuf = SITE.path().to_path_buf();
    let files = [
        "content/en/_index.md",
        "content/en/stay/register.md",
        "content/services/service.toml",
        "i18n/en.ftl",
    ];
    let mut parts = data.split(|&b| b == 0xFF);
    for file in files {
        let path = root.join(file);
        match parts.next() {
            Some(part) => fs::write(&path, part).unwrap(),
            None => {
                let _ = fs::remove_file(&path);
            }
        }
    }
    let options = karvan::Options {
        root,
        threads: Some(1),
        today: Some(karvan::catalog::Date { year: 2026, month: 11, day: 30 }),
        ..karvan::Options::default()
    };
    match karvan::engine::build_in_memory(&options) {
        Ok((output, _)) => {
            for path in output.files.keys() {
                assert!(
                    !path.starts_with('/') && !path.split('/').any(|c| c == ".." || c.is_empty()),
                    "{path:?}"
                );
            }
        }
        Err(diagnostics) => {
            assert!(diagnostics.has_errors());
            let _ = diagnostics.to_string();
        }
    }
});
