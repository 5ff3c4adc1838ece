//! Writing a request back to the wire.

use crate::{CreateSnapshotRequest, TagSpelling, Typed};

impl CreateSnapshotRequest {
    /// The request's parameters as wire pairs, starting with `Action=CreateSnapshot`, in the
    /// order of the spec's request table, then `other_parameters`. Tags keep their spelling;
    /// a value that was not of its type is written as it came.
    pub fn to_pairs(&self) -> Vec<(String, String)> {
        let mut pairs = vec![("Action".to_owned(), "CreateSnapshot".to_owned())];
        let mut text = |name: &str, value: Option<String>| {
            if let Some(value) = value {
                pairs.push((name.to_owned(), value));
            }
        };
        text("DiskId", self.disk_id.clone());
        text("SnapshotName", self.snapshot_name.clone());
        text("Description", self.description.clone());
        text(
            "RetentionDays",
            self.retention_days.as_ref().map(typed_text),
        );
        text("Category", self.category.as_ref().map(typed_text));
        text("ClientToken", self.client_token.clone());
        for tag in &self.tags {
            if let Some(key) = &tag.key {
                pairs.push((tag_name(tag.index, "Key", tag.key_spelling), key.clone()));
            }
            if let Some(value) = &tag.value {
                pairs.push((
                    tag_name(tag.index, "Value", tag.value_spelling),
                    value.clone(),
                ));
            }
        }
        let mut text = |name: &str, value: Option<String>| {
            if let Some(value) = value {
                pairs.push((name.to_owned(), value));
            }
        };
        text("ResourceGroupId", self.resource_group_id.clone());
        text(
            "InstantAccess",
            self.instant_access.as_ref().map(typed_text),
        );
        text(
            "InstantAccessRetentionDays",
            self.instant_access_retention_days.as_ref().map(typed_text),
        );
        pairs.extend(self.other_parameters.iter().cloned());
        pairs
    }

    /// The request as an RPC query string, percent-encoded as the official SDKs encode it
    /// (RFC 3986: only `A-Z a-z 0-9 - _ . ~` stay as they are). Reading it back with
    /// [`parse_query`](crate::parse_query) gives the same request.
    ///
    /// ```
    /// use ecs_snapshot_rules::{parse_query, CreateSnapshotRequest};
    ///
    /// let request = CreateSnapshotRequest::new("d-1").description("nightly run").tag("env", "prod");
    /// let query = request.to_query();
    /// assert_eq!(query, "Action=CreateSnapshot&DiskId=d-1&Description=nightly%20run&Tag.1.Key=env&Tag.1.Value=prod");
    /// assert_eq!(parse_query(&query)?, request);
    /// # Ok::<(), ecs_snapshot_rules::ParseError>(())
    /// ```
    pub fn to_query(&self) -> String {
        let mut out = String::new();
        for (name, value) in self.to_pairs() {
            if !out.is_empty() {
                out.push('&');
            }
            percent_encode(&name, &mut out);
            out.push('=');
            percent_encode(&value, &mut out);
        }
        out
    }
}

fn tag_name(index: u32, field: &str, spelling: TagSpelling) -> String {
    match spelling {
        TagSpelling::Current => format!("Tag.{index}.{field}"),
        TagSpelling::Deprecated => format!("Tag.{index}.{}", field.to_ascii_lowercase()),
    }
}

fn typed_text<T: WireText>(typed: &Typed<T>) -> String {
    match typed {
        Typed::Value(value) => value.wire_text(),
        Typed::Unparsable(text) => text.clone(),
    }
}

/// How a typed value is written on the wire.
trait WireText {
    fn wire_text(&self) -> String;
}

impl WireText for i64 {
    fn wire_text(&self) -> String {
        self.to_string()
    }
}

impl WireText for bool {
    fn wire_text(&self) -> String {
        self.to_string()
    }
}

impl WireText for crate::SnapshotCategory {
    fn wire_text(&self) -> String {
        self.as_str().to_owned()
    }
}

/// RFC 3986 percent-encoding of everything but the unreserved characters.
pub(crate) fn percent_encode(text: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0xF)]));
        }
    }
}
