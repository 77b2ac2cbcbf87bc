//! schema.org JSON-LD for generated pages: `GovernmentService` (with its provider, channels,
//! offers, audience and area served) and `GovernmentOrganization` (with its contact points). Only
//! types and properties that schema.org defines.

use serde_json::{Value, json};

use super::views::{AgencyView, ServiceView};
use crate::catalog::{LocalText, Localized};
use crate::config::Lang;
use crate::site::{Generated, Site};

/// The text of a localised view text, if there is one.
fn ld_text(text: &Option<Localized>) -> Option<&str> {
    text.as_ref().map(|t| t.text.as_str())
}

/// schema.org `GovernmentService` for a service page.
pub fn service(site: &Site, lang: Lang, index: usize, view: &ServiceView) -> Value {
    let code = site.config.code(lang);
    let s = &site.catalog.services[index].data;
    let agency = site.catalog.agency(s.agency.get_ref()).expect("checked");
    let a = &site.catalog.agencies[agency].data;
    let name_of = |text: &LocalText| {
        text.get(code, &site.config.default_language)
            .map(|t| t.text)
    };
    let provider = json!({
        "@type": "GovernmentOrganization",
        "name": name_of(&a.name),
        "url": a.website.as_ref().map(|w| w.get_ref().0.clone()),
    });
    let channels: Vec<Value> = s
        .channels
        .iter()
        .map(|c| {
            let mut channel = json!({ "@type": "ServiceChannel", "name": name_of(&c.button).unwrap_or_else(|| c.kind.get_ref().clone()) });
            if let Some(url) = &c.url {
                channel["serviceUrl"] = json!(url.get_ref().0);
            }
            // A phone is a ContactPoint (with the e-mail too, when there is one); an e-mail
            // alone is the channel's address, as a mailto: URL.
            match (&c.phone, &c.email) {
                (Some(phone), email) => {
                    let mut point = json!({ "@type": "ContactPoint", "telephone": phone });
                    if let Some(email) = email {
                        point["email"] = json!(email.get_ref());
                    }
                    channel["servicePhone"] = point;
                }
                (None, Some(email)) if c.url.is_none() => {
                    channel["serviceUrl"] = json!(format!("mailto:{}", email.get_ref()));
                }
                (None, Some(email)) => {
                    channel["servicePhone"] = json!({ "@type": "ContactPoint", "email": email.get_ref() });
                }
                (None, None) => {}
            }
            let places: Vec<Value> = c
                .offices
                .iter()
                .filter_map(|r| {
                    let (agency_id, office_id) = r.get_ref().split_once('/')?;
                    let agency = site.catalog.agency(agency_id)?;
                    let office = site.catalog.agencies[agency].data.offices.iter().find(|o| o.id.get_ref() == office_id)?;
                    let mut place = json!({ "@type": "Place", "name": name_of(&office.name), "address": name_of(&office.address) });
                    if let Some(geo) = &office.geo {
                        let [lat, lon] = *geo.get_ref();
                        place["geo"] = json!({ "@type": "GeoCoordinates", "latitude": lat, "longitude": lon });
                    }
                    Some(place)
                })
                .collect();
            if !places.is_empty() {
                channel["serviceLocation"] = Value::Array(places);
            }
            channel
        })
        .collect();
    let offers: Vec<Value> = s
        .fees
        .iter()
        .map(|f| {
            let mut offer = json!({ "@type": "Offer", "price": f.amount, "priceCurrency": f.currency.get_ref().0 });
            if let Some(label) = name_of(&f.label) {
                offer["name"] = json!(label);
            }
            offer
        })
        .collect();
    let audience: Vec<Value> = s
        .audience
        .iter()
        .map(|a| json!({ "@type": "Audience", "audienceType": a.get_ref() }))
        .collect();
    let mut ld = json!({
        "@context": "https://schema.org",
        "@type": "GovernmentService",
        "name": ld_text(&view.title),
        "description": ld_text(&view.summary),
        "url": site.config.permalink(&site.generated_url(lang, Generated::Service(index))),
        "provider": provider,
        "availableChannel": channels,
        "audience": audience,
    });
    if !offers.is_empty() {
        ld["offers"] = Value::Array(offers);
    }
    if let Some(area) = &site.config.area_served {
        ld["areaServed"] = json!({ "@type": "Country", "name": area });
    }
    without_nulls(ld)
}

/// `value` without the properties that are null (an office without an address, a provider
/// without a website): schema.org has no null, and validators flag it.
fn without_nulls(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, without_nulls(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(without_nulls).collect()),
        other => other,
    }
}

/// schema.org `GovernmentOrganization` with its `ContactPoint`s.
pub fn agency(view: &AgencyView) -> Value {
    let phones: Vec<Value> = view
        .phones
        .iter()
        .map(|p| {
            let mut point = json!({ "@type": "ContactPoint", "telephone": p.number, "availableLanguage": p.codes });
            if let Some(label) = ld_text(&p.label) {
                point["contactType"] = json!(label);
            }
            point
        })
        .collect();
    let mut ld = json!({
        "@context": "https://schema.org",
        "@type": "GovernmentOrganization",
        "name": ld_text(&view.name),
        "contactPoint": phones,
    });
    for (key, value) in [
        ("alternateName", ld_text(&view.short_name)),
        ("url", view.website.as_deref()),
        ("email", view.email.as_deref()),
        ("address", ld_text(&view.address)),
    ] {
        if let Some(value) = value {
            ld[key] = json!(value);
        }
    }
    without_nulls(ld)
}
