//! Idempotency by ClientToken: a retry gets the first answer, never a second snapshot.

use super::facts::Facts;
use super::meaning::RequestMeaning;
use crate::catalogue::{ApiError, ErrorCode};
use crate::request::CreateSnapshotRequest;

/// What the ClientToken of a request says before anything else is looked at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TokenVerdict<'a> {
    /// No token, an empty one, or one not seen before: judge the request on its own.
    New,
    /// The same token came with the same meaning and was answered: give that answer again.
    Replay(&'a str),
}

/// The ClientToken rules (SUPPLEMENT, "Idempotency"; `docs/DECISIONS.md`, D60): a token
/// seen before with another meaning is `IdempotentParameterMismatch`; with the same meaning
/// but still in flight, `IdempotentProcessing`; with the same meaning and answered, a replay
/// of that answer.
pub(crate) fn check_token<'a>(
    request: &CreateSnapshotRequest<'_>,
    facts: &'a Facts,
) -> Result<TokenVerdict<'a>, ApiError> {
    let Some(token) = request.client_token.as_deref().filter(|t| !t.is_empty()) else {
        return Ok(TokenVerdict::New);
    };
    let Some(record) = facts.client_tokens.get(token) else {
        return Ok(TokenVerdict::New);
    };
    if RequestMeaning::of(&record.request) != RequestMeaning::of(request) {
        return Err(
            ApiError::new(ErrorCode::IdempotentParameterMismatch).with_parameter("ClientToken")
        );
    }
    match record.answered() {
        Some(snapshot_id) => Ok(TokenVerdict::Replay(snapshot_id)),
        None => Err(ApiError::new(ErrorCode::IdempotentProcessing).with_parameter("ClientToken")),
    }
}
