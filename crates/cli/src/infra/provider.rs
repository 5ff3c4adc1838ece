//! What the Terraform provider's create sends for an `alicloud_ecs_snapshot` (or its older
//! name `alicloud_snapshot`, the same schema), as `resource_alicloud_ecs_snapshot.go`
//! builds the request:
//!
//! - `disk_id` → `DiskId`; `snapshot_name`, else the deprecated `name` → `SnapshotName`;
//!   `description` → `Description`; `resource_group_id` → `ResourceGroupId`;
//!   `category` → `Category`, lower case as written: each only when set and not empty
//!   (`GetOk`);
//! - `retention_days` → `RetentionDays` whenever set, 0 included (`GetOkExists`);
//! - `tags`, a map → `Tag.N.Key`/`Tag.N.Value`, numbered in no meaningful order;
//! - `instant_access` and `instant_access_retention_days` are deprecated and, from
//!   provider 1.231.0, not sent at all: a warning.
//!
//! The provider's own plan-time checks are reported as its rules, for a configuration:
//! `category` must be exactly `standard` or `flash` (an empty one is refused too), and
//! `snapshot_name` conflicts with `name`. A plan exists only once Terraform has passed them,
//! so a plan is not held to them again.
//!
//! In the schema `snapshot_name`, `name` and `category` are Optional and Computed: in a
//! plan, the one of `snapshot_name` and `name` that the configuration leaves unset is
//! unknown. So, in a plan, an unknown one of the two does not count as set when the other
//! is known.

use std::collections::HashMap;

use super::variables::Value;
use super::{tag_names, DeclaredSnapshot};
use crate::finding::Position;
use crate::tool_rules::{
    TF_CONFLICTING_ARGUMENTS, TF_DEPRECATED_ARGUMENT, TF_INVALID_VALUE, TF_NOT_SENT,
};

/// The resource types the provider maps to `CreateSnapshot`.
pub const SNAPSHOT_TYPES: &[&str] = &["alicloud_ecs_snapshot", "alicloud_snapshot"];

/// One argument of a resource, with its value and place.
#[derive(Clone, Debug, PartialEq)]
pub struct Argument {
    /// The argument's name, e.g. `snapshot_name`.
    pub name: String,
    /// Its value.
    pub value: Value,
    /// Where it is.
    pub position: Option<Position>,
    /// For a map, where each entry's key is, in the order of the map's entries.
    pub entries: Vec<Option<Position>>,
    /// For a map, the entries whose key is not known, by index, each with the key as
    /// written (`(var.team)`): in the map's value, each has the key
    /// [`unknown_tag_key`](super::unknown_tag_key) in its place.
    pub unknown_keys: Vec<(usize, String)>,
}

impl Argument {
    /// An argument without entries.
    pub fn new(name: impl Into<String>, value: Value, position: Option<Position>) -> Argument {
        Argument {
            name: name.into(),
            value,
            position,
            entries: Vec::new(),
            unknown_keys: Vec::new(),
        }
    }
}

/// Where a resource's arguments come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// A configuration (`.tf`, `.tf.json`): as written, not yet checked by Terraform.
    Configuration,
    /// A plan: checked by Terraform and the provider, computed attributes filled in or
    /// unknown.
    Plan,
}

/// The request the provider would send for a resource with `arguments`, read at `stage`.
pub fn snapshot(
    address: String,
    position: Option<Position>,
    arguments: &[Argument],
    stage: Stage,
) -> DeclaredSnapshot {
    let mut declared = DeclaredSnapshot::new(address, position);
    let get = |name: &str| arguments.iter().find(|a| a.name == name);
    let mut snapshot_name = get("snapshot_name").filter(|a| a.value != Value::Null);
    let mut name = get("name").filter(|a| a.value != Value::Null);
    let known = |a: Option<&Argument>| a.is_some_and(|a| a.value != Value::Unknown);
    if stage == Stage::Plan {
        // The one the configuration left unset is computed, so unknown: not set. When both
        // are unknown, `snapshot_name` is the one the provider reads first.
        match (known(snapshot_name), known(name)) {
            (true, false) => name = None,
            (false, true) => snapshot_name = None,
            (false, false) if snapshot_name.is_some() => name = None,
            _ => {}
        }
    }
    // The argument that gives SnapshotName: `snapshot_name`, else `name` (`GetOk`).
    let sent_name = snapshot_name.or(name);
    if let (Stage::Configuration, Some(_), Some(deprecated)) = (stage, snapshot_name, name) {
        declared.findings.push(TF_CONFLICTING_ARGUMENTS.finding(
            "\"name\": conflicts with snapshot_name".to_owned(),
            Some("name"),
            Some("SnapshotName"),
            deprecated.position,
        ));
    }
    // Terraform itself warns of a deprecated argument the configuration sets; in a plan,
    // only a known `name` is surely set there.
    if let Some(deprecated) = name.filter(|_| stage == Stage::Configuration || known(name)) {
        declared.findings.push(TF_DEPRECATED_ARGUMENT.finding(
            "name is deprecated since provider 1.120.0; use snapshot_name".to_owned(),
            Some("name"),
            Some("SnapshotName"),
            deprecated.position,
        ));
    }
    for argument in arguments {
        let parameter = match argument.name.as_str() {
            "disk_id" => "DiskId",
            "snapshot_name" | "name" if sent_name.is_some_and(|s| std::ptr::eq(s, argument)) => {
                "SnapshotName"
            }
            "description" => "Description",
            "retention_days" => "RetentionDays",
            "category" => "Category",
            "resource_group_id" => "ResourceGroupId",
            "tags" => {
                tags(&mut declared, argument);
                continue;
            }
            "instant_access" | "instant_access_retention_days" => {
                if argument.value != Value::Null {
                    declared.findings.push(TF_NOT_SENT.finding(
                        format!(
                            "{} is deprecated and not sent by provider 1.231.0 and later: it has no effect",
                            argument.name
                        ),
                        Some(&argument.name),
                        None,
                        argument.position,
                    ));
                }
                continue;
            }
            _ => continue,
        };
        let value = match &argument.value {
            Value::Null => continue,
            Value::Unknown => {
                declared.skip(&argument.name, parameter, argument.position);
                continue;
            }
            Value::Partial(start) => {
                declared.skip_known_start(&argument.name, parameter, start, argument.position);
                continue;
            }
            value => match value.as_sent() {
                Some(text) => text,
                None => {
                    declared.skip(&argument.name, parameter, argument.position);
                    continue;
                }
            },
        };
        // The schema's validation runs on every configured value, the empty one included
        // (`StringInSlice` refuses `""`), before `GetOk` leaves the zero value out.
        if stage == Stage::Configuration
            && parameter == "Category"
            && !matches!(value.as_str(), "standard" | "flash")
        {
            declared.findings.push(TF_INVALID_VALUE.finding(
                format!("expected category to be one of [\"standard\" \"flash\"], got {value}"),
                Some("category"),
                Some("Category"),
                argument.position,
            ));
            continue;
        }
        // `GetOk` leaves out the zero value; `GetOkExists` (retention_days) does not.
        if value.is_empty() && parameter != "RetentionDays" {
            continue;
        }
        declared.send(parameter, value, &argument.name, argument.position);
    }
    declared
}

/// `tags`: each entry a `Tag.N.Key` and `Tag.N.Value`. A repeated key keeps its last value,
/// as Terraform merges it; an entry whose value is not known still counts, its value not
/// judged.
fn tags(declared: &mut DeclaredSnapshot, argument: &Argument) {
    declared.tags = Some((argument.name.clone(), argument.position));
    declared.tags_numbered = true;
    let entries = match &argument.value {
        Value::Null => return,
        Value::Map(entries) => entries,
        _ => {
            declared.skip(&argument.name, "Tag", argument.position);
            return;
        }
    };
    let mut kept: Vec<(&str, &Value, Option<Position>)> = Vec::with_capacity(entries.len());
    // Where each key is in `kept`: a map of many tags costs one look-up per entry.
    let mut index: HashMap<&str, usize> = HashMap::with_capacity(entries.len());
    for (n, (key, value)) in entries.iter().enumerate() {
        let at = argument
            .entries
            .get(n)
            .copied()
            .flatten()
            .or(argument.position);
        match index.get(key.as_str()) {
            Some(&i) => kept[i] = (key, value, at),
            None => {
                index.insert(key, kept.len());
                kept.push((key, value, at));
            }
        }
    }
    let unknown: HashMap<&str, &str> = argument
        .unknown_keys
        .iter()
        .filter_map(|(n, written)| Some((entries.get(*n)?.0.as_str(), written.as_str())))
        .collect();
    for (n, (key, value, at)) in kept.into_iter().enumerate() {
        let (key_name, value_name) = tag_names(n + 1);
        let attribute = match unknown.get(key) {
            // A key not known: it still counts and repeats no other (D154), its value is
            // judged, and the key is named as not judged.
            Some(written) => {
                let attribute = format!("{}[{written}]", argument.name);
                declared.skip(&attribute, key_name.clone(), at);
                attribute
            }
            None => format!("{}[{key:?}]", argument.name),
        };
        declared.send(key_name, key, &attribute, at);
        match value.as_sent() {
            Some(text) => declared.send(value_name, text, &attribute, at),
            None if *value == Value::Null => {}
            None => match value {
                Value::Partial(start) => {
                    declared.skip_known_start(&attribute, value_name, start.clone(), at)
                }
                _ => declared.skip(&attribute, value_name, at),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Value {
        Value::String(s.into())
    }

    fn sent(declared: &DeclaredSnapshot) -> Vec<(String, String)> {
        declared
            .parameters
            .iter()
            .map(|p| (p.name.clone(), p.value.clone()))
            .collect()
    }

    #[test]
    fn arguments_map_as_the_provider_create_sends_them() {
        let declared = snapshot(
            "alicloud_ecs_snapshot.a".into(),
            None,
            &[
                Argument::new("disk_id", text("d-1"), None),
                Argument::new("name", text("old"), None),
                Argument::new("description", text(""), None),
                Argument::new("retention_days", Value::Number("0".into()), None),
                Argument::new("category", text("standard"), None),
                Argument::new("instant_access", Value::Bool(true), None),
                Argument::new(
                    "tags",
                    Value::Map(vec![
                        ("a".into(), text("1")),
                        ("b".into(), Value::Unknown),
                        ("a".into(), text("2")),
                    ]),
                    None,
                ),
            ],
            Stage::Configuration,
        );
        let s = |a: &str, b: &str| (a.to_owned(), b.to_owned());
        assert_eq!(
            sent(&declared),
            [
                s("DiskId", "d-1"),
                s("SnapshotName", "old"),
                s("RetentionDays", "0"),
                s("Category", "standard"),
                s("Tag.1.Key", "a"),
                s("Tag.1.Value", "2"),
                s("Tag.2.Key", "b"),
            ]
        );
        assert_eq!(declared.skipped[0].attribute, "tags[\"b\"]");
        assert_eq!(declared.skipped[0].parameter, "Tag.2.Value");
        let rules: Vec<&str> = declared.findings.iter().map(|f| &*f.rule).collect();
        assert_eq!(rules, [TF_DEPRECATED_ARGUMENT.id, TF_NOT_SENT.id]);
    }

    #[test]
    fn the_provider_refuses_a_category_of_another_case_and_name_beside_snapshot_name() {
        let declared = snapshot(
            "alicloud_snapshot.b".into(),
            None,
            &[
                Argument::new("disk_id", Value::Unknown, None),
                Argument::new("snapshot_name", text("new"), None),
                Argument::new("name", text("old"), None),
                Argument::new("category", text("Standard"), None),
            ],
            Stage::Configuration,
        );
        assert_eq!(
            sent(&declared),
            [("SnapshotName".to_owned(), "new".to_owned())]
        );
        let messages: Vec<&str> = declared
            .findings
            .iter()
            .map(|f| f.message.as_str())
            .collect();
        assert_eq!(
            messages,
            [
                "\"name\": conflicts with snapshot_name",
                "name is deprecated since provider 1.120.0; use snapshot_name",
                "expected category to be one of [\"standard\" \"flash\"], got Standard",
            ]
        );
        assert_eq!(declared.skipped[0].parameter, "DiskId");
    }

    /// The schema validates a configured empty string like any other value; only then does
    /// `GetOk` leave it out. An empty description is simply not sent.
    #[test]
    fn an_empty_category_is_refused_by_the_schema_an_empty_description_is_not_sent() {
        let declared = snapshot(
            "alicloud_ecs_snapshot.e".into(),
            None,
            &[
                Argument::new("disk_id", text("d-1"), None),
                Argument::new("category", text(""), None),
                Argument::new("description", text(""), None),
            ],
            Stage::Configuration,
        );
        assert_eq!(sent(&declared), [("DiskId".to_owned(), "d-1".to_owned())]);
        let messages: Vec<&str> = declared
            .findings
            .iter()
            .map(|f| f.message.as_str())
            .collect();
        assert_eq!(
            messages,
            ["expected category to be one of [\"standard\" \"flash\"], got "]
        );
    }

    #[test]
    fn in_a_plan_the_computed_alias_left_unset_is_not_set_and_plan_time_checks_are_done() {
        let plan = |arguments: &[Argument]| snapshot("a".into(), None, arguments, Stage::Plan);
        // `name` set, `snapshot_name` computed: the name is judged, no conflict.
        let declared = plan(&[
            Argument::new("name", text("http://x"), None),
            Argument::new("snapshot_name", Value::Unknown, None),
            Argument::new("category", text("Flash"), None),
        ]);
        assert_eq!(
            sent(&declared),
            [
                ("SnapshotName".to_owned(), "http://x".to_owned()),
                ("Category".to_owned(), "Flash".to_owned())
            ]
        );
        assert!(declared.skipped.is_empty(), "{:?}", declared.skipped);
        let rules: Vec<&str> = declared.findings.iter().map(|f| &*f.rule).collect();
        assert_eq!(rules, [TF_DEPRECATED_ARGUMENT.id]);
        // `snapshot_name` set, `name` computed: nothing about `name`.
        let declared = plan(&[
            Argument::new("name", Value::Unknown, None),
            Argument::new("snapshot_name", text("nightly"), None),
        ]);
        assert_eq!(
            sent(&declared),
            [("SnapshotName".to_owned(), "nightly".to_owned())]
        );
        assert!(declared.findings.is_empty() && declared.skipped.is_empty());
        // Both unknown: the name is not known, said once.
        let declared = plan(&[
            Argument::new("name", Value::Unknown, None),
            Argument::new("snapshot_name", Value::Unknown, None),
        ]);
        assert!(declared.findings.is_empty());
        let skipped: Vec<(&str, &str)> = declared
            .skipped
            .iter()
            .map(|s| (s.attribute.as_str(), s.parameter.as_str()))
            .collect();
        assert_eq!(skipped, [("snapshot_name", "SnapshotName")]);
    }
}
