//! Circles of templates: includes and parents that lead back to themselves, and components
//! that call themselves. Tera 2 would recurse until the stack overflows on the first page that
//! reaches one; found when the templates are loaded, each is an error at the tag that closes it.

use std::collections::BTreeMap;

use super::refs::Refs;
use crate::error::Diagnostic;
use crate::source::SourceText;

/// Names a template refers to (templates, components), each with where it is written.
type Named = Vec<(String, std::ops::Range<usize>)>;

/// Templates that include or extend themselves, directly or through others: rendering one
/// would never end. Each cycle is reported once, at the tag that closes it.
pub(super) fn include_cycles(sources: &BTreeMap<String, SourceText>) -> Vec<Diagnostic> {
    let refs: BTreeMap<&str, Refs> = sources
        .iter()
        .map(|(name, source)| (name.as_str(), Refs::of(&source.text)))
        .collect();
    let edges = |name: &str| -> Named {
        refs.get(name).map_or_else(Vec::new, |r| {
            r.extends.iter().chain(&r.includes).cloned().collect()
        })
    };
    let graph: BTreeMap<String, Named> = sources
        .keys()
        .map(|name| (name.clone(), edges(name)))
        .collect();
    let mut problems = Vec::new();
    crate::graph::circles(&graph, |chain, current, span| {
        let source = &sources[current];
        problems.push(
            Diagnostic::error(format!(
                "templates include each other in a circle: {}",
                chain.join(" → ")
            ))
            .in_file(&source.path)
            .at_span(&source.text, span.clone())
            .with_help("rendering would never end: remove one of these includes"),
        );
    });
    problems
}

/// Components that call themselves, directly or through others. Tera has no limit on the
/// depth of component calls, so such a circle overflows the stack on the first page that
/// reaches it (even if a condition would end it, a mistake in the condition crashes the build):
/// refused, at the call that closes it.
pub(super) fn component_cycles(sources: &BTreeMap<String, SourceText>) -> Vec<Diagnostic> {
    // Component name → (file, calls it makes with where each is written).
    let mut calls: BTreeMap<String, (&SourceText, Named)> = BTreeMap::new();
    for source in sources.values() {
        let text = &source.text;
        for (name, span) in Refs::of(text).components {
            let body_end = text[span.end..]
                .find("endcomponent")
                .map_or(text.len(), |i| span.end + i);
            calls.insert(name, (source, component_calls(text, span.end..body_end)));
        }
    }
    let graph: BTreeMap<String, Named> = calls
        .iter()
        .map(|(name, (_, named))| (name.clone(), named.clone()))
        .collect();
    let mut problems = Vec::new();
    crate::graph::circles(&graph, |chain, current, span| {
        let source = calls[current].0;
        problems.push(
            Diagnostic::error(format!(
                "components call each other in a circle: {}",
                chain.join(" → ")
            ))
            .in_file(&source.path)
            .at_span(&source.text, span.clone())
            .with_help(
                "rendering would never end: a component cannot call itself, even under a condition",
            ),
        );
    });
    problems
}

/// The components called in `text[range]` (`{{ <name ... /> }}`, `{% <name> %}`), with where
/// each name is written.
fn component_calls(text: &str, range: std::ops::Range<usize>) -> Named {
    let mut found = Vec::new();
    let mut from = range.start;
    while let Some(i) = text[from..range.end].find('{') {
        let open = from + i;
        from = open + 1;
        if !matches!(text.as_bytes().get(open + 1), Some(b'{' | b'%')) {
            continue;
        }
        let rest = text[open + 2..range.end]
            .trim_start_matches('-')
            .trim_start();
        let Some(after) = rest.strip_prefix('<') else {
            continue;
        };
        let start = range.end - after.len();
        let name: String = after
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if !name.is_empty() {
            found.push((name.clone(), start..start + name.len()));
        }
    }
    found
}
