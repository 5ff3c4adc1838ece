//! Response bodies as the API writes them (SUPPLEMENT, "Response envelopes"), for servers and
//! emulators that answer in the API's own words.

use std::fmt::Write as _;

use serde::Serialize;

use super::ApiError;

/// The JSON error body, fields in the API's order.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct ErrorBody<'a> {
    request_id: &'a str,
    host_id: &'a str,
    code: &'a str,
    message: &'a str,
    recommend: String,
}

/// The JSON success body.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct SuccessBody<'a> {
    request_id: &'a str,
    snapshot_id: &'a str,
}

/// The `HostId` the API puts in its error bodies.
const HOST_ID: &str = "ecs.aliyuncs.com";

impl ApiError {
    /// The JSON error body: `RequestId`, `HostId`, `Code`, `Message` and `Recommend`. Send it
    /// with [`status`](ApiError::status).
    ///
    /// ```
    /// use ecs_snapshot_rules::{ApiError, ErrorCode};
    ///
    /// let body = ApiError::new(ErrorCode::QuotaExceedSnapshot).json_body("473469C7-AA6F");
    /// assert_eq!(body, r#"{"RequestId":"473469C7-AA6F","HostId":"ecs.aliyuncs.com","Code":"QuotaExceed.Snapshot","Message":"The snapshot quota exceeds.","Recommend":"https://api.aliyun.com/troubleshoot?q=QuotaExceed.Snapshot&product=Ecs"}"#);
    /// ```
    pub fn json_body(&self, request_id: &str) -> String {
        let code = self.code().as_str();
        let body = ErrorBody {
            request_id,
            host_id: HOST_ID,
            code,
            message: self.message(),
            recommend: format!("https://api.aliyun.com/troubleshoot?q={code}&product=Ecs"),
        };
        serde_json::to_string(&body).unwrap_or_default()
    }

    /// The XML error body (root element `Error`), for `Format=XML`, the API's default. Send
    /// it with the content type `text/xml;charset=utf-8`, which the official SDKs need to
    /// read it.
    ///
    /// ```
    /// use ecs_snapshot_rules::{ApiError, ErrorCode};
    ///
    /// let body = ApiError::new(ErrorCode::DiskInArrears).xml_body("r<1>");
    /// assert_eq!(body, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><RequestId>r&lt;1&gt;</RequestId><HostId>ecs.aliyuncs.com</HostId><Code>DiskInArrears</Code><Message>The specified operation is denied as your disk has expired.</Message></Error>");
    /// ```
    pub fn xml_body(&self, request_id: &str) -> String {
        let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error>");
        element(&mut out, "RequestId", request_id);
        element(&mut out, "HostId", HOST_ID);
        element(&mut out, "Code", self.code().as_str());
        element(&mut out, "Message", self.message());
        out.push_str("</Error>");
        out
    }
}

/// The JSON success body of CreateSnapshot.
///
/// ```
/// assert_eq!(
///     ecs_snapshot_rules::catalogue::success_json_body("C8B26B44", "s-bp17441ohwka0yuh"),
///     r#"{"RequestId":"C8B26B44","SnapshotId":"s-bp17441ohwka0yuh"}"#
/// );
/// ```
pub fn success_json_body(request_id: &str, snapshot_id: &str) -> String {
    let body = SuccessBody {
        request_id,
        snapshot_id,
    };
    serde_json::to_string(&body).unwrap_or_default()
}

/// The XML success body of CreateSnapshot (root element `CreateSnapshotResponse`).
///
/// ```
/// assert_eq!(
///     ecs_snapshot_rules::catalogue::success_xml_body("C8B26B44", "s-1"),
///     "<?xml version=\"1.0\" encoding=\"UTF-8\"?><CreateSnapshotResponse><RequestId>C8B26B44</RequestId><SnapshotId>s-1</SnapshotId></CreateSnapshotResponse>"
/// );
/// ```
pub fn success_xml_body(request_id: &str, snapshot_id: &str) -> String {
    let mut out =
        String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?><CreateSnapshotResponse>");
    element(&mut out, "RequestId", request_id);
    element(&mut out, "SnapshotId", snapshot_id);
    out.push_str("</CreateSnapshotResponse>");
    out
}

/// `<name>text</name>`, the text escaped.
fn element(out: &mut String, name: &str, text: &str) {
    let _ = write!(out, "<{name}>");
    push_xml_escaped(out, text);
    let _ = write!(out, "</{name}>");
}

/// `text` escaped for XML 1.0 content and attribute values: the five markup characters and
/// line ends as references, and the characters XML 1.0 cannot hold at all (most control
/// characters, U+FFFE, U+FFFF) written out as `\u{..}`, so that any text gives a document an
/// XML parser reads. The XML bodies use it, and so can reports in XML.
///
/// ```
/// use ecs_snapshot_rules::catalogue::xml_escape;
///
/// assert_eq!(xml_escape("a<b & \"c\"\n"), "a&lt;b &amp; &quot;c&quot;&#10;");
/// assert_eq!(xml_escape("bell\u{7}"), "bell\\u{7}");
/// ```
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_xml_escaped(&mut out, text);
    out
}

fn push_xml_escaped(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\t' => out.push_str("&#9;"),
            '\r' => out.push_str("&#13;"),
            c if c.is_control() || matches!(c, '\u{FFFE}' | '\u{FFFF}') => {
                let _ = write!(out, "{}", c.escape_default());
            }
            c => out.push(c),
        }
    }
}
