//! Writing a request as the JSON object an SDK builds.

use std::convert::Infallible;
use std::ops::ControlFlow;

use crate::request::{CreateSnapshotRequest, Slot, Tag, TagField, Tags, Value};

impl CreateSnapshotRequest<'_> {
    /// The request as a JSON object in the official SDK's `to_map()` shape, which
    /// [`parse_json`](crate::parse_json) reads back as the same request.
    ///
    /// Parameters come in the order of the parameter table, then
    /// [`other_parameters`](CreateSnapshotRequest::other_parameters) in order (a name given
    /// twice is written twice: `parse_json` reads the entries in order). Numbers and booleans
    /// are JSON numbers and booleans, a value that was not of its type is its text. Tags are
    /// the SDK's list, `"Tag": [{"Key": .., "Value": ..}]` (deprecated spellings as `"key"`
    /// and `"value"`), when their N are 1, 2, 3, ... in order, as the list can only say;
    /// otherwise each is written flat, `"Tag.5.Key": ..`. `Action` is left out, as the SDK
    /// leaves it out of the body.
    ///
    /// ```
    /// use ecs_snapshot_rules::{parse_json, CreateSnapshotRequest};
    ///
    /// let request = CreateSnapshotRequest::new("d-1").retention_days(7).tag("env", "prod");
    /// let json = request.to_json();
    /// assert_eq!(json, r#"{"DiskId":"d-1","RetentionDays":7,"Tag":[{"Key":"env","Value":"prod"}]}"#);
    /// assert_eq!(parse_json(&json)?, request);
    /// # Ok::<(), ecs_snapshot_rules::ParseError>(())
    /// ```
    pub fn to_json(&self) -> String {
        let mut out = Object::default();
        let _ = self.walk(|slot| -> ControlFlow<Infallible> {
            match slot {
                Slot::Scalar(parameter, Some(value)) => out.entry(parameter.name(), &json(value)),
                Slot::Scalar(_, None) => {}
                Slot::Tags(tags) => out.tags(tags),
            }
            ControlFlow::Continue(())
        });
        for (name, value) in &self.other_parameters {
            out.entry(name, &string(value));
        }
        out.finish()
    }
}

/// A value as JSON: numbers and booleans as such, the rest (and text not of its type) as a
/// string.
fn json(value: Value<'_>) -> String {
    match value {
        Value::Integer(Ok(number)) => number.to_string(),
        Value::Boolean(Ok(flag)) => flag.to_string(),
        other => string(&other.wire_text()),
    }
}

/// A JSON string literal.
fn string(text: &str) -> String {
    serde_json::Value::from(text).to_string()
}

/// A JSON object being written, entry by entry.
#[derive(Default)]
struct Object {
    text: String,
}

impl Object {
    fn entry(&mut self, name: &str, value: &str) {
        self.text.push(if self.text.is_empty() { '{' } else { ',' });
        self.text.push_str(&string(name));
        self.text.push(':');
        self.text.push_str(value);
    }

    fn text(&mut self, name: &str, value: Option<&str>) {
        if let Some(value) = value {
            self.entry(name, &string(value));
        }
    }

    fn tags(&mut self, tags: &Tags<'_>) {
        let listed = tags.iter().zip(1..).all(|(tag, n)| tag.index == n);
        if !listed {
            for tag in tags.iter() {
                self.text(&tag.key_parameter(), tag.key.as_deref());
                self.text(&tag.value_parameter(), tag.value.as_deref());
            }
            return;
        }
        if tags.is_empty() {
            return;
        }
        let items: Vec<String> = tags.iter().map(item).collect();
        self.entry("Tag", &format!("[{}]", items.join(",")));
    }

    fn finish(mut self) -> String {
        if self.text.is_empty() {
            self.text.push('{');
        }
        self.text.push('}');
        self.text
    }
}

/// One item of the SDK's tag list: `{"Key": .., "Value": ..}`.
fn item(tag: &Tag<'_>) -> String {
    let mut item = Object::default();
    item.text(TagField::Key.word(tag.key_spelling), tag.key.as_deref());
    item.text(
        TagField::Value.word(tag.value_spelling),
        tag.value.as_deref(),
    );
    item.finish()
}
