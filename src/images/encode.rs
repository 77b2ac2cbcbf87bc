//! Decoding an image, and encoding its smaller copies, each kept in the cache under the site's
//! folder so that a later build encodes nothing it has encoded before.
//!
//! A copy's cache file is named by what it is made from and how: the source's content digest,
//! the width, the format and [`SETTINGS`]. A change of any of them is a new name; a file is
//! written under a temporary name and renamed into place, so that a build stopped halfway or
//! two builds at once never leave half a file under a real name.

use std::io::Cursor;
use std::path::{Path, PathBuf};

use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::{CompressionType, FilterType as PngFilter, PngEncoder};
use image::codecs::webp::WebPEncoder;
use image::imageops::FilterType;
use image::{DynamicImage, ImageDecoder, ImageReader};

use crate::record::Digest;

/// How copies are made; part of every cache file's name, so that changing it re-encodes.
/// JPEG at quality 80 (the usual web setting: no visible loss at phone sizes); PNG at the best
/// compression with adaptive filters; WebP lossless (the only WebP `image` writes, see
/// docs/benchmarks.md); Lanczos-3 resampling.
pub const SETTINGS: &str = "jpeg-q80.png-best-adaptive.webp-lossless.lanczos3.v1";

/// The formats karvan reads and writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Format {
    Png,
    Jpeg,
    Webp,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Format::Png => "png",
            Format::Jpeg => "jpg",
            Format::Webp => "webp",
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            Format::Png => "image/png",
            Format::Jpeg => "image/jpeg",
            Format::Webp => "image/webp",
        }
    }
}

/// What a raster image's header says: its format and its size as shown (after the EXIF
/// orientation of a photo is applied).
pub fn probe(bytes: &[u8]) -> Result<(Format, u32, u32), String> {
    let (format, decoder) = decoder(bytes)?;
    let (w, h) = decoder.dimensions();
    Ok(match decoder_orientation(decoder) {
        true => (format, h, w),
        false => (format, w, h),
    })
}

/// Whether the orientation turns the image a quarter (width and height swap).
fn decoder_orientation(mut decoder: impl ImageDecoder) -> bool {
    use image::metadata::Orientation::*;
    matches!(
        decoder.orientation(),
        Ok(Rotate90 | Rotate270 | Rotate90FlipH | Rotate270FlipH)
    )
}

fn decoder(bytes: &[u8]) -> Result<(Format, impl ImageDecoder + '_), String> {
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| e.to_string())?;
    let format = match reader.format() {
        Some(image::ImageFormat::Png) => Format::Png,
        Some(image::ImageFormat::Jpeg) => Format::Jpeg,
        Some(image::ImageFormat::WebP) => Format::Webp,
        Some(other) => {
            return Err(format!(
                "it is a {other:?} image; karvan reads PNG, JPEG and WebP"
            ));
        }
        None => return Err("it is not a PNG, JPEG or WebP image".into()),
    };
    let decoder = reader.into_decoder().map_err(|e| e.to_string())?;
    Ok((format, decoder))
}

/// The whole image, decoded and turned as its EXIF orientation says.
pub fn decode(bytes: &[u8]) -> Result<DynamicImage, String> {
    let (_, mut decoder) = decoder(bytes)?;
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut image = DynamicImage::from_decoder(decoder).map_err(|e| e.to_string())?;
    image.apply_orientation(orientation);
    Ok(image)
}

/// `image` scaled to `width` (keeping its proportions), or as it is at its own width.
pub fn scaled(image: &DynamicImage, width: u32, height: u32) -> DynamicImage {
    if width == image.width() {
        return image.clone();
    }
    image.resize_exact(width, height, FilterType::Lanczos3)
}

/// `image` encoded as `format`.
pub fn encode(image: &DynamicImage, format: Format) -> Vec<u8> {
    let mut out = Vec::new();
    let alpha = image.color().has_alpha();
    let pixels = if alpha && format != Format::Jpeg {
        DynamicImage::ImageRgba8(image.to_rgba8())
    } else {
        DynamicImage::ImageRgb8(image.to_rgb8())
    };
    let result = match format {
        Format::Jpeg => pixels.write_with_encoder(JpegEncoder::new_with_quality(&mut out, 80)),
        Format::Png => pixels.write_with_encoder(PngEncoder::new_with_quality(
            &mut out,
            CompressionType::Best,
            PngFilter::Adaptive,
        )),
        Format::Webp => pixels.write_with_encoder(WebPEncoder::new_lossless(&mut out)),
    };
    result.expect("8-bit RGB(A) pixels encode into memory in every format");
    out
}

/// The encoded copies kept between builds, under `<site>/.karvan-cache/images/`.
#[derive(Debug, Clone)]
pub struct Cache {
    /// `None`: nothing is kept (tests, or a site folder that cannot be written).
    dir: Option<PathBuf>,
}

impl Cache {
    pub fn under(root: &Path) -> Cache {
        Cache {
            dir: Some(root.join(".karvan-cache").join("images")),
        }
    }

    pub fn none() -> Cache {
        Cache { dir: None }
    }

    fn file(&self, source: Digest, width: u32, format: Format) -> Option<PathBuf> {
        let settings = crate::record::digest(&SETTINGS).0 as u32;
        self.dir.as_ref().map(|dir| {
            dir.join(format!(
                "{:016x}-{width}-{settings:08x}.{}",
                source.0,
                format.extension()
            ))
        })
    }

    /// The copy made before, if there is one.
    pub fn get(&self, source: Digest, width: u32, format: Format) -> Option<Vec<u8>> {
        std::fs::read(self.file(source, width, format)?)
            .ok()
            .filter(|b| !b.is_empty())
    }

    /// Keeps a copy for later builds. A cache that cannot be written only costs time: the
    /// problem is logged, not reported.
    pub fn put(&self, source: Digest, width: u32, format: Format, bytes: &[u8]) {
        let Some(file) = self.file(source, width, format) else {
            return;
        };
        if let Err(e) = crate::output::write::replace_file(&file, bytes) {
            log::warn!("cannot keep {} in the image cache: {e}", file.display());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gradient(width: u32, height: u32) -> DynamicImage {
        DynamicImage::ImageRgb8(image::RgbImage::from_fn(width, height, |x, y| {
            image::Rgb([(x * 255 / width) as u8, (y * 255 / height) as u8, 128])
        }))
    }

    #[test]
    fn probes_the_format_and_size_of_what_it_encodes() {
        let image = gradient(40, 30);
        for format in [Format::Png, Format::Jpeg, Format::Webp] {
            let bytes = encode(&image, format);
            assert_eq!(probe(&bytes).unwrap(), (format, 40, 30));
            let decoded = decode(&bytes).unwrap();
            assert_eq!((decoded.width(), decoded.height()), (40, 30));
        }
    }

    #[test]
    fn names_what_is_not_an_image() {
        assert_eq!(
            probe(b"hello").unwrap_err(),
            "it is not a PNG, JPEG or WebP image"
        );
        let gif = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;";
        assert_eq!(
            probe(gif).unwrap_err(),
            "it is a Gif image; karvan reads PNG, JPEG and WebP"
        );
    }

    #[test]
    fn encoding_is_the_same_every_time() {
        let image = gradient(64, 48);
        for format in [Format::Png, Format::Jpeg, Format::Webp] {
            assert_eq!(encode(&image, format), encode(&image, format));
        }
        let small = scaled(&image, 32, 24);
        assert_eq!((small.width(), small.height()), (32, 24));
    }

    #[test]
    fn the_cache_gives_back_what_it_kept() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::under(dir.path());
        assert_eq!(cache.get(Digest(7), 480, Format::Webp), None);
        cache.put(Digest(7), 480, Format::Webp, b"bytes");
        assert_eq!(
            cache.get(Digest(7), 480, Format::Webp).as_deref(),
            Some(&b"bytes"[..])
        );
        assert_eq!(cache.get(Digest(7), 800, Format::Webp), None);
        assert_eq!(cache.get(Digest(8), 480, Format::Webp), None);
        assert_eq!(Cache::none().get(Digest(7), 480, Format::Webp), None);
    }
}
