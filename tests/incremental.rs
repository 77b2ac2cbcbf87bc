//! An incremental build is the same, byte for byte, as a build from scratch of the same tree:
//! seventeen kinds of edit applied in turn to a copy of the portal, each through `Session::update`,
//! each compared with a fresh `Session::start`. Edits of a page in place take the short way
//! (only the entries that show the page); the others reload their stage.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use karvan::Session;
use karvan::output::Output;

/// A copy of the portal (site.toml, content, theme) in a temporary folder.
fn portal() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let repo = common::repo();
    fs::copy(repo.join("site.toml"), dir.path().join("site.toml")).unwrap();
    for folder in ["content", "themes", "static"] {
        common::copy_dir(&repo.join(folder), &dir.path().join(folder));
    }
    dir
}

fn options(root: &Path) -> karvan::Options {
    karvan::Options {
        today: Some(karvan::catalog::Date {
            year: 2026,
            month: 11,
            day: 30,
        }),
        ..common::options(root)
    }
}

/// The paths where the two outputs differ, with the first differing line of each.
fn differences(incremental: &Output, clean: &Output) -> Vec<String> {
    let mut found = Vec::new();
    for (path, bytes) in &clean.files {
        match incremental.files.get(path) {
            None => found.push(format!("{path}: missing from the incremental build")),
            Some(other) if other != bytes => {
                let (a, b) = (
                    String::from_utf8_lossy(other),
                    String::from_utf8_lossy(bytes),
                );
                let at = a
                    .char_indices()
                    .zip(b.chars())
                    .find(|((_, x), y)| x != y)
                    .map_or(a.len().min(b.len()), |((i, _), _)| i);
                let show = |s: &str| {
                    s.chars()
                        .skip(at.saturating_sub(40))
                        .take(100)
                        .collect::<String>()
                };
                found.push(format!(
                    "{path}: incremental …{}… clean …{}…",
                    show(&a),
                    show(&b)
                ));
            }
            Some(_) => {}
        }
    }
    for path in incremental.files.keys() {
        if !clean.files.contains_key(path) {
            found.push(format!("{path}: only in the incremental build"));
        }
    }
    found
}

/// One edit: what it does to the tree, and the path it touched.
struct Edit {
    name: &'static str,
    apply: fn(&Path) -> PathBuf,
}

fn replace(site: &Path, file: &str, from: &str, to: &str) -> PathBuf {
    let path = site.join(file);
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{file} should contain {from:?}");
    fs::write(&path, text.replacen(from, to, 1)).unwrap();
    path
}

fn write(site: &Path, file: &str, text: &str) -> PathBuf {
    common::write(site, file, text);
    site.join(file)
}

const EDITS: &[Edit] = &[
    Edit {
        name: "page body",
        apply: |site| {
            replace(
                site,
                "content/en/stay/register.md",
                "\n## ",
                "\nA paragraph added by the test, with a [link](@/stay/extend.md).\n\n## ",
            )
        },
    },
    Edit {
        name: "page title",
        apply: |site| {
            replace(
                site,
                "content/az/stay/extend.md",
                "title = \"",
                "title = \"Yeni: ",
            )
        },
    },
    Edit {
        name: "new page",
        apply: |site| {
            write(
                site,
                "content/az/stay/new-rules.md",
                "+++\ntitle = \"Yeni qaydalar & <dəyişikliklər>\"\ndescription = \"Qısa xülasə\"\nweight = 1\n+++\n\nMətn, [qeydiyyat](@/stay/register.md#who).\n",
            )
        },
    },
    Edit {
        name: "deleted page",
        apply: |site| {
            let path = site.join("content/ru/stay/change-address.md");
            fs::remove_file(&path).unwrap();
            path
        },
    },
    Edit {
        name: "new translation",
        apply: |site| {
            write(
                site,
                "content/ru/stay/new-rules.md",
                "+++\ntitle = \"Новые правила\"\nslug = \"novye-pravila\"\n+++\n\nТекст.\n",
            )
        },
    },
    Edit {
        name: "page in one language only, with % and & in its file name",
        apply: |site| {
            write(
                site,
                "content/en/stay/100%-&-more.md",
                "+++\ntitle = \"100% & <more>\"\nslug = \"all-of-it\"\n+++\n\nOnly in English.\n",
            )
        },
    },
    Edit {
        name: "body of the page in one language only",
        apply: |site| {
            replace(
                site,
                "content/en/stay/100%-&-more.md",
                "Only in English.",
                "Only in English, still. [Back](@/stay/_index.md).",
            )
        },
    },
    Edit {
        name: "body of a page shown untranslated in other languages",
        apply: |site| {
            replace(
                site,
                "content/az/stay/new-rules.md",
                "Mətn,",
                "Yeni mətn, [uzadılma](@/stay/extend.md),",
            )
        },
    },
    Edit {
        name: "section title",
        apply: |site| {
            replace(
                site,
                "content/en/stay/_index.md",
                "title = \"",
                "title = \"Now: ",
            )
        },
    },
    Edit {
        name: "updated date",
        apply: |site| {
            let path = site.join("content/az/stay/extend.md");
            let text = fs::read_to_string(&path).unwrap();
            let text = match text.find("updated = ") {
                Some(at) => format!("{}updated = 2026-12-01{}", &text[..at], &text[at + 20..]),
                None => text.replacen("+++\n", "+++\nupdated = 2026-12-01\n", 1),
            };
            fs::write(&path, text).unwrap();
            path
        },
    },
    Edit {
        name: "renamed slug",
        apply: |site| {
            replace(
                site,
                "content/az/stay/register.md",
                "slug = \"qeydiyyat\"",
                "slug = \"qeydiyyatdan-kecin\"",
            )
        },
    },
    Edit {
        name: "service file",
        apply: |site| {
            replace(
                site,
                "content/services/registration-place-of-stay.toml",
                "en = \"",
                "en = \"Renamed: ",
            )
        },
    },
    Edit {
        name: "Fluent string",
        apply: |site| {
            replace(
                site,
                "themes/default/i18n/en.ftl",
                "toc-title = On this page",
                "toc-title = In this article",
            )
        },
    },
    Edit {
        name: "template",
        apply: |site| {
            replace(
                site,
                "themes/default/templates/page.html",
                "<h1>{{ page.title }}</h1>",
                "<h1 class=\"edited\">{{ page.title }}</h1>",
            )
        },
    },
    Edit {
        name: "component",
        apply: |site| {
            replace(
                site,
                "themes/default/templates/components.html",
                "<ol>",
                "<ol class=\"edited\">",
            )
        },
    },
    Edit {
        name: "stylesheet",
        apply: |site| {
            replace(
                site,
                "themes/default/static/style.css",
                "* { box-sizing: border-box; }",
                "* { box-sizing: border-box; margin: revert; }",
            )
        },
    },
    Edit {
        name: "home title (a page the service worker keeps)",
        apply: |site| {
            replace(
                site,
                "content/ru/_index.md",
                "title = \"",
                "title = \"Сайт: ",
            )
        },
    },
    Edit {
        name: "site.toml",
        apply: |site| replace(site, "site.toml", "title = \"", "title = \"Portal: "),
    },
];

#[test]
fn every_kind_of_edit_gives_the_same_bytes_as_a_clean_build() {
    let site = portal();
    let options = options(site.path());
    let mut session =
        Session::start(&options).unwrap_or_else(|d| panic!("the portal builds:\n{d}"));
    let total = session.output().files.len();
    for edit in EDITS {
        let path = (edit.apply)(site.path());
        let update = session
            .update(&[path])
            .unwrap_or_else(|d| panic!("after the {} edit the site builds:\n{d}", edit.name));
        let clean = Session::start(&options).unwrap();
        let found = differences(session.output(), clean.output());
        assert!(
            found.is_empty(),
            "after the {} edit, the incremental build differs from a clean one:\n{}",
            edit.name,
            found.join("\n")
        );
        assert!(
            !update.changed.is_empty() || !update.removed.is_empty(),
            "the {} edit changed nothing",
            edit.name
        );
        assert_eq!(
            session.report().warnings,
            clean.report().warnings,
            "after the {} edit the warnings differ",
            edit.name
        );
        if edit.name == "page body" {
            assert!(
                update.rendered < total / 10,
                "a body edit rendered {} of {total} files",
                update.rendered
            );
        }
    }
}

#[test]
fn a_page_edit_renders_the_page_and_what_lists_it_not_the_rest() {
    let site = portal();
    let mut session = Session::start(&options(site.path())).unwrap();
    let path = replace(
        site.path(),
        "content/az/stay/extend.md",
        "title = \"",
        "title = \"Yeni: ",
    );
    let update = session.update(&[path]).unwrap();
    let changed: Vec<&str> = update
        .changed
        .iter()
        .map(String::as_str)
        .filter(|p| p.ends_with(".html"))
        .collect();
    // The page, its section's listing, and the pages whose body or breadcrumbs name it; the
    // untranslated copies, if any, and the sitemap aside.
    assert!(
        changed
            .iter()
            .any(|p| p.starts_with("az/") && p.contains("/index.html"))
    );
    assert!(
        update.rendered < 40,
        "a title edit rendered {} files: {changed:?}",
        update.rendered
    );
}

#[test]
fn a_body_edit_leaves_the_search_alone_and_a_heading_edit_does_not() {
    let site = portal();
    let mut session = Session::start(&options(site.path())).unwrap();
    let search = ["en/search/index.json", "en/search/index.html"];
    let path = replace(
        site.path(),
        "content/en/stay/register.md",
        "\n## ",
        "\nA paragraph added by the test.\n\n## ",
    );
    let update = session.update(std::slice::from_ref(&path)).unwrap();
    assert!(
        update
            .changed
            .iter()
            .any(|p| p == "en/stay/register/index.html")
    );
    for file in search {
        assert!(
            !update.changed.iter().any(|p| p == file),
            "{file}: {:?}",
            update.changed
        );
    }
    assert_eq!(update.rendered, 1, "the page alone: {:?}", update.changed);
    // A heading is what the search index holds of a page.
    replace(
        site.path(),
        "content/en/stay/register.md",
        "\n## ",
        "\n## Renamed & new: ",
    );
    let update = session.update(&[path]).unwrap();
    for file in search {
        assert!(
            update.changed.iter().any(|p| p == file),
            "{file}: {:?}",
            update.changed
        );
    }
    let index = String::from_utf8(session.output().files["en/search/index.json"].to_vec()).unwrap();
    assert!(index.contains("Renamed & new: "), "{index}");
    let clean = Session::start(&options(site.path())).unwrap();
    assert_eq!(
        differences(session.output(), clean.output()),
        Vec::<String>::new()
    );
}

#[test]
fn a_title_edit_changes_its_language_s_search_index_and_page_only() {
    let site = portal();
    let mut session = Session::start(&options(site.path())).unwrap();
    let before = session.output().files["az/axtaris/index.json"].clone();
    let path = replace(
        site.path(),
        "content/az/stay/extend.md",
        "title = \"",
        "title = \"Yeni & <başlıq>: ",
    );
    let update = session.update(&[path]).unwrap();
    // The worker keeps the search page (its A–Z list names the page): a new version.
    for changed in ["az/axtaris/index.json", "az/axtaris/index.html", "sw.js"] {
        assert!(
            update.changed.iter().any(|p| p == changed),
            "{changed}: {:?}",
            update.changed
        );
    }
    for same in ["en/search/index.json", "ru/poisk/index.json"] {
        assert!(
            !update.changed.iter().any(|p| p == same),
            "{same} did not change"
        );
    }
    let after =
        String::from_utf8(session.output().files["az/axtaris/index.json"].to_vec()).unwrap();
    assert_ne!(before.to_vec(), after.as_bytes());
    assert!(after.contains("Yeni & <başlıq>: "));
}

#[test]
fn a_failed_update_keeps_the_last_good_output_and_the_next_one_recovers() {
    let site = portal();
    let options = options(site.path());
    let mut session = Session::start(&options).unwrap();
    let before = session.output().clone();
    let broken = write(
        site.path(),
        "content/en/stay/extend.md",
        "+++\ntitle = \"Extend\"\nsulg = \"x\"\n+++\nText\n",
    );
    let errors = session.update(std::slice::from_ref(&broken)).unwrap_err();
    assert!(
        errors.to_string().contains("content/en/stay/extend.md:3:1"),
        "{errors}"
    );
    assert_eq!(session.output(), &before, "the last good output is kept");
    // Another file changes while the first is still broken: still an error.
    let other = replace(
        site.path(),
        "content/en/stay/register.md",
        "\n## ",
        "\nMore.\n\n## ",
    );
    assert!(session.update(&[other]).is_err());
    // Fixing the file brings both edits in.
    write(
        site.path(),
        "content/en/stay/extend.md",
        "+++\ntitle = \"Extend your stay\"\n+++\nText\n",
    );
    session.update(&[broken]).unwrap();
    let clean = Session::start(&options).unwrap();
    assert_eq!(
        differences(session.output(), clean.output()),
        Vec::<String>::new()
    );
}

#[test]
fn a_broken_template_or_string_file_keeps_the_last_good_output_until_fixed() {
    let site = portal();
    let options = options(site.path());
    let mut session = Session::start(&options).unwrap();
    let before = session.output().clone();

    let template = replace(
        site.path(),
        "themes/default/templates/page.html",
        "<h1>{{ page.title }}</h1>",
        "<h1>{{ page.title }} {{ t(key=\"no-such-string\") }}</h1>",
    );
    let errors = session.update(std::slice::from_ref(&template)).unwrap_err();
    assert!(errors.to_string().contains("no-such-string"), "{errors}");
    assert_eq!(session.output(), &before);

    let ftl = replace(
        site.path(),
        "themes/default/i18n/en.ftl",
        "toc-title = On this page",
        "toc-title = { $unclosed",
    );
    let errors = session.update(std::slice::from_ref(&ftl)).unwrap_err();
    assert!(errors.to_string().contains("en.ftl"), "{errors}");
    assert_eq!(session.output(), &before);

    replace(
        site.path(),
        "themes/default/templates/page.html",
        " {{ t(key=\"no-such-string\") }}",
        "",
    );
    replace(
        site.path(),
        "themes/default/i18n/en.ftl",
        "toc-title = { $unclosed",
        "toc-title = Contents",
    );
    session.update(&[template, ftl]).unwrap();
    let clean = Session::start(&options).unwrap();
    assert_eq!(
        differences(session.output(), clean.output()),
        Vec::<String>::new()
    );
    assert_ne!(session.output(), &before, "the new UI string is in");
}

#[test]
fn a_change_outside_the_sources_renders_nothing() {
    let site = portal();
    let mut session = Session::start(&options(site.path())).unwrap();
    let before = session.output().clone();
    let notes = write(site.path(), "notes.txt", "an editor's notes");
    let update = session.update(&[notes]).unwrap();
    assert_eq!((update.rendered, update.changed.len()), (0, 0));
    assert_eq!(session.output(), &before);
}
