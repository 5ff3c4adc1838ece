//! The request path beside the peers a user would pick instead, on the same requests, in
//! the same run; the verdicts are checked to agree before anything is timed. After the
//! run, the table of medians and ratios of `docs/BENCHMARKS.md` is printed.
//!
//! `cargo bench --bench peers` runs it all. Five input shapes: `minimal` (DiskId alone),
//! `sample` (the API reference's sample with the common parameters of a signed call),
//! `full` (every parameter, 20 tags, long Unicode text), `early` (refused by the first rule,
//! DiskId missing) and `late` (refused by the last rule, Category with InstantAccess, after
//! every other rule passed on a full request).
//!
//! - `typed`: [`validate`] of the typed request; `garde`'s derived validation of an
//!   equivalent struct; `jsonschema`'s `is_valid` on the same request as a parsed `Value`.
//! - `json`: JSON bytes to verdict: [`parse_json_view`] then validation; [`parse_json`]
//!   (owned) then validation; `serde_json::from_slice::<Value>` then `jsonschema`.
//! - `query`: query bytes to verdict: [`parse_query_view`] then validation; [`parse_query`]
//!   (owned) then validation; `form_urlencoded::parse` alone, every pair decoded and
//!   dropped: the floor of any query-string work.
//! - `stateful`: [`check_preconditions`] with 0 and 255 manual snapshots on the disk, and
//!   1 and 1 000 000 ClientTokens held (the request's token is new, or a replay).
//! - `region`: the simulator's [`Region::create_snapshot`] on a fresh region each call.

use std::collections::HashMap;
use std::path::Path;
use std::time::Duration;

use criterion::{black_box, BatchSize, BenchmarkId, Criterion, Throughput};
use ecs_snapshot_rules::request::{SnapshotCategory, Typed};
use ecs_snapshot_rules::state::{DiskCategory, TokenRecord};
use ecs_snapshot_rules::wire::{parse_json_view, parse_query_view};
use ecs_snapshot_rules::{
    check_preconditions, parse_json, parse_query, validate, CreateSnapshotRequest, Facts, Region,
    Timestamp,
};
use garde::Validate;
use serde_json::{json, Value};

/// The API reference's sample, as an SDK sends it: percent-encoded, with the common
/// parameters of a signed call.
const SAMPLE: &str = "Action=CreateSnapshot&DiskId=d-bp1s5fnvk4gn2tws0%2A%2A%2A%2A&SnapshotName=testSnapshotName&Description=testDescription&ClientToken=123e4567-e89b-12d3-a456-426655440000&Tag.1.Key=TestKey&Tag.1.Value=TestValue&RegionId=cn-hangzhou&Format=JSON&Version=2014-05-26&Timestamp=2026-11-27T00%3A00%3A00Z&SignatureNonce=3f1e&SignatureMethod=HMAC-SHA1&SignatureVersion=1.0&AccessKeyId=testid&Signature=abc%3D";

/// Every parameter, 20 tags, long Unicode text: the most a valid request can ask of the rules.
fn full_request() -> CreateSnapshotRequest<'static> {
    let mut request = CreateSnapshotRequest::new("d-bp1s5fnvk4gn2tws0")
        .snapshot_name(format!("nightly-{}", "db:volume_backup-".repeat(7)))
        .description("快照 of the database volume (数据库卷), taken before the upgrade. ".repeat(4))
        .retention_days(30)
        .client_token("123e4567-e89b-12d3-a456-426655440000")
        .resource_group_id("rg-bp67acfmxazb4p")
        .instant_access(true)
        .instant_access_retention_days(1);
    for n in 0..20 {
        request = request.tag(
            format!("team-{n}-équipe-{}", "键".repeat(40)),
            format!("value {n} 快照 {}", "é値".repeat(50)),
        );
    }
    request
}

struct Shape {
    name: &'static str,
    request: CreateSnapshotRequest<'static>,
    query: String,
    json: String,
    valid: bool,
}

fn shapes() -> Vec<Shape> {
    let sample = parse_query(SAMPLE).unwrap();
    let mut early = sample.clone();
    early.disk_id = None;
    let mut late = full_request();
    late.category = Some(Typed::Value(SnapshotCategory::Standard));
    [
        ("minimal", CreateSnapshotRequest::new("d-bp1s5fnvk4gn2tws0")),
        ("sample", sample),
        ("full", full_request()),
        ("early", early),
        ("late", late),
    ]
    .into_iter()
    .map(|(name, request)| Shape {
        name,
        query: request.to_query(),
        json: sdk_json(&request).to_string(),
        valid: validate(&request).is_ok(),
        request,
    })
    .collect()
}

/// The request as the official SDK's `to_map()` writes it: typed numbers and booleans, tags
/// as a list of objects, common parameters as strings.
fn sdk_json(request: &CreateSnapshotRequest) -> Value {
    let mut map = serde_json::Map::new();
    let mut text = |name: &str, value: &Option<std::borrow::Cow<str>>| {
        if let Some(value) = value {
            map.insert(name.to_owned(), json!(value));
        }
    };
    text("DiskId", &request.disk_id);
    text("SnapshotName", &request.snapshot_name);
    text("Description", &request.description);
    text("ClientToken", &request.client_token);
    text("ResourceGroupId", &request.resource_group_id);
    let typed = |value: Option<Value>| value.unwrap_or(Value::Null);
    let days = |days: &Option<Typed<i64>>| days.as_ref().and_then(Typed::value).map(|d| json!(d));
    for (name, value) in [
        ("RetentionDays", days(&request.retention_days)),
        (
            "InstantAccessRetentionDays",
            days(&request.instant_access_retention_days),
        ),
        (
            "Category",
            request
                .category
                .as_ref()
                .and_then(Typed::value)
                .map(|c| json!(c.as_str())),
        ),
        (
            "InstantAccess",
            request
                .instant_access
                .as_ref()
                .and_then(Typed::value)
                .map(|b| json!(b)),
        ),
    ] {
        if let Some(value) = value {
            map.insert(name.to_owned(), typed(Some(value)));
        }
    }
    if !request.tags.is_empty() {
        let tags: Vec<Value> = request
            .tags
            .iter()
            .map(|tag| json!({"Key": tag.key, "Value": tag.value}))
            .collect();
        map.insert("Tag".to_owned(), Value::Array(tags));
    }
    for (name, value) in &request.other_parameters {
        map.insert(name.to_string(), json!(value));
    }
    Value::Object(map)
}

/// As many of the rules as JSON Schema can say. It cannot say: that a tag key is unique
/// (`uniqueItems` compares whole items), the error code, message and status of a refusal,
/// nor which of several failures comes first; the deprecated `Tag.N.key` spelling and the
/// flat `Tag.N.Key` shape would each need their own pattern properties.
fn schema() -> Value {
    let no_url = "https?://";
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "required": ["DiskId"],
        "properties": {
            "Action": {"const": "CreateSnapshot"},
            "DiskId": {"type": "string", "minLength": 1},
            "SnapshotName": {
                "type": "string", "minLength": 2, "maxLength": 128,
                "pattern": "^[A-Za-z][A-Za-z0-9:_-]*$",
                "not": {"pattern": "^auto"}
            },
            "Description": {
                "type": "string", "minLength": 2, "maxLength": 256,
                "not": {"pattern": "^https?://"}
            },
            "RetentionDays": {"type": "integer", "minimum": 1, "maximum": 65536},
            "Category": {"enum": ["Standard", "Flash"]},
            "ClientToken": {"type": "string", "maxLength": 64, "pattern": "^[\\u0000-\\u007f]*$"},
            "Tag": {
                "type": "array", "maxItems": 20,
                "items": {
                    "type": "object",
                    "required": ["Key"],
                    "properties": {
                        "Key": {
                            "type": "string", "minLength": 1, "maxLength": 128,
                            "not": {"pattern": format!("^acs:|^aliyun|{no_url}")}
                        },
                        "Value": {
                            "type": "string", "maxLength": 128,
                            "not": {"pattern": format!("^acs:|{no_url}")}
                        }
                    }
                }
            },
            "ResourceGroupId": {"type": "string"},
            "InstantAccess": {"type": "boolean"},
            "InstantAccessRetentionDays": {"type": "integer", "minimum": 1, "maximum": 65535}
        },
        "not": {"required": ["Category", "InstantAccess"]}
    })
}

/// The typed request as a struct with `garde` rules. What its built-in rules cannot say
/// (a prefix that must not be there, a URL anywhere, unique keys, the two exclusive
/// parameters) is said by `custom` functions.
#[derive(garde::Validate)]
struct GardeRequest {
    #[garde(required, length(min = 1))]
    disk_id: Option<String>,
    #[garde(
        length(chars, min = 2, max = 128),
        pattern(r"^[A-Za-z][A-Za-z0-9:_-]*$"),
        custom(not_auto)
    )]
    snapshot_name: Option<String>,
    #[garde(length(chars, min = 2, max = 256), custom(no_url_prefix))]
    description: Option<String>,
    #[garde(range(min = 1, max = 65536))]
    retention_days: Option<i64>,
    #[garde(skip)]
    category: Option<SnapshotCategory>,
    #[garde(ascii, length(bytes, max = 64))]
    client_token: Option<String>,
    #[garde(length(max = 20), dive, custom(unique_keys))]
    tags: Vec<GardeTag>,
    #[garde(custom(not_with_category(&self.category)))]
    instant_access: Option<bool>,
    #[garde(range(min = 1, max = 65535))]
    instant_access_retention_days: Option<i64>,
}

#[derive(garde::Validate)]
struct GardeTag {
    #[garde(range(min = 1, max = 20))]
    index: u32,
    #[garde(required, length(chars, min = 1, max = 128), custom(tag_key_ok))]
    key: Option<String>,
    #[garde(length(chars, max = 128), custom(tag_value_ok))]
    value: Option<String>,
}

fn refuse(ok: bool, message: &'static str) -> garde::Result {
    if ok {
        Ok(())
    } else {
        Err(garde::Error::new(message))
    }
}

fn has_url(text: &str) -> bool {
    text.contains("http://") || text.contains("https://")
}

fn not_auto(name: &Option<String>, _: &()) -> garde::Result {
    refuse(
        !name.as_deref().is_some_and(|n| n.starts_with("auto")),
        "starts with auto",
    )
}

fn no_url_prefix(text: &Option<String>, _: &()) -> garde::Result {
    let starts = |t: &str| t.starts_with("http://") || t.starts_with("https://");
    refuse(!text.as_deref().is_some_and(starts), "starts with a URL")
}

fn tag_key_ok(key: &Option<String>, _: &()) -> garde::Result {
    let bad = |k: &str| k.starts_with("acs:") || k.starts_with("aliyun") || has_url(k);
    refuse(!key.as_deref().is_some_and(bad), "reserved or URL")
}

fn tag_value_ok(value: &Option<String>, _: &()) -> garde::Result {
    let bad = |v: &str| v.starts_with("acs:") || has_url(v);
    refuse(!value.as_deref().is_some_and(bad), "reserved or URL")
}

fn unique_keys(tags: &[GardeTag], _: &()) -> garde::Result {
    let unique = tags
        .iter()
        .enumerate()
        .all(|(i, tag)| tag.key.is_none() || !tags[..i].iter().any(|before| before.key == tag.key));
    refuse(unique, "repeated key")
}

fn not_with_category(
    category: &Option<SnapshotCategory>,
) -> impl FnOnce(&Option<bool>, &()) -> garde::Result + '_ {
    move |instant_access, _| {
        refuse(
            !(instant_access.is_some() && category.is_some()),
            "with Category",
        )
    }
}

fn garde_request(request: &CreateSnapshotRequest) -> GardeRequest {
    let value = |typed: &Option<Typed<i64>>| typed.as_ref().and_then(Typed::value);
    GardeRequest {
        disk_id: request.disk_id.as_deref().map(str::to_owned),
        snapshot_name: request.snapshot_name.as_deref().map(str::to_owned),
        description: request.description.as_deref().map(str::to_owned),
        retention_days: value(&request.retention_days),
        category: request.category.as_ref().and_then(Typed::value),
        client_token: request.client_token.as_deref().map(str::to_owned),
        tags: request
            .tags
            .iter()
            .map(|tag| GardeTag {
                index: tag.index,
                key: tag.key.as_deref().map(str::to_owned),
                value: tag.value.as_deref().map(str::to_owned),
            })
            .collect(),
        instant_access: request.instant_access.as_ref().and_then(Typed::value),
        instant_access_retention_days: value(&request.instant_access_retention_days),
    }
}

/// Every path gives every shape the verdict the rules give it.
fn assert_agreement(shapes: &[Shape], validator: &jsonschema::Validator) {
    for shape in shapes {
        let name = shape.name;
        let verdict = validate(&shape.request).is_ok();
        assert_eq!(verdict, shape.valid);
        assert_eq!(
            parse_query_view(&shape.query).map(|v| validate(&v).is_ok()),
            Ok(verdict),
            "{name}: query view"
        );
        assert_eq!(
            parse_query(&shape.query).map(|r| validate(&r).is_ok()),
            Ok(verdict),
            "{name}: query"
        );
        assert_eq!(
            parse_json_view(&shape.json).map(|v| validate(&v).is_ok()),
            Ok(verdict),
            "{name}: JSON view"
        );
        assert_eq!(
            parse_json(&shape.json).map(|r| validate(&r).is_ok()),
            Ok(verdict),
            "{name}: JSON"
        );
        let value: Value = serde_json::from_str(&shape.json).unwrap();
        assert_eq!(validator.is_valid(&value), verdict, "{name}: jsonschema");
        let garde_verdict = garde_request(&shape.request).validate().is_ok();
        assert_eq!(garde_verdict, verdict, "{name}: garde");
        assert!(form_urlencoded::parse(shape.query.as_bytes()).count() > 0);
    }
}

fn typed(c: &mut Criterion, shapes: &[Shape], validator: &jsonschema::Validator) {
    let mut group = c.benchmark_group("typed");
    for shape in shapes {
        let request = &shape.request;
        group.bench_with_input(BenchmarkId::new("validate", shape.name), request, |b, r| {
            b.iter(|| validate(black_box(r)))
        });
        let garde = garde_request(request);
        group.bench_with_input(BenchmarkId::new("garde", shape.name), &garde, |b, g| {
            b.iter(|| black_box(g).validate())
        });
        let value: Value = serde_json::from_str(&shape.json).unwrap();
        group.bench_with_input(
            BenchmarkId::new("jsonschema", shape.name),
            &value,
            |b, v| b.iter(|| validator.is_valid(black_box(v))),
        );
    }
    group.finish();
}

fn json_bytes(c: &mut Criterion, shapes: &[Shape], validator: &jsonschema::Validator) {
    let mut group = c.benchmark_group("json");
    for shape in shapes {
        let bytes = shape.json.as_bytes();
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        group.bench_with_input(BenchmarkId::new("view", shape.name), bytes, |b, bytes| {
            b.iter(|| {
                parse_json_view(black_box(bytes))
                    .as_ref()
                    .is_ok_and(|v| validate(v).is_ok())
            })
        });
        group.bench_with_input(BenchmarkId::new("owned", shape.name), bytes, |b, bytes| {
            b.iter(|| parse_json(black_box(bytes)).map(|r| validate(&r).is_ok()))
        });
        group.bench_with_input(
            BenchmarkId::new("jsonschema", shape.name),
            bytes,
            |b, bytes| {
                b.iter(|| {
                    serde_json::from_slice::<Value>(black_box(bytes))
                        .map(|v| validator.is_valid(&v))
                })
            },
        );
    }
    group.finish();
}

fn query_bytes(c: &mut Criterion, shapes: &[Shape]) {
    let mut group = c.benchmark_group("query");
    for shape in shapes {
        let bytes = shape.query.as_bytes();
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        group.bench_with_input(BenchmarkId::new("view", shape.name), bytes, |b, bytes| {
            b.iter(|| {
                parse_query_view(black_box(bytes))
                    .as_ref()
                    .is_ok_and(|v| validate(v).is_ok())
            })
        });
        group.bench_with_input(BenchmarkId::new("owned", shape.name), bytes, |b, bytes| {
            b.iter(|| parse_query(black_box(bytes)).map(|r| validate(&r).is_ok()))
        });
        group.bench_with_input(
            BenchmarkId::new("form_urlencoded", shape.name),
            bytes,
            |b, bytes| {
                b.iter(|| {
                    for pair in form_urlencoded::parse(black_box(bytes)) {
                        black_box(pair);
                    }
                })
            },
        );
    }
    group.finish();
}

fn now() -> Timestamp {
    "2026-11-27T12:00:00Z".parse().unwrap()
}

/// A disk attached to a running instance, with `snapshots` manual snapshots, and `tokens`
/// ClientTokens answered before (`t-0` to `t-{tokens - 1}`, each for the request itself).
fn facts(snapshots: u32, tokens: usize, request: &CreateSnapshotRequest) -> Facts {
    let mut facts = Facts::from_json(&format!(
        r#"{{"disks": {{"d-bp1s5fnvk4gn2tws0": {{"instance_id": "i-1", "manual_snapshot_count": {snapshots}}}}},
            "instances": {{"i-1": {{"status": "Running"}}}}}}"#
    ))
    .unwrap();
    let mut held = HashMap::with_capacity(tokens);
    for n in 0..tokens {
        held.insert(
            format!("t-{n}"),
            TokenRecord {
                request: request.clone().into_owned(),
                snapshot_id: Some(format!("s-{n}")),
                in_flight: false,
            },
        );
    }
    facts.client_tokens = held;
    facts
}

fn stateful(c: &mut Criterion) {
    let now = now();
    let base = CreateSnapshotRequest::new("d-bp1s5fnvk4gn2tws0").snapshot_name("nightly");
    let new_token = base.clone().client_token("t-new");
    let replay = base.clone().client_token("t-0");
    let mut group = c.benchmark_group("stateful");
    for snapshots in [0, 255] {
        let facts = facts(snapshots, 0, &base);
        assert!(check_preconditions(&new_token, &facts, now).is_ok());
        group.bench_with_input(
            BenchmarkId::new("snapshots", snapshots),
            &facts,
            |b, facts| b.iter(|| check_preconditions(black_box(&new_token), facts, now)),
        );
    }
    for tokens in [1, 1_000_000] {
        let facts = facts(0, tokens, &base);
        assert!(check_preconditions(&new_token, &facts, now).is_ok());
        assert!(check_preconditions(&replay, &facts, now).is_ok());
        group.bench_with_input(
            BenchmarkId::new("tokens_new", tokens),
            &facts,
            |b, facts| b.iter(|| check_preconditions(black_box(&new_token), facts, now)),
        );
        group.bench_with_input(
            BenchmarkId::new("tokens_replay", tokens),
            &facts,
            |b, facts| b.iter(|| check_preconditions(black_box(&replay), facts, now)),
        );
    }
    group.finish();
}

fn region(c: &mut Criterion, shapes: &[Shape]) {
    let mut region = Region::new(1, now());
    let vm = region.create_instance(DiskCategory::CloudEssd);
    region.start_instance(&vm.instance_id).unwrap();
    region.advance(3600).unwrap();
    region.add_resource_group("rg-bp67acfmxazb4p");
    let mut group = c.benchmark_group("region");
    for shape in shapes {
        let mut request = shape.request.clone();
        if request.disk_id.is_some() {
            request.disk_id = Some(vm.system_disk_id.clone().into());
        }
        let answer = region.clone().create_snapshot(&request);
        assert_eq!(answer.result.is_ok(), shape.valid, "{}: region", shape.name);
        group.bench_with_input(
            BenchmarkId::new("create_snapshot", shape.name),
            &request,
            |b, request| {
                b.iter_batched_ref(
                    || region.clone(),
                    |region| region.create_snapshot(black_box(request)),
                    BatchSize::SmallInput,
                )
            },
        );
    }
    group.finish();
}

/// Criterion's median estimate of one benchmark, in nanoseconds.
fn median(id: &str) -> Option<f64> {
    let path = Path::new("target/criterion")
        .join(id)
        .join("new/estimates.json");
    let text = std::fs::read_to_string(path).ok()?;
    let estimates: Value = serde_json::from_str(&text).ok()?;
    estimates["median"]["point_estimate"].as_f64()
}

/// The table of `docs/BENCHMARKS.md`: each target's two medians and their ratio.
fn report(shapes: &[Shape]) {
    println!("\n| target | shape | ours (ns) | peer (ns) | ratio | goal |");
    println!("|---|---|---:|---:|---:|---|");
    let row = |target: &str, shape: &str, ours: &str, peer: &str, goal: &str| {
        if let (Some(ours), Some(peer)) = (median(ours), median(peer)) {
            let ratio = peer / ours;
            println!("| {target} | {shape} | {ours:.0} | {peer:.0} | {ratio:.2} | {goal} |");
        }
    };
    for shape in shapes {
        let s = shape.name;
        row(
            "jsonschema / typed validate",
            s,
            &format!("typed/validate/{s}"),
            &format!("typed/jsonschema/{s}"),
            ">= 10",
        );
        row(
            "garde / typed validate",
            s,
            &format!("typed/validate/{s}"),
            &format!("typed/garde/{s}"),
            "> 1",
        );
        row(
            "jsonschema from bytes / JSON view",
            s,
            &format!("json/view/{s}"),
            &format!("json/jsonschema/{s}"),
            ">= 4",
        );
        row(
            "form_urlencoded alone / query view",
            s,
            &format!("query/view/{s}"),
            &format!("query/form_urlencoded/{s}"),
            ">= 0.5, aim >= 1",
        );
    }
    row(
        "0 / 255 manual snapshots",
        "-",
        "stateful/snapshots/255",
        "stateful/snapshots/0",
        "~ 1",
    );
    row(
        "1 / 1 000 000 tokens, new token",
        "-",
        "stateful/tokens_new/1000000",
        "stateful/tokens_new/1",
        "~ 1",
    );
    row(
        "1 / 1 000 000 tokens, replay",
        "-",
        "stateful/tokens_replay/1000000",
        "stateful/tokens_replay/1",
        "~ 1",
    );
    println!("\n| parser | shape | bytes | median (ns) | MiB/s |");
    println!("|---|---|---:|---:|---:|");
    for shape in shapes {
        for (group, bytes) in [("json", shape.json.len()), ("query", shape.query.len())] {
            for function in ["view", "owned", "jsonschema", "form_urlencoded"] {
                let s = shape.name;
                if let Some(ns) = median(&format!("{group}/{function}/{s}")) {
                    let rate = bytes as f64 / ns * 1e9 / f64::from(1 << 20);
                    println!("| {group}/{function} | {s} | {bytes} | {ns:.0} | {rate:.0} |");
                }
            }
        }
    }
}

fn main() {
    let shapes = shapes();
    let validator = jsonschema::validator_for(&schema()).unwrap();
    assert_agreement(&shapes, &validator);
    let mut c = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .configure_from_args();
    typed(&mut c, &shapes, &validator);
    json_bytes(&mut c, &shapes, &validator);
    query_bytes(&mut c, &shapes);
    stateful(&mut c);
    region(&mut c, &shapes);
    c.final_summary();
    report(&shapes);
}
