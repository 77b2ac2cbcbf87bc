//! `karvan check --translations`: the report of a site with every kind of gap, in its three
//! formats, and `--strict` failing on it.

mod common;

use std::process::Command;

fn check(site: &std::path::Path, args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_karvan"))
        .arg("check")
        .arg("--root")
        .arg(site)
        .args(args)
        .output()
        .unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

#[test]
fn the_report_lists_every_kind_of_gap() {
    let site = common::fixture("translation-gaps");
    let (code, stdout, _) = check(site.path(), &["--translations"]);
    assert_eq!(code, 0, "without --strict, gaps are warnings");
    assert_eq!(
        stdout,
        "language  pages  coverage  untranslated  stale  strings missing  strings unused    service texts
az            3      100%             0      0                0               1                0
en            3       66%             1      0                0               0                0
ru            3       66%             1      1                1               0                0

az:
  string unused  leftover

en:
  untranslated   content/az/only.md

ru:
  untranslated   content/az/only.md
  stale          content/ru/page.md (original updated 2026-11-20, translation 2026-10-01)
  string missing greeting
  plural missing i18n/ru.ftl:2:1 files
"
    );
}

#[test]
fn strict_fails_on_the_gaps_after_printing_the_report() {
    let site = common::fixture("translation-gaps");
    let (code, stdout, stderr) = check(site.path(), &["--translations", "--strict"]);
    assert_eq!(code, 1);
    assert!(stdout.starts_with("language  pages"), "{stdout}");
    assert!(stderr.contains("error: content/ru/page.md may be out of date: content/az/page.md was updated on 2026-11-20, the translation on 2026-10-01\n"), "{stderr}");
    assert!(
        stderr.ends_with("6 errors — nothing was written\n"),
        "{stderr}"
    );
}

#[test]
fn the_report_is_available_as_json_and_html() {
    let site = common::fixture("translation-gaps");
    let (_, json, _) = check(site.path(), &["--translations", "--format", "json"]);
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    let ru = &value["languages"][2];
    assert_eq!(ru["code"], "ru");
    assert_eq!(ru["coverage"], 66);
    assert_eq!(ru["stale"][0]["original_updated"], "2026-11-20");
    assert_eq!(ru["incomplete_plurals"][0], "i18n/ru.ftl:2:1 files");
    let (_, html, _) = check(site.path(), &["--translations", "--format", "html"]);
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<li>stale: <code>content/ru/page.md</code> (original updated 2026-11-20, translation 2026-10-01)</li>"));
    assert!(!site.path().join("public").exists(), "check writes nothing");
}

#[test]
fn usage_errors_exit_with_2() {
    let (code, _, stderr) = check(std::path::Path::new("."), &["--format", "json"]);
    assert_eq!(code, 2, "{stderr}");
}
