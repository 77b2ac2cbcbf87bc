//! Hostile input (issue 12): one test or more for every row of the issue's table, each with the
//! error or output expected. The sites are the `services` fixture with one thing changed.

mod common;

use std::fs;
use std::path::Path;

use common::{append, fixture, options, write};
use karvan::Diagnostics;

/// The errors of a build of `site` in memory; it must fail.
fn errors(site: &Path) -> Diagnostics {
    match karvan::engine::build_in_memory(&options(site)) {
        Ok(_) => panic!("the site should not build"),
        Err(d) => d,
    }
}

/// The error whose message starts with `start`, shown as the user sees it.
fn error(site: &Path, start: &str) -> String {
    let all = errors(site);
    all.errors()
        .find(|d| d.message.starts_with(start))
        .unwrap_or_else(|| panic!("no error starting with {start:?} in:\n{all}"))
        .to_string()
}

/// `check` fails too, with the same error.
fn check_fails(site: &Path, start: &str) {
    let all = karvan::check(&options(site)).expect_err("check should fail");
    assert!(
        all.errors().any(|d| d.message.starts_with(start)),
        "check: no {start:?} in:\n{all}"
    );
}

fn page(text: &str) -> String {
    format!("+++\ntitle = \"Page\"\n{text}")
}

// Row 1: an alias cannot write a line of `_redirects` or a folder with a newline.
#[test]
fn row_01_an_alias_with_newlines_and_a_splat_is_an_error_in_check_and_build() {
    let site = fixture("services");
    let alias = r#"aliases = ["/old\n/*\thttps://evil.example/:splat\t301!\n/y"]"#;
    write(
        site.path(),
        "content/en/evil.md",
        &page(&format!("{alias}\n+++\n")),
    );
    let shown = error(site.path(), "the alias");
    assert_eq!(
        shown,
        "error: the alias \"/old\\n/*\\thttps://evil.example/:splat\\t301!\\n/y\" has a part \"old\\n\" that must not contain spaces or any of / \\ ? # \" < > | * :\n  --> content/en/evil.md:3:12\n  |\n3 | aliases = [\"/old\\n/*\\thttps://evil.example/:splat\\t301!\\n/y\"]\n  |            ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n  = help: write the old address's path on this site, starting with /, e.g. \"/en/old/page/\"\n"
    );
    check_fails(site.path(), "the alias");
    let out = site.path().join("public");
    assert!(
        karvan::build(&karvan::Options {
            output: Some(out.clone()),
            ..options(site.path())
        })
        .is_err()
    );
    assert!(!out.exists(), "nothing is written");
}

#[test]
fn row_01_a_valid_alias_writes_one_redirect_line() {
    let site = fixture("services");
    write(
        site.path(),
        "content/en/moved.md",
        &page("aliases = [\"/en/old/\"]\n+++\n"),
    );
    let (output, _) = common::build_at(site.path());
    assert_eq!(
        common::page(&output, "_redirects")
            .lines()
            .filter(|l| !l.ends_with("/404.html 404"))
            .collect::<Vec<_>>(),
        ["/en/old/ /en/moved/ 301"]
    );
}

// Row 2: the content policy.
#[test]
fn row_02_scripts_handlers_frames_and_script_urls_in_a_page_are_errors_at_their_line() {
    let site = fixture("services");
    write(
        site.path(),
        "content/en/xss.md",
        &page(
            "+++\n<script>alert(1)</script>\n\nText <img src=x onerror=alert(1)> here.\n\n<iframe src=\"https://evil.example/\"></iframe>\n\n[x](javascript:alert(1)) ![i](javascript:alert(2))\n\n## A {#a .b onclick=alert(1)}\n",
        ),
    );
    let all = errors(site.path());
    let found: Vec<(String, String)> = all
        .errors()
        .map(|d| (d.location().unwrap(), d.message.clone()))
        .collect();
    let expected = [
        (
            "content/en/xss.md:4:1",
            "raw HTML with a <script> element, which the content policy does not allow",
        ),
        (
            "content/en/xss.md:6:6",
            "raw HTML with the onerror attribute, which the content policy does not allow",
        ),
        (
            "content/en/xss.md:8:1",
            "raw HTML with a <iframe> element, which the content policy does not allow",
        ),
        (
            "content/en/xss.md:10:1",
            "a link to a javascript: URL, which the content policy does not allow",
        ),
        (
            "content/en/xss.md:10:26",
            "a link to a javascript: URL, which the content policy does not allow",
        ),
        (
            "content/en/xss.md:12:1",
            "a heading may set only an id and classes, not onclick",
        ),
    ];
    for (location, message) in expected {
        assert!(
            found.iter().any(|(l, m)| l == location && m == message),
            "no {location}: {message} in\n{all}"
        );
    }
}

#[test]
fn row_02_a_script_in_a_service_text_is_an_error_in_its_file() {
    let site = fixture("services");
    let file = "content/services/full.toml";
    let text = fs::read_to_string(site.path().join(file)).unwrap().replace(
        "en = \"See [staying](@/stay/_index.md) and [the second](@service/minimal).\"",
        "en = \"See <img src=x onerror=alert(1)>.\"",
    );
    write(site.path(), file, &text);
    let shown = error(site.path(), "raw HTML with the onerror attribute");
    assert!(shown.contains("--> content/services/full.toml:"), "{shown}");
}

#[test]
fn row_02_a_site_can_loosen_the_policy_explicitly() {
    let site = fixture("services");
    append(
        site.path(),
        "site.toml",
        "\n[content_policy]\nunsafe_html = true\nany_heading_attributes = true\n",
    );
    write(
        site.path(),
        "content/en/widget.md",
        &page("+++\n<div onclick=\"go()\">Widget</div>\n\n## A {#a data-x=1}\n"),
    );
    let (output, _) = common::build_at(site.path());
    let html = common::page(&output, "en/widget/index.html");
    assert!(html.contains("onclick=go()"), "{html}");
    assert!(html.contains("data-x=1"), "{html}");
}

#[test]
fn row_02_allowed_raw_html_is_published() {
    let site = fixture("services");
    write(
        site.path(),
        "content/en/details.md",
        &page(
            "+++\n<details><summary>More</summary>\n\nHidden <kbd>Ctrl</kbd> text.\n\n</details>\n",
        ),
    );
    let (output, _) = common::build_at(site.path());
    let html = common::page(&output, "en/details/index.html");
    assert!(html.contains("<details><summary>More</summary>"), "{html}");
    assert!(html.contains("<kbd>Ctrl</kbd>"), "{html}");
}

// Row 3: nesting and recursion.
#[test]
fn row_03_deeply_nested_quotes_divs_and_lists_are_errors_not_a_crash() {
    for (name, body) in [
        ("quotes", format!("{} deep\n", ">".repeat(2_500))),
        ("divs", format!("{}x\n", "<div>".repeat(3_000))),
        ("lists", format!("{}x\n", "- ".repeat(3_000))),
    ] {
        let site = fixture("services");
        write(
            site.path(),
            &format!("content/en/{name}.md"),
            &page(&format!("+++\n{body}")),
        );
        let shown = error(site.path(), "this text nests more than 100 levels deep");
        assert!(
            shown.contains(&format!("--> content/en/{name}.md:4:")),
            "{shown}"
        );
        assert!(shown.len() < 1_000, "the line is clipped: {shown}");
    }
}

#[test]
fn row_03_a_template_that_includes_itself_is_an_error_at_the_include() {
    let site = fixture("services");
    write(
        site.path(),
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% block content %}{% include \"loop.html\" %}{% endblock %}\n",
    );
    write(
        site.path(),
        "templates/loop.html",
        "<p>x</p>\n{% include \"loop.html\" %}\n",
    );
    let shown = error(site.path(), "templates include each other in a circle");
    assert_eq!(
        shown,
        "error: templates include each other in a circle: loop.html → loop.html\n  --> templates/loop.html:2:13\n  |\n2 | {% include \"loop.html\" %}\n  |             ^^^^^^^^^\n  = help: rendering would never end: remove one of these includes\n"
    );
}

#[test]
fn row_03_templates_extending_each_other_are_an_error() {
    let site = fixture("services");
    write(
        site.path(),
        "templates/a.html",
        "{% extends \"b.html\" %}\n",
    );
    write(
        site.path(),
        "templates/b.html",
        "{% extends \"a.html\" %}\n",
    );
    let shown = error(site.path(), "templates include each other in a circle");
    assert!(shown.contains("a.html → b.html → a.html"), "{shown}");
}

// Row 4: heading ids in linear time.
#[test]
fn row_04_twenty_thousand_equal_headings_get_ids_in_order() {
    struct NoLinks;
    impl karvan::markdown::LinkResolver for NoLinks {
        fn resolve(&self, _: &karvan::markdown::LinkRef<'_>) -> Result<String, (String, String)> {
            Err(("no".into(), "no".into()))
        }
    }
    let text = "## Fee\n\n".repeat(20_000);
    // Quadratic, this took minutes; linear, milliseconds.
    let (rendered, errors) = karvan::markdown::render(&text, "en", &NoLinks);
    assert!(errors.is_empty());
    assert_eq!(rendered.toc.len(), 20_000);
    assert_eq!(rendered.toc[0].id, "fee");
    assert_eq!(rendered.toc[19_999].id, "fee-19999");
    let ids: std::collections::HashSet<&str> = rendered.toc.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids.len(), 20_000);
}

// Row 5: pipes and devices.
#[cfg(unix)]
fn mkfifo(path: &Path) {
    rustix::fs::mknodat(
        rustix::fs::CWD,
        path,
        rustix::fs::FileType::Fifo,
        rustix::fs::Mode::from_raw_mode(0o644),
        0,
    )
    .unwrap();
}

#[cfg(unix)]
#[test]
fn row_05_a_pipe_as_a_service_file_is_an_error_not_a_hang() {
    let site = fixture("services");
    mkfifo(&site.path().join("content/services/x.toml"));
    let shown = error(site.path(), "this is not a regular file");
    assert_eq!(
        shown,
        "error: this is not a regular file (a pipe, a device or a socket); karvan reads only files\n  --> content/services/x.toml\n  = help: remove it, or put a copy of the file here\n"
    );
}

#[cfg(unix)]
#[test]
fn row_05_a_link_to_dev_zero_is_an_error_naming_the_link() {
    let site = fixture("services");
    std::os::unix::fs::symlink("/dev/zero", site.path().join("content/en/zero.md")).unwrap();
    let shown = error(site.path(), "this is a link to /dev/zero");
    assert!(shown.contains("--> content/en/zero.md"), "{shown}");
}

// Row 6: three builds at once into one output, twenty times.
#[test]
fn row_06_three_concurrent_builds_leave_one_complete_build_and_its_marker() {
    let sites: Vec<tempfile::TempDir> = (0..3)
        .map(|i| {
            let site = fixture("services");
            write(
                site.path(),
                &format!("content/en/site-{i}.md"),
                &page("+++\nOnly in this site.\n"),
            );
            site
        })
        .collect();
    let complete: Vec<std::collections::BTreeSet<String>> = sites
        .iter()
        .map(|s| common::build_at(s.path()).0.files.into_keys().collect())
        .collect();
    let parent = tempfile::tempdir().unwrap();
    let out = parent.path().join("public");
    for round in 0..20 {
        // Three processes, as three editors or CI jobs would start them.
        let children: Vec<std::process::Child> = sites
            .iter()
            .map(|site| {
                std::process::Command::new(env!("CARGO_BIN_EXE_karvan"))
                    .arg("build")
                    .arg("--root")
                    .arg(site.path())
                    .arg("--output")
                    .arg(&out)
                    .args(["-j", "1"])
                    // The in-memory builds it is compared with have no compressed siblings.
                    .arg("--no-precompress")
                    .stdout(std::process::Stdio::null())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for child in children {
            let done = child.wait_with_output().unwrap();
            assert!(
                done.status.success(),
                "round {round}: a build failed:\n{}",
                String::from_utf8_lossy(&done.stderr)
            );
        }
        assert!(
            out.join(".karvan").is_file(),
            "round {round}: the marker is kept"
        );
        let written: std::collections::BTreeSet<String> = walkdir::WalkDir::new(&out)
            .into_iter()
            .map(|e| e.unwrap())
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                e.path()
                    .strip_prefix(&out)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/")
            })
            .filter(|p| p != ".karvan")
            .collect();
        assert!(
            complete.contains(&written),
            "round {round}: the output is not one whole build"
        );
        let beside: Vec<_> = fs::read_dir(parent.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(
            beside,
            ["public"],
            "round {round}: nothing is left beside it"
        );
    }
}

// Row 7: what a killed build left.
#[test]
fn row_07_an_empty_staging_folder_left_by_a_killed_build_is_removed_by_the_next() {
    let site = fixture("services");
    let parent = tempfile::tempdir().unwrap();
    // Killed right after creating it: no marker yet. 4194399 is above Linux's largest pid.
    let left = parent.path().join(".public.karvan-new-4194399");
    fs::create_dir(&left).unwrap();
    let out = parent.path().join("public");
    karvan::build(&karvan::Options {
        output: Some(out.clone()),
        ..options(site.path())
    })
    .unwrap();
    assert!(!left.exists(), "the leftover is removed");
    assert!(out.join(".karvan").is_file());
    let beside: Vec<_> = fs::read_dir(parent.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(beside, ["public"]);
}

// Row 8: names that cannot be written.
#[test]
fn row_08_a_300_character_slug_fails_the_check_at_its_line() {
    let site = fixture("services");
    let slug = "x".repeat(300);
    write(
        site.path(),
        "content/en/long.md",
        &page(&format!("slug = \"{slug}\"\n+++\n")),
    );
    let shown = error(site.path(), "the slug");
    assert!(
        shown.starts_with(&format!(
            "error: the slug \"{slug}\" is 300 bytes long; at most 200 fit a file name on every system\n  --> content/en/long.md:3:8\n"
        )),
        "{shown}"
    );
    check_fails(site.path(), "the slug");
}

#[test]
fn row_08_aliases_on_reserved_files_are_errors() {
    for (alias, why) in [
        ("/robots.txt", "is robots.txt, a file karvan writes itself"),
        ("/_headers", "is _headers, a file karvan writes itself"),
        (
            "/.karvan",
            "has a part \".karvan\" that must not start with a dot: hosts hide such files",
        ),
    ] {
        let site = fixture("services");
        write(
            site.path(),
            "content/en/a.md",
            &page(&format!("aliases = [\"{alias}\"]\n+++\n")),
        );
        let shown = error(site.path(), "the alias");
        assert!(
            shown.starts_with(&format!(
                "error: the alias \"{alias}\" {why}\n  --> content/en/a.md:3:12\n"
            )),
            "{shown}"
        );
        check_fails(site.path(), "the alias");
    }
}

// Row 9: links out of the site.
#[cfg(unix)]
#[test]
fn row_09_links_out_of_the_site_are_errors_naming_the_link() {
    let outside = tempfile::tempdir().unwrap();
    fs::write(
        outside.path().join("secret.md"),
        "+++\ntitle = \"root:x:0:0\"\n+++\n",
    )
    .unwrap();
    let site = fixture("services");
    let en = site.path().join("content/en");
    std::os::unix::fs::symlink("/etc/passwd", en.join("passwd.md")).unwrap();
    std::os::unix::fs::symlink("/etc", en.join("etc")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("secret.md"), en.join("secret.md")).unwrap();
    let all = errors(site.path());
    let shown = all.to_string();
    for (link, target) in [
        ("content/en/passwd.md", "/etc/passwd".to_string()),
        ("content/en/etc", "/etc".to_string()),
        (
            "content/en/secret.md",
            fs::canonicalize(outside.path().join("secret.md"))
                .unwrap()
                .display()
                .to_string(),
        ),
    ] {
        assert!(
            shown.contains(&format!(
                "error: this is a link to {target}, outside the site\n  --> {link}\n"
            )),
            "{link}:\n{shown}"
        );
    }
    assert!(
        !shown.contains("root:"),
        "nothing of the files is shown: {shown}"
    );
}

#[cfg(unix)]
#[test]
fn row_09_a_language_folder_that_links_out_of_the_site_is_an_error_naming_it() {
    let outside = tempfile::tempdir().unwrap();
    fs::write(
        outside.path().join("secret.md"),
        "+++\ntitle = \"root:x:0:0\"\n+++\n",
    )
    .unwrap();
    let site = fixture("services");
    let en = site.path().join("content/en");
    fs::remove_dir_all(&en).unwrap();
    std::os::unix::fs::symlink(outside.path(), &en).unwrap();
    let target = fs::canonicalize(outside.path()).unwrap();
    assert_eq!(
        error(site.path(), "this is a link"),
        format!(
            "error: this is a link to {}, outside the site\n  --> content/en\n  = help: karvan reads only files inside the site's folder: copy the file in instead of linking to it\n",
            target.display()
        )
    );
}

#[cfg(unix)]
#[test]
fn row_09_a_link_inside_the_site_is_followed() {
    let site = fixture("services");
    write(site.path(), "shared/note.md", &page("+++\nShared.\n"));
    std::os::unix::fs::symlink(
        site.path().join("shared/note.md"),
        site.path().join("content/en/note.md"),
    )
    .unwrap();
    let (output, _) = common::build_at(site.path());
    assert!(output.files.contains_key("en/note/index.html"));
}

#[cfg(unix)]
#[test]
fn row_09_a_pipe_in_i18n_is_an_error() {
    let site = fixture("services");
    fs::create_dir_all(site.path().join("i18n")).unwrap();
    mkfifo(&site.path().join("i18n/en.ftl"));
    assert_eq!(
        error(site.path(), "this is not a regular file"),
        "error: this is not a regular file (a pipe, a device or a socket); karvan reads only files\n  --> i18n/en.ftl\n  = help: remove it, or put a copy of the file here\n"
    );
}

#[cfg(unix)]
#[test]
fn row_09_pipes_and_links_out_in_static_are_errors() {
    let site = fixture("services");
    fs::create_dir_all(site.path().join("static")).unwrap();
    mkfifo(&site.path().join("static/pipe.txt"));
    std::os::unix::fs::symlink("/etc/hostname", site.path().join("static/host.txt")).unwrap();
    let shown = errors(site.path()).to_string();
    for expected in [
        "error: this is not a regular file (a pipe, a device or a socket); karvan reads only files\n  --> static/pipe.txt\n",
        "error: this is a link to /etc/hostname, outside the site\n  --> static/host.txt\n",
    ] {
        assert!(shown.contains(expected), "{expected}\nin:\n{shown}");
    }
}

// Row 10.
#[test]
fn row_10_an_unknown_service_in_a_page_is_an_error_with_a_suggestion() {
    let site = fixture("services");
    write(
        site.path(),
        "content/en/a.md",
        &page("services = [\"ful\"]\n+++\n"),
    );
    assert_eq!(
        error(site.path(), "there is no service"),
        "error: there is no service `ful`\n  --> content/en/a.md:3:13\n  |\n3 | services = [\"ful\"]\n  |             ^^^^^\n  = help: did you mean `full`?\n"
    );
}

// Row 11.
#[test]
fn row_11_a_language_without_pages_and_without_fallback_is_named() {
    let site = fixture("services");
    append(site.path(), "site.toml", "\n[fallback]\npages = false\n");
    fs::remove_file(site.path().join("content/ru/_index.md")).unwrap();
    assert_eq!(
        error(site.path(), "the language `ru` has no home page"),
        "error: the language `ru` has no home page\n  --> content/ru/_index.md\n  = help: create content/ru/_index.md (with [fallback] pages = false, every language needs its own)\n"
    );
}

#[test]
fn row_11_an_empty_content_folder_is_an_error() {
    let site = fixture("services");
    for folder in ["az", "en", "ru", "services", "agencies"] {
        fs::remove_dir_all(site.path().join("content").join(folder)).unwrap();
    }
    let shown = error(site.path(), "the site has no pages");
    assert_eq!(
        shown,
        "error: the site has no pages\n  --> content\n  = help: create content/az/_index.md with a title: the home page of the default language\n"
    );
}

// Row 12.
#[test]
fn row_12_control_characters_are_errors_and_never_reach_the_terminal() {
    let site = fixture("services");
    write(
        site.path(),
        "content/en/esc.md",
        "+++\ntitle = \"\u{1b}]0;owned\u{7}Title\"\n+++\nBody \u{0} here.\n",
    );
    let shown = error(site.path(), "this file holds a control character");
    assert_eq!(
        shown,
        "error: this file holds a control character (\\u{1b})\n  --> content/en/esc.md:2:10\n  |\n2 | title = \"\\u{1b}]0;owned\\u{7}Title\"\n  |          ^^^^^^\n  = help: remove it: it was most likely pasted from another program, and shows as nothing or as garbage\n"
    );
}

#[test]
fn row_12_a_long_bad_line_is_clipped() {
    let site = fixture("services");
    let long = "y".repeat(200_000);
    write(
        site.path(),
        "content/en/long.md",
        &format!("+++\ntitle = {long}\n+++\n"),
    );
    let shown = errors(site.path()).to_string();
    assert!(shown.len() < 2_000, "{} bytes", shown.len());
}

// Row 13.
#[test]
fn row_13_folder_names_that_are_not_url_segments_are_errors() {
    for folder in ["what?", "a#b", "with space"] {
        let site = fixture("services");
        write(
            site.path(),
            &format!("content/en/{folder}/a.md"),
            &page("+++\n"),
        );
        let shown = error(site.path(), "the folder name");
        assert!(
            shown.starts_with(&format!(
                "error: the folder name {folder:?} must not contain spaces or any of"
            )),
            "{shown}"
        );
    }
}

#[test]
fn row_13_pages_whose_urls_differ_only_in_case_are_an_error() {
    let site = fixture("services");
    write(site.path(), "content/en/Foo.md", &page("+++\n"));
    write(site.path(), "content/en/foo.md", &page("+++\n"));
    let shown = error(site.path(), "two pages would be published at");
    assert!(shown.contains("differs only in case"), "{shown}");
}

#[test]
fn row_13_reserved_and_hidden_slugs_are_errors() {
    for (slug, why) in [
        ("CON", "is a name Windows reserves for devices"),
        ("aux", "is a name Windows reserves for devices"),
        (".git", "must not start with a dot"),
    ] {
        let site = fixture("services");
        write(
            site.path(),
            "content/en/a.md",
            &page(&format!("slug = \"{slug}\"\n+++\n")),
        );
        let shown = error(site.path(), "the slug");
        assert!(
            shown.starts_with(&format!("error: the slug \"{slug}\" {why}")),
            "{shown}"
        );
    }
}

#[test]
fn row_13_menu_links_to_other_sites_written_as_paths_are_errors() {
    for link in ["//evil.example/", "/\\\\evil.example/"] {
        let site = fixture("services");
        let text = fs::read_to_string(site.path().join("site.toml"))
            .unwrap()
            .replacen(
                "title = \"Test\"",
                &format!("title = \"Test\"\nmenu = [{{ title = \"x\", link = \"{link}\" }}]"),
                1,
            );
        write(site.path(), "site.toml", &text);
        let shown = error(site.path(), "the menu link");
        assert!(shown.contains("leads to another site"), "{shown}");
        assert!(shown.contains("--> site.toml:"), "{shown}");
    }
}

#[test]
fn row_13_an_email_with_extra_headers_is_an_error() {
    let site = fixture("services");
    append(site.path(), "content/agencies/agency-b.toml", "");
    let text = fs::read_to_string(site.path().join("content/agencies/agency-b.toml"))
        .unwrap()
        .replacen("name = ", "email = \"a@b.c?bcc=x@y\"\nname = ", 1);
    write(site.path(), "content/agencies/agency-b.toml", &text);
    let shown = error(site.path(), "\"a@b.c?bcc=x@y\" is not an e-mail address");
    assert!(
        shown.contains("--> content/agencies/agency-b.toml:2:9"),
        "{shown}"
    );
}

#[test]
fn row_13_amounts_that_are_not_money_are_errors_at_their_line() {
    for amount in ["nan", "-5e300", "inf"] {
        let site = fixture("services");
        let file = "content/services/full.toml";
        let text = fs::read_to_string(site.path().join(file))
            .unwrap()
            .replacen("amount = 20", &format!("amount = {amount}"), 1);
        write(site.path(), file, &text);
        let shown = error(site.path(), "");
        assert!(
            shown.contains("is not an amount of money: write a number from 0 up, like 40 or 12.5"),
            "{amount}: {shown}"
        );
        assert!(shown.contains("--> content/services/full.toml:"), "{shown}");
    }
}

#[test]
fn row_13_a_time_without_a_date_is_an_error() {
    let site = fixture("services");
    write(
        site.path(),
        "content/en/a.md",
        &page("updated = 10:00:00\n+++\n"),
    );
    let shown = error(site.path(), "a time without a date");
    assert!(shown.contains("--> content/en/a.md:3:11"), "{shown}");
}

#[test]
fn row_13_a_fluent_cycle_is_one_error_at_the_ftl_line() {
    let site = fixture("services");
    write(
        site.path(),
        "i18n/en.ftl",
        "\nloop-a = A { loop-b }\nloop-b = B { loop-a }\n",
    );
    let all = errors(site.path());
    let cycles: Vec<_> = all
        .errors()
        .filter(|d| {
            d.message
                .starts_with("UI strings refer to each other in a circle")
        })
        .collect();
    assert_eq!(cycles.len(), 1, "{all}");
    assert_eq!(
        cycles[0].to_string(),
        "error: UI strings refer to each other in a circle: loop-a → loop-b → loop-a\n  --> i18n/en.ftl:3:1\n  |\n3 | loop-b = B { loop-a }\n  | ^^^^^^\n  = help: a message cannot contain itself: write the text out in one of them\n"
    );
}

// Row 14.
#[test]
fn row_14_a_page_named_percent_builds_with_an_encoded_url() {
    let site = fixture("services");
    write(site.path(), "content/en/%.md", &page("+++\nPercent.\n"));
    write(
        site.path(),
        "content/en/link.md",
        &page("+++\nSee [it](@/%.md).\n"),
    );
    let (output, _) = common::build_at(site.path());
    assert!(output.files.contains_key("en/%/index.html"));
    let html = common::page(&output, "en/link/index.html");
    assert!(html.contains("href=/en/%25/>"), "{html}");
}

// Row 15.
#[test]
fn row_15_the_sitemap_lists_services_agencies_and_their_indexes() {
    let (output, _) = common::build_at(fixture("services").path());
    let sitemap = common::page(&output, "sitemap.xml");
    for url in [
        "https://example.org/az/xidmetler/",
        "https://example.org/en/services/full/",
        "https://example.org/ru/uslugi/minimal/",
        "https://example.org/az/qurumlar/",
        "https://example.org/en/agencies/agency-a/",
    ] {
        assert!(
            sitemap.contains(&format!("<loc>{url}</loc>")),
            "{url}\n{sitemap}"
        );
    }
    assert!(
        sitemap.contains("hreflang=\"x-default\" href=\"https://example.org/az/xidmetler/full/\"")
    );
}

#[test]
fn row_15_json_ld_has_no_nulls_and_an_email_channel_is_not_a_phone() {
    let (output, _) = common::build_at(fixture("services").path());
    for (path, _) in output.files.iter().filter(|(p, _)| p.ends_with(".html")) {
        let html = common::page(&output, path);
        let Some(start) = html.find("<script type=\"application/ld+json\">") else {
            continue;
        };
        let rest = &html[start + "<script type=\"application/ld+json\">".len()..];
        let json: serde_json::Value =
            serde_json::from_str(&rest[..rest.find("</script>").unwrap()]).unwrap();
        let text = json.to_string();
        assert!(!text.contains("null"), "{path}: {text}");
        if path == "en/services/full/index.html" {
            assert!(
                text.contains("\"serviceUrl\":\"mailto:apply@agency-a.example.az\""),
                "{text}"
            );
            assert!(text.contains("\"telephone\":\"919\""), "{text}");
        }
    }
}

#[test]
fn row_03_a_component_that_calls_itself_is_an_error_at_the_call() {
    let site = fixture("services");
    write(
        site.path(),
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% block content %}{{ <again n={1} /> }}{% endblock %}\n",
    );
    write(
        site.path(),
        "templates/loops.html",
        "{% component again(n) %}\n{% if n > 0 %}{{ <again n={n} /> }}{% endif %}\n{% endcomponent again %}\n",
    );
    assert_eq!(
        error(site.path(), "components call each other in a circle"),
        "error: components call each other in a circle: again → again\n  --> templates/loops.html:2:19\n  |\n2 | {% if n > 0 %}{{ <again n={n} /> }}{% endif %}\n  |                   ^^^^^\n  = help: rendering would never end: a component cannot call itself, even under a condition\n"
    );
}
