//! How fast the request path is, measured against peers in the same run.
//!
//! - `query`: `parse_query` against `form_urlencoded::parse` (the url crate's decoder)
//!   collecting the same pairs: the price of building a typed request over bare decoding.
//! - `json`: `parse_json` against `serde_json::from_str::<Value>` on the same document.
//! - `verdict`: `validate` and `violations` against a clone of the request, the cheapest
//!   thing a server could do with it.
//! - `scaling`: `parse_query` + `violations` on inputs of 1 KiB to 1 MiB of tags, beside
//!   `form_urlencoded` on the same input: if both lose throughput alike as the input grows,
//!   the loss is the memory hierarchy's, not a superlinear algorithm's. The same group has
//!   `warnings` on 1,000 and 20,000 unknown parameters of 40 characters beside
//!   `parse_query` of the same input: the one suggestion for each unknown name must stay
//!   a constant cost per name.

use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use ecs_snapshot_rules::testing::oracle::valid_request;
use ecs_snapshot_rules::{
    parse_json, parse_query, validate, violations, warnings, CreateSnapshotRequest,
};

const SAMPLE: &str = "Action=CreateSnapshot&DiskId=d-bp1s5fnvk4gn2tws0%2A%2A%2A%2A&SnapshotName=testSnapshotName&Description=testDescription&ClientToken=123e4567-e89b-12d3-a456-426655440000&Tag.1.Key=TestKey&Tag.1.Value=TestValue&RegionId=cn-hangzhou&Format=JSON&Version=2014-05-26&Timestamp=2026-11-27T00%3A00%3A00Z&SignatureNonce=3f1e&SignatureMethod=HMAC-SHA1&SignatureVersion=1.0&AccessKeyId=testid&Signature=abc%3D";

/// A request with every parameter and 20 tags of multi-byte text.
fn full_request() -> CreateSnapshotRequest<'static> {
    let mut request = CreateSnapshotRequest::new("d-bp1s5fnvk4gn2tws0")
        .snapshot_name("nightly-2026-11-27")
        .description("快照 of the database volume, taken before the upgrade")
        .retention_days(30)
        .client_token("123e4567-e89b-12d3-a456-426655440000")
        .resource_group_id("rg-bp67acfmxazb4p")
        .instant_access(true)
        .instant_access_retention_days(1);
    for n in 0..20 {
        request = request.tag(format!("team-{n}-é"), format!("value {n} 快照"));
    }
    request
}

fn query(c: &mut Criterion) {
    let full = full_request().to_query();
    let mut group = c.benchmark_group("query");
    for (name, input) in [("sample", SAMPLE), ("full", full.as_str())] {
        group.throughput(Throughput::Bytes(input.len() as u64));
        group.bench_with_input(BenchmarkId::new("parse_query", name), input, |b, input| {
            b.iter(|| parse_query(black_box(input)))
        });
        group.bench_with_input(
            BenchmarkId::new("form_urlencoded", name),
            input,
            |b, input| {
                b.iter(|| {
                    form_urlencoded::parse(black_box(input).as_bytes())
                        .map(|(k, v)| (k.into_owned(), v.into_owned()))
                        .collect::<Vec<_>>()
                })
            },
        );
    }
    group.finish();
}

fn json(c: &mut Criterion) {
    let map: serde_json::Map<String, serde_json::Value> = full_request()
        .to_pairs()
        .into_iter()
        .map(|(k, v)| (k.into_owned(), serde_json::Value::String(v.into_owned())))
        .collect();
    let document = serde_json::Value::Object(map).to_string();
    let mut group = c.benchmark_group("json");
    group.throughput(Throughput::Bytes(document.len() as u64));
    group.bench_function("parse_json", |b| {
        b.iter(|| parse_json(black_box(&document)))
    });
    group.bench_function("serde_json_value", |b| {
        b.iter(|| serde_json::from_str::<serde_json::Value>(black_box(&document)))
    });
    group.finish();
}

fn verdict(c: &mut Criterion) {
    let full = full_request();
    let broken = parse_query("SnapshotName=1st&Description=x&RetentionDays=0&Tag.1.Key=acs:x&Tag.2.Key=acs:x&InstantAccess=yes&Category=Flash").unwrap();
    let mut group = c.benchmark_group("verdict");
    group.bench_function("validate/full", |b| b.iter(|| validate(black_box(&full))));
    group.bench_function("violations/broken", |b| {
        b.iter(|| violations(black_box(&broken)))
    });
    group.bench_function("clone/full", |b| b.iter(|| black_box(&full).clone()));
    let generated: Vec<_> = (0..64).map(valid_request).collect();
    group.bench_function("validate/64_generated", |b| {
        b.iter(|| generated.iter().map(validate).filter(Result::is_ok).count())
    });
    group.finish();
}

fn scaling(c: &mut Criterion) {
    let mut group = c.benchmark_group("scaling");
    for kib in [1usize, 64, 1024] {
        let mut input = String::from("DiskId=d-1");
        let mut n = 1u32;
        while input.len() < kib * 1024 {
            input.push_str(&format!(
                "&Tag.{n}.Key=key{n}&Tag.{n}.Value=%E5%BF%AB%E7%85%A7{n}"
            ));
            n += 1;
        }
        group.throughput(Throughput::Bytes(input.len() as u64));
        group.bench_with_input(
            BenchmarkId::new("form_urlencoded", kib),
            &input,
            |b, input| {
                b.iter(|| {
                    form_urlencoded::parse(black_box(input).as_bytes())
                        .map(|(k, v)| (k.into_owned(), v.into_owned()))
                        .collect::<Vec<_>>()
                })
            },
        );
        group.bench_with_input(
            BenchmarkId::new("parse_and_validate", kib),
            &input,
            |b, input| b.iter(|| parse_query(black_box(input)).map(|r| violations(&r).len())),
        );
    }
    for unknown in [1_000usize, 20_000] {
        let mut input = String::from("DiskId=d-1");
        for n in 0..unknown {
            input.push_str(&format!("&SnapshotNameWithAVeryLongSuffix{n:08}=x"));
        }
        assert_eq!(
            warnings(&parse_query(&input).expect("a query")).len(),
            unknown
        );
        group.throughput(Throughput::Elements(unknown as u64));
        group.bench_with_input(
            BenchmarkId::new("parse_query/unknown", unknown),
            &input,
            |b, input| b.iter(|| black_box(parse_query(black_box(input))).is_ok()),
        );
        group.bench_with_input(
            BenchmarkId::new("parse_and_warn/unknown", unknown),
            &input,
            |b, input| b.iter(|| parse_query(black_box(input)).map(|r| warnings(&r).len())),
        );
    }
    group.finish();
}

criterion_group!(benches, query, json, verdict, scaling);
criterion_main!(benches);
