//! The functions and filters karvan gives templates: `t()`, `link()`, `service()`, `agency()`,
//! `asset()`, and the filters that follow the page's language (`date`, `number`, `money`,
//! `duration`, `lower`, `upper`, `sort_collated`). [`super::templates::Templates::bind`] registers
//! one set per language.

use std::collections::HashMap;
use std::sync::Arc;

use tera::Value;

use crate::assets::Assets;
use crate::config::Lang;
use crate::i18n::locale::DateStyle;
use crate::i18n::{Arg, UiStrings};
use crate::record::{Fact, note};
use crate::site::Site;

/// `t(key="...", count=3, name="...")`: the UI string in the language of the page.
pub(super) struct Translate {
    pub(super) strings: Arc<UiStrings>,
    pub(super) lang: String,
}

impl tera::Function for Translate {
    fn call(&self, args: &HashMap<String, Value>) -> tera::Result<Value> {
        let key = args
            .get("key")
            .and_then(Value::as_str)
            .ok_or_else(|| tera::Error::msg("t() needs key=\"...\""))?;
        let mut named: Vec<(&str, Arg)> = Vec::new();
        let mut names: Vec<&String> = args.keys().filter(|k| *k != "key").collect();
        names.sort();
        for name in names {
            let value = match &args[name] {
                Value::Number(n) => Arg::Number(n.as_f64().unwrap_or_default()),
                Value::String(s) => Arg::Text(s.clone()),
                other => Arg::Text(other.to_string()),
            };
            named.push((name.as_str(), value));
        }
        self.strings
            .format(&self.lang, key, &named)
            .map(|m| Value::String(m.text))
            .map_err(|e| tera::Error::msg(format!("{e} (`{key}`)")))
    }

    fn is_safe(&self) -> bool {
        false
    }
}

/// `link(to="@/stay/register.md")`: the URL of a page in the language being rendered.
pub(super) struct Link {
    pub(super) site: Arc<Site>,
    pub(super) lang: Lang,
}

impl tera::Function for Link {
    fn call(&self, args: &HashMap<String, Value>) -> tera::Result<Value> {
        let to = args
            .get("to")
            .and_then(Value::as_str)
            .ok_or_else(|| tera::Error::msg("link() needs to=\"@/folder/page.md\""))?;
        self.site
            .resolve(self.lang, to)
            .map(|target| Value::String(target.url(&self.site)))
            .map_err(|(message, _)| tera::Error::msg(format!("{message} (`{to}`)")))
    }
}

/// `service(id="...")` and `agency(id="...")`: a service or agency, localised into the language
/// being rendered, with every field a service or agency page shows.
pub(super) struct Lookup {
    pub(super) site: Arc<Site>,
    pub(super) strings: Arc<UiStrings>,
    pub(super) lang: Lang,
    pub(super) kind: super::views::Kind,
}

impl tera::Function for Lookup {
    fn call(&self, args: &HashMap<String, Value>) -> tera::Result<Value> {
        use super::views::{Kind, agency_view, service_view};
        let name = self.kind.name();
        let id = args
            .get("id")
            .and_then(Value::as_str)
            .ok_or_else(|| tera::Error::msg(format!("{name}() needs id=\"...\"")))?;
        note(Fact::Catalog);
        let (site, strings) = (&self.site, &self.strings);
        let view = match self.kind {
            Kind::Service => service_view(site, strings, self.lang, id).map(|v| tera::to_value(&v)),
            Kind::Agency => agency_view(site, strings, self.lang, id).map(|v| tera::to_value(&v)),
        };
        view.ok_or_else(|| tera::Error::msg(format!("there is no {name} `{id}`")))?
            .map_err(|e| tera::Error::msg(e.to_string()))
    }
}

/// `asset(path="style.css")`: the URL of a static file, fingerprinted for stylesheets and scripts.
pub(super) struct Asset {
    pub(super) assets: Arc<Assets>,
    pub(super) base_path: String,
}

impl tera::Function for Asset {
    fn call(&self, args: &HashMap<String, Value>) -> tera::Result<Value> {
        let path = args
            .get("path")
            .and_then(Value::as_str)
            .ok_or_else(|| tera::Error::msg("asset() needs path=\"...\""))?;
        note(Fact::Assets);
        self.assets
            .url(&self.base_path, path)
            .map(Value::String)
            .ok_or_else(|| {
                tera::Error::msg(format!(
                    "there is no static file `{path}` in the theme's or the site's static/ folder"
                ))
            })
    }
}

/// The filters that depend on the language of the page.
#[derive(Debug, Clone, Copy)]
pub(super) enum Formatting {
    /// `"2026-11-25" | date(style="long")` → `25 noyabr 2026`; styles: short, medium, long.
    Date,
    /// `1234.5 | number` → `1.234,5`; `number(digits=2)` fixes the decimals.
    Number,
    /// `160 | money(currency="AZN")` → `160 ₼` (the UI strings `money` and `currency-AZN`).
    Money,
    /// `"P15D" | duration(days="working")` → `15 iş günü`.
    Duration,
    /// `lower` and `upper` with the language's case rules (`I` → `ı` in az).
    Lower,
    Upper,
    /// `list | sort_collated(attribute="title")`: sorted by the language's alphabet.
    SortCollated,
}

impl Formatting {
    pub(super) fn name(self) -> &'static str {
        match self {
            Formatting::Date => "date",
            Formatting::Number => "number",
            Formatting::Money => "money",
            Formatting::Duration => "duration",
            Formatting::Lower => "lower",
            Formatting::Upper => "upper",
            Formatting::SortCollated => "sort_collated",
        }
    }
}

pub(super) struct LocaleFilter {
    pub(super) site: Arc<Site>,
    pub(super) strings: Arc<UiStrings>,
    pub(super) lang: String,
    pub(super) kind: Formatting,
}

impl tera::Filter for LocaleFilter {
    fn filter(&self, value: &Value, args: &HashMap<String, Value>) -> tera::Result<Value> {
        let locale = self.site.locales.get(&self.lang);
        let text = || {
            value.as_str().ok_or_else(|| {
                tera::Error::msg(format!("{} needs a text, not {value}", self.kind.name()))
            })
        };
        match self.kind {
            Formatting::Date => {
                let style_name = args.get("style").and_then(Value::as_str).unwrap_or("long");
                let style = DateStyle::parse(style_name).ok_or_else(|| {
                    tera::Error::msg(format!(
                        "date(style=...) is short, medium or long, not `{style_name}`"
                    ))
                })?;
                let date = parse_date(text()?).ok_or_else(|| {
                    tera::Error::msg(format!("date needs a date like 2026-11-25, not {value}"))
                })?;
                Ok(Value::String(locale.date(date, style)))
            }
            Formatting::Number => {
                let number = value
                    .as_f64()
                    .or_else(|| value.as_str().and_then(|s| s.parse().ok()))
                    .ok_or_else(|| {
                        tera::Error::msg(format!("number needs a number, not {value}"))
                    })?;
                let digits = args.get("digits").and_then(Value::as_i64).map(|d| d as i16);
                Ok(Value::String(locale.number(number, digits)))
            }
            Formatting::Money => {
                let amount = value.as_f64().ok_or_else(|| {
                    tera::Error::msg(format!("money needs a number, not {value}"))
                })?;
                let currency = args
                    .get("currency")
                    .and_then(Value::as_str)
                    .ok_or_else(|| {
                        tera::Error::msg("money needs currency=\"AZN\" (an ISO 4217 code)")
                    })?;
                Ok(Value::String(super::views::write_money(
                    &self.strings,
                    &self.lang,
                    amount,
                    currency,
                )))
            }
            Formatting::Duration => {
                let duration =
                    crate::catalog::Duration::parse(text()?).map_err(tera::Error::msg)?;
                let days = match args.get("days").and_then(Value::as_str) {
                    Some("working") => crate::catalog::DayKind::Working,
                    Some("calendar") | None => crate::catalog::DayKind::Calendar,
                    Some(other) => {
                        return Err(tera::Error::msg(format!(
                            "duration(days=...) is \"working\" or \"calendar\", not `{other}`"
                        )));
                    }
                };
                Ok(Value::String(super::views::write_duration(
                    &self.strings,
                    &self.lang,
                    &duration,
                    days,
                )))
            }
            Formatting::Lower => Ok(Value::String(locale.lowercase(text()?))),
            Formatting::Upper => Ok(Value::String(locale.uppercase(text()?))),
            Formatting::SortCollated => {
                let mut items = value
                    .as_array()
                    .cloned()
                    .ok_or_else(|| tera::Error::msg("sort_collated needs a list"))?;
                let attribute = args.get("attribute").and_then(Value::as_str);
                let key = |item: &Value| -> String {
                    let mut v = item;
                    for part in attribute.into_iter().flat_map(|a| a.split('.')) {
                        v = v.get(part).unwrap_or(&Value::Null);
                    }
                    v.as_str().map_or_else(|| v.to_string(), str::to_string)
                };
                items.sort_by(|a, b| locale.compare(&key(a), &key(b)));
                Ok(Value::Array(items))
            }
        }
    }
}

/// `2026-11-25` (or the start of `2026-11-25T10:00:00`).
fn parse_date(text: &str) -> Option<crate::catalog::Date> {
    let mut parts = text.get(..10)?.split('-');
    let year = parts.next()?.parse().ok()?;
    let month = parts.next()?.parse().ok()?;
    let day = parts.next()?.parse().ok()?;
    Some(crate::catalog::Date { year, month, day })
}
