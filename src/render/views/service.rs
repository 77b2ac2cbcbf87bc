//! [`ServiceView`]: a service in one language, with every field a service page shows, and the
//! views of its parts (fees, documents, channels, steps, ...).

use serde::Serialize;

use super::{AgencyLink, Localizer, MarkdownText, ServiceCard, SourceView};
use crate::catalog::schema::{Channel, Service, TimeLimit};
use crate::catalog::{Date, DayKind, Localized};
use crate::record::{Fact, note};
use crate::site::Generated;

/// A service as its page shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServiceView {
    pub id: String,
    pub url: String,
    pub title: Option<Localized>,
    pub summary: Option<Localized>,
    pub description: Option<MarkdownText>,
    /// The agency responsible.
    pub agency: AgencyLink,
    /// Other agencies that take applications.
    pub operators: Vec<AgencyLink>,
    /// The sections the service is listed under that exist in this language.
    pub topics: Vec<TopicLink>,
    pub audience: Vec<AudienceView>,
    pub who: Option<WhoView>,
    pub deadline: Option<TimeLimitView>,
    pub processing: Option<TimeLimitView>,
    pub fees: Vec<FeeView>,
    pub documents: Vec<DocumentView>,
    pub channels: Vec<ChannelView>,
    /// The first channel of kind `online`.
    pub online: Option<ChannelView>,
    pub steps: Vec<StepView>,
    pub legal_basis: Vec<LegalActView>,
    pub consequences: Vec<ConsequenceView>,
    pub related: Vec<ServiceCard>,
    pub faq: Vec<FaqView>,
    pub sources: Vec<SourceView>,
    pub last_checked: Date,
    /// The title and summary are in this language (always so in the default language).
    pub translated: bool,
    /// `approved`, `draft`, `machine` or `outdated`.
    pub translation_state: String,
}

/// A section a service is listed under.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TopicLink {
    pub id: String,
    pub title: String,
    pub url: String,
}

/// An audience with its label from the UI strings `audience-<id>`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AudienceView {
    pub id: String,
    pub label: String,
}

/// Who must or may apply.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WhoView {
    pub text: Option<MarkdownText>,
    pub applicants: Vec<AudienceView>,
}

/// A deadline or a processing time.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimeLimitView {
    /// The ISO 8601 duration: `P15D`.
    pub iso: String,
    /// The duration in words.
    pub text: String,
    pub days: DayKind,
    pub note: Option<MarkdownText>,
}

/// A fee.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FeeView {
    pub amount: f64,
    pub currency: String,
    pub free: bool,
    /// The amount in words, or the UI string `fee-free`.
    pub text: String,
    pub label: Option<Localized>,
    /// The processing time this fee buys, in words.
    pub processing: Option<String>,
    /// How long what it buys is valid, in words.
    pub validity: Option<String>,
}

/// A document to hand in.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DocumentView {
    pub name: Option<Localized>,
    pub note: Option<Localized>,
    /// The ways to hand it in, in words (the UI strings `submission-<way>`).
    pub submission: Vec<String>,
    pub notarised: bool,
    pub translated: bool,
    pub form_url: Option<String>,
}

/// A way to apply.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChannelView {
    pub kind: String,
    /// The UI string `channel-<kind>`.
    pub label: String,
    pub url: Option<String>,
    pub button: Option<Localized>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub offices: Vec<OfficeLink>,
    pub note: Option<Localized>,
}

/// An office where a channel takes applications, or an agency as a whole.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OfficeLink {
    pub name: Option<Localized>,
    /// `None` for an agency as a whole.
    pub address: Option<Localized>,
    pub url: String,
}

/// A step of the procedure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StepView {
    pub title: Option<Localized>,
    pub text: Option<MarkdownText>,
}

/// A legal act the service rests on.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LegalActView {
    pub title: Option<Localized>,
    /// The articles, joined by commas.
    pub articles: String,
    pub url: Option<String>,
}

/// What happens when the rules are not followed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConsequenceView {
    pub text: Option<MarkdownText>,
    /// The fine in words: `100 ₼` or `100 ₼ – 200 ₼`.
    pub amount: Option<String>,
}

/// A question and its answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FaqView {
    pub question: Option<Localized>,
    pub answer: Option<MarkdownText>,
}

impl Localizer<'_> {
    fn time_limit(&mut self, limit: &Option<TimeLimit>) -> Option<TimeLimitView> {
        let limit = limit.as_ref()?;
        let value = limit.duration.get_ref().value;
        Some(TimeLimitView {
            iso: value.to_string(),
            text: self.duration(&value, limit.days),
            days: limit.days,
            note: self.markdown(&limit.text),
        })
    }

    fn audience(&self, id: &str) -> AudienceView {
        AudienceView {
            id: id.to_string(),
            label: self.ui(&format!("audience-{id}"), &[]),
        }
    }

    fn consequence_amount(
        &self,
        min: Option<f64>,
        max: Option<f64>,
        currency: &str,
    ) -> Option<String> {
        match (min, max) {
            (Some(min), Some(max)) if min != max => Some(format!(
                "{} – {}",
                self.money(min, currency),
                self.money(max, currency)
            )),
            (Some(a), _) | (None, Some(a)) => Some(self.money(a, currency)),
            (None, None) => None,
        }
    }

    /// The service at `index` of the catalog; link problems in its Markdown texts are collected.
    pub(in crate::render) fn service(&mut self, index: usize) -> ServiceView {
        let file = &self.site.catalog.services[index];
        self.file = Some(&file.source);
        let s: &Service = &file.data;
        let catalog = &self.site.catalog;
        let agency = catalog
            .agency(s.agency.get_ref())
            .expect("the catalog checked agencies");
        let operators = s
            .operators
            .iter()
            .filter_map(|o| catalog.agency(o.get_ref()))
            .map(|a| self.agency_link(a))
            .collect();
        let topics = s
            .topics
            .iter()
            .filter_map(|t| {
                let key = format!("{}/_index", t.get_ref());
                note(Fact::Summary(self.lang, key.as_str().into()));
                let entry = self.site.entry(self.lang, &key)?;
                Some(TopicLink {
                    id: t.get_ref().clone(),
                    title: self.site.page(entry).meta.title.clone(),
                    url: self.site.entries[entry].url.clone(),
                })
            })
            .collect();
        let fees = s
            .fees
            .iter()
            .map(|fee| FeeView {
                amount: fee.amount,
                currency: fee.currency.get_ref().0.clone(),
                free: fee.amount == 0.0,
                text: if fee.amount == 0.0 {
                    self.ui("fee-free", &[])
                } else {
                    self.money(fee.amount, &fee.currency.get_ref().0)
                },
                label: self.text(&fee.label),
                processing: fee
                    .processing
                    .as_ref()
                    .map(|p| self.duration(&p.get_ref().value, fee.days)),
                validity: fee
                    .validity
                    .as_ref()
                    .map(|v| self.duration(&v.get_ref().value, DayKind::Calendar)),
            })
            .collect();
        let documents = s
            .documents
            .iter()
            .map(|d| DocumentView {
                name: self.text(&d.name),
                note: self.text(&d.note),
                submission: d
                    .submission
                    .iter()
                    .map(|f| self.ui(&format!("submission-{}", f.get_ref()), &[]))
                    .collect(),
                notarised: d.notarised,
                translated: d.translated,
                form_url: d.form_url.as_ref().map(|u| u.get_ref().0.clone()),
            })
            .collect();
        let channels: Vec<ChannelView> = s.channels.iter().map(|c| self.channel(c)).collect();
        let online = channels.iter().find(|c| c.kind == "online").cloned();
        let mut steps = Vec::new();
        for step in &s.steps {
            let text = self.markdown(&step.text);
            steps.push(StepView {
                title: self.text(&step.title),
                text,
            });
        }
        let legal_basis = s
            .legal_basis
            .iter()
            .map(|l| LegalActView {
                title: self.text(&l.title),
                articles: l.articles.join(", "),
                url: l.url.as_ref().map(|u| u.get_ref().0.clone()),
            })
            .collect();
        let mut consequences = Vec::new();
        for c in &s.consequences {
            let currency = c
                .currency
                .as_ref()
                .map_or("AZN".to_string(), |c| c.get_ref().0.clone());
            let amount = self.consequence_amount(c.amount_min, c.amount_max, &currency);
            let text = self.markdown(&c.text);
            consequences.push(ConsequenceView { text, amount });
        }
        let mut faq = Vec::new();
        for item in &s.faq {
            let answer = self.markdown(&item.answer);
            faq.push(FaqView {
                question: self.text(&item.question),
                answer,
            });
        }
        let related = s
            .related
            .iter()
            .filter_map(|r| catalog.service(r.get_ref()))
            .map(|r| self.service_card(r))
            .collect();
        let who = match &s.who {
            Some(who) => {
                let text = self.markdown(&who.text);
                Some(WhoView {
                    text,
                    applicants: who
                        .applicants
                        .iter()
                        .map(|a| self.audience(a.get_ref()))
                        .collect(),
                })
            }
            None => None,
        };
        let description = self.markdown(&s.description);
        let deadline = self.time_limit(&s.deadline);
        let processing = self.time_limit(&s.processing);
        ServiceView {
            id: s.id.get_ref().clone(),
            url: self
                .site
                .generated_url(self.lang, Generated::Service(index)),
            title: self.text(&s.title),
            summary: self.text(&s.summary),
            description,
            agency: self.agency_link(agency),
            operators,
            topics,
            audience: s
                .audience
                .iter()
                .map(|a| self.audience(a.get_ref()))
                .collect(),
            who,
            deadline,
            processing,
            fees,
            documents,
            channels,
            online,
            steps,
            legal_basis,
            consequences,
            related,
            faq,
            sources: s.sources.iter().map(SourceView::of).collect(),
            last_checked: s.review.last_checked,
            translated: self.code == self.default()
                || (s.title.has(self.code) && s.summary.has(self.code)),
            translation_state: s
                .translation
                .iter()
                .find(|(l, _)| l.get_ref() == self.code)
                .map_or("approved", |(_, state)| state.get_ref().as_str())
                .to_string(),
        }
    }

    fn channel(&self, c: &Channel) -> ChannelView {
        let catalog = &self.site.catalog;
        let offices = c
            .offices
            .iter()
            .flat_map(|reference| {
                let (agency_id, office_id) = match reference.get_ref().split_once('/') {
                    Some((a, o)) => (a, Some(o)),
                    None => (reference.get_ref().as_str(), None),
                };
                let agency = catalog
                    .agency(agency_id)
                    .expect("the catalog checked offices");
                let a = &catalog.agencies[agency].data;
                let url = self
                    .site
                    .generated_url(self.lang, Generated::Agency(agency));
                match office_id {
                    Some(o) => a
                        .offices
                        .iter()
                        .filter(|office| office.id.get_ref() == o)
                        .map(|office| OfficeLink {
                            name: self.text(&office.name),
                            address: self.text(&office.address),
                            url: format!("{url}#{}", office.id.get_ref()),
                        })
                        .collect::<Vec<_>>(),
                    None => vec![OfficeLink {
                        name: self.text(&a.name),
                        address: None,
                        url,
                    }],
                }
            })
            .collect();
        ChannelView {
            kind: c.kind.get_ref().clone(),
            label: self.ui(&format!("channel-{}", c.kind.get_ref()), &[]),
            url: c.url.as_ref().map(|u| u.get_ref().0.clone()),
            button: self.text(&c.button),
            email: c.email.as_ref().map(|e| e.get_ref().clone()),
            phone: c.phone.clone(),
            offices,
            note: self.text(&c.note),
        }
    }
}
