//! What the API accepts but a caller most likely did not mean: parameters it silently
//! ignores, spellings it will stop taking, and values that have no effect.
//!
//! A warning never changes the API's answer; it is what a pre-flight check reports besides
//! the verdict.

use std::fmt;

use crate::{
    CreateSnapshotRequest, ParameterName, TagSpelling, COMMON_PARAMETERS, REQUEST_PARAMETERS,
};

/// Names longer than this get no "did you mean" suggestion, so that the work per name is
/// bounded and the whole check stays linear in the input.
const MAX_SUGGESTED_LEN: usize = 64;

/// What kind of thing a [`Warning`] is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum WarningKind {
    /// A parameter the API does not know: it ignores it silently.
    UnknownParameter,
    /// A spelling the spec says will be removed (`Tag.N.key`, `Tag.N.value`, `Category`).
    DeprecatedParameter,
    /// A parameter that is valid but has no effect (`InstantAccessRetentionDays` without
    /// `InstantAccess=true`).
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
                "The request uses a spelling that the spec says will be removed (Tag.N.key, Tag.N.value, Category)."
            }
            WarningKind::IneffectiveParameter => {
                "The request has a parameter that has no effect (InstantAccessRetentionDays without InstantAccess=true)."
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
/// use ecs_snapshot_rules::{parse_query, warnings, WarningKind};
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

    /// What kind of warning it is.
    pub fn kind(&self) -> WarningKind {
        self.kind
    }

    /// The parameter it is about, as spelled on the wire.
    pub fn parameter(&self) -> &str {
        &self.parameter
    }

    /// What to write instead: the parameter meant (for an unknown one, when a known name is
    /// close enough) or the current spelling (for a deprecated one).
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
/// is close), deprecated spellings (`Category`, then `Tag.N.key`/`Tag.N.value` by ascending
/// N, key before value), then parameters without effect (`InstantAccessRetentionDays`
/// without `InstantAccess=true`).
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
///     "deprecated parameter Category; use InstantAccess instead",
///     "deprecated parameter Tag.1.key; use Tag.1.Key instead",
///     "InstantAccessRetentionDays has no effect unless InstantAccess is true",
/// ]);
/// # Ok::<(), ecs_snapshot_rules::ParseError>(())
/// ```
pub fn warnings(request: &CreateSnapshotRequest) -> Vec<Warning> {
    let mut found = Vec::new();
    for (name, _) in &request.other_parameters {
        if ParameterName::classify(name) != ParameterName::Common {
            found.push(Warning::unknown(name));
        }
    }
    if request.category.is_some() {
        found.push(Warning::deprecated(
            "Category".to_owned(),
            "InstantAccess".to_owned(),
        ));
    }
    for tag in &request.tags {
        if tag.key.is_some() && tag.key_spelling == TagSpelling::Deprecated {
            found.push(Warning::deprecated(
                tag.key_parameter(),
                format!("Tag.{}.Key", tag.index),
            ));
        }
        if tag.value.is_some() && tag.value_spelling == TagSpelling::Deprecated {
            found.push(Warning::deprecated(
                tag.value_parameter(),
                format!("Tag.{}.Value", tag.index),
            ));
        }
    }
    if request.instant_access_retention_days.is_some() && !request.wants_instant_access() {
        found.push(Warning {
            kind: WarningKind::IneffectiveParameter,
            parameter: "InstantAccessRetentionDays".to_owned(),
            suggestion: None,
            message: "InstantAccessRetentionDays has no effect unless InstantAccess is true"
                .to_owned(),
        });
    }
    found
}

/// The candidate closest to `word` by edit distance (letter case ignored, a swap of two
/// neighbouring letters counting as one edit), when it is close enough to be a likely typo;
/// the first such candidate on a tie. Words or candidates longer than 64 characters are never
/// matched.
///
/// ```
/// use ecs_snapshot_rules::did_you_mean;
///
/// assert_eq!(did_you_mean("Descripton", ["DiskId", "Description"]), Some("Description"));
/// assert_eq!(did_you_mean("diskid", ["DiskId", "Description"]), Some("DiskId"));
/// assert_eq!(did_you_mean("Foo", ["DiskId", "Description"]), None);
/// ```
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let word = folded(word)?;
    let mut best: Option<(usize, &'a str)> = None;
    for candidate in candidates {
        let Some(folded_candidate) = folded(candidate) else {
            continue;
        };
        let allowed = tolerance(folded_candidate.len().max(word.len()));
        if folded_candidate.len().abs_diff(word.len()) > allowed {
            continue;
        }
        let distance = edit_distance(&word, &folded_candidate);
        if distance <= allowed && best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, candidate)| candidate)
}

/// The characters of `word`, ASCII letters in lower case; `None` when it is too long to
/// compare.
fn folded(word: &str) -> Option<Vec<char>> {
    if word.len() > 4 * MAX_SUGGESTED_LEN {
        return None;
    }
    let chars: Vec<char> = word.chars().map(|c| c.to_ascii_lowercase()).collect();
    (chars.len() <= MAX_SUGGESTED_LEN).then_some(chars)
}

/// How many edits a name of `len` characters may be away from what was meant.
fn tolerance(len: usize) -> usize {
    match len {
        0..=4 => 1,
        5..=8 => 2,
        _ => 3,
    }
}

/// The optimal-string-alignment distance: insertions, deletions, substitutions and swaps of
/// two neighbours each cost one. Both words are at most 64 characters.
fn edit_distance(a: &[char], b: &[char]) -> usize {
    let width = b.len() + 1;
    let mut rows = vec![0usize; (a.len() + 1) * width];
    for (j, cell) in rows.iter_mut().take(width).enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        rows[i * width] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (rows[(i - 1) * width + j] + 1)
                .min(rows[i * width + j - 1] + 1)
                .min(rows[(i - 1) * width + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[(i - 2) * width + j - 2] + 1);
            }
            rows[i * width + j] = best;
        }
    }
    rows[a.len() * width + b.len()]
}

/// What an unknown parameter most likely meant: a tag parameter in its canonical shape, or
/// the closest request or common parameter.
fn suggest_parameter(name: &str) -> Option<String> {
    if name.len() > 4 * MAX_SUGGESTED_LEN || name.chars().count() > MAX_SUGGESTED_LEN {
        return None;
    }
    if let Some(tag) = suggest_tag(name) {
        return Some(tag);
    }
    let candidates = REQUEST_PARAMETERS
        .iter()
        .chain(COMMON_PARAMETERS)
        .copied()
        .filter(|candidate| !candidate.starts_with("Tag."));
    did_you_mean(name, candidates).map(str::to_owned)
}

/// `Tag.01.Key`, `tag.1.key`, `Tags.1.Kye`, `Tag1.Key`, `Tag.x.Value`: the tag parameter
/// meant, as `Tag.1.Key` (or `Tag.N.Value` when N is not a number).
fn suggest_tag(name: &str) -> Option<String> {
    let mut parts = name.split('.');
    let first = parts.next()?;
    let (head, number, field) = match (parts.next(), parts.next(), parts.next()) {
        (Some(number), Some(field), None) => (first, number, field),
        // `Tag1.Key`: the dot before N forgotten.
        (Some(field), None, None) => {
            let digits = first
                .find(|c: char| c.is_ascii_digit())
                .unwrap_or(first.len());
            (&first[..digits], &first[digits..], field)
        }
        _ => return None,
    };
    did_you_mean(head, ["Tag", "Tags"])?;
    let field = match did_you_mean(field, ["Key", "Value"])? {
        "Key" => "Key",
        _ => "Value",
    };
    // N written with leading zeros, or not at all: the tag meant, when N is 1 to 20.
    let number = Some(number)
        .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|n| n.trim_start_matches('0').parse::<u32>().ok())
        .filter(|n| crate::text_rules::tag_index_ok(*n))
        .map_or_else(|| "N".to_owned(), |n| n.to_string());
    Some(format!("Tag.{number}.{field}"))
}
