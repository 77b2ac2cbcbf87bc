//! Tera templates: loading the theme's and the site's, binding them to a build, rendering, and
//! what each render reads. Their errors are located in [`super::template_errors`].
//!
//! 1. [`Templates::load`] reads and parses the templates once, independent of any build: editing
//!    a page never parses them again, editing a template parses only them again. Tera 2 checks
//!    then that every function, filter, component and template they name exists, and reports
//!    all that do not with their line and column.
//! 2. [`Templates::bind`] binds them to one build's site, strings and assets: one Tera instance
//!    per language, so that `t()` knows the page's language without being told and without locks.
//! 3. [`Bound::render`] renders a template and notes the templates it read (see [`crate::record`]).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use tera::Tera;

use super::refs::Refs;
use super::{functions, template_errors as errors};
use crate::assets::Assets;
use crate::config::{Config, Lang};
use crate::error::{Diagnostic, Diagnostics};
use crate::i18n::{KeyUse, UiStrings};
use crate::record::{Digest, Fact, digest_bytes, note};
use crate::site::Site;
use crate::source::{SourceText, display_path};

/// The templates of a site, parsed and checked, not yet bound to a build.
pub struct Templates {
    tera: Tera,
    /// Name → source, to locate errors.
    sources: BTreeMap<String, SourceText>,
    /// Name → the templates a render of it reads: itself, its parents, what they include and
    /// the templates that define the components they call (see [`reads`]).
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
            if !folder.is_dir() {
                continue;
            }
            let (files, walk_problems) = crate::source::walk_site(&config.root, &folder, |_| false);
            problems.extend(walk_problems.into_iter().map(|(_, d)| d));
            for path in files {
                let name = path
                    .strip_prefix(&folder)
                    .expect("walkdir yields paths below its root")
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/");
                match SourceText::read_in_site(&config.root, &path) {
                    Ok(source) => {
                        sources.insert(name, source);
                    }
                    Err(d) => problems.push(d),
                }
            }
        }

        if problems.has_errors() {
            return Err(problems);
        }

        problems.extend(super::cycles::include_cycles(&sources));
        problems.extend(super::cycles::component_cycles(&sources));
        if problems.has_errors() {
            return Err(problems);
        }

        let mut tera = Tera::default();
        tera.autoescape_on([".html", ".xml"]);
        tera.set_escape_fn(crate::escape::write_html);
        functions::declare(&mut tera);
        if let Err(err) =
            tera.add_raw_templates(sources.iter().map(|(n, s)| (n.as_str(), s.text.as_str())))
        {
            problems.extend(errors::load_errors(&err, &sources, config));
            problems.sort();
            return Err(problems);
        }

        let used = used_keys(&sources);
        let reads = reads(&sources);
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
        let per_language = site
            .config
            .langs()
            .map(|lang| {
                let mut instance = self.tera.clone();
                functions::register(&mut instance, site, strings, assets, lang);
                instance
            })
            .collect();
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

    /// For each template, the ids that it and the templates it reads (its parents, includes and
    /// components) write as they are (`id="main"`), not made by an expression: the ids of the
    /// elements of a page rendered with it, which the headings of the page's text must not take.
    pub fn fixed_ids(&self) -> BTreeMap<String, Arc<BTreeSet<String>>> {
        let own: BTreeMap<&str, BTreeSet<String>> = self
            .sources
            .iter()
            .map(|(name, source)| (name.as_str(), ids_in(&source.text)))
            .collect();
        self.sources
            .keys()
            .map(|name| {
                let mut ids = own[name.as_str()].clone();
                for read in self.reads.get(name).into_iter().flatten() {
                    ids.extend(own.get(&**read).into_iter().flatten().cloned());
                }
                (name.clone(), Arc::new(ids))
            })
            .collect()
    }
}

/// The ids a template writes as they are: `id="main"`, `id='menu'` (not `id="{{ x.id }}"`).
fn ids_in(text: &str) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    for (i, _) in text.match_indices("id=") {
        if !text[..i]
            .chars()
            .next_back()
            .is_some_and(char::is_whitespace)
        {
            continue;
        }
        let rest = &text[i + 3..];
        let Some(quote) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') else {
            continue;
        };
        let Some(end) = rest[1..].find(quote) else {
            continue;
        };
        let id = &rest[1..1 + end];
        if !id.is_empty() && !id.contains(['{', '}', ' ']) {
            ids.insert(id.to_string());
        }
    }
    ids
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
            .map_err(|err| errors::render_error(&self.templates.sources, template, &err, page))
    }
}

/// What each template reads: itself, its parents, the templates it includes, and, when it calls
/// a component, every template that defines components (Tera finds a component by its name in
/// any of them); and so on for each of those.
fn reads(sources: &BTreeMap<String, SourceText>) -> HashMap<String, Vec<Arc<str>>> {
    let refs: BTreeMap<&str, Refs> = sources
        .iter()
        .map(|(name, source)| (name.as_str(), Refs::of(&source.text)))
        .collect();
    let defining: Vec<&str> = refs
        .iter()
        .filter(|(_, r)| !r.components.is_empty())
        .map(|(name, _)| *name)
        .collect();
    let mut reads = HashMap::new();
    for name in sources.keys() {
        let mut found: BTreeSet<&str> = BTreeSet::new();
        let mut next = vec![name.as_str()];
        while let Some(current) = next.pop() {
            let Some(r) = refs.get(current) else {
                continue;
            };
            if !found.insert(current) {
                continue;
            }
            next.extend(r.extends.iter().chain(&r.includes).map(|(n, _)| n.as_str()));
            if r.calls_components {
                next.extend(&defining);
            }
        }
        reads.insert(name.clone(), found.into_iter().map(Arc::from).collect());
    }
    reads
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

#[cfg(test)]
mod tests {
    use super::*;

    fn sources(files: &[(&str, &str)]) -> BTreeMap<String, SourceText> {
        files
            .iter()
            .map(|(name, text)| {
                let source =
                    SourceText::from_bytes(format!("templates/{name}"), text.as_bytes().to_vec())
                        .unwrap();
                (name.to_string(), source)
            })
            .collect()
    }

    #[test]
    fn reads_follow_extends_includes_and_the_templates_that_define_components() {
        let sources = sources(&[
            (
                "base.html",
                "{% block main %}{% endblock main %}{%- include 'footer.html' %}",
            ),
            ("footer.html", "<footer></footer>"),
            (
                "components.html",
                "{% component card(x) %}<p>{{ x }}</p>{% endcomponent card %}",
            ),
            (
                "page.html",
                "{% extends \"base.html\" %}{% block main %}{{<card x={1} />}}{% endblock main %}",
            ),
            ("plain.html", "{{ 1 }} {# {{ not a component }} #}"),
            ("unknown.html", "{% extends \"missing.html\" %}"),
        ]);
        let reads = reads(&sources);
        let names = |name: &str| -> Vec<&str> { reads[name].iter().map(|n| &**n).collect() };
        assert_eq!(
            names("page.html"),
            ["base.html", "components.html", "footer.html", "page.html"]
        );
        assert_eq!(names("base.html"), ["base.html", "footer.html"]);
        assert_eq!(names("plain.html"), ["plain.html"]);
        assert_eq!(names("components.html"), ["components.html"]);
        assert_eq!(names("unknown.html"), ["unknown.html"]);
    }

    #[test]
    fn refs_locate_the_names_they_read() {
        let text = "{%- extends \"base.html\" -%}\n{% block main %}{% include `part.html` %}{% endblock %}\n{% component ui.card(title) %}{% endcomponent %}";
        let refs = Refs::of(text);
        let (parent, at) = refs.extends.unwrap();
        assert_eq!((parent.as_str(), &text[at]), ("base.html", "base.html"));
        assert_eq!(refs.includes[0].0, "part.html");
        assert_eq!(&text[refs.includes[0].1.clone()], "part.html");
        let (component, at) = &refs.components[0];
        assert_eq!(
            (component.as_str(), &text[at.clone()]),
            ("ui.card", "ui.card")
        );
        assert!(!refs.calls_components);
    }
}
