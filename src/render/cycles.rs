//! Circles of templates: includes and parents that lead back to themselves, and components
//! that call themselves. Tera 2 would recurse until the stack overflows on the first page that
//! reaches one; found when the templates are loaded, each is an error at the tag that closes it.

use std::collections::{BTreeMap, BTreeSet};

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
    let mut problems = Vec::new();
    let mut done: BTreeSet<String> = BTreeSet::new();
    for start in sources.keys() {
        if done.contains(start) {
            continue;
        }
        // Depth-first, with the path from `start` and the next edge to follow of each.
        let mut path: Vec<(String, Named)> = vec![(start.clone(), edges(start))];
        while let Some((current, pending)) = path.last_mut() {
            let Some((next, span)) = pending.pop() else {
                done.insert(current.clone());
                path.pop();
                continue;
            };
            let current = current.clone();
            if let Some(at) = path.iter().position(|(n, _)| *n == next) {
                let mut chain: Vec<&str> = path[at..].iter().map(|(n, _)| n.as_str()).collect();
                chain.push(&next);
                let source = &sources[&current];
                problems.push(
                    Diagnostic::error(format!(
                        "templates include each other in a circle: {}",
                        chain.join(" → ")
                    ))
                    .in_file(&source.path)
                    .at_span(&source.text, span)
                    .with_help("rendering would never end: remove one of these includes"),
                );
                continue;
            }
            if done.contains(&next) || !sources.contains_key(&next) {
                continue;
            }
            let next_edges = edges(&next);
            path.push((next, next_edges));
        }
    }
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
    let mut problems = Vec::new();
    let mut done: BTreeSet<&str> = BTreeSet::new();
    for start in calls.keys() {
        let mut path: Vec<(&str, Named)> = vec![(start.as_str(), calls[start].1.clone())];
        while let Some((current, pending)) = path.last_mut() {
            let current: &str = current;
            let Some((next, span)) = pending.pop() else {
                done.insert(current);
                path.pop();
                continue;
            };
            if let Some(at) = path.iter().position(|(n, _)| *n == next) {
                let mut chain: Vec<&str> = path[at..].iter().map(|(n, _)| *n).collect();
                chain.push(&next);
                let source = calls[current].0;
                problems.push(
                    Diagnostic::error(format!(
                        "components call each other in a circle: {}",
                        chain.join(" → ")
                    ))
                    .in_file(&source.path)
                    .at_span(&source.text, span)
                    .with_help("rendering would never end: a component cannot call itself, even under a condition"),
                );
                continue;
            }
            let Some((name, (_, next_calls))) = calls.get_key_value(&next) else {
                continue;
            };
            if done.contains(name.as_str()) {
                continue;
            }
            path.push((name.as_str(), next_calls.clone()));
        }
    }
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
