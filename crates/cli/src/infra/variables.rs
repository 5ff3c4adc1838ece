//! Terraform values known before the apply: literals (heredocs without interpolation
//! among them), `var.x` with a known value (a default, a `.tfvars` file, `--var-file`, a
//! module call's argument), `local.x`, `each.key` and `each.value` of an instance whose
//! `for_each` is known, `toset` of known values, string templates of those, and the
//! conditionals, `!`, `==`, `!=`, `<`, `<=`, `>`, `>=`, `&&` and `||` of known operands
//! (`count = var.create ? 1 : 0`). Everything else is unknown.

use std::cell::Cell;
use std::collections::HashMap;
use std::rc::Rc;

use hcl_edit::expr::{
    BinaryOp, BinaryOperator, Expression, Object, ObjectKey, TraversalOperator, UnaryOperator,
};
use hcl_edit::template::{Directive, Element, Strip, Template};

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

    /// The value as a condition: a boolean, or the strings `true`, `false`, `1` and `0`,
    /// which Terraform converts; `None` for anything else.
    fn truth(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            Value::String(s) if s == "true" || s == "1" => Some(true),
            Value::String(s) if s == "false" || s == "0" => Some(false),
            _ => None,
        }
    }

    /// The value's size, counted as one a value and one a byte of text, if it is at most
    /// `limit`: counting stops there, so that it costs no more than `limit`.
    pub fn weight_within(&self, limit: u64) -> Option<u64> {
        let own = match self {
            Value::Number(t) | Value::String(t) | Value::Partial(t) => 1 + t.len() as u64,
            Value::List(items) => {
                let mut total = 1u64;
                for item in items {
                    total += item.weight_within(limit.checked_sub(total)?)?;
                }
                total
            }
            Value::Map(entries) => {
                let mut total = 1u64;
                for (key, item) in entries {
                    total += key.len() as u64;
                    total += item.weight_within(limit.checked_sub(total)?)?;
                }
                total
            }
            Value::Null | Value::Bool(_) | Value::Unknown => 1,
        };
        (own <= limit).then_some(own)
    }

    /// The value as a number: a number, or a string holding one, which Terraform converts.
    fn number(&self) -> Option<f64> {
        match self {
            Value::Number(n) | Value::String(n) => n.parse().ok().filter(|n: &f64| n.is_finite()),
            _ => None,
        }
    }

    /// Terraform's `==` of two known values, where the answer does not hang on types this
    /// reader does not track: `None` for a string beside a number or a boolean (a variable's
    /// `type` may have converted either) and for lists and maps (a `list(string)` is never
    /// equal to the tuple `[]`, though both are empty); numbers compare by value (`1 == 1.0`).
    fn equals(&self, other: &Value) -> Option<bool> {
        match (self, other) {
            (Value::Number(a), Value::Number(b)) => Some(
                a == b || matches!((self.number(), other.number()), (Some(x), Some(y)) if x == y),
            ),
            (Value::String(_), Value::Number(_) | Value::Bool(_))
            | (Value::Number(_) | Value::Bool(_), Value::String(_)) => None,
            (Value::List(_) | Value::Map(_), _) | (_, Value::List(_) | Value::Map(_)) => None,
            _ => Some(self == other),
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

/// A variable's primitive `type`: Terraform converts the value it is given to it (`"0"` to
/// the number 0 for `type = number`) before any expression reads it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PrimitiveType {
    /// `string`.
    String,
    /// `number`.
    Number,
    /// `bool`.
    Bool,
}

impl PrimitiveType {
    /// The type `expression` names, if a primitive one.
    pub fn of(expression: &Expression) -> Option<PrimitiveType> {
        match expression {
            Expression::Variable(name) => match name.as_str() {
                "string" => Some(PrimitiveType::String),
                "number" => Some(PrimitiveType::Number),
                "bool" => Some(PrimitiveType::Bool),
                _ => None,
            },
            _ => None,
        }
    }

    /// `value` converted as Terraform converts it; unknown where Terraform refuses it.
    fn convert(self, value: Value) -> Value {
        match (self, value) {
            (_, value @ (Value::Null | Value::Unknown)) => value,
            (PrimitiveType::String, Value::Number(n)) => Value::String(n),
            (PrimitiveType::String, Value::Bool(b)) => Value::String(b.to_string()),
            (PrimitiveType::String, value @ (Value::String(_) | Value::Partial(_))) => value,
            (PrimitiveType::Number, Value::Number(n)) => Value::Number(n),
            (PrimitiveType::Number, Value::String(s)) => match s.parse::<f64>() {
                Ok(n) if n.is_finite() && n.fract() == 0.0 && n.abs() < 1e15 => {
                    Value::Number(format!("{n}"))
                }
                Ok(n) if n.is_finite() => Value::Number(s),
                _ => Value::Unknown,
            },
            (PrimitiveType::Bool, Value::Bool(b)) => Value::Bool(b),
            (PrimitiveType::Bool, value @ Value::String(_)) => {
                value.truth().map_or(Value::Unknown, Value::Bool)
            }
            _ => Value::Unknown,
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
    /// What is left to copy out of variables and locals, shared by the scope's copies.
    pub budget: Budget,
}

/// How much the evaluation of a module may copy out of its variables and locals, counted as
/// [`Value::weight_within`] counts: locals that each double the one before
/// (`[local.a, local.a]`, forty times) would otherwise grow past any memory. It grows with
/// the module's text, for what a module copies grows with the references it writes; past
/// it, a reference is unknown (D300).
#[derive(Clone, Debug)]
pub struct Budget(Rc<Cell<u64>>);

/// What any module's evaluation may copy: a few hundred megabytes at most.
pub const BASE_COPIED_WEIGHT: u64 = 4 * 1024 * 1024;

/// What each byte of a module's text adds: a resource of some hundred bytes may copy a map
/// of twenty tags of long keys and values, a few thousand units.
pub const COPIED_WEIGHT_PER_BYTE: u64 = 32;

/// The most one value may weigh (a local, an argument, a list or map being built, a
/// template's text), and all of a module's locals together: past it, unknown.
pub const MAX_VALUE_WEIGHT: u64 = 4 * 1024 * 1024;

impl Budget {
    /// The budget of a module whose `.tf` text is `source_bytes` long.
    pub fn for_source(source_bytes: usize) -> Budget {
        let weight = (source_bytes as u64)
            .saturating_mul(COPIED_WEIGHT_PER_BYTE)
            .saturating_add(BASE_COPIED_WEIGHT);
        Budget(Rc::new(Cell::new(weight)))
    }
}

impl Default for Budget {
    fn default() -> Budget {
        Budget::for_source(0)
    }
}

impl Scope {
    /// Converts each variable of a primitive `type` (`types`) as Terraform converts the
    /// value it is given.
    pub fn convert_variables(&mut self, types: &[(String, PrimitiveType)]) {
        for (name, kind) in types {
            if let Some(value) = self.variables.remove(name) {
                self.variables.insert(name.clone(), kind.convert(value));
            }
        }
    }

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
                let mut items = Vec::new();
                let mut weight = 0;
                for element in array.iter() {
                    let item = self.evaluate(element);
                    match item.weight_within(MAX_VALUE_WEIGHT - weight) {
                        Some(w) => weight += w,
                        None => return Value::Unknown,
                    }
                    items.push(item);
                }
                Value::List(items)
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
                let mut current: Option<&Value> = match (root.as_str(), name.as_str(), &self.each) {
                    ("var", name, _) => self.variables.get(name),
                    ("local", name, _) => self.locals.get(name),
                    ("each", "key", Some((key, _))) => {
                        // A string: nothing below it.
                        return match operators.next() {
                            None => Value::String(key.clone()),
                            Some(_) => Value::Unknown,
                        };
                    }
                    ("each", "value", Some((_, value))) => Some(value),
                    _ => None,
                };
                // Walked by reference: only what is reached is copied.
                for operator in operators {
                    current = match (operator.value(), current) {
                        (TraversalOperator::GetAttr(key), Some(Value::Map(items))) => {
                            lookup(items, key.as_str())
                        }
                        (TraversalOperator::Index(index), Some(Value::Map(items))) => {
                            match self.evaluate(index) {
                                Value::String(key) => lookup(items, &key),
                                _ => None,
                            }
                        }
                        (TraversalOperator::Index(index), Some(Value::List(items))) => {
                            match self.evaluate(index) {
                                Value::Number(n) => {
                                    n.parse::<usize>().ok().and_then(|i| items.get(i))
                                }
                                _ => None,
                            }
                        }
                        (TraversalOperator::LegacyIndex(index), Some(Value::List(items))) => {
                            usize::try_from(*index.value())
                                .ok()
                                .and_then(|i| items.get(i))
                        }
                        _ => None,
                    };
                }
                current.map_or(Value::Unknown, |value| self.copy(value))
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

    /// A comparison or a logical operator, as Terraform computes it: `==` and `!=` of known
    /// operands of comparable types (see [`Value::equals`]), orderings of numbers (or strings
    /// holding them), and `&&` and `||`, which give their answer as soon as one operand
    /// decides it (`false && anything` is false, as Terraform 1.12 and OpenTofu 1.10
    /// short-circuit, and as cty answers for an unknown operand). Arithmetic is not
    /// evaluated.
    fn binary(&self, op: &BinaryOp) -> Value {
        let (lhs, rhs) = (self.evaluate(&op.lhs_expr), self.evaluate(&op.rhs_expr));
        let answer = match op.operator.value() {
            BinaryOperator::And => match (lhs.truth(), rhs.truth()) {
                (Some(false), _) | (_, Some(false)) => Some(false),
                (Some(true), Some(true)) => Some(true),
                _ => None,
            },
            BinaryOperator::Or => match (lhs.truth(), rhs.truth()) {
                (Some(true), _) | (_, Some(true)) => Some(true),
                (Some(false), Some(false)) => Some(false),
                _ => None,
            },
            _ if !lhs.is_known() || !rhs.is_known() => None,
            BinaryOperator::Eq => lhs.equals(&rhs),
            BinaryOperator::NotEq => lhs.equals(&rhs).map(|equal| !equal),
            BinaryOperator::Less => numbers(&lhs, &rhs).map(|(a, b)| a < b),
            BinaryOperator::LessEq => numbers(&lhs, &rhs).map(|(a, b)| a <= b),
            BinaryOperator::Greater => numbers(&lhs, &rhs).map(|(a, b)| a > b),
            BinaryOperator::GreaterEq => numbers(&lhs, &rhs).map(|(a, b)| a >= b),
            BinaryOperator::Plus
            | BinaryOperator::Minus
            | BinaryOperator::Mul
            | BinaryOperator::Div
            | BinaryOperator::Mod => None,
        };
        answer.map_or(Value::Unknown, Value::Bool)
    }

    /// A copy of `value`, paid for out of the budget; unknown when it does not fit in what
    /// is left. Counting a value that does not fit costs up to what is left, so a refused
    /// copy halves the budget: refusals cost at most twice the budget in all, and smaller
    /// copies may still fit.
    fn copy(&self, value: &Value) -> Value {
        let left = self.budget.0.get();
        match value.weight_within(left.min(MAX_VALUE_WEIGHT)) {
            Some(weight) => {
                self.budget.0.set(left - weight);
                value.clone()
            }
            None => {
                self.budget.0.set(left / 2);
                Value::Unknown
            }
        }
    }

    /// The entries of an object constructor, in source order: each key's text when it is
    /// known (`None` when not), each value as evaluated.
    /// Past [`MAX_VALUE_WEIGHT`] in all, the values left are unknown.
    pub fn object_entries(&self, object: &Object) -> Vec<(Option<String>, Value)> {
        let mut weight = 0;
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
                let mut value = if weight < MAX_VALUE_WEIGHT {
                    self.evaluate(value.expr())
                } else {
                    Value::Unknown
                };
                match value.weight_within(MAX_VALUE_WEIGHT.saturating_sub(weight)) {
                    Some(w) => weight += w,
                    None => {
                        weight = MAX_VALUE_WEIGHT;
                        value = Value::Unknown;
                    }
                }
                (key, value)
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
        // `${~` and `%{~` strip the whitespace of the literal before them, `~}` that of the
        // literal after.
        // Where the last literal starts in `text`, when the last element was one.
        let mut after_literal: Option<usize> = None;
        let mut strip_next = false;
        for element in template.iter() {
            let strip = match element {
                Element::Literal(literal) => {
                    let literal = literal.value();
                    after_literal = Some(text.len());
                    text.push_str(if strip_next {
                        literal.trim_start()
                    } else {
                        literal
                    });
                    strip_next = false;
                    continue;
                }
                Element::Interpolation(interpolation) => interpolation.strip,
                Element::Directive(directive) => match &**directive {
                    Directive::If(d) => d.if_expr.strip,
                    Directive::For(d) => d.for_expr.strip,
                },
            };
            if let Some(start) = after_literal {
                if matches!(strip, Strip::Start | Strip::Both) {
                    let kept = text[start..].trim_end().len();
                    text.truncate(start + kept);
                }
            }
            (after_literal, strip_next) = (None, matches!(strip, Strip::End | Strip::Both));
            let Element::Interpolation(interpolation) = element else {
                return partial(text, None);
            };
            match self.evaluate(&interpolation.expr) {
                Value::Partial(start) => return partial(text, Some(&start)),
                value => match value.as_sent() {
                    Some(part) => text.push_str(&part),
                    None => return partial(text, None),
                },
            }
            if text.len() as u64 > MAX_VALUE_WEIGHT {
                return Value::Unknown;
            }
        }
        Value::String(text)
    }
}

/// Both operands as numbers, for an ordering.
fn numbers(lhs: &Value, rhs: &Value) -> Option<(f64, f64)> {
    Some((lhs.number()?, rhs.number()?))
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

/// The value of the first entry `key` of a map.
fn lookup<'v>(items: &'v [(String, Value)], key: &str) -> Option<&'v Value> {
    items.iter().find(|(k, _)| k == key).map(|(_, v)| v)
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
        assert_eq!(eval("7.0 == var.days"), Value::Bool(true));
        assert_eq!(eval("var.env == null"), Value::Bool(false));
        assert_eq!(eval("\"1\" ? \"a\" : \"b\""), Value::String("a".into()));
        assert_eq!(eval("\"0\" ? \"a\" : \"b\""), Value::String("b".into()));
        // What a variable's `type` may have converted, and collections (a `list(string)` is
        // never equal to the tuple `[]`), are not compared.
        assert_eq!(eval("\"7\" == var.days"), Value::Unknown);
        assert_eq!(eval("\"true\" == true"), Value::Unknown);
        assert_eq!(eval("var.tags == { team = \"db\" }"), Value::Unknown);
        assert_eq!(eval("[1, var.env] != []"), Value::Unknown);
        // `&&` and `||` answer as soon as one operand decides.
        assert_eq!(
            eval("false && alicloud_disk.a.id == \"x\""),
            Value::Bool(false)
        );
        assert_eq!(eval("alicloud_disk.a.ok || true"), Value::Bool(true));
        assert_eq!(eval("true && alicloud_disk.a.ok"), Value::Unknown);
        assert_eq!(eval("var.days + 1"), Value::Unknown);
        assert_eq!(eval("var.days ? 1 : 0"), Value::Unknown);
        assert_eq!(eval("[var.nope] == [1]"), Value::Unknown);
    }

    #[test]
    fn strip_markers_strip_the_literals_beside_them() {
        assert_eq!(
            eval("\"nightly ${~ var.env ~} -x\""),
            Value::String("nightlyprod-x".into())
        );
        assert_eq!(
            eval("\"nightly ${~ timestamp()}\""),
            Value::Partial("nightly".into())
        );
        assert_eq!(eval("\"a ${var.env} b\""), Value::String("a prod b".into()));
        // Only the literal beside the marker is stripped, not an interpolation before it.
        let mut spaced = scope();
        spaced
            .variables
            .insert("pad".into(), Value::String("x ".into()));
        let expression = hcl_edit::parser::parse_expr("\"${var.pad} ${~var.env}\"").unwrap();
        assert_eq!(spaced.evaluate(&expression), Value::String("x prod".into()));
        assert_eq!(
            eval("\"a %{~ if var.nope}x%{endif}\""),
            Value::Partial("a".into())
        );
    }

    /// Locals that each double the one before are cut off by the budget, in bounded time
    /// and memory, not grown until the memory runs out.
    #[test]
    fn copies_of_values_stop_at_the_budget() {
        let mut scope = Scope::default();
        scope
            .locals
            .insert("l0".into(), Value::String("x".repeat(1024)));
        scope
            .locals
            .insert("s0".into(), Value::String("x".repeat(1024)));
        for i in 1..=40 {
            for (name, text) in [
                ("l", format!("[local.l{0}, local.l{0}]", i - 1)),
                ("s", format!("\"${{local.s{0}}}${{local.s{0}}}\"", i - 1)),
            ] {
                let expression = hcl_edit::parser::parse_expr(&text).unwrap();
                let value = scope.evaluate(&expression);
                scope.locals.insert(format!("{name}{i}"), value);
            }
        }
        assert!(scope.budget.0.get() < BASE_COPIED_WEIGHT / 2);
        assert_eq!(scope.locals["s40"], Value::Unknown);
        assert!(scope.locals["l40"].weight_within(64).is_some());
        // A copy that does not fit halves what is left; a smaller one may still fit.
        let mut scope = Scope {
            budget: Budget(Rc::new(Cell::new(100))),
            ..Scope::default()
        };
        scope
            .locals
            .insert("big".into(), Value::String("x".repeat(200)));
        scope
            .locals
            .insert("small".into(), Value::String("x".repeat(9)));
        let big = hcl_edit::parser::parse_expr("local.big").unwrap();
        let small = hcl_edit::parser::parse_expr("local.small").unwrap();
        assert_eq!(scope.evaluate(&big), Value::Unknown);
        assert_eq!(scope.budget.0.get(), 50);
        assert_eq!(scope.evaluate(&small), Value::String("x".repeat(9)));
        assert_eq!(scope.budget.0.get(), 40);
        // A module's budget grows with its text.
        assert_eq!(Scope::default().budget.0.get(), BASE_COPIED_WEIGHT);
        assert_eq!(
            Budget::for_source(1000).0.get(),
            BASE_COPIED_WEIGHT + 1000 * COPIED_WEIGHT_PER_BYTE
        );
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
