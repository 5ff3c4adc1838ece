//! `ecs-snapshot-rules serve`: a local CreateSnapshot endpoint that the official SDKs can
//! call, answering from the library's own simulator ([`ecs_snapshot_rules::Region`]).
//!
//! One concept a file: [`wire`] reads the RPC wire format, [`auth`] checks the caller,
//! [`caller`] names it for the [`faults`], [`respond`] writes the API's envelopes,
//! [`control`] and [`control_faults`] are the control API, [`shared`] the state every handler
//! shares, and [`routes`] ties them to paths. Below the routes, the bounds on what clients
//! hold ([`limits`]): [`listen`] accepts connections up to a cap, [`connection`] holds each
//! to its timeouts (with [`slot`] and [`watched`]), [`intake`] reads a request's body, and
//! [`in_flight`] bounds the calls being answered.

mod auth;
mod caller;
mod connection;
mod connections;
mod control;
mod control_faults;
mod faults;
mod in_flight;
mod intake;
mod limits;
mod listen;
mod respond;
mod routes;
mod shared;
mod slot;
mod watched;
mod wire;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crate::library::{Credentials, Timestamp};
use clap::Args;

use crate::process::{say, EXIT_ERROR, EXIT_OK, PROGRAM};
use crate::world_file::read_world;
use auth::Auth;
use connections::Connections;
use faults::plan::{FailNext, PlanText};
use faults::rate_limit::RateLimit;
use limits::Limits;
use shared::{Emulator, Setup};

/// The options of `serve`.
#[derive(Args)]
pub struct ServeArgs {
    /// The address to listen on; port 0 picks a free port (the address is printed).
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,

    /// The facts the region starts with (accounts, instances, disks, ...), as JSON in the
    /// format of `check --world` (docs/STATEFUL.md).
    #[arg(long, value_name = "FILE")]
    pub world: Option<PathBuf>,

    /// AccessKey pairs whose signatures are accepted, as JSON:
    /// {"AccessKeys": [{"AccessKeyId": "...", "AccessKeySecret": "..."}]}. Without it the
    /// server runs open: no signature is checked.
    #[arg(long, value_name = "FILE")]
    pub credentials: Option<PathBuf>,

    /// The time the region's clock shows at the start, as RFC 3339; default: now. The
    /// region's clock then moves only through the control API.
    #[arg(long, value_name = "RFC3339", value_parser = crate::now::parse_now)]
    pub now: Option<Timestamp>,

    /// The seed of the region's IDs, the RequestIds and the faults' draws; default: from the
    /// current time.
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,

    /// How long a CreateSnapshot call stays in flight before it is answered, in
    /// milliseconds: another call with its ClientToken meanwhile gets IdempotentProcessing.
    #[arg(long, value_name = "MS", default_value_t = 0)]
    pub latency_ms: u64,

    /// How long a client may take to send a request's head, in milliseconds: from the
    /// accept on a new connection, from the first byte on a kept-alive one (its body then
    /// gets as long again). A slower connection is closed.
    #[arg(long, value_name = "MS", default_value_t = limits::DEFAULT_HEADER_READ_TIMEOUT_MS,
          value_parser = clap::value_parser!(u64).range(1..=limits::MAX_TIMEOUT_MS),
          help_heading = "Bounds")]
    pub header_read_timeout_ms: u64,

    /// How long a kept-alive connection may wait for its next request, in milliseconds;
    /// then it is closed.
    #[arg(long, value_name = "MS", default_value_t = limits::DEFAULT_IDLE_TIMEOUT_MS,
          value_parser = clap::value_parser!(u64).range(1..=limits::MAX_TIMEOUT_MS),
          help_heading = "Bounds")]
    pub idle_timeout_ms: u64,

    /// Connections open at once. Beyond it a new connection takes the place of the one that
    /// has waited longest for a request; a connection in service is never closed to make
    /// room (when all are in service, new ones wait). Keep it below `ulimit -n`.
    #[arg(long, value_name = "N", default_value_t = limits::DEFAULT_MAX_CONNECTIONS,
          value_parser = at_least_one, help_heading = "Bounds")]
    pub max_connections: usize,

    /// CreateSnapshot calls being answered at once; beyond it a call is answered at once
    /// with ServiceUnavailable (HTTP 503), never queued.
    #[arg(long, value_name = "N", default_value_t = limits::DEFAULT_MAX_IN_FLIGHT,
          value_parser = at_least_one, help_heading = "Bounds")]
    pub max_in_flight: usize,

    /// Fault: at most CALLS calls in any SECONDS per caller (its AccessKeyId, else its IP
    /// address), in bursts of up to CALLS; the calls beyond get Throttling.
    #[arg(long, value_name = "CALLS/SECONDS", value_parser = faults::rate_limit::parse,
          help_heading = "Faults")]
    pub rate_limit: Option<RateLimit>,

    /// Fault: this share of calls (0 to 1) gets InternalError, drawn from --seed.
    #[arg(long, value_name = "SHARE", default_value_t = 0.0, value_parser = share,
          help_heading = "Faults")]
    pub fault_internal_error: f64,

    /// Fault: this share of calls (0 to 1) gets ServiceUnavailable, drawn from --seed.
    #[arg(long, value_name = "SHARE", default_value_t = 0.0, value_parser = share,
          help_heading = "Faults")]
    pub fault_service_unavailable: f64,

    /// Fault: every CreateSnapshot call waits this many milliseconds before its fate is
    /// known (at most an hour).
    #[arg(long, value_name = "MS", default_value_t = 0, help_heading = "Faults")]
    pub fault_latency_ms: u64,

    /// Fault: and up to this many more, drawn for each call from --seed.
    #[arg(long, value_name = "MS", default_value_t = 0, help_heading = "Faults")]
    pub fault_latency_jitter_ms: u64,

    /// Fault: the next COUNT calls fail with CODE, any code of the catalogue; DETAIL is the
    /// parameter of InvalidParameter, the number of tags of QuotaExceed.Tags, or the message
    /// of one of InternalError's rows. Repeat it to queue more.
    #[arg(long, value_name = "COUNT:CODE[:DETAIL]", value_parser = faults::plan::parse_fail_next,
          help_heading = "Faults")]
    pub fail_next: Vec<FailNext>,
}

fn at_least_one(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(n) if (1..=limits::MAX_COUNT).contains(&n) => Ok(n),
        _ => Err(format!(
            "{text:?}: a whole number from 1 to {}",
            limits::MAX_COUNT
        )),
    }
}

fn share(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(share) if (0.0..=1.0).contains(&share) => Ok(share),
        _ => Err(format!("{text:?}: a share of calls, from 0 to 1")),
    }
}

impl ServeArgs {
    /// The bounds the flags set.
    fn limits(&self) -> Limits {
        Limits {
            header_read: Duration::from_millis(self.header_read_timeout_ms),
            idle: Duration::from_millis(self.idle_timeout_ms),
            max_connections: self.max_connections,
            max_in_flight: self.max_in_flight,
        }
    }

    /// The fault plan the flags set.
    fn faults(&self, seed: u64) -> Result<faults::plan::Plan, String> {
        let mut plan = PlanText {
            seed: Some(seed),
            rate_limit: self.rate_limit,
            internal_error: self.fault_internal_error,
            service_unavailable: self.fault_service_unavailable,
            latency_ms: self.fault_latency_ms,
            latency_jitter_ms: self.fault_latency_jitter_ms,
            fail_next: Vec::new(),
        }
        .check(seed)?;
        plan.fail_next.extend(self.fail_next.iter().cloned());
        Ok(plan)
    }
}

/// Runs the server until Ctrl-C (or SIGTERM).
pub fn run(args: &ServeArgs) -> u8 {
    match start(args) {
        Ok(()) => EXIT_OK,
        Err(message) => {
            say!("{PROGRAM}: error: {message}");
            EXIT_ERROR
        }
    }
}

fn start(args: &ServeArgs) -> Result<(), String> {
    let world = match &args.world {
        None => None,
        Some(path) => Some(read_world(path)?),
    };
    let auth = match &args.credentials {
        None => Auth::Open,
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| format!("--credentials {}: {e}", path.display()))?;
            let credentials = Credentials::from_json(&text)
                .map_err(|e| format!("--credentials {}: {e}", path.display()))?;
            Auth::keys(credentials)
        }
    };
    let now = match args.now {
        Some(now) => now,
        None => crate::now::system_now()?,
    };
    let seed = args.seed.unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64)
            ^ u64::from(std::process::id())
    });
    let open = auth.is_open();
    let limits = args.limits();
    let fault_plan = args
        .faults(seed)
        .map_err(|e| format!("the fault flags: {e}"))?;
    let connections = Arc::new(Connections::new());
    let emulator = Arc::new(Emulator::new(
        seed,
        now,
        world,
        Setup {
            auth,
            latency: Duration::from_millis(args.latency_ms),
            faults: fault_plan,
            max_in_flight: limits.max_in_flight,
            connections: Arc::clone(&connections),
        },
    ));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}"))?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(args.listen)
            .await
            .map_err(|e| format!("--listen {}: {e}", args.listen))?;
        let address = listener
            .local_addr()
            .map_err(|e| format!("--listen {}: {e}", args.listen))?;
        if open {
            say!(
                "{PROGRAM}: WARNING: no --credentials given: the server runs OPEN and checks no \
                 signature; any AccessKey is accepted"
            );
        } else {
            say!(
                "{PROGRAM}: checking signatures (RPC HMAC-SHA1, ACS3-HMAC-SHA256) against the \
                 machine's clock, {} minutes either way",
                auth::MAX_SKEW_SECONDS / 60
            );
        }
        say!("{PROGRAM}: region clock {now}, seed {seed}; control API at http://{address}/_emulator/");
        let needed = limits.max_connections as u64 + limits::DESCRIPTORS_BESIDE_CONNECTIONS;
        if let Some(allowed) = limits::descriptor_limit().filter(|&allowed| allowed < needed) {
            say!(
                "{PROGRAM}: WARNING: --max-connections {} needs about {needed} open files and \
                 this process may open {allowed} (ulimit -n): lower --max-connections",
                limits.max_connections
            );
        }
        {
            use std::io::Write as _;
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "listening on http://{address}");
            let _ = out.flush();
        }
        let context = Arc::new(connection::Context {
            router: routes::router(emulator),
            limits,
            connections,
        });
        listen::run(listener, context, shutdown()).await;
        Ok::<(), String>(())
    })?;
    say!("{PROGRAM}: stopped");
    Ok(())
}

/// Resolves on Ctrl-C or, on Unix, SIGTERM.
async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
