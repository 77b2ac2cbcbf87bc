//! The functions and filters karvan gives templates: `t()`, `link()`, `service()`, `agency()`,
//! `asset()`, and the filters that follow the page's language (`date`, `number`, `money`,
//! `duration`, `lower`, `upper`, `sort_collated`).
//!
//! Tera 2 checks, when it loads templates, that every function and filter they call exists, while
//! karvan loads them before there is a build to answer the calls: [`declare`] registers
//! placeholders under every name for loading, [`register`] the real ones for one build and
//! language (see [`super::templates::Templates::bind`]).

use std::sync::Arc;

use tera::{Error, Kwargs, State, Tera, TeraResult, Value};

use super::views::{Kind, agency_view, service_view};
use crate::assets::Assets;
use crate::config::Lang;
use crate::i18n::locale::DateStyle;
use crate::i18n::{Arg, UiStrings};
use crate::record::{Fact, note};
use crate::site::Site;

/// The names of karvan's functions.
pub(super) fn function_names() -> impl Iterator<Item = &'static str> {
    ["t", "link", "asset"]
        .into_iter()
        .chain(Kind::ALL.map(Kind::name))
}

/// The names of karvan's filters (`lower` and `upper` replace Tera's).
pub(super) fn filter_names() -> impl Iterator<Item = &'static str> {
    Formatting::ALL.into_iter().map(Formatting::name)
}

/// Registers a placeholder for every function and filter, so that templates calling them load;
/// a placeholder fails if it is called (a template bound to no build is never rendered).
pub(super) fn declare(tera: &mut Tera) {
    fn unbound(name: &str) -> Error {
        Error::message(format!("`{name}` is not bound to a build"))
    }
    for name in function_names() {
        tera.register_function(name, move |_: Kwargs, _: &State| -> TeraResult<Value> {
            Err(unbound(name))
        });
    }
    for name in filter_names() {
        tera.register_filter(
            name,
            move |_: &Value, _: Kwargs, _: &State| -> TeraResult<Value> { Err(unbound(name)) },
        );
    }
}

/// Registers, over the placeholders, the functions and filters that answer from this site, these
/// strings and these assets in `lang`.
pub(super) fn register(
    tera: &mut Tera,
    site: &Arc<Site>,
    strings: &Arc<UiStrings>,
    assets: &Arc<Assets>,
    lang: Lang,
) {
    let config = &site.config;
    let code = config.code(lang).to_string();
    tera.register_function(
        "t",
        Translate {
            strings: Arc::clone(strings),
            lang: code.clone(),
        },
    );
    tera.register_function(
        "link",
        Link {
            site: Arc::clone(site),
            lang,
        },
    );
    tera.register_function(
        "asset",
        Asset {
            assets: Arc::clone(assets),
            base_path: config.base_path.clone(),
        },
    );
    for kind in Kind::ALL {
        tera.register_function(
            kind.name(),
            Lookup {
                site: Arc::clone(site),
                strings: Arc::clone(strings),
                lang,
                kind,
            },
        );
    }
    for kind in Formatting::ALL {
        tera.register_filter(
            kind.name(),
            LocaleFilter {
                site: Arc::clone(site),
                strings: Arc::clone(strings),
                lang: code.clone(),
                handle: lang,
                kind,
            },
        );
    }
}

/// The text argument `name`; `None` when it is missing or not a text.
fn text_arg<'a>(kwargs: &'a Kwargs, name: &'a str) -> Option<&'a str> {
    kwargs.get::<&str>(name).ok().flatten()
}

/// A value as an error message shows it: a text in quotes.
fn shown(value: &Value) -> String {
    match value.as_str() {
        Some(text) => format!("\"{text}\""),
        None if value.is_undefined() || value.is_none() => value.name().to_string(),
        None => value.to_string(),
    }
}

/// `t(key="...", count=3, name="...")`: the UI string in the language of the page.
struct Translate {
    strings: Arc<UiStrings>,
    lang: String,
}

impl tera::Function<TeraResult<Value>> for Translate {
    fn call(&self, kwargs: Kwargs, _: &State) -> TeraResult<Value> {
        let key =
            text_arg(&kwargs, "key").ok_or_else(|| Error::message("t() needs key=\"...\""))?;
        let mut named: Vec<(&str, Arg)> = kwargs
            .iter()
            .filter_map(|(name, value)| Some((name.as_str()?, value)))
            .filter(|(name, _)| *name != "key")
            .map(|(name, value)| {
                let arg = if value.is_number() {
                    Arg::Number(value.as_f64().unwrap_or_default())
                } else {
                    Arg::Text(
                        value
                            .as_str()
                            .map_or_else(|| value.to_string(), str::to_string),
                    )
                };
                (name, arg)
            })
            .collect();
        named.sort_by(|a, b| a.0.cmp(b.0));
        self.strings
            .format(&self.lang, key, &named)
            .map(|m| Value::from(m.text))
            .map_err(|e| Error::message(format!("{e} (`{key}`)")))
    }
}

/// `link(to="@/stay/register.md")`: the URL of a page in the language being rendered.
struct Link {
    site: Arc<Site>,
    lang: Lang,
}

impl tera::Function<TeraResult<Value>> for Link {
    fn call(&self, kwargs: Kwargs, _: &State) -> TeraResult<Value> {
        let to = text_arg(&kwargs, "to")
            .ok_or_else(|| Error::message("link() needs to=\"@/folder/page.md\""))?;
        self.site
            .resolve(self.lang, to)
            .map(|target| Value::from(target.url(&self.site)))
            .map_err(|(message, _)| Error::message(format!("{message} (`{to}`)")))
    }
}

/// `service(id="...")` and `agency(id="...")`: a service or agency, localised into the language
/// being rendered, with every field a service or agency page shows.
struct Lookup {
    site: Arc<Site>,
    strings: Arc<UiStrings>,
    lang: Lang,
    kind: Kind,
}

impl tera::Function<TeraResult<Value>> for Lookup {
    fn call(&self, kwargs: Kwargs, _: &State) -> TeraResult<Value> {
        let name = self.kind.name();
        let id = text_arg(&kwargs, "id")
            .ok_or_else(|| Error::message(format!("{name}() needs id=\"...\"")))?;
        note(Fact::Catalog);
        let (site, strings) = (&self.site, &self.strings);
        let view =
            match self.kind {
                Kind::Service => service_view(site, strings, self.lang, id)
                    .map(|v| Value::try_from_serializable(&v)),
                Kind::Agency => agency_view(site, strings, self.lang, id)
                    .map(|v| Value::try_from_serializable(&v)),
            };
        view.ok_or_else(|| Error::message(format!("there is no {name} `{id}`")))?
    }
}

/// `asset(path="style.css")`: the URL of a static file, fingerprinted for stylesheets and scripts.
struct Asset {
    assets: Arc<Assets>,
    base_path: String,
}

impl tera::Function<TeraResult<Value>> for Asset {
    fn call(&self, kwargs: Kwargs, _: &State) -> TeraResult<Value> {
        let path = text_arg(&kwargs, "path")
            .ok_or_else(|| Error::message("asset() needs path=\"...\""))?;
        note(Fact::Assets);
        self.assets
            .url(&self.base_path, path)
            .map(Value::from)
            .ok_or_else(|| {
                Error::message(format!(
                    "there is no static file `{path}` in the theme's or the site's static/ folder"
                ))
            })
    }
}

/// The filters that depend on the language of the page.
#[derive(Debug, Clone, Copy)]
enum Formatting {
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
    const ALL: [Formatting; 7] = [
        Formatting::Date,
        Formatting::Number,
        Formatting::Money,
        Formatting::Duration,
        Formatting::Lower,
        Formatting::Upper,
        Formatting::SortCollated,
    ];

    fn name(self) -> &'static str {
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

/// One of the [`Formatting`] filters in one language.
struct LocaleFilter {
    site: Arc<Site>,
    strings: Arc<UiStrings>,
    /// The language's code (for the UI strings) and handle (for its locale data).
    lang: String,
    handle: Lang,
    kind: Formatting,
}

impl<'v> tera::Filter<&'v Value, TeraResult<Value>> for LocaleFilter {
    fn call(&self, value: &'v Value, kwargs: Kwargs, _: &State) -> TeraResult<Value> {
        let locale = self.site.locales.get(self.handle);
        let name = self.kind.name();
        let text = || {
            value
                .as_str()
                .ok_or_else(|| Error::message(format!("{name} needs a text, not {}", shown(value))))
        };
        match self.kind {
            Formatting::Date => {
                let style_name = text_arg(&kwargs, "style").unwrap_or("long");
                let style = DateStyle::parse(style_name).ok_or_else(|| {
                    Error::message(format!(
                        "date(style=...) is short, medium or long, not `{style_name}`"
                    ))
                })?;
                let date = parse_date(text()?).ok_or_else(|| {
                    Error::message(format!(
                        "date needs a date like 2026-11-25, not {}",
                        shown(value)
                    ))
                })?;
                Ok(Value::from(locale.date(date, style)))
            }
            Formatting::Number => {
                let number = value
                    .as_f64()
                    .or_else(|| value.as_str().and_then(|s| s.parse().ok()))
                    .ok_or_else(|| {
                        Error::message(format!("number needs a number, not {}", shown(value)))
                    })?;
                let digits = kwargs.get::<i16>("digits").ok().flatten();
                Ok(Value::from(locale.number(number, digits)))
            }
            Formatting::Money => {
                let amount = value.as_f64().ok_or_else(|| {
                    Error::message(format!("money needs a number, not {}", shown(value)))
                })?;
                let currency = text_arg(&kwargs, "currency").ok_or_else(|| {
                    Error::message("money needs currency=\"AZN\" (an ISO 4217 code)")
                })?;
                Ok(Value::from(super::views::write_money(
                    &self.strings,
                    &self.lang,
                    amount,
                    currency,
                )))
            }
            Formatting::Duration => {
                let duration = crate::catalog::Duration::parse(text()?).map_err(Error::message)?;
                let days = match text_arg(&kwargs, "days") {
                    Some("working") => crate::catalog::DayKind::Working,
                    Some("calendar") | None => crate::catalog::DayKind::Calendar,
                    Some(other) => {
                        return Err(Error::message(format!(
                            "duration(days=...) is \"working\" or \"calendar\", not `{other}`"
                        )));
                    }
                };
                Ok(Value::from(super::views::write_duration(
                    &self.strings,
                    &self.lang,
                    &duration,
                    days,
                )))
            }
            Formatting::Lower => Ok(Value::from(locale.lowercase(text()?))),
            Formatting::Upper => Ok(Value::from(locale.uppercase(text()?))),
            Formatting::SortCollated => {
                let mut items = value
                    .as_array()
                    .map(<[Value]>::to_vec)
                    .ok_or_else(|| Error::message("sort_collated needs a list"))?;
                let attribute = text_arg(&kwargs, "attribute");
                let key = |item: &Value| -> String {
                    let v = match attribute {
                        Some(path) => item.get_from_path(path),
                        None => Some(item),
                    };
                    match v {
                        Some(v) => v.as_str().map_or_else(|| v.to_string(), str::to_string),
                        None => String::new(),
                    }
                };
                items.sort_by(|a, b| locale.compare(&key(a), &key(b)));
                Ok(Value::from(items))
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
