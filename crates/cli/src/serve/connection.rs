//! One connection's life: hyper serves its requests over HTTP/1.1 while this task holds it to
//! the limits. It is closed when a request's head is slow (header-read timeout), when it sits
//! idle too long between requests (idle timeout), or when the accept loop evicts it; a
//! request in service is always answered. On shutdown it finishes its request and closes.

use std::future::{poll_fn, Future};
use std::net::SocketAddr;
use std::pin::pin;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::task::Poll;

use axum::Router;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;
use tokio::sync::watch;
use tokio::time::Instant;

use super::connections::Connections;
use super::intake;
use super::limits::Limits;
use super::slot::{Phase, Slot, Timeout};
use super::watched::Watched;

/// What every connection needs.
pub struct Context {
    /// The routes.
    pub router: Router,
    /// The bounds in force.
    pub limits: Limits,
    /// Every open connection.
    pub connections: Arc<Connections>,
}

/// A request that arrived on a connection evicted a moment before: not looked at.
#[derive(Debug)]
struct Evicted;

impl std::fmt::Display for Evicted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the connection was closed to make room")
    }
}

impl std::error::Error for Evicted {}

/// Why a connection ended.
enum Ending {
    /// The client closed it, or hyper did (an error, or after a graceful shutdown).
    Closed,
    /// Evicted to make room.
    Evicted,
    /// Its wait ran out under this timeout.
    TimedOut(Timeout),
}

/// Marks the connection in service while a request is answered, idle again after.
struct Serving {
    slot: Arc<Slot>,
    connections: Arc<Connections>,
}

impl Drop for Serving {
    fn drop(&mut self) {
        self.slot.done_serving();
        // The accept loop may be waiting for a connection it can evict.
        self.connections.changed.notify_one();
    }
}

/// Serves `stream` until it ends, then takes it off the table.
pub async fn serve(
    stream: TcpStream,
    peer: SocketAddr,
    slot: Arc<Slot>,
    context: Arc<Context>,
    mut shutdown: watch::Receiver<bool>,
) {
    // Off the table when this task ends, however it ends (declared first: dropped last,
    // after the socket).
    let _registered = Registered {
        connections: Arc::clone(&context.connections),
        id: slot.id,
    };
    let _ = stream.set_nodelay(true);
    let io = TokioIo::new(Watched::new(stream, Arc::clone(&slot)));
    let service = {
        let slot = Arc::clone(&slot);
        let context = Arc::clone(&context);
        service_fn(move |request: hyper::Request<Incoming>| {
            // The head is complete: in service from now on, unless evicted a moment ago,
            // in which case the request is not looked at and the connection closes.
            let serving = slot.start_serving().then(|| Serving {
                slot: Arc::clone(&slot),
                connections: Arc::clone(&context.connections),
            });
            let context = Arc::clone(&context);
            async move {
                // An error, not an answer: hyper closes the connection and writes nothing.
                let Some(_serving) = serving else {
                    return Err(Evicted);
                };
                Ok(intake::answer(
                    request,
                    peer,
                    context.router.clone(),
                    context.limits,
                    &context.connections,
                )
                .await)
            }
        })
    };
    let mut builder = http1::Builder::new();
    // The timeouts are this task's (see `Slot::deadline`), not hyper's.
    builder.header_read_timeout(None);
    {
        let mut connection = pin!(builder.serve_connection(io, service));
        let limits = context.limits;
        let mut timer = pin!(tokio::time::sleep_until(
            Instant::now() + limits.header_read
        ));
        let mut evicted = pin!(slot.evicted.notified());
        let mut stop = pin!(async move {
            // A dropped sender is a stop too.
            let _ = shutdown.wait_for(|stop| *stop).await;
        });
        let mut stopping = false;
        let ending = poll_fn(|cx| {
            // Eviction first: an evicted connection is not polled again, so it reads and
            // writes nothing more.
            if evicted.as_mut().poll(cx).is_ready() || slot.phase() == Phase::Evicted {
                return Poll::Ready(Ending::Evicted);
            }
            if !stopping && stop.as_mut().poll(cx).is_ready() {
                stopping = true;
                connection.as_mut().graceful_shutdown();
            }
            if connection.as_mut().poll(cx).is_ready() {
                return Poll::Ready(Ending::Closed);
            }
            if let Some((timeout, deadline)) = slot.deadline(limits.header_read, limits.idle) {
                if timer.deadline() != deadline {
                    timer.as_mut().reset(deadline);
                }
                if timer.as_mut().poll(cx).is_ready() {
                    return Poll::Ready(Ending::TimedOut(timeout));
                }
            }
            Poll::Pending
        })
        .await;
        // Counted while the socket is still open: a client that sees the close and then
        // asks for the counts finds this ending among them.
        let counts = &context.connections.counts;
        match ending {
            Ending::TimedOut(Timeout::Idle) => {
                counts.idle_timeouts.fetch_add(1, Ordering::Relaxed);
            }
            Ending::TimedOut(Timeout::HeaderRead) => {
                counts.header_timeouts.fetch_add(1, Ordering::Relaxed);
            }
            Ending::Closed | Ending::Evicted => {}
        }
        // The connection (and its socket) is dropped here, before the table forgets it.
    }
}

/// A connection on the table, taken off when dropped.
struct Registered {
    connections: Arc<Connections>,
    id: u64,
}

impl Drop for Registered {
    fn drop(&mut self) {
        self.connections.close(self.id);
    }
}
