//! Circles of UI strings: messages and terms that refer to themselves, directly or through
//! others, found when a Fluent file is loaded (rather than once per page that formats one).

use fluent_bundle::FluentResource;
use fluent_syntax::ast;

use crate::error::Diagnostic;
use crate::source::SourceText;

/// Messages and terms that refer to themselves, directly or through others: formatting one would
/// fail on every page that shows it. Each circle is reported once, at the line of the message
/// that closes it.
pub fn cycles(resource: &FluentResource, source: &SourceText) -> Vec<Diagnostic> {
    use std::collections::BTreeMap;
    let mut refers: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for entry in resource.entries() {
        let (name, patterns): (String, Vec<&ast::Pattern<&str>>) = match entry {
            ast::Entry::Message(m) => (
                m.id.name.to_string(),
                m.value
                    .iter()
                    .chain(m.attributes.iter().map(|a| &a.value))
                    .collect(),
            ),
            ast::Entry::Term(t) => (
                format!("-{}", t.id.name),
                std::iter::once(&t.value)
                    .chain(t.attributes.iter().map(|a| &a.value))
                    .collect(),
            ),
            _ => continue,
        };
        let mut found = Vec::new();
        for pattern in patterns {
            pattern_refs(pattern, &mut found);
        }
        refers.insert(name, found);
    }
    let refers: BTreeMap<String, Vec<(String, ())>> = refers
        .into_iter()
        .map(|(name, to)| (name, to.into_iter().map(|t| (t, ())).collect()))
        .collect();
    let mut problems = Vec::new();
    crate::graph::circles(&refers, |chain, current, ()| {
        let offset = definition(&source.text, current);
        problems.push(
            Diagnostic::error(format!(
                "UI strings refer to each other in a circle: {}",
                chain.join(" → ")
            ))
            .in_file(&source.path)
            .at_span(&source.text, offset..offset + current.len())
            .with_help("a message cannot contain itself: write the text out in one of them"),
        );
    });
    problems
}

/// Where the message or term `name` is defined in `text` (the start of its line).
fn definition(text: &str, name: &str) -> usize {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if let Some(rest) = line.strip_prefix(name)
            && rest.trim_start().starts_with('=')
        {
            return offset;
        }
        offset += line.len();
    }
    0
}

/// The messages (`name`) and terms (`-name`) a pattern refers to.
fn pattern_refs(pattern: &ast::Pattern<&str>, found: &mut Vec<String>) {
    for element in &pattern.elements {
        if let ast::PatternElement::Placeable { expression } = element {
            expression_refs(expression, found);
        }
    }
}

fn expression_refs(expression: &ast::Expression<&str>, found: &mut Vec<String>) {
    match expression {
        ast::Expression::Select { selector, variants } => {
            inline_refs(selector, found);
            for variant in variants {
                pattern_refs(&variant.value, found);
            }
        }
        ast::Expression::Inline(inline) => inline_refs(inline, found),
    }
}

fn inline_refs(inline: &ast::InlineExpression<&str>, found: &mut Vec<String>) {
    use ast::InlineExpression as I;
    let arguments = |args: &ast::CallArguments<&str>, found: &mut Vec<String>| {
        for a in &args.positional {
            inline_refs(a, found);
        }
        for a in &args.named {
            inline_refs(&a.value, found);
        }
    };
    match inline {
        I::MessageReference { id, .. } => found.push(id.name.to_string()),
        I::TermReference {
            id,
            arguments: args,
            ..
        } => {
            found.push(format!("-{}", id.name));
            if let Some(args) = args {
                arguments(args, found);
            }
        }
        I::FunctionReference {
            arguments: args, ..
        } => arguments(args, found),
        I::Placeable { expression } => expression_refs(expression, found),
        I::StringLiteral { .. } | I::NumberLiteral { .. } | I::VariableReference { .. } => {}
    }
}
