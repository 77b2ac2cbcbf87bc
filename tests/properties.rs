//! Property tests (proptest) for slugs, URLs and output paths: whatever the input, what the
//! build writes is never an absolute path, never holds `..` or a control character, and a URL
//! holds only characters that need no escaping.

use karvan::i18n::slug::slugify;
use karvan::site::encode_path;
use karvan::validate::{alias_file, output_files, segment, site_path};
use proptest::prelude::*;

/// Any text, weighted towards what breaks paths: separators, dots, controls, percent signs,
/// Azerbaijani and Russian letters.
fn hostile() -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        Just("/".to_string()),
        Just("\\".to_string()),
        Just("..".to_string()),
        Just(".".to_string()),
        Just("%".to_string()),
        Just("\n".to_string()),
        Just("\u{0}".to_string()),
        Just("\u{1b}".to_string()),
        Just(" ".to_string()),
        Just("İ".to_string()),
        Just("ə".to_string()),
        Just("щ".to_string()),
        Just("CON".to_string()),
        Just("*".to_string()),
        Just(":".to_string()),
        "[a-z]{1,3}",
        any::<char>().prop_map(|c| c.to_string()),
    ];
    prop::collection::vec(pieces, 0..12).prop_map(|v| v.concat())
}

fn is_safe_relative(path: &str) -> bool {
    !path.starts_with('/')
        && !path.contains('\\')
        && !path.chars().any(char::is_control)
        && path
            .split('/')
            .all(|c| !c.is_empty() && c != "." && c != "..")
}

proptest! {
    #[test]
    fn a_slug_is_one_safe_segment(text in hostile(), lang in prop_oneof![Just("az"), Just("en"), Just("ru")]) {
        let slug = slugify(&text, lang);
        prop_assert!(!slug.contains('/') && !slug.contains('\\'), "{slug:?}");
        prop_assert!(!slug.chars().any(char::is_control), "{slug:?}");
        prop_assert!(slug != "." && slug != ".." && !slug.starts_with('-') && !slug.ends_with('-'), "{slug:?}");
        if !slug.is_empty() {
            let path = format!("{lang}/{slug}/index.html");
            prop_assert!(is_safe_relative(&path), "{path:?}");
        }
    }

    #[test]
    fn a_valid_segment_makes_a_safe_path_and_an_ascii_url(text in hostile()) {
        if segment(&text).is_ok() {
            let path = format!("en/{text}/index.html");
            prop_assert!(is_safe_relative(&path), "{path:?}");
            prop_assert!(output_files([path.as_str()]).is_empty(), "{path:?}");
            let url = encode_path(&format!("en/{text}/"));
            prop_assert!(
                url.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.~/%".contains(&b)),
                "{url:?}"
            );
            prop_assert!(!url.contains("//") && !url.contains("/../"), "{url:?}");
        }
    }

    #[test]
    fn a_valid_alias_is_a_file_inside_the_output_and_one_redirect_field(text in hostile()) {
        let alias = format!("/{text}");
        if site_path(&alias).is_ok() {
            let file = alias_file(&alias);
            prop_assert!(is_safe_relative(&file), "{alias:?} → {file:?}");
            prop_assert!(output_files([file.as_str()]).is_empty(), "{file:?}");
            prop_assert!(!alias.contains(char::is_whitespace), "{alias:?}");
            prop_assert!(!alias.starts_with("//"), "{alias:?}");
            prop_assert!(!alias.contains(['*', ':', '\\']), "{alias:?}");
        }
    }

    #[test]
    fn encoding_a_path_never_leaves_a_control_or_a_space(text in hostile()) {
        let url = encode_path(&text);
        prop_assert!(url.bytes().all(|b| b.is_ascii_graphic()), "{url:?}");
    }
}
