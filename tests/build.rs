//! Valid fixture sites: what a build publishes, page by page.

mod common;

use std::fs;

use common::{append, build, build_at, fixture, page, write};

#[test]
fn translations_with_different_slugs_get_their_own_urls_and_link_each_other() {
    let out = build("translations");
    let az = page(&out, "az/qalma/qeydiyyat/index.html");
    page(&out, "en/stay/register/index.html");
    page(&out, "ru/prebyvanie/registraciya/index.html");
    for (lang, url) in [
        ("az", "https://example.org/az/qalma/qeydiyyat/"),
        ("en", "https://example.org/en/stay/register/"),
        ("ru", "https://example.org/ru/prebyvanie/registraciya/"),
        ("x-default", "https://example.org/az/qalma/qeydiyyat/"),
    ] {
        assert!(
            az.contains(&format!("<link href={url} hreflang={lang} rel=alternate>")),
            "{lang} in {az}"
        );
    }
    // The switcher goes to the same page in the other languages.
    assert!(
        az.contains("<a href=/en/stay/register/ hreflang=en lang=en>English</a>"),
        "{az}"
    );
    assert!(
        az.contains("<a href=/ru/prebyvanie/registraciya/ hreflang=ru lang=ru>Русский</a>"),
        "{az}"
    );
}

#[test]
fn falls_back_to_default_language_for_missing_page() {
    let out = build("translations");
    let en = page(&out, "en/stay/uzadilma/index.html");
    assert!(
        en.contains("<html dir=ltr lang=en>"),
        "the interface is English"
    );
    assert!(
        en.contains("This page is not yet translated. It is shown in Azərbaycanca."),
        "{en}"
    );
    assert!(
        en.contains("<article lang=az>"),
        "the body is marked as Azerbaijani: {en}"
    );
    assert!(
        en.contains("<link href=https://example.org/az/qalma/uzadilma/ rel=canonical>"),
        "{en}"
    );
    assert!(
        !en.contains("hreflang=en rel=alternate"),
        "a fallback is not an alternate: {en}"
    );
    assert!(
        en.contains("<a href=/en/stay/>Stay</a>"),
        "English menu around it: {en}"
    );
    let sitemap = page(&out, "sitemap.xml");
    assert!(sitemap.contains("<loc>https://example.org/az/qalma/uzadilma/</loc>"));
    assert!(
        !sitemap.contains("/en/stay/uzadilma/"),
        "fallbacks stay out of the sitemap"
    );
}

#[test]
fn fallback_can_be_turned_off() {
    let site = common::fixture("translations");
    common::append(site.path(), "site.toml", "\n[fallback]\npages = false\n");
    let (out, report) = common::build_at(site.path());
    assert!(!out.files.contains_key("en/stay/uzadilma/index.html"));
    // The English page's link goes to the page in the language that has it.
    let en = page(&out, "en/stay/register/index.html");
    assert!(en.contains("href=/az/qalma/uzadilma/#muddet"), "{en}");
    assert!(report.languages.iter().all(|l| l.untranslated.is_empty()));
}

#[test]
fn internal_links_resolve_in_the_language_of_the_page() {
    let out = build("translations");
    assert!(page(&out, "en/index.html").contains("<a href=/en/stay/register/>Registration</a>"));
    assert!(
        page(&out, "ru/index.html")
            .contains("<a href=/ru/prebyvanie/registraciya/>Регистрация</a>")
    );
    let en = page(&out, "en/stay/register/index.html");
    assert!(
        en.contains("<a href=/en/stay/uzadilma/#muddet>extending your stay</a>"),
        "{en}"
    );
    let ru = page(&out, "ru/prebyvanie/registraciya/index.html");
    assert!(
        ru.contains("<a href=/ru/prebyvanie/uzadilma/>продление</a>"),
        "{ru}"
    );
}

#[test]
fn content_that_looks_like_template_code_is_printed_as_written() {
    let out = build("translations");
    assert!(
        page(&out, "az/qalma/qeydiyyat/index.html")
            .contains("Şablon kimi görünən mətn: {{ page.title }}.")
    );
}

#[test]
fn heading_ids_are_transliterated_per_language() {
    let out = build("translations");
    assert!(
        page(&out, "az/qalma/qeydiyyat/index.html").contains("<h2 id=son-muddet>Son müddət</h2>")
    );
    assert!(page(&out, "ru/prebyvanie/registraciya/index.html").contains("<h2 id=srok>Срок</h2>"));
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let out = build("translations");
    assert!(!out.files.keys().any(|k| k.contains("draft")));
    let site = common::fixture("translations");
    let mut options = common::options(site.path());
    options.drafts = true;
    let (out, _) = karvan::engine::build_in_memory(&options).unwrap();
    assert!(out.files.contains_key("az/qalma/draft/index.html"));
}

#[test]
fn a_link_to_a_draft_says_so() {
    let site = common::fixture("translations");
    common::write(
        site.path(),
        "content/en/stay/draft-link.md",
        "+++\ntitle = \"X\"\n+++\n[d](@/stay/draft.md)\n",
    );
    let err = karvan::engine::build_in_memory(&common::options(site.path())).unwrap_err();
    assert_eq!(
        err.0[0].message,
        "the link `@/stay/draft.md` points to a draft"
    );
    assert_eq!(
        err.0[0].location().unwrap(),
        "content/en/stay/draft-link.md:4:1"
    );
}

#[test]
fn root_has_a_language_chooser_and_every_language_a_404() {
    let out = build("translations");
    let index = page(&out, "index.html");
    for link in [
        "<a dir=ltr href=/az/ hreflang=az lang=az>Azərbaycanca</a>",
        "<a dir=ltr href=/en/ hreflang=en lang=en>English</a>",
        "<a dir=ltr href=/ru/ hreflang=ru lang=ru>Русский</a>",
    ] {
        assert!(index.contains(link), "{link} in {index}");
    }
    assert!(
        !index.contains("<script"),
        "the chooser needs no JavaScript"
    );
    assert!(page(&out, "404.html").contains("<html dir=ltr lang=az>"));
    assert!(page(&out, "ru/404.html").contains("Страница не найдена"));
    assert!(page(&out, "en/404.html").contains("Page not found"));
}

#[test]
fn sitemap_lists_alternates_and_robots_points_to_it() {
    let out = build("translations");
    let sitemap = page(&out, "sitemap.xml");
    assert!(sitemap.contains(
        "<loc>https://example.org/en/stay/register/</loc>\n    <lastmod>2026-11-25</lastmod>\n    <xhtml:link rel=\"alternate\" hreflang=\"az\" href=\"https://example.org/az/qalma/qeydiyyat/\"/>"
    ), "{sitemap}");
    assert_eq!(
        page(&out, "robots.txt"),
        "User-agent: *\nAllow: /\n\nSitemap: https://example.org/sitemap.xml\n"
    );
}

#[test]
fn plural_forms_follow_russian_rules() {
    let out = build("plurals");
    assert!(page(&out, "ru/one/index.html").contains("В этом разделе 1 страница"));
    assert!(page(&out, "ru/few/index.html").contains("В этом разделе 3 страницы"));
    assert!(page(&out, "ru/many/index.html").contains("В этом разделе 5 страниц"));
}

#[test]
fn crlf_and_bom_files_build_like_any_other() {
    let out = build("crlf-bom");
    let az = page(&out, "az/index.html");
    assert!(az.contains("<a href=/az/sehife/>Səhifə</a>"), "{az}");
    assert!(az.contains("<h2 id=basliq>Başlıq</h2>"), "{az}");
    assert!(
        az.contains("Məzmuna keç"),
        "the BOM-prefixed Fluent file is read: {az}"
    );
    assert!(!az.contains('\r'));
}

#[test]
fn a_missing_ui_string_falls_back_and_is_reported() {
    let site = common::fixture("missing-string");
    let (out, report) = common::build_at(site.path());
    assert!(page(&out, "ru/page/index.html").contains("Salam, Aysel!"));
    assert!(page(&out, "en/page/index.html").contains("Hello, Aysel!"));
    let warnings: Vec<String> = report
        .warnings
        .0
        .iter()
        .map(|w| w.message.clone())
        .collect();
    assert_eq!(
        warnings,
        ["the UI string `greeting` is not translated into ru; the az text is shown"]
    );
}

#[test]
fn strict_turns_a_missing_ui_string_into_an_error() {
    let err = common::errors_with("missing-string", |o| o.strict = true);
    assert_eq!(
        err,
        "error: the UI string `greeting` is not translated into ru; the az text is shown\n  --> i18n/ru.ftl\n  = help: add `greeting = ...` to i18n/ru.ftl\n"
    );
}

#[test]
fn strict_turns_an_untranslated_page_into_an_error() {
    let err = common::errors_with("translations", |o| o.strict = true);
    assert!(err.starts_with("error: not translated into en: content/az/stay/extend.md is shown in az with a notice\n  --> content/en/stay/extend.md\n"), "{err}");
}

#[test]
fn rendered_page_matches_snapshot() {
    let site = common::fixture("translations");
    common::append(site.path(), "site.toml", "\n[build]\nminify = false\n");
    let (out, _) = common::build_at(site.path());
    insta::assert_snapshot!(
        "en_register",
        redact_fingerprints(&page(&out, "en/stay/register/index.html"))
    );
    insta::assert_snapshot!(
        "en_fallback",
        redact_fingerprints(&page(&out, "en/stay/uzadilma/index.html"))
    );
}

/// `style.1a2b3c4d.css` → `style.FINGERPRINT.css` (and scripts alike), so that the snapshots do
/// not change with the CSS or the scripts.
fn redact_fingerprints(html: &str) -> String {
    let mut html = html.to_string();
    for extension in [".css\"", ".js\""] {
        let mut out = String::with_capacity(html.len());
        let mut rest = html.as_str();
        while let Some(i) = rest.find(extension) {
            let (before, after) = rest.split_at(i);
            match before.rsplit_once('.') {
                Some((stem, hash))
                    if hash.len() == 8 && hash.chars().all(|c| c.is_ascii_hexdigit()) =>
                {
                    out.push_str(stem);
                    out.push_str(".FINGERPRINT");
                }
                _ => out.push_str(before),
            }
            out.push_str(extension);
            rest = &after[extension.len()..];
        }
        out.push_str(rest);
        html = out;
    }
    html
}

#[test]
fn stylesheets_get_fingerprinted_names() {
    let out = build("translations");
    // The theme's stylesheet, and the one the search page links for browsers without JavaScript.
    let css: Vec<&String> = out.files.keys().filter(|k| k.ends_with(".css")).collect();
    assert_eq!(css.len(), 2, "{css:?}");
    assert!(css[0].starts_with("noscript."), "{css:?}");
    let name = css[1].as_str();
    assert!(
        name.starts_with("style.") && name.len() == "style.12345678.css".len(),
        "{name}"
    );
    assert!(page(&out, "en/index.html").contains(&format!("<link href=/{name} rel=stylesheet>")));
    assert!(page(&out, "index.html").contains(&format!("<link href=/{name} rel=stylesheet>")));
}

#[test]
fn aliases_get_redirect_pages_and_redirect_rules() {
    let out = build("translations");
    let old = page(&out, "en/old-register/index.html");
    assert!(
        old.contains("<meta http-equiv=\"refresh\" content=\"0; url=/en/stay/register/\">"),
        "{old}"
    );
    assert!(
        old.contains("<link rel=\"canonical\" href=\"https://example.org/en/stay/register/\">"),
        "{old}"
    );
    // The aliases first, then each language's missing addresses to its own 404 page.
    assert_eq!(
        page(&out, "_redirects"),
        "/en/old-register/ /en/stay/register/ 301\n\
         /az/* /az/404.html 404\n\
         /en/* /en/404.html 404\n\
         /ru/* /ru/404.html 404\n"
    );
}

#[test]
fn headers_give_every_response_a_strict_policy_and_pages_and_assets_their_caching() {
    let out = build("translations");
    let headers = page(&out, "_headers");
    let css = out.files.keys().find(|k| k.ends_with(".css")).unwrap();
    assert!(headers.contains(&format!(
        "/{css}\n  Cache-Control: public, max-age=31536000, immutable\n"
    )));
    assert!(
        headers
            .starts_with("/*\n  Content-Security-Policy: default-src 'self'; script-src 'self';")
    );
    for header in [
        "X-Content-Type-Options: nosniff",
        "Referrer-Policy: strict-origin-when-cross-origin",
        "Permissions-Policy: camera=(), microphone=(), geolocation=()",
        "frame-ancestors 'none'",
        "object-src 'none'",
    ] {
        assert!(headers.contains(header), "{header} in {headers}");
    }
    for pages in ["/", "/index.html", "/az/*", "/en/*", "/ru/*"] {
        assert!(
            headers.contains(&format!(
                "\n{pages}\n  Cache-Control: public, max-age=0, must-revalidate\n"
            )),
            "{pages} in {headers}"
        );
    }
    // No inline script or style in any page: the policy would block them.
    for (path, bytes) in &out.files {
        if path.ends_with(".html") {
            let html = String::from_utf8_lossy(bytes);
            for tag in html.split("<script").skip(1) {
                let tag = &tag[..tag.find('>').unwrap()];
                assert!(
                    tag.contains(" src=") || tag == " type=application/ld+json",
                    "{path} has an inline script that is not JSON-LD: <script{tag}>"
                );
            }
            assert!(!html.contains(" style="), "{path} has an inline style");
            assert!(!html.contains("<style"), "{path} has a style element");
        }
    }
}

#[test]
fn template_filters_format_dates_numbers_money_and_durations_per_language() {
    let site = common::fixture("translations");
    common::write(
        site.path(),
        "templates/page.html",
        "{{ \"2026-11-25\" | date(style=\"long\") }}|{{ \"2026-11-25\" | date(style=\"short\") }}|{{ 1234.5 | number }}|{{ 20 | number(digits=2) }}|{{ \"İSTANBUL IĞDIR\" | lower }}|{% for w in [\"zəng\", \"çay\", \"ədalət\", \"ev\", \"bağ\"] | sort_collated %}{{ w }} {% endfor %}|{{ 1234 | money(currency=\"AZN\") }}|{{ \"P15D\" | duration(days=\"working\") }}",
    );
    let (out, _) = common::build_at(site.path());
    assert_eq!(
        page(&out, "az/qalma/qeydiyyat/index.html"),
        "25 noyabr 2026|25.11.26|1.234,5|20,00|istanbul ığdır|bağ çay ev ədalət zəng |1.234 ₼|15 iş günü"
    );
    assert_eq!(
        page(&out, "ru/prebyvanie/registraciya/index.html"),
        "25 ноября 2026\u{202f}г.|25.11.2026|1\u{a0}234,5|20,00|i̇stanbul iğdir|bağ çay ev ədalət zəng |1\u{a0}234 ₼|15 рабочих дней"
    );
    assert_eq!(
        page(&out, "en/stay/register/index.html"),
        "November 25, 2026|11/25/26|1,234.5|20.00|i̇stanbul iğdir|bağ çay ev ədalət zəng |1,234 AZN|15 working days"
    );
}

/// Pages beside the sections (`content/<lang>/*.md`) are listed on the home page, paged like a
/// section's, unless the menu or the footer already links every one of them: no page is left for
/// search alone to find, and the home's second listing page is not a copy of the first.
#[test]
fn the_home_lists_its_own_pages_unless_the_menus_link_them_all() {
    let site = fixture("translations");
    let root = site.path();
    append(root, "site.toml", "\n[build]\nlisting_size = 2\n");
    for (file, title) in [
        ("visa", "Viza"),
        ("fees", "Rüsumlar"),
        ("hours", "İş saatları"),
    ] {
        write(
            root,
            &format!("content/az/{file}.md"),
            &format!("+++\ntitle = \"{title}\"\n+++\n\nMətn.\n"),
        );
    }
    let (output, _) = build_at(root);
    let home = page(&output, "az/index.html");
    assert!(home.contains("<h2 id=pages>Səhifələr</h2>"), "{home}");
    assert!(home.contains("href=/az/fees/>Rüsumlar</a>"), "{home}");
    assert!(home.contains("href=/az/page/2/"), "{home}");
    let second = page(&output, "az/page/2/index.html");
    assert!(second.contains("href=/az/visa/>Viza</a>"), "{second}");
    assert!(
        second.contains("<title>Sınaq saytı · Səhifə 2/2</title>"),
        "{second}"
    );
    // The fallbacks are listed in their languages too, marked with their language.
    let en = page(&output, "en/index.html");
    assert!(en.contains("<h2 id=pages>Pages</h2>"), "{en}");
    assert!(en.contains("href=/en/fees/ lang=az>Rüsumlar</a>"), "{en}");

    // With every page in the footer, the home does not list them again.
    let footer = r#"footer = [ { title = "Viza", link = "@/visa.md" }, { title = "Rüsumlar", link = "@/fees.md" }, { title = "İş saatları", link = "@/hours.md" } ]"#;
    let toml = fs::read_to_string(root.join("site.toml")).unwrap().replace(
        "menu = [ { title = \"Qalma\", link = \"@/stay/_index.md\" } ]",
        &format!("menu = [ {{ title = \"Qalma\", link = \"@/stay/_index.md\" }} ]\n{footer}"),
    );
    fs::write(root.join("site.toml"), toml).unwrap();
    let (output, _) = build_at(root);
    let home = page(&output, "az/index.html");
    assert!(!home.contains("id=pages"), "{home}");
    assert!(page(&output, "en/index.html").contains("id=pages"));
}

/// A link to a path of the site (`/files/form.pdf`, `/az/old/`) that the output does not have is
/// a warning at the link, in a build and in `serve`, where it goes once the file is there.
#[test]
fn a_link_to_a_path_the_site_does_not_have_is_a_warning_until_it_is_there() {
    let site = fixture("translations");
    let root = site.path();
    write(root, "static/files/ərizə 100%.txt", "form");
    write(
        root,
        "content/az/links.md",
        "+++\ntitle = \"Keçidlər\"\n+++\n\n\
         [a](/files/ərizə%20100%25.txt) [b](/az/) [c](/az/links/#x) [d](/sitemap.xml) [e](/az/links)\n\n\
         [forma](/files/forma.pdf?v=2) və [köhnə](/az/kohne/)\n",
    );
    let warned = |report: &karvan::Report| -> Vec<String> {
        report
            .warnings
            .0
            .iter()
            .filter(|d| d.message.contains("leads to nothing"))
            .map(|d| format!("{}: {}", d.location().unwrap(), d.message))
            .collect()
    };
    let (_, report) = build_at(root);
    assert_eq!(
        warned(&report),
        [
            "content/az/links.md:7:1: the link /files/forma.pdf?v=2 leads to nothing on this site",
            "content/az/links.md:7:34: the link /az/kohne/ leads to nothing on this site",
        ]
    );
    let help = &report
        .warnings
        .0
        .iter()
        .find(|d| d.message.contains("forma.pdf"))
        .unwrap()
        .help;
    assert_eq!(
        help.as_deref(),
        Some(
            "put the file at static/files/forma.pdf (it is published at /files/forma.pdf), or correct the path"
        )
    );

    let mut session = karvan::Session::start(&common::options(root)).unwrap();
    assert_eq!(warned(session.report()).len(), 2);
    write(root, "static/files/forma.pdf", "%PDF");
    write(
        root,
        "content/az/kohne.md",
        "+++\ntitle = \"Köhnə\"\n+++\n\nMətn.\n",
    );
    session
        .update(&[
            root.join("static/files/forma.pdf"),
            root.join("content/az/kohne.md"),
        ])
        .unwrap();
    assert_eq!(warned(session.report()), Vec::<String>::new());
    // An edit in place that breaks a link again warns again.
    write(
        root,
        "content/az/links.md",
        "+++\ntitle = \"Keçidlər\"\n+++\n\n[forma](/files/formalar.pdf)\n",
    );
    session.update(&[root.join("content/az/links.md")]).unwrap();
    assert_eq!(
        warned(session.report()),
        ["content/az/links.md:5:1: the link /files/formalar.pdf leads to nothing on this site"]
    );
}

/// A heading does not take an id its page's template gives an element of its own (`main`, the
/// home's `pages`): one id, one element. When a template gains such an id, `serve` gives the
/// headings new ids, as a clean build does.
#[test]
fn a_heading_takes_no_id_of_its_template() {
    let site = fixture("translations");
    let root = site.path();
    write(
        root,
        "content/en/_index.md",
        "+++\ntitle = \"Home\"\n+++\n\n## Main\n\n## Pages\n\n## Intro\n",
    );
    write(
        root,
        "content/en/visa.md",
        "+++\ntitle = \"Visa\"\n+++\n\n## Main\n\nText.\n",
    );
    let ids = |html: &str| -> Vec<String> {
        html.match_indices(" id=")
            .map(|(i, _)| {
                html[i + 4..]
                    .split(['>', ' '])
                    .next()
                    .unwrap()
                    .trim_matches('"')
                    .to_string()
            })
            .collect()
    };
    let (output, _) = build_at(root);
    let home = page(&output, "en/index.html");
    let found = ids(&home);
    for id in ["main", "main-1", "pages", "pages-1", "intro"] {
        assert_eq!(
            found.iter().filter(|i| *i == id).count(),
            1,
            "{id}: {found:?}"
        );
    }
    // The page template has no `pages`: only `main` is taken there.
    assert!(page(&output, "en/visa/index.html").contains("<h2 id=main-1>Main</h2>"));

    let mut session = karvan::Session::start(&common::options(root)).unwrap();
    let home_template = root.join("themes/default/templates/home.html");
    let text = fs::read_to_string(&home_template).unwrap();
    fs::write(&home_template, text.replace("<h1>", "<h1 id=\"intro\">")).unwrap();
    session.update(&[home_template]).unwrap();
    let clean = karvan::Session::start(&common::options(root)).unwrap();
    let updated = String::from_utf8(session.output().files["en/index.html"].to_vec()).unwrap();
    assert!(updated.contains("<h2 id=intro-1>Intro</h2>"), "{updated}");
    assert_eq!(
        updated,
        String::from_utf8(clean.output().files["en/index.html"].to_vec()).unwrap()
    );
}
