//! An error as the API answers it: status, code, message, and the parameter it is about.

use std::borrow::Cow;
use std::fmt;

use super::ErrorCode;

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

    /// The error of a catalogue row whose message has `%s` placeholders, each filled with
    /// the next of `values` (a placeholder without a value is left as it is).
    ///
    /// ```
    /// use ecs_snapshot_rules::{ApiError, ErrorCode};
    ///
    /// let error = ApiError::filled(ErrorCode::QuotaExceedTags, &["The number of tags (21) exceeds the quota of 20."]);
    /// assert_eq!(error.message(), "The number of tags (21) exceeds the quota of 20.");
    /// ```
    pub fn filled(code: ErrorCode, values: &[&str]) -> Self {
        let template = code.message_template();
        let filled: usize = values.iter().map(|value| value.len()).sum();
        let mut message = String::with_capacity(template.len() + filled);
        let mut values = values.iter();
        let mut rest = template;
        while let Some(at) = rest.find("%s") {
            message.push_str(&rest[..at]);
            match values.next() {
                Some(value) => message.push_str(value),
                None => message.push_str("%s"),
            }
            rest = &rest[at + 2..];
        }
        message.push_str(rest);
        ApiError {
            code,
            message: Cow::Owned(message),
            parameter: None,
        }
    }

    /// The same error with `message` instead of the documented one: for a row whose
    /// documented message is a placeholder filled in at run time (`QuotaExceed.Tags`: `%s`).
    pub fn with_message(mut self, message: impl Into<Cow<'static, str>>) -> Self {
        self.message = message.into();
        self
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
