//! `karvan new page|service|agency` and `karvan init`: what they write builds once its
//! placeholders are filled, and nothing is overwritten.

mod common;

use std::path::Path;
use std::process::Command;

fn karvan(args: &[&str]) -> (i32, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_karvan"))
        .args(args)
        .output()
        .unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

/// Replaces every `TODO...` placeholder of `file` with `with`, and publishes drafts.
fn fill(file: &Path, placeholder: &str, with: &str) {
    let text = std::fs::read_to_string(file).unwrap();
    let text = text
        .replace(placeholder, with)
        .replace("draft = true", "draft = false");
    std::fs::write(file, text).unwrap();
}

/// The text of every `"TODO: ..."` placeholder replaced by a word.
fn fill_texts(file: &Path) {
    let text = std::fs::read_to_string(file).unwrap();
    let mut out = String::new();
    let mut rest = text.as_str();
    while let Some(at) = rest.find("\"TODO: ") {
        out.push_str(&rest[..at]);
        let end = rest[at + 1..].find('"').unwrap() + at + 2;
        out.push_str("\"Filled in\"");
        rest = &rest[end..];
    }
    out.push_str(rest);
    std::fs::write(file, out.replace("TODO: the text", "The text")).unwrap();
}

#[test]
fn new_page_writes_every_language_and_builds_once_filled() {
    let site = common::fixture("no-original");
    let root = site.path().to_str().unwrap();
    let (code, stderr) = karvan(&["new", "page", "stay/register", "--root", root]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stderr,
        "created content/az/stay/register.md\ncreated content/en/stay/register.md\ncreated content/ru/stay/register.md\n"
    );
    let az = std::fs::read_to_string(site.path().join("content/az/stay/register.md")).unwrap();
    assert!(az.contains("key = \"stay/register\""), "{az}");
    assert!(az.contains("slug = \"register\""), "{az}");
    // As written, drafts: nothing is published.
    let (output, _) = common::build_at(site.path());
    assert!(!output.files.contains_key("az/stay/register/index.html"));
    for lang in ["az", "en", "ru"] {
        let file = site.path().join(format!("content/{lang}/stay/register.md"));
        fill_texts(&file);
        fill(
            &file,
            "slug = \"register\"",
            &format!("slug = \"register-{lang}\""),
        );
    }
    let (output, report) = common::build_at(site.path());
    for lang in ["az", "en", "ru"] {
        let page = common::page(&output, &format!("{lang}/stay/register-{lang}/index.html"));
        assert!(page.contains("Filled in"), "{page}");
    }
    assert!(
        report
            .languages
            .iter()
            .all(|l| !l.untranslated.iter().any(|p| p.contains("register"))),
        "the three files are translations of each other"
    );

    let (code, stderr) = karvan(&["new", "page", "stay/register", "--root", root]);
    assert_eq!(code, 1);
    assert!(
        stderr.starts_with(
            "error: content/az/stay/register.md exists already; nothing was written\n"
        ),
        "{stderr}"
    );
    let after = std::fs::read_to_string(site.path().join("content/az/stay/register.md")).unwrap();
    assert!(after.contains("Filled in"), "not overwritten");

    // A section: its key is the file's default one, so an existing translation keeps matching.
    let (code, stderr) = karvan(&["new", "page", "stay/_index", "--root", root]);
    assert_eq!(code, 0, "{stderr}");
    let ru = std::fs::read_to_string(site.path().join("content/ru/stay/_index.md")).unwrap();
    assert!(ru.contains("key = \"stay/_index\"\n"), "{ru}");
    assert!(ru.contains("slug = \"stay\"\n"), "{ru}");
}

#[test]
fn new_service_and_agency_build_once_filled() {
    let site = common::fixture("services");
    let root = site.path().to_str().unwrap();
    let (code, stderr) = karvan(&["new", "agency", "migration", "--root", root]);
    assert_eq!(code, 0, "{stderr}");
    let (code, stderr) = karvan(&["new", "service", "work-permit", "--root", root]);
    assert_eq!(code, 0, "{stderr}");
    let service = site.path().join("content/services/work-permit.toml");
    let text = std::fs::read_to_string(&service).unwrap();
    assert!(
        text.contains("agency-a, agency-b, migration"),
        "the agencies to choose from: {text}"
    );
    fill_texts(&service);
    fill(&service, "TODO-agency-id", "migration");
    fill(
        &service,
        "https://TODO.example.az",
        "https://migration.example.az",
    );
    let agency = site.path().join("content/agencies/migration.toml");
    fill_texts(&agency);
    fill(
        &agency,
        "https://TODO.example.az",
        "https://migration.example.az",
    );
    let (output, report) = common::build_at(site.path());
    let page = common::page(&output, "en/services/work-permit/index.html");
    assert!(page.contains("Filled in"), "{page}");
    assert!(
        output
            .files
            .contains_key("ru/vedomstva/migration/index.html")
    );
    assert!(
        !report
            .warnings
            .0
            .iter()
            .any(|w| w.path.as_deref() == Some(Path::new("content/services/work-permit.toml"))),
        "{}",
        report.warnings
    );

    let (code, stderr) = karvan(&["new", "service", "work-permit", "--root", root]);
    assert_eq!(code, 1, "{stderr}");
    let (code, stderr) = karvan(&["new", "service", "Work Permit", "--root", root]);
    assert_eq!(code, 1);
    assert!(
        stderr.starts_with("error: `Work Permit` cannot be an id"),
        "{stderr}"
    );
}

#[test]
fn init_writes_a_site_that_builds_once_filled() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("portal");
    let (code, stderr) = karvan(&["init", site.to_str().unwrap(), "--languages", "az,en,ru"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("created site.toml\n"), "{stderr}");
    for file in [
        "site.toml",
        "content/az/_index.md",
        "content/ru/_index.md",
        "i18n/en.ftl",
    ] {
        fill_texts(&site.join(file));
    }
    fill(
        &site.join("site.toml"),
        "https://TODO.example.org/",
        "https://example.org/",
    );
    let (output, report) = common::build_at(&site);
    for lang in ["az", "en", "ru"] {
        assert!(common::page(&output, &format!("{lang}/index.html")).contains("Filled in"));
    }
    assert!(report.warnings.is_empty(), "{}", report.warnings);
    let config = std::fs::read_to_string(site.join("site.toml")).unwrap();
    assert!(config.contains("default_language = \"az\""), "{config}");
    assert!(config.contains("name = \"Русский\""), "{config}");

    let (code, stderr) = karvan(&["init", site.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("is not empty; nothing was written"),
        "{stderr}"
    );
}
