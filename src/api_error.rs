//! An error as the API answers it: status, code, message, and the parameter it is about.

use std::borrow::Cow;
use std::fmt;

use crate::ErrorCode;

/// The maximum number of tags a snapshot may carry (spec: "Valid values of N: 1 to 20").
pub(crate) const MAX_TAGS: usize = 20;

/// A refusal, exactly as the API would answer it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ApiError {
    code: ErrorCode,
    message: Cow<'static, str>,
    parameter: Option<Cow<'static, str>>,
}

impl ApiError {
    /// The error of a catalogue row, with its documented message and no parameter.
    pub fn new(code: ErrorCode) -> Self {
        ApiError {
            code,
            message: Cow::Borrowed(code.message_template()),
            parameter: None,
        }
    }

    /// The same error, about `parameter` (its name on the wire, e.g. `Tag.3.Key`).
    pub fn with_parameter(mut self, parameter: impl Into<Cow<'static, str>>) -> Self {
        self.parameter = Some(parameter.into());
        self
    }

    /// `InvalidParameter` for `name`, with the name filled into the message.
    pub fn invalid_parameter(name: impl Into<Cow<'static, str>>) -> Self {
        let name = name.into();
        let template = ErrorCode::InvalidParameter.message_template();
        // The message in one allocation of its exact size.
        let message = match template.split_once("NAME") {
            Some((before, after)) => [before, &name, after].concat(),
            None => template.to_owned(),
        };
        ApiError {
            code: ErrorCode::InvalidParameter,
            message: Cow::Owned(message),
            parameter: Some(name),
        }
    }

    /// `QuotaExceed.Tags` for a request with `count` tags. The spec documents the message
    /// as `%s`, filled at run time; see `docs/DECISIONS.md` (D11).
    pub fn too_many_tags(count: usize) -> Self {
        ApiError {
            code: ErrorCode::QuotaExceedTags,
            message: Cow::Owned(format!(
                "The number of tags ({count}) exceeds the quota of {MAX_TAGS}."
            )),
            parameter: Some(Cow::Borrowed("Tag")),
        }
    }

    /// The catalogue row.
    pub fn code(&self) -> ErrorCode {
        self.code
    }

    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.code.status()
    }

    /// The message, with any placeholder filled in.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The parameter the error is about, when it is about one.
    pub fn parameter(&self) -> Option<&str> {
        self.parameter.as_deref()
    }
}

impl From<ErrorCode> for ApiError {
    fn from(code: ErrorCode) -> Self {
        ApiError::new(code)
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} (HTTP {}): {}",
            self.code.as_str(),
            self.status(),
            self.message
        )
    }
}

impl std::error::Error for ApiError {}
