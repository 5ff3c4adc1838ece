//! The control API under `/_emulator/` (JSON in, JSON out), for a test to set the scene and
//! look at the result: load facts, move the clock, finish or fail snapshots, read the state,
//! reset. `docs/EMULATOR.md` describes it.

use std::sync::atomic::Ordering;
use std::sync::Arc;

use crate::library::{percent, Facts, Notice, RegionError, SnapshotSource};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

use super::shared::Emulator;

pub(super) fn reply(status: StatusCode, value: &Value) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        value.to_string(),
    )
        .into_response()
}

pub(super) fn failure(status: StatusCode, message: impl std::fmt::Display) -> Response {
    reply(status, &json!({ "error": message.to_string() }))
}

fn region_failure(error: &RegionError) -> Response {
    let status = match error {
        RegionError::UnknownSnapshot(_)
        | RegionError::UnknownDisk(_)
        | RegionError::UnknownInstance(_) => StatusCode::NOT_FOUND,
        RegionError::ClockOverflow => StatusCode::BAD_REQUEST,
        _ => StatusCode::CONFLICT,
    };
    failure(status, error)
}

fn notices(notices: &[Notice]) -> Value {
    Value::Array(
        notices
            .iter()
            .map(|notice| match notice {
                Notice::DiskReleased {
                    disk_id,
                    deleted_snapshot_id,
                } => json!({
                    "notice": "disk_released",
                    "disk_id": disk_id,
                    "deleted_snapshot_id": deleted_snapshot_id,
                }),
                Notice::InstanceChangedDuringSnapshot {
                    instance_id,
                    status,
                    snapshot_id,
                } => json!({
                    "notice": "instance_changed_during_snapshot",
                    "instance_id": instance_id,
                    "status": status.to_string(),
                    "snapshot_id": snapshot_id,
                }),
            })
            .collect(),
    )
}

/// `GET /_emulator/state`: the clock, every snapshot (sorted by ID), the facts, counts of
/// CreateSnapshot answers, the calls in flight, and counts of connections.
pub async fn state(State(emulator): State<Arc<Emulator>>) -> Response {
    let region = emulator.region();
    let mut snapshots: Vec<_> = region.snapshots().collect();
    snapshots.sort_by(|a, b| a.snapshot_id.cmp(&b.snapshot_id));
    let snapshots: Vec<Value> = snapshots
        .into_iter()
        .map(|s| {
            let (source_type, source_id) = match &s.source {
                SnapshotSource::Disk(id) => ("disk", id),
                SnapshotSource::Volume(id) => ("volume", id),
            };
            json!({
                "snapshot_id": s.snapshot_id,
                "source_type": source_type,
                "source_id": source_id,
                "kind": s.kind,
                "status": s.status,
                "created_at": s.created_at,
            })
        })
        .collect();
    let facts = serde_json::to_value(region.facts()).unwrap_or(Value::Null);
    let now = region.now();
    drop(region);
    let stats = &emulator.stats;
    let connections = &emulator.connections;
    let counts = &connections.counts;
    reply(
        StatusCode::OK,
        &json!({
            "now": now,
            "snapshots": snapshots,
            "facts": facts,
            "stats": {
                "created": stats.created.load(Ordering::Relaxed),
                "replayed": stats.replayed.load(Ordering::Relaxed),
                "refused": stats.refused.load(Ordering::Relaxed),
                "faulted": stats.faulted.load(Ordering::Relaxed),
                "shed": stats.shed.load(Ordering::Relaxed),
            },
            "in_flight": {
                "now": emulator.in_flight.now(),
                "peak": emulator.in_flight.peak(),
            },
            "connections": {
                "open": connections.open(),
                "accepted": counts.accepted.load(Ordering::Relaxed),
                "peak_open": counts.peak_open.load(Ordering::Relaxed),
                "evicted": counts.evicted.load(Ordering::Relaxed),
                "header_timeouts": counts.header_timeouts.load(Ordering::Relaxed),
                "idle_timeouts": counts.idle_timeouts.load(Ordering::Relaxed),
                "body_timeouts": counts.body_timeouts.load(Ordering::Relaxed),
            },
        }),
    )
}

/// `POST /_emulator/facts`: facts in the `--world` format, merged into the region (see
/// `Region::load_facts`); `account`, `region` and `fault` are replaced only when the body
/// names them.
pub async fn facts(State(emulator): State<Arc<Emulator>>, body: Bytes) -> Response {
    let Ok(text) = std::str::from_utf8(&body) else {
        return failure(StatusCode::BAD_REQUEST, "the facts are not UTF-8 text");
    };
    let mut facts = match Facts::from_json(text) {
        Ok(facts) => facts,
        Err(error) => return failure(StatusCode::BAD_REQUEST, error),
    };
    let named = serde_json::from_str::<serde_json::Map<String, Value>>(
        text.strip_prefix('\u{feff}').unwrap_or(text),
    )
    .unwrap_or_default();
    let mut region = emulator.region();
    if !named.contains_key("account") {
        facts.account = region.facts().account.clone();
    }
    if !named.contains_key("region") {
        facts.region = region.facts().region.clone();
    }
    if !named.contains_key("fault") {
        facts.fault = region.facts().fault;
    }
    let released = region.load_facts(facts);
    drop(region);
    reply(StatusCode::OK, &json!({ "notices": notices(&released) }))
}

/// `POST /_emulator/clock/advance?seconds=N`: moves the region's clock (N from 0 to
/// 4294967295); Expired disks whose release time comes are released.
pub async fn advance(State(emulator): State<Arc<Emulator>>, uri: Uri) -> Response {
    let seconds = percent::pieces(uri.query().unwrap_or_default().as_bytes())
        .find(|piece| percent::decode_lossy(piece.name) == "seconds")
        .map(|piece| percent::decode_lossy(piece.value).parse::<u32>());
    let seconds = match seconds {
        Some(Ok(seconds)) => seconds,
        Some(Err(_)) | None => {
            return failure(
                StatusCode::BAD_REQUEST,
                "give seconds=N, a whole number from 0 to 4294967295",
            )
        }
    };
    let mut region = emulator.region();
    match region.advance(seconds) {
        Ok(released) => {
            let now = region.now();
            drop(region);
            reply(
                StatusCode::OK,
                &json!({ "now": now, "notices": notices(&released) }),
            )
        }
        Err(error) => region_failure(&error),
    }
}

/// `POST /_emulator/snapshots/{id}/finish`: progressing to accomplished.
pub async fn finish(State(emulator): State<Arc<Emulator>>, Path(id): Path<String>) -> Response {
    let result = emulator.region().finish_snapshot(&id);
    snapshot_moved(&emulator, &id, result)
}

/// `POST /_emulator/snapshots/{id}/fail`: progressing to failed.
pub async fn fail(State(emulator): State<Arc<Emulator>>, Path(id): Path<String>) -> Response {
    let result = emulator.region().fail_snapshot(&id);
    snapshot_moved(&emulator, &id, result)
}

fn snapshot_moved(emulator: &Emulator, id: &str, result: Result<(), RegionError>) -> Response {
    match result {
        Ok(()) => {
            let status = emulator.region().snapshot(id).map(|s| s.status);
            reply(
                StatusCode::OK,
                &json!({ "snapshot_id": id, "status": status }),
            )
        }
        Err(error) => region_failure(&error),
    }
}

/// `POST /_emulator/reset`: the region as the server started (seed, clock, `--world`), and
/// the faults as the flags set them.
pub async fn reset(State(emulator): State<Arc<Emulator>>) -> Response {
    emulator.reset();
    let now = emulator.region().now();
    reply(StatusCode::OK, &json!({ "now": now }))
}

/// Any other path or method under `/_emulator/`.
pub async fn unknown(uri: Uri) -> Response {
    failure(
        StatusCode::NOT_FOUND,
        format!("no control endpoint {} (see docs/EMULATOR.md)", uri.path()),
    )
}
