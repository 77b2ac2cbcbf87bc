//! Circles in a graph of named things: UI strings that refer to each other, templates that
//! include each other, components that call each other.

use std::collections::{BTreeMap, BTreeSet};

/// Finds every circle of the graph whose nodes are the keys of `edges` (an edge to a name that
/// is not a key leads nowhere), by one depth-first search that visits each node once. For each
/// circle, `found` gets the names along it (the first and the last the same), the node whose edge
/// closes it, and that edge's data (where it is written, for the error).
pub fn circles<E>(
    edges: &BTreeMap<String, Vec<(String, E)>>,
    mut found: impl FnMut(&[&str], &str, &E),
) {
    let mut done: BTreeSet<&str> = BTreeSet::new();
    for start in edges.keys() {
        if done.contains(start.as_str()) {
            continue;
        }
        // The path from `start`, with the edges still to follow of each node on it.
        let mut path: Vec<(&str, Vec<&(String, E)>)> =
            vec![(start.as_str(), edges[start].iter().collect())];
        while let Some((current, pending)) = path.last_mut() {
            let current: &str = current;
            let Some((next, data)) = pending.pop() else {
                done.insert(current);
                path.pop();
                continue;
            };
            if let Some(at) = path.iter().position(|(n, _)| n == next) {
                let mut chain: Vec<&str> = path[at..].iter().map(|(n, _)| *n).collect();
                chain.push(next);
                found(&chain, current, data);
                continue;
            }
            let Some((name, next_edges)) = edges.get_key_value(next) else {
                continue;
            };
            if !done.contains(name.as_str()) {
                path.push((name.as_str(), next_edges.iter().collect()));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph(list: &[(&str, &[&str])]) -> BTreeMap<String, Vec<(String, ())>> {
        list.iter()
            .map(|(n, to)| {
                (
                    n.to_string(),
                    to.iter().map(|t| (t.to_string(), ())).collect(),
                )
            })
            .collect()
    }

    fn all(g: &BTreeMap<String, Vec<(String, ())>>) -> Vec<String> {
        let mut out = Vec::new();
        circles(g, |chain, closing, _| {
            out.push(format!("{} (at {closing})", chain.join(">")))
        });
        out
    }

    #[test]
    fn finds_each_circle_once_and_ignores_what_leads_nowhere() {
        assert_eq!(all(&graph(&[("a", &["a"])])), ["a>a (at a)"]);
        assert_eq!(
            all(&graph(&[("a", &["b"]), ("b", &["c", "x"]), ("c", &["a"])])),
            ["a>b>c>a (at c)"]
        );
        assert!(all(&graph(&[("a", &["b", "c"]), ("b", &["c"]), ("c", &[])])).is_empty());
    }
}
