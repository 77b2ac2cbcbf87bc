//! The site as an app: web manifests, the service worker and its precache list, offline pages,
//! the search index and the search page with its A–Z list, on the portal and on small sites.

mod common;

use std::io::Write;

use karvan::output::Output;
use serde_json::Value;

fn json(output: &Output, path: &str) -> Value {
    serde_json::from_str(&common::page(output, path)).unwrap()
}

fn gzip_len(bytes: &[u8]) -> usize {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap().len()
}

/// The portal, built once per test binary run that needs it.
fn portal() -> &'static Output {
    static PORTAL: std::sync::OnceLock<Output> = std::sync::OnceLock::new();
    PORTAL.get_or_init(|| {
        karvan::engine::build_in_memory(&common::options(&common::repo()))
            .unwrap_or_else(|d| panic!("the portal should build:\n{d}"))
            .0
    })
}

/// The `var SITE = {...};` facts at the top of sw.js.
fn worker_facts(output: &Output) -> Value {
    let sw = common::page(output, "sw.js");
    let start = sw.find('{').unwrap();
    let end = sw.find("};\n").unwrap();
    serde_json::from_str(&sw[start..=end]).unwrap()
}

/// The hrefs of `<h3>` letters and the links under them, in order, from a search page.
fn letters(html: &str) -> Vec<String> {
    html.split("<h3 id=letter-")
        .skip(1)
        .map(|part| {
            let start = part.find('>').unwrap() + 1;
            part[start..part.find("</h3>").unwrap()].to_string()
        })
        .collect()
}

fn titles_in_order(html: &str) -> Vec<String> {
    let list = &html[html.find("<h3 id=letter-").unwrap()..];
    list.split("<li><a href=")
        .skip(1)
        .map(|part| {
            let start = part.find('>').unwrap() + 1;
            part[start..part.find("</a>").unwrap()].to_string()
        })
        .collect()
}

#[test]
fn every_language_has_a_manifest_of_its_own_part_of_the_site() {
    let output = portal();
    for (code, title) in [
        ("az", "Azərbaycana miqrasiya"),
        ("en", "Migration to Azerbaijan"),
        ("ru", "Миграция в Азербайджан"),
    ] {
        let manifest = json(output, &format!("{code}/manifest.webmanifest"));
        assert_eq!(manifest["name"], title);
        assert_eq!(manifest["lang"], code);
        assert_eq!(manifest["start_url"], format!("/{code}/"));
        assert_eq!(manifest["scope"], format!("/{code}/"));
        assert_eq!(manifest["id"], format!("/{code}/"));
        assert_eq!(manifest["display"], "standalone");
        assert_eq!(manifest["theme_color"], "#00558c");
        let short = manifest["short_name"].as_str().unwrap();
        assert!(
            !short.is_empty() && short.chars().count() <= 12,
            "{code}: a short name fits under an icon: {short}"
        );
        let icons = manifest["icons"].as_array().unwrap();
        let sizes: Vec<&str> = icons.iter().map(|i| i["sizes"].as_str().unwrap()).collect();
        assert_eq!(sizes, ["192x192", "512x512"]);
        for icon in icons {
            let src = icon["src"].as_str().unwrap();
            assert!(
                output.files.contains_key(src.trim_start_matches('/')),
                "{src}"
            );
        }
        let home = common::page(output, &format!("{code}/index.html"));
        assert!(
            home.contains(&format!(
                "<link href=/{code}/manifest.webmanifest rel=manifest>"
            )),
            "{code}: the home links its manifest"
        );
        assert!(home.contains("<meta content=#00558c name=theme-color>"));
    }
}

#[test]
fn the_service_worker_keeps_every_home_the_services_indexes_the_offline_pages_and_the_stylesheet() {
    let output = portal();
    let facts = worker_facts(output);
    let precache: Vec<&str> = facts["precache"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    let stylesheet = output
        .files
        .keys()
        .find(|p| {
            p.starts_with("style.") && p.ends_with(".css") && p.len() == "style.12345678.css".len()
        })
        .unwrap();
    for url in [
        "/",
        "/az/",
        "/en/",
        "/ru/",
        "/az/xidmetler/",
        "/en/services/",
        "/ru/uslugi/",
        "/az/offline.html",
        "/en/offline.html",
        "/ru/offline.html",
        "/az/axtaris/",
        "/en/search/",
        &format!("/{stylesheet}"),
    ] {
        assert!(precache.contains(&url), "sw.js keeps {url}: {precache:?}");
    }
    assert_eq!(facts["offline"]["ru"], "/ru/offline.html");
    assert_eq!(facts["default"], "az");
    assert_eq!(facts["assets"]["/style.css"], format!("/{stylesheet}"));
    // Not fingerprinted, revalidated on every visit: a new build is seen at once.
    assert!(
        !output
            .files
            .keys()
            .any(|p| p.starts_with("sw.") && p != "sw.js")
    );
    let headers = common::page(output, "_headers");
    assert!(
        headers.contains("/sw.js\n  Cache-Control: public, max-age=0, must-revalidate\n"),
        "{headers}"
    );
    assert!(headers.contains(
        "/en/manifest.webmanifest\n  Content-Type: application/manifest+json; charset=utf-8\n"
    ));
    // Every page registers it through a file, not an inline script.
    let page = common::page(output, "en/services/index.html");
    assert!(page.contains("data-worker=/sw.js"), "{page}");
    assert!(page.contains("src=/app."));
}

#[test]
fn the_worker_s_version_follows_what_it_keeps() {
    let site = common::fixture("services");
    let version =
        |site: &std::path::Path| worker_facts(&common::build_at(site).0)["version"].clone();
    let before = version(site.path());
    assert_eq!(
        before,
        version(site.path()),
        "the same tree, the same version"
    );
    common::append(
        site.path(),
        "themes/default/static/style.css",
        "\n.new { color: red; }\n",
    );
    let after = version(site.path());
    assert_ne!(before, after, "a new stylesheet is a new version");
    common::append(
        site.path(),
        "content/en/_index.md",
        "\nA new line on the home page.\n",
    );
    assert_ne!(
        after,
        version(site.path()),
        "a home page edit is a new version"
    );
}

#[test]
fn offline_pages_are_in_their_language_and_link_to_what_is_kept() {
    let output = portal();
    for (code, title, services) in [
        ("az", "İnternet bağlantısı yoxdur", "/az/xidmetler/"),
        ("en", "You are offline", "/en/services/"),
        ("ru", "Нет подключения к интернету", "/ru/uslugi/"),
    ] {
        let html = common::page(output, &format!("{code}/offline.html"));
        assert!(html.contains(&format!("lang={code}><head>")));
        assert!(html.contains(&format!("<h1>{title}</h1>")), "{html}");
        assert!(html.contains("<meta content=noindex name=robots>"));
        assert!(html.contains(&format!("href={services}>")));
        assert!(html.contains(&format!("href=/{code}/>")));
    }
}

#[test]
fn the_search_index_holds_titles_headings_summaries_and_keywords_within_budget() {
    let output = portal();
    let index = json(output, "ru/poisk/index.json");
    assert_eq!(index["language"], "ru");
    let items = index["items"].as_array().unwrap();
    let register = items
        .iter()
        .find(|i| i[1] == "Регистрация по месту пребывания")
        .expect("the page is in the index");
    assert!(register[0].as_str().unwrap().starts_with("/ru/"));
    assert!(!register[2].as_str().unwrap().is_empty(), "its description");
    // Every result links to a page of the language, and to one that exists.
    for item in items {
        let url = item[0].as_str().unwrap();
        assert!(url.starts_with("/ru/"), "{url}");
        let path = format!("{}index.html", url.trim_start_matches('/'));
        let decoded = percent_decode(&path);
        assert!(output.files.contains_key(&decoded), "{url} is a page");
    }
    // A service, with its keywords among the terms.
    assert!(
        items
            .iter()
            .any(|i| i[0].as_str().unwrap().starts_with("/ru/uslugi/")
                && !i[3].as_str().unwrap().is_empty()),
        "services carry their keywords"
    );
    // Headings of the pages are searched too.
    let az = json(output, "az/axtaris/index.json");
    assert!(
        az["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i[3].as_str().unwrap().contains(" · ")),
        "pages with several headings list them"
    );
    // What the first query loads, compressed: the script and the index.
    let script = output
        .files
        .iter()
        .find(|(p, _)| p.starts_with("search.") && p.ends_with(".js"))
        .unwrap()
        .1;
    assert!(
        gzip_len(script) < 5 * 1024,
        "search.js: {} bytes",
        gzip_len(script)
    );
    for code in ["az/axtaris", "en/search", "ru/poisk"] {
        let index = &output.files[&format!("{code}/index.json")];
        let page = &output.files[&format!("{code}/index.html")];
        let total = gzip_len(script) + gzip_len(index) + gzip_len(page);
        assert!(
            total < 30 * 1024,
            "{code}: the page, the script and the index weigh {total} bytes compressed"
        );
    }
}

fn percent_decode(path: &str) -> String {
    let bytes = path.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            out.push(u8::from_str_radix(&path[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

#[test]
fn the_search_page_links_its_index_by_digest_and_loads_only_its_script() {
    let output = portal();
    let html = common::page(output, "en/search/index.html");
    let marker = "data-index=\"/en/search/index.json?v=";
    let at = html.find(marker).unwrap() + marker.len();
    let digest = &html[at..at + 8];
    assert!(digest.chars().all(|c| c.is_ascii_hexdigit()), "{digest}");
    assert!(html.contains("class=search id=search role=search>"));
    assert!(
        html.contains("<noscript><link href=/noscript."),
        "without JavaScript a stylesheet hides the form"
    );
    assert!(html.contains("src=/search."));
    let other = common::page(output, "en/services/index.html");
    assert!(
        !other.contains("src=/search."),
        "only the search page loads search.js"
    );
    // The menu of every page leads to the search.
    assert!(other.contains("href=/en/search/>"));
}

/// A small site whose Azerbaijani titles start with every letter that sorts apart.
fn alphabet_site() -> tempfile::TempDir {
    let site = common::fixture("services");
    let titles = [
        "Ulduz",
        "Üzüm",
        "Şəhər",
        "Sabah",
        "Ölkə",
        "Oğul",
        "İş",
        "Işıq",
        "Ədalət",
        "Ev",
        "Çay",
        "Cəmiyyət",
        "«Qala»",
        "Hava",
        "Xalq",
        "Kənd",
        "Qapı",
    ];
    for (n, title) in titles.iter().enumerate() {
        common::write(
            site.path(),
            &format!("content/az/words/w{n}.md"),
            &format!("+++\ntitle = \"{title}\"\n+++\n\nMətn.\n"),
        );
    }
    common::write(
        site.path(),
        "content/az/words/_index.md",
        "+++\ntitle = \"Sözlər\"\n+++\n",
    );
    for (n, title) in ["Ель", "Ёлка", "Еда", "Жук", "«Ангар» & <теги>"]
        .iter()
        .enumerate()
    {
        common::write(
            site.path(),
            &format!("content/ru/words/s{n}.md"),
            &format!("+++\ntitle = \"{title}\"\n+++\n\nТекст.\n"),
        );
    }
    site
}

#[test]
fn the_a_to_z_list_follows_the_azerbaijani_alphabet() {
    let site = alphabet_site();
    let (output, _) = common::build_at(site.path());
    let html = common::page(&output, "az/axtaris/index.html");
    let found = letters(&html);
    let order = |l: &str| {
        found
            .iter()
            .position(|x| x == l)
            .unwrap_or_else(|| panic!("no {l} in {found:?}"))
    };
    for pair in [
        ("C", "Ç"),
        ("Ç", "E"),
        ("E", "Ə"),
        ("H", "X"),
        ("X", "I"),
        ("I", "İ"),
        ("İ", "K"),
        ("K", "Q"),
        ("O", "Ö"),
        ("S", "Ş"),
        ("U", "Ü"),
    ] {
        assert!(
            order(pair.0) < order(pair.1),
            "{} before {}: {found:?}",
            pair.0,
            pair.1
        );
    }
    let titles = titles_in_order(&html);
    let at = |t: &str| {
        titles
            .iter()
            .position(|x| x == t)
            .unwrap_or_else(|| panic!("{t} in {titles:?}"))
    };
    assert!(at("Işıq") < at("İş"));
    assert!(
        at("Kənd") < at("«Qala»") && at("«Qala»") < at("Qapı"),
        "quotes are skipped: {titles:?}"
    );
    // Every letter has its heading once.
    let mut unique = found.clone();
    unique.dedup();
    assert_eq!(unique, found);
}

#[test]
fn russian_e_and_yo_are_one_letter_and_titles_are_escaped() {
    let site = alphabet_site();
    let (output, _) = common::build_at(site.path());
    let html = common::page(&output, "ru/poisk/index.html");
    let found = letters(&html);
    assert_eq!(
        found.iter().filter(|l| *l == "Е" || *l == "Ё").count(),
        1,
        "{found:?}"
    );
    let titles = titles_in_order(&html);
    let e: Vec<&String> = titles
        .iter()
        .filter(|t| ["Еда", "Ёлка", "Ель"].contains(&t.as_str()))
        .collect();
    assert_eq!(e, ["Еда", "Ёлка", "Ель"]);
    // (The minifier leaves an `&` that cannot start a reference as it is.)
    assert!(
        html.contains("«Ангар» & &lt;теги>") && !html.contains("<теги"),
        "escaped in the A–Z list"
    );
    let index = common::page(&output, "ru/poisk/index.json");
    assert!(
        index.contains("«Ангар» & <теги>"),
        "the index holds the text, JSON-escaped only"
    );
}

#[test]
fn without_the_app_there_is_no_manifest_worker_or_offline_page_but_search_stays() {
    let site = common::fixture("services");
    common::append(site.path(), "site.toml", "\n[app]\noffline = false\n");
    let (output, _) = common::build_at(site.path());
    assert!(!output.files.contains_key("sw.js"));
    assert!(
        !output
            .files
            .keys()
            .any(|p| p.ends_with(".webmanifest") || p.ends_with("offline.html"))
    );
    let home = common::page(&output, "en/index.html");
    assert!(!home.contains("rel=manifest") && !home.contains("data-worker"));
    assert!(output.files.contains_key("en/search/index.html"));
    assert!(output.files.contains_key("en/search/index.json"));
}

#[test]
fn a_colour_that_is_not_a_colour_is_an_error_at_its_line() {
    let site = common::fixture("services");
    common::append(
        site.path(),
        "site.toml",
        "\n[app]\ntheme_color = \"blue\"\n",
    );
    let errors = match karvan::engine::build_in_memory(&common::options(site.path())) {
        Ok(_) => panic!("the build should fail"),
        Err(d) => d.to_string(),
    };
    assert!(
        errors.contains("`blue` is not a colour karvan can write into a web manifest"),
        "{errors}"
    );
    assert!(errors.contains("site.toml:"), "{errors}");
    assert!(errors.contains("#00558c"), "{errors}");
}

#[test]
fn a_page_at_the_search_page_s_address_is_an_error() {
    let site = common::fixture("services");
    common::write(
        site.path(),
        "content/en/search.md",
        "+++\ntitle = \"Search\"\n+++\n\nMine.\n",
    );
    let errors = match karvan::engine::build_in_memory(&common::options(site.path())) {
        Ok(_) => panic!("the build should fail"),
        Err(d) => d.to_string(),
    };
    assert!(
        errors.contains("where karvan puts the search page"),
        "{errors}"
    );
}

#[test]
fn a_build_on_disk_writes_the_worker_an_in_memory_build_makes() {
    let site = common::fixture("services");
    let (memory, _) = common::build_at(site.path());
    let mut options = common::options(site.path());
    options.precompress = Some(false);
    karvan::build(&options).unwrap_or_else(|d| panic!("the site builds:\n{d}"));
    let disk = std::fs::read(site.path().join("public/sw.js")).unwrap();
    assert_eq!(
        String::from_utf8(disk).unwrap(),
        common::page(&memory, "sw.js"),
        "the streamed build keeps the same files, with the same bytes"
    );
    let precache = worker_facts(&memory)["precache"].as_array().unwrap().len();
    assert!(precache > 8, "{precache} files kept");
}
