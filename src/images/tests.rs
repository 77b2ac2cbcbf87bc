use super::*;

use image::{DynamicImage, Rgb, RgbImage};

/// A photo-like image: smooth gradients with fine noise (JPEG's case).
fn photo(width: u32, height: u32) -> Vec<u8> {
    let image = RgbImage::from_fn(width, height, |x, y| {
        let noise = ((x * 7919 + y * 104_729) % 23) as u8;
        Rgb([
            (x * 200 / width) as u8 + noise,
            (y * 200 / height) as u8 + noise,
            90 + noise,
        ])
    });
    encode::encode(&DynamicImage::ImageRgb8(image), Format::Jpeg)
}

/// A flat graphic: the portal's map of the UNESCO sites (flat colours, thin borders: lossless
/// WebP's case), at the size asked for.
fn flat(width: u32, height: u32) -> Vec<u8> {
    let map = include_bytes!("../../static/images/maps/unesco-sites.png");
    let map = encode::decode(map).unwrap();
    encode::encode(&encode::scaled(&map, width, height), Format::Png)
}

fn prepare(files: &[(&str, Vec<u8>)], cache: &Cache) -> Result<Images, Diagnostics> {
    let files: BTreeMap<String, Bytes> = files
        .iter()
        .map(|(p, b)| (p.to_string(), Bytes::from(b.as_slice())))
        .collect();
    let wanted: Vec<String> = files.keys().cloned().collect();
    Images::prepare(&files, wanted, &Images::default(), cache, |p| {
        format!("static/{p}")
    })
}

#[test]
fn makes_copies_at_the_widths_narrower_than_the_image_never_wider() {
    let images = prepare(&[("a/photo.jpg", photo(1000, 500))], &Cache::none()).unwrap();
    let image = &images.by_path["a/photo.jpg"];
    assert_eq!(image.size, Some((1000, 500)));
    assert_eq!(image.kind, Kind::Raster(Format::Jpeg));
    let widths: Vec<u32> = image.own.iter().map(|v| v.width).collect();
    assert_eq!(widths, [480, 800, 1000]);
    let last = image.own.last().unwrap();
    assert_eq!(
        (last.path.as_str(), last.bytes.is_none()),
        ("a/photo.jpg", true)
    );
    for copy in &image.own[..2] {
        let bytes = copy.bytes.as_ref().unwrap();
        assert_eq!(
            encode::probe(bytes).unwrap(),
            (Format::Jpeg, copy.width, copy.width / 2)
        );
        assert!(copy.path.starts_with(&format!("a/photo.{}.", copy.width)));
        assert!(copy.path.ends_with(".jpg"));
    }
}

#[test]
fn offers_webp_only_where_it_is_smaller() {
    let images = prepare(
        &[("photo.jpg", photo(900, 600)), ("map.png", flat(900, 600))],
        &Cache::none(),
    )
    .unwrap();
    // Lossless WebP beats PNG on a flat graphic at every width...
    let map = &images.by_path["map.png"];
    assert!(!map.webp.is_empty());
    assert!(map.webp.iter().all(|v| v.format == Format::Webp));
    for (webp, own) in map.webp.iter().zip(&map.own) {
        assert!(webp.len < own.len, "{webp:?} {own:?}");
    }
    // ...and loses to JPEG on a photo: no WebP source at all.
    let photo = &images.by_path["photo.jpg"];
    assert!(photo.webp.is_empty(), "{:?}", photo.webp);
    let html = photo.html("", "A", "", Loading::Lazy);
    assert!(!html.contains("<picture>"), "{html}");
}

#[test]
fn a_small_image_gets_no_copies_but_its_size() {
    let images = prepare(&[("dot.png", flat(300, 200))], &Cache::none()).unwrap();
    let dot = &images.by_path["dot.png"];
    assert_eq!(dot.own.len(), 1);
    let html = dot.html("/base", "A \"dot\" & more", "", Loading::Eager);
    let webp = &dot.webp;
    let expected = if webp.is_empty() {
        "<img src=\"/base/dot.png\" width=\"300\" height=\"200\" alt=\"A &quot;dot&quot; &amp; more\">".to_string()
    } else {
        format!(
            "<picture><source type=\"image/webp\" srcset=\"/base/{} 300w\" sizes=\"{SIZES}\"><img src=\"/base/dot.png\" width=\"300\" height=\"200\" alt=\"A &quot;dot&quot; &amp; more\"></picture>",
            webp[0].path
        )
    };
    assert_eq!(html, expected);
}

#[test]
fn writes_a_picture_with_both_srcsets_lazily() {
    let images = prepare(&[("map.png", flat(1000, 600))], &Cache::none()).unwrap();
    let map = &images.by_path["map.png"];
    let html = map.html("", "Map", "Baku", Loading::Lazy);
    let own: Vec<String> = map
        .own
        .iter()
        .map(|v| format!("/{} {}w", v.path, v.width))
        .collect();
    let webp: Vec<String> = map
        .webp
        .iter()
        .map(|v| format!("/{} {}w", v.path, v.width))
        .collect();
    assert_eq!(
        html,
        format!(
            "<picture><source type=\"image/webp\" srcset=\"{}\" sizes=\"{SIZES}\"><img src=\"/{}\" srcset=\"{}\" sizes=\"{SIZES}\" width=\"1000\" height=\"600\" alt=\"Map\" title=\"Baku\" loading=\"lazy\" decoding=\"async\"></picture>",
            webp.join(", "),
            map.own[1].path,
            own.join(", "),
        )
    );
}

#[test]
fn the_second_preparation_encodes_nothing_and_gives_the_same_files() {
    let dir = tempfile::tempdir().unwrap();
    let cache = Cache::under(dir.path());
    let files = [
        ("map.png", flat(1000, 600)),
        ("photo.jpg", photo(1300, 700)),
    ];
    let first = prepare(&files, &cache).unwrap();
    assert!(first.encoded > 0);
    let second = prepare(&files, &cache).unwrap();
    assert_eq!(second.encoded, 0);
    assert_eq!(first.by_path, second.by_path);
    // Without the cache, the same bytes again: encoding is a pure function of the input.
    let fresh = prepare(&files, &Cache::none()).unwrap();
    assert_eq!(first.by_path, fresh.by_path);
}

#[test]
fn an_unchanged_image_of_the_last_build_is_taken_as_it_is() {
    let files: BTreeMap<String, Bytes> =
        BTreeMap::from([("map.png".to_string(), Bytes::from(flat(600, 400)))]);
    let wanted = || vec!["map.png".to_string(), "missing.png".to_string()];
    let first = Images::prepare(&files, wanted(), &Images::default(), &Cache::none(), |p| {
        p.to_string()
    })
    .unwrap();
    assert!(!first.by_path.contains_key("missing.png"));
    let again =
        Images::prepare(&files, wanted(), &first, &Cache::none(), |p| p.to_string()).unwrap();
    assert_eq!(again.encoded, 0);
    assert!(Arc::ptr_eq(
        &first.by_path["map.png"],
        &again.by_path["map.png"]
    ));
}

#[test]
fn a_broken_image_is_an_error_naming_its_file() {
    let mut broken = flat(600, 400);
    broken.truncate(100);
    let error = prepare(&[("images/map.png", broken)], &Cache::none()).unwrap_err();
    let error = &error.0[0];
    assert_eq!(error.location().as_deref(), Some("static/images/map.png"));
    assert!(
        error.message.starts_with("this image cannot be read: "),
        "{}",
        error.message
    );
}

#[test]
fn an_svg_keeps_its_size_and_gets_no_copies() {
    let svg = b"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 640 480\"></svg>".to_vec();
    let images = prepare(&[("logo.svg", svg)], &Cache::none()).unwrap();
    let logo = &images.by_path["logo.svg"];
    assert_eq!((logo.kind, logo.size), (Kind::Svg, Some((640, 480))));
    assert_eq!(
        logo.html("", "Logo", "", Loading::Lazy),
        "<img src=\"/logo.svg\" width=\"640\" height=\"480\" alt=\"Logo\" loading=\"lazy\" decoding=\"async\">"
    );
    assert_eq!(images.files().count(), 0);
}

#[test]
fn finds_the_local_images_a_text_shows_each_once() {
    let text = "![a](/images/a.png) ![b](https://x.example/b.png) ![a again](/images/a.png?v=2)\n\n[![c](/c.svg)](/x/)";
    assert_eq!(references(text), ["images/a.png", "c.svg"]);
    assert_eq!(local_path("//cdn.example/x.png"), None);
    assert_eq!(local_path("images/x.png"), None);
}

#[test]
fn keeps_only_files_smaller_than_every_wider_one() {
    let v = |width: u32, len: usize| Variant {
        width,
        format: Format::Png,
        path: format!("{width}"),
        bytes: None,
        len,
    };
    let kept: Vec<u32> = useful(vec![v(480, 100), v(800, 300), v(1200, 250), v(1600, 400)])
        .iter()
        .map(|v| v.width)
        .collect();
    assert_eq!(kept, [480, 1200, 1600]);
}

#[test]
fn a_file_name_with_spaces_commas_or_cyrillic_is_percent_encoded_in_every_url() {
    assert_eq!(
        url_path("images/карта 1,2.png"),
        "images/%D0%BA%D0%B0%D1%80%D1%82%D0%B0%201%2C2.png"
    );
    let images = prepare(&[("a b,c.png", flat(900, 600))], &Cache::none()).unwrap();
    let html = images.by_path["a b,c.png"].html("", "A", "", Loading::Lazy);
    assert!(!html.contains("a b,c"), "{html}");
    assert!(html.contains("/a%20b%2Cc.png 900w"), "{html}");
    assert!(html.contains("/a%20b%2Cc.480."), "{html}");
}

#[test]
fn a_very_wide_image_is_offered_as_it_is_without_a_webp_of_its_own_width() {
    let images = prepare(&[("wide.png", flat(2500, 120))], &Cache::none()).unwrap();
    let wide = &images.by_path["wide.png"];
    assert_eq!(wide.own.last().unwrap().path, "wide.png");
    assert!(wide.webp.iter().all(|v| v.width <= 1200), "{:?}", wide.webp);
    assert!(
        images
            .files()
            .all(|(path, _)| !path.starts_with("wide.2500."))
    );
}
