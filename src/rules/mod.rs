//! The stateless rules: what the API can tell from a request alone. Each parameter is judged
//! by the constraint the parameter table declares for it, in the table's order
//! (`docs/DECISIONS.md`, D1), then the rules that span parameters; and the warnings, what the
//! API accepts but a caller most likely did not mean.

mod letters;
pub mod patterns;
mod suggest;
mod tags;
mod text;
mod warnings;

use std::ops::ControlFlow;

use crate::catalogue::{ApiError, ErrorCode};
use crate::request::{CreateSnapshotRequest, Parameter, Rule, Slot, Value, Visit};

pub use suggest::did_you_mean;
pub use tags::too_many_tags;
pub use warnings::{warnings, Warning, WarningKind};

/// Judges a request by every rule that needs nothing but the request, and returns the first
/// failure, in the order of `docs/DECISIONS.md` (D1).
///
/// No heap allocation, unless it refuses with a message or parameter name filled in at run
/// time: `QuotaExceed.Tags` (the count), `InvalidParameter` (the name), and a tag error for
/// an N outside 1 to 20 (the name `Tag.N.Key`).
///
/// # Errors
///
/// The API's answer to the first rule the request breaks.
///
/// ```
/// use ecs_snapshot_rules::{parse_query, validate, ErrorCode};
///
/// let request = parse_query("DiskId=d-1&Description=http://example.com")?;
/// let error = validate(&request).unwrap_err();
/// assert_eq!(error.code(), ErrorCode::InvalidDescriptionMalformed);
/// assert_eq!(error.status(), 404);
/// assert_eq!(error.parameter(), Some("Description"));
/// # Ok::<(), ecs_snapshot_rules::ParseError>(())
/// ```
pub fn validate(request: &CreateSnapshotRequest<'_>) -> Result<(), ApiError> {
    let mut first = None;
    let _ = check(request, &mut |error| {
        first = Some(error);
        ControlFlow::Break(())
    });
    first.map_or(Ok(()), Err)
}

/// Every violation of the stateless rules, in the order [`validate`] checks them; each names
/// its parameter. Empty for a valid request; the first is what [`validate`] returns.
///
/// ```
/// use ecs_snapshot_rules::{parse_query, violations};
///
/// let request = parse_query("SnapshotName=1st&RetentionDays=0")?;
/// let codes: Vec<_> = violations(&request).iter().map(|e| e.code().as_str()).collect();
/// assert_eq!(codes, ["MissingParameter", "InvalidSnapshotName.Malformed", "InvalidRetentionDays.Malformed"]);
/// # Ok::<(), ecs_snapshot_rules::ParseError>(())
/// ```
pub fn violations(request: &CreateSnapshotRequest<'_>) -> Vec<ApiError> {
    let mut all = Vec::new();
    let _ = check(request, &mut |error| {
        all.push(error);
        ControlFlow::Continue(())
    });
    all
}

/// Where failures go: the first stops [`validate`], [`violations`] takes them all.
trait Sink: FnMut(ApiError) -> ControlFlow<()> {}

impl<F: FnMut(ApiError) -> ControlFlow<()>> Sink for F {}

/// Reports each failure to `sink`, in order, until the sink says stop.
#[inline]
fn check(request: &CreateSnapshotRequest<'_>, sink: &mut impl Sink) -> ControlFlow<()> {
    request.walk(Judge {
        request,
        sink: &mut *sink,
    })?;
    // The rules that span parameters: Category beside InstantAccess=true (D222).
    if request.category.is_some() && request.wants_instant_access() {
        sink(
            ApiError::new(ErrorCode::InvalidCategoryAndInstantAccessMalformed)
                .with_parameter(Parameter::Category.name()),
        )?;
    }
    ControlFlow::Continue(())
}

/// Judges each place of the table by its rule, reporting to the sink.
struct Judge<'s, 'q, 'a, S> {
    /// The request, for a rule that depends on another parameter ([`Rule::WhenTrue`]).
    request: &'q CreateSnapshotRequest<'a>,
    sink: &'s mut S,
}

impl<'r, 'a: 'r, S: Sink> Visit<'r, 'a> for Judge<'_, '_, 'a, S> {
    type Break = ();

    /// Always inlined: `walk` calls it once a parameter with a constant parameter, and each
    /// call folds to that parameter's own rule.
    #[inline(always)]
    fn visit(&mut self, slot: Slot<'r, 'a>) -> ControlFlow<()> {
        match slot {
            Slot::Scalar(parameter, value) => {
                let rule = match parameter.rule() {
                    // Judged only while the flag is the boolean true (D223).
                    Rule::WhenTrue { flag, rule } => {
                        if !is_true(self.request.get(flag)) {
                            return ControlFlow::Continue(());
                        }
                        *rule
                    }
                    rule => rule,
                };
                if admits(rule, value) {
                    ControlFlow::Continue(())
                } else {
                    (self.sink)(refusal(parameter))
                }
            }
            Slot::Tags(list) => tags::check(list, self.sink),
        }
    }
}

/// Whether a parameter's value is the boolean true.
#[inline]
fn is_true(value: Option<Value<'_>>) -> bool {
    matches!(value, Some(Value::Boolean(Ok(true))))
}

/// The flag whose rule `parameter` waits for ([`Rule::WhenTrue`]) when that flag is not the
/// boolean true in `request`: then the parameter is neither judged nor takes effect (D223).
pub(crate) fn waiting_for(
    request: &CreateSnapshotRequest<'_>,
    parameter: Parameter,
) -> Option<Parameter> {
    match parameter.rule() {
        Rule::WhenTrue { flag, .. } if !is_true(request.get(flag)) => Some(flag),
        _ => None,
    }
}

/// Whether a parameter's value (`None`: absent) keeps its rule. Always inlined: called with a
/// constant rule (one call a parameter of the table), it folds to that rule's own test. A rule
/// that depends on another parameter ([`Rule::WhenTrue`]) is unwrapped by the caller, which
/// sees the request.
#[inline(always)]
fn admits(rule: Rule, value: Option<Value<'_>>) -> bool {
    let Some(value) = value else {
        return rule != Rule::Required;
    };
    match (rule, value) {
        (Rule::Required, Value::Text(text)) => !text.is_empty(),
        (Rule::Text { min, max, format }, Value::Text(text)) => {
            text::admits(text, min, max, format)
        }
        (Rule::Integer { min, max }, Value::Integer(number)) => {
            number.is_ok_and(|number| (min..=max).contains(&number))
        }
        (Rule::Boolean, Value::Boolean(flag)) => flag.is_ok(),
        (Rule::OneOf(_), Value::Category(category)) => category.is_ok(),
        (Rule::Unchecked | Rule::WhenTrue { .. }, _) => true,
        // A rule for another kind of value: the table never pairs them (a test checks).
        (
            Rule::Required
            | Rule::Text { .. }
            | Rule::Integer { .. }
            | Rule::Boolean
            | Rule::OneOf(_),
            _,
        ) => true,
    }
}

/// The API's answer to a value that breaks `parameter`'s rule.
fn refusal(parameter: Parameter) -> ApiError {
    match parameter.code() {
        // The one code whose message names the parameter.
        Some(ErrorCode::InvalidParameter) => ApiError::invalid_parameter(parameter.name()),
        Some(code) => ApiError::new(code).with_parameter(parameter.name()),
        None => ApiError::invalid_parameter(parameter.name()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each rule is declared for the kind of value its parameter holds: a rule judges a value
    /// only through a pair that `admits` knows.
    #[test]
    fn every_rule_fits_its_parameters_kind_of_value() {
        // Every parameter set from the same text, read as its kind reads it.
        let mut request = CreateSnapshotRequest::default();
        for &parameter in Parameter::ALL {
            request.set(parameter, "1");
        }
        for &parameter in Parameter::ALL.iter().filter(|p| !p.is_tag()) {
            let value = request.get(parameter).expect("every parameter set");
            let rule = match parameter.rule() {
                Rule::WhenTrue { flag, rule } => {
                    assert!(
                        matches!(request.get(flag), Some(Value::Boolean(_))),
                        "{parameter:?} depends on a boolean"
                    );
                    assert!(
                        !matches!(rule, Rule::WhenTrue { .. }),
                        "{parameter:?}: one level"
                    );
                    *rule
                }
                rule => rule,
            };
            let fits = matches!(
                (rule, value),
                (Rule::Required | Rule::Text { .. }, Value::Text(_))
                    | (Rule::Integer { .. }, Value::Integer(_))
                    | (Rule::Boolean, Value::Boolean(_))
                    | (Rule::OneOf(_), Value::Category(_))
                    | (Rule::Unchecked, _)
            );
            assert!(fits, "{parameter:?}: {:?} for {value:?}", parameter.rule());
        }
    }
}
