//! What the server lets one client hold: how long it may take to send a request, how long a
//! connection may sit idle, how many connections and calls there are at once, how large a
//! body may be. Defaults here, flags in `ServeArgs`.

use std::time::Duration;

/// Default of `--header-read-timeout-ms`: a request's head must arrive within 10 s.
pub const DEFAULT_HEADER_READ_TIMEOUT_MS: u64 = 10_000;
/// Default of `--idle-timeout-ms`: a kept-alive connection may wait 60 s for its next request.
pub const DEFAULT_IDLE_TIMEOUT_MS: u64 = 60_000;
/// Default of `--max-connections`: well below the usual descriptor limit of 1024.
pub const DEFAULT_MAX_CONNECTIONS: usize = 512;
/// Default of `--max-in-flight`: calls being answered at once.
pub const DEFAULT_MAX_IN_FLIGHT: usize = 128;
/// The longest timeout the flags take: a day.
pub const MAX_TIMEOUT_MS: u64 = 86_400_000;
/// The most connections or calls in flight the flags take.
pub const MAX_COUNT: usize = 1_000_000;
/// The largest body the server reads; a larger one is refused with HTTP 413 before any
/// parameter is looked at.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;
/// How long a stopping server waits for the calls in service to be answered.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// The bounds in force.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// How long a request's head may take: from the accept on a new connection, from its
    /// first byte on a kept-alive one. Its body then gets as long again.
    pub header_read: Duration,
    /// How long a kept-alive connection may wait for the first byte of its next request.
    pub idle: Duration,
    /// Connections open at once; beyond it the one waiting longest for a request is closed.
    pub max_connections: usize,
    /// CreateSnapshot calls being answered at once; beyond it, `ServiceUnavailable`.
    pub max_in_flight: usize,
}

/// The soft limit on this process's open files, where the system tells it (Linux).
pub fn descriptor_limit() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/self/limits").ok()?;
    let line = text.lines().find(|l| l.starts_with("Max open files"))?;
    line["Max open files".len()..]
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// Descriptors the server needs besides its connections: the listener, standard streams,
/// the runtime's own, and the one accepted connection that waits for room.
pub const DESCRIPTORS_BESIDE_CONNECTIONS: u64 = 32;
