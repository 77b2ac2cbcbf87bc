//! Locale data from ICU4X's compiled CLDR data: dates, numbers, collation, case mapping and plural
//! categories, for one language of the site.

use std::cmp::Ordering;

use fixed_decimal::{Decimal, FloatPrecision};
use icu_calendar::{Date as IcuDate, Gregorian};
use icu_casemap::CaseMapper;
use icu_collator::options::CollatorOptions;
use icu_collator::{Collator, CollatorBorrowed};
use icu_datetime::{FixedCalendarDateTimeFormatter, fieldsets};
use icu_decimal::DecimalFormatter;
use icu_locale_core::{LanguageIdentifier, Locale};
use icu_plurals::{PluralCategory, PluralRules};

use crate::catalog::Date;

/// How long a written date is: `25.11.26`, `25 noy 2026`, `25 noyabr 2026`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateStyle {
    Short,
    Medium,
    Long,
}

impl DateStyle {
    pub fn parse(name: &str) -> Option<DateStyle> {
        match name {
            "short" => Some(DateStyle::Short),
            "medium" => Some(DateStyle::Medium),
            "long" => Some(DateStyle::Long),
            _ => None,
        }
    }
}

type DateFormatter = FixedCalendarDateTimeFormatter<Gregorian, fieldsets::YMD>;

/// The formatters of one locale, made once per build and shared by the render threads.
pub struct LocaleData {
    id: LanguageIdentifier,
    dates: [DateFormatter; 3],
    decimal: DecimalFormatter,
    collator: CollatorBorrowed<'static>,
    /// The same collation comparing base letters only: which initials are one letter.
    letters: CollatorBorrowed<'static>,
    plurals: PluralRules,
}

impl std::fmt::Debug for LocaleData {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "LocaleData({})", self.id)
    }
}

impl LocaleData {
    /// The locale data for a BCP 47 tag; CLDR's fallback chain fills what a locale lacks.
    pub fn new(tag: &str) -> Result<LocaleData, String> {
        let locale: Locale = tag
            .parse()
            .map_err(|e| format!("`{tag}` is not a locale: {e:?}"))?;
        let date = |fields| {
            DateFormatter::try_new(locale.clone().into(), fields)
                .map_err(|e| format!("no date formats for `{tag}`: {e}"))
        };
        Ok(LocaleData {
            id: locale.id.clone(),
            dates: [
                date(fieldsets::YMD::short())?,
                date(fieldsets::YMD::medium())?,
                date(fieldsets::YMD::long())?,
            ],
            decimal: DecimalFormatter::try_new(locale.clone().into(), Default::default())
                .map_err(|e| format!("no number formats for `{tag}`: {e}"))?,
            collator: Collator::try_new(locale.clone().into(), CollatorOptions::default())
                .map_err(|e| format!("no collation for `{tag}`: {e}"))?,
            letters: Collator::try_new(locale.clone().into(), {
                let mut options = CollatorOptions::default();
                options.strength = Some(icu_collator::options::Strength::Primary);
                options
            })
            .map_err(|e| format!("no collation for `{tag}`: {e}"))?,
            plurals: PluralRules::try_new_cardinal(locale.into())
                .map_err(|e| format!("no plural rules for `{tag}`: {e}"))?,
        })
    }

    /// `25 noyabr 2026`, `25 ноября 2026 г.`, `November 25, 2026`.
    pub fn date(&self, date: Date, style: DateStyle) -> String {
        let Ok(date) = IcuDate::try_new_gregorian(i32::from(date.year), date.month, date.day)
        else {
            return date.to_string();
        };
        let formatter = &self.dates[style as usize];
        formatter.format(&date).to_string()
    }

    /// A number with the locale's separators: `1.234,5` in az, `1 234,5` in ru. `fraction_digits`
    /// fixes the digits after the separator (money: 2, or 0 for whole amounts).
    pub fn number(&self, value: f64, fraction_digits: Option<i16>) -> String {
        let Ok(mut decimal) = Decimal::try_from_f64(value, FloatPrecision::RoundTrip) else {
            return value.to_string();
        };
        if let Some(digits) = fraction_digits {
            decimal.round(-digits);
            decimal.pad_end(-digits);
        }
        self.decimal.format(&decimal).to_string()
    }

    /// Compares two texts by the language's collation (Azerbaijani `ç` after `c`, `ə` after `e`).
    pub fn compare(&self, a: &str, b: &str) -> Ordering {
        self.collator.compare(a, b)
    }

    /// Whether two letters are the same letter of the alphabet, case and accents aside: in
    /// Azerbaijani `c` and `Ç` are not, in Russian `е` and `Ё` are.
    pub fn same_letter(&self, a: char, b: char) -> bool {
        let (mut x, mut y) = ([0; 4], [0; 4]);
        self.letters
            .compare(a.encode_utf8(&mut x), b.encode_utf8(&mut y))
            == Ordering::Equal
    }

    pub fn lowercase(&self, text: &str) -> String {
        CaseMapper::new()
            .lowercase_to_string(text, &self.id)
            .into_owned()
    }

    pub fn uppercase(&self, text: &str) -> String {
        CaseMapper::new()
            .uppercase_to_string(text, &self.id)
            .into_owned()
    }

    /// The CLDR plural categories of the language's cardinal numbers, as Fluent names them.
    pub fn plural_categories(&self) -> Vec<&'static str> {
        self.plurals
            .categories()
            .map(|c| match c {
                PluralCategory::Zero => "zero",
                PluralCategory::One => "one",
                PluralCategory::Two => "two",
                PluralCategory::Few => "few",
                PluralCategory::Many => "many",
                PluralCategory::Other => "other",
            })
            .collect()
    }
}

/// The locale data of every language of a site, by language (in site.toml's order).
#[derive(Debug, Default)]
pub struct Locales(Vec<LocaleData>);

impl Locales {
    /// Loads the data of each language's locale (site.toml's `locale`, else its code).
    pub fn load(config: &crate::config::Config) -> Result<Locales, crate::error::Diagnostics> {
        let mut data = Vec::new();
        let mut problems = crate::error::Diagnostics::default();
        for language in &config.languages {
            match LocaleData::new(&language.locale.to_string()) {
                Ok(locale) => data.push(locale),
                Err(why) => {
                    problems.push(crate::error::Diagnostic::error(why).in_file(&config.source.path))
                }
            }
        }
        if problems.has_errors() {
            return Err(problems);
        }
        Ok(Locales(data))
    }

    /// The data of a language.
    pub fn get(&self, lang: crate::config::Lang) -> &LocaleData {
        &self.0[lang.index()]
    }
}

/// Lower case for `lang` without the rest of the locale data (heading ids, search terms).
pub fn lowercase(text: &str, lang: &str) -> String {
    let id: LanguageIdentifier = lang.parse().unwrap_or(LanguageIdentifier::UNKNOWN);
    CaseMapper::new()
        .lowercase_to_string(text, &id)
        .into_owned()
}

/// Fluent's hook for numbers: format `NUMBER` arguments (and plain numeric arguments) with the
/// locale's separators, so that `{ $count }` reads `1.234` in az and `1 234` in ru.
pub fn format_fluent_number(
    value: &fluent_bundle::FluentValue<'_>,
    intls: &intl_memoizer::concurrent::IntlLangMemoizer,
) -> Option<String> {
    use fluent_bundle::memoizer::MemoizerKind;
    use intl_memoizer::Memoizable;
    struct Numbers(DecimalFormatter);
    impl Memoizable for Numbers {
        type Args = ();
        type Error = String;
        fn construct(lang: unic_langid::LanguageIdentifier, _: ()) -> Result<Self, String> {
            let locale: Locale = lang.to_string().parse().map_err(|e| format!("{e:?}"))?;
            DecimalFormatter::try_new(locale.into(), Default::default())
                .map(Numbers)
                .map_err(|e| e.to_string())
        }
    }
    let fluent_bundle::FluentValue::Number(number) = value else {
        return None;
    };
    let mut decimal = Decimal::try_from_f64(number.value, FloatPrecision::RoundTrip).ok()?;
    if let Some(min) = number.options.minimum_fraction_digits {
        decimal.pad_end(-(min as i16));
    }
    if let Some(max) = number.options.maximum_fraction_digits {
        decimal.round(-(max as i16));
    }
    intls
        .with_try_get_threadsafe::<Numbers, _, _>((), |f| f.0.format(&decimal).to_string())
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date() -> Date {
        Date {
            year: 2026,
            month: 11,
            day: 25,
        }
    }

    #[test]
    fn writes_dates_per_locale() {
        let az = LocaleData::new("az-Latn-AZ").unwrap();
        assert_eq!(az.date(date(), DateStyle::Long), "25 noyabr 2026");
        assert_eq!(az.date(date(), DateStyle::Short), "25.11.26");
        let ru = LocaleData::new("ru-RU").unwrap();
        assert_eq!(ru.date(date(), DateStyle::Long), "25 ноября 2026\u{202f}г.");
        assert_eq!(
            ru.date(date(), DateStyle::Medium),
            "25 нояб. 2026\u{202f}г."
        );
        assert_eq!(
            LocaleData::new("en-GB")
                .unwrap()
                .date(date(), DateStyle::Long),
            "25 November 2026"
        );
        assert_eq!(
            LocaleData::new("en-US")
                .unwrap()
                .date(date(), DateStyle::Long),
            "November 25, 2026"
        );
    }

    #[test]
    fn writes_numbers_with_the_locale_separators() {
        assert_eq!(
            LocaleData::new("az").unwrap().number(1234.5, None),
            "1.234,5"
        );
        assert_eq!(
            LocaleData::new("ru").unwrap().number(1234.5, None),
            "1\u{a0}234,5"
        );
        assert_eq!(
            LocaleData::new("en").unwrap().number(1234.5, None),
            "1,234.5"
        );
        assert_eq!(
            LocaleData::new("az").unwrap().number(20.0, Some(2)),
            "20,00"
        );
    }

    #[test]
    fn sorts_azerbaijani_and_russian_by_their_alphabets() {
        let az = LocaleData::new("az").unwrap();
        let mut words = [
            "zəng",
            "çay",
            "ədalət",
            "ışıq",
            "iş",
            "xalq",
            "hava",
            "qala",
            "kənd",
            "ölkə",
            "oğul",
            "şəhər",
            "sabah",
            "üzüm",
            "ulduz",
            "cəmiyyət",
            "bağ",
            "ev",
        ];
        words.sort_by(|a, b| az.compare(a, b));
        assert_eq!(
            words,
            [
                "bağ",
                "cəmiyyət",
                "çay",
                "ev",
                "ədalət",
                "hava",
                "xalq",
                "ışıq",
                "iş",
                "kənd",
                "qala",
                "oğul",
                "ölkə",
                "sabah",
                "şəhər",
                "ulduz",
                "üzüm",
                "zəng"
            ]
        );
        let ru = LocaleData::new("ru").unwrap();
        let mut words = ["ёж", "ель", "еда", "жук"];
        words.sort_by(|a, b| ru.compare(a, b));
        assert_eq!(words, ["еда", "ёж", "ель", "жук"]);
    }

    #[test]
    fn knows_which_initials_are_one_letter_of_the_alphabet() {
        let az = LocaleData::new("az-Latn-AZ").unwrap();
        for (a, b) in [
            ('c', 'ç'),
            ('e', 'ə'),
            ('g', 'ğ'),
            ('ı', 'i'),
            ('o', 'ö'),
            ('s', 'ş'),
            ('u', 'ü'),
        ] {
            assert!(!az.same_letter(a, b), "{a} and {b} are two letters in az");
        }
        assert!(az.same_letter('ç', 'Ç'));
        assert!(az.same_letter('i', 'İ'));
        let ru = LocaleData::new("ru").unwrap();
        assert!(ru.same_letter('е', 'Ё'));
        assert!(!ru.same_letter('е', 'ж'));
        let en = LocaleData::new("en").unwrap();
        assert!(en.same_letter('e', 'É'));
    }

    #[test]
    fn maps_case_with_the_dotted_and_dotless_i() {
        assert_eq!(
            LocaleData::new("az").unwrap().lowercase("İSTANBUL IĞDIR"),
            "istanbul ığdır"
        );
        assert_eq!(lowercase("İSTANBUL IĞDIR", "tr"), "istanbul ığdır");
        assert_eq!(lowercase("IĞDIR", "en"), "iğdir");
        assert_eq!(
            LocaleData::new("az").unwrap().uppercase("istanbul ığdır"),
            "İSTANBUL IĞDIR"
        );
    }

    #[test]
    fn knows_the_plural_categories() {
        assert_eq!(
            LocaleData::new("ru").unwrap().plural_categories(),
            ["one", "few", "many", "other"]
        );
        assert_eq!(
            LocaleData::new("az").unwrap().plural_categories(),
            ["one", "other"]
        );
    }
}
