//! The content policy: what the Markdown of pages and of service and agency texts may carry.
//!
//! On by default (site.toml's `[content_policy]` loosens it explicitly):
//! - raw HTML may not carry `<script>`, `<iframe>`, `<object>`, `<embed>`, forms, `<style>`,
//!   `on*` attributes or `javascript:`/`data:` URLs: the raw HTML of a text is run through the
//!   [ammonia] sanitiser, and anything it would remove is an error at its line. A text with raw
//!   HTML is published as the sanitiser leaves it, so what a check could miss never reaches a
//!   visitor;
//! - Markdown links and images may only lead to `http:`, `https:`, `mailto:` and `tel:` URLs (or
//!   relative ones);
//! - the heading attribute syntax (`## Title {#id .class}`) takes ids and classes only;
//! - nothing nests deeper than [`MAX_DEPTH`] (quotes, lists and HTML elements): deeper trees
//!   crash browsers' and minifiers' parsers alike.

use std::collections::HashSet;
use std::ops::Range;
use std::sync::LazyLock;

use pulldown_cmark::{Event, Tag, TagEnd};

use crate::markdown::LinkError;

/// How deep quotes, lists and HTML elements may nest in one text.
pub const MAX_DEPTH: usize = 100;

/// What the site allows in its Markdown; the default is the strict policy.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Policy {
    /// Raw HTML and link URLs are published as written: scripts, frames and handlers included.
    pub unsafe_html: bool,
    /// The heading attribute syntax may set any attribute, not only ids and classes.
    pub any_heading_attributes: bool,
}

/// The sanitiser: a broad allowlist of the elements and attributes of text (everything that
/// Markdown itself writes, and what editors use in raw HTML), without anything that runs code.
static SANITISER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(strict);

fn strict() -> ammonia::Builder<'static> {
    let mut builder = ammonia::Builder::default();
    builder
        .add_tags(["input", "section", "picture", "source"])
        .add_generic_attributes([
            "id",
            "class",
            "style",
            "dir",
            "tabindex",
            "role",
            "hidden",
            "translate",
        ])
        .add_generic_attribute_prefixes(["aria-", "data-"])
        .add_tag_attributes("a", ["target", "rel", "download", "type"])
        .add_tag_attributes("img", ["loading", "decoding", "srcset", "sizes"])
        .add_tag_attributes("input", ["type", "checked", "disabled"])
        .add_tag_attributes("ol", ["start", "reversed", "type"])
        .add_tag_attributes("li", ["value"])
        .add_tag_attributes("time", ["datetime"])
        .add_tag_attributes("th", ["scope", "abbr"])
        .add_tag_attributes("source", ["src", "type", "media", "srcset", "sizes"])
        .url_schemes(HashSet::from(URL_SCHEMES))
        .link_rel(None)
        .strip_comments(false);
    builder
}

/// The URL schemes a link or image may use.
const URL_SCHEMES: [&str; 4] = ["http", "https", "mailto", "tel"];

/// `html` (a fragment) as the sanitiser leaves it.
pub fn sanitise(html: &str) -> String {
    SANITISER.clean(html).to_string()
}

/// Elements that run code, load other documents or take input: what the sanitiser removes and
/// [`PERMISSIVE`] keeps, so that the difference between the two is what the policy refuses.
const DANGEROUS_TAGS: [&str; 20] = [
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "form",
    "button", "textarea", "select", "svg", "math", "base", "link", "meta", "noscript", "template",
    "portal",
];

/// The sanitiser with the dangerous elements, `on*` attributes and script URLs allowed: what
/// [`sanitise`] would give if the policy refused nothing (same parser, same serialiser).
static PERMISSIVE: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = strict();
    builder
        .clean_content_tags(HashSet::new())
        .add_tags(DANGEROUS_TAGS)
        .add_generic_attribute_prefixes(["on"])
        .add_url_schemes(["javascript", "vbscript", "data"]);
    builder
});

/// `html` as the sanitiser would leave it if the policy refused nothing.
pub fn permissive(html: &str) -> String {
    PERMISSIVE.clean(html).to_string()
}

/// Whether the sanitiser would remove anything from `html`.
pub fn is_unsafe(html: &str) -> bool {
    sanitise(html) != permissive(html)
}

/// What in `html` the policy refuses, for the message: `<script>`, `the onerror attribute`…
pub fn describe(html: &str) -> String {
    let lower = html.to_ascii_lowercase();
    for tag in [
        "script", "iframe", "object", "embed", "frame", "style", "form", "svg", "math", "base",
        "link", "meta",
    ] {
        let open = format!("<{tag}");
        if let Some(i) = lower.find(&open)
            && lower[i + open.len()..]
                .chars()
                .next()
                .is_none_or(|c| !c.is_ascii_alphanumeric())
        {
            return format!("a <{tag}> element");
        }
    }
    let bytes = lower.as_bytes();
    for (i, _) in lower.match_indices("on") {
        let before = i.checked_sub(1).map(|j| bytes[j]);
        if !before.is_some_and(|b| b.is_ascii_whitespace() || b == b'/' || b == b'"' || b == b'\'')
        {
            continue;
        }
        let name: String = lower[i..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        if name.len() > 2 && lower[i + name.len()..].trim_start().starts_with('=') {
            return format!("the {name} attribute");
        }
    }
    for scheme in ["javascript:", "vbscript:", "data:"] {
        if squeeze(&lower).contains(scheme) {
            return format!("a {scheme} URL");
        }
    }
    "a tag or attribute outside the content policy".into()
}

/// A URL without the characters browsers ignore inside a scheme (tabs, line breaks, controls).
fn squeeze(url: &str) -> String {
    url.chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_control())
        .collect()
}

/// Checks the destination of a Markdown link or image: a relative URL, a `#fragment`, or one of
/// [`URL_SCHEMES`]. Returns the scheme that is refused.
pub fn check_url(url: &str) -> Result<(), String> {
    let squeezed = squeeze(url);
    let Some(colon) = squeezed.find(':') else {
        return Ok(());
    };
    let scheme = &squeezed[..colon];
    // A colon after a /, ? or # is part of a path, query or fragment, not a scheme.
    if scheme.contains(['/', '?', '#']) {
        return Ok(());
    }
    let scheme = scheme.to_ascii_lowercase();
    if URL_SCHEMES.contains(&scheme.as_str()) {
        Ok(())
    } else {
        Err(scheme)
    }
}

/// Elements without an end tag: they do not nest.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];

/// How raw HTML changes the nesting depth: for each tag, +1 when it opens an element, -1 when it
/// closes one. A rough count (comments and attributes holding `<` may miscount), enough to keep
/// pathological nesting out of the parsers.
pub fn depth_changes(html: &str) -> impl Iterator<Item = isize> + '_ {
    tags(html).filter_map(move |(i, name, closing)| {
        if closing {
            return Some(-1);
        }
        let rest = &html[i + 1..];
        let end = rest.find('>').unwrap_or(rest.len());
        (!VOID.contains(&name.as_str()) && !rest[..end].ends_with('/')).then_some(1)
    })
}

/// The elements of HTML (the living standard's, and the obsolete ones browsers still know): a
/// tag of another name is no element to the reader either, so the strict policy publishes it as
/// the text it was written as (`<endirim>`, `<Ad Soyad>`) instead of letting the sanitiser drop it.
const HTML_ELEMENTS: &[&str] = &[
    "a",
    "abbr",
    "acronym",
    "address",
    "applet",
    "area",
    "article",
    "aside",
    "audio",
    "b",
    "base",
    "basefont",
    "bdi",
    "bdo",
    "bgsound",
    "big",
    "blink",
    "blockquote",
    "body",
    "br",
    "button",
    "canvas",
    "caption",
    "center",
    "cite",
    "code",
    "col",
    "colgroup",
    "data",
    "datalist",
    "dd",
    "del",
    "details",
    "dfn",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "em",
    "embed",
    "fieldset",
    "figcaption",
    "figure",
    "font",
    "footer",
    "form",
    "frame",
    "frameset",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hgroup",
    "hr",
    "html",
    "i",
    "iframe",
    "image",
    "img",
    "input",
    "ins",
    "isindex",
    "kbd",
    "keygen",
    "label",
    "legend",
    "li",
    "link",
    "listing",
    "main",
    "map",
    "mark",
    "marquee",
    "math",
    "menu",
    "menuitem",
    "meta",
    "meter",
    "multicol",
    "nav",
    "nextid",
    "nobr",
    "noembed",
    "noframes",
    "noscript",
    "object",
    "ol",
    "optgroup",
    "option",
    "output",
    "p",
    "param",
    "picture",
    "plaintext",
    "portal",
    "pre",
    "progress",
    "q",
    "rb",
    "rp",
    "rt",
    "rtc",
    "ruby",
    "s",
    "samp",
    "script",
    "search",
    "section",
    "select",
    "slot",
    "small",
    "source",
    "spacer",
    "span",
    "strike",
    "strong",
    "style",
    "sub",
    "summary",
    "sup",
    "svg",
    "table",
    "tbody",
    "td",
    "template",
    "textarea",
    "tfoot",
    "th",
    "thead",
    "time",
    "title",
    "tr",
    "track",
    "tt",
    "u",
    "ul",
    "var",
    "video",
    "wbr",
    "xmp",
];

/// The tags of `html`: for each, the byte offset of its `<`, its name in lower case and whether
/// it closes (`<p>`, `</p>`, `<br/>`; not comments, declarations or a `<` before a space or digit).
fn tags(html: &str) -> impl Iterator<Item = (usize, String, bool)> + '_ {
    html.match_indices('<').filter_map(move |(i, _)| {
        let rest = &html[i + 1..];
        let closing = rest.starts_with('/');
        let name: String = rest[usize::from(closing)..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect();
        name.starts_with(|c: char| c.is_ascii_alphabetic())
            .then(|| (i, name.to_ascii_lowercase(), closing))
    })
}

/// The elements the sanitiser keeps.
static ALLOWED_TAGS: LazyLock<HashSet<&'static str>> = LazyLock::new(|| SANITISER.clone_tags());

/// Whether a tag of this name is an element of HTML (a custom element's name has a hyphen).
fn is_element(name: &str) -> bool {
    HTML_ELEMENTS.contains(&name) || name.contains('-')
}

/// `html` with the `<` of each tag that names no element of HTML written as `&lt;`, so that it
/// reads as the text it was: `<endirim>` → `&lt;endirim>`. `None` when there is none.
pub fn tags_as_text(html: &str) -> Option<String> {
    let mut out = String::new();
    let mut from = 0;
    for (i, name, _) in tags(html) {
        if !is_element(&name) {
            out.push_str(&html[from..i]);
            out.push_str("&lt;");
            from = i + 1;
        }
    }
    (from > 0).then(|| out + &html[from..])
}

/// The elements of HTML opened in `html` that the sanitiser drops though they run no code
/// (`<video>`, `<font>`, a custom element): what is inside them is published without them.
pub fn dropped_elements(html: &str) -> Vec<String> {
    let mut dropped: Vec<String> = tags(html)
        .filter(|(_, name, closing)| {
            !closing
                && is_element(name)
                && !ALLOWED_TAGS.contains(name.as_str())
                && !DANGEROUS_TAGS.contains(&name.as_str())
        })
        .map(|(_, name, _)| name)
        .collect();
    dropped.sort();
    dropped.dedup();
    dropped
}

/// Under the strict policy, the raw HTML of `events` made honest about what a reader will see. A
/// tag that names no element of HTML (`<endirim>`, `<Ad Soyad>`) is text: an inline one becomes a
/// text event, so that headings' ids, summaries and the search index read it too, and a block of
/// raw HTML that holds no element once its tags are text becomes a paragraph. An element that the
/// sanitiser drops without refusing it (`<video>`, `<font>`) is a warning.
pub fn tags_to_text(
    events: &mut [(Event<'_>, Range<usize>)],
    policy: Policy,
    warnings: &mut Vec<LinkError>,
) {
    if policy.unsafe_html {
        return;
    }
    let mut block_start = None;
    for i in 0..events.len() {
        let (event, span) = &mut events[i];
        match event {
            Event::Start(Tag::HtmlBlock) => block_start = Some(i),
            Event::End(TagEnd::HtmlBlock) => {
                if let Some(start) = block_start.take() {
                    block_to_paragraph(&mut events[start..=i]);
                }
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                let dropped = dropped_elements(html);
                if !dropped.is_empty() {
                    let names: Vec<String> = dropped.iter().map(|n| format!("<{n}>")).collect();
                    warnings.push(LinkError {
                        span: span.clone(),
                        message: format!(
                            "raw HTML with {}, which karvan does not publish (the content policy keeps the elements of text): what is inside is published without {}",
                            names.join(", "),
                            if dropped.len() == 1 { "it" } else { "them" }
                        ),
                        help: "remove the tag, or write it in Markdown; a site that trusts every editor can set `unsafe_html = true` under [content_policy] in site.toml".into(),
                    });
                }
                let text = match &*event {
                    Event::Html(html) => tags_as_text(html).map(|text| Event::Html(text.into())),
                    Event::InlineHtml(html) => tags_as_text(html).map(|text| {
                        if text.contains('<') {
                            Event::InlineHtml(text.into())
                        } else {
                            Event::Text(html.clone())
                        }
                    }),
                    _ => None,
                };
                if let Some(text) = text {
                    *event = text;
                }
            }
            _ => {}
        }
    }
}

/// Whether `html` has a character reference (`&amp;`, `&#1241;`), which a text would print as
/// written.
fn has_reference(html: &str) -> bool {
    html.match_indices('&').any(|(i, _)| {
        let rest = &html[i + 1..];
        let name = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '#'))
            .unwrap_or(rest.len());
        name > 0 && rest[name..].starts_with(';')
    })
}

/// A block of raw HTML, its tags already made text by [`tags_to_text`], as a paragraph of text
/// when no tag, comment or character reference is left in it: `<Ad Soyad>` on a line of its own
/// starts such a block, and the lines after it are text too.
fn block_to_paragraph(block: &mut [(Event<'_>, Range<usize>)]) {
    let inner = &block[1..block.len() - 1];
    let made_text = inner
        .iter()
        .any(|(e, _)| matches!(e, Event::Html(h) if h.contains("&lt;")));
    let plain = inner.iter().all(|(e, _)| match e {
        Event::Html(h) => !h.contains('<') && !has_reference(&h.replace("&lt;", "")),
        _ => false,
    });
    if !(made_text && plain) {
        return;
    }
    let last = block.len() - 1;
    block[0].0 = Event::Start(Tag::Paragraph);
    block[last].0 = Event::End(TagEnd::Paragraph);
    for (event, _) in &mut block[1..last] {
        if let Event::Html(html) = event {
            *event = Event::Text(html.replace("&lt;", "<").into());
        }
    }
}

/// The start of the message of a text nested too deep.
pub const TOO_DEEP: &str = "this text nests more than";

pub const POLICY_HELP: &str = "remove it, or write it in Markdown; a site that trusts every editor can set `unsafe_html = true` under [content_policy] in site.toml";

/// Checks the events against the content policy, adding what it refuses to `errors`. Returns the
/// span of the first raw HTML, if there is any.
pub fn check_events(
    events: &[(Event<'_>, Range<usize>)],
    policy: Policy,
    errors: &mut Vec<LinkError>,
) -> Option<Range<usize>> {
    let mut depth: isize = 0;
    let mut first_html = None;
    let mut block: Option<(String, Range<usize>)> = None;
    let mut refuse = |span: &Range<usize>, message: String, help: &str| {
        errors.push(LinkError {
            span: span.clone(),
            message,
            help: help.into(),
        });
    };
    for (event, span) in events {
        let mut deeper = 0;
        match event {
            Event::Start(Tag::HtmlBlock) => block = Some((String::new(), span.clone())),
            Event::End(TagEnd::HtmlBlock) => {
                if let Some((html, span)) = block.take()
                    && !policy.unsafe_html
                    && is_unsafe(&html)
                {
                    let what = describe(&html);
                    refuse(
                        &span,
                        format!("raw HTML with {what}, which the content policy does not allow"),
                        POLICY_HELP,
                    );
                }
            }
            Event::Start(Tag::Heading { attrs, .. })
                if !attrs.is_empty() && !policy.any_heading_attributes =>
            {
                let names: Vec<&str> = attrs.iter().map(|(name, _)| name.as_ref()).collect();
                refuse(
                    span,
                    format!(
                        "a heading may set only an id and classes, not {}",
                        names.join(", ")
                    ),
                    "write {#id .class} after the heading, or remove the attribute; a site that needs more can set `any_heading_attributes = true` under [content_policy] in site.toml",
                );
            }
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. })
                if !policy.unsafe_html =>
            {
                if let Err(scheme) = check_url(dest_url) {
                    refuse(
                        span,
                        format!(
                            "a link to a {scheme}: URL, which the content policy does not allow"
                        ),
                        "link to an https:// address, a page of the site (@/folder/page.md), mailto: or tel:",
                    );
                }
            }
            _ => {}
        }
        match event {
            Event::Start(_) => deeper = 1,
            Event::End(_) => deeper = -1,
            Event::Html(html) | Event::InlineHtml(html) => {
                first_html.get_or_insert_with(|| span.clone());
                for change in depth_changes(html) {
                    depth += change;
                    if depth > MAX_DEPTH as isize {
                        break;
                    }
                }
                if let (Event::Html(html), Some((text, _))) = (event, &mut block) {
                    text.push_str(html);
                } else if let Event::InlineHtml(html) = event
                    && !policy.unsafe_html
                    && is_unsafe(html)
                {
                    let what = describe(html);
                    refuse(
                        span,
                        format!("raw HTML with {what}, which the content policy does not allow"),
                        POLICY_HELP,
                    );
                }
            }
            _ => {}
        }
        depth += deeper;
        if depth > MAX_DEPTH as isize {
            refuse(
                span,
                format!(
                    "{TOO_DEEP} {} levels deep (quotes, lists or HTML elements inside each other)",
                    MAX_DEPTH
                ),
                "flatten the structure: no reader follows that many levels",
            );
            return first_html;
        }
    }
    first_html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sanitiser_keeps_what_markdown_writes() {
        for html in [
            "<p>a <em>b</em> <strong>c</strong> <del>d</del> <code>e</code></p>",
            "<h2 id=\"x\" class=\"y\">T</h2>",
            "<div class=\"scroll\" tabindex=\"0\"><table><thead><tr><th style=\"text-align: left\">a</th></tr></thead><tbody><tr><td style=\"text-align: left\">b</td></tr></tbody></table></div>",
            "<ul><li><input disabled=\"\" type=\"checkbox\" checked=\"\"> done</li></ul>",
            "<p>x<sup class=\"footnote-reference\"><a href=\"#1\">1</a></sup></p><div class=\"footnote-definition\" id=\"1\"><sup class=\"footnote-definition-label\">1</sup><p>y</p></div>",
            "<p><a href=\"/en/a/#b\" title=\"t\">a</a> <img src=\"/i.png\" alt=\"i\"> <a href=\"mailto:a@b.c\">m</a></p>",
            "<details><summary>More</summary><p>text</p></details><!-- note -->",
            "<blockquote><p>q</p></blockquote><pre><code class=\"language-rust\">fn</code></pre><hr>",
        ] {
            assert!(
                !is_unsafe(html),
                "{html}\n{}\n{}",
                sanitise(html),
                permissive(html)
            );
        }
    }

    #[test]
    fn the_sanitiser_finds_scripts_frames_handlers_and_script_urls() {
        for (html, what) in [
            ("<script>alert(1)</script>", "a <script> element"),
            ("<img src=x onerror=alert(1)>", "the onerror attribute"),
            (
                "<iframe src=\"https://evil.example/\"></iframe>",
                "a <iframe> element",
            ),
            ("<object data=\"x.swf\"></object>", "a <object> element"),
            ("<a href=\"javascript:alert(1)\">x</a>", "a javascript: URL"),
            (
                "<a href=\"java\tscript:alert(1)\">x</a>",
                "a javascript: URL",
            ),
            ("<a href=\"data:text/html,<b>\">x</a>", "a data: URL"),
            ("<svg onload=alert(1)>", "a <svg> element"),
            ("<div ONCLICK='x'>a</div>", "the onclick attribute"),
        ] {
            assert!(is_unsafe(html), "{html}");
            assert_eq!(describe(html), what, "{html}");
        }
    }

    #[test]
    fn link_urls_may_use_web_mail_and_phone_schemes_only() {
        for good in [
            "/a/",
            "a.html#x",
            "#top",
            "https://x.az/?a=b:c",
            "mailto:a@b.c",
            "tel:+994",
            "a/b:c",
        ] {
            assert!(check_url(good).is_ok(), "{good}");
        }
        for (bad, scheme) in [
            ("javascript:alert(1)", "javascript"),
            (" JaVa\tScRiPt:alert(1)", "javascript"),
            ("data:text/html;base64,xx", "data"),
            ("vbscript:x", "vbscript"),
        ] {
            assert_eq!(check_url(bad), Err(scheme.to_string()), "{bad}");
        }
    }

    #[test]
    fn counts_the_depth_of_raw_html() {
        let changes: Vec<isize> =
            depth_changes("<div><p>a<br>b<img src=x/></p><span/></div><!-- x --> a < b").collect();
        assert_eq!(changes, [1, 1, -1, -1]);
    }
}
