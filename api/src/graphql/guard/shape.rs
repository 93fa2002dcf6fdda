//! The size a document has once every fragment spread is replaced by its fragment: what validation and
//! execution will walk. A document of a few hundred bytes can spread fragments into one another so that it
//! expands to millions of fields (each fragment spreading the next twice doubles it); the validator walks
//! every copy. Here each fragment is measured once and its size reused, so the measure itself is linear.

use async_graphql::Name;
use async_graphql::Positioned;
use async_graphql::parser::types::{
    Directive, ExecutableDocument, FragmentDefinition, OperationDefinition, Selection, SelectionSet,
};
use async_graphql_value::Value;
use std::collections::HashMap;

/// A document's size after expansion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Expanded {
    /// Fields, fragments, directives, arguments and literal values, every spread copy counted.
    pub nodes: u64,
}

/// Measures fragments once each (memoised), treating a spread inside its own expansion (a cycle, which
/// validation refuses) as empty.
pub struct Measure<'d> {
    fragments: &'d HashMap<Name, Positioned<FragmentDefinition>>,
    sizes: HashMap<&'d str, u64>,
    depths: HashMap<&'d str, usize>,
    visiting: Vec<&'d str>,
    /// Selection sets open at once, across fragments: the measure recurses, so it stops at [`MAX_DEPTH`].
    depth: usize,
}

/// Deeper than any query the depth limit lets run; a document nesting further counts as infinitely large.
const MAX_DEPTH: usize = 128;

impl<'d> Measure<'d> {
    pub fn new(doc: &'d ExecutableDocument) -> Self {
        Self {
            fragments: &doc.fragments,
            sizes: HashMap::new(),
            depths: HashMap::new(),
            visiting: Vec::new(),
            depth: 0,
        }
    }

    /// The expanded size of one operation.
    pub fn operation(&mut self, op: &'d OperationDefinition) -> Expanded {
        let defaults: u64 = op
            .variable_definitions
            .iter()
            .map(|v| 1 + v.node.default_value.as_ref().map_or(0, |d| const_value_nodes(&d.node)))
            .fold(0, u64::saturating_add);
        let nodes = defaults
            .saturating_add(directives(&op.directives))
            .saturating_add(self.selection_set(&op.selection_set));
        Expanded { nodes }
    }

    /// How deep the operation's fields nest (`{ a { b } }` is 2), fragments seen through, not counting
    /// introspection (`__schema`, `__type`): the standard introspection query nests `ofType` nine levels,
    /// and introspection is bounded by the schema, not by the client.
    pub fn depth(&mut self, op: &'d OperationDefinition) -> usize {
        self.set_depth(&op.selection_set)
    }

    fn set_depth(&mut self, set: &'d Positioned<SelectionSet>) -> usize {
        if self.depth >= MAX_DEPTH {
            return usize::MAX;
        }
        self.depth += 1;
        let mut deepest = 0usize;
        for selection in &set.node.items {
            let depth = match &selection.node {
                Selection::Field(field) if matches!(field.node.name.node.as_str(), "__schema" | "__type") => {
                    0
                }
                Selection::Field(field) => self.set_depth(&field.node.selection_set).saturating_add(1),
                Selection::InlineFragment(inline) => self.set_depth(&inline.node.selection_set),
                Selection::FragmentSpread(spread) => {
                    self.fragment_depth(spread.node.fragment_name.node.as_str())
                }
            };
            deepest = deepest.max(depth);
        }
        self.depth -= 1;
        deepest
    }

    fn fragment_depth(&mut self, name: &'d str) -> usize {
        if let Some(depth) = self.depths.get(name) {
            return *depth;
        }
        if self.visiting.contains(&name) {
            return 0;
        }
        let Some(fragment) = self.fragments.get(name) else { return 0 };
        self.visiting.push(name);
        let depth = self.set_depth(&fragment.node.selection_set);
        self.visiting.pop();
        self.depths.insert(name, depth);
        depth
    }

    fn fragment(&mut self, name: &'d str) -> u64 {
        if let Some(size) = self.sizes.get(name) {
            return *size;
        }
        if self.visiting.contains(&name) {
            return 0;
        }
        let Some(fragment) = self.fragments.get(name) else { return 0 };
        self.visiting.push(name);
        let size = 1u64
            .saturating_add(directives(&fragment.node.directives))
            .saturating_add(self.selection_set(&fragment.node.selection_set));
        self.visiting.pop();
        self.sizes.insert(name, size);
        size
    }

    fn selection_set(&mut self, set: &'d Positioned<SelectionSet>) -> u64 {
        if self.depth >= MAX_DEPTH {
            return u64::MAX;
        }
        self.depth += 1;
        let total = self.selections(set);
        self.depth -= 1;
        total
    }

    fn selections(&mut self, set: &'d Positioned<SelectionSet>) -> u64 {
        let mut total = 0u64;
        for selection in &set.node.items {
            let size = match &selection.node {
                Selection::Field(field) => {
                    let field = &field.node;
                    let arguments: u64 = field
                        .arguments
                        .iter()
                        .map(|(_, v)| 1 + value_nodes(&v.node))
                        .fold(0, u64::saturating_add);
                    1u64.saturating_add(arguments)
                        .saturating_add(directives(&field.directives))
                        .saturating_add(self.selection_set(&field.selection_set))
                }
                Selection::InlineFragment(inline) => 1u64
                    .saturating_add(directives(&inline.node.directives))
                    .saturating_add(self.selection_set(&inline.node.selection_set)),
                Selection::FragmentSpread(spread) => 1u64
                    .saturating_add(directives(&spread.node.directives))
                    .saturating_add(self.fragment(spread.node.fragment_name.node.as_str())),
            };
            total = total.saturating_add(size);
        }
        total
    }

    /// The root fields `op` selects, with spread fragments expanded (aliases and repeats counted), to count
    /// credential checks per request.
    pub fn root_fields(&self, op: &'d OperationDefinition) -> Vec<&'d str> {
        let mut names = Vec::new();
        let mut stack: Vec<(&'d SelectionSet, usize)> = vec![(&op.selection_set.node, 0)];
        while let Some((set, depth)) = stack.pop() {
            // Fragments nest at most as deep as the document; a cycle is cut off here, validation refuses it.
            if depth > 64 || names.len() > 10_000 {
                break;
            }
            for selection in &set.items {
                match &selection.node {
                    Selection::Field(field) => names.push(field.node.name.node.as_str()),
                    Selection::InlineFragment(inline) => {
                        stack.push((&inline.node.selection_set.node, depth + 1))
                    }
                    Selection::FragmentSpread(spread) => {
                        if let Some(fragment) = self.fragments.get(&spread.node.fragment_name.node) {
                            stack.push((&fragment.node.selection_set.node, depth + 1));
                        }
                    }
                }
            }
        }
        names
    }
}

fn directives(list: &[Positioned<Directive>]) -> u64 {
    list.iter()
        .map(|d| {
            let arguments: u64 =
                d.node.arguments.iter().map(|(_, v)| 1 + value_nodes(&v.node)).fold(0, u64::saturating_add);
            1u64.saturating_add(arguments)
        })
        .fold(0, u64::saturating_add)
}

/// Nodes of a literal value, counted without recursion.
fn value_nodes(value: &Value) -> u64 {
    let mut count = 0u64;
    let mut stack = vec![value];
    while let Some(v) = stack.pop() {
        count = count.saturating_add(1);
        match v {
            Value::List(items) => stack.extend(items.iter()),
            Value::Object(fields) => stack.extend(fields.values()),
            _ => {}
        }
    }
    count
}

fn const_value_nodes(value: &async_graphql_value::ConstValue) -> u64 {
    super::values::walk(value, &mut |_, _| Ok(())).map_or(u64::MAX, |stats| stats.nodes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use async_graphql::parser::parse_query;

    fn expanded(query: &str) -> u64 {
        let doc = parse_query(query).unwrap_or_else(|e| panic!("{e}"));
        let mut measure = Measure::new(&doc);
        doc.operations.iter().map(|(_, op)| measure.operation(&op.node).nodes).sum()
    }

    #[test]
    fn counts_fields_arguments_and_values() {
        assert_eq!(expanded("{ a }"), 1);
        assert_eq!(expanded("{ a { b c } }"), 3);
        // field + argument + list + two items
        assert_eq!(expanded("{ a(x: [1, 2]) }"), 5);
    }

    #[test]
    fn fragments_count_once_per_spread_and_are_measured_once() {
        // Each fragment spreads the next twice: 2^n copies of the last one, measured in n steps.
        let n = 60;
        let mut query = String::from("query { ...F0 }");
        for i in 0..n {
            query.push_str(&format!(" fragment F{i} on Query {{ ...F{} ...F{} }}", i + 1, i + 1));
        }
        query.push_str(&format!(" fragment F{n} on Query {{ __typename }}"));
        let started = std::time::Instant::now();
        assert!(expanded(&query) > 1 << 60);
        assert!(started.elapsed() < std::time::Duration::from_secs(1));
    }

    #[test]
    fn long_fragment_chains_are_infinitely_large() {
        let mut query = String::from("query { ...F0 }");
        for i in 0..10_000 {
            query.push_str(&format!(" fragment F{i} on Query {{ ...F{} }}", i + 1));
        }
        assert_eq!(expanded(&query), u64::MAX);
    }

    #[test]
    fn depth_sees_through_fragments_and_skips_introspection() {
        let depth = |query: &str| {
            let doc = parse_query(query).unwrap_or_else(|e| panic!("{e}"));
            let mut measure = Measure::new(&doc);
            doc.operations.iter().map(|(_, op)| measure.depth(&op.node)).max().unwrap_or(0)
        };
        assert_eq!(depth("{ a }"), 1);
        assert_eq!(depth("{ a { b { c } } d }"), 3);
        assert_eq!(depth("{ a { ...F } } fragment F on A { b { ... on B { c } } }"), 3);
        assert_eq!(depth("{ __schema { types { fields { type { ofType { ofType { name } } } } } } }"), 0);
        assert_eq!(depth("{ ...A } fragment A on Query { a { ...A } }"), 1);
    }

    #[test]
    fn cycles_do_not_loop() {
        assert!(expanded("{ ...A } fragment A on Query { a ...B } fragment B on Query { b ...A }") < 10);
    }

    #[test]
    fn root_fields_see_through_fragments_and_aliases() {
        let doc = parse_query("mutation { a: login b: login ...F } fragment F on Mutation { login logout }")
            .unwrap_or_else(|e| panic!("{e}"));
        let measure = Measure::new(&doc);
        let Some((_, op)) = doc.operations.iter().next() else { panic!("no operation") };
        let mut names = measure.root_fields(&op.node);
        names.sort_unstable();
        assert_eq!(names, ["login", "login", "login", "logout"]);
    }
}
