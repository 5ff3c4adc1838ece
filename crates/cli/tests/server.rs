//! `ecs-snapshot-rules serve` over real HTTP: the built binary on a free port, asked with raw
//! HTTP/1.1, answers with the API's exact status, content type and body.

mod server_support;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Write;
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use ecs_snapshot_rules::catalogue::{success_json_body, success_xml_body};
use ecs_snapshot_rules::rules::too_many_tags;
use ecs_snapshot_rules::{ApiError, ErrorCode};
use server_support::{Reply, Server};

const XML: &str = "text/xml;charset=utf-8";
const JSON: &str = "application/json;charset=utf-8";
const WORLD: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/world.json");

fn world_server() -> Server {
    Server::start(&["--world", WORLD])
}

/// The snapshots created since the start: the example world holds one, `s-inprogress01`.
fn created(server: &Server) -> Vec<serde_json::Value> {
    let state = server.state();
    let snapshots = state["snapshots"].as_array().expect("snapshots").clone();
    snapshots
        .into_iter()
        .filter(|s| s["snapshot_id"] != "s-inprogress01")
        .collect()
}

fn request_id(reply: &Reply) -> String {
    let id = reply.field("RequestId").expect("a RequestId");
    assert_eq!(id.len(), 36, "{id}");
    assert!(id
        .bytes()
        .all(|b| b == b'-' || b.is_ascii_digit() || b.is_ascii_uppercase()));
    assert_eq!(reply.header("x-acs-request-id"), Some(id.as_str()));
    id
}

/// Asserts an exact error answer in the format the reply came in.
fn assert_error(reply: &Reply, error: &ApiError) {
    assert_eq!(reply.status, error.status(), "{}", reply.body);
    let id = request_id(reply);
    match reply.header("content-type") {
        Some(XML) => assert_eq!(reply.body, error.xml_body(&id)),
        Some(JSON) => assert_eq!(reply.body, error.json_body(&id)),
        other => panic!("content type {other:?}"),
    }
}

fn assert_code(reply: &Reply, code: ErrorCode) {
    assert_error(reply, &ApiError::new(code));
}

/// Asserts an exact success answer and returns its SnapshotId.
fn assert_success(reply: &Reply) -> String {
    assert_eq!(reply.status, 200, "{}", reply.body);
    let id = request_id(reply);
    let snapshot_id = reply.field("SnapshotId").expect("a SnapshotId");
    match reply.header("content-type") {
        Some(XML) => assert_eq!(reply.body, success_xml_body(&id, &snapshot_id)),
        Some(JSON) => assert_eq!(reply.body, success_json_body(&id, &snapshot_id)),
        other => panic!("content type {other:?}"),
    }
    snapshot_id
}

#[test]
fn get_answers_in_xml_by_default() {
    let server = world_server();
    let reply = server.get("/?Action=CreateSnapshot&DiskId=d-system01");
    assert_eq!(reply.header("content-type"), Some(XML));
    let snapshot_id = assert_success(&reply);
    assert!(snapshot_id.starts_with("s-"));
    let created = created(&server);
    assert_eq!(created.len(), 1);
    assert_eq!(created[0]["snapshot_id"], snapshot_id.as_str());
    assert_eq!(created[0]["source_id"], "d-system01");
    assert_eq!(created[0]["status"], "progressing");
}

#[test]
fn post_form_with_format_json_answers_in_json() {
    let server = world_server();
    let reply = server.post_form(
        "/",
        "Action=CreateSnapshot&Format=JSON&DiskId=d-shared01&Tag.1.Key=env&Tag.1.Value=prod+run",
    );
    assert_eq!(reply.header("content-type"), Some(JSON));
    assert_success(&reply);
}

#[test]
fn errors_carry_the_status_of_their_row_in_both_formats() {
    let server = world_server();
    let reply = server.get("/?Action=CreateSnapshot&DiskId=d-system01&SnapshotName=auto-1");
    assert_eq!(reply.header("content-type"), Some(XML));
    assert!(reply
        .body
        .starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error>"));
    assert_code(&reply, ErrorCode::InvalidSnapshotNameMalformed);

    // The spec's quirk: a malformed Description is a 404.
    let reply = server.get("/?Action=CreateSnapshot&Format=JSON&DiskId=d-system01&Description=x");
    assert_eq!(reply.header("content-type"), Some(JSON));
    assert_eq!(reply.status, 404);
    assert_code(&reply, ErrorCode::InvalidDescriptionMalformed);

    // Stateful rows, from the example world.
    let reply = server.get("/?Action=CreateSnapshot&DiskId=d-busy");
    assert_code(&reply, ErrorCode::IncorrectDiskStatusCreatingSnapshot);
    let reply = server.get("/?Action=CreateSnapshot&DiskId=d-gone&Format=JSON");
    assert_code(&reply, ErrorCode::InvalidDiskIdNotFound);
    let reply = server.get("/?Action=CreateSnapshot");
    assert_error(&reply, &ApiError::new(ErrorCode::MissingParameter));
    assert!(created(&server).is_empty());
}

#[test]
fn other_actions_paths_and_methods_are_invalid_action_not_found() {
    let server = world_server();
    for target in [
        "/?Action=DescribeDisks&DiskId=d-system01",
        "/?Action=createsnapshot&DiskId=d-system01",
        "/?DiskId=d-system01",
        "/ecs/?Action=CreateSnapshot&DiskId=d-system01",
    ] {
        assert_code(&server.get(target), ErrorCode::InvalidActionNotFound);
    }
    let reply = server.post_form("/", "Action=DeleteSnapshot&Format=JSON");
    assert_eq!(reply.header("content-type"), Some(JSON));
    assert_code(&reply, ErrorCode::InvalidActionNotFound);
    let reply = server
        .connect()
        .send("PUT", "/?Action=CreateSnapshot&DiskId=d-system01", &[], b"");
    assert_code(&reply, ErrorCode::InvalidActionNotFound);
    // An ACS3 request names its action in a header.
    let reply = server.connect().send(
        "POST",
        "/?DiskId=d-system01",
        &[("x-acs-action", "DescribeDisks")],
        b"",
    );
    assert_code(&reply, ErrorCode::InvalidActionNotFound);
    assert!(created(&server).is_empty());
}

#[test]
fn format_is_json_in_any_case_and_acs3_defaults_to_json() {
    let server = world_server();
    let base = "/?Action=CreateSnapshot&DiskId=d-gone";
    for (format, content_type) in [
        ("&Format=json", JSON),
        ("&Format=Json", JSON),
        ("&Format=XML", XML),
        ("&Format=xml", XML),
        ("&Format=yaml", XML),
        ("", XML),
    ] {
        let reply = server.get(&format!("{base}{format}"));
        assert_eq!(reply.header("content-type"), Some(content_type), "{format}");
        assert_code(&reply, ErrorCode::InvalidDiskIdNotFound);
    }
    let acs3 = |format: &str| {
        server.connect().send(
            "POST",
            &format!("/?DiskId=d-gone{format}"),
            &[
                ("x-acs-action", "CreateSnapshot"),
                ("x-acs-version", "2014-05-26"),
            ],
            b"",
        )
    };
    assert_eq!(acs3("").header("content-type"), Some(JSON));
    assert_eq!(acs3("&Format=XML").header("content-type"), Some(XML));
    assert_code(&acs3(""), ErrorCode::InvalidDiskIdNotFound);
}

#[test]
fn parameters_arrive_intact_from_query_and_form() {
    let server = world_server();
    // Booleans as Python writes them, tags, percent-encoding and '+' in a form.
    let reply = server.post_form(
        "/?Action=CreateSnapshot&Format=JSON",
        "DiskId=d-system01&SnapshotName=nightly%3A1&Description=two+words&RetentionDays=030\
         &InstantAccess=True&InstantAccessRetentionDays=2&ClientToken=t-1\
         &Tag.1.Key=env&Tag.1.Value=&Tag.2.Key=team&Tag.2.Value=a%26b",
    );
    let first = assert_success(&reply);
    // The same request, spelled otherwise (lower-case true, 30, tags reordered), replays.
    let reply = server.get(
        "/?Action=CreateSnapshot&Format=JSON&DiskId=d-system01&SnapshotName=nightly:1\
         &Description=two%20words&RetentionDays=30&InstantAccess=true\
         &InstantAccessRetentionDays=2&ClientToken=t-1&Tag.2.Value=a%26b&Tag.2.Key=team\
         &Tag.1.Key=env&Tag.1.Value=",
    );
    assert_eq!(assert_success(&reply), first);
    let created = created(&server);
    assert_eq!(created.len(), 1);
    assert_eq!(created[0]["kind"], "instant_access");
}

#[test]
fn unreadable_parameters_are_invalid_parameter() {
    let server = world_server();
    let reply = server.post_form("/?Action=CreateSnapshot&DiskId=d-1", "DiskId=d-2");
    assert_error(&reply, &ApiError::invalid_parameter("DiskId"));
    let reply = server.get("/?Action=CreateSnapshot&DiskId=d-%zz");
    assert_error(&reply, &ApiError::invalid_parameter("DiskId"));
    let reply = server.get("/?Action=CreateSnapshot&DiskId=d-%FF");
    assert_error(&reply, &ApiError::invalid_parameter("DiskId"));
    let reply = server.get("/?Action=CreateSnapshot&DiskId=d-system01&InstantAccess=1");
    assert_error(&reply, &ApiError::invalid_parameter("InstantAccess"));
}

#[test]
fn a_body_over_the_limit_is_refused_and_the_server_lives_on() {
    let server = world_server();
    let big = format!(
        "Action=CreateSnapshot&DiskId=d-1&Description={}",
        "a".repeat(2 << 20)
    );
    let reply = server.post_form("/", &big);
    assert_eq!(reply.status, 413);
    assert_success(&server.get("/?Action=CreateSnapshot&DiskId=d-system01"));
}

#[test]
fn every_answer_has_a_fresh_request_id() {
    let server = world_server();
    let mut connection = server.connect();
    let mut seen = BTreeSet::new();
    for i in 0..200 {
        let target = if i % 2 == 0 {
            "/?Action=CreateSnapshot&DiskId=d-gone"
        } else {
            "/?Action=Nothing"
        };
        let reply = connection.send("GET", target, &[], b"");
        assert!(seen.insert(request_id(&reply)));
    }
}

#[test]
fn the_control_api_sets_the_scene() {
    let server = world_server();
    // The example world's request: ten minutes after the attachment, twenty to wait.
    let world_request = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/world-request.txt"
    ))
    .expect("request");
    let target = format!("/?{}", world_request.trim());
    assert_code(&server.get(&target), ErrorCode::IncorrectDiskStatus);

    let reply = server.post_json("/_emulator/clock/advance?seconds=1200", "");
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(server.state()["now"], "2026-11-27T12:20:00Z");
    let snapshot_id = assert_success(&server.get(&target));

    // One at a time per disk until the back end finishes it.
    let again = "/?Action=CreateSnapshot&DiskId=d-data01";
    assert_code(
        &server.get(again),
        ErrorCode::IncorrectDiskStatusCreatingSnapshot,
    );
    let reply = server.post_json(&format!("/_emulator/snapshots/{snapshot_id}/finish"), "");
    assert_eq!(reply.status, 200, "{}", reply.body);
    let second = assert_success(&server.get(again));
    let reply = server.post_json(&format!("/_emulator/snapshots/{second}/fail"), "");
    assert_eq!(
        reply.body,
        format!(r#"{{"snapshot_id":"{second}","status":"failed"}}"#)
    );
    // A finished snapshot cannot fail; an unknown one is not found.
    let reply = server.post_json(&format!("/_emulator/snapshots/{second}/finish"), "");
    assert_eq!(reply.status, 409, "{}", reply.body);
    let reply = server.post_json("/_emulator/snapshots/s-none/finish", "");
    assert_eq!(reply.status, 404, "{}", reply.body);
    // The world's own progressing snapshot can be finished too.
    let reply = server.post_json("/_emulator/snapshots/s-inprogress01/finish", "");
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_success(&server.get("/?Action=CreateSnapshot&DiskId=d-busy"));

    // Facts merge by ID: a new disk, and a fault for everything.
    let reply = server.post_json(
        "/_emulator/facts",
        r#"{"disks": {"d-new": {"instance_id": "i-web01"}}}"#,
    );
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_success(&server.get("/?Action=CreateSnapshot&DiskId=d-new"));
    let reply = server.post_json("/_emulator/facts", r#"{"fault": "internal_error"}"#);
    assert_eq!(reply.status, 200, "{}", reply.body);
    let reply = server.get("/?Action=CreateSnapshot&DiskId=d-new&Format=JSON");
    assert_eq!(reply.status, 500);
    assert_code(&reply, ErrorCode::InternalError);
    let stats = &server.state()["stats"];
    assert_eq!(stats["created"], 4);

    // Bad facts say where; unknown control paths are 404s.
    let reply = server.post_json(
        "/_emulator/facts",
        "{\"disks\": {\"d-1\": {\"colour\": 1}}}",
    );
    assert_eq!(reply.status, 400);
    assert!(reply.body.contains("line 1, column"), "{}", reply.body);
    assert_eq!(
        server
            .post_json("/_emulator/clock/advance?seconds=-1", "")
            .status,
        400
    );
    assert_eq!(server.get("/_emulator/nothing").status, 404);

    // Reset: the world as it started.
    let reply = server.post_json("/_emulator/reset", "");
    assert_eq!(reply.body, r#"{"now":"2026-11-27T12:00:00Z"}"#);
    assert!(created(&server).is_empty());
    assert_eq!(server.state()["stats"]["created"], 0);
    assert_code(&server.get(&target), ErrorCode::IncorrectDiskStatus);
}

#[test]
fn the_region_set_by_the_control_api_stays_until_a_body_names_it() {
    let server = world_server();
    let instant = "/?Action=CreateSnapshot&DiskId=d-system01&InstantAccess=true&Format=JSON";
    let reply = server.post_json(
        "/_emulator/facts",
        r#"{"region": {"instant_access_available": false}}"#,
    );
    assert_eq!(reply.status, 200, "{}", reply.body);
    let refusal = server.get(instant);
    assert_eq!(refusal.status, 403);
    assert_code(
        &refusal,
        ErrorCode::InvalidRegionNotSupportSnapshotInstantAccessRegion,
    );
    // Facts that do not name the region leave it as it is.
    let reply = server.post_json(
        "/_emulator/facts",
        r#"{"disks": {"d-new": {"instance_id": "i-web01"}}}"#,
    );
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_code(
        &server.get(instant),
        ErrorCode::InvalidRegionNotSupportSnapshotInstantAccessRegion,
    );
    // Naming it again sets it again.
    let reply = server.post_json("/_emulator/facts", r#"{"region": {}}"#);
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_success(&server.get(instant));
}

#[test]
fn a_client_token_replays_its_answer_and_refuses_other_parameters() {
    let server = world_server();
    let target = "/?Action=CreateSnapshot&DiskId=d-system01&ClientToken=abc";
    let first = assert_success(&server.get(target));
    assert_eq!(assert_success(&server.get(target)), first);
    assert_code(
        &server.get(&format!("{target}&SnapshotName=other")),
        ErrorCode::IdempotentParameterMismatch,
    );
    // Tokens are case-sensitive: ABC is another token (and the disk is busy now).
    assert_code(
        &server.get("/?Action=CreateSnapshot&DiskId=d-system01&ClientToken=ABC"),
        ErrorCode::IncorrectDiskStatusCreatingSnapshot,
    );
    let stats = &server.state()["stats"];
    assert_eq!(
        (stats["created"].as_u64(), stats["replayed"].as_u64()),
        (Some(1), Some(1))
    );
}

#[test]
fn concurrent_calls_with_one_client_token_have_one_winner() {
    // The winner's call lasts two seconds: a loser scheduled late on a busy machine still
    // finds it in flight (after the call, it would be a replay, a second 200).
    let server = Server::start(&["--world", WORLD, "--latency-ms", "2000"]);
    let clients = 8;
    let barrier = Arc::new(Barrier::new(clients));
    let replies: Vec<Reply> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..clients)
            .map(|_| {
                let barrier = Arc::clone(&barrier);
                let mut connection = server.connect();
                scope.spawn(move || {
                    barrier.wait();
                    connection.send(
                        "GET",
                        "/?Action=CreateSnapshot&Format=JSON&DiskId=d-system01&ClientToken=race",
                        &[],
                        b"",
                    )
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a client"))
            .collect()
    });
    let winners: Vec<&Reply> = replies.iter().filter(|r| r.status == 200).collect();
    assert_eq!(winners.len(), 1, "{replies:?}");
    for reply in replies.iter().filter(|r| r.status != 200) {
        assert_code(reply, ErrorCode::IdempotentProcessing);
    }
    // Once answered, the token replays.
    let snapshot_id = assert_success(winners[0]);
    let again =
        server.get("/?Action=CreateSnapshot&Format=JSON&DiskId=d-system01&ClientToken=race");
    assert_eq!(assert_success(&again), snapshot_id);
    assert_eq!(created(&server).len(), 1);
}

/// What one load-test request should get.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// A new snapshot of the client's own disk, with its own token.
    Create,
    /// The client's last Create again: a replay.
    Replay,
    /// A token shared by every client, on a shared disk: one snapshot whoever wins.
    Shared,
    /// Malformed: refused, creates nothing.
    Malformed,
    /// Another action: refused.
    WrongAction,
    /// The client's last token with other parameters: refused.
    Mismatch,
}

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Many concurrent clients, mixed valid and invalid requests, repeated ClientTokens; then
/// every accepted request has exactly one snapshot and every refused one none. Sizes from
/// `LOAD_CLIENTS` and `LOAD_REQUESTS` (per client); requests/s and p99 are printed.
#[test]
fn under_load_every_accepted_request_has_exactly_one_snapshot() {
    let clients = env_number("LOAD_CLIENTS", 32);
    let per_client = env_number("LOAD_REQUESTS", 100);
    let latency = std::env::var("LOAD_LATENCY_MS").unwrap_or_else(|_| "1".to_owned());
    let shared_tokens = 8;
    // A disk for every Create and every Malformed request, one for each shared token.
    let mut disks = serde_json::Map::new();
    for c in 0..clients {
        for i in 0..per_client {
            disks.insert(
                format!("d-{c}-{i}"),
                serde_json::json!({"instance_id": "i-1"}),
            );
        }
    }
    for s in 0..shared_tokens {
        disks.insert(
            format!("d-shared-{s}"),
            serde_json::json!({"instance_id": "i-1"}),
        );
    }
    let world = serde_json::json!({"instances": {"i-1": {"status": "Running"}}, "disks": disks});
    let world_file = std::env::temp_dir().join(format!("load-world-{}.json", std::process::id()));
    std::fs::write(&world_file, world.to_string()).expect("world file");
    let server = Server::start(&[
        "--world",
        world_file.to_str().expect("path"),
        "--latency-ms",
        &latency,
    ]);

    let started = Instant::now();
    type Outcome = (Kind, Option<String>, String, Reply, Duration);
    let outcomes: Vec<Outcome> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..clients)
            .map(|c| {
                let server = &server;
                scope.spawn(move || {
                    let mut connection = server.connect();
                    let mut out = Vec::with_capacity(per_client);
                    let mut last: Option<(String, String)> = None;
                    for i in 0..per_client {
                        let kind = match (i + c) % 8 {
                            0..=2 => Kind::Create,
                            3 if last.is_some() => Kind::Replay,
                            4 => Kind::Shared,
                            5 => Kind::Malformed,
                            6 => Kind::WrongAction,
                            7 if last.is_some() => Kind::Mismatch,
                            _ => Kind::Create,
                        };
                        let disk = format!("d-{c}-{i}");
                        let (token, query) = match kind {
                            Kind::Create => {
                                let token = format!("t-{c}-{i}");
                                let q = format!(
                                    "DiskId={disk}&ClientToken={token}&Tag.1.Key=c&Tag.1.Value={c}"
                                );
                                last = Some((token.clone(), q.clone()));
                                (Some(token), q)
                            }
                            Kind::Replay => {
                                let (token, q) = last.clone().expect("a last create");
                                (Some(token), q)
                            }
                            Kind::Shared => {
                                let s = i % shared_tokens;
                                let token = format!("shared-{s}");
                                (
                                    Some(token.clone()),
                                    format!("DiskId=d-shared-{s}&ClientToken={token}"),
                                )
                            }
                            Kind::Malformed => {
                                (None, format!("DiskId={disk}&SnapshotName=auto-{i}"))
                            }
                            Kind::WrongAction => (None, format!("DiskId={disk}&Action2=x")),
                            Kind::Mismatch => {
                                let (token, q) = last.clone().expect("a last create");
                                (Some(token), format!("{q}&Description=different"))
                            }
                        };
                        let action = if kind == Kind::WrongAction {
                            "DescribeDisks"
                        } else {
                            "CreateSnapshot"
                        };
                        let target = format!("/?Action={action}&Format=JSON&{query}");
                        let sent = Instant::now();
                        let reply = connection.send("GET", &target, &[], b"");
                        out.push((kind, token, disk, reply, sent.elapsed()));
                    }
                    out
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("a client"))
            .collect()
    });
    let elapsed = started.elapsed();
    let _ = std::fs::remove_file(&world_file);

    let mut latencies: Vec<Duration> = outcomes.iter().map(|o| o.4).collect();
    latencies.sort();
    let p99 = latencies[(latencies.len() * 99 / 100).min(latencies.len() - 1)];
    println!(
        "load: {clients} clients x {per_client} requests = {} in {elapsed:?}: {:.0} requests/s, p99 {p99:?}",
        outcomes.len(),
        outcomes.len() as f64 / elapsed.as_secs_f64()
    );

    let mut by_token: HashMap<String, BTreeSet<String>> = HashMap::new();
    let mut answered = BTreeSet::new();
    let mut refused_disks = BTreeSet::new();
    for (kind, token, disk, reply, _) in &outcomes {
        match kind {
            Kind::Create | Kind::Replay => {
                let id = assert_success(reply);
                by_token
                    .entry(token.clone().expect("token"))
                    .or_default()
                    .insert(id.clone());
                answered.insert(id);
            }
            Kind::Shared => {
                if reply.status == 200 {
                    let id = assert_success(reply);
                    by_token
                        .entry(token.clone().expect("token"))
                        .or_default()
                        .insert(id.clone());
                    answered.insert(id);
                } else {
                    assert_code(reply, ErrorCode::IdempotentProcessing);
                }
            }
            Kind::Malformed => {
                assert_code(reply, ErrorCode::InvalidSnapshotNameMalformed);
                refused_disks.insert(disk.clone());
            }
            Kind::WrongAction => {
                assert_code(reply, ErrorCode::InvalidActionNotFound);
                refused_disks.insert(disk.clone());
            }
            Kind::Mismatch => assert_code(reply, ErrorCode::IdempotentParameterMismatch),
        }
    }
    // One snapshot a token, whoever asked and however often.
    for (token, ids) in &by_token {
        assert_eq!(ids.len(), 1, "token {token} got {ids:?}");
    }
    let state = server.state();
    let snapshots = state["snapshots"].as_array().expect("snapshots");
    let held: BTreeSet<String> = snapshots
        .iter()
        .map(|s| s["snapshot_id"].as_str().expect("id").to_owned())
        .collect();
    // Nothing lost, nothing duplicated: the snapshots held are exactly those answered.
    assert_eq!(held, answered);
    assert_eq!(held.len(), snapshots.len());
    assert_eq!(state["stats"]["created"].as_u64(), Some(held.len() as u64));
    let mut per_disk: BTreeMap<&str, usize> = BTreeMap::new();
    for s in snapshots {
        *per_disk
            .entry(s["source_id"].as_str().expect("disk"))
            .or_default() += 1;
    }
    assert!(per_disk.values().all(|&n| n == 1), "{per_disk:?}");
    // A refused request's disk has no snapshot.
    for disk in &refused_disks {
        assert!(
            !per_disk.contains_key(disk.as_str()),
            "{disk} has a snapshot"
        );
    }
    assert_eq!(
        by_token.keys().filter(|t| t.starts_with("shared-")).count(),
        shared_tokens.min(per_client)
    );
}

/// Without `--credentials` the server says loudly that it checks no signature, and a
/// request with any AccessKey (or none) is served; SIGTERM stops it gracefully.
#[cfg(unix)]
#[test]
fn open_mode_warns_loudly_and_serves_anyone() {
    use std::io::{BufRead, BufReader, Read};
    let mut child = std::process::Command::new(server_support::binary())
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--now",
            "2026-11-27T12:00:00Z",
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the server starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("the listening line");
    let address = line
        .trim()
        .trim_start_matches("listening on http://")
        .to_owned();
    let reply = server_support::Connection::open(&address).send(
        "GET",
        "/?Action=CreateSnapshot&DiskId=d-none&AccessKeyId=anyone&Signature=nonsense",
        &[],
        b"",
    );
    assert_code(&reply, ErrorCode::InvalidDiskIdNotFound);
    let _ = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let status = child.wait().expect("it stops");
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut stderr)
        .expect("stderr text");
    assert!(
        stderr.contains("WARNING: no --credentials given: the server runs OPEN"),
        "{stderr}"
    );
    assert!(status.success(), "{status:?}: {stderr}");
    assert!(stderr.contains("stopped"), "{stderr}");
}

/// A server started with `--credentials` (one key pair), and the file, removed on drop.
struct SignedServer {
    server: Server,
    file: std::path::PathBuf,
}

impl Drop for SignedServer {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.file);
    }
}

/// A server that checks signatures against one key, `LTAI-test` with secret `s3cr3t`, with
/// the flags `extra` too.
fn signed_server(name: &str, extra: &[&str]) -> SignedServer {
    let file = std::env::temp_dir().join(format!("credentials-{name}-{}.json", std::process::id()));
    std::fs::write(
        &file,
        r#"{"AccessKeys": [{"AccessKeyId": "LTAI-test", "AccessKeySecret": "s3cr3t"}]}"#,
    )
    .expect("credentials file");
    let mut args = vec![
        "--world",
        WORLD,
        "--credentials",
        file.to_str().expect("path"),
    ];
    args.extend_from_slice(extra);
    let server = Server::start(&args);
    SignedServer { server, file }
}

/// The machine's time, `seconds_ago` earlier, as the SDKs write it.
fn wall_clock(seconds_ago: i64) -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs();
    ecs_snapshot_rules::Timestamp::from_unix_seconds(now as i64 - seconds_ago)
        .expect("time")
        .to_string()
}

/// A query string signed as the older SDKs sign it (RPC, HMAC-SHA1).
fn rpc_signed(
    parameters: &[(&str, &str)],
    key: &str,
    secret: &str,
    nonce: &str,
    timestamp: &str,
) -> String {
    use ecs_snapshot_rules::signature::rpc_v1;
    use ecs_snapshot_rules::wire::percent;
    let mut all: Vec<(&str, &str)> = parameters.to_vec();
    all.extend([
        ("AccessKeyId", key),
        ("SignatureMethod", "HMAC-SHA1"),
        ("SignatureVersion", "1.0"),
        ("SignatureNonce", nonce),
        ("Timestamp", timestamp),
    ]);
    let signature = rpc_v1::sign("GET", &all, secret);
    all.push(("Signature", &signature));
    percent::encode_pairs(&all)
}

#[test]
fn signed_requests_are_served_and_every_bad_signature_refused() {
    let signed = signed_server("rpc", &[]);
    let server = &signed.server;
    let now = wall_clock(0);
    let create = [
        ("Action", "CreateSnapshot"),
        ("Format", "JSON"),
        ("DiskId", "d-system01"),
    ];
    let get = |query: String| server.get(&format!("/?{query}"));

    let reply = get(rpc_signed(&create, "LTAI-test", "s3cr3t", "n-1", &now));
    let snapshot_id = assert_success(&reply);
    // The same nonce again, even perfectly signed.
    let reply = get(rpc_signed(&create, "LTAI-test", "s3cr3t", "n-1", &now));
    assert_code(&reply, ErrorCode::SignatureNonceUsed);
    let reply = get(rpc_signed(&create, "LTAI-test", "guess", "n-2", &now));
    assert_code(&reply, ErrorCode::SignatureDoesNotMatch);
    let reply = get(rpc_signed(&create, "LTAI-nobody", "s3cr3t", "n-3", &now));
    assert_code(&reply, ErrorCode::InvalidAccessKeyIdNotFound);
    let reply = get(rpc_signed(
        &create,
        "LTAI-test",
        "s3cr3t",
        "n-4",
        &wall_clock(3600),
    ));
    assert_code(&reply, ErrorCode::IllegalTimestamp);
    let reply = server.get("/?Action=CreateSnapshot&Format=JSON&DiskId=d-system01");
    assert_code(&reply, ErrorCode::IncompleteSignature);
    // A parameter changed after signing.
    let query =
        rpc_signed(&create, "LTAI-test", "s3cr3t", "n-5", &now).replace("d-system01", "d-shared01");
    assert_code(&get(query), ErrorCode::SignatureDoesNotMatch);
    assert_eq!(
        created(server)
            .iter()
            .map(|s| s["snapshot_id"].clone())
            .collect::<Vec<_>>(),
        [serde_json::json!(snapshot_id)]
    );
    // The control API is the test's own, and needs no signature.
    assert_eq!(server.post_json("/_emulator/reset", "").status, 200);
}

#[test]
fn the_action_is_checked_before_the_caller() {
    let signed = signed_server("order", &[]);
    let server = &signed.server;
    let reply = server.get("/?Action=DescribeDisks&DiskId=d-system01&AccessKeyId=nobody");
    assert_code(&reply, ErrorCode::InvalidActionNotFound);
    // The caller before the parameters: a malformed name is not looked at unsigned.
    let reply = server.get("/?Action=CreateSnapshot&DiskId=d-system01&SnapshotName=auto-1");
    assert_code(&reply, ErrorCode::IncompleteSignature);
    let now = wall_clock(0);
    let query = rpc_signed(
        &[
            ("Action", "CreateSnapshot"),
            ("DiskId", "d-system01"),
            ("SnapshotName", "auto-1"),
        ],
        "LTAI-test",
        "s3cr3t",
        "n-1",
        &now,
    );
    assert_code(
        &server.get(&format!("/?{query}")),
        ErrorCode::InvalidSnapshotNameMalformed,
    );
}

// ----- bounded resources -----

/// The ClientTokens the region has recorded beyond the example world's own.
fn new_tokens(state: &serde_json::Value) -> Vec<String> {
    state["facts"]["client_tokens"]
        .as_object()
        .expect("tokens")
        .keys()
        .filter(|token| !["deploy-4711", "nightly-2026-11-26"].contains(&token.as_str()))
        .cloned()
        .collect()
}

/// The JSON field `path` (slash-separated) of the state, as a number.
fn count(state: &serde_json::Value, path: &str) -> u64 {
    path.split('/')
        .fold(state, |value, key| &value[key])
        .as_u64()
        .unwrap_or_else(|| panic!("no count {path} in {state}"))
}

/// Many connections that send half a head and then nothing hold at most the cap of
/// connections, and descriptors: the longest waiting is closed for each new one, so a
/// well-behaved client behind them all is served at once (the header-read timeout, ten
/// seconds by default, plays no part).
#[cfg(target_os = "linux")]
#[test]
fn half_open_connections_cannot_starve_a_well_behaved_client() {
    let cap = 32;
    let server = Server::start(&["--world", WORLD, "--max-connections", &cap.to_string()]);
    let baseline = server.descriptors();
    let hostile = 400;
    let mut held: Vec<std::net::TcpStream> = (0..hostile)
        .map(|_| {
            server_support::half_open(
                &server.address,
                "GET /?Action=CreateSnapshot&DiskId=d-system01 HTTP/1.1\r\nHost: x\r\n",
            )
        })
        .collect();
    // While the server works through them, its descriptors stay within the cap (plus the
    // one accepted connection that waits for room).
    let mut most = 0;
    for _ in 0..50 {
        most = most.max(server.descriptors());
    }
    let reply = server.get("/?Action=CreateSnapshot&DiskId=d-system01");
    assert_success(&reply);
    most = most.max(server.descriptors());
    assert!(
        most <= baseline + cap + 1,
        "{most} descriptors open, {baseline} before any connection, cap {cap}"
    );

    let state = server.state();
    // Every connection was accepted (the half-open ones, the client, this look), never
    // more than the cap at once, and the half-open ones were closed to make room.
    assert_eq!(count(&state, "connections/accepted"), hostile as u64 + 2);
    assert!(
        count(&state, "connections/peak_open") <= cap as u64,
        "{state}"
    );
    assert!(count(&state, "connections/open") <= cap as u64, "{state}");
    assert!(
        count(&state, "connections/evicted") >= (hostile - cap) as u64,
        "{state}"
    );
    assert_eq!(count(&state, "connections/header_timeouts"), 0);
    assert_eq!(created(&server).len(), 1);
    // The client sees it: the oldest half-open connections are closed.
    let closed = held
        .iter_mut()
        .take(hostile - cap)
        .map(|stream| server_support::closed_by_server(stream, Duration::from_secs(10)))
        .filter(|&closed| closed)
        .count();
    assert_eq!(closed, hostile - cap);
}

/// A connection in service is never closed to make room: at the cap, the oldest connection
/// is in service, so a newcomer takes the place of the younger one that waits.
#[test]
fn a_connection_in_service_is_never_evicted() {
    let server = Server::start(&[
        "--world",
        WORLD,
        "--max-connections",
        "2",
        "--latency-ms",
        "3000",
    ]);
    let mut first = server.connect();
    first.write(
        "GET",
        "/?Action=CreateSnapshot&DiskId=d-system01&Format=JSON",
        &[],
        b"",
    );
    // Looked at over one kept-alive connection, so that no other connection comes.
    let mut look = server.connect();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let reply = look.send("GET", "/_emulator/state", &[], b"");
        let state: serde_json::Value = serde_json::from_str(&reply.body).expect("JSON");
        if count(&state, "in_flight/now") == 1 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the call never in service: {state}"
        );
    }
    // At the cap: the newcomer takes the place of `look`, which waits, not of `first`.
    let mut newcomer = server.connect();
    let reply = newcomer.send("GET", "/?Action=Nothing", &[], b"");
    assert_code(&reply, ErrorCode::InvalidActionNotFound);
    assert!(server_support::closed_by_server(
        look.stream(),
        Duration::from_secs(30)
    ));
    let reply = newcomer.send("GET", "/_emulator/state", &[], b"");
    let state: serde_json::Value = serde_json::from_str(&reply.body).expect("JSON");
    assert_eq!(count(&state, "connections/evicted"), 1, "{state}");
    assert_eq!(count(&state, "connections/peak_open"), 2, "{state}");
    assert_success(&first.receive());
}

/// A head that does not arrive within the header-read timeout closes its connection: on a
/// new connection from the accept, on a kept-alive one from its first byte (not after the
/// idle timeout). A kept-alive connection with nothing to say is closed at the idle timeout.
#[test]
fn slow_heads_and_idle_connections_are_closed_at_their_timeouts() {
    let patience = Duration::from_secs(30);
    let server = Server::start(&[
        "--world",
        WORLD,
        "--header-read-timeout-ms",
        "300",
        "--idle-timeout-ms",
        "600000",
    ]);
    let mut silent = server_support::half_open(&server.address, "");
    let mut half = server_support::half_open(&server.address, "GET / HTTP/1.1\r\nHo");
    let mut kept = server.connect();
    assert_code(
        &kept.send("GET", "/?Action=CreateSnapshot&DiskId=d-gone", &[], b""),
        ErrorCode::InvalidDiskIdNotFound,
    );
    kept.stream()
        .write_all(b"GET /?Action=CreateSnapshot HTTP/1.1\r\nHo")
        .expect("half a head");
    assert!(server_support::closed_by_server(&mut silent, patience));
    assert!(server_support::closed_by_server(&mut half, patience));
    assert!(server_support::closed_by_server(kept.stream(), patience));
    let state = server.state();
    assert_eq!(count(&state, "connections/header_timeouts"), 3, "{state}");
    assert_eq!(count(&state, "connections/idle_timeouts"), 0, "{state}");

    let server = Server::start(&[
        "--world",
        WORLD,
        "--header-read-timeout-ms",
        "600000",
        "--idle-timeout-ms",
        "300",
    ]);
    let mut idle = server.connect();
    assert_code(
        &idle.send("GET", "/?Action=CreateSnapshot&DiskId=d-gone", &[], b""),
        ErrorCode::InvalidDiskIdNotFound,
    );
    assert!(server_support::closed_by_server(idle.stream(), patience));
    let state = server.state();
    assert_eq!(count(&state, "connections/idle_timeouts"), 1, "{state}");
    assert_eq!(count(&state, "connections/header_timeouts"), 0, "{state}");
}

/// A body that does not arrive within the header-read timeout is answered 408 and its
/// connection closed; the call is never looked at.
#[test]
fn a_body_that_does_not_arrive_is_refused_with_408() {
    let server = Server::start(&["--world", WORLD, "--header-read-timeout-ms", "300"]);
    let mut connection = server.connect();
    connection
        .stream()
        .write_all(
            b"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n\
              Content-Length: 100\r\n\r\nAction=Crea",
        )
        .expect("a head and part of a body");
    let reply = connection.receive();
    assert_eq!(reply.status, 408, "{}", reply.body);
    assert_eq!(reply.header("connection"), Some("close"));
    assert!(server_support::closed_by_server(
        connection.stream(),
        Duration::from_secs(30)
    ));
    let state = server.state();
    assert_eq!(count(&state, "connections/body_timeouts"), 1, "{state}");
    assert_eq!(count(&state, "stats/refused"), 0, "{state}");
}

/// A head larger than the server reads is refused (431) and the server serves on.
#[test]
fn an_oversized_head_is_refused_and_the_server_lives_on() {
    let server = world_server();
    let big = "a".repeat(1 << 20);
    let reply = server.connect().send(
        "GET",
        "/?Action=CreateSnapshot",
        &[("X-Big", big.as_str())],
        b"",
    );
    assert_eq!(reply.status, 431);
    assert_success(&server.get("/?Action=CreateSnapshot&DiskId=d-system01"));
}

/// Beyond the bound on calls in flight the answer is the API's own ServiceUnavailable, at
/// once, and nothing is created; the control API still answers.
#[test]
fn beyond_the_calls_in_flight_the_answer_is_service_unavailable() {
    let server = Server::start(&[
        "--world",
        WORLD,
        "--max-in-flight",
        "2",
        "--fault-latency-ms",
        "600000",
    ]);
    let mut held: Vec<server_support::Connection> = (0..2)
        .map(|i| {
            let mut connection = server.connect();
            connection.write(
                "GET",
                &format!("/?Action=CreateSnapshot&DiskId=d-system01&ClientToken=held-{i}"),
                &[],
                b"",
            );
            connection
        })
        .collect();
    server.state_until("two calls in flight", |state| {
        count(state, "in_flight/now") == 2
    });
    for format in ["XML", "JSON"] {
        let reply = server.get(&format!(
            "/?Action=CreateSnapshot&DiskId=d-system01&ClientToken=third&Format={format}"
        ));
        assert_code(&reply, ErrorCode::ServiceUnavailable);
    }
    let state = server.state();
    assert_eq!(count(&state, "stats/shed"), 2, "{state}");
    assert_eq!(count(&state, "stats/refused"), 2, "{state}");
    assert_eq!(count(&state, "in_flight/peak"), 2, "{state}");
    assert!(created(&server).is_empty());
    assert_eq!(new_tokens(&state), Vec::<String>::new());
    held.clear();
}

/// A caller who hangs up while its call is in flight does not leave its ClientToken in
/// flight for ever: the call is completed, and the token replays it.
#[test]
fn a_caller_who_hangs_up_does_not_leave_its_token_in_flight() {
    let server = Server::start(&["--world", WORLD, "--latency-ms", "300"]);
    let target = "/?Action=CreateSnapshot&DiskId=d-system01&ClientToken=hung-up&Format=JSON";
    let mut connection = server.connect();
    connection.write("GET", target, &[], b"");
    server.state_until("the call submitted", |state| {
        count(state, "in_flight/now") == 1
    });
    drop(connection);
    let deadline = Instant::now() + Duration::from_secs(30);
    let reply = loop {
        let reply = server.get(target);
        if reply.field("Code").as_deref() != Some(ErrorCode::IdempotentProcessing.as_str()) {
            break reply;
        }
        assert!(Instant::now() < deadline, "the token stays in flight");
        std::thread::sleep(Duration::from_millis(50));
    };
    let snapshot_id = assert_success(&reply);
    let created = created(&server);
    assert_eq!(created.len(), 1);
    assert_eq!(created[0]["snapshot_id"], snapshot_id.as_str());
}

/// A stopping server answers the call in service before it exits.
#[cfg(unix)]
#[test]
fn a_stopping_server_answers_the_call_in_service() {
    let mut server = Server::start(&["--world", WORLD, "--latency-ms", "500"]);
    let mut connection = server.connect();
    connection.write(
        "GET",
        "/?Action=CreateSnapshot&DiskId=d-system01&Format=JSON",
        &[],
        b"",
    );
    server.state_until("the call in flight", |state| {
        count(state, "in_flight/now") == 1
    });
    let status = server.terminate();
    assert_success(&connection.receive());
    assert!(status.success(), "{status:?}");
}

// ----- faults on demand -----

/// The exact answer `next` expects of a CreateSnapshot call.
fn answer_code(reply: &Reply) -> String {
    if reply.status == 200 {
        "ok".to_owned()
    } else {
        reply.field("Code").expect("a code")
    }
}

/// `--fail-next` queues failures in order, each a row of the catalogue with its detail;
/// then calls go through. The faulted calls change nothing.
#[test]
fn faults_queued_by_flag_answer_in_order_with_the_catalogues_rows() {
    let second_internal_error = ErrorCode::rows_for("InternalError")
        .nth(1)
        .expect("InternalError's second row");
    let server = Server::start(&[
        "--world",
        WORLD,
        "--fail-next",
        "2:Throttling",
        "--fail-next",
        "1:InvalidParameter:Tag.3.Key",
        "--fail-next",
        &format!(
            "1:InternalError:{}",
            second_internal_error.message_template()
        ),
    ]);
    let target = |i: usize| format!("/?Action=CreateSnapshot&DiskId=d-system01&ClientToken=q-{i}");
    assert_code(&server.get(&target(0)), ErrorCode::Throttling);
    assert_code(&server.get(&target(1)), ErrorCode::Throttling);
    assert_error(
        &server.get(&target(2)),
        &ApiError::invalid_parameter("Tag.3.Key"),
    );
    assert_code(&server.get(&target(3)), second_internal_error);
    let snapshot_id = assert_success(&server.get(&target(4)));
    let state = server.state();
    assert_eq!(count(&state, "stats/faulted"), 4);
    assert_eq!(count(&state, "stats/refused"), 4);
    assert_eq!(count(&state, "stats/created"), 1);
    assert_eq!(new_tokens(&state), ["q-4"]);
    assert_eq!(created(&server)[0]["snapshot_id"], snapshot_id.as_str());
}

/// Every row of the catalogue can be asked for through the control API and is answered
/// exactly as the catalogue has it, in either format; no faulted call creates a snapshot or
/// records its ClientToken.
#[test]
fn every_catalogue_code_can_be_injected_and_a_faulted_call_changes_nothing() {
    let server = world_server();
    for (i, &row) in ErrorCode::ALL.iter().enumerate() {
        let (detail, expected) = match row {
            ErrorCode::InvalidParameter => (
                serde_json::json!("DiskId"),
                ApiError::invalid_parameter("DiskId"),
            ),
            ErrorCode::QuotaExceedTags => (serde_json::json!("25"), too_many_tags(25)),
            _ if ErrorCode::rows_for(row.as_str()).count() > 1 => (
                serde_json::json!(row.message_template()),
                ApiError::new(row),
            ),
            // A message with `%s` places takes their values (D186).
            ErrorCode::QuotaExceedConcurrentSnapshotQuota => (
                serde_json::json!("d-system01,2"),
                ApiError::filled(row, &["d-system01", "2"]),
            ),
            _ => (serde_json::Value::Null, ApiError::new(row)),
        };
        assert!(!expected.message().contains("%s"), "{row:?}");
        let body = serde_json::json!({"count": 1, "code": row.as_str(), "detail": detail});
        let view = server.control("/_emulator/faults/fail-next", &body.to_string());
        assert_eq!(view["fail_next"][0]["code"], row.as_str());
        let format = if i % 2 == 0 { "JSON" } else { "XML" };
        let reply = server.get(&format!(
            "/?Action=CreateSnapshot&DiskId=d-system01&ClientToken=f-{i}&Format={format}"
        ));
        assert_error(&reply, &expected);
    }
    let state = server.state();
    assert_eq!(count(&state, "stats/faulted"), ErrorCode::ALL.len() as u64);
    assert!(created(&server).is_empty());
    assert_eq!(new_tokens(&state), Vec::<String>::new());
    let faults = server.get("/_emulator/faults");
    let faults: serde_json::Value = serde_json::from_str(&faults.body).expect("JSON");
    assert_eq!(faults["fail_next"], serde_json::json!([]));
    assert_success(&server.get("/?Action=CreateSnapshot&DiskId=d-system01"));
}

/// A call that succeeded, a fault on the retry, and the retry after it: one snapshot for one
/// ClientToken, replayed.
#[test]
fn a_fault_between_tries_leaves_one_snapshot_for_one_client_token() {
    let server = world_server();
    let target = "/?Action=CreateSnapshot&DiskId=d-system01&ClientToken=retried&Format=JSON";
    let snapshot_id = assert_success(&server.get(target));
    server.control(
        "/_emulator/faults/fail-next",
        r#"{"count": 2, "code": "ServiceUnavailable"}"#,
    );
    assert_code(&server.get(target), ErrorCode::ServiceUnavailable);
    assert_code(&server.get(target), ErrorCode::ServiceUnavailable);
    assert_eq!(assert_success(&server.get(target)), snapshot_id);
    let state = server.state();
    assert_eq!(
        (
            count(&state, "stats/created"),
            count(&state, "stats/replayed"),
            count(&state, "stats/faulted")
        ),
        (1, 1, 2)
    );
    assert_eq!(created(&server).len(), 1);
    assert_eq!(
        state["facts"]["client_tokens"]["retried"]["snapshot_id"],
        snapshot_id.as_str()
    );
}

/// `--rate-limit` counts each AccessKeyId apart (RPC parameter or ACS3 credential), and
/// unsigned calls by their client's address.
#[test]
fn the_rate_limit_is_per_access_key_id_or_per_client() {
    let server = Server::start(&["--world", WORLD, "--rate-limit", "2/3600"]);
    let rpc = |key: &str| {
        server.get(&format!(
            "/?Action=CreateSnapshot&DiskId=d-gone&AccessKeyId={key}"
        ))
    };
    let acs3 = |key: &str| {
        let authorization =
            format!("ACS3-HMAC-SHA256 Credential={key},SignedHeaders=host,Signature=00");
        server.connect().send(
            "POST",
            "/?DiskId=d-gone",
            &[
                ("x-acs-action", "CreateSnapshot"),
                ("Authorization", authorization.as_str()),
            ],
            b"",
        )
    };
    let unsigned = || server.get("/?Action=CreateSnapshot&DiskId=d-gone");
    let calls: Vec<(&str, Reply)> = vec![
        ("A", rpc("A")),
        ("A", rpc("A")),
        ("B", rpc("B")),
        ("A", rpc("A")),
        ("C", acs3("C")),
        ("C", acs3("C")),
        ("-", unsigned()),
        ("B", rpc("B")),
        ("-", unsigned()),
        ("C", acs3("C")),
        ("B", rpc("B")),
        ("-", unsigned()),
    ];
    let codes: Vec<(&str, String)> = calls
        .iter()
        .map(|(who, reply)| (*who, answer_code(reply)))
        .collect();
    let refused = ErrorCode::InvalidDiskIdNotFound.as_str();
    let throttled = ErrorCode::Throttling.as_str();
    let expected: Vec<(&str, &str)> = vec![
        ("A", refused),
        ("A", refused),
        ("B", refused),
        ("A", throttled),
        ("C", refused),
        ("C", refused),
        ("-", refused),
        ("B", refused),
        ("-", refused),
        ("C", throttled),
        ("B", throttled),
        ("-", throttled),
    ];
    let codes: Vec<(&str, &str)> = codes.iter().map(|(w, c)| (*w, c.as_str())).collect();
    assert_eq!(codes, expected);
    for (_, reply) in calls.iter().filter(|(_, r)| answer_code(r) == throttled) {
        assert_code(reply, ErrorCode::Throttling);
    }
    let faults: serde_json::Value =
        serde_json::from_str(&server.get("/_emulator/faults").body).expect("JSON");
    assert_eq!(faults["faulted"], serde_json::json!({"Throttling": 4}));
    assert_eq!(faults["callers"], 4);
}

/// With `--credentials`, the rate limit counts the AccessKeyId the signature check accepted.
#[test]
fn a_signed_callers_rate_limit_is_its_verified_access_key_id() {
    let signed_server = signed_server("rate", &["--rate-limit", "1/3600"]);
    let server = &signed_server.server;
    let now = wall_clock(0);
    let call = [("Action", "CreateSnapshot"), ("DiskId", "d-gone")];
    let signed = |nonce: &str| {
        server.get(&format!(
            "/?{}",
            rpc_signed(&call, "LTAI-test", "s3cr3t", nonce, &now)
        ))
    };
    assert_code(&signed("r-1"), ErrorCode::InvalidDiskIdNotFound);
    assert_code(&signed("r-2"), ErrorCode::Throttling);
    // A refused signature is not the key's call, and is not counted.
    assert_code(
        &server.get(&format!(
            "/?{}",
            rpc_signed(&call, "LTAI-test", "wrong", "r-3", &now)
        )),
        ErrorCode::SignatureDoesNotMatch,
    );
}

/// Which calls the shares fault is a function of the seed: the same seed, the same calls
/// faulted the same way; another seed, others.
#[test]
fn shares_of_faults_are_drawn_from_the_seed() {
    let pattern = |seed: &str| -> Vec<String> {
        let server = Server::start(&[
            "--world",
            WORLD,
            "--seed",
            seed,
            "--fault-internal-error",
            "0.3",
            "--fault-service-unavailable",
            "0.2",
        ]);
        let mut connection = server.connect();
        (0..60)
            .map(|_| {
                let reply = connection.send(
                    "GET",
                    "/?Action=CreateSnapshot&DiskId=d-gone&AccessKeyId=A",
                    &[],
                    b"",
                );
                answer_code(&reply)
            })
            .collect()
    };
    let first = pattern("5");
    assert_eq!(pattern("5"), first);
    for code in [
        ErrorCode::InternalError.as_str(),
        ErrorCode::ServiceUnavailable.as_str(),
        ErrorCode::InvalidDiskIdNotFound.as_str(),
    ] {
        assert!(first.iter().any(|c| c == code), "no {code} in {first:?}");
    }
    assert_ne!(pattern("6"), first);
}

/// The control API replaces the plan, reads it back, refuses a wrong one with the reason,
/// and `reset` goes back to the flags' plan.
#[test]
fn the_control_api_sets_reads_and_resets_the_faults() {
    let server = Server::start(&[
        "--world",
        WORLD,
        "--seed",
        "9",
        "--fail-next",
        "1:Throttling",
    ]);
    let view = server.control(
        "/_emulator/faults",
        r#"{"latency_ms": 5, "internal_error": 1, "rate_limit": {"calls": 3, "seconds": 60}}"#,
    );
    assert_eq!(
        view,
        serde_json::json!({"seed": 9, "rate_limit": {"calls": 3, "seconds": 60.0},
            "internal_error": 1.0, "service_unavailable": 0.0, "latency_ms": 5,
            "latency_jitter_ms": 0, "fail_next": [], "calls": 0, "callers": 0, "faulted": {}})
    );
    // Every call an InternalError now, the flag's Throttling gone with the old plan.
    assert_code(
        &server.get("/?Action=CreateSnapshot&DiskId=d-system01"),
        ErrorCode::InternalError,
    );
    let reply = server.post_json("/_emulator/faults", r#"{"service_unavailable": 2}"#);
    assert_eq!(reply.status, 400);
    assert!(
        reply.body.contains("service_unavailable is a share"),
        "{}",
        reply.body
    );
    let reply = server.post_json(
        "/_emulator/faults/fail-next",
        r#"{"count": 1, "code": "Nope.Nope"}"#,
    );
    assert_eq!(reply.status, 400);
    assert!(
        reply.body.contains("no code of the catalogue"),
        "{}",
        reply.body
    );
    // Reset: the flags' plan, its queue full again.
    server.control("/_emulator/reset", "");
    assert_code(
        &server.get("/?Action=CreateSnapshot&DiskId=d-system01"),
        ErrorCode::Throttling,
    );
    assert_success(&server.get("/?Action=CreateSnapshot&DiskId=d-system01"));
    // An empty plan: no faults.
    let view = server.control("/_emulator/faults", "");
    assert_eq!(view["fail_next"], serde_json::json!([]));
    assert_eq!(view["internal_error"], 0.0);
}

/// Added latency delays every call before it is judged (a lower bound only: a busy machine
/// is slower, never faster).
#[test]
fn added_latency_delays_each_call() {
    let server = Server::start(&["--world", WORLD, "--fault-latency-ms", "250"]);
    let mut connection = server.connect();
    for _ in 0..3 {
        let started = Instant::now();
        let reply = connection.send("GET", "/?Action=CreateSnapshot&DiskId=d-gone", &[], b"");
        assert!(started.elapsed() >= Duration::from_millis(250));
        assert_code(&reply, ErrorCode::InvalidDiskIdNotFound);
    }
}

/// Wrong fault flags are refused before the server starts, with the reason.
#[test]
fn wrong_fault_and_bound_flags_are_refused_with_the_reason() {
    for (flags, says) in [
        (
            &["--fail-next", "1:NoSuch.Code"][..],
            "no code of the catalogue",
        ),
        (&["--fail-next", "Throttling"][..], "COUNT:CODE"),
        (&["--rate-limit", "10"][..], "CALLS/SECONDS"),
        (&["--fault-internal-error", "1.5"][..], "a share of calls"),
        (
            &[
                "--fault-internal-error",
                "0.7",
                "--fault-service-unavailable",
                "0.7",
            ][..],
            "add up to more than 1",
        ),
        (&["--max-connections", "0"][..], "a whole number from 1"),
        (&["--header-read-timeout-ms", "0"][..], "0"),
        (
            &["--idle-timeout-ms", "18446744073709551615"][..],
            "18446744073709551615",
        ),
        (
            &["--max-in-flight", "99999999999"][..],
            "a whole number from 1 to 1000000",
        ),
        (&["--fault-latency-ms", "3600001"][..], "at most 3600000"),
    ] {
        let output = std::process::Command::new(server_support::binary())
            .args(["serve", "--listen", "127.0.0.1:0"])
            .args(flags)
            .output()
            .expect("runs");
        assert_eq!(output.status.code(), Some(2), "{flags:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(says), "{flags:?}: {stderr}");
    }
}
