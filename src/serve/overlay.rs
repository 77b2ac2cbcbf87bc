//! What `serve` adds to the HTML it answers with, and only there (the built site never has it):
//! a small script that reloads the page when a rebuild is complete, and the overlay that shows
//! why the last rebuild failed.
//!
//! The script listens to the server-sent events of [`EVENTS_PATH`]: `reload` reloads the page;
//! `error` carries the overlay's HTML and shows it on top of the page. It sends the version of
//! the build the page came from, so a page served just before a rebuild finished reloads as soon
//! as it connects.

use std::fmt::Write as _;

use crate::error::Diagnostics;

/// The server-sent-events endpoint.
pub const EVENTS_PATH: &str = "/__karvan/events";

/// The `id` of the overlay's element; the script replaces an overlay already on the page.
const OVERLAY_ID: &str = "karvan-overlay";

/// The script injected before `</body>`, for a page of build `version`.
pub fn script(version: &str) -> String {
    format!(
        "<script>/* karvan serve */(()=>{{\
const s=new EventSource(\"{EVENTS_PATH}?v={version}\");\
s.addEventListener(\"reload\",()=>location.reload());\
s.addEventListener(\"error\",e=>{{if(e.data==null)return;\
document.getElementById(\"{OVERLAY_ID}\")?.remove();\
document.body.insertAdjacentHTML(\"beforeend\",e.data)}})}})()</script>"
    )
}

/// The overlay showing the errors of a failed build: each with its file, line, column, the line
/// itself and the help, as the terminal shows them. `serving_last_good` says whether the page
/// under it is the last good build or there is none yet.
pub fn render(diagnostics: &Diagnostics, serving_last_good: bool) -> String {
    let errors: Vec<_> = diagnostics.errors().collect();
    let shown: Vec<_> = if errors.is_empty() {
        diagnostics.0.iter().collect()
    } else {
        errors
    };
    let mut html = format!(
        "<div id=\"{OVERLAY_ID}\" role=\"alert\" lang=\"en\" dir=\"ltr\" style=\"position:fixed;\
inset:0;z-index:2147483647;overflow:auto;margin:0;padding:1.5rem;box-sizing:border-box;\
background:rgba(24,24,27,.96);color:#f4f4f5;text-align:left;\
font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace\">\
<button type=\"button\" aria-label=\"Close\" onclick=\"this.parentNode.remove()\" \
style=\"float:right;font:inherit;font-size:1.5rem;line-height:1;background:none;border:0;\
color:inherit;cursor:pointer\">×</button>\
<p style=\"margin:0 0 1rem;font-weight:bold\">{}</p>",
        if serving_last_good {
            "The site did not build; this is the last good build. \
             Fix the file and save: the page reloads by itself."
        } else {
            "The site does not build yet. Fix the file and save: the page reloads by itself."
        }
    );
    for diagnostic in shown {
        let text = diagnostic.to_string();
        let (first, rest) = text.split_once('\n').unwrap_or((&text, ""));
        let _ = write!(
            html,
            "<pre style=\"margin:0 0 1.25rem;padding:0;white-space:pre-wrap;font:inherit;\
color:inherit;background:none\"><strong style=\"color:{}\">{}</strong>\n{}</pre>",
            if diagnostic.is_error() {
                "#fca5a5"
            } else {
                "#fcd34d"
            },
            crate::escape::html(first),
            crate::escape::html(rest.trim_end())
        );
    }
    html.push_str("</div>");
    html
}

/// A page for when nothing has built yet: the overlay and the script, nothing else.
pub fn empty_page(overlay: &str, version: &str) -> String {
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
<title>karvan: the site does not build</title></head><body>{overlay}{}</body></html>",
        script(version)
    )
}

/// `html` with `extra` inserted before its last `</body>`, or at its end when it has none
/// (minified pages may leave it out).
pub fn inject(html: &[u8], extra: &str) -> Vec<u8> {
    const CLOSE: &[u8] = b"</body";
    let at = html
        .windows(CLOSE.len())
        .rposition(|w| w.eq_ignore_ascii_case(CLOSE))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + extra.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(extra.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

/// A server-sent event: `event: <name>`, then `data` line by line.
pub fn sse_event(name: &str, data: &str) -> String {
    let mut event = format!("event: {name}\n");
    for line in data.lines() {
        let _ = writeln!(event, "data: {line}");
    }
    if data.is_empty() {
        event.push_str("data:\n");
    }
    event.push('\n');
    event
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Diagnostic;

    #[test]
    fn injects_before_the_last_closing_body_tag_whatever_its_case() {
        assert_eq!(
            inject(b"<p>a</p></BODY></html>", "<s>"),
            b"<p>a</p><s></BODY></html>"
        );
        assert_eq!(
            inject(b"<p>a</body>b</body>", "<s>"),
            b"<p>a</body>b<s></body>"
        );
    }

    #[test]
    fn appends_to_a_page_without_a_closing_body_tag() {
        assert_eq!(inject(b"<p>minified", "<s>"), b"<p>minified<s>");
    }

    #[test]
    fn the_overlay_escapes_everything_it_shows() {
        let diagnostics = Diagnostics::from(
            Diagnostic::error("unknown key `<script>`")
                .in_file("content/en/a&b.md")
                .at_span("title = \"<img onerror=x>\"\n", 8..24)
                .with_help("remove \"it\""),
        );
        let html = render(&diagnostics, true);
        assert!(!html.contains("<script>"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("unknown key `&lt;script&gt;`"), "{html}");
        assert!(html.contains("content/en/a&amp;b.md:1:9"), "{html}");
        assert!(
            html.contains("title = &quot;&lt;img onerror=x&gt;&quot;"),
            "{html}"
        );
        assert!(html.contains("help: remove &quot;it&quot;"), "{html}");
        assert!(html.contains("last good build"), "{html}");
    }

    #[test]
    fn an_event_with_several_lines_sends_each_as_data() {
        assert_eq!(
            sse_event("error", "a\nb"),
            "event: error\ndata: a\ndata: b\n\n"
        );
        assert_eq!(sse_event("reload", ""), "event: reload\ndata:\n\n");
    }
}
