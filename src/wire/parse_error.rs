//! Why a request could not be read from the wire.

use crate::catalogue::{ApiError, ErrorCode};

/// Why a request could not be read. Errors that the API itself would answer map to an
/// [`ApiError`] through [`ParseError::api_error`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ParseError {
    /// `Action` is present and is not `CreateSnapshot`.
    #[error("Action is {found:?}, not CreateSnapshot")]
    WrongAction {
        /// The Action given.
        found: String,
    },
    /// A parameter came twice (the two spellings of a tag parameter count as one name).
    #[error("parameter {name} is given more than once")]
    RepeatedParameter {
        /// The parameter's name as it was spelled the second time.
        name: String,
    },
    /// A `%` not followed by two hexadecimal digits.
    #[error("bad percent-encoding in parameter {name} at byte {offset} of the input")]
    BadPercentEncoding {
        /// The parameter's name (raw, when the bad `%` is in the name).
        name: String,
        /// Where the `%` is, in bytes from the start of the input.
        offset: usize,
    },
    /// A name or value whose bytes, once decoded, are not UTF-8.
    #[error("parameter {name} is not UTF-8 once percent-decoded")]
    NotUtf8 {
        /// The parameter's name (lossily decoded when the name itself is not UTF-8).
        name: String,
    },
    /// The input is not UTF-8 text at all (JSON must be).
    #[error("the input is not UTF-8 text")]
    InputNotUtf8,
    /// The JSON is not well formed (or nests deeper than 128 levels).
    #[error("invalid JSON at line {line}, column {column}: {message}")]
    Json {
        /// Line, from 1.
        line: usize,
        /// Column, from 1.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// A JSON value of a kind that cannot stand for the parameter (an object for DiskId, a
    /// string for Tag).
    #[error("parameter {name} must be {expected}")]
    JsonWrongType {
        /// The parameter's name.
        name: String,
        /// What it must be.
        expected: &'static str,
    },
}

impl ParseError {
    /// The API's answer to a request that cannot be read, or `None` when the input is not
    /// an API request at all (malformed JSON: the API does not take JSON).
    pub fn api_error(&self) -> Option<ApiError> {
        match self {
            ParseError::WrongAction { .. } => {
                Some(ApiError::new(ErrorCode::InvalidActionNotFound).with_parameter("Action"))
            }
            ParseError::RepeatedParameter { name }
            | ParseError::BadPercentEncoding { name, .. }
            | ParseError::NotUtf8 { name }
            | ParseError::JsonWrongType { name, .. } => {
                Some(ApiError::invalid_parameter(name.clone()))
            }
            ParseError::InputNotUtf8 | ParseError::Json { .. } => None,
        }
    }
}
