//! The value types of service and agency files: per-language text, ISO 8601 durations, money,
//! dates. Each parses from what an editor writes and says precisely what is wrong with it.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Deserializer};
use toml::Spanned;

/// Text in several languages: `{ az = "...", en = "...", ru = "..." }`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(transparent)]
pub struct LocalText(pub BTreeMap<Spanned<String>, String>);

/// A text in one language, and the language it is really in.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Localized {
    pub text: String,
    pub lang: String,
    /// The text is not in the language asked for: the default language's is shown.
    pub fallback: bool,
}

impl LocalText {
    /// The text in `lang`, else in `default`, else `None`.
    pub fn get(&self, lang: &str, default: &str) -> Option<Localized> {
        let find = |code: &str| {
            self.0
                .iter()
                .find(|(k, _)| k.get_ref() == code)
                .map(|(_, v)| v)
        };
        if let Some(text) = find(lang).filter(|t| !t.trim().is_empty()) {
            return Some(Localized {
                text: text.clone(),
                lang: lang.to_string(),
                fallback: false,
            });
        }
        find(default).map(|text| Localized {
            text: text.clone(),
            lang: default.to_string(),
            fallback: lang != default,
        })
    }

    pub fn has(&self, lang: &str) -> bool {
        self.0
            .iter()
            .any(|(k, v)| k.get_ref() == lang && !v.trim().is_empty())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The language keys as written, with their spans.
    pub fn keys(&self) -> impl Iterator<Item = &Spanned<String>> {
        self.0.keys()
    }
}

/// Per-language lists: `{ az = ["qeydiyyat"], en = ["register"] }`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(transparent)]
pub struct LocalList(pub BTreeMap<Spanned<String>, Vec<String>>);

impl LocalList {
    pub fn get(&self, lang: &str) -> &[String] {
        self.0
            .iter()
            .find(|(k, _)| k.get_ref() == lang)
            .map_or(&[][..], |(_, v)| v.as_slice())
    }

    pub fn keys(&self) -> impl Iterator<Item = &Spanned<String>> {
        self.0.keys()
    }
}

/// Whether days count every day or working days only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DayKind {
    #[default]
    Calendar,
    Working,
}

/// An ISO 8601 duration as used for deadlines and processing times: `P15D`, `P1Y`, `P3M`,
/// `P2W`, `PT3H`, or combinations such as `P1Y6M`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct Duration {
    pub years: u32,
    pub months: u32,
    pub weeks: u32,
    pub days: u32,
    pub hours: u32,
    pub minutes: u32,
}

impl Duration {
    pub fn parse(text: &str) -> Result<Duration, String> {
        let bad = || format!("{text:?} is not an ISO 8601 duration");
        let rest = text.strip_prefix('P').ok_or_else(bad)?;
        if rest.is_empty() {
            return Err(bad());
        }
        let mut duration = Duration::default();
        let mut in_time = false;
        let mut number = String::new();
        let mut seen_any = false;
        for c in rest.chars() {
            match c {
                '0'..='9' => number.push(c),
                'T' if !in_time && number.is_empty() => in_time = true,
                unit => {
                    let value: u32 = number.parse().map_err(|_| bad())?;
                    number.clear();
                    seen_any = true;
                    let slot = match (in_time, unit) {
                        (false, 'Y') => &mut duration.years,
                        (false, 'M') => &mut duration.months,
                        (false, 'W') => &mut duration.weeks,
                        (false, 'D') => &mut duration.days,
                        (true, 'H') => &mut duration.hours,
                        (true, 'M') => &mut duration.minutes,
                        _ => return Err(bad()),
                    };
                    *slot = value;
                }
            }
        }
        if !number.is_empty() || !seen_any {
            return Err(bad());
        }
        Ok(duration)
    }

    /// The parts that are not zero, largest first, with the Fluent message that names each.
    pub fn parts(&self, days: DayKind) -> Vec<(&'static str, u32)> {
        let day_key = match days {
            DayKind::Calendar => "duration-days",
            DayKind::Working => "duration-working-days",
        };
        [
            ("duration-years", self.years),
            ("duration-months", self.months),
            ("duration-weeks", self.weeks),
            (day_key, self.days),
            ("duration-hours", self.hours),
            ("duration-minutes", self.minutes),
        ]
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .collect()
    }
}

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "P")?;
        for (n, unit) in [
            (self.years, 'Y'),
            (self.months, 'M'),
            (self.weeks, 'W'),
            (self.days, 'D'),
        ] {
            if n > 0 {
                write!(f, "{n}{unit}")?;
            }
        }
        if self.hours > 0 || self.minutes > 0 {
            write!(f, "T")?;
            for (n, unit) in [(self.hours, 'H'), (self.minutes, 'M')] {
                if n > 0 {
                    write!(f, "{n}{unit}")?;
                }
            }
        }
        Ok(())
    }
}

/// A duration as written, kept with its span for errors.
#[derive(Debug, Clone)]
pub struct DurationField {
    pub value: Duration,
}

impl<'de> Deserialize<'de> for DurationField {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Duration::parse(&text)
            .map(|value| DurationField { value })
            .map_err(|why| serde::de::Error::custom(format!("{why}; write it like \"P15D\" (15 days), \"P1Y\" (1 year) or \"PT3H\" (3 hours)")))
    }
}

/// An ISO 4217 currency code, checked for its shape (three capital letters).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(transparent)]
pub struct Currency(pub String);

impl<'de> Deserialize<'de> for Currency {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let code = String::deserialize(deserializer)?;
        if code.len() == 3 && code.chars().all(|c| c.is_ascii_uppercase()) {
            Ok(Currency(code))
        } else {
            Err(serde::de::Error::custom(format!(
                "{code:?} is not a currency code; write the ISO 4217 code in capitals, e.g. \"AZN\" or \"USD\""
            )))
        }
    }
}

/// An absolute http(s) URL. Characters that a URL may not hold (`<`, `>`, `"`, `{`, `|`, …) are
/// percent-encoded as they are read, as a browser would, so that the address is valid in `href`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(transparent)]
pub struct Url(pub String);

impl<'de> Deserialize<'de> for Url {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let url = String::deserialize(deserializer)?;
        let rest = url
            .strip_prefix("https://")
            .or_else(|| url.strip_prefix("http://"));
        match rest {
            Some(rest)
                if !rest.is_empty()
                    && !rest.starts_with('/')
                    && !url.contains(char::is_whitespace) =>
            {
                Ok(Url(percent_encode_illegal(&url)))
            }
            _ => Err(serde::de::Error::custom(format!(
                "{url:?} is not a web address; write it in full, starting with https://"
            ))),
        }
    }
}

/// Percent-encodes the ASCII characters that the URL standard does not allow in any part of a
/// URL; everything else (including non-ASCII letters, which HTML accepts) is kept.
fn percent_encode_illegal(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        if matches!(c, '<' | '>' | '"' | '`' | '{' | '}' | '|' | '\\' | '^') || c.is_ascii_control()
        {
            out.push_str(&format!("%{:02X}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// The largest amount of money a file may state: more is a typo.
const MAX_AMOUNT: f64 = 1e12;

/// An amount of money: a finite number, not negative, below a trillion (`nan`, `inf`, `-5e300`
/// are errors at their place in the file).
pub fn amount<'de, D: Deserializer<'de>>(deserializer: D) -> Result<f64, D::Error> {
    let value = f64::deserialize(deserializer)?;
    if value.is_finite() && (0.0..MAX_AMOUNT).contains(&value) {
        Ok(value)
    } else {
        Err(serde::de::Error::custom(format!(
            "{value} is not an amount of money: write a number from 0 up, like 40 or 12.5"
        )))
    }
}

/// An optional [`amount`].
pub fn optional_amount<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<f64>, D::Error> {
    amount(deserializer).map(Some)
}

/// A calendar date, `2026-11-25`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(into = "String")]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

impl From<Date> for String {
    fn from(date: Date) -> String {
        date.to_string()
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = toml::value::Datetime::deserialize(deserializer)?;
        match (value.date, value.time) {
            (Some(d), None) => Ok(Date {
                year: d.year,
                month: d.month,
                day: d.day,
            }),
            _ => Err(serde::de::Error::custom(
                "write a date without a time, like 2026-11-25",
            )),
        }
    }
}

impl Date {
    /// Today's date (UTC), from the system clock.
    pub fn today() -> Date {
        let seconds = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        Date::from_days_since_epoch((seconds / 86_400) as i64)
    }

    /// The civil date `days` after 1970-01-01 (Howard Hinnant's algorithm).
    pub fn from_days_since_epoch(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as u16;
        Date { year, month, day }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_encodes_what_a_url_may_not_hold() {
        assert_eq!(
            percent_encode_illegal("https://e.org/?a=1&b=<2>\"x\"|{y}"),
            "https://e.org/?a=1&b=%3C2%3E%22x%22%7C%7By%7D"
        );
        assert_eq!(
            percent_encode_illegal("https://e.az/ə?q=ё#a"),
            "https://e.az/ə?q=ё#a"
        );
    }

    #[test]
    fn parses_iso_durations() {
        assert_eq!(Duration::parse("P15D").unwrap().days, 15);
        let d = Duration::parse("P1Y6M").unwrap();
        assert_eq!((d.years, d.months), (1, 6));
        assert_eq!(Duration::parse("PT3H").unwrap().hours, 3);
        assert_eq!(Duration::parse("P1Y6M").unwrap().to_string(), "P1Y6M");
        for bad in ["15D", "P", "P15", "PD", "P1H", "P1.5D", "15 days"] {
            assert!(Duration::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn names_working_and_calendar_days() {
        let d = Duration::parse("P15D").unwrap();
        assert_eq!(d.parts(DayKind::Working), [("duration-working-days", 15)]);
        assert_eq!(d.parts(DayKind::Calendar), [("duration-days", 15)]);
    }

    #[test]
    fn converts_days_since_epoch_to_dates() {
        assert_eq!(Date::from_days_since_epoch(0).to_string(), "1970-01-01");
        assert_eq!(
            Date::from_days_since_epoch(20_417).to_string(),
            "2025-11-25"
        );
        assert_eq!(
            Date::from_days_since_epoch(11_016).to_string(),
            "2000-02-29"
        );
    }

    #[test]
    fn falls_back_to_the_default_language() {
        #[derive(Deserialize)]
        struct T {
            t: LocalText,
        }
        let text = toml::from_str::<T>("t = { az = \"Salam\", en = \"\" }")
            .unwrap()
            .t;
        assert_eq!(text.get("az", "az").unwrap().text, "Salam");
        let en = text.get("en", "az").unwrap();
        assert_eq!(
            (en.text.as_str(), en.lang.as_str(), en.fallback),
            ("Salam", "az", true)
        );
    }
}
