//! What static hosts need: the root 404 page that GitHub Pages serves for every missing address
//! hands over to the language's own, and netlify.toml gives every language of the portal its 404.

mod common;

#[test]
fn the_root_404_page_hands_over_to_the_language_of_the_address() {
    let output = common::build("no-original");
    let root = common::page(&output, "404.html");
    // A script file (the Content-Security-Policy forbids inline scripts), told the languages.
    let tag = root
        .split("<script ")
        .find(|s| s.contains("not-found."))
        .unwrap_or_else(|| panic!("no not-found script in {root}"));
    assert!(tag.contains("data-codes=\"az en ru \""), "{tag}");
    assert!(tag.contains("data-lang=az"), "{tag}");
    let src = tag
        .split("src=/")
        .nth(1)
        .unwrap()
        .split(['>', ' '])
        .next()
        .unwrap();
    let script = common::page(&output, src);
    assert!(
        script.contains(r#"fetch(base + "/" + here + "/404.html")"#),
        "{script}"
    );
    // Without JavaScript, every language's home is a link away.
    assert!(root.contains("<a href=/en/ hreflang=en lang=en>"), "{root}");
}

#[test]
fn netlify_gives_every_language_of_the_portal_its_404_page() {
    let config = std::fs::read_to_string(common::repo().join("site.toml")).unwrap();
    let netlify = std::fs::read_to_string(common::repo().join("netlify.toml")).unwrap();
    let codes: Vec<&str> = config
        .lines()
        .filter_map(|l| l.strip_prefix("code = \""))
        .filter_map(|l| l.split('"').next())
        .collect();
    assert!(!codes.is_empty());
    for code in codes {
        assert!(
            netlify.contains(&format!(
                "from = \"/{code}/*\"\nto = \"/{code}/404.html\"\nstatus = 404"
            )),
            "netlify.toml lacks the 404 rule of {code}"
        );
    }
}
