//! Images in pages: `tests/fixtures/images` with a map (PNG) and a photo-like JPEG made here (and
//! an SVG in the fixture): the HTML (width, height, srcset, lazy loading), the copies written
//! (their sizes, WebP only where smaller), the cache between builds, determinism, and the
//! problems an editor can make (a broken file, missing alt text).

mod common;

use std::path::Path;

use image::{DynamicImage, Rgb, RgbImage};
use karvan::output::Output;

/// A flat graphic, 900 × 718: the portal's map of the UNESCO sites, made smaller.
fn flat_png() -> Vec<u8> {
    let map = common::repo().join("static/images/maps/unesco-sites.png");
    let map = image::open(map).unwrap();
    encode(
        map.resize_exact(900, 718, image::imageops::FilterType::Triangle),
        image::ImageFormat::Png,
    )
}

/// A photo-like image, 1300 × 860: gradients with fine noise.
fn photo_jpeg() -> Vec<u8> {
    let image = RgbImage::from_fn(1300, 860, |x, y| {
        let noise = ((x * 7919 + y * 104_729) % 5) as u8;
        Rgb([
            (x * 200 / 1300) as u8 + noise,
            (y * 200 / 860) as u8 + noise,
            80 + noise,
        ])
    });
    encode(DynamicImage::ImageRgb8(image), image::ImageFormat::Jpeg)
}

fn encode(image: DynamicImage, format: image::ImageFormat) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    image.write_to(&mut out, format).unwrap();
    out.into_inner()
}

/// A copy of the fixture with its images.
fn site() -> tempfile::TempDir {
    let site = common::fixture("images");
    let images = site.path().join("static/images");
    std::fs::write(images.join("map.png"), flat_png()).unwrap();
    std::fs::write(images.join("photo.jpg"), photo_jpeg()).unwrap();
    site
}

fn build(root: &Path, threads: Option<usize>) -> (Output, karvan::Report) {
    let options = karvan::Options {
        threads,
        ..common::options(root)
    };
    karvan::engine::build_in_memory(&options).unwrap_or_else(|d| panic!("should build:\n{d}"))
}

/// `map.800.1a2b3c4d.png` → `map.800.########.png`: the digests of the copies, which another test
/// checks against their bytes, would change with every redrawn map.
fn redact_digests(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        let digest = bytes[i] == b'.'
            && i > 0
            && bytes[i - 1].is_ascii_digit()
            && bytes.get(i + 9) == Some(&b'.')
            && bytes[i + 1..i + 9].iter().all(u8::is_ascii_hexdigit);
        if digest {
            out.push_str(".########");
            i += 9;
        } else {
            let c = text[i..].chars().next().unwrap();
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

/// The `<picture>`s and `<img>`s of a page, and its `og:` lines.
fn images_of(html: &str) -> String {
    let mut found = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find(['<']) {
        rest = &rest[at..];
        let end = if rest.starts_with("<picture") {
            rest.find("</picture>").map(|e| e + "</picture>".len())
        } else if rest.starts_with("<img")
            || (rest.starts_with("<meta") && rest[..rest.find('>').unwrap_or(0)].contains("og:"))
        {
            rest.find('>').map(|e| e + 1)
        } else if rest.starts_with("<figcaption") {
            rest.find("</figcaption>")
                .map(|e| e + "</figcaption>".len())
        } else {
            None
        };
        match end {
            Some(end) => {
                found.push(&rest[..end]);
                rest = &rest[end..];
            }
            None => rest = &rest[1..],
        }
    }
    redact_digests(&found.join("\n"))
}

#[test]
fn pages_show_images_with_their_size_their_copies_and_lazy_loading_below_the_first_screen() {
    let site = site();
    let (out, report) = build(site.path(), None);
    insta::assert_snapshot!(
        "guide",
        images_of(&common::page(&out, "en/guide/index.html"))
    );
    insta::assert_snapshot!("home", images_of(&common::page(&out, "en/index.html")));
    // The originals as they were; the copies of what pages show, each under its digest.
    let source = std::fs::read(site.path().join("static/images/photo.jpg")).unwrap();
    assert_eq!(&out.files["images/photo.jpg"][..], &source[..]);
    let copies: Vec<&str> = out
        .files
        .keys()
        .filter(|p| p.starts_with("images/") && p.matches('.').count() == 3)
        .map(String::as_str)
        .collect();
    assert!(!copies.is_empty());
    for path in &copies {
        let bytes = &out.files[*path];
        let parts: Vec<&str> = path.split('.').collect();
        let width: u32 = parts[1].parse().unwrap();
        let decoded = image::load_from_memory(bytes).unwrap();
        assert_eq!(decoded.width(), width, "{path}");
        let digest = format!("{:08x}", karvan::record::digest_bytes(bytes).0 as u32);
        assert_eq!(parts[2], digest, "{path} is named for its bytes");
        // A copy is never as wide as the image it is made from, but in WebP.
        assert!(width <= 1300, "{path}");
        // A WebP copy is there only where it is smaller than the same width in the image's
        // own format.
        if parts[3] == "webp" && width < 1300 && parts[0] == "images/photo" {
            panic!("{path}: lossless WebP should not beat JPEG on a photo");
        }
        if parts[3] == "webp" && parts[0] == "images/map" {
            let own = copies
                .iter()
                .find(|p| p.starts_with(&format!("images/map.{width}.")) && p.ends_with(".png"));
            let own_len = own.map_or(out.files["images/map.png"].len(), |p| out.files[*p].len());
            assert!(bytes.len() < own_len, "{path}");
        }
    }
    // Every copy is cached for a year.
    let headers = String::from_utf8(out.files["_headers"].to_vec()).unwrap();
    for path in &copies {
        assert!(
            headers.contains(&format!(
                "/sub/{path}\n  Cache-Control: public, max-age=31536000, immutable\n"
            )),
            "{path}"
        );
    }
    assert!(report.images_encoded > 0);
    assert!(report.warnings.is_empty(), "{}", report.warnings);
}

#[test]
fn a_second_build_encodes_nothing_and_writes_the_same_bytes() {
    let site = site();
    let (first, report) = build(site.path(), None);
    assert!(report.images_encoded > 0);
    assert!(site.path().join(".karvan-cache/images").is_dir());
    let (second, report) = build(site.path(), None);
    assert_eq!(report.images_encoded, 0);
    assert!(first == second, "the second build differs");
}

#[test]
fn the_output_is_the_same_whatever_the_number_of_threads() {
    // Two copies: neither build reads what the other cached.
    let (one, two) = (site(), site());
    let (a, _) = build(one.path(), Some(1));
    let (b, _) = build(two.path(), Some(4));
    assert_eq!(
        a.files.keys().collect::<Vec<_>>(),
        b.files.keys().collect::<Vec<_>>()
    );
    assert!(a == b, "the outputs differ");
}

#[test]
fn a_broken_image_is_an_error_naming_the_image() {
    let site = site();
    std::fs::write(
        site.path().join("static/images/map.png"),
        b"\x89PNG\r\n\x1a\nbroken",
    )
    .unwrap();
    let error = karvan::engine::build_in_memory(&common::options(site.path()))
        .map(|_| ())
        .unwrap_err()
        .to_string();
    assert!(
        error.starts_with("error: this image cannot be read: "),
        "{error}"
    );
    assert!(error.contains("static/images/map.png"), "{error}");
    assert!(
        error.contains("save it again as PNG or JPEG, or replace it"),
        "{error}"
    );
}

#[test]
fn an_image_without_alt_text_is_a_warning_at_its_line() {
    let site = site();
    common::append(
        site.path(),
        "content/en/guide.md",
        "\nOne more:\n\n![](/images/map.png)\n",
    );
    let (_, report) = build(site.path(), None);
    let warnings: Vec<String> = report
        .warnings
        .0
        .iter()
        .map(|w| format!("{}: {}", w.location().unwrap_or_default(), w.message))
        .collect();
    assert_eq!(
        warnings,
        ["content/en/guide.md:19:1: the image /images/map.png has no alt text"]
    );
}

#[test]
fn editing_an_image_renders_again_the_pages_that_show_it() {
    let site = site();
    let mut session = karvan::Session::start(&common::options(site.path())).unwrap();
    let before = common::page(session.output(), "en/guide/index.html");
    // A new map, twice as tall.
    let taller = RgbImage::from_fn(700, 1000, |x, _| Rgb([(x % 256) as u8, 10, 10]));
    let file = site.path().join("static/images/map.png");
    std::fs::write(
        &file,
        encode(DynamicImage::ImageRgb8(taller), image::ImageFormat::Png),
    )
    .unwrap();
    let update = session.update(&[file]).unwrap();
    let after = common::page(session.output(), "en/guide/index.html");
    assert_ne!(before, after);
    assert!(after.contains("height=1000 "), "{}", images_of(&after));
    assert!(update.changed.contains(&"en/guide/index.html".to_string()));
    let fresh = karvan::Session::start(&common::options(site.path())).unwrap();
    assert!(
        fresh.output() == session.output(),
        "the update differs from a fresh build"
    );
}

#[test]
fn a_page_that_starts_showing_an_image_gets_it_and_its_copies_in_serve() {
    let site = site();
    let mut session = karvan::Session::start(&common::options(site.path())).unwrap();
    let page = site.path().join("content/en/guide.md");
    common::append(
        site.path(),
        "content/en/guide.md",
        "\n![The photo again](/images/photo.jpg)\n",
    );
    session.update(std::slice::from_ref(&page)).unwrap();
    let fresh = karvan::Session::start(&common::options(site.path())).unwrap();
    assert!(
        fresh.output() == session.output(),
        "the update differs from a fresh build"
    );
    // And a page that stops showing the only image of a kind drops its copies.
    std::fs::write(&page, "+++\ntitle = \"Guide\"\n+++\n\nNo images now.\n").unwrap();
    common::write(
        site.path(),
        "content/en/_index.md",
        "+++\ntitle = \"Home\"\n+++\n",
    );
    session
        .update(&[page, site.path().join("content/en/_index.md")])
        .unwrap();
    assert!(
        !session
            .output()
            .files
            .keys()
            .any(|p| p.starts_with("images/photo.") && p != "images/photo.jpg"),
        "the copies of an image no page shows are not published"
    );
    let fresh = karvan::Session::start(&common::options(site.path())).unwrap();
    assert!(
        fresh.output() == session.output(),
        "the update differs from a fresh build"
    );
}
