//! Services and agencies as templates see them, in one language: texts in the page's language or
//! the default language, marked with the language they are really in; Markdown rendered; durations
//! and money put into words by the UI strings.

use serde_json::{Value, json};

use crate::catalog::schema::{Agency, Service, TimeLimit};
use crate::catalog::{LocalText, Localized};
use crate::config::Lang;
use crate::error::Diagnostic;
use crate::i18n::{Arg, UiStrings};
use crate::markdown::{self, LinkRef, LinkResolver};
use crate::record::{Fact, note};
use crate::site::{Generated, Site};

/// The UI strings the generated pages use by name, besides those their templates use.
pub const GENERATED_KEYS: &[&str] = &[
    "services-title",
    "services-for",
    "services-other",
    "agencies-title",
    "fee-free",
    "money",
];
/// The UI strings the generated pages use by a name they build: `audience-host`, `duration-days`.
pub const GENERATED_KEY_PREFIXES: &[&str] = &[
    "audience-",
    "channel-",
    "submission-",
    "duration-",
    "currency-",
];

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

/// A service as a card in `lang`: id, title, summary, URL and audiences; texts are `Localized`.
pub fn service_card(site: &Site, lang: Lang, service: usize) -> Value {
    let s = &site.catalog.services[service].data;
    let default = &site.config.default_language;
    let code = site.config.code(lang);
    json!({
        "id": s.id.get_ref(),
        "title": s.title.get(code, default),
        "summary": s.summary.get(code, default),
        "url": site.generated_url(lang, Generated::Service(service)),
        "audience": s.audience.iter().map(|a| a.get_ref()).collect::<Vec<_>>(),
    })
}

/// Turns files into views for one language, collecting problems (links in Markdown texts).
pub(super) struct Localizer<'a> {
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
}

impl<'a> Localizer<'a> {
    pub(super) fn default(&self) -> &str {
        &self.site.config.default_language
    }

    pub(super) fn text(&self, text: &LocalText) -> Option<Localized> {
        text.get(self.code, self.default())
    }

    pub(super) fn text_value(&self, text: &LocalText) -> Value {
        self.text(text).map_or(Value::Null, |l| json!(l))
    }

    /// A Markdown text rendered to HTML, with its language.
    pub(super) fn markdown(&mut self, text: &LocalText) -> Value {
        let Some(localized) = self.text(text) else {
            return Value::Null;
        };
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
        let html = rendered.html.trim_end().to_string();
        // A single paragraph is shown inline by templates that want it.
        json!({ "text": localized.text, "html": html, "lang": localized.lang, "fallback": localized.fallback })
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

    pub(super) fn time_limit(&mut self, limit: &Option<TimeLimit>) -> Value {
        let Some(limit) = limit else {
            return Value::Null;
        };
        let value = limit.duration.get_ref().value;
        json!({
            "iso": value.to_string(),
            "text": self.duration(&value, limit.days),
            "days": limit.days,
            "note": self.markdown(&limit.text),
        })
    }

    pub(super) fn agency_link(&self, agency: usize) -> Value {
        let a = &self.site.catalog.agencies[agency].data;
        json!({
            "id": a.id.get_ref(),
            "name": self.text_value(&a.name),
            "short_name": self.text_value(&a.short_name),
            "url": self.site.generated_url(self.lang, Generated::Agency(agency)),
        })
    }

    pub(super) fn service_card(&self, service: usize) -> Value {
        service_card(self.site, self.lang, service)
    }

    /// Sorts `items` by a localised text of each, in the language's collation.
    pub(super) fn sort_by_text<'t>(
        &self,
        items: &mut [usize],
        text: impl Fn(usize) -> &'t LocalText,
    ) {
        let locale = self.site.locales.get(self.code);
        let key = |i: usize| self.text(text(i)).map_or(String::new(), |t| t.text);
        items.sort_by(|&a, &b| locale.compare(&key(a), &key(b)));
    }

    /// Service cards sorted by title in the language's collation.
    pub(super) fn sorted_cards(&self, mut services: Vec<usize>) -> Vec<Value> {
        let catalog = &self.site.catalog;
        self.sort_by_text(&mut services, |i| &catalog.services[i].data.title);
        services.into_iter().map(|s| self.service_card(s)).collect()
    }

    pub(super) fn audience(&self, id: &str) -> Value {
        json!({ "id": id, "label": self.ui(&format!("audience-{id}"), &[]) })
    }

    pub(super) fn service(&mut self, index: usize) -> Value {
        let file = &self.site.catalog.services[index];
        self.file = Some(&file.source);
        let s: &Service = &file.data;
        let catalog = &self.site.catalog;
        let agency = catalog
            .agency(s.agency.get_ref())
            .expect("the catalog checked agencies");
        let operators: Vec<Value> = s
            .operators
            .iter()
            .filter_map(|o| catalog.agency(o.get_ref()))
            .map(|a| self.agency_link(a))
            .collect();
        let topics: Vec<Value> = s
            .topics
            .iter()
            .filter_map(|t| {
                let key = format!("{}/_index", t.get_ref());
                note(Fact::Summary(self.lang, key.as_str().into()));
                let entry = self.site.entry(self.lang, &key)?;
                Some(json!({ "id": t.get_ref(), "title": self.site.page(entry).meta.title, "url": self.site.entries[entry].url }))
            })
            .collect();
        let fees: Vec<Value> = s
            .fees
            .iter()
            .map(|fee| {
                json!({
                    "amount": fee.amount,
                    "currency": fee.currency.get_ref(),
                    "free": fee.amount == 0.0,
                    "text": if fee.amount == 0.0 { self.ui("fee-free", &[]) } else { self.money(fee.amount, &fee.currency.get_ref().0) },
                    "label": self.text_value(&fee.label),
                    "processing": fee.processing.as_ref().map(|p| self.duration(&p.get_ref().value, fee.days)),
                    "validity": fee.validity.as_ref().map(|v| self.duration(&v.get_ref().value, crate::catalog::DayKind::Calendar)),
                })
            })
            .collect();
        let documents: Vec<Value> = s
            .documents
            .iter()
            .map(|d| {
                json!({
                    "name": self.text_value(&d.name),
                    "note": self.text_value(&d.note),
                    "submission": d.submission.iter().map(|f| self.ui(&format!("submission-{}", f.get_ref()), &[])).collect::<Vec<_>>(),
                    "notarised": d.notarised,
                    "translated": d.translated,
                    "form_url": d.form_url.as_ref().map(|u| u.get_ref().0.clone()),
                })
            })
            .collect();
        let channels: Vec<Value> = s.channels.iter().map(|c| self.channel(c)).collect();
        let mut steps = Vec::new();
        for step in &s.steps {
            let text = self.markdown(&step.text);
            steps.push(json!({ "title": self.text_value(&step.title), "text": text }));
        }
        let legal: Vec<Value> = s
            .legal_basis
            .iter()
            .map(|l| json!({ "title": self.text_value(&l.title), "articles": l.articles.join(", "), "url": l.url.as_ref().map(|u| u.get_ref().0.clone()) }))
            .collect();
        let mut consequences = Vec::new();
        for c in &s.consequences {
            let currency = c
                .currency
                .as_ref()
                .map_or("AZN".to_string(), |c| c.get_ref().0.clone());
            let amount = match (c.amount_min, c.amount_max) {
                (Some(min), Some(max)) if min != max => Some(format!(
                    "{} – {}",
                    self.money(min, &currency),
                    self.money(max, &currency)
                )),
                (Some(a), _) | (None, Some(a)) => Some(self.money(a, &currency)),
                (None, None) => None,
            };
            let text = self.markdown(&c.text);
            consequences.push(json!({ "text": text, "amount": amount }));
        }
        let mut faq = Vec::new();
        for item in &s.faq {
            let answer = self.markdown(&item.answer);
            faq.push(json!({ "question": self.text_value(&item.question), "answer": answer }));
        }
        let related: Vec<Value> = s
            .related
            .iter()
            .filter_map(|r| catalog.service(r.get_ref()))
            .map(|r| self.service_card(r))
            .collect();
        let who = match &s.who {
            Some(who) => {
                let text = self.markdown(&who.text);
                json!({ "text": text, "applicants": who.applicants.iter().map(|a| self.audience(a.get_ref())).collect::<Vec<_>>() })
            }
            None => Value::Null,
        };
        let description = self.markdown(&s.description);
        let deadline = self.time_limit(&s.deadline);
        let processing = self.time_limit(&s.processing);
        json!({
            "id": s.id.get_ref(),
            "url": self.site.generated_url(self.lang, Generated::Service(index)),
            "title": self.text_value(&s.title),
            "summary": self.text_value(&s.summary),
            "description": description,
            "agency": self.agency_link(agency),
            "operators": operators,
            "topics": topics,
            "audience": s.audience.iter().map(|a| self.audience(a.get_ref())).collect::<Vec<_>>(),
            "who": who,
            "deadline": deadline,
            "processing": processing,
            "fees": fees,
            "documents": documents,
            "channels": channels,
            "online": channels_online(&s.channels, self),
            "steps": steps,
            "legal_basis": legal,
            "consequences": consequences,
            "related": related,
            "faq": faq,
            "sources": s.sources.iter().map(|src| json!({ "url": src.url.get_ref().0, "title": src.title, "checked": src.checked })).collect::<Vec<_>>(),
            "last_checked": s.review.last_checked,
            "translated": self.code == self.default() || s.title.has(self.code) && s.summary.has(self.code),
            "translation_state": s.translation.iter().find(|(l, _)| l.get_ref() == self.code).map_or("approved", |(_, state)| state.get_ref().as_str()),
        })
    }

    pub(super) fn channel(&self, c: &crate::catalog::schema::Channel) -> Value {
        let catalog = &self.site.catalog;
        let offices: Vec<Value> = c
            .offices
            .iter()
            .flat_map(|reference| {
                let (agency_id, office_id) = match reference.get_ref().split_once('/') {
                    Some((a, o)) => (a, Some(o)),
                    None => (reference.get_ref().as_str(), None),
                };
                let agency = catalog.agency(agency_id).expect("the catalog checked offices");
                let a = &catalog.agencies[agency].data;
                let url = self.site.generated_url(self.lang, Generated::Agency(agency));
                match office_id {
                    Some(o) => a
                        .offices
                        .iter()
                        .filter(|office| office.id.get_ref() == o)
                        .map(|office| json!({ "name": self.text_value(&office.name), "address": self.text_value(&office.address), "url": format!("{url}#{}", office.id.get_ref()) }))
                        .collect::<Vec<_>>(),
                    None => vec![json!({ "name": self.text_value(&a.name), "address": Value::Null, "url": url })],
                }
            })
            .collect();
        json!({
            "kind": c.kind.get_ref(),
            "label": self.ui(&format!("channel-{}", c.kind.get_ref()), &[]),
            "url": c.url.as_ref().map(|u| u.get_ref().0.clone()),
            "button": self.text_value(&c.button),
            "email": c.email.as_ref().map(|e| e.get_ref().clone()),
            "phone": c.phone,
            "offices": offices,
            "note": self.text_value(&c.note),
        })
    }

    pub(super) fn agency(&mut self, index: usize) -> Value {
        let file = &self.site.catalog.agencies[index];
        self.file = Some(&file.source);
        let a: &Agency = &file.data;
        let offices: Vec<Value> = a
            .offices
            .iter()
            .map(|o| {
                json!({
                    "id": o.id.get_ref(),
                    "name": self.text_value(&o.name),
                    "region": self.text_value(&o.region),
                    "address": self.text_value(&o.address),
                    "hours": self.text_value(&o.hours),
                    "phone": o.phone,
                    "geo": o.geo.as_ref().map(|g| *g.get_ref()),
                    "services": o.services.iter().filter_map(|s| self.site.catalog.service(s.get_ref())).map(|s| self.service_card(s)).collect::<Vec<_>>(),
                })
            })
            .collect();
        let phones: Vec<Value> = a
            .phones
            .iter()
            .map(|p| {
                let languages: Vec<String> = p
                    .languages
                    .iter()
                    .map(|code| self.site.config.language(code).map_or(code.clone(), |l| l.name.clone()))
                    .collect();
                json!({ "number": p.number, "label": self.text_value(&p.label), "hours": self.text_value(&p.hours), "languages": languages, "codes": p.languages })
            })
            .collect();
        let description = self.markdown(&a.description);
        json!({
            "id": a.id.get_ref(),
            "url": self.site.generated_url(self.lang, Generated::Agency(index)),
            "name": self.text_value(&a.name),
            "short_name": self.text_value(&a.short_name),
            "description": description,
            "website": a.website.as_ref().map(|u| u.get_ref().0.clone()),
            "email": a.email.as_ref().map(|e| e.get_ref().clone()),
            "address": self.text_value(&a.address),
            "phones": phones,
            "offices": offices,
            "services": self.sorted_cards(self.site.catalog.services_of(index)),
            "sources": a.sources.iter().map(|src| json!({ "url": src.url.get_ref().0, "title": src.title, "checked": src.checked })).collect::<Vec<_>>(),
            "last_checked": a.review.last_checked,
        })
    }
}

fn channels_online(channels: &[crate::catalog::schema::Channel], l: &Localizer<'_>) -> Value {
    channels
        .iter()
        .find(|c| c.kind.get_ref() == "online")
        .map_or(Value::Null, |c| l.channel(c))
}

/// The localised view of a service (`kind` = "service") or agency, for the template functions
/// `service(id=...)` and `agency(id=...)`.
pub fn view(site: &Site, strings: &UiStrings, lang: Lang, kind: &str, id: &str) -> Option<Value> {
    let mut l = Localizer {
        site,
        strings,
        lang,
        code: site.config.code(lang),
        problems: Vec::new(),
        file: None,
    };
    match kind {
        "service" => site.catalog.service(id).map(|i| l.service(i)),
        _ => site.catalog.agency(id).map(|i| l.agency(i)),
    }
}
