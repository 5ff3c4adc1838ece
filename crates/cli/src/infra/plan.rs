//! Terraform plans in JSON (`terraform show -json plan.out`, format version 1.x): each
//! resource change that creates or replaces a snapshot resource, in the root module or a
//! child (a change deferred to a later round, `deferred_changes`, too), judged by its
//! `change.after`. A value not known until the apply is absent from
//! `after` and marked `true` in `after_unknown`; it is not judged. Findings are named by
//! the resource's address (`module.db.alicloud_ecs_snapshot.nightly["orders"]`); a plan has
//! no lines worth pointing at.

use std::borrow::Cow;

use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::Value as Json;

use super::provider::{self, Argument, Stage, SNAPSHOT_TYPES};
use super::variables::Value;
use super::{Declarations, ReadFailure};
use crate::finding::Position;

#[derive(Deserialize)]
struct Plan<'a> {
    #[serde(borrow)]
    format_version: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    resource_changes: Vec<ResourceChange<'a>>,
    /// Changes Terraform defers to a later round (`complete: false`): created then, with
    /// what is known of them now.
    #[serde(default, borrow)]
    deferred_changes: Vec<DeferredChange<'a>>,
}

#[derive(Deserialize)]
struct DeferredChange<'a> {
    #[serde(borrow)]
    resource_change: ResourceChange<'a>,
}

#[derive(Deserialize)]
struct ResourceChange<'a> {
    address: String,
    #[serde(rename = "type", borrow)]
    kind: Cow<'a, str>,
    #[serde(default, borrow)]
    mode: Option<Cow<'a, str>>,
    #[serde(borrow)]
    change: Change<'a>,
}

#[derive(Deserialize)]
struct Change<'a> {
    #[serde(default)]
    actions: Vec<Cow<'a, str>>,
    #[serde(borrow, default)]
    after: Option<&'a RawValue>,
    #[serde(borrow, default)]
    after_unknown: Option<&'a RawValue>,
}

/// The snapshots that the plan `text` creates.
pub fn read(text: &str) -> Declarations {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let plan: Plan<'_> = serde_json::from_str(text).map_err(|error| {
        let message = error.to_string();
        let message = message
            .rfind(" at line ")
            .map_or(message.as_str(), |cut| &message[..cut]);
        ReadFailure::at(
            format!(
                "invalid plan JSON at line {}, column {}: {message}",
                error.line(),
                error.column()
            ),
            Some(Position::new(error.line(), error.column())),
        )
    })?;
    let Some(version) = plan.format_version.as_deref() else {
        return Err(ReadFailure::at(
            "not a Terraform plan: no format_version",
            None,
        ));
    };
    if version.split('.').next() != Some("1") {
        return Err(ReadFailure::at(
            format!("plan format_version {version} is not supported: this reads 1.x (terraform show -json of Terraform 0.12 and later)"),
            None,
        ));
    }
    let mut found = Vec::new();
    let deferred = plan.deferred_changes.into_iter().map(|d| d.resource_change);
    for change in plan.resource_changes.into_iter().chain(deferred) {
        let creates = change.change.actions.iter().any(|a| a == "create");
        let managed = change.mode.as_deref().is_none_or(|m| m == "managed");
        if !creates || !managed || !SNAPSHOT_TYPES.contains(&&*change.kind) {
            continue;
        }
        let after = value_of(change.change.after, &change.address, "after")?;
        let unknown = value_of(
            change.change.after_unknown,
            &change.address,
            "after_unknown",
        )?;
        let mut arguments = Vec::new();
        if let Json::Object(after) = &after {
            for (name, value) in after {
                arguments.push(Argument::new(name, merge(value, unknown.get(name)), None));
            }
        }
        // Arguments whose whole value is unknown are in after_unknown only.
        if let Json::Object(unknown) = &unknown {
            for (name, marker) in unknown {
                if marker == &Json::Bool(true) && !arguments.iter().any(|a| &a.name == name) {
                    arguments.push(Argument::new(name, Value::Unknown, None));
                }
            }
        }
        found.push(provider::snapshot(
            change.address,
            None,
            &arguments,
            Stage::Plan,
        ));
    }
    Ok(found)
}

/// The value of `change.FIELD` of the resource change `address`, read only for the
/// snapshots (the other resources' values are skipped unread).
fn value_of(raw: Option<&RawValue>, address: &str, field: &str) -> Result<Json, ReadFailure> {
    let Some(raw) = raw else {
        return Ok(Json::Null);
    };
    serde_json::from_str(raw.get()).map_err(|error| {
        let message = error.to_string();
        let message = message
            .rfind(" at line ")
            .map_or(message.as_str(), |cut| &message[..cut]);
        ReadFailure::at(
            format!("invalid plan JSON in change.{field} of {address}: {message}"),
            None,
        )
    })
}

/// A value of `after` with the unknowns of `after_unknown` put in: a map's unknown
/// entries (absent from `after`) come back as unknown values.
fn merge(value: &Json, unknown: Option<&Json>) -> Value {
    match (value, unknown) {
        (_, Some(Json::Bool(true))) => Value::Unknown,
        (Json::Object(map), Some(Json::Object(marks))) => {
            let mut entries: Vec<(String, Value)> = map
                .iter()
                .map(|(k, v)| (k.clone(), merge(v, marks.get(k))))
                .collect();
            for (k, mark) in marks {
                if mark == &Json::Bool(true) && !map.contains_key(k) {
                    entries.push((k.clone(), Value::Unknown));
                }
            }
            Value::Map(entries)
        }
        _ => Value::from_json(value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn creates_and_replacements_are_read_with_their_unknowns() {
        let text = r#"{
  "format_version": "1.2",
  "resource_changes": [
    {"address": "module.db.alicloud_ecs_snapshot.nightly[\"orders\"]", "mode": "managed",
     "type": "alicloud_ecs_snapshot", "name": "nightly", "index": "orders",
     "change": {"actions": ["create"], "after": {"snapshot_name": "auto-x", "tags": {"a": "1"}},
                "after_unknown": {"disk_id": true, "tags": {"b": true}}}},
    {"address": "alicloud_snapshot.old", "mode": "managed", "type": "alicloud_snapshot", "name": "old",
     "change": {"actions": ["delete", "create"], "after": {"disk_id": "d-1"}, "after_unknown": {}}},
    {"address": "alicloud_ecs_snapshot.kept", "mode": "managed", "type": "alicloud_ecs_snapshot", "name": "kept",
     "change": {"actions": ["no-op"], "after": {"disk_id": "d-1", "snapshot_name": "1"}}}
  ]
}"#;
        let found = read(text).unwrap();
        assert_eq!(found.len(), 2);
        assert_eq!(
            found[0].address,
            "module.db.alicloud_ecs_snapshot.nightly[\"orders\"]"
        );
        let sent: Vec<(&str, &str)> = found[0]
            .parameters
            .iter()
            .map(|p| (p.name.as_str(), p.value.as_str()))
            .collect();
        assert_eq!(
            sent,
            [
                ("SnapshotName", "auto-x"),
                ("Tag.1.Key", "a"),
                ("Tag.1.Value", "1"),
                ("Tag.2.Key", "b")
            ]
        );
        let skipped: Vec<&str> = found[0]
            .skipped
            .iter()
            .map(|s| s.parameter.as_str())
            .collect();
        assert_eq!(skipped, ["Tag.2.Value", "DiskId"]);
        assert_eq!(found[1].address, "alicloud_snapshot.old");
    }

    #[test]
    fn another_major_version_is_refused_clearly() {
        let error = read(r#"{"format_version": "2.0", "resource_changes": []}"#).unwrap_err();
        assert_eq!(
            error.message,
            "plan format_version 2.0 is not supported: this reads 1.x (terraform show -json of Terraform 0.12 and later)"
        );
        let error = read(r#"{"resource_changes": []}"#).unwrap_err();
        assert_eq!(error.message, "not a Terraform plan: no format_version");
        let error = read("{\"format_version\": ").unwrap_err();
        assert!(
            error.message.starts_with("invalid plan JSON at line 1"),
            "{}",
            error.message
        );
    }
}
