//! The XSS fixture (issue 12): quotes, `</script>`, `<script>`, `onerror=`, `javascript:` and
//! template syntax in every kind of field (site.toml, front matter, service and agency texts)
//! and in Markdown (text, code, link titles, image alts, headings, allowed raw HTML). It builds
//! under the default content policy; every HTML file is parsed with an HTML5 parser (html5ever,
//! as browsers parse) and no script, handler or `javascript:` URL survives.

mod common;

use std::cell::RefCell;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

/// An element as the HTML5 tokenizer reads it: name, attributes, and for `<script>` its text.
type Element = (String, Vec<(String, String)>, String);

/// Collects start tags, switching to script data inside `<script>` and to raw text inside
/// `<style>`, `<textarea>` and `<title>`, as the tree builder tells a browser's tokenizer to.
#[derive(Default)]
struct Tags {
    found: RefCell<Vec<Element>>,
    in_script: RefCell<bool>,
}

impl TokenSink for Tags {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        use html5ever::tokenizer::states::RawKind;
        match token {
            Token::TagToken(tag) if tag.kind == TagKind::StartTag => {
                let name = tag.name.to_string();
                let attrs = tag
                    .attrs
                    .iter()
                    .map(|a| (a.name.local.to_string(), a.value.to_string()))
                    .collect();
                self.found
                    .borrow_mut()
                    .push((name.clone(), attrs, String::new()));
                match name.as_str() {
                    "script" => {
                        *self.in_script.borrow_mut() = true;
                        return TokenSinkResult::RawData(RawKind::ScriptData);
                    }
                    "style" => return TokenSinkResult::RawData(RawKind::Rawtext),
                    "textarea" | "title" => return TokenSinkResult::RawData(RawKind::Rcdata),
                    _ => {}
                }
            }
            Token::TagToken(tag) if tag.kind == TagKind::EndTag && &*tag.name == "script" => {
                *self.in_script.borrow_mut() = false;
            }
            Token::CharacterTokens(text) if *self.in_script.borrow() => {
                if let Some(last) = self.found.borrow_mut().last_mut() {
                    last.2.push_str(&text);
                }
            }
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

/// Every element of `html`, as an HTML5 parser reads it.
fn elements(html: &str) -> Vec<Element> {
    let tokenizer = Tokenizer::new(Tags::default(), TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink.found.take()
}

#[test]
fn no_script_handler_or_javascript_url_survives_in_any_page() {
    let output = common::build("xss");
    let mut pages = 0;
    for (path, bytes) in &output.files {
        if !path.ends_with(".html") {
            continue;
        }
        pages += 1;
        let html = String::from_utf8(bytes.to_vec()).unwrap();
        for (name, attrs, text) in &elements(&html) {
            if name == "script" {
                // The theme's own script files (the 404 page's hand-over to a language) are
                // files of this site, loaded by src, with no text.
                let own_file = attrs.iter().any(|(k, v)| {
                    k == "src"
                        && v.starts_with('/')
                        && !v.starts_with("//")
                        && output.files.contains_key(v.trim_start_matches('/'))
                }) && text.trim().is_empty();
                if own_file {
                    continue;
                }
                // Otherwise the only script is JSON-LD, and it is data: it parses as JSON whole.
                assert!(
                    attrs
                        .iter()
                        .any(|(k, v)| k == "type" && v == "application/ld+json"),
                    "{path}: a <script> survives: {attrs:?} {text}"
                );
                assert!(
                    serde_json::from_str::<serde_json::Value>(text).is_ok(),
                    "{path}: the JSON-LD was broken out of: {text}"
                );
            }
            assert!(
                !["iframe", "object", "embed"].contains(&name.as_str()),
                "{path}: <{name}> survives"
            );
            for (key, value) in attrs {
                assert!(
                    !key.starts_with("on"),
                    "{path}: a handler survives: <{name} {key}={value:?}>"
                );
                let squeezed: String = value
                    .chars()
                    .filter(|c| !c.is_ascii_whitespace() && !c.is_control())
                    .collect::<String>()
                    .to_ascii_lowercase();
                if ["href", "src", "action", "formaction", "srcset", "content"]
                    .contains(&key.as_str())
                {
                    assert!(
                        !squeezed.starts_with("javascript:")
                            && !squeezed.contains("url=javascript:"),
                        "{path}: a javascript: URL survives: <{name} {key}={value:?}>"
                    );
                }
            }
        }
    }
    assert!(pages > 20, "the fixture builds its pages: {pages}");
    // The hostile text is shown as text, not dropped.
    let guide = common::page(&output, "en/stay/guide/index.html");
    assert!(
        [
            "&lt;script>alert(1)",
            "&lt;script&gt;alert(1)",
            "&LTscript>alert(1)"
        ]
        .iter()
        .any(|shown| guide.contains(shown)),
        "{guide}"
    );
}
