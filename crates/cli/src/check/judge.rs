//! The API's answer to one request: its refusals (the first, or every one with `--all`),
//! then what the state of `--world` says, then the warnings, as findings.

use std::collections::HashMap;

use crate::finding::{Finding, Position, Severity, Subject};
use crate::infra::{DeclaredSnapshot, SourceParameter};
use crate::library::{
    check_preconditions, parse_pairs, state_warnings, tag_parameter, validate, violations,
    warnings, ApiError, CreateSnapshotRequest, ErrorCode, Facts, Name, Parameter, ParseError, Rule,
    TagField, TagSpelling, Timestamp, Warning, WarningKind, MAX_TAGS,
};

/// At most this many violations, and this many warnings, are reported for one subject: a
/// hostile file of a million bad tags gets a verdict in bounded memory, and a reader gets
/// the first thousand and a count of the rest.
pub const MAX_FINDINGS: usize = 1000;

/// What stands in for a DiskId that is not known before the apply, so that the request is
/// not refused for a missing one; the state (`--world`) is then not consulted.
const UNKNOWN_DISK_ID: &str = "d-unknown";

/// What requests are judged against: the options `--all` and `--world`/`--now`.
pub struct Judge {
    all: bool,
    /// The facts of `--world` and the clock they are read at.
    world: Option<(Facts, Timestamp)>,
}

impl Judge {
    /// A judge that reports every refusal (`all`) or the first, with or without a world.
    pub fn new(all: bool, world: Option<(Facts, Timestamp)>) -> Judge {
        Judge { all, world }
    }

    /// The refusals of `request`: none, the first, or every one. With a world (and a
    /// `stateful` request, one whose DiskId is known), the state the request meets is
    /// judged once the request itself is valid: the precondition check stops at its first
    /// failure, as the API does.
    fn refusals(&self, request: &CreateSnapshotRequest, stateful: bool) -> Vec<ApiError> {
        let stateless = if self.all {
            violations(request)
        } else {
            validate(request).err().into_iter().collect()
        };
        match &self.world {
            Some((facts, now)) if stateful && stateless.is_empty() => {
                check_preconditions(request, facts, *now)
                    .err()
                    .into_iter()
                    .collect()
            }
            _ => stateless,
        }
    }

    /// The warnings of `request`: with a world, what the account makes ineffective too.
    fn warnings(&self, request: &CreateSnapshotRequest) -> Vec<Warning> {
        match &self.world {
            Some((facts, _)) => state_warnings(request, facts),
            None => warnings(request),
        }
    }

    /// The subject for a request read from a request file (or the parse error the API
    /// itself answers); `locate` gives the place of a parameter in the file.
    pub fn request(
        &self,
        request: Result<CreateSnapshotRequest, &ParseError>,
        locate: &dyn Fn(Option<&str>) -> Option<Position>,
    ) -> Subject {
        let (errors, warnings) = match request {
            Ok(request) => (self.refusals(&request, true), self.warnings(&request)),
            Err(error) => (error.api_error().into_iter().collect(), Vec::new()),
        };
        let mut subject = Subject::default();
        let (errors, warnings, omitted) = bounded(errors, warnings);
        subject.omitted = omitted;
        for error in &errors {
            let mut finding = api_finding(error);
            finding.position = locate(error.parameter());
            subject.findings.push(finding);
        }
        for warning in &warnings {
            let mut finding = warning_finding(warning);
            finding.position = locate(finding.parameter.as_deref());
            subject.findings.push(finding);
        }
        subject
    }

    /// The subject for a snapshot declared in infrastructure code: the tool's own findings,
    /// then the API's answer to the parameters the tool would send.
    pub fn declared(&self, declared: DeclaredSnapshot) -> Subject {
        let DeclaredSnapshot {
            address,
            position,
            mut parameters,
            mut skipped,
            findings: tool_findings,
            tags,
            tags_numbered,
        } = declared;
        // A value known only in its start is judged where that start decides the answer:
        // it is sent as it starts, for the rules to refuse in their order (D297).
        let mut starts = Vec::new();
        skipped.retain(|s| {
            if !refused_whatever_follows(&s.parameter, &s.known_start) {
                return true;
            }
            starts.push(s.known_start.clone());
            parameters.push(SourceParameter {
                name: s.parameter.clone(),
                value: s.known_start.clone(),
                attribute: s.attribute.clone(),
                position: s.position,
            });
            false
        });
        // Not known (a parameter of unknown name may be it), or its absence already refused
        // by the tool on the way.
        let disk_id_unknown = !parameters.iter().any(|p| p.name == "DiskId")
            && (skipped
                .iter()
                .any(|s| s.parameter == "DiskId" || s.parameter.is_empty())
                || tool_findings
                    .iter()
                    .any(|f| f.is_error() && f.parameter.as_deref() == Some("DiskId")));
        if disk_id_unknown {
            parameters.push(SourceParameter {
                name: "DiskId".to_owned(),
                value: UNKNOWN_DISK_ID.to_owned(),
                attribute: String::new(),
                position: None,
            });
        }
        let pairs = parameters
            .iter()
            .map(|p| (p.name.as_str(), p.value.as_str()));
        let (mut errors, mut warnings) = match parse_pairs(pairs) {
            Ok(request) => (
                self.refusals(&request, !disk_id_unknown),
                self.warnings(&request),
            ),
            Err(error) => (error.api_error().into_iter().collect(), Vec::new()),
        };
        // A parameter judged only while its flag is true (`InstantAccessRetentionDays`,
        // `Rule::WhenTrue`) is not said to have no effect when the flag is there but not
        // known (`--instant-access` alone).
        let flag_unknown = |entry: &Parameter| match entry.rule() {
            Rule::WhenTrue { flag, .. } => skipped.iter().any(|s| s.parameter == flag.name()),
            _ => false,
        };
        warnings.retain(|w| {
            w.kind() != WarningKind::IneffectiveParameter
                || !Parameter::ALL
                    .iter()
                    .any(|entry| entry.name() == w.parameter() && flag_unknown(entry))
        });
        // Two keys judged by their starts may differ past them: they repeat nothing.
        if !starts.is_empty() {
            let value_of = |name: &str| parameters.iter().find(|p| p.name == name);
            errors.retain(|error| {
                error.code() != ErrorCode::DuplicateTagKey
                    || !error
                        .parameter()
                        .and_then(value_of)
                        .is_some_and(|p| starts.contains(&p.value))
            });
        }
        if tags_numbered && errors.len() > 1 {
            let values: HashMap<&str, &str> = parameters
                .iter()
                .map(|p| (p.name.as_str(), p.value.as_str()))
                .collect();
            errors.retain(|error| !only_numbered_past_the_quota(error, &values));
        }
        let (errors, warnings, omitted) = bounded(errors, warnings);
        // Each parameter's first source, by name: a finding's place is one look-up away,
        // however many parameters there are.
        let mut sources: HashMap<&str, &SourceParameter> = HashMap::new();
        for source in &parameters {
            sources.entry(source.name.as_str()).or_insert(source);
        }
        let place = |parameter: Option<&str>| -> (Option<String>, Option<Position>) {
            let Some(parameter) = parameter else {
                return (None, None);
            };
            if let Some(source) = sources.get(parameter) {
                if source.attribute.is_empty() {
                    return (None, None);
                }
                return (Some(source.attribute.clone()), source.position);
            }
            match &tags {
                Some((attribute, at)) if parameter == "Tag" || parameter.starts_with("Tag.") => {
                    (Some(attribute.clone()), *at)
                }
                _ => (None, None),
            }
        };
        let mut findings: Vec<Finding> = tool_findings
            .iter()
            .filter(|f| f.is_error())
            .cloned()
            .collect();
        for error in &errors {
            let mut finding = api_finding(error);
            (finding.attribute, finding.position) = place(error.parameter());
            findings.push(finding);
        }
        findings.extend(tool_findings.iter().filter(|f| !f.is_error()).cloned());
        for warning in &warnings {
            let mut finding = warning_finding(warning);
            (finding.attribute, finding.position) = place(finding.parameter.as_deref());
            findings.push(finding);
        }
        Subject {
            address: Some(address),
            position,
            findings,
            skipped,
            omitted,
            suppressed: 0,
        }
    }
}

/// The first refusal of `text` as the parameter `name` (`SnapshotName`, `Tag.3.Key`) judged
/// alone: in a request of it, a DiskId and, for a tag's key or value, a valid other half;
/// `None` when it is accepted, or refused for another parameter.
fn refusal_alone(name: &str, text: &str) -> Option<ErrorCode> {
    let other_half = match Name::classify(name) {
        Name::Tag { index, field, .. } => Some(match field {
            TagField::Key => (
                tag_parameter(index, TagField::Value, TagSpelling::Current),
                "v",
            ),
            TagField::Value => (
                tag_parameter(index, TagField::Key, TagSpelling::Current),
                "k",
            ),
        }),
        _ => None,
    };
    let mut pairs = vec![("DiskId", "d-1"), (name, text)];
    if let Some((other, value)) = &other_half {
        pairs.push((other, value));
    }
    let error = validate(&parse_pairs(pairs).ok()?).err()?;
    (error.parameter() == Some(name)).then(|| error.code())
}

/// Whether every value of the text parameter `parameter` that starts with `start` is
/// refused, and for the same reason: `start` itself and `start` followed by a letter are
/// refused with one code, about that parameter alone. The text rules are decided by a
/// value's start (its first character, a forbidden prefix or character, a maximum length, a
/// forbidden substring) but for the minimum length, which the letter answers. Integers,
/// booleans and choices are not judged so (`Sta` may become `Standard`).
fn refused_whatever_follows(parameter: &str, start: &str) -> bool {
    let table_entry = match Name::classify(parameter) {
        Name::Parameter(entry) => entry,
        Name::Tag {
            field: TagField::Key,
            ..
        } => Parameter::TagKey,
        Name::Tag {
            field: TagField::Value,
            ..
        } => Parameter::TagValue,
        Name::Action | Name::Common | Name::Unknown => return false,
    };
    if start.is_empty() || !matches!(table_entry.rule(), Rule::Text { .. }) {
        return false;
    }
    match (
        refusal_alone(parameter, start),
        refusal_alone(parameter, &format!("{start}a")),
    ) {
        (Some(a), Some(b)) => a == b,
        _ => false,
    }
}

/// Whether `error` refuses a tag for its N alone, an N past 20 that the tool gave it in
/// numbering a map or list of more than 20 tags: their number is refused
/// (`QuotaExceed.Tags`), and a tag whose text the API admits at any N is no fault of its
/// own. The text is judged as tag 1 to tell.
fn only_numbered_past_the_quota(error: &ApiError, values: &HashMap<&str, &str>) -> bool {
    let code = error.code();
    if !matches!(
        code,
        ErrorCode::InvalidTagKeyMalformed | ErrorCode::InvalidTagValueMalformed
    ) {
        return false;
    }
    let Some(name) = error.parameter() else {
        return false;
    };
    let Name::Tag { index, field, .. } = Name::classify(name) else {
        return false;
    };
    let Some(&text) = values.get(name) else {
        return false;
    };
    index as usize > MAX_TAGS
        && refusal_alone(&tag_parameter(1, field, TagSpelling::Current), text) != Some(code)
}

/// Both lists cut to [`MAX_FINDINGS`], and how many were cut.
fn bounded(
    mut errors: Vec<ApiError>,
    mut warnings: Vec<Warning>,
) -> (Vec<ApiError>, Vec<Warning>, usize) {
    let omitted =
        errors.len().saturating_sub(MAX_FINDINGS) + warnings.len().saturating_sub(MAX_FINDINGS);
    errors.truncate(MAX_FINDINGS);
    warnings.truncate(MAX_FINDINGS);
    (errors, warnings, omitted)
}

fn api_finding(error: &ApiError) -> Finding {
    Finding {
        severity: Severity::Error,
        rule: error.code().as_str().into(),
        status: Some(error.status()),
        message: error.message().to_owned(),
        parameter: error.parameter().map(str::to_owned),
        attribute: None,
        position: None,
        suggestion: None,
    }
}

fn warning_finding(warning: &Warning) -> Finding {
    Finding {
        severity: Severity::Warning,
        rule: warning.kind().id().into(),
        status: None,
        message: warning.message().to_owned(),
        parameter: Some(warning.parameter().to_owned()),
        attribute: None,
        position: None,
        suggestion: warning.suggestion().map(str::to_owned),
    }
}

#[cfg(test)]
mod tests {
    use super::refused_whatever_follows;

    /// A start decides the answer only where every value beginning with it is refused
    /// alike: the minimum length, choices and integers never decide on a start (D297).
    #[test]
    fn a_start_is_refused_only_when_every_value_so_starting_is() {
        let long = "a".repeat(128);
        for (parameter, start, refused) in [
            ("SnapshotName", "auto", true),
            ("SnapshotName", "aut", false),
            ("SnapshotName", "1", true),
            ("SnapshotName", "a b", true),
            ("SnapshotName", "a", false),
            ("SnapshotName", long.as_str(), false),
            ("SnapshotName", &format!("{long}a"), true),
            ("SnapshotName", "", false),
            ("Description", "https://", true),
            ("Description", "https:/", false),
            ("Description", "h", false),
            ("ClientToken", "令", true),
            ("Tag.3.Key", "acs:", true),
            ("Tag.3.key", "aliyun", true),
            ("Tag.3.Key", "acs", false),
            ("Tag.3.Value", "acs:", false),
            ("Tag.3.Value", "x http://", true),
            ("RetentionDays", "0", false),
            ("RetentionDays", "x", false),
            ("Category", "Sta", false),
            ("InstantAccess", "tru", false),
            ("DiskId", "", false),
            ("Unknown", "x", false),
        ] {
            assert_eq!(
                refused_whatever_follows(parameter, start),
                refused,
                "{parameter} starting {start:?}"
            );
        }
    }
}
