//! Images that pages show: their size, for `width` and `height` (no layout shift), and smaller
//! copies for small screens, in WebP where that is smaller.
//!
//! Editors put images in `static/` (shared by every language) and write them as
//! `![alt](/images/map.png)` in Markdown or as a page's `image` in front matter. A stage between
//! the static files and the Markdown:
//!
//! 1. [`references`]: the local images each page shows (found when the page is read).
//! 2. [`Images::prepare`]: for every image shown, read its header; for a PNG or JPEG wider than
//!    the smallest copy, make copies at [`WIDTHS`] (never wider than the image) in its own format
//!    and in WebP, in parallel, each taken from the cache when it was made before (see
//!    [`encode`]). A copy is kept only where it is smaller than the next wider one, and a WebP only
//!    where it is smaller than the same width in the image's own format; the original is published
//!    as it is. SVG images get their size from their `width`/`height` or `viewBox`, and no copies.
//! 3. [`Image::html`]: the `<picture>` a Markdown image becomes (see [`crate::markdown`]).
//!
//! The copies' names carry a digest of their bytes (`map.800.1a2b3c4d.png`), so hosts cache them
//! for a year; the output holds the copies of the images pages show, and nothing else.

pub mod encode;
mod svg;

use std::collections::BTreeMap;
use std::sync::Arc;

use rayon::prelude::*;

use crate::error::{Diagnostic, Diagnostics};
use crate::record::{Digest, digest, digest_bytes};
use crate::source::Bytes;
pub use encode::{Cache, Format};

/// The widths of the copies, in CSS pixels of a phone's screen × its pixel ratio: 480 (a phone at
/// 1×, or half a column), 800 (a phone at 2×), 1200 (a phone at 3×, or the column at 2×).
pub const WIDTHS: [u32; 3] = [480, 800, 1200];

/// The widest WebP copy made at the original's own width: a wider original (a camera's 4000 px
/// photo) is offered as it is, but not encoded again, which would take seconds and give a file
/// no phone needs.
pub const MAX_FULL_WIDTH_WEBP: u32 = 2400;

/// The widths shown to the browser: the column is 46rem wide less 1rem of padding on each side,
/// and the whole screen less the padding below that.
pub const SIZES: &str = "(min-width: 46rem) 44rem, calc(100vw - 2rem)";

/// One published file of an image: a copy or the original.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    pub width: u32,
    pub format: Format,
    /// The path under the output folder.
    pub path: String,
    /// The copy's bytes; `None` for the original (published among the static files).
    pub bytes: Option<Bytes>,
    pub len: usize,
}

/// What kind of image a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Raster(Format),
    Svg,
}

/// An image pages show, with its copies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Image {
    /// The path under `static/`: `images/map.png`.
    pub path: String,
    pub kind: Kind,
    /// Its size as shown, in pixels (for SVG, as its attributes give it; `None`: not given).
    pub size: Option<(u32, u32)>,
    /// The files in the image's own format, narrowest first; the last is the original.
    pub own: Vec<Variant>,
    /// For the WebP `<source>`: at each width, the smaller of the WebP and the own-format file;
    /// empty when WebP is smaller at no width.
    pub webp: Vec<Variant>,
    /// The digest of the source's bytes.
    pub source: Digest,
    /// The digest of everything above: what a page that shows the image depends on.
    pub digest: Digest,
}

/// The images the pages show, by path under `static/`.
#[derive(Debug, Clone, Default)]
pub struct Images {
    pub by_path: BTreeMap<String, Arc<Image>>,
    /// How many copies this preparation encoded (not taken from the cache or the last build).
    pub encoded: usize,
}

/// The path under `static/` of an image destination written in Markdown or front matter:
/// `/images/map.png` → `images/map.png`. `None` for what is not a file of this site
/// (`https://…`, `//host/…`, `data:`…) or not written from the site's root.
pub fn local_path(destination: &str) -> Option<&str> {
    let path = destination.strip_prefix('/')?;
    if path.starts_with('/') {
        return None;
    }
    Some(path.split(['?', '#']).next().unwrap_or(path))
}

/// The local images a page's Markdown shows (paths under `static/`), in order, each once.
pub fn references(markdown: &str) -> Vec<String> {
    use pulldown_cmark::{Event, Parser, Tag};
    let mut found: Vec<String> = Vec::new();
    // Every image in Markdown starts with `![` (inline, reference or shortcut): a page without
    // one shows none, and is not parsed a second time to find out.
    if !markdown.contains("![") {
        return found;
    }
    for event in Parser::new_ext(markdown, crate::markdown::options()) {
        if let Event::Start(Tag::Image { dest_url, .. }) = event
            && let Some(path) = local_path(&dest_url)
            && !found.iter().any(|f| f == path)
        {
            found.push(path.to_string());
        }
    }
    found
}

impl Images {
    /// Prepares every image of `wanted` (paths under `static/` that pages show) found among the
    /// static files; images missing from them are left out, for the pages to report where they
    /// are written. An image whose bytes are those of `previous` is taken from it as it is.
    /// An image that cannot be read is an error naming its file.
    pub fn prepare(
        files: &BTreeMap<String, Bytes>,
        wanted: impl IntoIterator<Item = String>,
        previous: &Images,
        cache: &Cache,
        shown_path: impl Fn(&str) -> String + Sync,
    ) -> Result<Images, Diagnostics> {
        let mut wanted: Vec<String> = wanted
            .into_iter()
            .filter(|p| files.contains_key(p))
            .collect();
        wanted.sort_unstable();
        wanted.dedup();
        /// An image made (with the number of copies encoded), or why it cannot be read.
        type Made = Result<(Arc<Image>, usize), String>;
        let results: Vec<(String, Made)> = wanted
            .into_par_iter()
            .map(|path| {
                let bytes = &files[&path];
                let source = digest_bytes(bytes);
                if let Some(old) = previous.by_path.get(&path)
                    && old.source == source
                {
                    return (path, Ok((Arc::clone(old), 0)));
                }
                let made = prepare_one(&path, bytes, source, cache);
                (path, made.map(|(image, n)| (Arc::new(image), n)))
            })
            .collect();
        let mut images = Images::default();
        let mut problems = Diagnostics::default();
        for (path, result) in results {
            match result {
                Ok((image, encoded)) => {
                    images.encoded += encoded;
                    images.by_path.insert(path, image);
                }
                Err(why) => problems.push(
                    Diagnostic::error(format!("this image cannot be read: {why}"))
                        .in_file(shown_path(&path))
                        .with_help(
                            "open it in an image editor and save it again as PNG or JPEG, or replace it",
                        ),
                ),
            }
        }
        if problems.has_errors() {
            return Err(problems);
        }
        Ok(images)
    }

    /// The files to publish beside the static files: every copy of every image.
    pub fn files(&self) -> impl Iterator<Item = (&str, &Bytes)> {
        self.by_path.values().flat_map(|image| {
            image
                .own
                .iter()
                .chain(&image.webp)
                .filter_map(|v| v.bytes.as_ref().map(|b| (v.path.as_str(), b)))
        })
    }
}

/// Checks the front matter's `image` of every page: a file of this site that exists, with alt
/// text (its absence is a warning). Returns the warnings; the errors fail.
pub fn check_pages(site: &crate::site::Site, images: &Images) -> Result<Diagnostics, Diagnostics> {
    let mut problems = Diagnostics::default();
    for page in &site.pages {
        let Some(image) = &page.meta.image else {
            continue;
        };
        let (own, span) = (image.get_ref(), image.span());
        match local_path(&own.src) {
            None => problems.push(
                page.error_at(
                    format!("the page's image {:?} is not a file of this site", own.src),
                    span.clone(),
                )
                .with_help("put the image in static/ and write its path from there, starting with /: src = \"/images/map.png\""),
            ),
            Some(path) if !images.by_path.contains_key(path) => problems.push(
                page.error_at(format!("there is no image static/{path}"), span.clone())
                    .with_help(format!(
                        "put the image at static/{path} (images are shared by every language), or correct the path"
                    )),
            ),
            Some(_) => {}
        }
        if own.alt.trim().is_empty() {
            problems.push(
                page.locate(
                    Diagnostic::warning(format!("the page's image {} has no alt text", own.src)),
                    span,
                )
                .with_help("describe what the image shows for those who cannot see it: image = { src = \"/images/baku.png\", alt = \"A map of Baku's old city\" }"),
            );
        }
    }
    if problems.has_errors() {
        problems.sort();
        return Err(problems);
    }
    Ok(problems)
}

/// The copies of one image; the second value counts those encoded (not found in the cache).
fn prepare_one(
    path: &str,
    bytes: &[u8],
    source: Digest,
    cache: &Cache,
) -> Result<(Image, usize), String> {
    if path.to_ascii_lowercase().ends_with(".svg") {
        let size = svg::size(bytes)?;
        return Ok((
            finish(path, Kind::Svg, size, Vec::new(), Vec::new(), source),
            0,
        ));
    }
    let (format, width, height) = encode::probe(bytes)?;
    let original = Variant {
        width,
        format,
        path: path.to_string(),
        bytes: None,
        len: bytes.len(),
    };
    let mut widths: Vec<u32> = WIDTHS
        .iter()
        .copied()
        // A copy within a tenth of the original's width saves too little to be worth a file.
        .filter(|&w| u64::from(w) * 10 < u64::from(width) * 9)
        .collect();
    widths.push(width);
    // Every file to make: each width in the image's own format (but the original, published as
    // it is) and in WebP (unless the image is a WebP already).
    let mut jobs: Vec<(u32, Format)> = Vec::new();
    for &w in &widths {
        if w != width {
            jobs.push((w, format));
        }
        if format != Format::Webp && (w != width || w <= MAX_FULL_WIDTH_WEBP) {
            jobs.push((w, Format::Webp));
        }
    }
    let cached: Vec<Option<Vec<u8>>> = jobs.iter().map(|&(w, f)| cache.get(source, w, f)).collect();
    let missing = cached.iter().filter(|c| c.is_none()).count();
    let decoded = if missing > 0 {
        let image = encode::decode(bytes)?;
        if (image.width(), image.height()) != (width, height) {
            return Err("its header and its pixels disagree about its size".into());
        }
        Some(image)
    } else {
        None
    };
    let made: Vec<Vec<u8>> = jobs
        .par_iter()
        .zip(cached)
        .map(|(&(w, f), cached)| {
            cached.unwrap_or_else(|| {
                let image = decoded.as_ref().expect("decoded when a copy is missing");
                let bytes = encode::encode(
                    &encode::scaled(image, w, scaled_height(width, height, w)),
                    f,
                );
                cache.put(source, w, f, &bytes);
                bytes
            })
        })
        .collect();
    let made: BTreeMap<(u32, Format), Vec<u8>> = jobs.into_iter().zip(made).collect();
    let variant = |w: u32, f: Format| -> Variant {
        if (w, f) == (width, format) {
            return original.clone();
        }
        let bytes = &made[&(w, f)];
        Variant {
            width: w,
            format: f,
            path: variant_path(path, w, f, bytes),
            bytes: Some(Bytes::from(bytes.as_slice())),
            len: bytes.len(),
        }
    };
    let own: Vec<Variant> = widths.iter().map(|&w| variant(w, format)).collect();
    let best: Vec<Variant> = widths
        .iter()
        .map(|&w| {
            let own = variant(w, format);
            if !made.contains_key(&(w, Format::Webp)) {
                return own;
            }
            let webp = variant(w, Format::Webp);
            if webp.len < own.len { webp } else { own }
        })
        .collect();
    let best = useful(best);
    let webp = if format != Format::Webp && best.iter().any(|v| v.format == Format::Webp) {
        best
    } else {
        Vec::new()
    };
    let image = finish(
        path,
        Kind::Raster(format),
        Some((width, height)),
        useful(own),
        webp,
        source,
    );
    Ok((image, missing))
}

/// The height of a copy `width` wide of an image `w` × `h` (rounded, at least 1).
fn scaled_height(w: u32, h: u32, width: u32) -> u32 {
    ((u64::from(h) * u64::from(width) + u64::from(w) / 2) / u64::from(w)).max(1) as u32
}

/// The files worth offering, narrowest first: each smaller than every wider one (a browser that
/// wants a width gets the next wider file when a narrower one would not save bytes).
fn useful(files: Vec<Variant>) -> Vec<Variant> {
    let mut kept: Vec<Variant> = Vec::new();
    for file in files.into_iter().rev() {
        if kept.last().is_none_or(|wider| file.len < wider.len) {
            kept.push(file);
        }
    }
    kept.reverse();
    kept
}

fn finish(
    path: &str,
    kind: Kind,
    size: Option<(u32, u32)>,
    own: Vec<Variant>,
    webp: Vec<Variant>,
    source: Digest,
) -> Image {
    let names = |list: &[Variant]| {
        list.iter()
            .map(|v| (v.width, v.path.clone()))
            .collect::<Vec<_>>()
    };
    let digest = digest(&(path, size, names(&own), names(&webp), source));
    Image {
        path: path.to_string(),
        kind,
        size,
        own,
        webp,
        source,
        digest,
    }
}

/// `images/map.png` at 800 px as WebP → `images/map.800.1a2b3c4d.webp`.
fn variant_path(path: &str, width: u32, format: Format, bytes: &[u8]) -> String {
    let stem = path.rsplit_once('.').map_or(path, |(stem, _)| stem);
    format!(
        "{stem}.{width}.{:08x}.{}",
        digest_bytes(bytes).0 as u32,
        format.extension()
    )
}

/// A path as a URL path: every byte but letters, digits, `-._~` and `/` percent-encoded, so that
/// a space or a comma in a file name cannot split a `srcset` entry.
pub fn url_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// How an image is written into a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Loading {
    /// On the first screen: loaded at once.
    Eager,
    /// Below it: loaded when the visitor scrolls near it.
    Lazy,
}

impl Image {
    /// The markup of the image: a `<picture>` with a WebP `<source>` when there is one, an
    /// `<img>` with its copies in `srcset` when there are copies, else a plain `<img>`; always
    /// with `width` and `height` where the size is known. `alt` and `title` are text (escaped
    /// here); `base_path` is the site's path (`/karvan` or ``).
    pub fn html(&self, base_path: &str, alt: &str, title: &str, loading: Loading) -> String {
        use crate::escape::html as esc;
        let url = |v: &Variant| format!("{base_path}/{}", url_path(&v.path));
        let srcset = |list: &[Variant]| {
            list.iter()
                .map(|v| format!("{} {}w", url(v), v.width))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut img = String::from("<img");
        // The fallback for browsers without srcset: the copy nearest a phone's screen at 2×.
        let src = self
            .own
            .iter()
            .find(|v| v.width >= 800)
            .or(self.own.last())
            .map(url)
            .unwrap_or_else(|| format!("{base_path}/{}", url_path(&self.path)));
        img.push_str(&format!(" src=\"{}\"", esc(&src)));
        if self.own.len() > 1 {
            img.push_str(&format!(
                " srcset=\"{}\" sizes=\"{SIZES}\"",
                esc(&srcset(&self.own))
            ));
        }
        if let Some((w, h)) = self.size {
            img.push_str(&format!(" width=\"{w}\" height=\"{h}\""));
        }
        img.push_str(&format!(" alt=\"{}\"", esc(alt)));
        if !title.is_empty() {
            img.push_str(&format!(" title=\"{}\"", esc(title)));
        }
        if loading == Loading::Lazy {
            img.push_str(" loading=\"lazy\" decoding=\"async\"");
        }
        img.push('>');
        if self.webp.is_empty() {
            return img;
        }
        format!(
            "<picture><source type=\"image/webp\" srcset=\"{}\" sizes=\"{SIZES}\">{img}</picture>",
            esc(&srcset(&self.webp))
        )
    }

    /// The URL of the copy to offer to other sites (`og:image`): the widest in the image's own
    /// format up to 1200 px (what link previews show), else the original.
    pub fn share(&self, base_path: &str) -> (String, Option<(u32, u32)>) {
        let v = self
            .own
            .iter()
            .rev()
            .find(|v| v.width <= 1200)
            .or(self.own.first());
        match (v, self.size) {
            (Some(v), Some((w, h))) => (
                format!("{base_path}/{}", url_path(&v.path)),
                Some((v.width, scaled_height(w, h, v.width))),
            ),
            _ => (format!("{base_path}/{}", url_path(&self.path)), self.size),
        }
    }
}

#[cfg(test)]
mod tests;
