//! Fluent files: any bytes parse and are checked (syntax, message cycles) without a panic, and
//! every message of a file that passes formats.
#![no_main]

use karvan::source::SourceText;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(source) = SourceText::from_bytes("i18n/ru.ftl", data.to_vec()) else {
        return;
    };
    match karvan::i18n::parse(&source) {
        Ok(resource) => {
            for d in karvan::i18n::cycles(&resource, &source) {
                assert!(d.position.is_some(), "a cycle is located: {d}");
                let _ = d.to_string();
            }
        }
        Err(errors) => {
            for d in errors {
                let _ = d.to_string();
            }
        }
    }
});
