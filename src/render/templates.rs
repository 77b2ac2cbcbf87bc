//! Tera templates: loading the theme's and the site's, the `t()` and `link()` functions, and
//! template errors located in their files.
//!
//! 1. [`Templates::load`] reads and parses the templates once, independent of any build: editing
//!    a page never parses them again, editing a template parses only them again.
//! 2. [`Templates::bind`] binds them to one build's site, strings and assets: one Tera instance
//!    per language, so that `t()` knows the page's language without being told and without locks.
//! 3. [`Bound::render`] renders a template and notes the templates it read (see [`crate::record`]).

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use tera::{Tera, Value};
use walkdir::WalkDir;

use crate::assets::Assets;
use crate::config::{Config, Lang};
use crate::error::{Diagnostic, Diagnostics};
use crate::i18n::locale::DateStyle;
use crate::i18n::{Arg, KeyUse, UiStrings};
use crate::record::{Digest, Fact, digest_bytes, note};
use crate::site::Site;
use crate::source::{SourceText, display_path};

/// The templates of a site, parsed and checked, not yet bound to a build.
pub struct Templates {
    tera: Tera,
    /// Name → source, to locate errors.
    sources: BTreeMap<String, SourceText>,
    /// Name → the templates a render of it reads: itself, its parents, the macro files they
    /// import (all of them when one includes another).
    reads: HashMap<String, Vec<Arc<str>>>,
}

/// The templates bound to one build's data.
pub struct Bound<'a> {
    templates: &'a Templates,
    /// By [`Lang::index`].
    per_language: Vec<Tera>,
}

impl Templates {
    /// Loads `themes/<theme>/templates/` and, over it, the site's `templates/`.
    pub fn load(config: &Config) -> Result<(Templates, Vec<KeyUse>), Diagnostics> {
        let mut problems = Diagnostics::default();
        let mut sources: BTreeMap<String, SourceText> = BTreeMap::new();
        let theme_templates = config.theme_dir().join("templates");
        if !theme_templates.is_dir() {
            problems.push(
                Diagnostic::error(format!(
                    "the theme `{}` has no templates folder",
                    config.theme
                ))
                .in_file(display_path(&config.root, &theme_templates))
                .with_help("check `theme` in site.toml: it names a folder under themes/"),
            );
            return Err(problems);
        }
        for folder in [theme_templates, config.root.join("templates")] {
            for entry in WalkDir::new(&folder)
                .sort_by_file_name()
                .into_iter()
                .filter_map(Result::ok)
            {
                if !entry.file_type().is_file() {
                    continue;
                }
                let name = entry
                    .path()
                    .strip_prefix(&folder)
                    .expect("walkdir yields paths below its root")
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/");
                match SourceText::read(entry.path(), display_path(&config.root, entry.path())) {
                    Ok(source) => {
                        sources.insert(name, source);
                    }
                    Err(d) => problems.push(d),
                }
            }
        }

        // Parse each template alone first: a syntax error then names its own file.
        for (name, source) in &sources {
            if let Err(err) = tera::Template::new(name, None, &source.text) {
                problems.push(parse_error(source, &err));
            }
        }
        if problems.has_errors() {
            return Err(problems);
        }
        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html", ".xml"]);
        tera.set_escape_fn(crate::escape::html);
        if let Err(err) =
            tera.add_raw_templates(sources.iter().map(|(n, s)| (n.as_str(), s.text.as_str())))
        {
            let message = error_chain(&err);
            let diagnostic =
                Diagnostic::error(format!("the templates do not fit together: {message}"));
            // Tera names the template and what it refers to in quotes: point at that reference.
            let quoted: Vec<&str> = message.split('\'').skip(1).step_by(2).collect();
            let located = match quoted.as_slice() {
                [template, target, ..] => sources.get(*template).and_then(|source| {
                    let offset = source.text.find(target)?;
                    Some(
                        diagnostic
                            .clone()
                            .in_file(&source.path)
                            .at_span(&source.text, offset..offset + target.len()),
                    )
                }),
                _ => None,
            };
            let diagnostic = located.unwrap_or_else(|| {
                diagnostic.in_file(display_path(
                    &config.root,
                    &config.theme_dir().join("templates"),
                ))
            });
            let names: Vec<&str> = sources.keys().map(String::as_str).collect();
            return Err(diagnostic
                .with_help(format!("check that every {{% extends %}} and {{% import %}} names an existing template: {}", names.join(", ")))
                .into());
        }

        let used = used_keys(&sources);
        let reads = reads(&tera, &sources);
        Ok((
            Templates {
                tera,
                sources,
                reads,
            },
            used,
        ))
    }

    /// The digest of a template's source; `None` for a template the site does not have.
    pub fn digest(&self, name: &str) -> Option<Digest> {
        self.sources
            .get(name)
            .map(|s| digest_bytes(s.text.as_bytes()))
    }

    /// Binds the templates to a build: `t()`, `link()`, `service()`, `agency()`, `asset()` and
    /// the locale filters answer from this site, these strings and these assets.
    pub fn bind(
        &self,
        site: &Arc<Site>,
        strings: &Arc<UiStrings>,
        assets: &Arc<Assets>,
    ) -> Bound<'_> {
        let config = &site.config;
        let mut per_language = Vec::new();
        for lang in config.langs() {
            let mut instance = self.tera.clone();
            instance.register_function(
                "t",
                Translate {
                    strings: Arc::clone(strings),
                    lang: config.code(lang).to_string(),
                },
            );
            instance.register_function(
                "link",
                Link {
                    site: Arc::clone(site),
                    lang,
                },
            );
            for kind in [
                Formatting::Date,
                Formatting::Number,
                Formatting::Money,
                Formatting::Duration,
                Formatting::Lower,
                Formatting::Upper,
                Formatting::SortCollated,
            ] {
                instance.register_filter(
                    kind.name(),
                    LocaleFilter {
                        site: Arc::clone(site),
                        strings: Arc::clone(strings),
                        lang: config.code(lang).to_string(),
                        kind,
                    },
                );
            }
            instance.register_function(
                "asset",
                Asset {
                    assets: Arc::clone(assets),
                    base_path: config.base_path.clone(),
                },
            );
            for kind in super::views::Kind::ALL {
                instance.register_function(
                    kind.name(),
                    Lookup {
                        site: Arc::clone(site),
                        strings: Arc::clone(strings),
                        lang,
                        kind,
                    },
                );
            }
            per_language.push(instance);
        }
        Bound {
            templates: self,
            per_language,
        }
    }

    pub fn has(&self, name: &str) -> bool {
        self.sources.contains_key(name)
    }

    /// The names of the templates.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.sources.keys().map(String::as_str)
    }
}

impl Bound<'_> {
    pub fn has(&self, name: &str) -> bool {
        self.templates.has(name)
    }

    /// Renders `template` in `lang`; `page` names the page being rendered, for errors.
    pub fn render(
        &self,
        lang: Lang,
        template: &str,
        context: &tera::Context,
        page: &str,
    ) -> Result<String, Diagnostic> {
        match self.templates.reads.get(template) {
            Some(reads) => {
                for name in reads {
                    note(Fact::Template(Arc::clone(name)));
                }
            }
            None => note(Fact::Template(Arc::from(template))),
        }
        let tera = &self.per_language[lang.index()];
        tera.render(template, context)
            .map_err(|err| self.templates.render_error(tera, template, &err, page))
    }
}

/// What each template reads: itself, its parents and the macro files imported along the way; a
/// template that includes another (Tera does not say which) reads them all.
fn reads(tera: &Tera, sources: &BTreeMap<String, SourceText>) -> HashMap<String, Vec<Arc<str>>> {
    let all: Vec<Arc<str>> = sources.keys().map(|n| Arc::from(n.as_str())).collect();
    let mut reads = HashMap::new();
    for name in sources.keys() {
        let mut found: Vec<String> = vec![name.clone()];
        let mut next = 0;
        let mut includes = false;
        while next < found.len() {
            let current = found[next].clone();
            next += 1;
            if sources
                .get(&current)
                .is_some_and(|s| s.text.contains("include"))
            {
                includes = true;
            }
            let Ok(template) = tera.get_template(&current) else {
                continue;
            };
            let more = template
                .parents
                .iter()
                .cloned()
                .chain(template.imported_macro_files.iter().map(|(f, _)| f.clone()));
            for other in more {
                if !found.contains(&other) {
                    found.push(other);
                }
            }
        }
        let list = if includes {
            all.clone()
        } else {
            found.sort();
            found.into_iter().map(|n| Arc::from(n.as_str())).collect()
        };
        reads.insert(name.clone(), list);
    }
    reads
}

impl Templates {
    /// Tera 1 does not say where in a template rendering failed: find the first place in the
    /// template or its parents that mentions what the message quotes.
    fn render_error(
        &self,
        tera: &Tera,
        template: &str,
        err: &tera::Error,
        page: &str,
    ) -> Diagnostic {
        let message = innermost(err);
        let mut chain = vec![template.to_string()];
        if let Ok(t) = tera.get_template(template) {
            chain.extend(t.parents.iter().cloned());
        }
        let quoted = message.split('`').nth(1).map(str::to_string);
        let diagnostic =
            Diagnostic::error(format!("cannot render {page} with {template}: {message}"));
        let located = quoted.as_deref().and_then(|needle| {
            let needle = needle.split(" while ").next().unwrap_or(needle);
            chain.iter().find_map(|name| {
                let source = self.sources.get(name)?;
                let offset = source.text.find(needle)?;
                Some(
                    diagnostic
                        .clone()
                        .in_file(&source.path)
                        .at_span(&source.text, offset..offset + needle.len()),
                )
            })
        });
        located
            .unwrap_or_else(|| match self.sources.get(template) {
                Some(source) => diagnostic.in_file(&source.path),
                None => diagnostic,
            })
            .with_help("correct the template; the names a template can use are listed in README.md (Templates)")
    }
}

fn parse_error(source: &SourceText, err: &tera::Error) -> Diagnostic {
    let text = error_chain(err);
    // Tera (through pest) writes ` --> line:col` and `= expected ...`.
    let position = text.split("--> ").nth(1).and_then(|rest| {
        let (line, rest) = rest.split_once(':')?;
        let column: String = rest.chars().take_while(char::is_ascii_digit).collect();
        Some((
            line.trim().parse::<usize>().ok()?,
            column.parse::<usize>().ok()?,
        ))
    });
    let expected = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("= "))
        .unwrap_or("the template cannot be parsed")
        .to_string();
    let diagnostic =
        Diagnostic::error(format!("template syntax error: {expected}")).in_file(&source.path);
    match position {
        Some((line, column)) => {
            let offset = line_offset(&source.text, line, column);
            diagnostic.at_span(&source.text, offset..offset + 1)
        }
        None => diagnostic,
    }
    .with_help("check the {{ }} and {% %} tags on this line: each must be closed and well formed")
}

fn line_offset(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    let rest = &text[start.min(text.len())..];
    start
        + rest
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(rest.len(), |(i, _)| i)
}

fn error_chain(err: &tera::Error) -> String {
    let mut text = err.to_string();
    let mut source = std::error::Error::source(err);
    while let Some(s) = source {
        text.push('\n');
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

fn innermost(err: &tera::Error) -> String {
    let mut message = err.to_string();
    let mut source = std::error::Error::source(err);
    while let Some(s) = source {
        message = s.to_string();
        source = s.source();
    }
    message
}

/// Every `t(key="...")` with a literal key, with where it is written.
fn used_keys(sources: &BTreeMap<String, SourceText>) -> Vec<KeyUse> {
    let mut used = Vec::new();
    for source in sources.values() {
        let text = &source.text;
        let mut from = 0;
        while let Some(found) = text[from..].find("t(key=") {
            let call = from + found;
            from = call + 6;
            if call > 0
                && text[..call]
                    .chars()
                    .next_back()
                    .is_some_and(|c| c.is_alphanumeric() || c == '_')
            {
                continue;
            }
            let rest = &text[from..];
            let Some(quote) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') else {
                continue;
            };
            let Some(end) = rest[1..].find(quote) else {
                continue;
            };
            let key = &rest[1..1 + end];
            used.push(KeyUse {
                key: key.to_string(),
                diagnostic_site: Diagnostic::error("")
                    .in_file(&source.path)
                    .at_span(text, from + 1..from + 1 + key.len()),
            });
        }
    }
    used
}

/// `t(key="...", count=3, name="...")`: the UI string in the language of the page.
struct Translate {
    strings: Arc<UiStrings>,
    lang: String,
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
struct Link {
    site: Arc<Site>,
    lang: Lang,
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
struct Lookup {
    site: Arc<Site>,
    strings: Arc<UiStrings>,
    lang: Lang,
    kind: super::views::Kind,
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
struct Asset {
    assets: Arc<Assets>,
    base_path: String,
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

struct LocaleFilter {
    site: Arc<Site>,
    strings: Arc<UiStrings>,
    lang: String,
    kind: Formatting,
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
