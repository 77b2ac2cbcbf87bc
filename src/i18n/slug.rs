//! URL-safe slugs and heading ids made from titles, per language: lower case by the language's
//! rules, then letters transliterated to ASCII where the language has a table here, then every run
//! of other characters folded into one hyphen.
//!
//! - Azerbaijani and Turkish: the letters to their Latin base (`ə`→`e`, `ı`→`i`, `ş`→`s`, `ç`→`c`,
//!   `ğ`→`g`, `ö`→`o`, `ü`→`u`): `Müvəqqəti yaşama icazəsi` → `muveqqeti-yasama-icazesi`.
//! - Russian: ICAO Doc 9303 (the romanisation of Russian passports): `Временное проживание` →
//!   `vremennoe-prozhivanie`, `щ`→`shch`, `ю`→`iu`, `я`→`ia`, `ъ`→`ie`, `ь` dropped.
//! - Any other language keeps its letters (an id or URL may hold any Unicode letter).

use super::locale::lowercase;

fn transliterate(c: char, lang: &str) -> Option<&'static str> {
    match lang {
        "az" | "tr" => Some(match c {
            'ə' => "e",
            'ı' | 'i' => "i",
            'ş' => "s",
            'ç' => "c",
            'ğ' => "g",
            'ö' => "o",
            'ü' => "u",
            '\u{307}' => "",
            _ => return None,
        }),
        "ru" => Some(match c {
            'а' => "a",
            'б' => "b",
            'в' => "v",
            'г' => "g",
            'д' => "d",
            'е' | 'ё' | 'э' => "e",
            'ж' => "zh",
            'з' => "z",
            'и' | 'й' => "i",
            'к' => "k",
            'л' => "l",
            'м' => "m",
            'н' => "n",
            'о' => "o",
            'п' => "p",
            'р' => "r",
            'с' => "s",
            'т' => "t",
            'у' => "u",
            'ф' => "f",
            'х' => "kh",
            'ц' => "ts",
            'ч' => "ch",
            'ш' => "sh",
            'щ' => "shch",
            'ъ' => "ie",
            'ы' => "y",
            'ь' => "",
            'ю' => "iu",
            'я' => "ia",
            _ => return None,
        }),
        _ => None,
    }
}

/// A slug of `text` in language `lang` (a BCP 47 tag).
pub fn slugify(text: &str, lang: &str) -> String {
    let primary = lang.split(['-', '_']).next().unwrap_or("");
    let mut out = String::with_capacity(text.len());
    let mut pending_hyphen = false;
    for c in lowercase(text, lang).chars() {
        let piece: String = match transliterate(c, primary) {
            Some(ascii) => ascii.to_string(),
            None if c.is_alphanumeric() => c.to_string(),
            None if c == '\u{307}' => String::new(),
            None => {
                pending_hyphen = true;
                continue;
            }
        };
        if piece.is_empty() {
            continue;
        }
        if pending_hyphen && !out.is_empty() {
            out.push('-');
        }
        pending_hyphen = false;
        out.push_str(&piece);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transliterates_azerbaijani_and_russian_titles() {
        assert_eq!(
            slugify("Müvəqqəti yaşama icazəsi", "az"),
            "muveqqeti-yasama-icazesi"
        );
        assert_eq!(
            slugify("Временное проживание", "ru"),
            "vremennoe-prozhivanie"
        );
        assert_eq!(
            slugify("Объём, щи и ёж — 2026", "ru-RU"),
            "obieem-shchi-i-ezh-2026"
        );
        assert_eq!(slugify("İSTANBUL IĞDIR", "az"), "istanbul-igdir");
    }

    #[test]
    fn keeps_the_letters_of_other_languages() {
        assert_eq!(
            slugify("Register your place of stay!", "en"),
            "register-your-place-of-stay"
        );
        assert_eq!(slugify("Zürich: Straße", "de"), "zürich-straße");
        assert_eq!(slugify("مرحبا بكم", "ar"), "مرحبا-بكم");
    }
}
