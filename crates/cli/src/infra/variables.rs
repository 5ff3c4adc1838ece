//! Terraform values known before the apply: literals (heredocs without interpolation
//! among them), `var.x` with a known value (a default, a `.tfvars` file, `--var-file`, a
//! module call's argument), `local.x`, `each.key` and `each.value` of an instance whose
//! `for_each` is known, `toset` of known values, string templates of those, and the
//! conditionals, `!`, `==`, `!=`, `<`, `<=`, `>`, `>=`, `&&` and `||` of known operands
//! (`count = var.create ? 1 : 0`). Everything else is unknown.

use std::collections::HashMap;

use hcl_edit::expr::{
    BinaryOp, BinaryOperator, Expression, Object, ObjectKey, TraversalOperator, UnaryOperator,
};
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
    /// A string known only in its start: a template whose first unknown part follows some
    /// text (`"auto-${timestamp()}"` is `auto-`).
    Partial(String),
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

    /// Whether nothing in the value is unknown.
    fn is_known(&self) -> bool {
        match self {
            Value::Unknown | Value::Partial(_) => false,
            Value::List(items) => items.iter().all(Value::is_known),
            Value::Map(entries) => entries.iter().all(|(_, v)| v.is_known()),
            Value::Null | Value::Bool(_) | Value::Number(_) | Value::String(_) => true,
        }
    }

    /// The value as a condition: a boolean, or the strings `true` and `false`, which
    /// Terraform converts; `None` for anything else.
    fn truth(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            Value::String(s) if s == "true" => Some(true),
            Value::String(s) if s == "false" => Some(false),
            _ => None,
        }
    }

    /// The value as a number: a number, or a string holding one, which Terraform converts.
    fn number(&self) -> Option<f64> {
        match self {
            Value::Number(n) | Value::String(n) => n.parse().ok().filter(|n: &f64| n.is_finite()),
            _ => None,
        }
    }

    /// Terraform's `==` of two known values: the same type and the same value (numbers by
    /// value, so `1 == 1.0`).
    fn equals(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Number(a), Value::Number(b)) => {
                a == b || matches!((self.number(), other.number()), (Some(x), Some(y)) if x == y)
            }
            (Value::List(a), Value::List(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.equals(y))
            }
            (Value::Map(a), Value::Map(b)) => {
                // By key, through an index: a map of n entries costs n, not n².
                let b: HashMap<&str, &Value> = b.iter().map(|(k, v)| (k.as_str(), v)).collect();
                let a: HashMap<&str, &Value> = a.iter().map(|(k, v)| (k.as_str(), v)).collect();
                a.len() == b.len() && a.iter().all(|(k, x)| b.get(k).is_some_and(|y| x.equals(y)))
            }
            _ => self == other,
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
            Expression::Conditional(conditional) => {
                match self.evaluate(&conditional.cond_expr).truth() {
                    Some(true) => self.evaluate(&conditional.true_expr),
                    Some(false) => self.evaluate(&conditional.false_expr),
                    None => Value::Unknown,
                }
            }
            Expression::UnaryOp(op) if *op.operator.value() == UnaryOperator::Not => self
                .evaluate(&op.expr)
                .truth()
                .map_or(Value::Unknown, |b| Value::Bool(!b)),
            Expression::BinaryOp(op) => self.binary(op),
            // References to resources, `count`, other functions, for expressions, negation
            // and arithmetic: not evaluated.
            _ => Value::Unknown,
        }
    }

    /// A comparison or a logical operator of known operands, as Terraform computes it: `==`
    /// and `!=` compare type and value (`1 == "1"` is false), the others take numbers or
    /// booleans. Unknown when an operand is (`&&` and `||` do not short-circuit over an
    /// unknown operand), and for arithmetic.
    fn binary(&self, op: &BinaryOp) -> Value {
        let (lhs, rhs) = (self.evaluate(&op.lhs_expr), self.evaluate(&op.rhs_expr));
        if !lhs.is_known() || !rhs.is_known() {
            return Value::Unknown;
        }
        let numbers = || Some((lhs.number()?, rhs.number()?));
        let truths = || Some((lhs.truth()?, rhs.truth()?));
        let answer = match op.operator.value() {
            BinaryOperator::Eq => Some(lhs.equals(&rhs)),
            BinaryOperator::NotEq => Some(!lhs.equals(&rhs)),
            BinaryOperator::Less => numbers().map(|(a, b)| a < b),
            BinaryOperator::LessEq => numbers().map(|(a, b)| a <= b),
            BinaryOperator::Greater => numbers().map(|(a, b)| a > b),
            BinaryOperator::GreaterEq => numbers().map(|(a, b)| a >= b),
            BinaryOperator::And => truths().map(|(a, b)| a && b),
            BinaryOperator::Or => truths().map(|(a, b)| a || b),
            BinaryOperator::Plus
            | BinaryOperator::Minus
            | BinaryOperator::Mul
            | BinaryOperator::Div
            | BinaryOperator::Mod => None,
        };
        answer.map_or(Value::Unknown, Value::Bool)
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

    /// A template of literals and known interpolations, concatenated; from its first part
    /// that is not known (an interpolation, a directive), known only in the text before it
    /// (`Partial`), or unknown when there is none.
    pub fn template(&self, template: &Template) -> Value {
        let mut text = String::new();
        let partial = |mut text: String, rest: Option<&str>| {
            text.push_str(rest.unwrap_or_default());
            if text.is_empty() {
                Value::Unknown
            } else {
                Value::Partial(text)
            }
        };
        for element in template.iter() {
            match element {
                Element::Literal(literal) => text.push_str(literal.value()),
                Element::Interpolation(interpolation) => match self.evaluate(&interpolation.expr) {
                    Value::Partial(start) => return partial(text, Some(&start)),
                    value => match value.as_sent() {
                        Some(part) => text.push_str(&part),
                        None => return partial(text, None),
                    },
                },
                Element::Directive(_) => return partial(text, None),
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
        assert_eq!(eval("alicloud_disk.a.size > 20 ? 1 : 2"), Value::Unknown);
        assert_eq!(eval("var.nope ? 1 : 2"), Value::Unknown);
        assert_eq!(eval("count.index"), Value::Unknown);
        assert_eq!(eval("<<EOT\n${var.env}\nEOT"), Value::Unknown);
    }

    #[test]
    fn conditionals_and_operators_of_known_operands_are_known() {
        let n = |text: &str| Value::Number(text.into());
        assert_eq!(eval("var.env == \"prod\" ? 1 : 0"), n("1"));
        assert_eq!(eval("var.env != \"prod\" ? 1 : 0"), n("0"));
        assert_eq!(eval("!(var.env == \"prod\") ? 1 : 0"), n("0"));
        assert_eq!(eval("\"true\" ? \"a\" : \"b\""), Value::String("a".into()));
        assert_eq!(eval("var.days > 5 && var.days <= 7"), Value::Bool(true));
        assert_eq!(eval("var.days < 5 || var.days >= 8"), Value::Bool(false));
        assert_eq!(eval("\"7\" == var.days"), Value::Bool(false));
        assert_eq!(eval("7.0 == var.days"), Value::Bool(true));
        assert_eq!(eval("var.tags == { team = \"db\" }"), Value::Bool(true));
        assert_eq!(eval("[1, var.env] == [1, \"prod\"]"), Value::Bool(true));
        // An unknown operand leaves the answer unknown, even where it could not matter.
        assert_eq!(eval("false && alicloud_disk.a.id == \"x\""), Value::Unknown);
        assert_eq!(eval("var.days + 1"), Value::Unknown);
        assert_eq!(eval("var.days ? 1 : 0"), Value::Unknown);
        assert_eq!(eval("[var.nope] == [1]"), Value::Unknown);
    }

    #[test]
    fn a_template_not_known_past_its_start_keeps_the_start() {
        let partial = |text: &str| Value::Partial(text.into());
        assert_eq!(eval("\"auto-${timestamp()}\""), partial("auto-"));
        assert_eq!(eval("\"${var.env}-${var.nope}-x\""), partial("prod-"));
        assert_eq!(eval("\"a-%{if var.nope}b%{endif}\""), partial("a-"));
        // A start that is itself partial carries on; nothing known is unknown.
        let mut scope = scope();
        scope
            .locals
            .insert("stamp".into(), Value::Partial("nightly-".into()));
        let expression = hcl_edit::parser::parse_expr("\"${local.stamp}x\"").unwrap();
        assert_eq!(scope.evaluate(&expression), partial("nightly-"));
        assert_eq!(eval("\"${var.nope}-x\""), Value::Unknown);
        assert_eq!(eval("\"auto-${var.nope}\" == \"auto-x\""), Value::Unknown);
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
