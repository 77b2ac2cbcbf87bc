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
    insta::assert_snapshot!(stdout);
}

#[test]
fn strict_fails_on_the_gaps_after_printing_the_report() {
    let site = common::fixture("translation-gaps");
    let (code, stdout, stderr) = check(site.path(), &["--translations", "--strict"]);
    assert_eq!(code, 1);
    assert!(stdout.starts_with("language  pages"), "{stdout}");
    assert!(stderr.contains("error: content/ru/page.md may be out of date: content/az/page.md was updated on 2026-11-20, the translation on 2026-10-01\n"), "{stderr}");
    assert!(stderr.ends_with("6 errors, 0 warnings\n"), "{stderr}");
}

#[test]
fn the_report_is_available_as_json_and_html() {
    let site = common::fixture("translation-gaps");
    let (_, json, _) = check(site.path(), &["--translations", "--format", "json"]);
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    let ru = &value["languages"][2];
    assert_eq!(ru["code"], "ru");
    assert_eq!(ru["coverage"], 66);
    let todo = ru["todo"].as_array().unwrap();
    assert_eq!(todo.len(), 4);
    let keys = |entry: &serde_json::Value| -> Vec<String> {
        entry.as_object().unwrap().keys().cloned().collect()
    };
    for entry in todo {
        assert_eq!(
            keys(entry),
            keys(&todo[0]),
            "every entry has the same fields"
        );
    }
    assert_eq!(todo[1]["kind"], "stale");
    assert_eq!(
        todo[1]["detail"],
        "original updated 2026-11-20, translation 2026-10-01"
    );
    assert_eq!(todo[1]["file"], "content/ru/page.md");
    assert_eq!(todo[1]["url"], "/ru/page/");
    let (_, html, _) = check(
        site.path(),
        &["--translations", "--format", "html", "--lang", "ru"],
    );
    assert!(
        html.starts_with("<!DOCTYPE html>\n<html lang=\"ru\">"),
        "{html}"
    );
    assert!(html.contains("<h1>Отчёт о переводах</h1>"), "{html}");
    assert!(
        html.contains("<a href=\"https://example.org/ru/page/\">Страница</a>"),
        "{html}"
    );
    let (_, html, _) = check(site.path(), &["--translations", "--format", "html"]);
    assert!(
        html.contains("<h1>Tərcümə hesabatı</h1>"),
        "the default language: {html}"
    );
    assert!(!site.path().join("public").exists(), "check writes nothing");
}

#[test]
fn usage_errors_exit_with_2() {
    let (code, _, stderr) = check(std::path::Path::new("."), &["--format", "json"]);
    assert_eq!(code, 2, "{stderr}");
}
