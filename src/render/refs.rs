//! The references a template makes, read from its tags: its parent, its includes, the components
//! it defines and whether it calls any.

use std::ops::Range;

/// What a template refers to, read from its tags: Tera 2 does not expose its templates' parents
/// or includes, so karvan finds them itself
/// (for what each render reads, and to locate errors).
#[derive(Default)]
pub struct Refs {
    /// `{% extends "..." %}`: the parent and where its name is written.
    pub extends: Option<(String, Range<usize>)>,
    /// Every `{% include "..." %}` (Tera takes only a literal name).
    pub includes: Vec<(String, Range<usize>)>,
    /// The components it defines, `{% component name(...) %}`, and where each name is written.
    pub components: Vec<(String, Range<usize>)>,
    /// Calls a component: `{{ <name ... /> }}` or `{% <name> %}`.
    pub calls_components: bool,
}

impl Refs {
    /// Scans every `{%` and `{{` tag. Text that only looks like a tag (in a comment or a raw
    /// block) can add a reference, never hide one: a render may be said to read a template too many.
    pub fn of(text: &str) -> Refs {
        let mut refs = Refs::default();
        let mut from = 0;
        while let Some(found) = text[from..].find('{') {
            let open = from + found;
            from = open + 1;
            let kind = text.as_bytes().get(open + 1).copied();
            if kind != Some(b'%') && kind != Some(b'{') {
                continue;
            }
            let rest = text[open + 2..].trim_start_matches('-').trim_start();
            let at = text.len() - rest.len();
            if rest.starts_with('<') {
                refs.calls_components = true;
                continue;
            }
            if kind != Some(b'%') {
                continue;
            }
            let word = rest
                .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                .next()
                .unwrap_or("");
            match word {
                "component" => {
                    let after = rest[word.len()..].trim_start();
                    let start = text.len() - after.len();
                    let name = after
                        .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.'))
                        .next()
                        .unwrap_or("");
                    if !name.is_empty() {
                        refs.components
                            .push((name.to_string(), start..start + name.len()));
                    }
                }
                "extends" => refs.extends = refs.extends.take().or(quoted(text, at + word.len())),
                "include" => refs.includes.extend(quoted(text, at + word.len())),
                _ => {}
            }
        }
        refs
    }
}

/// The quoted name that follows `from` in `text`, and where the name is.
fn quoted(text: &str, from: usize) -> Option<(String, Range<usize>)> {
    let rest = text[from..].trim_start();
    let start = text.len() - rest.len() + 1;
    let quote = rest
        .chars()
        .next()
        .filter(|c| matches!(c, '"' | '\'' | '`'))?;
    let end = rest[1..].find(quote)?;
    Some((rest[1..1 + end].to_string(), start..start + end))
}
