//! Service and agency files: any bytes parse as both without a panic; errors name the file.
#![no_main]

use karvan::catalog::{Agency, Service};
use karvan::source::{SourceText, parse_toml};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(source) = SourceText::from_bytes("content/services/x.toml", data.to_vec()) else {
        return;
    };
    let whole = 0..source.text.len();
    if let Err(d) = parse_toml::<Service>(&source, whole.clone()) {
        let _ = d.to_string();
    }
    if let Err(d) = parse_toml::<Agency>(&source, whole) {
        let _ = d.to_string();
    }
});
