//! Services and agencies: `content/services/<id>.toml` and `content/agencies/<id>.toml`, one file
//! per service or agency holding every language.
//!
//! 1. Read and parse every file (unknown keys, missing keys, bad durations, currencies, URLs and
//!    dates are errors located in the file).
//! 2. Check what the files say about each other and about the site: ids match file names, every
//!    per-language table names configured languages, the default language has the required texts,
//!    and every agency, office, topic, audience and related service exists.
//! 3. Report what is not translated and what is overdue for review as warnings (errors with
//!    `--strict`).

pub mod schema;
pub mod values;

use std::collections::{BTreeSet, HashSet};
use std::ops::Range;
use std::path::Path;

use toml::Spanned;

use crate::config::Config;
use crate::error::{Diagnostic, Diagnostics, GapKind};
use crate::source::{SourceText, closest, display_path, parse_toml};

pub use schema::{AUDIENCES, Agency, Service};
pub use values::{Date, DayKind, Duration, LocalText, Localized};

/// A parsed file and its text, for errors.
#[derive(Debug, Clone)]
pub struct Loaded<T> {
    pub data: T,
    pub source: SourceText,
}

impl<T> Loaded<T> {
    fn error(&self, message: impl Into<String>, span: Range<usize>) -> Diagnostic {
        Diagnostic::error(message)
            .in_file(&self.source.path)
            .at_span(&self.source.text, span)
    }
}

/// Every service and agency of the site, sorted by id.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    pub services: Vec<Loaded<Service>>,
    pub agencies: Vec<Loaded<Agency>>,
    /// Ids (file stems) of files that failed to parse, so that links to them are not reported twice.
    broken_services: BTreeSet<String>,
    broken_agencies: BTreeSet<String>,
    /// Texts present in the default language and missing in another, per file and language.
    pub gaps: Vec<TranslationGap>,
}

/// The fields of one file that a language lacks.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TranslationGap {
    pub file: std::path::PathBuf,
    pub lang: String,
    pub fields: Vec<String>,
    /// The words of the default language's texts to translate.
    pub words: usize,
}

impl Catalog {
    /// The digest of every service and agency file: what pages that show one depend on.
    pub fn digest(&self) -> crate::record::Digest {
        let texts: Vec<&str> = self
            .services
            .iter()
            .map(|s| s.source.text.as_str())
            .chain(self.agencies.iter().map(|a| a.source.text.as_str()))
            .collect();
        crate::record::digest(&texts)
    }

    pub fn service(&self, id: &str) -> Option<usize> {
        self.services.iter().position(|s| s.data.id.get_ref() == id)
    }

    /// Whether a service file of this id exists, parsed or broken (a broken one is reported
    /// already; a reference to it is not reported again).
    pub fn knows_service(&self, id: &str) -> bool {
        self.service(id).is_some() || self.broken_services.contains(id)
    }

    pub fn agency(&self, id: &str) -> Option<usize> {
        self.agencies.iter().position(|a| a.data.id.get_ref() == id)
    }

    /// Services whose responsible agency or operators include `agency`, or that one of its
    /// offices takes.
    pub fn services_of(&self, agency: usize) -> Vec<usize> {
        let a = &self.agencies[agency].data;
        let id = a.id.get_ref();
        let taken: HashSet<&str> = a
            .offices
            .iter()
            .flat_map(|o| o.services.iter().map(|s| s.get_ref().as_str()))
            .collect();
        (0..self.services.len())
            .filter(|&s| {
                let service = &self.services[s].data;
                service.agency.get_ref() == id
                    || service.operators.iter().any(|o| o.get_ref() == id)
                    || taken.contains(service.id.get_ref().as_str())
            })
            .collect()
    }
}

/// Reads and checks every service and agency. `topics` are the section folders a service may be
/// listed under; `today` decides which reviews are overdue.
pub fn load(
    config: &Config,
    topics: &BTreeSet<String>,
    today: Date,
) -> Result<(Catalog, Diagnostics), Diagnostics> {
    let mut problems = Diagnostics::default();
    let content = config.content_dir();
    let (services, broken_services) = read_all::<Service>(
        SERVICE_KEYS,
        &config.root,
        &content.join("services"),
        &mut problems,
    );
    let (agencies, broken_agencies) = read_all::<Agency>(
        AGENCY_KEYS,
        &config.root,
        &content.join("agencies"),
        &mut problems,
    );
    // Files that do not parse are reported already; references to them are not reported again.
    let mut catalog = Catalog {
        services,
        agencies,
        broken_services,
        broken_agencies,
        gaps: Vec::new(),
    };
    let mut gaps = Vec::new();
    let languages: Vec<&str> = config.languages.iter().map(|l| l.code.as_str()).collect();
    let default = config.default_language.as_str();

    for file in &catalog.agencies {
        check_id(file, &file.data.id, &mut problems);
        let a = &file.data;
        let mut texts: Vec<(&str, &LocalText)> = vec![
            ("name", &a.name),
            ("short_name", &a.short_name),
            ("description", &a.description),
            ("address", &a.address),
        ];
        for phone in &a.phones {
            texts.extend([
                ("phones.label", &phone.label),
                ("phones.hours", &phone.hours),
            ]);
        }
        let mut office_ids = HashSet::new();
        for office in &a.offices {
            texts.extend([
                ("offices.name", &office.name),
                ("offices.region", &office.region),
                ("offices.address", &office.address),
                ("offices.hours", &office.hours),
            ]);
            if !office_ids.insert(office.id.get_ref().clone()) {
                problems.push(
                    file.error(
                        format!("the office id `{}` is used twice", office.id.get_ref()),
                        office.id.span(),
                    )
                    .with_help("give every office of an agency its own id"),
                );
            }
            for service in &office.services {
                check_service_ref(&catalog, file, service, &mut problems);
            }
            if let Some(geo) = &office.geo {
                let [lat, lon] = *geo.get_ref();
                if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
                    problems.push(
                        file.error("geo must be [latitude, longitude] in degrees", geo.span())
                            .with_help("for Baku, write geo = [40.4093, 49.8671]"),
                    );
                }
            }
        }
        if let Some(email) = &a.email {
            check_email(file, email, &mut problems);
        }
        check_texts(
            file,
            &texts,
            &[("name", &a.name)],
            &languages,
            default,
            &mut problems,
            &mut gaps,
        );
        check_review(file, &file.data.review, today, &mut problems);
    }

    for file in &catalog.services {
        check_id(file, &file.data.id, &mut problems);
        let s = &file.data;
        check_agency_ref(&catalog, file, &s.agency, &mut problems);
        for operator in &s.operators {
            check_agency_ref(&catalog, file, operator, &mut problems);
        }
        for topic in &s.topics {
            if !topics.contains(topic.get_ref()) {
                let known: Vec<&str> = topics.iter().map(String::as_str).collect();
                problems.push(unknown(
                    file,
                    "topic",
                    topic,
                    &known,
                    "a topic is a section folder under content/<language>/",
                ));
            }
        }
        let audiences = s
            .audience
            .iter()
            .chain(s.who.iter().flat_map(|w| w.applicants.iter()));
        for audience in audiences {
            if !AUDIENCES.contains(&audience.get_ref().as_str()) {
                problems.push(unknown(
                    file,
                    "audience",
                    audience,
                    AUDIENCES,
                    "audiences are fixed so that every theme can name them",
                ));
            }
        }
        for related in &s.related {
            check_service_ref(&catalog, file, related, &mut problems);
        }
        for document in &s.documents {
            for form in &document.submission {
                if !["electronic", "paper"].contains(&form.get_ref().as_str()) {
                    problems.push(unknown(
                        file,
                        "submission form",
                        form,
                        &["electronic", "paper"],
                        "say how the document may be handed in",
                    ));
                }
            }
        }
        for channel in &s.channels {
            check_channel(&catalog, file, channel, &mut problems);
        }

        let mut texts: Vec<(&str, &LocalText)> = vec![
            ("title", &s.title),
            ("summary", &s.summary),
            ("description", &s.description),
        ];
        if let Some(who) = &s.who {
            texts.push(("who.text", &who.text));
        }
        for limit in [&s.deadline, &s.processing].into_iter().flatten() {
            texts.push(("deadline/processing text", &limit.text));
        }
        texts.extend(s.fees.iter().map(|f| ("fees.label", &f.label)));
        for d in &s.documents {
            texts.extend([("documents.name", &d.name), ("documents.note", &d.note)]);
        }
        for c in &s.channels {
            texts.extend([("channels.button", &c.button), ("channels.note", &c.note)]);
        }
        for step in &s.steps {
            texts.extend([("steps.title", &step.title), ("steps.text", &step.text)]);
        }
        texts.extend(
            s.legal_basis
                .iter()
                .map(|l| ("legal_basis.title", &l.title)),
        );
        texts.extend(
            s.consequences
                .iter()
                .map(|c| ("consequences.text", &c.text)),
        );
        for faq in &s.faq {
            texts.extend([("faq.question", &faq.question), ("faq.answer", &faq.answer)]);
        }
        for key in s.keywords.keys() {
            check_language_key(file, key, &languages, &mut problems);
        }
        check_texts(
            file,
            &texts,
            &[("title", &s.title), ("summary", &s.summary)],
            &languages,
            default,
            &mut problems,
            &mut gaps,
        );
        if s.sources.is_empty() {
            problems.push(file.error("a service needs at least one [[sources]] entry", 0..0).with_help("add [[sources]] with url and checked for the official page the facts come from"));
        }
        check_review(file, &s.review, today, &mut problems);
        for (lang, state) in &s.translation {
            check_language_key(file, lang, &languages, &mut problems);
            if !schema::TRANSLATION_STATES.contains(&state.get_ref().as_str()) {
                problems.push(unknown(
                    file,
                    "translation state",
                    state,
                    schema::TRANSLATION_STATES,
                    "how far the language's text has come",
                ));
            }
        }
    }

    catalog.gaps = gaps;
    problems.sort();
    if problems.has_errors() {
        return Err(problems);
    }
    Ok((catalog, problems))
}

fn read_all<T: serde::de::DeserializeOwned>(
    top_level: &[&str],
    root: &Path,
    folder: &Path,
    problems: &mut Diagnostics,
) -> (Vec<Loaded<T>>, BTreeSet<String>) {
    let mut broken = BTreeSet::new();
    let Ok(entries) = std::fs::read_dir(folder) else {
        return (Vec::new(), broken);
    };
    let mut paths: Vec<_> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    paths.sort();
    let mut loaded = Vec::new();
    for path in paths {
        if path.extension().is_none_or(|e| e != "toml") {
            if path.is_file() {
                problems.push(
                    Diagnostic::warning("this file is not a .toml file and is ignored")
                        .in_file(display_path(root, &path)),
                );
            }
            continue;
        }
        let source = match SourceText::read_in_site(root, &path) {
            Ok(source) => source,
            Err(d) => {
                problems.push(d);
                broken.extend(path.file_stem().map(|s| s.to_string_lossy().into_owned()));
                continue;
            }
        };
        match parse_toml::<T>(&source, 0..source.text.len()) {
            Ok(data) => loaded.push(Loaded { data, source }),
            Err(d) => {
                problems.push(explain_misplaced_key(d, top_level));
                broken.extend(path.file_stem().map(|s| s.to_string_lossy().into_owned()));
            }
        }
    }
    (loaded, broken)
}

const SERVICE_KEYS: &[&str] = &[
    "id",
    "agency",
    "operators",
    "topics",
    "audience",
    "title",
    "summary",
    "keywords",
    "description",
    "related",
];
const AGENCY_KEYS: &[&str] = &[
    "id",
    "name",
    "short_name",
    "description",
    "website",
    "email",
    "address",
];

/// TOML puts every key after a `[table]` header into that table: an editor who writes a
/// top-level key at the end of the file gets "unknown key". Say what happened.
fn explain_misplaced_key(diagnostic: Diagnostic, top_level: &[&str]) -> Diagnostic {
    let key = diagnostic
        .message
        .strip_prefix("unknown key `")
        .and_then(|r| r.strip_suffix('`'))
        .map(str::to_string);
    match key {
        Some(key) if top_level.contains(&key.as_str()) => diagnostic.with_help(format!(
            "`{key}` belongs at the top of the file: in TOML, a key written after a [table] or [[table]] header belongs to that table; move it above the first header"
        )),
        _ => diagnostic,
    }
}

fn check_id<T>(file: &Loaded<T>, id: &Spanned<String>, problems: &mut Diagnostics) {
    let stem = file
        .source
        .path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    if id.get_ref() != &stem {
        problems.push(
            file.error(
                format!(
                    "the id `{}` differs from the file name `{stem}.toml`",
                    id.get_ref()
                ),
                id.span(),
            )
            .with_help(format!(
                "write id = \"{stem}\", or rename the file to {}.toml",
                id.get_ref()
            )),
        );
    } else if let Err(why) = crate::config::check_url_segment(&stem) {
        problems.push(
            file.error(format!("the id {stem:?} {why}"), id.span())
                .with_help("ids are URL segments: use lower-case letters, digits and hyphens"),
        );
    }
}

fn unknown<T>(
    file: &Loaded<T>,
    what: &str,
    value: &Spanned<String>,
    known: &[&str],
    why: &str,
) -> Diagnostic {
    let help = match closest(value.get_ref(), known) {
        Some(best) => format!("did you mean `{best}`? ({why})"),
        None if known.is_empty() => format!("there are none yet ({why})"),
        None => format!("use one of: {} ({why})", known.join(", ")),
    };
    file.error(
        format!("unknown {what} `{}`", value.get_ref()),
        value.span(),
    )
    .with_help(help)
}

fn check_agency_ref<T>(
    catalog: &Catalog,
    file: &Loaded<T>,
    id: &Spanned<String>,
    problems: &mut Diagnostics,
) {
    let known: Vec<&str> = catalog
        .agencies
        .iter()
        .map(|a| a.data.id.get_ref().as_str())
        .collect();
    check_ref(
        file,
        id,
        "agency",
        &known,
        &catalog.broken_agencies,
        problems,
    );
}

fn check_service_ref<T>(
    catalog: &Catalog,
    file: &Loaded<T>,
    id: &Spanned<String>,
    problems: &mut Diagnostics,
) {
    let known: Vec<&str> = catalog
        .services
        .iter()
        .map(|s| s.data.id.get_ref().as_str())
        .collect();
    check_ref(
        file,
        id,
        "service",
        &known,
        &catalog.broken_services,
        problems,
    );
}

/// Reports `id` unless it is among `known`, or a file that failed to parse (reported already).
fn check_ref<T>(
    file: &Loaded<T>,
    id: &Spanned<String>,
    what: &str,
    known: &[&str],
    broken: &BTreeSet<String>,
    problems: &mut Diagnostics,
) {
    if !known.contains(&id.get_ref().as_str()) && !broken.contains(id.get_ref()) {
        let folder = if what == "agency" {
            "agencies"
        } else {
            "services"
        };
        problems.push(unknown(
            file,
            what,
            id,
            known,
            &format!(
                "a{} {what} is a file content/{folder}/<id>.toml",
                if what == "agency" { "n" } else { "" }
            ),
        ));
    }
}

fn check_email<T>(file: &Loaded<T>, email: &Spanned<String>, problems: &mut Diagnostics) {
    let text = email.get_ref();
    // One @, a user and a host name, nothing that a mailto: link would read as more headers or
    // recipients (?, &, comma, semicolon, angle brackets, quotes, spaces).
    let valid = text.split_once('@').is_some_and(|(user, host)| {
        !user.is_empty()
            && host.contains('.')
            && !host.contains('@')
            && !text.contains(|c: char| {
                c.is_whitespace() || c.is_control() || "?&,;<>\"'()[]\\/:#%".contains(c)
            })
    });
    if !valid {
        problems.push(
            file.error(format!("{text:?} is not an e-mail address"), email.span())
                .with_help("write it like \"info@migration.gov.az\""),
        );
    }
}

fn check_channel(
    catalog: &Catalog,
    file: &Loaded<Service>,
    channel: &schema::Channel,
    problems: &mut Diagnostics,
) {
    const KINDS: &[&str] = &["online", "email", "in-person", "phone", "post"];
    let kind = channel.kind.get_ref().as_str();
    if !KINDS.contains(&kind) {
        problems.push(unknown(
            file,
            "channel kind",
            &channel.kind,
            KINDS,
            "how an application can be made",
        ));
        return;
    }
    let needs = match kind {
        "online" if channel.url.is_none() => Some("url = \"https://...\" (the e-service)"),
        "email" if channel.email.is_none() => Some("email = \"...\""),
        "phone" if channel.phone.is_none() => Some("phone = \"...\""),
        "in-person" if channel.offices.is_empty() => {
            Some("offices = [\"agency\"] or [\"agency/office\"]")
        }
        _ => None,
    };
    if let Some(field) = needs {
        problems.push(
            file.error(
                format!("an {kind} channel needs {field}"),
                channel.kind.span(),
            )
            .with_help("add it to this [[channels]] table"),
        );
    }
    if let Some(email) = &channel.email {
        check_email(file, email, problems);
    }
    for office in &channel.offices {
        let (agency_id, office_id) = match office.get_ref().split_once('/') {
            Some((a, o)) => (a, Some(o)),
            None => (office.get_ref().as_str(), None),
        };
        let Some(agency) = catalog.agency(agency_id) else {
            if catalog.broken_agencies.contains(agency_id) {
                continue;
            }
            let known: Vec<&str> = catalog
                .agencies
                .iter()
                .map(|a| a.data.id.get_ref().as_str())
                .collect();
            problems.push(unknown(
                file,
                "agency",
                office,
                &known,
                "write \"agency\" or \"agency/office\"",
            ));
            continue;
        };
        if let Some(office_id) = office_id {
            let offices: Vec<&str> = catalog.agencies[agency]
                .data
                .offices
                .iter()
                .map(|o| o.id.get_ref().as_str())
                .collect();
            if !offices.contains(&office_id) {
                let help = match closest(office_id, &offices) {
                    Some(best) => format!("did you mean `{agency_id}/{best}`?"),
                    None => format!(
                        "its offices are: {} (listed in content/agencies/{agency_id}.toml)",
                        offices.join(", ")
                    ),
                };
                problems.push(
                    file.error(
                        format!("`{agency_id}` has no office `{office_id}`"),
                        office.span(),
                    )
                    .with_help(help),
                );
            }
        }
    }
}

fn check_language_key<T>(
    file: &Loaded<T>,
    key: &Spanned<String>,
    languages: &[&str],
    problems: &mut Diagnostics,
) {
    if !languages.contains(&key.get_ref().as_str()) {
        problems.push(unknown(
            file,
            "language",
            key,
            languages,
            "the languages are those of site.toml",
        ));
    }
}

/// Checks the language keys of every text; `required` texts must exist in the default language.
/// A text present in the default language but missing in another is a translation gap.
fn check_texts<T>(
    file: &Loaded<T>,
    texts: &[(&str, &LocalText)],
    required: &[(&str, &LocalText)],
    languages: &[&str],
    default: &str,
    problems: &mut Diagnostics,
    gaps: &mut Vec<TranslationGap>,
) {
    for (_, text) in texts {
        for key in text.keys() {
            check_language_key(file, key, languages, problems);
        }
    }
    for (name, text) in required {
        if !text.has(default) {
            let span = text.keys().next().map_or(0..0, |k| k.span());
            problems.push(
                file.error(
                    format!("`{name}` has no text in the default language `{default}`"),
                    span,
                )
                .with_help(format!("add {default} = \"...\" to `{name}`")),
            );
        }
    }
    for lang in languages.iter().filter(|l| **l != default) {
        let missing: Vec<&str> = texts
            .iter()
            .filter(|(_, t)| t.has(default) && !t.has(lang))
            .map(|(n, _)| *n)
            .collect();
        if !missing.is_empty() {
            let mut fields: Vec<&str> = missing.clone();
            fields.dedup();
            let words = texts
                .iter()
                .filter(|(_, t)| t.has(default) && !t.has(lang))
                .filter_map(|(_, t)| t.get(default, default))
                .map(|t| t.text.split_whitespace().count())
                .sum();
            gaps.push(TranslationGap {
                file: file.source.path.clone(),
                lang: lang.to_string(),
                fields: fields.iter().map(|f| f.to_string()).collect(),
                words,
            });
            problems.push(
                Diagnostic::warning(format!(
                    "not translated into {lang}: {} (the {default} text is shown)",
                    fields.join(", ")
                ))
                .in_file(&file.source.path)
                .with_help(format!("add {lang} = \"...\" to each of these tables"))
                .with_gap(GapKind::ServiceText, Some(lang)),
            );
        }
    }
}

fn check_review<T>(
    file: &Loaded<T>,
    review: &schema::Review,
    today: Date,
    problems: &mut Diagnostics,
) {
    if let Some(next) = &review.next_review
        && *next.get_ref() < today
    {
        problems.push(
            Diagnostic::warning(format!(
                "the review was due on {}; check the facts against the sources",
                next.get_ref()
            ))
            .in_file(&file.source.path)
            .at_span(&file.source.text, next.span())
            .with_help(
                "after checking, set review.last_checked to today and move next_review forward",
            )
            .with_gap(GapKind::OverdueReview, None),
        );
    }
}
