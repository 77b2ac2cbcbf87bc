//! A build with nothing to do repeats the last build's report and writes nothing; any change to
//! an input, an option or the output makes it build again.

mod common;

use std::fs;
use std::path::Path;

use karvan::{Options, Report};

fn build(options: &Options) -> Report {
    karvan::build(options).unwrap_or_else(|d| panic!("the site should build:\n{d}"))
}

/// A fixture with translation gaps (so its report has warnings), and options that build it into
/// `public/` beside it.
fn site() -> (tempfile::TempDir, Options) {
    let site = common::fixture("translation-gaps");
    let options = Options {
        precompress: Some(false),
        ..common::options(site.path())
    };
    (site, options)
}

fn marker(options: &Options) -> String {
    fs::read_to_string(options.output_dir().join(".karvan")).unwrap()
}

#[test]
fn a_second_build_with_nothing_changed_repeats_the_report_and_writes_nothing() {
    let (_site, options) = site();
    let first = build(&options);
    assert!(!first.unchanged);
    assert!(!first.warnings.is_empty(), "the fixture has gaps");
    let before = marker(&options);
    let second = build(&options);
    assert!(second.unchanged, "nothing changed: {:?}", second.stages);
    assert_eq!(second.warnings, first.warnings);
    assert_eq!(second.languages, first.languages);
    assert_eq!(second.heaviest, first.heaviest);
    assert_eq!((second.files, second.bytes), (first.files, first.bytes));
    assert_eq!(second.stages.len(), 1, "no stage ran: {:?}", second.stages);
    assert_eq!(marker(&options), before);
}

#[test]
fn an_edited_page_is_built() {
    let (site, options) = site();
    build(&options);
    let file = site.path().join("content/en/page.md");
    let text = fs::read_to_string(&file).unwrap();
    fs::write(
        &file,
        text.replace("title = \"Page\"", "title = \"Edited\""),
    )
    .unwrap();
    let report = build(&options);
    assert!(!report.unchanged);
    let page = fs::read_to_string(options.output_dir().join("en/page/index.html")).unwrap();
    assert!(page.contains("<title>Edited"), "{page}");
    assert!(build(&options).unchanged);
}

#[test]
fn a_new_file_in_any_folder_a_build_reads_is_seen() {
    for (path, text) in [
        ("static/robots-extra.txt", "x"),
        ("i18n/extra.txt", "x"),
        ("templates/unused.html", "<p>unused</p>"),
        (
            "content/en/new.md",
            "+++\ntitle = \"New\"\n+++\nNew page.\n",
        ),
    ] {
        let (site, options) = site();
        build(&options);
        assert!(build(&options).unchanged);
        common::write(site.path(), path, text);
        let report = karvan::build(&options);
        assert!(
            !report.is_ok_and(|r| r.unchanged),
            "{path} was added: the build must run"
        );
    }
}

#[test]
fn an_output_file_edited_by_hand_is_repaired() {
    let (_site, options) = site();
    build(&options);
    let file = options.output_dir().join("en/index.html");
    let original = fs::read(&file).unwrap();
    fs::write(&file, b"edited by hand").unwrap();
    let report = build(&options);
    assert!(!report.unchanged);
    assert_eq!(fs::read(&file).unwrap(), original);
}

#[test]
fn a_file_added_to_the_output_or_removed_from_it_is_seen() {
    let (_site, options) = site();
    build(&options);
    fs::write(options.output_dir().join("stray.txt"), b"x").unwrap();
    assert!(!build(&options).unchanged);
    assert!(!options.output_dir().join("stray.txt").exists());
    fs::remove_file(options.output_dir().join("en/index.html")).unwrap();
    assert!(!build(&options).unchanged);
    assert!(options.output_dir().join("en/index.html").exists());
}

#[test]
fn other_options_build_again() {
    let (_site, options) = site();
    build(&options);
    let others = [
        Options {
            precompress: Some(true),
            ..options.clone()
        },
        Options {
            base_url: Some("https://preview.example.org/".into()),
            ..options.clone()
        },
        Options {
            drafts: true,
            ..options.clone()
        },
        Options {
            today: Some(karvan::catalog::Date::from_days_since_epoch(30_000)),
            ..options.clone()
        },
    ];
    for other in others {
        assert!(!build(&other).unchanged, "{other:?}");
        assert!(build(&other).unchanged, "{other:?}");
    }
}

#[test]
fn a_strict_build_after_a_lenient_one_fails_on_the_same_warnings() {
    let (_site, options) = site();
    let lenient = build(&options);
    let strict = Options {
        strict: true,
        ..options.clone()
    };
    let errors = karvan::build(&strict).expect_err("strict fails on the gaps");
    assert_eq!(errors.0.len(), lenient.warnings.0.len());
    assert!(
        build(&options).unchanged,
        "the failed build left the output as it was"
    );
}

#[test]
fn another_output_folder_is_built() {
    let (site, options) = site();
    build(&options);
    let elsewhere = Options {
        output: Some(site.path().join("elsewhere")),
        ..options.clone()
    };
    assert!(!build(&elsewhere).unchanged);
    assert!(build(&elsewhere).unchanged);
    assert!(build(&options).unchanged);
}

#[test]
fn an_unreadable_record_means_a_build() {
    let (site, options) = site();
    build(&options);
    let records = site.path().join(".karvan-cache/builds");
    for entry in fs::read_dir(&records).unwrap() {
        fs::write(entry.unwrap().path(), b"{ not json").unwrap();
    }
    assert!(!build(&options).unchanged);
    assert!(build(&options).unchanged);
    assert_eq!(count(&records), 1);
}

fn count(folder: &Path) -> usize {
    fs::read_dir(folder).unwrap().count()
}
