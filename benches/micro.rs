//! Micro-benchmarks of the steps every page goes through, on the portal's own files (criterion):
//! parsing a page's front matter, rendering its Markdown, minifying its HTML, compressing it
//! (brotli and gzip at the levels the build uses), and one page's whole render as `serve` makes it
//! after an edit (the Markdown, the template, the minifier, through [`Session::update`]).
//!
//! ```sh
//! cargo bench --bench micro
//! ```

use std::fs;
use std::hint::black_box;
use std::path::PathBuf;

use criterion::{Criterion, criterion_group, criterion_main};

#[path = "../tests/common/mod.rs"]
mod common;
use karvan::config::{Config, Overrides};
use karvan::content::Page;
use karvan::markdown::{LinkRef, LinkResolver, render};
use karvan::output::compress::{Encoding, Precompress};
use karvan::source::SourceText;
use karvan::{Options, Session};

/// The portal's folder (this repository).
fn portal() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A long page of the portal, in Russian (Cyrillic: two bytes a letter).
const PAGE: &str = "content/ru/live/temporary-residence.md";

/// Every internal link resolves (the benchmark measures the Markdown, not the site's links).
struct AnyLink;

impl LinkResolver for AnyLink {
    fn resolve(&self, link: &LinkRef<'_>) -> Result<String, (String, String)> {
        Ok(format!("/ru/{}", link.destination.trim_start_matches("@/")))
    }
}

fn config() -> Config {
    let root = portal();
    let source = SourceText::read(&root.join("site.toml"), "site.toml").unwrap();
    Config::parse(&root, source, &Overrides::default()).unwrap()
}

fn steps(c: &mut Criterion) {
    let root = portal();
    let config = config();
    let ru = config.lang("ru").unwrap();
    let bytes = fs::read(root.join(PAGE)).unwrap();
    let rel = PAGE.trim_start_matches("content/ru/");

    c.bench_function("front matter: parse one page", |b| {
        b.iter(|| {
            let source = SourceText::from_bytes(PAGE, black_box(bytes.clone())).unwrap();
            Page::parse(ru, rel, source).unwrap()
        })
    });

    let source = SourceText::from_bytes(PAGE, bytes.clone()).unwrap();
    let page = Page::parse(ru, rel, source).unwrap();
    let body = page.body().to_string();
    c.bench_function("markdown: render one page's body", |b| {
        b.iter(|| render(black_box(&body), "ru", &AnyLink))
    });

    // The page as the template makes it, before minification: a copy of the portal with
    // `[build] minify = false` (rendered once, outside the measurement).
    let copy = portal_copy();
    let toml = fs::read_to_string(copy.path().join("site.toml")).unwrap();
    let toml = match toml.find("\n[build]\n") {
        Some(at) => format!(
            "{}\n[build]\nminify = false\n{}",
            &toml[..at],
            &toml[at + 9..]
        ),
        None => format!("{toml}\n[build]\nminify = false\n"),
    };
    fs::write(copy.path().join("site.toml"), toml).unwrap();
    let session = Session::start(&Options {
        root: copy.path().to_path_buf(),
        ..Options::default()
    })
    .unwrap();
    let raw = session.output().files["ru/prozhivanie/vremennoe-prozhivanie/index.html"].clone();
    c.bench_function("minify: one page", |b| {
        b.iter(|| karvan::output::minify(black_box(&raw)))
    });
    let html = karvan::output::minify(&raw);
    let precompress = Precompress::default();
    c.bench_function("compress: brotli, one page", |b| {
        b.iter(|| precompress.compress(Encoding::Brotli, black_box(&html)))
    });
    c.bench_function("compress: gzip, one page", |b| {
        b.iter(|| precompress.compress(Encoding::Gzip, black_box(&html)))
    });
}

/// One page's render after its body changed, in a copy of the portal (the sources are edited).
fn one_page(c: &mut Criterion) {
    let copy = portal_copy();
    let mut session = Session::start(&Options {
        root: copy.path().to_path_buf(),
        ..Options::default()
    })
    .unwrap();
    let file = copy.path().join(PAGE);
    let original = fs::read_to_string(&file).unwrap();
    let mut n = 0u64;
    c.bench_function("render: one page after an edit of its body", |b| {
        b.iter(|| {
            n += 1;
            fs::write(&file, format!("{original}\nПравка {n}.\n")).unwrap();
            let update = session.update(std::slice::from_ref(&file)).unwrap();
            assert_eq!(update.rendered, 1, "the edit renders the page alone");
        })
    });
}

/// A copy of the portal's sources in a temporary folder.
fn portal_copy() -> tempfile::TempDir {
    let copy = tempfile::tempdir().unwrap();
    for folder in ["content", "i18n", "themes", "static"] {
        if portal().join(folder).is_dir() {
            common::copy_dir(&portal().join(folder), &copy.path().join(folder));
        }
    }
    fs::copy(portal().join("site.toml"), copy.path().join("site.toml")).unwrap();
    copy
}

criterion_group!(benches, steps, one_page);
criterion_main!(benches);
