//! Front matter: any bytes as `content/en/<path>.md` are split, parsed and checked without a
//! panic; an error always names the file.
#![no_main]

use std::path::Path;
use std::sync::LazyLock;

use karvan::config::{Config, Overrides};
use karvan::content::{Page, split_front_matter};
use karvan::source::SourceText;
use libfuzzer_sys::fuzz_target;

static CONFIG: LazyLock<Config> = LazyLock::new(|| {
    let text = "base_url = \"https://example.org/\"\ndefault_language = \"en\"\n[[languages]]\ncode = \"en\"\nname = \"English\"\ntitle = \"T\"\n";
    let source = SourceText::from_bytes("site.toml", text.as_bytes().to_vec()).unwrap();
    Config::parse(Path::new("/site"), source, &Overrides::default()).unwrap()
});

fuzz_target!(|data: &[u8]| {
    // The first byte chooses the file's place: a page, a section or the home page.
    let (rel, data) = match data.split_first() {
        Some((0, rest)) => ("_index.md", rest),
        Some((1, rest)) => ("stay/_index.md", rest),
        Some((_, rest)) => ("stay/register.md", rest),
        None => return,
    };
    let lang = CONFIG.lang("en").unwrap();
    let Ok(source) = SourceText::from_bytes(format!("content/en/{rel}"), data.to_vec()) else {
        return;
    };
    let _ = split_front_matter(&source);
    match Page::parse(lang, rel, source) {
        Ok(page) => {
            let _ = page.body();
        }
        Err(d) => {
            assert!(d.path.is_some(), "an error names the file: {d}");
            let _ = d.to_string();
        }
    }
});
