//! Services and agencies as templates see them, in one language: typed views whose serialized
//! form is what a template reads. Texts are in the page's language or the default language,
//! marked with the language they are really in; Markdown is rendered; durations and money are put
//! into words by the UI strings.
//!
//! - this module: the [`Localizer`] that builds views, the pieces every view shares (texts,
//!   service cards, agency links, sources) and the lookups of the template functions
//!   `service(id=...)` and `agency(id=...)`;
//! - [`service`]: [`ServiceView`], a service page;
//! - [`agency`]: [`AgencyView`], an agency page.

mod agency;
mod service;

use serde::Serialize;

use crate::catalog::schema::Source;
use crate::catalog::{Date, LocalText, Localized};
use crate::config::Lang;
use crate::error::Diagnostic;
use crate::i18n::{Arg, UiStrings};
use crate::markdown::{self, LinkRef, LinkResolver};
use crate::site::{Generated, Site};

pub use agency::AgencyView;
pub use service::ServiceView;

/// The UI strings the generated pages use by name, besides those their templates use.
pub const GENERATED_KEYS: &[&str] = &[
    "services-title",
    "services-for",
    "services-other",
    "agencies-title",
    "fee-free",
    "money",
    "callout-note",
    "callout-tip",
    "callout-important",
    "callout-warning",
    "callout-caution",
    "search-title",
    "offline-title",
    "app-short-name",
];
/// The UI strings the generated pages use by a name they build: `audience-host`, `duration-days`.
pub const GENERATED_KEY_PREFIXES: &[&str] = &[
    "audience-",
    "channel-",
    "submission-",
    "duration-",
    "currency-",
];

/// A Markdown text in one language: as written, rendered to HTML, and the language it is in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MarkdownText {
    pub text: String,
    /// The rendered HTML, without trailing whitespace.
    pub html: String,
    pub lang: String,
    /// The text is not in the language asked for: the default language's is shown.
    pub fallback: bool,
}

impl MarkdownText {
    /// The first paragraph as plain text (links as their text, no emphasis marks), at most
    /// about 160 characters, ended at a sentence where it is cut: what a meta description holds.
    pub fn first_paragraph(&self) -> String {
        use pulldown_cmark::{Event, Parser, Tag, TagEnd};
        let mut text = String::new();
        let mut depth = 0;
        for event in Parser::new(&self.text) {
            match event {
                Event::Start(Tag::Paragraph) => depth += 1,
                Event::End(TagEnd::Paragraph) if depth > 0 && !text.trim().is_empty() => break,
                Event::Text(t) | Event::Code(t) if depth > 0 => text.push_str(&t),
                Event::SoftBreak | Event::HardBreak if depth > 0 => text.push(' '),
                _ => {}
            }
        }
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if text.chars().count() <= 160 {
            return text;
        }
        // Cut at the last sentence end within 160 characters, else at a word, with an ellipsis.
        let limit = text.char_indices().nth(160).map_or(text.len(), |(i, _)| i);
        let head = &text[..limit];
        match head.rfind(['.', '!', '?']) {
            Some(end) if end > 60 => head[..=end].to_string(),
            _ => format!("{}…", head[..head.rfind(' ').unwrap_or(limit)].trim_end()),
        }
    }
}

/// A service as a card in lists: what links to its page.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServiceCard {
    pub id: String,
    pub title: Option<Localized>,
    pub summary: Option<Localized>,
    pub url: String,
    /// The audience ids (`host`, `student`).
    pub audience: Vec<String>,
}

/// An agency as a link: its names and the URL of its page.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AgencyLink {
    pub id: String,
    pub name: Option<Localized>,
    pub short_name: Option<Localized>,
    pub url: String,
}

/// A source a service's or agency's facts were checked against.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SourceView {
    pub url: String,
    pub title: Option<String>,
    pub checked: Date,
}

impl SourceView {
    fn of(source: &Source) -> SourceView {
        SourceView {
            url: source.url.get_ref().0.clone(),
            title: source.title.clone(),
            checked: source.checked,
        }
    }
}

/// What a template function looks up by id: `service(id=...)` or `agency(id=...)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Service,
    Agency,
}

impl Kind {
    /// Every kind, for registering the template functions.
    pub const ALL: [Kind; 2] = [Kind::Service, Kind::Agency];

    /// The name of the template function.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Service => "service",
            Kind::Agency => "agency",
        }
    }
}

/// A UI string; a missing key (already reported by the build's checks) shows the key itself.
fn ui(strings: &UiStrings, lang: &str, key: &str, args: &[(&str, Arg)]) -> String {
    strings
        .format(lang, key, args)
        .map(|m| m.text)
        .unwrap_or_else(|_| key.to_string())
}

/// A duration in words: `15 iş günü`, `1 год 6 месяцев` (the UI strings `duration-*`).
pub fn write_duration(
    strings: &UiStrings,
    lang: &str,
    value: &crate::catalog::Duration,
    days: crate::catalog::DayKind,
) -> String {
    value
        .parts(days)
        .into_iter()
        .map(|(key, n)| ui(strings, lang, key, &[("count", Arg::Number(f64::from(n)))]))
        .collect::<Vec<_>>()
        .join(" ")
}

/// An amount of money: the UI string `money` with the amount (written by the locale's number
/// rules) and the currency's symbol from `currency-<CODE>`, else the code: `1.234 ₼`, `20 USD`.
pub fn write_money(strings: &UiStrings, lang: &str, amount: f64, currency: &str) -> String {
    let symbol_key = format!("currency-{currency}");
    // The symbol in this language or the default one; else the ISO code itself.
    let symbol = strings
        .format(lang, &symbol_key, &[])
        .map_or_else(|_| currency.to_string(), |m| m.text);
    ui(
        strings,
        lang,
        "money",
        &[
            ("amount", Arg::Number(amount)),
            ("currency", Arg::Text(symbol)),
        ],
    )
}

/// A service as a card in `lang`: id, title, summary, URL and audiences.
pub fn service_card(site: &Site, lang: Lang, service: usize) -> ServiceCard {
    let s = &site.catalog.services[service].data;
    let default = &site.config.default_language;
    let code = site.config.code(lang);
    ServiceCard {
        id: s.id.get_ref().clone(),
        title: s.title.get(code, default),
        summary: s.summary.get(code, default),
        url: site.generated_url(lang, Generated::Service(service)),
        audience: s.audience.iter().map(|a| a.get_ref().clone()).collect(),
    }
}

/// The localised view of the service `id`, for the template function `service(id=...)`.
pub fn service_view(site: &Site, strings: &UiStrings, lang: Lang, id: &str) -> Option<ServiceView> {
    let index = site.catalog.service(id)?;
    Some(Localizer::new(site, strings, lang).service(index))
}

/// The localised view of the agency `id`, for the template function `agency(id=...)`.
pub fn agency_view(site: &Site, strings: &UiStrings, lang: Lang, id: &str) -> Option<AgencyView> {
    let index = site.catalog.agency(id)?;
    Some(Localizer::new(site, strings, lang).agency(index))
}

/// Turns files into views for one language, collecting problems (links in Markdown texts).
pub(in crate::render) struct Localizer<'a> {
    pub(super) site: &'a Site,
    pub(super) strings: &'a UiStrings,
    pub(super) lang: Lang,
    /// The code of `lang`.
    pub(super) code: &'a str,
    pub(super) problems: Vec<Diagnostic>,
    /// The file whose texts are being localised, for errors.
    pub(super) file: Option<&'a crate::source::SourceText>,
}

struct TextLinks<'a> {
    site: &'a Site,
    lang: Lang,
}

impl LinkResolver for TextLinks<'_> {
    fn resolve(&self, link: &LinkRef<'_>) -> Result<String, (String, String)> {
        self.site
            .resolve(self.lang, link.destination)
            .map(|t| t.url(self.site))
    }

    fn policy(&self) -> crate::policy::Policy {
        self.site.config.policy
    }
}

impl<'a> Localizer<'a> {
    /// A localizer for `lang` with no problems yet.
    pub(super) fn new(site: &'a Site, strings: &'a UiStrings, lang: Lang) -> Localizer<'a> {
        Localizer {
            site,
            strings,
            lang,
            code: site.config.code(lang),
            problems: Vec::new(),
            file: None,
        }
    }

    pub(super) fn default(&self) -> &str {
        &self.site.config.default_language
    }

    /// A text in this language, else in the default language.
    pub(super) fn text(&self, text: &LocalText) -> Option<Localized> {
        text.get(self.code, self.default())
    }

    /// A Markdown text rendered to HTML, with its language.
    pub(super) fn markdown(&mut self, text: &LocalText) -> Option<MarkdownText> {
        let localized = self.text(text)?;
        let links = TextLinks {
            site: self.site,
            lang: self.lang,
        };
        let (rendered, errors) = markdown::render(&localized.text, &localized.lang, &links);
        // A fallback text's link errors are reported once, where it renders in its own language.
        if localized.lang == self.code {
            if let Some(file) = self.file {
                for error in errors {
                    let span = text
                        .keys()
                        .find(|k| k.get_ref() == &localized.lang)
                        .map_or(0..0, |k| k.span());
                    self.problems.push(
                        Diagnostic::error(error.message)
                            .in_file(&file.path)
                            .at_span(&file.text, span)
                            .with_help(error.help),
                    );
                }
            }
        }
        // A single paragraph is shown inline by templates that want it.
        Some(MarkdownText {
            html: rendered.html.trim_end().to_string(),
            text: localized.text,
            lang: localized.lang,
            fallback: localized.fallback,
        })
    }

    pub(super) fn ui(&self, key: &str, args: &[(&str, Arg)]) -> String {
        ui(self.strings, self.code, key, args)
    }

    pub(super) fn duration(
        &self,
        value: &crate::catalog::Duration,
        days: crate::catalog::DayKind,
    ) -> String {
        write_duration(self.strings, self.code, value, days)
    }

    pub(super) fn money(&self, amount: f64, currency: &str) -> String {
        write_money(self.strings, self.code, amount, currency)
    }

    pub(in crate::render) fn agency_link(&self, agency: usize) -> AgencyLink {
        let a = &self.site.catalog.agencies[agency].data;
        AgencyLink {
            id: a.id.get_ref().clone(),
            name: self.text(&a.name),
            short_name: self.text(&a.short_name),
            url: self
                .site
                .generated_url(self.lang, Generated::Agency(agency)),
        }
    }

    pub(super) fn service_card(&self, service: usize) -> ServiceCard {
        service_card(self.site, self.lang, service)
    }

    /// Sorts `items` by a localised text of each, in the language's collation.
    pub(super) fn sort_by_text<'t>(
        &self,
        items: &mut [usize],
        text: impl Fn(usize) -> &'t LocalText,
    ) {
        let locale = self.site.locales.get(self.lang);
        let key = |i: usize| self.text(text(i)).map_or(String::new(), |t| t.text);
        items.sort_by(|&a, &b| locale.compare(&key(a), &key(b)));
    }

    /// Service cards sorted by title in the language's collation.
    pub(super) fn sorted_cards(&self, mut services: Vec<usize>) -> Vec<ServiceCard> {
        let catalog = &self.site.catalog;
        self.sort_by_text(&mut services, |i| &catalog.services[i].data.title);
        services.into_iter().map(|s| self.service_card(s)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::MarkdownText;

    fn text(markdown: &str) -> MarkdownText {
        MarkdownText {
            text: markdown.to_string(),
            html: String::new(),
            lang: "en".into(),
            fallback: false,
        }
    }

    #[test]
    fn the_first_paragraph_is_plain_text_cut_at_a_sentence() {
        assert_eq!(
            text("The **State Migration Service** runs [registration](@/stay/register.md) and `e-visa`.\n\nSecond.")
                .first_paragraph(),
            "The State Migration Service runs registration and e-visa."
        );
        let long = format!("{}. {}", "word ".repeat(20).trim(), "more ".repeat(40));
        let cut = text(&long).first_paragraph();
        assert!(
            cut.ends_with("word.") && cut.chars().count() <= 161,
            "{cut}"
        );
        let no_stop = text(&"söz ".repeat(60)).first_paragraph();
        assert!(
            no_stop.ends_with("söz…") && no_stop.chars().count() <= 161,
            "{no_stop}"
        );
    }
}
