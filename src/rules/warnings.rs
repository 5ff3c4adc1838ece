//! What the API accepts but a caller most likely did not mean: parameters it silently
//! ignores, spellings it will stop taking, and values that have no effect.
//!
//! A warning never changes the API's answer; it is what a pre-flight check reports besides
//! the verdict.

use std::fmt;

use super::suggest::suggest_parameter;
use crate::request::{
    tag_parameter, CreateSnapshotRequest, Deprecation, Name, Parameter, TagField, TagSpelling,
};

/// What kind of thing a [`Warning`] is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum WarningKind {
    /// A parameter the API does not know: it ignores it silently.
    UnknownParameter,
    /// A spelling the reference says will be removed (`Tag.N.key`, `Tag.N.value`), or a
    /// parameter it marks no longer used (`Category`, `InstantAccess`,
    /// `InstantAccessRetentionDays`).
    DeprecatedParameter,
    /// A parameter that is valid but has no effect (`InstantAccessRetentionDays` without
    /// `InstantAccess=true`; with the facts of an account, `Category` and `InstantAccess`
    /// where they no longer take effect).
    IneffectiveParameter,
}

impl WarningKind {
    /// Every kind, in the order [`warnings`] reports them.
    pub const ALL: &'static [WarningKind] = &[
        WarningKind::UnknownParameter,
        WarningKind::DeprecatedParameter,
        WarningKind::IneffectiveParameter,
    ];

    /// A stable identifier, e.g. `UnknownParameter` (used as a rule id by tools).
    pub const fn id(self) -> &'static str {
        match self {
            WarningKind::UnknownParameter => "UnknownParameter",
            WarningKind::DeprecatedParameter => "DeprecatedParameter",
            WarningKind::IneffectiveParameter => "IneffectiveParameter",
        }
    }

    /// What the kind means, in one sentence.
    pub const fn description(self) -> &'static str {
        match self {
            WarningKind::UnknownParameter => {
                "The request has a parameter that CreateSnapshot does not know; the API ignores it silently."
            }
            WarningKind::DeprecatedParameter => {
                "The request uses a spelling that the reference says will be removed (Tag.N.key, Tag.N.value) or a parameter it marks no longer used (Category, InstantAccess, InstantAccessRetentionDays)."
            }
            WarningKind::IneffectiveParameter => {
                "The request has a parameter that has no effect (InstantAccessRetentionDays without InstantAccess=true; Category or InstantAccess for an account where they no longer take effect)."
            }
        }
    }
}

impl fmt::Display for WarningKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// Something the API accepts but the caller most likely did not mean.
///
/// ```
/// use ecs_snapshot_rules::{parse_query, rules::WarningKind, warnings};
///
/// let request = parse_query("DiskId=d-1&SnapshotNmae=nightly")?;
/// let found = warnings(&request);
/// assert_eq!(found[0].kind(), WarningKind::UnknownParameter);
/// assert_eq!(found[0].parameter(), "SnapshotNmae");
/// assert_eq!(found[0].suggestion(), Some("SnapshotName"));
/// assert_eq!(found[0].message(), "unknown parameter SnapshotNmae; did you mean SnapshotName?");
/// # Ok::<(), ecs_snapshot_rules::ParseError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Warning {
    kind: WarningKind,
    parameter: String,
    suggestion: Option<String>,
    message: String,
}

impl Warning {
    fn unknown(parameter: &str) -> Self {
        let suggestion = suggest_parameter(parameter);
        let message = match &suggestion {
            Some(better) => format!("unknown parameter {parameter}; did you mean {better}?"),
            None => format!("unknown parameter {parameter}; the API ignores it"),
        };
        Warning {
            kind: WarningKind::UnknownParameter,
            parameter: parameter.to_owned(),
            suggestion,
            message,
        }
    }

    fn deprecated(parameter: String, replacement: String) -> Self {
        Warning {
            kind: WarningKind::DeprecatedParameter,
            message: format!("deprecated parameter {parameter}; use {replacement} instead"),
            parameter,
            suggestion: Some(replacement),
        }
    }

    fn no_longer_used(parameter: &str, still_for: &str) -> Self {
        Warning {
            kind: WarningKind::DeprecatedParameter,
            message: format!(
                "deprecated parameter {parameter}; the API reference marks it no longer used \
                 (it takes effect only for {still_for})"
            ),
            parameter: parameter.to_owned(),
            suggestion: None,
        }
    }

    /// A parameter that has no effect, with the sentence that says why.
    pub(crate) fn ineffective(parameter: &str, message: String) -> Self {
        Warning {
            kind: WarningKind::IneffectiveParameter,
            parameter: parameter.to_owned(),
            suggestion: None,
            message,
        }
    }

    /// What kind of warning it is.
    pub fn kind(&self) -> WarningKind {
        self.kind
    }

    /// The parameter it is about, as spelled on the wire.
    pub fn parameter(&self) -> &str {
        &self.parameter
    }

    /// What to write instead: the parameter meant (for an unknown one, when a known name is
    /// close enough) or the current spelling (for a deprecated spelling); `None` for a
    /// parameter that is best left out.
    pub fn suggestion(&self) -> Option<&str> {
        self.suggestion.as_deref()
    }

    /// One line for a person, e.g.
    /// `unknown parameter SnapshotNmae; did you mean SnapshotName?`.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// Everything in `request` that the API accepts but that is most likely a mistake, in this
/// order: unknown parameters (in request order, each with a "did you mean" when a known name
/// is close), deprecated parameters in table order (`Category`, `InstantAccess`,
/// `InstantAccessRetentionDays`: the current reference marks them no longer used), deprecated
/// spellings (`Tag.N.key`/`Tag.N.value` by ascending N, key before value), then parameters
/// without effect (`InstantAccessRetentionDays` without `InstantAccess=true`). What depends
/// on the account is [`state::warnings`](crate::state::warnings)'.
///
/// Common parameters (`RegionId`, `Signature`, ...) are not warned about. Time is linear in
/// the request's size.
///
/// ```
/// use ecs_snapshot_rules::{parse_query, warnings};
///
/// let request = parse_query("DiskId=d-1&Tag.1.key=env&Category=Standard&InstantAccessRetentionDays=3")?;
/// let messages: Vec<_> = warnings(&request).iter().map(|w| w.message().to_owned()).collect();
/// assert_eq!(messages, [
///     "deprecated parameter Category; the API reference marks it no longer used (it takes effect only for accounts that used local snapshots before 2020-12-14)",
///     "deprecated parameter InstantAccessRetentionDays; the API reference marks it no longer used (it takes effect only for accounts that used local snapshots before 2020-12-14)",
///     "deprecated parameter Tag.1.key; use Tag.1.Key instead",
///     "InstantAccessRetentionDays has no effect unless InstantAccess is true",
/// ]);
/// # Ok::<(), ecs_snapshot_rules::ParseError>(())
/// ```
pub fn warnings(request: &CreateSnapshotRequest<'_>) -> Vec<Warning> {
    let mut found = Vec::new();
    for (name, _) in &request.other_parameters {
        if Name::classify(name) != Name::Common {
            found.push(Warning::unknown(name));
        }
    }
    for &parameter in Parameter::ALL {
        if request.get(parameter).is_none() {
            continue;
        }
        match parameter.deprecation() {
            Some(Deprecation::ReplacedBy(replacement)) => found.push(Warning::deprecated(
                parameter.name().to_owned(),
                replacement.to_owned(),
            )),
            Some(Deprecation::NoLongerUsed { still_for }) => {
                found.push(Warning::no_longer_used(parameter.name(), still_for));
            }
            None => {}
        }
    }
    for tag in request.tags.iter() {
        if tag.key.is_some() && tag.key_spelling == TagSpelling::Deprecated {
            found.push(Warning::deprecated(
                tag.key_parameter().into_owned(),
                tag_parameter(tag.index, TagField::Key, TagSpelling::Current).into_owned(),
            ));
        }
        if tag.value.is_some() && tag.value_spelling == TagSpelling::Deprecated {
            found.push(Warning::deprecated(
                tag.value_parameter().into_owned(),
                tag_parameter(tag.index, TagField::Value, TagSpelling::Current).into_owned(),
            ));
        }
    }
    for &parameter in Parameter::ALL {
        if request.get(parameter).is_none() {
            continue;
        }
        if let Some(flag) = super::waiting_for(request, parameter) {
            let name = parameter.name();
            found.push(Warning::ineffective(
                name,
                format!("{name} has no effect unless {} is true", flag.name()),
            ));
        }
    }
    found
}
