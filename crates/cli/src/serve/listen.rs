//! The accept loop, and the cap on open connections: at the cap, a new connection takes the
//! place of the one that has waited longest for a request; when every connection is in
//! service, the new one waits (and those behind it wait in the system's backlog) until one
//! is answered. A connection in service is never closed to make room.

use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::watch;

use super::connection::{self, Context};
use super::limits::SHUTDOWN_GRACE;
use crate::process::{say, PROGRAM};

/// Accepts connections until `stop` resolves, then lets the open ones finish (at most
/// `SHUTDOWN_GRACE`).
pub async fn run(listener: TcpListener, context: Arc<Context>, stop: impl std::future::Future) {
    let (shutdown, watching) = watch::channel(false);
    let mut stop = std::pin::pin!(stop);
    let connections = Arc::clone(&context.connections);
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            _ = stop.as_mut() => break,
        };
        let (stream, peer) = match accepted {
            Ok(accepted) => accepted,
            Err(error) => {
                // Out of descriptors, or a connection reset before it was accepted: wait a
                // little rather than spin, and go on.
                say!("{PROGRAM}: accepting a connection failed: {error}");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        // Make room: evict the connection waiting longest (once), or wait until one closes
        // or finishes a request and can be evicted.
        let mut evicted = false;
        let mut stopped = false;
        while connections.open() >= context.limits.max_connections {
            let changed = connections.changed.notified();
            if !evicted {
                evicted = connections.evict_longest_waiting();
            }
            if connections.open() < context.limits.max_connections {
                break;
            }
            tokio::select! {
                () = changed => {},
                _ = stop.as_mut() => { stopped = true; break; }
            }
        }
        if stopped {
            break;
        }
        let slot = connections.register();
        tokio::spawn(connection::serve(
            stream,
            peer,
            slot,
            Arc::clone(&context),
            watching.clone(),
        ));
    }
    drop(listener);
    let _ = shutdown.send(true);
    let grace = tokio::time::sleep(SHUTDOWN_GRACE);
    tokio::pin!(grace);
    while connections.open() > 0 {
        let changed = connections.changed.notified();
        if connections.open() == 0 {
            break;
        }
        tokio::select! {
            () = changed => {},
            () = &mut grace => break,
        }
    }
}
