//! `ecs-snapshot-rules serve`: a local CreateSnapshot endpoint that the official SDKs can
//! call, answering from the library's own simulator ([`ecs_snapshot_rules::Region`]).
//!
//! One concept a file: [`wire`] reads the RPC wire format, [`auth`] checks the caller,
//! [`respond`] writes the API's envelopes, [`control`] is the control API, [`shared`] the
//! state every handler shares, and [`routes`] ties them to paths.

mod auth;
mod control;
mod respond;
mod routes;
mod shared;
mod wire;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use clap::Args;
use ecs_snapshot_rules::Timestamp;

use crate::process::{say, EXIT_ERROR, EXIT_OK, PROGRAM};
use crate::world_file::read_world;
use auth::Auth;
use shared::Emulator;

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

    /// The seed of the region's IDs and the RequestIds; default: from the current time.
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,

    /// How long a CreateSnapshot call stays in flight before it is answered, in
    /// milliseconds: another call with its ClientToken meanwhile gets IdempotentProcessing.
    #[arg(long, value_name = "MS", default_value_t = 0)]
    pub latency_ms: u64,
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
            let credentials = ecs_snapshot_rules::signature::Credentials::from_json(&text)
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
    let emulator = Arc::new(Emulator::new(
        seed,
        now,
        world,
        auth,
        Duration::from_millis(args.latency_ms),
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
        {
            use std::io::Write as _;
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "listening on http://{address}");
            let _ = out.flush();
        }
        axum::serve(listener, routes::router(emulator))
            .with_graceful_shutdown(shutdown())
            .await
            .map_err(|e| format!("the server stopped: {e}"))
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
