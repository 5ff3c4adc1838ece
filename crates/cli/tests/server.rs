//! `ecs-snapshot-rules serve` over real HTTP: the built binary on a free port, asked with raw
//! HTTP/1.1, answers with the API's exact status, content type and body.

mod server_support;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use ecs_snapshot_rules::catalogue::{success_json_body, success_xml_body};
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
    let server = Server::start(&["--world", WORLD, "--latency-ms", "400"]);
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

fn signed_server(name: &str) -> SignedServer {
    let file = std::env::temp_dir().join(format!("credentials-{name}-{}.json", std::process::id()));
    std::fs::write(
        &file,
        r#"{"AccessKeys": [{"AccessKeyId": "LTAI-test", "AccessKeySecret": "s3cr3t"}]}"#,
    )
    .expect("credentials file");
    let server = Server::start(&[
        "--world",
        WORLD,
        "--credentials",
        file.to_str().expect("path"),
    ]);
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
    let signed = signed_server("rpc");
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
    let signed = signed_server("order");
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
