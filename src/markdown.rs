//! Markdown → HTML. Pure: no I/O, no knowledge of the site beyond a link resolver.
//!
//! 1. Parse with pulldown-cmark (tables, footnotes, strikethrough, task lists, `{#id}` heading
//!    attributes).
//! 2. Give every heading an id (its own `{#id}`, else one made from its text, unique in the page
//!    and none of the ids the resolver reserves for the template's own elements) and collect the
//!    headings as a table of contents.
//! 3. Hand every link that starts with `@` to the resolver, which turns `@/stay/register.md#fee`
//!    into the page's URL; a link it cannot resolve is reported with its byte offset. Links to
//!    the site's own paths (`/files/form.pdf`) go to the resolver too, to check against the
//!    output once it is known.
//! 4. Hand every image to the resolver, which gives its markup (a `<picture>` with `width`,
//!    `height` and `srcset`, see [`crate::images`]); the first image, when little text comes
//!    before it, loads at once, the others lazily; an image without alt text is a warning.
//! 5. Check the text against the site's [content policy](crate::policy): raw HTML, link URLs,
//!    heading attributes and nesting depth; a violation is reported with its byte offset. First,
//!    a tag that names no HTML element (`<endirim>`) becomes text, and an element the sanitiser
//!    would drop without refusing it (`<video>`) is a warning.
//! 6. Write HTML. Content is never evaluated as a template: `{{ x }}` stays `{{ x }}`. A text
//!    with raw HTML is published as the sanitiser leaves it (unless the policy is loosened).

use std::collections::{BTreeSet, HashMap, HashSet};
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};
use serde::Serialize;

use crate::policy::{self, Policy};

/// A heading of the page, for the table of contents and for checking `#anchor` links.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    /// The heading's text without markup.
    pub title: String,
}

/// An internal link as written in Markdown: `@/stay/register.md#fee`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkRef<'a> {
    /// The whole destination, `@/stay/register.md#fee`.
    pub destination: &'a str,
    /// Byte range of the link in the Markdown.
    pub span: Range<usize>,
}

/// A problem in the text: a link that could not be resolved, or what the content policy refuses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkError {
    pub span: Range<usize>,
    pub message: String,
    pub help: String,
}

/// The HTML of a page and what templates and checks need to know about it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rendered {
    pub html: String,
    pub toc: Vec<Heading>,
    /// What the page can be published with but should not: an image without alt text.
    pub warnings: Vec<LinkError>,
}

/// An image as written in Markdown: `![A map of Baku](/images/baku.png "Baku")`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageRef<'a> {
    pub destination: &'a str,
    /// The alt text, without markup.
    pub alt: &'a str,
    pub title: &'a str,
    /// Whether it is on the page's first screen (see [`EAGER_TEXT`]).
    pub loading: crate::images::Loading,
    /// Byte range of the image in the Markdown.
    pub span: Range<usize>,
}

/// The first image of a text is on the first screen of a phone when fewer characters than this
/// come before it (about ten lines at 390 px, below the page's heading); every other image is
/// loaded lazily.
pub const EAGER_TEXT: usize = 400;

/// Turns `@…` link destinations into URLs.
pub trait LinkResolver {
    /// The URL for `link`, or the error message and a hint for the editor.
    fn resolve(&self, link: &LinkRef<'_>) -> Result<String, (String, String)>;

    /// The markup of an image (a `<picture>` with its size and copies), or the error message and a
    /// hint for the editor; `Ok(None)`: the image is written as Markdown writes it.
    fn image(&self, _image: &ImageRef<'_>) -> Result<Option<String>, (String, String)> {
        Ok(None)
    }

    /// A link to a path of this site (`/files/form.pdf`, `/az/page/`), kept to check once the
    /// whole output is known.
    fn local(&self, _link: &LinkRef<'_>) {}

    /// Ids the page around the text gives its own elements (`main`, `menu`): a heading takes
    /// none of them.
    fn reserved_ids(&self) -> Option<&BTreeSet<String>> {
        None
    }

    /// The content policy the text is held to: the site's (strict unless site.toml loosens it).
    fn policy(&self) -> Policy {
        Policy::default()
    }
}

pub(crate) fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
}

/// Marks where a callout's label goes (`> [!WARNING]`): the label is a UI string in the language
/// of the page around it, put in when the page is rendered, since one body serves every language
/// that shows it. (A private-use character: it means nothing in any text.)
pub const CALLOUT_MARK: char = '\u{F8FF}';

/// The kinds of callout GitHub's alert syntax writes, as the class and label key name them.
fn callout_kind(kind: pulldown_cmark::BlockQuoteKind) -> &'static str {
    use pulldown_cmark::BlockQuoteKind as Kind;
    match kind {
        Kind::Note => "note",
        Kind::Tip => "tip",
        Kind::Important => "important",
        Kind::Warning => "warning",
        Kind::Caution => "caution",
    }
}

/// Renders `markdown`. `lang` chooses the case rules for heading ids. Unresolvable links are
/// returned as errors; the HTML still comes back, with those links pointing nowhere.
pub fn render(markdown: &str, lang: &str, links: &dyn LinkResolver) -> (Rendered, Vec<LinkError>) {
    let mut events: Vec<(Event<'_>, Range<usize>)> = Parser::new_ext(markdown, options())
        .into_offset_iter()
        .collect();
    let policy = links.policy();
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    policy::tags_to_text(&mut events, policy, &mut warnings);
    let raw_html = policy::check_events(&events, policy, &mut errors);
    if errors
        .iter()
        .any(|e| e.message.starts_with(policy::TOO_DEEP))
    {
        // Too deep to hand to any parser: nothing is rendered.
        return (Rendered::default(), errors);
    }
    let toc = assign_heading_ids(&mut events, lang, links.reserved_ids());

    for (event, span) in &mut events {
        if let Event::Start(Tag::Link { dest_url, .. }) = event
            && dest_url.starts_with('@')
        {
            let link = LinkRef {
                destination: dest_url.as_ref(),
                span: span.clone(),
            };
            match links.resolve(&link) {
                Ok(url) => *dest_url = CowStr::from(url),
                Err((message, help)) => {
                    errors.push(LinkError {
                        span: span.clone(),
                        message,
                        help,
                    });
                    *dest_url = CowStr::Borrowed("#");
                }
            }
        } else if let Event::Start(Tag::Link { dest_url, .. }) = event
            && dest_url.starts_with('/')
            && !dest_url.starts_with("//")
        {
            links.local(&LinkRef {
                destination: dest_url.as_ref(),
                span: span.clone(),
            });
        }
    }

    let (pictures, image_warnings) = images(&events, links, &mut errors);
    warnings.extend(image_warnings);

    // Wide tables scroll sideways on narrow screens; the scrolling box takes keyboard focus so that
    // it can be scrolled without a mouse.
    let mut wrapped = Vec::with_capacity(events.len() + 4);
    let mut pictures = pictures.into_iter().peekable();
    let mut skip_to = 0;
    for (i, (event, _)) in events.into_iter().enumerate() {
        if i < skip_to {
            continue;
        }
        if let Some((_, end, html)) = pictures.next_if(|(start, _, _)| *start == i) {
            wrapped.push(Event::InlineHtml(CowStr::from(html)));
            skip_to = end + 1;
            continue;
        }
        match event {
            Event::Start(Tag::Table(_)) => {
                wrapped.push(Event::Html(CowStr::Borrowed(
                    "<div class=\"scroll\" tabindex=\"0\">",
                )));
                wrapped.push(event);
            }
            Event::End(TagEnd::Table) => {
                wrapped.push(event);
                wrapped.push(Event::Html(CowStr::Borrowed("</div>")));
            }
            // `> [!WARNING]` and its kin: a box the theme styles, with a label that screen
            // readers read first ("Warning:") and eyes get from the box's look.
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                let kind = callout_kind(kind);
                wrapped.push(Event::Html(CowStr::from(format!(
                    "<div class=\"callout callout-{kind}\" role=\"note\"><span class=\"visually-hidden\">{CALLOUT_MARK}{kind}{CALLOUT_MARK}</span>"
                ))));
            }
            Event::End(TagEnd::BlockQuote(Some(_))) => {
                wrapped.push(Event::Html(CowStr::Borrowed("</div>")));
            }
            other => wrapped.push(other),
        }
    }
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, wrapped.into_iter());
    if let Some(first) = raw_html
        && !policy.unsafe_html
    {
        // The raw HTML passed chunk by chunk; the whole text is sanitised too, since chunks that
        // are harmless alone can make a tag together.
        let sanitised = policy::sanitise(&out);
        if errors.is_empty() && sanitised != policy::permissive(&out) {
            errors.push(LinkError {
                span: first,
                message: format!(
                    "the raw HTML of this text, taken together, has {}, which the content policy does not allow",
                    policy::describe(&out)
                ),
                help: policy::POLICY_HELP.into(),
            });
        }
        out = sanitised;
    }
    (
        Rendered {
            html: out,
            toc,
            warnings,
        },
        errors,
    )
}

/// The images of a text: for each the resolver gives markup for, the index of its first and
/// last event and the markup; a warning for each image without alt text (screen readers say
/// nothing useful of it, or read its file name).
fn images(
    events: &[(Event<'_>, Range<usize>)],
    links: &dyn LinkResolver,
    errors: &mut Vec<LinkError>,
) -> (Vec<(usize, usize, String)>, Vec<LinkError>) {
    let mut pictures = Vec::new();
    let mut warnings = Vec::new();
    let mut text_before = 0;
    let mut first = true;
    let mut i = 0;
    while i < events.len() {
        let (event, span) = &events[i];
        match event {
            Event::Text(t) | Event::Code(t) => text_before += t.chars().count(),
            Event::Start(Tag::Image {
                dest_url, title, ..
            }) => {
                // The alt text: the text of everything up to the matching end (an image in the
                // alt text gives its own alt text, as CommonMark says).
                let mut alt = String::new();
                let mut depth = 0;
                let mut j = i + 1;
                while j < events.len() {
                    match &events[j].0 {
                        Event::Start(Tag::Image { .. }) => depth += 1,
                        Event::End(TagEnd::Image) if depth == 0 => break,
                        Event::End(TagEnd::Image) => depth -= 1,
                        Event::Text(t) | Event::Code(t) => alt.push_str(t),
                        Event::SoftBreak | Event::HardBreak => alt.push(' '),
                        _ => {}
                    }
                    j += 1;
                }
                let alt = alt.trim();
                if alt.is_empty() {
                    warnings.push(LinkError {
                        span: span.clone(),
                        message: format!("the image {dest_url} has no alt text"),
                        help: "describe what the image shows for those who cannot see it: ![A map of Baku's old city](/images/baku.png)".into(),
                    });
                }
                let loading = if first && text_before < EAGER_TEXT {
                    crate::images::Loading::Eager
                } else {
                    crate::images::Loading::Lazy
                };
                first = false;
                let image = ImageRef {
                    destination: dest_url,
                    alt,
                    title,
                    loading,
                    span: span.clone(),
                };
                match links.image(&image) {
                    Ok(Some(html)) => pictures.push((i, j, html)),
                    Ok(None) => {}
                    Err((message, help)) => errors.push(LinkError {
                        span: span.clone(),
                        message,
                        help,
                    }),
                }
                i = j;
            }
            _ => {}
        }
        i += 1;
    }
    (pictures, warnings)
}

/// Sets the id of every heading and returns the headings in order.
fn assign_heading_ids(
    events: &mut [(Event<'_>, Range<usize>)],
    lang: &str,
    reserved: Option<&BTreeSet<String>>,
) -> Vec<Heading> {
    // Explicit ids first, so that a generated id never takes one an editor chose, nor one the
    // page's template gives its own elements (`main`, `menu`). An explicit id is the editor's
    // choice: the templates' ids are fixed only as they are written, and many of their elements
    // are shown only sometimes (a page's services), so a match is no sure collision.
    let mut taken: HashSet<String> = reserved.into_iter().flatten().cloned().collect();
    taken.extend(events.iter().filter_map(|(e, _)| match e {
        Event::Start(Tag::Heading { id: Some(id), .. }) => Some(id.to_string()),
        _ => None,
    }));
    let mut next: HashMap<String, usize> = HashMap::new();
    let mut toc = Vec::new();
    let mut i = 0;
    while i < events.len() {
        let Event::Start(Tag::Heading { level, .. }) = &events[i].0 else {
            i += 1;
            continue;
        };
        let level = heading_level(*level);
        let mut title = String::new();
        let mut j = i + 1;
        while j < events.len() {
            match &events[j].0 {
                Event::End(TagEnd::Heading(_)) => break,
                Event::Text(t) | Event::Code(t) => title.push_str(t),
                Event::SoftBreak | Event::HardBreak => title.push(' '),
                _ => {}
            }
            j += 1;
        }
        let title = title.trim().to_string();
        let Event::Start(Tag::Heading { id, .. }) = &mut events[i].0 else {
            unreachable!("checked above")
        };
        let id = match id {
            Some(explicit) => explicit.to_string(),
            None => {
                let generated = unique_id(&slugify_id(&title, lang), &mut taken, &mut next);
                *id = Some(CowStr::from(generated.clone()));
                generated
            }
        };
        toc.push(Heading { level, id, title });
        i = j;
    }
    toc
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// `base`, else `base-1`, `base-2`…: the first not taken. `next` remembers, for each base, the
/// number to try next, so that N equal headings take linear time, not quadratic.
fn unique_id(base: &str, taken: &mut HashSet<String>, next: &mut HashMap<String, usize>) -> String {
    let base = if base.is_empty() { "section" } else { base };
    let mut candidate = base.to_string();
    let n = next.entry(base.to_string()).or_insert(1);
    while taken.contains(&candidate) {
        candidate = format!("{base}-{n}");
        *n += 1;
    }
    taken.insert(candidate.clone());
    candidate
}

/// An id from heading text: the language's slug of it (see [`crate::i18n::slug`]):
/// `Son müddət` → `son-muddet`, `Срок подачи` → `srok-podachi`.
pub fn slugify_id(text: &str, lang: &str) -> String {
    crate::i18n::slug::slugify(text, lang)
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Links;
    impl LinkResolver for Links {
        fn resolve(&self, link: &LinkRef<'_>) -> Result<String, (String, String)> {
            match link.destination {
                "@/a.md" => Ok("/en/a/".into()),
                "@/a.md#x" => Ok("/en/a/#x".into()),
                other => Err((format!("no page {other}"), "fix it".into())),
            }
        }
    }

    fn html(md: &str) -> String {
        render(md, "en", &Links).0.html
    }

    #[test]
    fn a_generated_heading_id_is_none_the_template_gives_its_own_elements() {
        struct Reserving(BTreeSet<String>);
        impl LinkResolver for Reserving {
            fn resolve(&self, _: &LinkRef<'_>) -> Result<String, (String, String)> {
                Err(("no links here".into(), String::new()))
            }
            fn reserved_ids(&self) -> Option<&BTreeSet<String>> {
                Some(&self.0)
            }
        }
        let links = Reserving(["main".to_string(), "menu".to_string()].into());
        let (r, errors) = render("## Main\n\n## Menu {#menu}\n\n## Main\n", "en", &links);
        assert!(errors.is_empty(), "{errors:?}");
        let ids: Vec<&str> = r.toc.iter().map(|h| h.id.as_str()).collect();
        // An explicit id is the editor's choice, kept as written.
        assert_eq!(ids, ["main-1", "menu", "main-2"]);
    }

    #[test]
    fn a_tag_that_names_no_html_element_is_published_as_text() {
        let (r, errors) = render(
            "## Prices <2026>: <new> & old\n\nCall <Name Surname> at <b>9</b>.\n\n<applicant>\nThe rest & more\n",
            "en",
            &Links,
        );
        assert!(errors.is_empty(), "{errors:?}");
        assert!(r.warnings.is_empty(), "{:?}", r.warnings);
        assert_eq!(
            r.html,
            "<h2 id=\"prices-2026-new-old\">Prices &lt;2026&gt;: &lt;new&gt; &amp; old</h2>\n\
             <p>Call &lt;Name Surname&gt; at <b>9</b>.</p>\n\
             <p>&lt;applicant&gt;\nThe rest &amp; more\n</p>\n"
        );
        assert_eq!(r.toc[0].title, "Prices <2026>: <new> & old");
    }

    #[test]
    fn an_element_the_sanitiser_drops_is_a_warning_at_its_opening_tag() {
        let text = "A <video src=\"a.mp4\">clip</video> in <font color=red>red</font>.\n";
        let (r, errors) = render(text, "en", &Links);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(r.html, "<p>A clip in red.</p>\n");
        let spans: Vec<&str> = r.warnings.iter().map(|w| &text[w.span.clone()]).collect();
        assert_eq!(spans, ["<video src=\"a.mp4\">", "<font color=red>"]);
        assert!(
            r.warnings[0]
                .message
                .starts_with("raw HTML with <video>, which karvan does not publish"),
            "{}",
            r.warnings[0].message
        );
    }

    #[test]
    fn a_block_of_real_html_keeps_its_elements_and_shows_unknown_tags_as_text() {
        let r = render("<div>\n<endirim> &amp; <b>x</b>\n</div>\n", "en", &Links).0;
        assert_eq!(r.html, "<div>\n&lt;endirim&gt; &amp; <b>x</b>\n</div>\n");
    }

    #[test]
    fn github_alerts_become_callouts_with_a_label_to_fill_in() {
        let out = html(
            "> [!WARNING]\n> A fine of **300** AZN.\n\n> [!TIP]\n> Apply online.\n\n> A plain quote.\n",
        );
        assert_eq!(
            out,
            "<div class=\"callout callout-warning\" role=\"note\"><span class=\"visually-hidden\">\u{F8FF}warning\u{F8FF}</span>\n<p>A fine of <strong>300</strong> AZN.</p>\n</div>\
             <div class=\"callout callout-tip\" role=\"note\"><span class=\"visually-hidden\">\u{F8FF}tip\u{F8FF}</span>\n<p>Apply online.</p>\n</div>\n\
             <blockquote>\n<p>A plain quote.</p>\n</blockquote>\n"
        );
    }

    struct Pictures;
    impl LinkResolver for Pictures {
        fn resolve(&self, _: &LinkRef<'_>) -> Result<String, (String, String)> {
            Ok("/".into())
        }
        fn image(&self, image: &ImageRef<'_>) -> Result<Option<String>, (String, String)> {
            match image.destination {
                "/missing.png" => Err(("no such image".into(), "add it".into())),
                "/plain.png" => Ok(None),
                d => Ok(Some(format!("[{d}|{}|{:?}]", image.alt, image.loading))),
            }
        }
    }

    #[test]
    fn images_near_the_top_load_at_once_the_others_lazily() {
        let text = format!(
            "Intro.\n\n![A *big* map](/a.png)\n\n{}\n\n![B](/b.png) ![C](/c.png)\n",
            "word ".repeat(EAGER_TEXT / 5)
        );
        let (r, errors) = render(&text, "en", &Pictures);
        assert!(errors.is_empty(), "{errors:?}");
        assert!(
            r.html.contains("<p>[/a.png|A big map|Eager]</p>"),
            "{}",
            r.html
        );
        assert!(
            r.html.contains("<p>[/b.png|B|Lazy] [/c.png|C|Lazy]</p>"),
            "{}",
            r.html
        );
        // Far down, the first image is lazy too.
        let late = format!("{}\n\n![D](/d.png)\n", "word ".repeat(EAGER_TEXT / 5 + 1));
        assert!(render(&late, "en", &Pictures).0.html.contains("|D|Lazy]"));
    }

    #[test]
    fn an_image_without_alt_text_is_a_warning_and_a_missing_one_an_error() {
        let text = "![](/plain.png)\n\nAnd ![x](/missing.png).\n";
        let (r, errors) = render(text, "en", &Pictures);
        assert_eq!(r.warnings.len(), 1);
        assert_eq!(
            r.warnings[0].message,
            "the image /plain.png has no alt text"
        );
        assert_eq!(&text[r.warnings[0].span.clone()], "![](/plain.png)");
        assert!(
            r.html.contains("<img src=\"/plain.png\" alt=\"\" />"),
            "{}",
            r.html
        );
        assert_eq!(errors.len(), 1);
        assert_eq!(&text[errors[0].span.clone()], "![x](/missing.png)");
        assert_eq!(errors[0].message, "no such image");
    }

    #[test]
    fn gives_headings_unique_ids_and_a_toc() {
        let (r, _) = render("# Fee\n\n## Fee\n\n## Who? {#who}\n", "en", &Links);
        assert_eq!(
            r.html,
            "<h1 id=\"fee\">Fee</h1>\n<h2 id=\"fee-1\">Fee</h2>\n<h2 id=\"who\">Who?</h2>\n"
        );
        let ids: Vec<_> = r.toc.iter().map(|h| (h.level, h.id.as_str())).collect();
        assert_eq!(ids, [(1, "fee"), (2, "fee-1"), (2, "who")]);
    }

    #[test]
    fn heading_ids_are_transliterated_per_language() {
        assert_eq!(
            slugify_id("Son müddət: İyul, IŞIQ", "az"),
            "son-muddet-iyul-isiq"
        );
        assert_eq!(
            slugify_id("Срок подачи — 15 дней", "ru"),
            "srok-podachi-15-dnei"
        );
        assert_eq!(slugify_id("ISTANBUL", "en"), "istanbul");
    }

    #[test]
    fn resolves_internal_links_and_reports_broken_ones_with_offsets() {
        let md = "See [a](@/a.md) and [x](@/a.md#x).\n\nAnd [b](@/b.md).";
        let (r, errors) = render(md, "en", &Links);
        assert!(r.html.contains("<a href=\"/en/a/\">a</a>"));
        assert!(r.html.contains("<a href=\"/en/a/#x\">x</a>"));
        assert_eq!(errors.len(), 1);
        assert_eq!(&md[errors[0].span.clone()], "[b](@/b.md)");
    }

    #[test]
    fn regression_fuzz_a_script_tag_inside_a_bogus_comment_is_not_a_script() {
        // fuzz/seeds/markdown/regression-script-in-bogus-comment: `<?` opens a bogus comment that
        // swallows the `<script>` that follows; the output is safe and passes the policy.
        let text = "<?e - - - - - - <script>a\u{7}\0\0>t</de\0.\n";
        let (rendered, errors) = render(text, "en", &Links);
        assert!(errors.is_empty(), "{errors:?}");
        assert!(
            !crate::policy::is_unsafe(&rendered.html),
            "{}",
            rendered.html
        );
    }

    #[test]
    fn raw_html_that_only_together_makes_a_handler_is_refused() {
        // Two blocks, each harmless alone: the quote opened by the first swallows the text
        // between, and the second's attribute would become the element's.
        let text = "<div title=\"\n\nx\n\n<div x=\" onmouseover=alert(1) y=\"\">z</div>\n";
        let (rendered, errors) = render(text, "en", &Links);
        assert_eq!(errors.len(), 1, "{:?}", rendered.html);
        assert_eq!(
            errors[0].message,
            "the raw HTML of this text, taken together, has the onmouseover attribute, which the content policy does not allow"
        );
        assert!(
            !rendered.html.contains("onmouseover"),
            "{:?}",
            rendered.html
        );
    }

    #[test]
    fn prints_template_syntax_as_written() {
        assert_eq!(
            html("{{ name }} {% if x %}"),
            "<p>{{ name }} {% if x %}</p>\n"
        );
    }

    #[test]
    fn renders_tables_footnotes_strikethrough_and_task_lists() {
        let out = html("| a |\n|---|\n| b |\n\n~~old~~ note[^1]\n\n[^1]: Source.\n\n- [x] done\n");
        assert!(out.contains("<table>"), "{out}");
        assert!(out.contains("<del>old</del>"), "{out}");
        assert!(out.contains("footnote-definition"), "{out}");
        assert!(out.contains("type=\"checkbox\""), "{out}");
    }
}
