//! Which instances of a resource Terraform creates, from its `count` and `for_each` when
//! their values are known: none for `count = 0` or an empty `for_each`; one per key of a
//! known `for_each` map or set, with `each.key` and `each.value` known; else the block is
//! judged once, as written.

use super::variables::Value;

/// The most instances a `for_each` is expanded into; past it the block is judged once, as
/// written, so that a hostile map of keys times a map of tags cannot cost their product.
pub const MAX_INSTANCES: usize = 256;

/// The instances of one resource block.
#[derive(Clone, Debug, PartialEq)]
pub enum Instances {
    /// No meta-argument, a `count` other than 0, or one whose value is not known: the block
    /// is judged once, as written.
    Block,
    /// `count = 0`, or `for_each` over an empty collection: nothing is created.
    None,
    /// `for_each` over a known map (each key with its value) or set (each string is both).
    Each(Vec<(String, Value)>),
}

/// The instances that `count` and `for_each`, as evaluated, make.
pub fn instances(count: Option<&Value>, for_each: Option<&Value>) -> Instances {
    // A string that is a number counts as that number, as Terraform converts it.
    if let Some(Value::Number(n) | Value::String(n)) = count {
        if n.parse::<f64>().is_ok_and(|n| n == 0.0) {
            return Instances::None;
        }
    }
    match for_each {
        Some(Value::Map(entries)) => {
            // Terraform keys instances by the map's keys, in lexical order, each once.
            let mut entries = entries.clone();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            entries.dedup_by(|later, earlier| {
                let same = later.0 == earlier.0;
                if same {
                    // The last value written for a key is the one kept.
                    std::mem::swap(&mut later.1, &mut earlier.1);
                }
                same
            });
            each_or_none(entries)
        }
        Some(Value::List(items)) => {
            let mut keys = Vec::with_capacity(items.len());
            for item in items {
                match item {
                    Value::String(s) => keys.push((s.clone(), item.clone())),
                    _ => return Instances::Block,
                }
            }
            each_or_none(keys)
        }
        _ => Instances::Block,
    }
}

fn each_or_none(entries: Vec<(String, Value)>) -> Instances {
    match entries.len() {
        0 => Instances::None,
        n if n > MAX_INSTANCES => Instances::Block,
        _ => Instances::Each(entries),
    }
}

/// `["key"]`, an instance's key in its address, quoted as Terraform writes it.
pub fn key_suffix(key: &str) -> String {
    let mut out = String::with_capacity(key.len() + 4);
    out.push_str("[\"");
    for c in key.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push_str("\"]");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Value {
        Value::String(s.into())
    }

    #[test]
    fn count_zero_and_empty_for_each_make_none_known_for_each_one_per_key() {
        let zero = Value::Number("0".into());
        assert_eq!(instances(Some(&zero), None), Instances::None);
        assert_eq!(
            instances(Some(&Value::Number("2".into())), None),
            Instances::Block
        );
        assert_eq!(instances(Some(&Value::Unknown), None), Instances::Block);
        assert_eq!(
            instances(None, Some(&Value::Map(Vec::new()))),
            Instances::None
        );
        assert_eq!(instances(None, Some(&Value::Unknown)), Instances::Block);
        let map = Value::Map(vec![
            ("b".into(), text("2")),
            ("a".into(), text("1")),
            ("b".into(), text("3")),
        ]);
        assert_eq!(
            instances(None, Some(&map)),
            Instances::Each(vec![("a".into(), text("1")), ("b".into(), text("3"))])
        );
        let set = Value::List(vec![text("x")]);
        assert_eq!(
            instances(None, Some(&set)),
            Instances::Each(vec![("x".into(), text("x"))])
        );
        assert_eq!(key_suffix("a\"b"), "[\"a\\\"b\"]");
        let many = Value::List((0..=MAX_INSTANCES).map(|n| text(&n.to_string())).collect());
        assert_eq!(instances(None, Some(&many)), Instances::Block);
    }
}
