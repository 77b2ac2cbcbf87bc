//! Precompressed siblings (`page.html.br`, `page.html.gz`) for hosts and CDNs that serve them
//! as they are: the server spends no time compressing, and the visitor gets the smallest file
//! the best levels give, which on-the-fly compression rarely uses.
//!
//! Both encoders are pure Rust and deterministic: the gzip header carries no time, name or
//! system, so two builds of the same site write the same bytes.

use std::cell::RefCell;

/// Which files get siblings and how hard they are compressed (site.toml `[build] precompress`
/// switches it off; the levels are fixed by measurement).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Precompress {
    pub enabled: bool,
    /// Brotli quality, 0–11.
    pub brotli: u32,
    /// gzip level, 0–9.
    pub gzip: u32,
    /// Files smaller than this many bytes are left alone: their compressed form would hardly be
    /// smaller than the headers saved.
    pub min_size: usize,
}

impl Default for Precompress {
    /// Levels chosen by measurement (docs/benchmarks.md, "Precompression levels"): on the portal's
    /// 353 pages brotli 5 makes files 31.1 % of the original in 0.46 ms a page, brotli 11 27.6 %
    /// in 18 ms (forty times the time for files 11 % smaller: on a 1,000-page-per-language site
    /// that is a minute of CPU against two seconds); gzip 6 is as small as 9 (33.6 % against
    /// 33.5 %) and faster. Quality 4 and below is no smaller than gzip.
    fn default() -> Precompress {
        Precompress {
            enabled: true,
            brotli: 5,
            gzip: 6,
            min_size: 512,
        }
    }
}

/// The two encodings, in the order their siblings are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Encoding {
    Brotli,
    Gzip,
}

impl Encoding {
    pub const ALL: [Encoding; 2] = [Encoding::Brotli, Encoding::Gzip];

    /// The sibling's extension, with its dot.
    pub fn extension(self) -> &'static str {
        match self {
            Encoding::Brotli => ".br",
            Encoding::Gzip => ".gz",
        }
    }
}

impl Precompress {
    pub fn new(enabled: bool) -> Precompress {
        Precompress {
            enabled,
            ..Precompress::default()
        }
    }

    /// Whether `path` (with `size` bytes) gets compressed siblings: text formats a browser
    /// fetches (HTML, CSS, JavaScript, JSON, XML and feeds, SVG, web manifests), over the
    /// threshold.
    pub fn wants(&self, path: &str, size: usize) -> bool {
        const TEXT: &[&str] = &[
            ".html",
            ".css",
            ".js",
            ".mjs",
            ".json",
            ".xml",
            ".svg",
            ".webmanifest",
            ".atom",
        ];
        self.enabled && size >= self.min_size && TEXT.iter().any(|ext| path.ends_with(ext))
    }

    /// A digest of how `encoding` is applied, mixed into a sibling's recorded hash so that a
    /// change of level rewrites the siblings.
    pub fn recipe(&self, encoding: Encoding) -> u64 {
        match encoding {
            Encoding::Brotli => 0xB0 << 8 | u64::from(self.brotli),
            Encoding::Gzip => 0x6A << 8 | u64::from(self.gzip),
        }
    }

    pub fn compress(&self, encoding: Encoding, bytes: &[u8]) -> Vec<u8> {
        match encoding {
            Encoding::Brotli => brotli(bytes, self.brotli),
            Encoding::Gzip => gzip(bytes, self.gzip),
        }
    }
}

pub fn brotli(bytes: &[u8], quality: u32) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() / 3 + 64);
    let mut params = brotli::enc::BrotliEncoderInitParams();
    params.quality = quality.min(11) as i32;
    // A window just over the file's size, but at least 128 KiB (lgwin 17): for windows of 64 KiB
    // and less the C encoder uses small "forgetful chain" hashers (H40–H42) that the Rust port
    // lacks, and falls back to a hasher with default sizes whose tables it clears on every call
    // (18 ms a page at quality 5 instead of 0.5 ms). At most 4 MiB.
    params.lgwin = (usize::BITS - bytes.len().max(1024).leading_zeros()).clamp(16, 21) as i32 + 1;
    params.size_hint = bytes.len();
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params)
        .expect("compressing into memory cannot fail");
    out
}

thread_local! {
    /// One deflate state per thread, reset between files: zlib's state is a few hundred
    /// kilobytes, and allocating it for every file let the allocator's heap grow to twice the
    /// build's memory (the allocations it frees raise glibc's threshold for mapping memory).
    static DEFLATE: RefCell<Option<(u32, flate2::Compress)>> = const { RefCell::new(None) };
}

/// `bytes` in gzip's format at `level`, with no name, no time and an "unknown" system in the
/// header: the same bytes on every machine.
pub fn gzip(bytes: &[u8], level: u32) -> Vec<u8> {
    let level = level.min(9);
    // The header: magic, deflate, no flags, no time, how hard it was compressed, unknown system.
    let hardness = match level {
        9 => 2,
        0 | 1 => 4,
        _ => 0,
    };
    let mut out = Vec::with_capacity(bytes.len() / 3 + 64);
    out.extend_from_slice(&[0x1f, 0x8b, 8, 0, 0, 0, 0, 0, hardness, 255]);
    DEFLATE.with(|state| {
        let mut state = state.borrow_mut();
        let reusable = matches!(&*state, Some((l, _)) if *l == level);
        if !reusable {
            *state = Some((
                level,
                flate2::Compress::new(flate2::Compression::new(level), false),
            ));
        }
        let (_, deflate) = state.as_mut().expect("set above");
        deflate.reset();
        loop {
            let read = deflate.total_in() as usize;
            let status = deflate
                .compress_vec(&bytes[read..], &mut out, flate2::FlushCompress::Finish)
                .expect("compressing into memory cannot fail");
            if status == flate2::Status::StreamEnd {
                break;
            }
            out.reserve(out.capacity().max(1024));
        }
    });
    let mut crc = flate2::Crc::new();
    crc.update(bytes);
    out.extend_from_slice(&crc.sum().to_le_bytes());
    out.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn text() -> Vec<u8> {
        "<p>Azərbaycanda 15 gündən çox qalırsınızsa — регистрация по месту пребывания.</p>\n"
            .repeat(40)
            .into_bytes()
    }

    #[test]
    fn each_sibling_decompresses_to_the_original() {
        let original = text();
        let settings = Precompress::default();
        let br = settings.compress(Encoding::Brotli, &original);
        let mut back = Vec::new();
        brotli::Decompressor::new(&br[..], 4096)
            .read_to_end(&mut back)
            .unwrap();
        assert_eq!(back, original);
        let gz = settings.compress(Encoding::Gzip, &original);
        let mut back = Vec::new();
        flate2::read::GzDecoder::new(&gz[..])
            .read_to_end(&mut back)
            .unwrap();
        assert_eq!(back, original);
        assert!(br.len() < original.len() / 5 && gz.len() < original.len() / 5);
    }

    #[test]
    fn gzip_round_trips_empty_and_incompressible_input_at_every_level() {
        // Bytes that do not compress: the output outgrows the capacity first reserved.
        let noise: Vec<u8> = (0u32..200_000)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect();
        for level in [1, 6, 9, 6] {
            for input in [&b""[..], &noise[..], &text()[..]] {
                let gz = gzip(input, level);
                let mut back = Vec::new();
                flate2::read::GzDecoder::new(&gz[..])
                    .read_to_end(&mut back)
                    .unwrap();
                assert_eq!(back, input, "level {level}");
            }
        }
    }

    #[test]
    fn the_same_input_gives_the_same_bytes() {
        let settings = Precompress::default();
        for encoding in Encoding::ALL {
            assert_eq!(
                settings.compress(encoding, &text()),
                settings.compress(encoding, &text())
            );
        }
        // No time in the gzip header.
        assert_eq!(&gzip(b"x", 9)[4..8], &[0, 0, 0, 0]);
    }

    #[test]
    fn only_text_formats_over_the_threshold_get_siblings() {
        let settings = Precompress::default();
        assert!(settings.wants("en/index.html", 4000));
        assert!(settings.wants("az/manifest.webmanifest", 600));
        assert!(!settings.wants("en/index.html", 100));
        assert!(!settings.wants("images/photo.jpg", 100_000));
        assert!(!settings.wants("en/index.html.gz", 4000));
        let off = Precompress::new(false);
        assert!(!off.wants("en/index.html", 4000));
    }
}
