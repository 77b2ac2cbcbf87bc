//! Translation gaps: a page with no original in the default language is published in its own
//! language, offered in the others as a fallback by the configured order, and reported; many
//! gaps are summarised per language and kind, every one with --verbose; site.toml chooses which
//! gaps are errors; the message formats and colour.

mod common;

use std::path::Path;
use std::process::Command;

/// Runs the binary with `args` in `site`; (exit code, stdout, stderr), the site's path replaced
/// by `SITE` so that snapshots hold.
fn karvan(site: &Path, args: &[&str], env: &[(&str, &str)]) -> (i32, String, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_karvan"));
    command.args(args).arg("--root").arg(site);
    command.env_remove("NO_COLOR").env_remove("CLICOLOR_FORCE");
    for (name, value) in env {
        command.env(name, value);
    }
    let output = command.output().unwrap();
    let clean = |bytes: Vec<u8>| {
        String::from_utf8(bytes)
            .unwrap()
            .replace(&site.display().to_string(), "SITE")
    };
    (
        output.status.code().unwrap(),
        clean(output.stdout),
        clean(output.stderr),
    )
}

#[test]
fn a_page_with_no_original_is_published_offered_as_a_fallback_and_reported() {
    let site = common::fixture("no-original");
    let (output, report) = common::build_at(site.path());
    let en = common::page(&output, "en/news/index.html");
    assert!(!en.contains("not yet translated"), "{en}");
    for lang in ["az", "ru"] {
        let page = common::page(&output, &format!("{lang}/news/index.html"));
        assert!(page.contains("Written in English first"), "{page}");
        assert!(page.contains("<article lang=en>"), "{page}");
        assert!(
            page.contains("<link href=https://example.org/en/news/ rel=canonical>"),
            "{page}"
        );
    }
    let az = &report.languages[0];
    assert_eq!(az.no_original, ["content/en/news.md"]);
    assert_eq!(az.todo[0].kind, "no-original");
    assert_eq!(az.todo[0].file, "content/az/news.md");
    assert_eq!(report.languages[2].untranslated, ["content/en/news.md"]);
    assert!(
        report
            .warnings
            .0
            .iter()
            .any(|w| w.message
                == "no original in az: content/en/news.md is shown in az untranslated"),
        "{}",
        report.warnings
    );
}

#[test]
fn the_fallback_order_of_site_toml_decides_which_translation_is_shown() {
    let site = common::fixture("no-original");
    common::write(
        site.path(),
        "content/ru/news.md",
        "+++\ntitle = \"Только что\"\n+++\nНаписано по-русски.\n",
    );
    let (output, _) = common::build_at(site.path());
    assert!(common::page(&output, "az/news/index.html").contains("Written in English first"));
    common::append(
        site.path(),
        "site.toml",
        "\n[fallback]\norder = [\"ru\", \"en\"]\n",
    );
    let (output, _) = common::build_at(site.path());
    assert!(common::page(&output, "az/news/index.html").contains("Написано по-русски"));
}

#[test]
fn site_toml_chooses_which_gaps_are_errors() {
    let site = common::fixture("no-original");
    common::append(
        site.path(),
        "site.toml",
        "\n[gaps]\nerrors = [\"no-original\"]\n",
    );
    let result = karvan::engine::build_in_memory(&common::options(site.path()));
    let Err(errors) = result else {
        panic!("a gap listed in [gaps] errors fails the build");
    };
    assert_eq!(errors.errors().count(), 1, "{errors}");
    assert!(
        errors.to_string().starts_with("error: no original in az"),
        "{errors}"
    );
    let text = std::fs::read_to_string(site.path().join("site.toml"))
        .unwrap()
        .replace("\"no-original\"", "\"no-originals\"");
    std::fs::write(site.path().join("site.toml"), text).unwrap();
    let errors = karvan::engine::build_in_memory(&common::options(site.path()))
        .err()
        .unwrap()
        .to_string();
    assert!(
        errors.contains("`no-originals` is not a kind of gap"),
        "{errors}"
    );
    assert!(errors.contains("did you mean \"no-original\"?"), "{errors}");
}

/// A site of three languages with `pages` pages in the default language only.
fn untranslated_site(pages: usize) -> tempfile::TempDir {
    let site = common::fixture("no-original");
    std::fs::remove_file(site.path().join("content/en/news.md")).unwrap();
    for i in 1..=pages {
        common::write(
            site.path(),
            &format!("content/az/p{i:02}.md"),
            &format!("+++\ntitle = \"Səhifə {i}\"\n+++\nMətn.\n"),
        );
    }
    site
}

#[test]
fn fifty_untranslated_pages_print_a_short_summary() {
    let site = untranslated_site(50);
    let (code, stdout, stderr) = karvan(site.path(), &["build"], &[]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, "");
    // The sizes change with the theme: not part of what is pinned.
    let stderr: Vec<String> = stderr
        .lines()
        .map(|l| match l.split_once(" files (") {
            Some(_) if l.starts_with("built ") => "built [files] into SITE/public".to_string(),
            _ => l.to_string(),
        })
        .collect();
    insta::assert_snapshot!(stderr.join("\n"));
}

#[test]
fn verbose_prints_every_gap_and_the_stage_timings() {
    let site = untranslated_site(50);
    let (code, _, stderr) = karvan(site.path(), &["build", "--verbose"], &[]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stderr.matches("warning: not translated into").count(), 100);
    assert!(stderr.contains("  time: config "), "{stderr}");
    let (_, _, quiet) = karvan(site.path(), &["build", "--quiet"], &[]);
    assert_eq!(quiet, "");
}

#[test]
fn errors_print_in_full_and_last_with_the_total() {
    let site = untranslated_site(5);
    common::write(
        site.path(),
        "content/az/broken.md",
        "+++\ntitle = \"Pozuq\"\n+++\n[link](@/nowhere.md)\n",
    );
    let (code, _, stderr) = karvan(site.path(), &["check", "--strict"], &[]);
    assert_eq!(code, 1);
    assert!(stderr.ends_with("1 error, 0 warnings\n"), "{stderr}");
    let (code, _, stderr) = karvan(site.path(), &["build"], &[]);
    assert_eq!(code, 1);
    insta::assert_snapshot!(stderr);
}

#[test]
fn json_and_github_formats_give_one_entry_per_diagnostic() {
    let site = common::fixture("translation-gaps");
    let (code, json, _) = karvan(site.path(), &["check", "--message-format", "json"], &[]);
    assert_eq!(code, 0);
    for line in json.lines() {
        let value: serde_json::Value = serde_json::from_str(line).unwrap();
        let keys: Vec<&String> = value.as_object().unwrap().keys().collect();
        assert_eq!(
            keys,
            [
                "column",
                "file",
                "gap",
                "help",
                "language",
                "line",
                "message",
                "severity",
                "source_line"
            ]
        );
    }
    insta::assert_snapshot!("json", json);
    let (code, github, _) = karvan(
        site.path(),
        &["check", "--strict", "--message-format", "github"],
        &[],
    );
    assert_eq!(code, 1);
    insta::assert_snapshot!("github", github);
}

#[test]
fn no_color_gives_no_escape_codes() {
    let site = untranslated_site(5);
    let forced = [("CLICOLOR_FORCE", "1")];
    let (_, _, coloured) = karvan(site.path(), &["build"], &forced);
    assert!(coloured.contains("\x1b[1;33mwarning"), "{coloured}");
    let both = [("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")];
    let (_, _, plain) = karvan(site.path(), &["build"], &both);
    assert!(!plain.contains('\x1b'), "{plain}");
    let (_, _, piped) = karvan(site.path(), &["build"], &[]);
    assert!(!piped.contains('\x1b'), "{piped}");
}

#[test]
fn an_updated_date_in_the_future_is_a_warning() {
    let site = common::fixture("no-original");
    common::write(
        site.path(),
        "content/az/later.md",
        "+++\ntitle = \"Sonra\"\nupdated = 2999-01-01\n+++\nMətn.\n",
    );
    let (_, report) = common::build_at(site.path());
    let warning = report
        .warnings
        .0
        .iter()
        .find(|w| w.message.starts_with("`updated` is in the future"))
        .expect("a warning");
    assert_eq!(warning.location().unwrap(), "content/az/later.md:3:1");
}

#[test]
fn the_to_do_list_puts_the_menu_pages_first() {
    let site = untranslated_site(3);
    let config = std::fs::read_to_string(site.path().join("site.toml")).unwrap();
    let config = config.replacen(
        "title = \"Test\"",
        "title = \"Test\"\nmenu = [ { title = \"Third\", link = \"@/p03.md\" } ]",
        1,
    );
    std::fs::write(site.path().join("site.toml"), config).unwrap();
    let (_, report) = common::build_at(site.path());
    let en: Vec<(&str, bool)> = report.languages[1]
        .todo
        .iter()
        .map(|t| (t.source.as_str(), t.menu))
        .collect();
    assert_eq!(
        en,
        [
            ("content/az/p03.md", true),
            ("content/az/p01.md", false),
            ("content/az/p02.md", false)
        ]
    );
}
