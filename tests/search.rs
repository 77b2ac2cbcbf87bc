//! The A–Z index of a large site: past `ON_ONE_PAGE` titles the search page links each letter
//! to a page of its own, in a build, in a theme made before, and in `serve`.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use karvan::Session;
use karvan::output::Output;
use karvan::render::search::ON_ONE_PAGE;

/// Titles that begin in every way a title can: signs and quotes before the first letter,
/// digits, no letter at all, markup characters, an accent.
const TITLES: &[&str] = &[
    "Apple orchards",
    "banana imports",
    "<Tags> & more",
    "100% sure",
    "2026 rules",
    "«Quoted» title",
    "Éclair recipes",
    "Zebra crossings",
    "Ç is not C in Azerbaijani",
];

/// Adds `count` English pages, each with a title of [`TITLES`] and its number.
fn add_pages(site: &Path, count: usize) -> Vec<String> {
    let mut titles = Vec::new();
    for i in 0..count {
        let title = format!("{}{i}", TITLES[i % TITLES.len()]);
        let toml = title.replace('\\', "\\\\").replace('"', "\\\"");
        common::write(
            site,
            &format!("content/en/guide/page-{i}.md"),
            &format!("+++\ntitle = \"{toml}\"\n+++\n\nText.\n"),
        );
        titles.push(title);
    }
    // A title with no letter or digit at all.
    common::write(
        site,
        "content/en/guide/dash.md",
        "+++\ntitle = \"—\"\n+++\n\nText.\n",
    );
    titles.push("—".to_string());
    common::write(
        site,
        "content/en/guide/_index.md",
        "+++\ntitle = \"Guide\"\n+++\n",
    );
    titles
}

/// The letter pages of a language's search folder: path → HTML.
fn letter_pages<'a>(output: &'a Output, folder: &str) -> BTreeMap<&'a str, String> {
    output
        .files
        .iter()
        .filter(|(path, _)| {
            path.starts_with(folder)
                && path.ends_with("/index.html")
                && path.as_str() != format!("{folder}index.html")
        })
        .map(|(path, bytes)| (path.as_str(), String::from_utf8(bytes.to_vec()).unwrap()))
        .collect()
}

/// The titles an A–Z list shows, as text (with what the markup escaped decoded).
fn listed(html: &str) -> Vec<String> {
    let list = html
        .split("<ul class=a-z>")
        .skip(1)
        .map(|rest| rest.split("</ul>").next().unwrap())
        .collect::<String>();
    list.split("<li><a href=")
        .skip(1)
        .map(|item| {
            let text = &item[item.find('>').unwrap() + 1..];
            let html = &text[..text.find("</a>").unwrap()];
            assert!(!html.contains('<'), "markup in a title is escaped: {html}");
            html.replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&amp;", "&")
        })
        .collect()
}

/// The English letter pages among the files an update changed.
fn letters_changed(changed: &[String]) -> Vec<&str> {
    changed
        .iter()
        .map(String::as_str)
        .filter(|p| {
            p.starts_with("en/search/")
                && p.ends_with("/index.html")
                && *p != "en/search/index.html"
        })
        .collect()
}

#[test]
fn a_long_index_has_a_page_per_letter_that_lists_each_title_once() {
    let site = common::fixture("services");
    let titles = add_pages(site.path(), ON_ONE_PAGE + 40);
    let (output, report) = common::build_at(site.path());
    let search = common::page(&output, "en/search/index.html");
    assert!(
        listed(&search).is_empty(),
        "the search page lists no titles itself"
    );
    let pages = letter_pages(&output, "en/search/");
    for (letter, path) in [
        ("A", "en/search/a/index.html"),
        ("Z", "en/search/z/index.html"),
        // Every digit under one heading, not one letter's page per digit.
        ("0–9", "en/search/0-9/index.html"),
        ("#", "en/search/_/index.html"),
        ("Ç", "en/search/%C3%A7/index.html"),
        // No title begins with a plain E: the letter is the accented one.
        ("É", "en/search/%C3%A9/index.html"),
    ] {
        let file = path.replace("%C3%A7", "ç").replace("%C3%A9", "é");
        assert!(
            pages.contains_key(file.as_str()),
            "{file}: {:?}",
            pages.keys()
        );
        let href = format!("/{}", path.trim_end_matches("index.html"));
        assert!(
            search.contains(&format!("<a href={href}>{letter}</a>")),
            "the search page links {letter} to {href}"
        );
    }
    // Every English title is on exactly one letter's page, under its own letter.
    let mut shown: Vec<String> = pages.values().flat_map(|html| listed(html)).collect();
    for title in &titles {
        let found = shown.iter().filter(|t| *t == title).count();
        assert_eq!(found, 1, "{title} is listed {found} times");
    }
    // The rest: the fixture's own pages, services and agencies.
    shown.retain(|t| !titles.contains(t));
    assert!(shown.len() < 12, "{shown:?}");
    let digits = listed(&pages["en/search/0-9/index.html"]);
    assert!(
        digits.iter().any(|t| t.starts_with("100% sure"))
            && digits.iter().any(|t| t.starts_with("2026 rules"))
            && digits
                .iter()
                .all(|t| t.starts_with(|c: char| c.is_ascii_digit())),
        "{digits:?}"
    );
    let a = &pages["en/search/a/index.html"];
    assert!(
        listed(a).iter().all(|t| t.starts_with("Apple")),
        "{:?}",
        listed(a)
    );
    assert!(a.contains("<title>A to Z: A · Test</title>"), "{a}");
    assert!(a.contains("href=/en/search/#a-z>All letters</a>"));
    // A page with no translation lists no `hreflang` alternates.
    assert!(!a.contains("hreflang=az rel=alternate"));
    // Light again: no page of this site is over the budget.
    assert!(
        report.heaviest.iter().all(|w| w.page < 14 * 1024),
        "{:?}",
        report.heaviest
    );
}

#[test]
fn a_theme_without_the_letter_template_keeps_the_whole_index_on_the_search_page() {
    let site = common::fixture("services");
    let titles = add_pages(site.path(), ON_ONE_PAGE + 10);
    std::fs::remove_file(site.path().join("themes/default/templates/a-z.html")).unwrap();
    let (output, _) = common::build_at(site.path());
    assert!(letter_pages(&output, "en/search/").is_empty());
    let shown = listed(&common::page(&output, "en/search/index.html"));
    for title in &titles {
        assert!(shown.contains(title), "{title}");
    }
}

#[test]
fn a_page_inside_the_search_folder_is_an_error() {
    let site = common::fixture("services");
    common::write(
        site.path(),
        "content/en/search/a.md",
        "+++\ntitle = \"Mine\"\n+++\n\nText.\n",
    );
    let errors = match karvan::engine::build_in_memory(&common::options(site.path())) {
        Ok(_) => panic!("the build should fail"),
        Err(d) => d.to_string(),
    };
    assert!(
        errors.contains(
            "this page would be published at /en/search/a/, inside the search page's folder, where karvan puts the pages of the A–Z index"
        ),
        "{errors}"
    );
}

#[test]
fn serve_adds_and_removes_letter_pages_as_titles_change() {
    let site = common::fixture("services");
    add_pages(site.path(), ON_ONE_PAGE + 10);
    let options = common::options(site.path());
    let mut session = Session::start(&options).unwrap();
    assert!(
        !session
            .output()
            .files
            .contains_key("en/search/y/index.html")
    );
    let page = site.path().join("content/en/guide/page-0.md");
    std::fs::write(&page, "+++\ntitle = \"Yellow streets\"\n+++\n\nText.\n").unwrap();
    session.update(std::slice::from_ref(&page)).unwrap();
    let q = common::page(session.output(), "en/search/y/index.html");
    assert_eq!(listed(&q), ["Yellow streets"]);
    assert!(
        common::page(session.output(), "en/search/index.html")
            .contains("<a href=/en/search/y/>Y</a>")
    );
    // The same as a build from scratch, byte for byte.
    let fresh = Session::start(&options).unwrap();
    assert_eq!(session.output().files, fresh.output().files);
    // A title that moves to a letter that has a page: the short way, with the letters' facts.
    let page = site.path().join("content/en/guide/page-1.md");
    std::fs::write(&page, "+++\ntitle = \"Zoo keepers\"\n+++\n\nText.\n").unwrap();
    let update = session.update(std::slice::from_ref(&page)).unwrap();
    // The letter it left and the one it joined; in the other languages too (it is shown there
    // untranslated).
    assert_eq!(
        letters_changed(&update.changed),
        ["en/search/b/index.html", "en/search/z/index.html"],
        "{:?}",
        update.changed
    );
    let z = common::page(session.output(), "en/search/z/index.html");
    assert!(listed(&z).contains(&"Zoo keepers".to_string()));
    let b = common::page(session.output(), "en/search/b/index.html");
    assert!(
        !listed(&b).iter().any(|t| t == "banana imports1"),
        "{:?}",
        listed(&b)
    );
    let fresh = Session::start(&options).unwrap();
    assert_eq!(session.output().files, fresh.output().files);
    // A title edit within its letter renders that letter's page, not the others.
    std::fs::write(
        &page,
        "+++\ntitle = \"Zoo keepers and vets\"\n+++\n\nText.\n",
    )
    .unwrap();
    let update = session.update(std::slice::from_ref(&page)).unwrap();
    assert_eq!(
        letters_changed(&update.changed),
        ["en/search/z/index.html"],
        "{:?}",
        update.changed
    );
    let fresh = Session::start(&options).unwrap();
    assert_eq!(session.output().files, fresh.output().files);
    // Few enough titles again: the index is back on the search page, the letters' pages gone.
    for i in 0..20 {
        std::fs::remove_file(site.path().join(format!("content/en/guide/page-{i}.md"))).unwrap();
    }
    let removed: Vec<_> = (0..20)
        .map(|i| site.path().join(format!("content/en/guide/page-{i}.md")))
        .collect();
    session.update(&removed).unwrap();
    assert!(letter_pages(session.output(), "en/search/").is_empty());
    assert!(listed(&common::page(session.output(), "en/search/index.html")).len() > 100);
}

#[test]
fn serve_splits_the_index_when_the_theme_gains_the_letter_template() {
    let site = common::fixture("services");
    add_pages(site.path(), ON_ONE_PAGE + 10);
    let template = site.path().join("themes/default/templates/a-z.html");
    let text = std::fs::read_to_string(&template).unwrap();
    std::fs::remove_file(&template).unwrap();
    let options = common::options(site.path());
    let mut session = Session::start(&options).unwrap();
    assert!(letter_pages(session.output(), "en/search/").is_empty());
    std::fs::write(&template, text).unwrap();
    session.update(&[template]).unwrap();
    assert!(!letter_pages(session.output(), "en/search/").is_empty());
    let fresh = Session::start(&options).unwrap();
    assert_eq!(session.output().files, fresh.output().files);
}
