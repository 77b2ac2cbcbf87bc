//! [`AgencyView`]: an agency in one language, with its phones, its offices and the services it is
//! responsible for.

use serde::Serialize;

use super::{Localizer, MarkdownText, ServiceCard, SourceView};
use crate::catalog::schema::{Agency, Office, Phone};
use crate::catalog::{Date, Localized};
use crate::site::Generated;

/// An agency as its page shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AgencyView {
    pub id: String,
    pub url: String,
    pub name: Option<Localized>,
    pub short_name: Option<Localized>,
    pub description: Option<MarkdownText>,
    /// The description's first paragraph as plain text, for the meta description.
    pub summary: Option<String>,
    pub website: Option<String>,
    pub email: Option<String>,
    pub address: Option<Localized>,
    pub phones: Vec<PhoneView>,
    pub offices: Vec<OfficeView>,
    /// The services it is responsible for, sorted by title.
    pub services: Vec<ServiceCard>,
    pub sources: Vec<SourceView>,
    pub last_checked: Date,
}

/// A phone line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PhoneView {
    pub number: String,
    pub label: Option<Localized>,
    pub hours: Option<Localized>,
    /// The languages spoken on the line, by name (the tag where the site does not know it).
    pub languages: Vec<String>,
    /// The same languages as tags.
    pub codes: Vec<String>,
}

/// An office, with the services it takes applications for.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OfficeView {
    pub id: String,
    pub name: Option<Localized>,
    pub region: Option<Localized>,
    pub address: Option<Localized>,
    pub hours: Option<Localized>,
    pub phone: Option<String>,
    /// `[latitude, longitude]`.
    pub geo: Option<[f64; 2]>,
    pub services: Vec<ServiceCard>,
}

impl Localizer<'_> {
    /// The agency at `index` of the catalog; link problems in its description are collected.
    pub(in crate::render) fn agency(&mut self, index: usize) -> AgencyView {
        let file = &self.site.catalog.agencies[index];
        self.file = Some(&file.source);
        let a: &Agency = &file.data;
        let offices = a.offices.iter().map(|o| self.office(o)).collect();
        let phones = a.phones.iter().map(|p| self.phone(p)).collect();
        let description = self.markdown(&a.description);
        let summary = description.as_ref().map(|d| d.first_paragraph());
        AgencyView {
            id: a.id.get_ref().clone(),
            url: self.site.generated_url(self.lang, Generated::Agency(index)),
            name: self.text(&a.name),
            short_name: self.text(&a.short_name),
            description,
            summary,
            website: a.website.as_ref().map(|u| u.get_ref().0.clone()),
            email: a.email.as_ref().map(|e| e.get_ref().clone()),
            address: self.text(&a.address),
            phones,
            offices,
            services: self.sorted_cards(self.site.catalog.services_of(index)),
            sources: a.sources.iter().map(SourceView::of).collect(),
            last_checked: a.review.last_checked,
        }
    }

    fn office(&self, o: &Office) -> OfficeView {
        OfficeView {
            id: o.id.get_ref().clone(),
            name: self.text(&o.name),
            region: self.text(&o.region),
            address: self.text(&o.address),
            hours: self.text(&o.hours),
            phone: o.phone.clone(),
            geo: o.geo.as_ref().map(|g| *g.get_ref()),
            services: o
                .services
                .iter()
                .filter_map(|s| self.site.catalog.service(s.get_ref()))
                .map(|s| self.service_card(s))
                .collect(),
        }
    }

    fn phone(&self, p: &Phone) -> PhoneView {
        let languages = p
            .languages
            .iter()
            .map(|code| {
                self.site
                    .config
                    .language(code)
                    .map_or(code.clone(), |l| l.name.clone())
            })
            .collect();
        PhoneView {
            number: p.number.clone(),
            label: self.text(&p.label),
            hours: self.text(&p.hours),
            languages,
            codes: p.languages.clone(),
        }
    }
}
