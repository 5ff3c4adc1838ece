//! The nonces seen recently, per AccessKeyId, to refuse a replayed request.

use std::collections::{BTreeMap, VecDeque};

use crate::{ApiError, ErrorCode, Timestamp};

/// Remembers each (AccessKeyId, nonce) for `window_seconds` after it was recorded, and
/// refuses it again within that time with `SignatureNonceUsed`.
///
/// Memory is bounded by the requests of one window: each [`record`](NonceLedger::record)
/// first forgets the entries older than the window. A nonce recorded at `t` is refused
/// up to and including `t + window_seconds` and accepted again from `t + window_seconds + 1`
/// (`docs/DECISIONS.md`, D75). Record a nonce only after [`verify`](super::verify) accepted
/// the request, so that a forged request cannot use up a caller's nonces.
///
/// ```
/// use ecs_snapshot_rules::{signature::NonceLedger, ErrorCode, Timestamp};
///
/// let mut ledger = NonceLedger::new(900);
/// let t0 = Timestamp::from_unix_seconds(1_800_000_000).unwrap();
/// ledger.record("LTAI-test", "nonce-1", t0)?;
/// let replay = ledger.record("LTAI-test", "nonce-1", t0).unwrap_err();
/// assert_eq!(replay.code(), ErrorCode::SignatureNonceUsed);
/// ledger.record("LTAI-other", "nonce-1", t0)?; // nonces are per AccessKeyId
/// # Ok::<(), ecs_snapshot_rules::ApiError>(())
/// ```
#[derive(Clone, Debug, Default)]
pub struct NonceLedger {
    window_seconds: i64,
    /// When each (AccessKeyId, nonce) was last recorded.
    seen: BTreeMap<(String, String), Timestamp>,
    /// The same entries in the order they were recorded, to forget the oldest first.
    order: VecDeque<(Timestamp, String, String)>,
}

impl NonceLedger {
    /// An empty ledger that remembers nonces for `window_seconds` (a negative window is 0).
    pub fn new(window_seconds: i64) -> Self {
        NonceLedger {
            window_seconds: window_seconds.max(0),
            seen: BTreeMap::new(),
            order: VecDeque::new(),
        }
    }

    /// Records `nonce` for `access_key_id` at `now`; `SignatureNonceUsed` when it is
    /// remembered from within the window.
    ///
    /// # Errors
    ///
    /// `SignatureNonceUsed` when the same key used `nonce` within the window.
    pub fn record(
        &mut self,
        access_key_id: &str,
        nonce: &str,
        now: Timestamp,
    ) -> Result<(), ApiError> {
        self.evict(now);
        let key = (access_key_id.to_owned(), nonce.to_owned());
        if self.seen.contains_key(&key) {
            return Err(
                ApiError::new(ErrorCode::SignatureNonceUsed).with_parameter("SignatureNonce")
            );
        }
        self.order.push_back((now, key.0.clone(), key.1.clone()));
        self.seen.insert(key, now);
        Ok(())
    }

    /// How many nonces are remembered.
    pub fn len(&self) -> usize {
        self.seen.len()
    }

    /// Whether no nonce is remembered.
    pub fn is_empty(&self) -> bool {
        self.seen.is_empty()
    }

    /// Forgets the entries recorded more than the window before `now`.
    fn evict(&mut self, now: Timestamp) {
        while let Some((recorded, _, _)) = self.order.front() {
            if now.unix_seconds() - recorded.unix_seconds() <= self.window_seconds {
                break;
            }
            if let Some((recorded, id, nonce)) = self.order.pop_front() {
                let key = (id, nonce);
                if self.seen.get(&key) == Some(&recorded) {
                    self.seen.remove(&key);
                }
            }
        }
    }
}
