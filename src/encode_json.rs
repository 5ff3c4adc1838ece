//! Writing a request as the JSON object an SDK builds.

use crate::{CreateSnapshotRequest, Tag, TagSpelling, Typed};

impl CreateSnapshotRequest {
    /// The request as a JSON object in the official SDK's `to_map()` shape, which
    /// [`parse_json`](crate::parse_json) reads back as the same request.
    ///
    /// Parameters come in the order of the spec's request table, then
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
        out.text("DiskId", self.disk_id.as_deref());
        out.text("SnapshotName", self.snapshot_name.as_deref());
        out.text("Description", self.description.as_deref());
        if let Some(days) = &self.retention_days {
            out.typed("RetentionDays", days, |n| n.to_string());
        }
        if let Some(category) = &self.category {
            out.typed("Category", category, |c| string(c.as_str()));
        }
        out.text("ClientToken", self.client_token.as_deref());
        out.tags(&self.tags);
        out.text("ResourceGroupId", self.resource_group_id.as_deref());
        if let Some(flag) = &self.instant_access {
            out.typed("InstantAccess", flag, |b| b.to_string());
        }
        if let Some(days) = &self.instant_access_retention_days {
            out.typed("InstantAccessRetentionDays", days, |n| n.to_string());
        }
        for (name, value) in &self.other_parameters {
            out.entry(name, &string(value));
        }
        out.finish()
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

    fn typed<T>(&mut self, name: &str, value: &Typed<T>, json: impl Fn(&T) -> String) {
        let value = match value {
            Typed::Value(value) => json(value),
            Typed::Unparsable(text) => string(text),
        };
        self.entry(name, &value);
    }

    fn tags(&mut self, tags: &[Tag]) {
        let listed = tags.iter().zip(1..).all(|(tag, n)| tag.index == n);
        if !listed {
            for tag in tags {
                if let Some(key) = &tag.key {
                    self.entry(&tag.key_parameter(), &string(key));
                }
                if let Some(value) = &tag.value {
                    self.entry(&tag.value_parameter(), &string(value));
                }
            }
            return;
        }
        if tags.is_empty() {
            return;
        }
        let items: Vec<String> = tags
            .iter()
            .map(|tag| {
                let mut item = Object::default();
                let field = |current: &'static str, deprecated, spelling| match spelling {
                    TagSpelling::Current => current,
                    TagSpelling::Deprecated => deprecated,
                };
                item.text(field("Key", "key", tag.key_spelling), tag.key.as_deref());
                item.text(
                    field("Value", "value", tag.value_spelling),
                    tag.value.as_deref(),
                );
                item.finish()
            })
            .collect();
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
