//! The files as written: `content/services/<id>.toml` and `content/agencies/<id>.toml`. Every
//! table rejects unknown keys. See README.md (Services and agencies) for an annotated example.

use serde::Deserialize;
use toml::Spanned;

use super::values::{Currency, Date, DayKind, DurationField, LocalList, LocalText, Url};

/// Who a service is for. The labels come from the UI strings `audience-<id>`.
pub const AUDIENCES: &[&str] = &[
    "foreigner",
    "stateless-person",
    "employer",
    "host",
    "investor",
    "student",
    "family",
];

/// A government service.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Service {
    pub id: Spanned<String>,
    /// The agency responsible.
    pub agency: Spanned<String>,
    /// Other agencies that take applications (e.g. ASAN service centres).
    #[serde(default)]
    pub operators: Vec<Spanned<String>>,
    /// Content sections (folders under content/<lang>/) the service is listed under.
    #[serde(default)]
    pub topics: Vec<Spanned<String>>,
    #[serde(default)]
    pub audience: Vec<Spanned<String>>,
    pub title: LocalText,
    /// One sentence: the meta description and the line under the title in lists.
    pub summary: LocalText,
    #[serde(default)]
    pub keywords: LocalList,
    /// Markdown: what the service gives and when you need it.
    #[serde(default)]
    pub description: LocalText,
    #[serde(default)]
    pub who: Option<Who>,
    #[serde(default)]
    pub deadline: Option<TimeLimit>,
    #[serde(default)]
    pub processing: Option<TimeLimit>,
    #[serde(default)]
    pub fees: Vec<Fee>,
    #[serde(default)]
    pub documents: Vec<Document>,
    #[serde(default)]
    pub channels: Vec<Channel>,
    #[serde(default)]
    pub steps: Vec<Step>,
    #[serde(default)]
    pub legal_basis: Vec<LegalAct>,
    #[serde(default)]
    pub consequences: Vec<Consequence>,
    #[serde(default)]
    pub related: Vec<Spanned<String>>,
    #[serde(default)]
    pub faq: Vec<Faq>,
    pub sources: Vec<Source>,
    pub review: Review,
    /// The state of each language's text where it is not simply done:
    /// `{ ru = "draft", en = "machine" }`. See [`TRANSLATION_STATES`].
    #[serde(default)]
    pub translation: std::collections::BTreeMap<Spanned<String>, Spanned<String>>,
}

/// How far a language's text has come. `approved` is what a complete text is unless said
/// otherwise; `draft` and `machine` texts are shown with a notice; `outdated` ones too.
pub const TRANSLATION_STATES: &[&str] = &["approved", "draft", "machine", "outdated"];

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Who {
    /// Markdown: who must or may apply.
    pub text: LocalText,
    /// Who hands in the application, when not the person themself.
    #[serde(default)]
    pub applicants: Vec<Spanned<String>>,
}

/// A deadline or a processing time.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimeLimit {
    pub duration: Spanned<DurationField>,
    #[serde(default)]
    pub days: DayKind,
    /// What the time counts from or any exception (Markdown).
    #[serde(default)]
    pub text: LocalText,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fee {
    #[serde(deserialize_with = "super::values::amount")]
    pub amount: f64,
    pub currency: Spanned<Currency>,
    /// What this fee buys (a tier): "urgent, 3 hours".
    #[serde(default)]
    pub label: LocalText,
    #[serde(default)]
    pub processing: Option<Spanned<DurationField>>,
    #[serde(default)]
    pub days: DayKind,
    /// How long what you get is valid.
    #[serde(default)]
    pub validity: Option<Spanned<DurationField>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Document {
    pub name: LocalText,
    #[serde(default)]
    pub note: LocalText,
    /// `electronic`, `paper`.
    #[serde(default)]
    pub submission: Vec<Spanned<String>>,
    #[serde(default)]
    pub notarised: bool,
    #[serde(default)]
    pub translated: bool,
    #[serde(default)]
    pub form_url: Option<Spanned<Url>>,
}

/// A way to apply.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Channel {
    /// `online`, `email`, `in-person`, `phone`, `post`.
    pub kind: Spanned<String>,
    #[serde(default)]
    pub url: Option<Spanned<Url>>,
    /// The label of the start button of an online service.
    #[serde(default)]
    pub button: LocalText,
    #[serde(default)]
    pub email: Option<Spanned<String>>,
    #[serde(default)]
    pub phone: Option<String>,
    /// `agency` (all its offices) or `agency/office`.
    #[serde(default)]
    pub offices: Vec<Spanned<String>>,
    #[serde(default)]
    pub note: LocalText,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub title: LocalText,
    /// Markdown.
    #[serde(default)]
    pub text: LocalText,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LegalAct {
    pub title: LocalText,
    #[serde(default)]
    pub articles: Vec<String>,
    #[serde(default)]
    pub url: Option<Spanned<Url>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Consequence {
    pub text: LocalText,
    #[serde(default, deserialize_with = "super::values::optional_amount")]
    pub amount_min: Option<f64>,
    #[serde(default, deserialize_with = "super::values::optional_amount")]
    pub amount_max: Option<f64>,
    #[serde(default)]
    pub currency: Option<Spanned<Currency>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Faq {
    pub question: LocalText,
    /// Markdown.
    pub answer: LocalText,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub url: Spanned<Url>,
    #[serde(default)]
    pub title: Option<String>,
    pub checked: Date,
    /// Which facts it supports: `who`, `deadline`, `fees`, ...
    #[serde(default)]
    pub covers: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Review {
    /// When an editor last checked every fact against the sources.
    pub last_checked: Date,
    pub next_review: Option<Spanned<Date>>,
}

/// A state agency.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Agency {
    pub id: Spanned<String>,
    pub name: LocalText,
    #[serde(default)]
    pub short_name: LocalText,
    /// Markdown: what the agency does.
    #[serde(default)]
    pub description: LocalText,
    #[serde(default)]
    pub website: Option<Spanned<Url>>,
    #[serde(default)]
    pub email: Option<Spanned<String>>,
    #[serde(default)]
    pub address: LocalText,
    #[serde(default)]
    pub phones: Vec<Phone>,
    #[serde(default)]
    pub offices: Vec<Office>,
    pub sources: Vec<Source>,
    pub review: Review,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Phone {
    pub number: String,
    #[serde(default)]
    pub label: LocalText,
    #[serde(default)]
    pub hours: LocalText,
    /// Languages spoken on the line, as language tags.
    #[serde(default)]
    pub languages: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Office {
    pub id: Spanned<String>,
    pub name: LocalText,
    #[serde(default)]
    pub region: LocalText,
    /// Leave it out rather than guess: the page then sends visitors to the agency's website.
    #[serde(default)]
    pub address: LocalText,
    /// `[latitude, longitude]`.
    #[serde(default)]
    pub geo: Option<Spanned<[f64; 2]>>,
    #[serde(default)]
    pub hours: LocalText,
    #[serde(default)]
    pub phone: Option<String>,
    /// Ids of the services it takes applications for.
    #[serde(default)]
    pub services: Vec<Spanned<String>>,
}
