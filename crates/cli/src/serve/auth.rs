//! Who may call: the one place a request's signature is checked, with the library's
//! `signature` module (RPC HMAC-SHA1 and ACS3-HMAC-SHA256) and a ledger of used nonces.

use std::sync::Mutex;

use crate::library::{
    verify, ApiError, Credentials, ErrorCode, NonceLedger, SignedRequest, Timestamp,
};

/// How far a request's own time (`Timestamp`, `x-acs-date`) may be from the machine's clock:
/// 15 minutes, either way.
pub const MAX_SKEW_SECONDS: i64 = 900;

/// How callers are authenticated.
pub enum Auth {
    /// No `--credentials`: every request is served, signed or not.
    Open,
    /// Only requests signed with one of these AccessKey pairs, each nonce once.
    Keys {
        /// The accepted AccessKey pairs.
        credentials: Credentials,
        /// Nonces seen within the skew window, per AccessKeyId.
        nonces: Mutex<NonceLedger>,
    },
}

impl Auth {
    /// Callers signed with `credentials`.
    pub fn keys(credentials: Credentials) -> Auth {
        Auth::Keys {
            credentials,
            nonces: Mutex::new(NonceLedger::new(MAX_SKEW_SECONDS)),
        }
    }

    /// Whether this server checks no signature.
    pub fn is_open(&self) -> bool {
        matches!(self, Auth::Open)
    }

    /// Checks the caller of `request` against the machine's clock (not the region's: D80):
    /// the AccessKeyId it is signed with (`None` on an open server), or why it is refused,
    /// with the API's common error.
    pub fn authenticate(&self, request: &SignedRequest<'_>) -> Result<Option<String>, ApiError> {
        let Auth::Keys {
            credentials,
            nonces,
        } = self
        else {
            return Ok(None);
        };
        let now = wall_clock().ok_or_else(|| ApiError::new(ErrorCode::ServiceUnavailable))?;
        let verified = verify(request, credentials, now, MAX_SKEW_SECONDS)?;
        nonces
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .record(&verified.access_key_id, &verified.nonce, now)?;
        Ok(Some(verified.access_key_id))
    }
}

/// The machine's clock, to the second.
fn wall_clock() -> Option<Timestamp> {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?
        .as_secs();
    Timestamp::from_unix_seconds(i64::try_from(seconds).ok()?).ok()
}
