//! Literal and variable values, walked without recursion: a value may come straight from a phone, so its
//! depth is what is being checked, and checking it must not itself recurse.

use super::Refusal;
use async_graphql_value::{ConstValue, Value};

/// A value tree: document literals ([`Value`], which may hold variables) and variables ([`ConstValue`]).
pub trait Tree: Sized {
    /// Pushes the children onto `out`.
    fn children<'a>(&'a self, out: &mut Vec<&'a Self>);
    /// The text, when this node is a string (or an enum name, which is as long as the document allows).
    fn text(&self) -> Option<&str>;
}

impl Tree for ConstValue {
    fn children<'a>(&'a self, out: &mut Vec<&'a Self>) {
        match self {
            ConstValue::List(items) => out.extend(items.iter()),
            ConstValue::Object(fields) => out.extend(fields.values()),
            _ => {}
        }
    }

    fn text(&self) -> Option<&str> {
        match self {
            ConstValue::String(s) => Some(s),
            _ => None,
        }
    }
}

impl Tree for Value {
    fn children<'a>(&'a self, out: &mut Vec<&'a Self>) {
        match self {
            Value::List(items) => out.extend(items.iter()),
            Value::Object(fields) => out.extend(fields.values()),
            _ => {}
        }
    }

    fn text(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }
}

/// What a walk saw.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Stats {
    /// Every node, the value itself included.
    pub nodes: u64,
    /// The deepest nesting; a scalar is depth 1.
    pub depth: usize,
}

/// Visits every node of `value` once, depth first, calling `visit(depth, node)`; the first refusal stops it.
pub fn walk<T: Tree>(
    value: &T,
    visit: &mut impl FnMut(usize, &T) -> Result<(), Refusal>,
) -> Result<Stats, Refusal> {
    let mut stats = Stats::default();
    let mut stack = vec![(value, 1usize)];
    let mut children = Vec::new();
    while let Some((node, depth)) = stack.pop() {
        stats.nodes = stats.nodes.saturating_add(1);
        stats.depth = stats.depth.max(depth);
        visit(depth, node)?;
        node.children(&mut children);
        stack.extend(children.drain(..).map(|child| (child, depth + 1)));
    }
    Ok(stats)
}

/// Refuses text a person cannot have typed: C0 control characters other than tab and line breaks (NUL
/// matches every row of a SQLite `LIKE` and breaks PostgreSQL text), and DEL.
pub fn check_text(text: &str) -> Result<(), Refusal> {
    if text.chars().any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r') && (c as u32) < 0x80) {
        return Err(Refusal::Input("text may not contain control characters".into()));
    }
    Ok(())
}

/// Refuses values nested deeper than `max_depth` or holding control characters.
pub fn check<T: Tree>(value: &T, max_depth: usize) -> Result<Stats, Refusal> {
    walk(value, &mut |depth, node| {
        if depth > max_depth {
            return Err(Refusal::TooDeep(format!("a value nests more than {max_depth} deep")));
        }
        node.text().map_or(Ok(()), check_text)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nested(depth: usize) -> ConstValue {
        let mut value = ConstValue::String("x".into());
        for _ in 1..depth {
            value = ConstValue::List(vec![value]);
        }
        value
    }

    #[test]
    fn measures_without_recursing() {
        let deep = nested(100_000);
        assert!(matches!(check(&deep, 32), Err(Refusal::TooDeep(_))));
        let stats = walk(&deep, &mut |_, _| Ok(())).unwrap_or_default();
        assert_eq!((stats.nodes, stats.depth), (100_000, 100_000));
        // Dropping a deep value recurses too; take it apart first, as the guard never builds one this deep.
        let mut value = deep;
        while let ConstValue::List(mut items) = value {
            value = items.pop().unwrap_or(ConstValue::Null);
        }
    }

    #[test]
    fn accepts_ordinary_values_and_refuses_control_characters() {
        assert_eq!(check(&nested(32), 32).map(|s| s.depth), Ok(32));
        assert!(check(&ConstValue::String("第一行\n第二行\t".into()), 32).is_ok());
        for bad in ["\u{0}", "a\u{1b}b", "\u{7f}"] {
            let value = ConstValue::List(vec![ConstValue::String(bad.into())]);
            assert!(matches!(check(&value, 32), Err(Refusal::Input(_))), "{bad:?}");
        }
    }
}
