//! Tera templates: loading the theme's and the site's, binding them to a build, and
//! template errors located in their files.
//!
//! 1. [`Templates::load`] reads and parses the templates once, independent of any build: editing
//!    a page never parses them again, editing a template parses only them again.
//! 2. [`Templates::bind`] binds them to one build's site, strings and assets: one Tera instance
//!    per language, so that `t()` knows the page's language without being told and without locks.
//! 3. [`Bound::render`] renders a template and notes the templates it read (see [`crate::record`]).

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use tera::Tera;
use walkdir::WalkDir;

use crate::assets::Assets;
use crate::config::{Config, Lang};
use crate::error::{Diagnostic, Diagnostics};
use crate::i18n::{KeyUse, UiStrings};
use crate::record::{Digest, Fact, digest_bytes, note};

use super::functions::{Asset, Formatting, Link, LocaleFilter, Lookup, Translate};
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
