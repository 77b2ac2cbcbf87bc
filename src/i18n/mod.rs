//! UI strings: Project Fluent messages per language, with fallback to the default language.
//!
//! 1. For every language, read the theme's `themes/<theme>/i18n/<lang>.ftl`, then the site's
//!    `i18n/<lang>.ftl` over it, key by key. A syntax error names the file, line and column.
//! 2. Check every language against the default one, and the keys the templates use against the
//!    default language: a missing key falls back and is reported (an error with `--strict`).
//! 3. Format messages with arguments and CLDR plural rules for the language's locale, without
//!    Unicode isolation marks (they would land in the HTML).

mod cycles;
pub mod locale;
pub mod slug;

pub use cycles::cycles;

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use fluent_syntax::ast;

use crate::config::{Config, Lang};
use crate::error::{Diagnostic, Diagnostics, GapKind};
use crate::record::{Digest, Fact, digest, note};
use crate::source::{SourceText, display_path};
use locale::Locales;

/// An argument passed to a message.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    Number(f64),
    Text(String),
}

struct Strings {
    code: String,
    bundle: FluentBundle<FluentResource>,
    keys: BTreeSet<String>,
    /// The keys the site's own file defines (the rest come from the theme).
    site_keys: BTreeSet<String>,
    /// The site's file for this language, where missing keys should be added.
    site_file: PathBuf,
    /// Message id → digest of its definition (the one in force: the site's over the theme's).
    digests: HashMap<String, Digest>,
}

/// The UI strings of every language of a site.
pub struct UiStrings {
    languages: Vec<Strings>,
    default: usize,
    /// Plural selections that miss a category of their language, found while loading.
    plural_gaps: Vec<(String, Diagnostic)>,
}

/// A formatted message, and whether it came from the default language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub text: String,
    pub fell_back: bool,
}

/// Where a template uses a key, for reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyUse {
    pub key: String,
    pub diagnostic_site: Diagnostic,
}

impl UiStrings {
    /// Loads the theme's and the site's files of every language.
    pub fn load(config: &Config, locales: &Locales) -> Result<UiStrings, Diagnostics> {
        let mut problems = Diagnostics::default();
        let mut plural_gaps = Vec::new();
        let mut languages = Vec::new();
        for (index, language) in config.languages.iter().enumerate() {
            let file_name = format!("{}.ftl", language.code);
            let theme_file = config.theme_dir().join("i18n").join(&file_name);
            let site_file = config.root.join("i18n").join(&file_name);
            let mut bundle = FluentBundle::new_concurrent(vec![language.locale.clone()]);
            bundle.set_use_isolating(false);
            bundle.set_formatter(Some(locale::format_fluent_number));
            let mut keys = BTreeSet::new();
            let mut site_keys = BTreeSet::new();
            let mut digests = HashMap::new();
            let mut texts = Vec::new();
            for file in [&theme_file, &site_file] {
                // Anything at the name is read, so that a pipe or a link out of the site is an
                // error rather than silently skipped.
                if std::fs::symlink_metadata(file).is_err() {
                    continue;
                }
                let source = match SourceText::read_in_site(&config.root, file) {
                    Ok(source) => source,
                    Err(d) => {
                        problems.push(d);
                        continue;
                    }
                };
                match parse(&source) {
                    Ok(resource) => {
                        problems.extend(cycles(&resource, &source));
                        let categories = locales.get(Lang::from_index(index)).plural_categories();
                        for gap in plural_problems(&resource, &source, &categories) {
                            let gap = gap.with_gap(GapKind::IncompletePlural, Some(&language.code));
                            plural_gaps.push((language.code.clone(), gap));
                        }
                        texts.push(source.text.clone());
                        for entry in resource.entries() {
                            if let ast::Entry::Message(message) = entry {
                                let text = format!("{message:?}");
                                // A message that refers to another or to a term changes with
                                // them: digest the whole language for it (below).
                                let refers = text.contains("MessageReference")
                                    || text.contains("TermReference");
                                let value = if refers { Digest(0) } else { digest(&text) };
                                digests.insert(message.id.name.to_string(), value);
                            }
                        }
                        let defined = message_keys(&resource);
                        if file == &site_file {
                            site_keys.extend(defined.iter().cloned());
                        }
                        keys.extend(defined);
                        bundle.add_resource_overriding(resource);
                    }
                    Err(errors) => problems.extend(errors),
                }
            }
            let whole = digest(&texts);
            for value in digests.values_mut() {
                if *value == Digest(0) {
                    *value = whole;
                }
            }
            languages.push(Strings {
                code: language.code.clone(),
                bundle,
                keys,
                site_keys,
                site_file: display_path(&config.root, &site_file),
                digests,
            });
        }
        if problems.has_errors() {
            return Err(problems);
        }
        let default = languages
            .iter()
            .position(|l| l.code == config.default_language)
            .expect("the config checked that the default language is configured");
        Ok(UiStrings {
            languages,
            default,
            plural_gaps,
        })
    }

    fn strings(&self, lang: &str) -> &Strings {
        self.languages
            .iter()
            .find(|l| l.code == lang)
            .unwrap_or(&self.languages[self.default])
    }

    /// Whether `key` (`message` or `message.attribute`) exists in `lang`.
    pub fn has(&self, lang: &str, key: &str) -> bool {
        let (id, attribute) = split_key(key);
        let bundle = &self.strings(lang).bundle;
        match bundle.get_message(id) {
            Some(message) => match attribute {
                Some(attribute) => message.get_attribute(attribute).is_some(),
                None => message.value().is_some(),
            },
            None => false,
        }
    }

    /// The digest of `key` (`message` or `message.attribute`) in `lang` and in the default
    /// language it falls back to: what a page that shows it depends on.
    pub fn digest(&self, lang: Lang, key: &str) -> Digest {
        let (id, _) = split_key(key);
        let own = self
            .languages
            .get(lang.index())
            .and_then(|l| l.digests.get(id));
        let fallback = self.languages[self.default].digests.get(id);
        digest(&(own, fallback))
    }

    /// Formats `key` in `lang`, falling back to the default language. The output being rendered
    /// notes the string (see [`crate::record`]).
    pub fn format(&self, lang: &str, key: &str, args: &[(&str, Arg)]) -> Result<Message, String> {
        if let Some(index) = self.languages.iter().position(|l| l.code == lang) {
            note(Fact::String(Lang::from_index(index), key.into()));
        }
        let fell_back = !self.has(lang, key);
        let strings = if fell_back {
            &self.languages[self.default]
        } else {
            self.strings(lang)
        };
        if fell_back && !self.has(&strings.code, key) {
            return Err(format!(
                "the UI string `{key}` is not defined in {} (the default language)",
                strings.site_file.display()
            ));
        }
        let (id, attribute) = split_key(key);
        let message = strings
            .bundle
            .get_message(id)
            .expect("has() checked that the message exists");
        let pattern = match attribute {
            Some(attribute) => message
                .get_attribute(attribute)
                .expect("has() checked the attribute")
                .value(),
            None => message.value().expect("has() checked the value"),
        };
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            let value = match value {
                Arg::Number(n) => FluentValue::from(*n),
                Arg::Text(s) => FluentValue::from(s.as_str()),
            };
            fluent_args.set(name.to_string(), value);
        }
        let mut errors = Vec::new();
        let text = strings
            .bundle
            .format_pattern(pattern, Some(&fluent_args), &mut errors);
        if let Some(error) = errors.first() {
            return Err(format!(
                "the UI string `{key}` in {}: {error}",
                strings.code
            ));
        }
        Ok(Message {
            text: text.into_owned(),
            fell_back,
        })
    }

    /// The keys the site's own file of a language defines (not the theme's).
    pub fn site_keys(&self, lang: &str) -> impl Iterator<Item = &String> {
        self.strings(lang).site_keys.iter()
    }

    /// The keys the default language has and `lang` lacks.
    pub fn missing_keys(&self, lang: &str) -> Vec<String> {
        let default = &self.languages[self.default];
        self.strings(lang)
            .keys
            .symmetric_difference(&default.keys)
            .filter(|k| default.keys.contains(*k))
            .cloned()
            .collect()
    }

    /// `file:line:col key` of every plural selection of `lang` that misses a category.
    pub fn incomplete_plurals(&self, lang: &str) -> Vec<String> {
        self.plural_gaps
            .iter()
            .filter(|(l, _)| l == lang)
            .map(|(_, d)| {
                let key = d.message.split('`').nth(1).unwrap_or_default();
                format!("{} {key}", d.location().unwrap_or_default())
            })
            .collect()
    }

    /// The site's file of a language, where its strings go.
    pub fn site_file(&self, lang: &str) -> &std::path::Path {
        &self.strings(lang).site_file
    }

    /// Compares every language with the default one and checks the keys templates use.
    /// Missing translations are warnings; a key the default language lacks is an error.
    pub fn check(&self, used: &[KeyUse]) -> Diagnostics {
        let mut report = Diagnostics::default();
        report.extend(self.plural_gaps.iter().map(|(_, d)| d.clone()));
        let default = &self.languages[self.default];
        for use_ in used {
            if !self.has(&default.code, &use_.key) {
                report.push(
                    Diagnostic {
                        message: format!(
                            "the template uses the UI string `{}`, which {} does not define",
                            use_.key,
                            default.site_file.display()
                        ),
                        ..use_.diagnostic_site.clone()
                    }
                    .with_help(format!(
                        "add `{} = ...` to {}, or correct the key",
                        use_.key,
                        default.site_file.display()
                    )),
                );
            }
        }
        for strings in &self.languages {
            if strings.code == default.code {
                continue;
            }
            for key in default.keys.difference(&strings.keys) {
                report.push(
                    Diagnostic::warning(format!(
                        "the UI string `{key}` is not translated into {}; the {} text is shown",
                        strings.code, default.code
                    ))
                    .in_file(&strings.site_file)
                    .with_help(format!(
                        "add `{key} = ...` to {}",
                        strings.site_file.display()
                    ))
                    .with_gap(GapKind::MissingString, Some(&strings.code))
                    .with_example(format!("`{key}`")),
                );
            }
            for key in strings.keys.difference(&default.keys) {
                report.push(
                    Diagnostic::warning(format!(
                        "the UI string `{key}` exists in {} but not in the default language {}",
                        strings.code, default.code
                    ))
                    .in_file(&strings.site_file)
                    .with_help(format!(
                        "add it to {} too, or remove it if it is misspelt",
                        default.site_file.display()
                    )),
                );
            }
        }
        report
    }
}

fn split_key(key: &str) -> (&str, Option<&str>) {
    match key.split_once('.') {
        Some((id, attribute)) => (id, Some(attribute)),
        None => (key, None),
    }
}

/// Parses a Fluent file; syntax errors are located in the file.
pub fn parse(source: &SourceText) -> Result<FluentResource, Vec<Diagnostic>> {
    FluentResource::try_new(source.text.clone()).map_err(|(_, errors)| {
        errors
            .into_iter()
            .map(|e| {
                Diagnostic::error(format!("Fluent syntax error: {}", e.kind))
                    .in_file(&source.path)
                    .at_span(&source.text, e.pos.clone())
                    .with_help(
                        "a message is `key = text`; continue a long text on lines indented by spaces; \
                         variants go between { $count -> ... } with one *[other] default",
                    )
            })
            .collect()
    })
}

/// Every selection on a number (`{ $count -> [one] ... *[other] ... }`) must have a variant for
/// each CLDR plural category of the language: Russian needs one, few, many and other.
fn plural_problems(
    resource: &FluentResource,
    source: &SourceText,
    categories: &[&str],
) -> Vec<Diagnostic> {
    const ALL: &[&str] = &["zero", "one", "two", "few", "many", "other"];
    let mut problems = Vec::new();
    for entry in resource.entries() {
        let ast::Entry::Message(message) = entry else {
            continue;
        };
        let mut all_patterns: Vec<&ast::Pattern<&str>> = message.value.iter().collect();
        all_patterns.extend(message.attributes.iter().map(|a| &a.value));
        for pattern in all_patterns {
            let mut selects = Vec::new();
            collect_selects(pattern, &mut selects);
            for variants in selects {
                let keys: Vec<&str> = variants
                    .iter()
                    .filter_map(|v| match &v.key {
                        ast::VariantKey::Identifier { name } => Some(*name),
                        ast::VariantKey::NumberLiteral { .. } => None,
                    })
                    .collect();
                let is_plural = !keys.is_empty() && keys.iter().all(|k| ALL.contains(k));
                if !is_plural {
                    continue;
                }
                let missing: Vec<&str> = categories
                    .iter()
                    .copied()
                    .filter(|c| !keys.contains(c))
                    .collect();
                if missing.is_empty() {
                    continue;
                }
                // The AST borrows from the resource's own copy of the text: offsets are taken there.
                let offset = (message.id.name.as_ptr() as usize)
                    .saturating_sub(resource.source().as_ptr() as usize);
                let offset = offset.min(source.text.len());
                problems.push(
                    Diagnostic::warning(format!(
                        "`{}` selects on a number but has no variant for the plural categor{} {} (its language has {})",
                        message.id.name,
                        if missing.len() == 1 { "y" } else { "ies" },
                        missing.iter().map(|m| format!("[{m}]")).collect::<Vec<_>>().join(", "),
                        categories.join(", "),
                    ))
                    .in_file(&source.path)
                    .at_span(&source.text, offset..offset + message.id.name.len())
                    .with_help("add the missing variants, e.g. [few] { $count } ..., so that every number reads correctly"),
                );
            }
        }
    }
    problems
}

/// The variant lists of every select expression in `pattern`, nested ones included.
fn collect_selects<'a>(
    pattern: &'a ast::Pattern<&'a str>,
    out: &mut Vec<&'a [ast::Variant<&'a str>]>,
) {
    for element in &pattern.elements {
        if let ast::PatternElement::Placeable {
            expression: ast::Expression::Select { variants, .. },
        } = element
        {
            out.push(variants);
            for variant in variants {
                collect_selects(&variant.value, out);
            }
        }
    }
}

/// The message ids, and `id.attribute` for every attribute, a resource defines.
fn message_keys(resource: &FluentResource) -> Vec<String> {
    let mut keys = Vec::new();
    for entry in resource.entries() {
        if let ast::Entry::Message(message) = entry {
            if message.value.is_some() {
                keys.push(message.id.name.to_string());
            }
            for attribute in &message.attributes {
                keys.push(format!("{}.{}", message.id.name, attribute.id.name));
            }
        }
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Overrides;

    fn site(files: &[(&str, &str)]) -> (tempfile::TempDir, Config) {
        let dir = tempfile::tempdir().unwrap();
        let config_text = "base_url = \"https://x.org\"\ndefault_language = \"en\"\n\
            [[languages]]\ncode = \"en\"\nname = \"English\"\ntitle = \"X\"\n\
            [[languages]]\ncode = \"ru\"\nname = \"Русский\"\ntitle = \"Х\"\n";
        std::fs::write(dir.path().join("site.toml"), config_text).unwrap();
        for (path, text) in files {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let config = Config::load(dir.path(), &Overrides::default()).unwrap();
        (dir, config)
    }

    const RU: &str = "pages = { $count ->\n    [one] { $count } страница\n    [few] { $count } страницы\n   *[many] { $count } страниц\n}\n";

    #[test]
    fn ui_strings_can_be_shared_between_render_threads() {
        fn is_sync<T: Send + Sync>() {}
        is_sync::<UiStrings>();
    }

    #[test]
    fn formats_russian_plurals_without_isolation_marks() {
        let (_dir, config) = site(&[
            (
                "i18n/en.ftl",
                "pages = { $count ->\n    [one] one page\n   *[other] { $count } pages\n}\n",
            ),
            ("i18n/ru.ftl", RU),
        ]);
        let strings = UiStrings::load(&config, &Locales::load(&config).unwrap()).unwrap();
        let ru = |n: f64| {
            strings
                .format("ru", "pages", &[("count", Arg::Number(n))])
                .unwrap()
                .text
        };
        assert_eq!(ru(1.0), "1 страница");
        assert_eq!(ru(3.0), "3 страницы");
        assert_eq!(ru(5.0), "5 страниц");
        assert_eq!(ru(21.0), "21 страница");
        let en = strings
            .format("en", "pages", &[("count", Arg::Number(2.0))])
            .unwrap();
        assert_eq!(en.text, "2 pages");
    }

    #[test]
    fn site_strings_override_the_theme_key_by_key() {
        let (_dir, config) = site(&[
            ("themes/default/i18n/en.ftl", "a = theme a\nb = theme b\n"),
            ("i18n/en.ftl", "b = site b\n"),
        ]);
        let strings = UiStrings::load(&config, &Locales::load(&config).unwrap()).unwrap();
        assert_eq!(strings.format("en", "a", &[]).unwrap().text, "theme a");
        assert_eq!(strings.format("en", "b", &[]).unwrap().text, "site b");
    }

    #[test]
    fn falls_back_to_the_default_language_and_reports_the_gap() {
        let (_dir, config) = site(&[
            ("i18n/en.ftl", "home = Home\nskip = Skip\n"),
            ("i18n/ru.ftl", "home = Главная\n"),
        ]);
        let strings = UiStrings::load(&config, &Locales::load(&config).unwrap()).unwrap();
        let m = strings.format("ru", "skip", &[]).unwrap();
        assert_eq!(
            m,
            Message {
                text: "Skip".into(),
                fell_back: true
            }
        );
        let report = strings.check(&[]);
        assert_eq!(report.0.len(), 1);
        assert_eq!(
            report.0[0].message,
            "the UI string `skip` is not translated into ru; the en text is shown"
        );
        assert!(!report.has_errors());
    }

    #[test]
    fn a_plural_selection_missing_a_russian_category_is_reported_at_its_line() {
        let (_dir, config) = site(&[
            (
                "i18n/en.ftl",
                "files = { $count ->\n    [one] one file\n   *[other] { $count } files\n}\n",
            ),
            (
                "i18n/ru.ftl",
                "# Русские строки\nfiles = { $count ->\n    [one] { $count } файл\n    [few] { $count } файла\n   *[other] { $count } файлов\n}\n",
            ),
        ]);
        let strings = UiStrings::load(&config, &Locales::load(&config).unwrap()).unwrap();
        let report = strings.check(&[]);
        assert_eq!(report.0.len(), 1, "{report}");
        let d = &report.0[0];
        assert_eq!(d.location().unwrap(), "i18n/ru.ftl:2:1");
        assert_eq!(
            d.message,
            "`files` selects on a number but has no variant for the plural category [many] (its language has one, few, many, other)"
        );
    }

    #[test]
    fn a_syntax_error_names_file_line_and_column() {
        let (_dir, config) = site(&[(
            "i18n/ru.ftl",
            "ok = да\nbroken = { $count ->\n   [one] x\n}\n",
        )]);
        let err = UiStrings::load(&config, &Locales::load(&config).unwrap())
            .err()
            .unwrap();
        let d = &err.0[0];
        assert_eq!(d.location().unwrap(), "i18n/ru.ftl:4:1");
        assert_eq!(
            d.message,
            "Fluent syntax error: The select expression must have a default variant"
        );
    }
}
