//! Services and agencies: pages in every language, durations and money in words, fallbacks,
//! links, and JSON-LD that parses and uses schema.org's types.

mod common;

use common::{build, page};
use serde_json::Value;

fn json_ld(html: &str) -> Value {
    let start = html
        .find("<script type=application/ld+json>")
        .expect("the page has JSON-LD")
        + "<script type=application/ld+json>".len();
    let end = start + html[start..].find("</script>").unwrap();
    serde_json::from_str(&html[start..end]).expect("JSON-LD parses as JSON")
}

#[test]
fn service_pages_exist_in_every_language_under_the_section_names() {
    let out = build("services");
    for path in [
        "az/xidmetler/full/index.html",
        "en/services/full/index.html",
        "ru/uslugi/full/index.html",
        "az/qurumlar/agency-a/index.html",
        "en/agencies/index.html",
        "ru/vedomstva/agency-b/index.html",
        "en/services/index.html",
    ] {
        page(&out, path);
    }
}

#[test]
fn durations_and_money_are_written_out_per_language() {
    let out = build("services");
    let az = page(&out, "az/xidmetler/full/index.html");
    let en = page(&out, "en/services/full/index.html");
    let ru = page(&out, "ru/uslugi/full/index.html");
    assert!(az.contains("<dd>15 iş günü</dd>"), "{az}");
    assert!(en.contains("<dd>15 working days</dd>"), "{en}");
    assert!(ru.contains("<dd>15 рабочих дней</dd>"), "{ru}");
    assert!(ru.contains("<dd>1 год 6 месяцев</dd>"), "{ru}");
    assert!(
        en.contains("<li>20 USD: Standard (3 working days)</li>"),
        "{en}"
    );
    assert!(az.contains("<li>160 ₼ (3 saat)</li>"), "{az}");
    assert!(ru.contains("300 ₼ – 400 ₼"), "{ru}");
}

#[test]
fn a_missing_translation_falls_back_and_is_marked() {
    let site = common::fixture("services");
    let (out, report) = common::build_at(site.path());
    let ru = page(&out, "ru/uslugi/minimal/index.html");
    assert!(
        ru.contains("<h1><span lang=az>Sadə xidmət</span></h1>"),
        "{ru}"
    );
    assert!(ru.contains("Часть этой страницы ещё не переведена"), "{ru}");
    let full = page(&out, "ru/uslugi/full/index.html");
    assert!(
        full.contains("<small><span lang=az>Əsli</span></small>"),
        "a missing field is marked: {full}"
    );
    assert!(page(&out, "en/services/full/index.html").contains("<small>The original</small>"));
    let messages: Vec<&str> = report
        .warnings
        .0
        .iter()
        .map(|w| w.message.as_str())
        .collect();
    assert!(
        messages.contains(&"not translated into ru: title, summary (the az text is shown)"),
        "{messages:?}"
    );
    assert!(
        messages.contains(&"not translated into ru: name (the az text is shown)"),
        "{messages:?}"
    );
}

#[test]
fn service_and_agency_links_work_in_markdown_and_front_matter() {
    let out = build("services");
    let guide = page(&out, "en/stay/guide/index.html");
    assert!(
        guide.contains("<a href=/en/services/full/#documents>the full service</a>"),
        "{guide}"
    );
    assert!(
        guide.contains("<a href=/en/agencies/agency-a/>the agency</a>"),
        "{guide}"
    );
    assert!(
        guide.contains("<a href=/en/services/>services</a>"),
        "{guide}"
    );
    let az = page(&out, "az/xidmetler/full/index.html");
    assert!(az.contains("<a href=/az/qalma/>qalma</a>"), "{az}");
    assert!(
        az.contains("<a href=/az/xidmetler/minimal/>ikinci</a>"),
        "{az}"
    );
}

#[test]
fn audience_pages_list_only_their_services() {
    let out = build("services");
    let employers = page(&out, "en/services/for-employer/index.html");
    assert!(
        employers.contains("<h1>Services for employers</h1>"),
        "{employers}"
    );
    assert!(employers.contains("/en/services/full/"));
    assert!(!employers.contains("/en/services/minimal/"));
    let ru = page(&out, "ru/uslugi/for-employer/index.html");
    assert!(ru.contains("<h1>Услуги для работодателей</h1>"), "{ru}");
    let all = page(&out, "en/services/index.html");
    assert!(all.contains("/en/services/minimal/") && all.contains("/en/services/full/"));
}

#[test]
fn service_page_carries_government_service_json_ld() {
    let out = build("services");
    let ld = json_ld(&page(&out, "en/services/full/index.html"));
    let [service, breadcrumbs] = ld.as_array().unwrap().as_slice() else {
        panic!("{ld}")
    };
    assert_eq!(service["@context"], "https://schema.org");
    assert_eq!(service["@type"], "GovernmentService");
    assert_eq!(service["name"], "Full service");
    assert_eq!(service["url"], "https://example.org/en/services/full/");
    assert_eq!(service["provider"]["@type"], "GovernmentOrganization");
    assert_eq!(service["provider"]["name"], "First Agency");
    assert_eq!(service["areaServed"]["@type"], "Country");
    let channels = service["availableChannel"].as_array().unwrap();
    assert!(channels.iter().all(|c| c["@type"] == "ServiceChannel"));
    assert_eq!(channels[0]["serviceUrl"], "https://e.agency-a.example.az");
    assert_eq!(channels[2]["servicePhone"]["telephone"], "919");
    assert_eq!(channels[3]["serviceLocation"][0]["@type"], "Place");
    assert_eq!(
        channels[3]["serviceLocation"][0]["geo"]["latitude"],
        40.4093
    );
    let offers = service["offers"].as_array().unwrap();
    assert_eq!(
        (
            offers[0]["@type"].as_str(),
            offers[0]["price"].as_f64(),
            offers[0]["priceCurrency"].as_str()
        ),
        (Some("Offer"), Some(20.0), Some("USD"))
    );
    assert_eq!(service["audience"][1]["audienceType"], "employer");
    assert_eq!(breadcrumbs["@type"], "BreadcrumbList");
    assert_eq!(
        breadcrumbs["itemListElement"][2]["item"],
        "https://example.org/en/services/full/"
    );
}

#[test]
fn agency_page_carries_government_organization_json_ld() {
    let out = build("services");
    let ld = json_ld(&page(&out, "ru/vedomstva/agency-a/index.html"));
    let organization = &ld[0];
    assert_eq!(organization["@type"], "GovernmentOrganization");
    assert_eq!(organization["name"], "Первое агентство");
    assert_eq!(organization["alternateName"], "ПА");
    assert_eq!(organization["contactPoint"][0]["@type"], "ContactPoint");
    assert_eq!(organization["contactPoint"][0]["telephone"], "919");
    assert_eq!(
        organization["contactPoint"][0]["availableLanguage"],
        serde_json::json!(["az", "ru", "en"])
    );
}

#[test]
fn every_content_page_carries_a_breadcrumb_list() {
    let out = build("services");
    let ld = json_ld(&page(&out, "en/stay/guide/index.html"));
    assert_eq!(ld["@type"], "BreadcrumbList");
    assert_eq!(ld["itemListElement"].as_array().unwrap().len(), 3);
}

#[test]
fn an_overdue_review_is_a_warning_and_an_error_when_strict() {
    let site = common::fixture("services");
    let mut options = common::options(site.path());
    options.today = Some(karvan::catalog::Date {
        year: 2031,
        month: 1,
        day: 1,
    });
    let (_, report) = karvan::engine::build_in_memory(&options).unwrap();
    assert!(
        report.warnings.0.iter().any(|w| w.message
            == "the review was due on 2030-01-01; check the facts against the sources")
    );
    options.strict = true;
    let err = karvan::engine::build_in_memory(&options)
        .unwrap_err()
        .to_string();
    assert!(err.contains("error: the review was due on 2030-01-01; check the facts against the sources\n  --> content/agencies/agency-a.toml:31:15\n"), "{err}");
}

#[test]
fn a_misplaced_top_level_key_is_explained() {
    let site = common::fixture("services");
    common::append(
        site.path(),
        "content/services/minimal.toml",
        "topics = [\"stay\"]\n",
    );
    let err = karvan::engine::build_in_memory(&common::options(site.path())).unwrap_err();
    let d = err.errors().next().unwrap();
    assert_eq!(d.message, "unknown key `topics`");
    assert!(
        d.help
            .as_deref()
            .unwrap()
            .starts_with("`topics` belongs at the top of the file")
    );
}

#[test]
fn pages_and_sections_list_services_as_cards() {
    let out = build("services");
    let guide = page(&out, "en/stay/guide/index.html");
    assert!(guide.contains("<li><a href=/en/services/minimal/>Simple service</a><p>Only the required fields.</p></li>"), "{guide}");
    let stay = page(&out, "en/stay/index.html");
    assert!(
        stay.contains(
            "<li><a href=/en/services/full/>Full service</a><p>A service with every field.</p></li>"
        ),
        "the topic's services: {stay}"
    );
}

#[test]
fn templates_can_look_up_a_localised_service_or_agency() {
    let site = common::fixture("services");
    common::write(
        site.path(),
        "templates/page.html",
        "{% set s = service(id=\"full\") %}{% set a = agency(id=\"agency-a\") %}<p>{{ s.title.text }}: {{ s.deadline.text }}; {{ a.short_name.text }}</p>",
    );
    let (out, _) = common::build_at(site.path());
    assert_eq!(
        page(&out, "en/stay/guide/index.html"),
        "<p>Full service: 15 working days; FA</p>"
    );
}

#[test]
fn a_machine_translation_is_shown_with_a_notice() {
    let out = build("services");
    let ru = page(&out, "ru/uslugi/full/index.html");
    assert!(
        ru.contains("Этот текст переведён машинным способом и ещё не проверен."),
        "{ru}"
    );
    let en = page(&out, "en/services/full/index.html");
    assert!(!en.contains("class=notice"), "{en}");
}
