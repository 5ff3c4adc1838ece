//! Terraform values known before the apply: literals (heredocs without interpolation
//! among them), `var.x` with a known value (a default, a `.tfvars` file, `--var-file`, a
//! module call's argument), `local.x`, `each.key` and `each.value` of an instance whose
//! `for_each` is known, `toset` of known values, and string templates of those. Everything
//! else is unknown.

use std::collections::HashMap;

use hcl_edit::expr::{Expression, Object, ObjectKey, TraversalOperator};
use hcl_edit::template::{Element, Template};

/// A value known before the apply, in the shapes a snapshot's arguments take.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// `null`: as if the argument were not set.
    Null,
    /// A boolean.
    Bool(bool),
    /// A number, in the text Terraform would send (`30`, `1.5`).
    Number(String),
    /// A string.
    String(String),
    /// A list or tuple.
    List(Vec<Value>),
    /// A map or object, in source order.
    Map(Vec<(String, Value)>),
    /// Not known before the apply.
    Unknown,
}

impl Value {
    /// The value as the provider sends a primitive: strings as they are, numbers and
    /// booleans as text; `None` for anything else.
    pub fn as_sent(&self) -> Option<String> {
        match self {
            Value::Bool(b) => Some(b.to_string()),
            Value::Number(n) => Some(n.clone()),
            Value::String(s) => Some(s.clone()),
            _ => None,
        }
    }

    /// A value from JSON (a `.tfvars.json` file, a plan, Terraform's JSON syntax).
    pub fn from_json(json: &serde_json::Value) -> Value {
        // serde_json refuses documents deeper than 128 levels, which bounds this recursion.
        match json {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(*b),
            serde_json::Value::Number(n) => Value::Number(n.to_string()),
            serde_json::Value::String(s) => Value::String(s.clone()),
            serde_json::Value::Array(items) => {
                Value::List(items.iter().map(Value::from_json).collect())
            }
            serde_json::Value::Object(map) => Value::Map(
                map.iter()
                    .map(|(k, v)| (k.clone(), Value::from_json(v)))
                    .collect(),
            ),
        }
    }
}

/// The names a module's expressions can refer to with known values.
#[derive(Clone, Debug, Default)]
pub struct Scope {
    /// `var.NAME`.
    pub variables: HashMap<String, Value>,
    /// `local.NAME`.
    pub locals: HashMap<String, Value>,
    /// `each.key` and `each.value`, in an instance of a resource whose `for_each` is known.
    pub each: Option<(String, Value)>,
}

impl Scope {
    /// The value of `expression` in this scope.
    pub fn evaluate(&self, expression: &Expression) -> Value {
        match expression {
            Expression::Null(_) => Value::Null,
            Expression::Bool(b) => Value::Bool(*b.value()),
            Expression::Number(n) => Value::Number(n.value().to_string()),
            Expression::String(s) => Value::String(s.value().clone()),
            Expression::StringTemplate(template) => self.template(template),
            Expression::Parenthesis(inner) => self.evaluate(inner.inner()),
            Expression::Array(array) => {
                Value::List(array.iter().map(|e| self.evaluate(e)).collect())
            }
            Expression::Object(object) => {
                let mut items = Vec::new();
                for (key, value) in self.object_entries(object) {
                    let Some(key) = key else {
                        return Value::Unknown;
                    };
                    items.push((key, value));
                }
                Value::Map(items)
            }
            Expression::Traversal(traversal) => {
                let Expression::Variable(root) = &traversal.expr else {
                    return Value::Unknown;
                };
                let mut operators = traversal.operators.iter();
                let Some(TraversalOperator::GetAttr(name)) = operators.next().map(|o| o.value())
                else {
                    return Value::Unknown;
                };
                let mut value = match (root.as_str(), name.as_str(), &self.each) {
                    ("var", name, _) => self.variables.get(name).cloned(),
                    ("local", name, _) => self.locals.get(name).cloned(),
                    ("each", "key", Some((key, _))) => Some(Value::String(key.clone())),
                    ("each", "value", Some((_, value))) => Some(value.clone()),
                    _ => None,
                }
                .unwrap_or(Value::Unknown);
                for operator in operators {
                    value = match (operator.value(), value) {
                        (TraversalOperator::GetAttr(key), Value::Map(items)) => {
                            lookup(items, key.as_str())
                        }
                        (TraversalOperator::Index(index), Value::Map(items)) => {
                            match self.evaluate(index) {
                                Value::String(key) => lookup(items, &key),
                                _ => Value::Unknown,
                            }
                        }
                        (TraversalOperator::Index(index), Value::List(items)) => {
                            match self.evaluate(index) {
                                Value::Number(n) => n
                                    .parse::<usize>()
                                    .ok()
                                    .and_then(|i| items.into_iter().nth(i))
                                    .unwrap_or(Value::Unknown),
                                _ => Value::Unknown,
                            }
                        }
                        (TraversalOperator::LegacyIndex(index), Value::List(items)) => {
                            usize::try_from(*index.value())
                                .ok()
                                .and_then(|i| items.into_iter().nth(i))
                                .unwrap_or(Value::Unknown)
                        }
                        _ => Value::Unknown,
                    };
                }
                value
            }
            Expression::HeredocTemplate(heredoc) => literal(&heredoc.template),
            Expression::FuncCall(call)
                if call.name.namespace.is_empty()
                    && call.name.name.as_str() == "toset"
                    && call.args.len() == 1 =>
            {
                match call.args.iter().next().map(|a| self.evaluate(a)) {
                    Some(Value::List(items)) => set_of_strings(items),
                    _ => Value::Unknown,
                }
            }
            // References to resources, `each`, `count`, functions, conditionals, for
            // expressions and operators: not evaluated.
            _ => Value::Unknown,
        }
    }

    /// The entries of an object constructor, in source order: each key's text when it is
    /// known (`None` when not), each value as evaluated.
    pub fn object_entries(&self, object: &Object) -> Vec<(Option<String>, Value)> {
        object
            .iter()
            .map(|(key, value)| {
                let key = match key {
                    ObjectKey::Ident(ident) => Some(ident.as_str().to_owned()),
                    ObjectKey::Expression(expression) => match self.evaluate(expression) {
                        Value::String(s) | Value::Number(s) => Some(s),
                        Value::Bool(b) => Some(b.to_string()),
                        _ => None,
                    },
                };
                (key, self.evaluate(value.expr()))
            })
            .collect()
    }

    /// A template of literals and known interpolations, concatenated; unknown when any part
    /// is, or when it has a directive.
    pub fn template(&self, template: &Template) -> Value {
        let mut text = String::new();
        for element in template.iter() {
            match element {
                Element::Literal(literal) => text.push_str(literal.value()),
                Element::Interpolation(interpolation) => {
                    match self.evaluate(&interpolation.expr).as_sent() {
                        Some(part) => text.push_str(&part),
                        None => return Value::Unknown,
                    }
                }
                Element::Directive(_) => return Value::Unknown,
            }
        }
        Value::String(text)
    }
}

/// `toset(LIST)` of known primitives, as Terraform makes it for `for_each`: strings, each
/// once, in lexical order.
fn set_of_strings(items: Vec<Value>) -> Value {
    let mut strings = Vec::with_capacity(items.len());
    for item in &items {
        match item.as_sent() {
            Some(text) => strings.push(text),
            None => return Value::Unknown,
        }
    }
    strings.sort();
    strings.dedup();
    Value::List(strings.into_iter().map(Value::String).collect())
}

/// A heredoc's text when it is all literal (the parser has already stripped the
/// indentation `<<-` strips); unknown when it interpolates or has a directive, as a heredoc
/// that computes its text is not judged.
fn literal(template: &Template) -> Value {
    let mut text = String::new();
    for element in template.iter() {
        match element {
            Element::Literal(literal) => text.push_str(literal.value()),
            Element::Interpolation(_) | Element::Directive(_) => return Value::Unknown,
        }
    }
    Value::String(text)
}

fn lookup(items: Vec<(String, Value)>, key: &str) -> Value {
    items
        .into_iter()
        .find(|(k, _)| k == key)
        .map_or(Value::Unknown, |(_, v)| v)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scope() -> Scope {
        let mut scope = Scope::default();
        scope
            .variables
            .insert("env".into(), Value::String("prod".into()));
        scope
            .variables
            .insert("days".into(), Value::Number("7".into()));
        scope.variables.insert(
            "tags".into(),
            Value::Map(vec![("team".into(), Value::String("db".into()))]),
        );
        scope
            .locals
            .insert("prefix".into(), Value::String("nightly".into()));
        scope
    }

    fn eval(text: &str) -> Value {
        scope().evaluate(&hcl_edit::parser::parse_expr(text).unwrap())
    }

    #[test]
    fn literals_variables_locals_and_templates_of_them_are_known() {
        assert_eq!(eval("\"a\""), Value::String("a".into()));
        assert_eq!(eval("30"), Value::Number("30".into()));
        assert_eq!(eval("true"), Value::Bool(true));
        assert_eq!(eval("var.days"), Value::Number("7".into()));
        assert_eq!(
            eval("\"${local.prefix}-${var.env}\""),
            Value::String("nightly-prod".into())
        );
        assert_eq!(eval("var.tags.team"), Value::String("db".into()));
        assert_eq!(eval("var.tags[\"team\"]"), Value::String("db".into()));
        assert_eq!(eval("(var.env)"), Value::String("prod".into()));
        assert_eq!(
            eval("toset([\"b\", \"a\", \"b\", var.env])"),
            Value::List(vec![
                Value::String("a".into()),
                Value::String("b".into()),
                Value::String("prod".into())
            ])
        );
        assert_eq!(eval("toset([alicloud_disk.a.id])"), Value::Unknown);
        let mut each = scope();
        each.each = Some((
            "orders".into(),
            Value::Map(vec![("size".into(), Value::Number("20".into()))]),
        ));
        let expression =
            hcl_edit::parser::parse_expr("\"${each.key}-${each.value.size}\"").unwrap();
        assert_eq!(
            each.evaluate(&expression),
            Value::String("orders-20".into())
        );
    }

    #[test]
    fn references_functions_and_missing_variables_are_unknown() {
        assert_eq!(eval("alicloud_disk.data.id"), Value::Unknown);
        assert_eq!(eval("var.nope"), Value::Unknown);
        assert_eq!(eval("upper(var.env)"), Value::Unknown);
        assert_eq!(eval("\"${each.key}-x\""), Value::Unknown);
        assert_eq!(eval("var.env == \"prod\" ? 1 : 2"), Value::Unknown);
        assert_eq!(eval("count.index"), Value::Unknown);
        assert_eq!(eval("<<EOT\n${var.env}\nEOT"), Value::Unknown);
    }

    #[test]
    fn a_heredoc_without_interpolation_is_a_literal_its_indentation_stripped_by_dash() {
        assert_eq!(
            eval("<<EOT\n  http://a\n   b\nEOT"),
            Value::String("  http://a\n   b\n".into())
        );
        assert_eq!(
            eval("<<-EOT\n    http://a\n     b\n  EOT"),
            Value::String("http://a\n b\n".into())
        );
    }
}
