//! Infrastructure code at monorepo scale, beside the parser each reader stands on, in the
//! same run: a generated Terraform tree of 1,000 files with 10,000 snapshot resources
//! (judged: parsed by hcl-edit, mapped as the provider sends, judged by the rules; peer:
//! `hcl_edit::parser::parse_body` of the same files), and a plan of 10,000 created
//! snapshots (judged; peer: `serde_json::from_str::<Value>` of the same text). A third
//! group reads one shell line of 2,000 and of 20,000 `aliyun` calls (peer: splitting the
//! same line into words): time per call that stays flat as the line grows ten times is
//! what shows the reader linear. After the run, the medians and their ratios are printed
//! for `docs/BENCHMARKS.md`.
//!
//! `cargo bench -p ecs-snapshot-rules-cli --bench infra` runs it. The binary's modules are
//! compiled in here as they are (the package has no library target).

#![allow(dead_code, unused_imports)]

#[path = "../src/finding.rs"]
mod finding;
#[path = "../src/infra/mod.rs"]
mod infra;
#[path = "../src/check/judge.rs"]
mod judge;
#[path = "../src/library.rs"]
mod library;
#[path = "../src/tool_rules.rs"]
mod tool_rules;

use std::time::Duration;

use criterion::{black_box, BenchmarkId, Criterion, Throughput};

use infra::variables::{Scope, Value};
use judge::Judge;

const FILES: usize = 1_000;
const RESOURCES_PER_FILE: usize = 10;
const PLANNED: usize = 10_000;

/// One file of the tree: ten snapshots as a team writes them, a tenth of them refused.
fn terraform_file(file: usize) -> String {
    let mut text = String::from(
        "locals {\n  team = \"storage\"\n}\n\nvariable \"retention_days\" {\n  default = 14\n}\n\n",
    );
    for n in 0..RESOURCES_PER_FILE {
        let name = if n == 7 { "1st-bad" } else { "nightly" };
        text.push_str(&format!(
            "resource \"alicloud_ecs_snapshot\" \"s{file}_{n}\" {{\n  disk_id        = \"d-bp1{file:06}{n:04}aaaaaa\"\n  snapshot_name  = \"{name}-{file}-{n}\"\n  description    = \"Snapshot {n} of the disks of team ${{local.team}}\"\n  retention_days = var.retention_days\n  tags = {{\n    team  = local.team\n    env   = \"prod\"\n    owner = \"platform\"\n  }}\n}}\n\n"
        ));
    }
    text
}

/// A plan of `PLANNED` created snapshots in modules, with unknown disk IDs and tags.
fn plan() -> String {
    let mut changes = Vec::with_capacity(PLANNED);
    for n in 0..PLANNED {
        let name = if n % 10 == 7 { "auto-bad" } else { "nightly" };
        changes.push(format!(
            r#"{{"address":"module.m{m}.alicloud_ecs_snapshot.s[\"{n}\"]","module_address":"module.m{m}","mode":"managed","type":"alicloud_ecs_snapshot","name":"s","index":"{n}","provider_name":"registry.terraform.io/aliyun/alicloud","change":{{"actions":["create"],"before":null,"after":{{"category":null,"description":"Snapshot {n} of the orders database","disk_id":"d-bp1{n:010}aaaa","force":null,"resource_group_id":null,"retention_days":14,"snapshot_name":"{name}-{n}","tags":{{"env":"prod","team":"orders"}},"timeouts":null}},"after_unknown":{{"create_time":true,"id":true,"region_id":true,"status":true,"tags":{{"build":true}}}},"before_sensitive":false,"after_sensitive":{{"tags":{{}}}}}}}}"#,
            m = n % 50
        ));
    }
    format!(
        "{{\"format_version\":\"1.2\",\"terraform_version\":\"1.11.0\",\"resource_changes\":[{}],\"complete\":true}}",
        changes.join(",")
    )
}

fn scope() -> Scope {
    let mut scope = Scope::default();
    scope
        .variables
        .insert("retention_days".into(), Value::Number("14".into()));
    scope
        .locals
        .insert("team".into(), Value::String("storage".into()));
    scope
}

/// The whole tree judged: each file parsed, its snapshots mapped and judged. Returns the
/// number refused, which the run checks.
fn judge_tree(files: &[String], judge: &Judge) -> usize {
    // A run reads a module in a scope of its own, which holds what its evaluation may still
    // copy (`Budget`): one per pass over the tree, as one per run.
    let scope = scope();
    let mut refused = 0;
    for text in files {
        let body = infra::terraform::parse(text).expect("valid HCL");
        for declared in infra::terraform::declarations(&body, text, &scope, "") {
            refused += usize::from(!judge.declared(declared).is_valid());
        }
    }
    refused
}

fn judge_plan(text: &str, judge: &Judge) -> usize {
    infra::plan::read(text)
        .expect("a valid plan")
        .into_iter()
        .filter(|declared| !judge.declared(declared.clone()).is_valid())
        .count()
}

/// Lengths of the one shell line, in calls.
const LINE_CALLS: [usize; 2] = [2_000, 20_000];

/// One line of `calls` calls separated by `;`, the last one refused.
fn shell_line(calls: usize) -> String {
    let mut line = "aliyun ecs CreateSnapshot --DiskId d-1;".repeat(calls - 1);
    line.push_str(" aliyun ecs CreateSnapshot --DiskId d-2 --RetentionDays 0\n");
    line
}

fn main() {
    let files: Vec<String> = (0..FILES).map(terraform_file).collect();
    let plan = plan();
    let judge = Judge::new(false, None);
    assert_eq!(judge_tree(&files, &judge), FILES);
    assert_eq!(judge_plan(&plan, &judge), PLANNED / 10);
    let tree_bytes: usize = files.iter().map(String::len).sum();
    println!(
        "tree: {FILES} files, {} resources, {:.1} MiB; plan: {PLANNED} resources, {:.1} MiB",
        FILES * RESOURCES_PER_FILE,
        tree_bytes as f64 / 1048576.0,
        plan.len() as f64 / 1048576.0
    );

    let mut criterion = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5))
        .configure_from_args();
    let mut group = criterion.benchmark_group("tree");
    group.bench_function("hcl-edit parse_body", |b| {
        b.iter(|| {
            for text in &files {
                black_box(hcl_edit::parser::parse_body(black_box(text)).expect("valid HCL"));
            }
        })
    });
    group.bench_function("judged", |b| {
        b.iter(|| black_box(judge_tree(black_box(&files), &judge)))
    });
    group.finish();
    let mut group = criterion.benchmark_group("plan");
    group.bench_function("serde_json Value", |b| {
        b.iter(|| black_box(serde_json::from_str::<serde_json::Value>(black_box(&plan)).unwrap()))
    });
    group.bench_function("judged", |b| {
        b.iter(|| black_box(judge_plan(black_box(&plan), &judge)))
    });
    group.finish();
    let mut group = criterion.benchmark_group("shell_line");
    for calls in LINE_CALLS {
        let line = shell_line(calls);
        let found = infra::shell::read(&line, infra::shell::Dialect::Shell).expect("calls");
        assert_eq!(found.len(), calls);
        group.throughput(Throughput::Elements(calls as u64));
        group.bench_with_input(BenchmarkId::new("words", calls), &line, |b, line| {
            b.iter(|| black_box(line.split_whitespace().count()))
        });
        group.bench_with_input(BenchmarkId::new("read", calls), &line, |b, line| {
            b.iter(|| {
                black_box(
                    infra::shell::read(black_box(line), infra::shell::Dialect::Shell)
                        .map(|found| found.len()),
                )
            })
        });
    }
    group.finish();
    criterion.final_summary();
    print_ratios();
}

/// The medians criterion wrote, and each judged path over its peer.
fn print_ratios() {
    let median = |group: &str, name: &str| -> Option<f64> {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../target/criterion")
            .join(group)
            .join(name)
            .join("new/estimates.json");
        let text = std::fs::read_to_string(path).ok()?;
        let json: serde_json::Value = serde_json::from_str(&text).ok()?;
        json["median"]["point_estimate"].as_f64()
    };
    println!("\n| what | median | peer | peer median | ratio |\n|---|---:|---|---:|---:|");
    for (group, peer) in [
        ("tree", "hcl-edit parse_body"),
        ("plan", "serde_json Value"),
    ] {
        if let (Some(ours), Some(theirs)) = (median(group, "judged"), median(group, peer)) {
            println!(
                "| {group} judged | {:.1} ms | {peer} | {:.1} ms | {:.2}× |",
                ours / 1e6,
                theirs / 1e6,
                ours / theirs
            );
        }
    }
    println!("\n| shell line | read per call | words per call | ratio |\n|---|---:|---:|---:|");
    for calls in LINE_CALLS {
        let read = median("shell_line", &format!("read/{calls}"));
        let words = median("shell_line", &format!("words/{calls}"));
        if let (Some(read), Some(words)) = (read, words) {
            let per_call = |nanos: f64| nanos / calls as f64;
            println!(
                "| {calls} calls | {:.0} ns | {:.0} ns | {:.2}× |",
                per_call(read),
                per_call(words),
                read / words
            );
        }
    }
}
