//! The AccessKey pairs a server knows: AccessKeyId to AccessKeySecret.

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;

/// The AccessKey pairs a server accepts, each AccessKeyId with its AccessKeySecret.
///
/// `Debug` lists the AccessKeyIds only: a secret never reaches a log.
///
/// ```
/// use ecs_snapshot_rules::signature::Credentials;
///
/// let keys = Credentials::from_json(
///     r#"{"AccessKeys": [{"AccessKeyId": "LTAI-test", "AccessKeySecret": "s3cr3t"}]}"#,
/// )?;
/// assert_eq!(keys.secret("LTAI-test"), Some("s3cr3t"));
/// assert!(!format!("{keys:?}").contains("s3cr3t"));
/// # Ok::<(), ecs_snapshot_rules::signature::CredentialsError>(())
/// ```
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Credentials {
    keys: BTreeMap<String, String>,
}

/// Why a credentials file was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid credentials: {message}")]
pub struct CredentialsError {
    message: String,
}

impl CredentialsError {
    fn new(message: impl Into<String>) -> Self {
        CredentialsError {
            message: message.into(),
        }
    }

    /// What is wrong, without the `invalid credentials: ` prefix of `Display`.
    pub fn message(&self) -> &str {
        &self.message
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(rename = "AccessKeys")]
    access_keys: Vec<Entry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    #[serde(rename = "AccessKeyId")]
    access_key_id: String,
    #[serde(rename = "AccessKeySecret")]
    access_key_secret: String,
}

impl Credentials {
    /// No keys: every request is refused with `InvalidAccessKeyId.NotFound`.
    pub fn new() -> Self {
        Credentials::default()
    }

    /// Accepts `access_key_id` with `access_key_secret`, replacing any earlier secret of the
    /// same AccessKeyId.
    pub fn insert(
        &mut self,
        access_key_id: impl Into<String>,
        access_key_secret: impl Into<String>,
    ) {
        self.keys
            .insert(access_key_id.into(), access_key_secret.into());
    }

    /// Reads `{"AccessKeys": [{"AccessKeyId": "...", "AccessKeySecret": "..."}]}`.
    ///
    /// Refused: text that is not that JSON, unknown fields, an empty AccessKeyId or
    /// AccessKeySecret, and an AccessKeyId listed twice (which secret was meant is unclear).
    /// An empty list is accepted. See `docs/DECISIONS.md`, D77.
    ///
    /// # Errors
    ///
    /// [`CredentialsError`] for the files listed above.
    pub fn from_json(text: &str) -> Result<Credentials, CredentialsError> {
        let file: File = serde_json::from_str(text).map_err(|e| {
            CredentialsError::new(format!(
                "expected {{\"AccessKeys\": [{{\"AccessKeyId\": \"...\", \"AccessKeySecret\": \"...\"}}]}}: {e}"
            ))
        })?;
        let mut credentials = Credentials::new();
        for (index, entry) in file.access_keys.into_iter().enumerate() {
            if entry.access_key_id.is_empty() {
                return Err(CredentialsError::new(format!(
                    "AccessKeys[{index}]: the AccessKeyId is empty"
                )));
            }
            if entry.access_key_secret.is_empty() {
                return Err(CredentialsError::new(format!(
                    "AccessKeys[{index}]: the AccessKeySecret of {:?} is empty",
                    entry.access_key_id
                )));
            }
            if credentials.keys.contains_key(&entry.access_key_id) {
                return Err(CredentialsError::new(format!(
                    "AccessKeys[{index}]: the AccessKeyId {:?} is listed twice",
                    entry.access_key_id
                )));
            }
            credentials.insert(entry.access_key_id, entry.access_key_secret);
        }
        Ok(credentials)
    }

    /// Whether no key is known.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// How many keys are known.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// The AccessKeySecret of `access_key_id`, if it is known.
    pub fn secret(&self, access_key_id: &str) -> Option<&str> {
        self.keys.get(access_key_id).map(String::as_str)
    }

    /// The known AccessKeyIds, in byte order.
    pub fn access_key_ids(&self) -> impl Iterator<Item = &str> {
        self.keys.keys().map(String::as_str)
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_ids", &self.keys.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn refused(text: &str, message: &str) {
        assert_eq!(Credentials::from_json(text).unwrap_err().message(), message);
    }

    #[test]
    fn reads_the_file_format() {
        let keys = Credentials::from_json(
            r#"{"AccessKeys": [{"AccessKeyId": "a", "AccessKeySecret": "1"},
                               {"AccessKeyId": "b", "AccessKeySecret": "2"}]}"#,
        )
        .unwrap();
        assert_eq!(keys.len(), 2);
        assert_eq!(keys.secret("b"), Some("2"));
        assert_eq!(keys.secret("c"), None);
        assert_eq!(keys.access_key_ids().collect::<Vec<_>>(), ["a", "b"]);
        assert!(Credentials::from_json(r#"{"AccessKeys": []}"#)
            .unwrap()
            .is_empty());
    }

    #[test]
    fn refuses_bad_files_with_a_reason() {
        refused(
            r#"{"AccessKeys": [{"AccessKeyId": "", "AccessKeySecret": "1"}]}"#,
            "AccessKeys[0]: the AccessKeyId is empty",
        );
        refused(
            r#"{"AccessKeys": [{"AccessKeyId": "a", "AccessKeySecret": ""}]}"#,
            "AccessKeys[0]: the AccessKeySecret of \"a\" is empty",
        );
        refused(
            r#"{"AccessKeys": [{"AccessKeyId": "a", "AccessKeySecret": "1"},
                               {"AccessKeyId": "a", "AccessKeySecret": "2"}]}"#,
            "AccessKeys[1]: the AccessKeyId \"a\" is listed twice",
        );
        for text in ["", "[]", "{}", r#"{"AccessKeys": [{"AccessKeyId": "a"}]}"#] {
            let error = Credentials::from_json(text).unwrap_err();
            assert!(
                error.message().starts_with("expected {\"AccessKeys\""),
                "{error}"
            );
            assert!(error.to_string().starts_with("invalid credentials: "));
        }
    }

    #[test]
    fn debug_hides_secrets() {
        let mut keys = Credentials::new();
        keys.insert("id", "very-secret");
        keys.insert("id", "other-secret");
        assert_eq!(keys.secret("id"), Some("other-secret"));
        let shown = format!("{keys:?}");
        assert!(
            shown.contains("\"id\"") && !shown.contains("secret\""),
            "{shown}"
        );
    }
}
