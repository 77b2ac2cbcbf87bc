//! `site.toml` → [`Config`]: the site's languages, URLs, theme and policies, checked.
//!
//! 1. Parse the file into [`RawConfig`], exactly as written (`deny_unknown_fields` everywhere, so a
//!    misspelt key is an error, not a silently ignored setting).
//! 2. Resolve it into [`Config`]: language tags parsed as BCP 47, the default language checked
//!    against the list, the base URL split into origin and path, every default filled in. Nothing
//!    downstream sees an `Option` where a default exists.

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use serde::Deserialize;
use toml::Spanned;
use unic_langid::{CharacterDirection, LanguageIdentifier};

use crate::error::{Diagnostic, Diagnostics, GapKind};
use crate::source::{SourceText, parse_toml};

/// The name of the configuration file at the site root.
pub const CONFIG_FILE: &str = "site.toml";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    base_url: Spanned<String>,
    default_language: Spanned<String>,
    #[serde(default)]
    theme: Option<String>,
    #[serde(default)]
    area_served: Option<String>,
    languages: Vec<RawLanguage>,
    #[serde(default)]
    fallback: RawFallback,
    #[serde(default)]
    build: RawBuild,
    #[serde(default)]
    gaps: RawGaps,
    #[serde(default)]
    budget: Budget,
    #[serde(default)]
    content_policy: RawContentPolicy,
    #[serde(default)]
    app: RawApp,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLanguage {
    code: Spanned<String>,
    name: String,
    title: String,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    locale: Option<Spanned<String>>,
    #[serde(default)]
    direction: Option<Spanned<String>>,
    #[serde(default)]
    sections: RawSections,
    #[serde(default)]
    menu: Vec<RawMenuItem>,
    #[serde(default)]
    footer: Vec<RawMenuItem>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSections {
    services: Option<Spanned<String>>,
    agencies: Option<Spanned<String>>,
    search: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMenuItem {
    title: String,
    link: Spanned<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFallback {
    pages: Option<bool>,
    /// The languages a missing page is taken from, in order (default: the default language,
    /// then the others in the order of [[languages]]).
    order: Option<Spanned<Vec<Spanned<String>>>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGaps {
    /// The kinds of gap that fail a build (`untranslated`, `stale`, ...).
    errors: Option<Vec<Spanned<String>>>,
}

/// What a page may cost a visitor (site.toml `[budget]`), in kilobytes on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Budget {
    /// A page's HTML with its stylesheets, compressed.
    pub page_kb: usize,
    /// Everything a page loads for its first view.
    pub first_view_kb: usize,
}

impl Default for Budget {
    fn default() -> Budget {
        Budget {
            page_kb: 14,
            first_view_kb: 30,
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBuild {
    minify: Option<bool>,
    precompress: Option<bool>,
    listing_size: Option<usize>,
}

/// `[app]`: the site as an installable app that reads offline.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawApp {
    offline: Option<bool>,
    theme_color: Option<Spanned<String>>,
    background_color: Option<Spanned<String>>,
}

/// `[content_policy]`: what Markdown may carry (see [`crate::policy`]); strict when left out.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawContentPolicy {
    unsafe_html: Option<bool>,
    any_heading_attributes: Option<bool>,
}

/// Writing direction of a language's script.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Ltr,
    Rtl,
}

/// The URL segments of the generated sections in one language.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SectionNames {
    pub services: String,
    pub agencies: String,
    pub search: String,
}

/// A menu entry as written; its link is resolved with the content (see [`crate::site`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MenuItem {
    pub title: String,
    pub link: String,
    /// Where the link is written in site.toml, for errors.
    pub span: Range<usize>,
}

/// One language of the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Language {
    /// The BCP 47 tag used in URLs, `lang` and `hreflang` (`az`, `en`, `pt-BR`).
    pub code: String,
    /// The locale for plural rules and formats (`az-Latn-AZ`, `en-GB`); defaults to the code.
    pub locale: LanguageIdentifier,
    /// The language in its own name (`Azərbaycanca`).
    pub name: String,
    pub title: String,
    pub description: String,
    pub direction: Direction,
    pub sections: SectionNames,
    /// The main menu.
    pub menu: Vec<MenuItem>,
    /// The links in the footer (about, accessibility, contact).
    pub footer: Vec<MenuItem>,
}

/// A language of the site: a small handle into [`Config::languages`], in the switcher's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Lang(u8);

impl Lang {
    pub fn index(self) -> usize {
        usize::from(self.0)
    }

    /// The handle of the `index`th language of site.toml (for tables kept in that order).
    pub(crate) fn from_index(index: usize) -> Lang {
        Lang(u8::try_from(index).expect("resolve() allows at most 255 languages"))
    }
}

/// The checked configuration of a site.
#[derive(Debug, Clone)]
pub struct Config {
    /// The site root: the folder holding site.toml.
    pub root: PathBuf,
    /// `https://example.org` with the path, no trailing slash (`https://example.org/docs`).
    pub base_url: String,
    /// The path part of the base URL, no trailing slash: `` or `/docs`. Every internal link
    /// starts with it, so a site can live below a host's root (GitHub project pages).
    pub base_path: String,
    pub default_language: String,
    /// In the order of the language switcher.
    pub languages: Vec<Language>,
    pub theme: String,
    /// The country or region the services are for (schema.org `areaServed`).
    pub area_served: Option<String>,
    /// Untranslated pages appear in every language, with a notice.
    pub fallback_pages: bool,
    /// Where a page missing in a language is taken from: the default language first, then the
    /// others (site.toml's `[fallback] order`).
    pub fallback_order: Vec<Lang>,
    /// The kinds of translation and review gap that are errors, not warnings.
    pub gap_errors: Vec<GapKind>,
    pub minify: bool,
    /// Write `.br` and `.gz` siblings beside text files (`[build] precompress`, on by default).
    pub precompress: bool,
    pub budget: Budget,
    /// How many pages a section's listing shows per page (`[build] listing_size`, 50).
    pub listing_size: usize,
    /// What Markdown may carry: strict unless site.toml loosens it.
    pub policy: crate::policy::Policy,
    /// The site as an app (`[app]`): web manifests, the service worker, offline pages.
    pub app: App,
    /// site.toml itself, for errors found later (menu links).
    pub source: SourceText,
}

/// The site as an installable app that reads offline (site.toml's `[app]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct App {
    /// Write a web manifest per language, a service worker and an offline page per language
    /// (default true).
    pub offline: bool,
    /// The colour of the browser's bar and of the installed app's title bar (`#00558c`).
    pub theme_color: String,
    /// The colour of the installed app's splash screen (`#ffffff`).
    pub background_color: String,
}

/// What the command line may override.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub base_url: Option<String>,
}

impl Config {
    /// Reads and checks `<root>/site.toml`.
    pub fn load(root: &Path, overrides: &Overrides) -> Result<Config, Diagnostics> {
        let file = root.join(CONFIG_FILE);
        if !file.is_file() {
            return Err(Diagnostic::error(format!(
                "no {CONFIG_FILE} in {}",
                if root.as_os_str().is_empty() {
                    Path::new(".")
                } else {
                    root
                }
                .display()
            ))
            .with_help("run karvan from the site's folder, or name it with --root DIR")
            .into());
        }
        let source = SourceText::read(&file, CONFIG_FILE)?;
        Config::parse(root, source, overrides)
    }

    /// Checks the text of a site.toml; `root` is where the site's folders are.
    pub fn parse(
        root: &Path,
        source: SourceText,
        overrides: &Overrides,
    ) -> Result<Config, Diagnostics> {
        let raw: RawConfig = parse_toml(&source, 0..source.text.len())?;
        resolve(root, raw, source, overrides)
    }

    pub fn language(&self, code: &str) -> Option<&Language> {
        self.languages.iter().find(|l| l.code == code)
    }

    /// The handle of the language with this code.
    pub fn lang(&self, code: &str) -> Option<Lang> {
        self.languages
            .iter()
            .position(|l| l.code == code)
            .map(Lang::from_index)
    }

    /// Every language, in the switcher's order.
    pub fn langs(&self) -> impl Iterator<Item = Lang> + Clone + use<> {
        (0..self.languages.len()).map(Lang::from_index)
    }

    /// The default language's handle.
    pub fn default_lang(&self) -> Lang {
        self.lang(&self.default_language)
            .expect("resolve() checked that the default language is configured")
    }

    /// The code of a language: `az`.
    pub fn code(&self, lang: Lang) -> &str {
        &self[lang].code
    }

    pub fn default_language(&self) -> &Language {
        self.language(&self.default_language)
            .expect("resolve() checked that the default language is configured")
    }

    /// The absolute URL of a site path (`/en/x/` → `https://example.org/docs/en/x/`).
    pub fn permalink(&self, path: &str) -> String {
        let origin_end = self.base_url.len() - self.base_path.len();
        format!("{}{}", &self.base_url[..origin_end], path)
    }

    pub fn content_dir(&self) -> PathBuf {
        self.root.join("content")
    }

    pub fn theme_dir(&self) -> PathBuf {
        self.root.join("themes").join(&self.theme)
    }
}

fn resolve(
    root: &Path,
    raw: RawConfig,
    source: SourceText,
    overrides: &Overrides,
) -> Result<Config, Diagnostics> {
    let mut problems = Diagnostics::default();
    let error_at = |message: String, span: Range<usize>, help: &str| {
        Diagnostic::error(message)
            .in_file(&source.path)
            .at_span(&source.text, span)
            .with_help(help)
    };

    let (base_url, base_path) = match &overrides.base_url {
        Some(url) => split_base_url(url).map_err(|why| {
            Diagnostics::from(
                Diagnostic::error(format!("--base-url {url:?} {why}"))
                    .with_help("give an absolute URL such as https://example.org/"),
            )
        })?,
        None => match split_base_url(raw.base_url.get_ref()) {
            Ok(split) => split,
            Err(why) => {
                problems.push(error_at(
                    format!("base_url {why}"),
                    raw.base_url.span(),
                    "write the address the site is published at, e.g. \"https://example.org/\"",
                ));
                (String::new(), String::new())
            }
        },
    };

    if raw.languages.is_empty() {
        problems.push(
            Diagnostic::error("site.toml has no [[languages]]")
                .in_file(&source.path)
                .with_help("add a [[languages]] table with code, name and title for each language"),
        );
    }
    if raw.languages.len() > usize::from(u8::MAX) {
        problems.push(
            Diagnostic::error(format!(
                "site.toml has {} languages; karvan builds at most 255",
                raw.languages.len()
            ))
            .in_file(&source.path)
            .with_help("split the site into several sites"),
        );
    }
    let mut languages: Vec<Language> = Vec::new();
    for raw_language in raw.languages {
        let code = raw_language.code.get_ref().clone();
        if languages.iter().any(|l| l.code == code) {
            problems.push(error_at(
                format!("language `{code}` is configured twice"),
                raw_language.code.span(),
                "remove one of the two [[languages]] tables",
            ));
            continue;
        }
        let code_id = match parse_language_tag(&code) {
            Ok(id) => id,
            Err(why) => {
                problems.push(error_at(
                    format!("`{code}` is not a language tag: {why}"),
                    raw_language.code.span(),
                    "use a BCP 47 language tag such as \"az\", \"en\", \"ru\" or \"pt-BR\"",
                ));
                continue;
            }
        };
        let locale = match &raw_language.locale {
            None => code_id,
            Some(locale) => match parse_language_tag(locale.get_ref()) {
                Ok(id) => id,
                Err(why) => {
                    problems.push(error_at(
                        format!("`{}` is not a locale: {why}", locale.get_ref()),
                        locale.span(),
                        "use a BCP 47 tag such as \"az-Latn-AZ\" or \"en-GB\"",
                    ));
                    continue;
                }
            },
        };
        let direction = match raw_language
            .direction
            .as_ref()
            .map(|d| (d.get_ref().as_str(), d))
        {
            None => match locale.character_direction() {
                CharacterDirection::RTL => Direction::Rtl,
                _ => Direction::Ltr,
            },
            Some(("ltr", _)) => Direction::Ltr,
            Some(("rtl", _)) => Direction::Rtl,
            Some((other, spanned)) => {
                problems.push(error_at(
                    format!("direction must be \"ltr\" or \"rtl\", not {other:?}"),
                    spanned.span(),
                    "leave it out to take the direction from the language's script",
                ));
                Direction::Ltr
            }
        };
        let mut section = |value: Option<Spanned<String>>, default: &str| match value {
            None => default.to_string(),
            Some(v) => {
                if let Err(why) = check_url_segment(v.get_ref()) {
                    problems.push(error_at(
                        format!("section name {:?} {why}", v.get_ref()),
                        v.span(),
                        "use lower-case letters, digits and hyphens, e.g. \"xidmetler\"",
                    ));
                }
                v.into_inner()
            }
        };
        let sections = SectionNames {
            services: section(raw_language.sections.services, "services"),
            agencies: section(raw_language.sections.agencies, "agencies"),
            search: section(raw_language.sections.search, "search"),
        };
        let menu_items = |items: Vec<RawMenuItem>| {
            items
                .into_iter()
                .map(|item| MenuItem {
                    title: item.title,
                    span: item.link.span(),
                    link: item.link.into_inner(),
                })
                .collect::<Vec<_>>()
        };
        let menu = menu_items(raw_language.menu);
        let footer = menu_items(raw_language.footer);
        languages.push(Language {
            code,
            locale,
            name: raw_language.name,
            title: raw_language.title,
            description: raw_language.description.unwrap_or_default(),
            direction,
            sections,
            menu,
            footer,
        });
    }

    let default_language = raw.default_language.get_ref().clone();
    if !languages.is_empty() && !languages.iter().any(|l| l.code == default_language) {
        let known: Vec<&str> = languages.iter().map(|l| l.code.as_str()).collect();
        problems.push(error_at(
            format!("the default language `{default_language}` is not among the [[languages]]"),
            raw.default_language.span(),
            &format!("use one of: {}", known.join(", ")),
        ));
    }

    let fallback_order = match &raw.fallback.order {
        None => {
            let default = languages.iter().position(|l| l.code == default_language);
            default
                .into_iter()
                .chain((0..languages.len()).filter(|&i| Some(i) != default))
                .map(Lang::from_index)
                .collect()
        }
        Some(order) => {
            let mut langs = Vec::new();
            for code in order.get_ref() {
                match languages.iter().position(|l| &l.code == code.get_ref()) {
                    Some(i) if !langs.contains(&Lang::from_index(i)) => {
                        langs.push(Lang::from_index(i))
                    }
                    Some(_) => problems.push(error_at(
                        format!("`{}` is twice in the fallback order", code.get_ref()),
                        code.span(),
                        "name each language once",
                    )),
                    None => {
                        let known: Vec<&str> = languages.iter().map(|l| l.code.as_str()).collect();
                        problems.push(error_at(
                            format!("`{}` is not among the [[languages]]", code.get_ref()),
                            code.span(),
                            &format!(
                                "use the codes of site.toml's languages: {}",
                                known.join(", ")
                            ),
                        ));
                    }
                }
            }
            // The languages left out come last, in site.toml's order.
            for i in 0..languages.len() {
                if !langs.contains(&Lang::from_index(i)) {
                    langs.push(Lang::from_index(i));
                }
            }
            langs
        }
    };
    let mut gap_errors = Vec::new();
    for name in raw.gaps.errors.iter().flatten() {
        match GapKind::from_name(name.get_ref()) {
            Some(kind) => gap_errors.push(kind),
            None => {
                let names: Vec<&str> = GapKind::ALL.iter().map(|k| k.name()).collect();
                let help = match crate::source::closest(name.get_ref(), &names) {
                    Some(best) => format!("did you mean \"{best}\"?"),
                    None => format!("the kinds of gap are: {}", names.join(", ")),
                };
                problems.push(error_at(
                    format!("`{}` is not a kind of gap", name.get_ref()),
                    name.span(),
                    &help,
                ));
            }
        }
    }

    let mut color = |value: Option<Spanned<String>>, default: &str| match value {
        None => default.to_string(),
        Some(value) if is_hex_color(value.get_ref()) => value.get_ref().to_ascii_lowercase(),
        Some(value) => {
            problems.push(error_at(
                format!(
                    "`{}` is not a colour karvan can write into a web manifest",
                    value.get_ref()
                ),
                value.span(),
                "write it as # and six hexadecimal digits, e.g. \"#00558c\"",
            ));
            default.to_string()
        }
    };
    let app = App {
        offline: raw.app.offline.unwrap_or(true),
        theme_color: color(raw.app.theme_color, "#00558c"),
        background_color: color(raw.app.background_color, "#ffffff"),
    };

    if problems.has_errors() {
        return Err(problems);
    }
    Ok(Config {
        root: root.to_path_buf(),
        base_url,
        base_path,
        default_language,
        languages,
        theme: raw.theme.unwrap_or_else(|| "default".to_string()),
        area_served: raw.area_served,
        fallback_pages: raw.fallback.pages.unwrap_or(true),
        fallback_order,
        gap_errors,
        minify: raw.build.minify.unwrap_or(true),
        precompress: raw.build.precompress.unwrap_or(true),
        budget: raw.budget,
        listing_size: raw.build.listing_size.unwrap_or(50).max(1),
        policy: crate::policy::Policy {
            unsafe_html: raw.content_policy.unsafe_html.unwrap_or(false),
            any_heading_attributes: raw.content_policy.any_heading_attributes.unwrap_or(false),
        },
        app,
        source,
    })
}

/// `#rrggbb` or `#rgb`.
fn is_hex_color(value: &str) -> bool {
    value.strip_prefix('#').is_some_and(|digits| {
        matches!(digits.len(), 3 | 6) && digits.chars().all(|c| c.is_ascii_hexdigit())
    })
}

fn parse_language_tag(tag: &str) -> Result<LanguageIdentifier, String> {
    LanguageIdentifier::from_str(tag).map_err(|e| e.to_string())
}

/// Splits `https://host/path/` into (`https://host/path`, `/path`).
fn split_base_url(url: &str) -> Result<(String, String), &'static str> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or("must start with https:// or http://")?;
    if rest.contains(['?', '#', ' ']) {
        return Err("must not contain a query, a fragment or spaces");
    }
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    if host.is_empty() {
        return Err("has no host name");
    }
    let path = path.trim_end_matches('/');
    let base_path = if path.is_empty() {
        String::new()
    } else {
        format!("/{path}")
    };
    let scheme_len = url.len() - rest.len();
    Ok((
        format!("{}{host}{base_path}", &url[..scheme_len]),
        base_path,
    ))
}

/// A URL segment written by an editor (a slug or a section name) must survive as a folder name
/// on every host (see [`crate::validate::segment`]).
pub fn check_url_segment(segment: &str) -> Result<(), String> {
    crate::validate::segment(segment)
}

impl std::ops::Index<Lang> for Config {
    type Output = Language;

    fn index(&self, lang: Lang) -> &Language {
        &self.languages[lang.index()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, Diagnostics> {
        let source = SourceText {
            path: "site.toml".into(),
            text: text.into(),
        };
        Config::parse(Path::new("/site"), source, &Overrides::default())
    }

    const MINIMAL: &str = r#"
base_url = "https://example.org/docs/"
default_language = "az"

[[languages]]
code = "az"
name = "Azərbaycanca"
title = "Sayt"

[[languages]]
code = "ar"
name = "العربية"
title = "موقع"
"#;

    #[test]
    fn fills_defaults_and_splits_the_base_url() {
        let config = parse(MINIMAL).unwrap();
        assert_eq!(config.base_url, "https://example.org/docs");
        assert_eq!(config.base_path, "/docs");
        assert_eq!(
            config.permalink("/docs/az/"),
            "https://example.org/docs/az/"
        );
        assert_eq!(config.theme, "default");
        assert!(config.fallback_pages);
        assert_eq!(config.languages[0].sections.services, "services");
        assert_eq!(config.languages[0].direction, Direction::Ltr);
    }

    #[test]
    fn takes_text_direction_from_the_script() {
        let config = parse(MINIMAL).unwrap();
        assert_eq!(config.languages[1].direction, Direction::Rtl);
    }

    #[test]
    fn rejects_an_unknown_default_language_at_its_line() {
        let err = parse(&MINIMAL.replace("default_language = \"az\"", "default_language = \"en\""))
            .unwrap_err();
        let d = err.errors().next().unwrap();
        assert_eq!(d.location().unwrap(), "site.toml:3:20");
        assert_eq!(
            d.message,
            "the default language `en` is not among the [[languages]]"
        );
        assert_eq!(d.help.as_deref(), Some("use one of: az, ar"));
    }

    #[test]
    fn reports_all_language_problems_together() {
        let text = format!(
            "{MINIMAL}\n[[languages]]\ncode = \"az\"\nname = \"x\"\ntitle = \"y\"\n\n[[languages]]\ncode = \"not a tag\"\nname = \"x\"\ntitle = \"y\"\n"
        );
        let err = parse(&text).unwrap_err();
        let messages: Vec<&str> = err.errors().map(|d| d.message.as_str()).collect();
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(messages[0].contains("configured twice"));
        assert!(messages[1].starts_with("`not a tag` is not a language tag"));
    }

    #[test]
    fn rejects_a_relative_base_url() {
        let err = parse(&MINIMAL.replace("https://example.org/docs/", "example.org")).unwrap_err();
        assert_eq!(
            err.0[0].message,
            "base_url must start with https:// or http://"
        );
    }
}
