//! The evidence corpus (`tests/evidence/*.json`): requests as Alibaba's own tools build them,
//! which the live API accepts. Every one must be accepted: by the stateless rules, and by
//! the stateful ones against an ordinary account whose disk is ready to be snapshotted. A
//! request the crate refuses fails the run, named with its source.

use std::path::{Path, PathBuf};

use ecs_snapshot_rules::state::{Accepted, DiskFacts, InstanceFacts, InstanceStatus};
use ecs_snapshot_rules::{
    check_preconditions, parse_json, parse_query, validate, CreateSnapshotRequest, Facts, Timestamp,
};
use serde_json::Value;

/// One request of the corpus, with where it comes from.
struct Evidence {
    file: String,
    name: String,
    source: String,
    request: Result<CreateSnapshotRequest<'static>, String>,
}

fn evidence_files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/evidence");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/evidence exists")
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    files.sort();
    files
}

/// Where a request comes from, as one line: a repository and path, or a document. `None`
/// when its source names neither.
fn source_of(source: &Value) -> Option<String> {
    let text = |field: &str| source.get(field).and_then(Value::as_str);
    match (text("repository"), text("path"), text("document")) {
        (Some(repository), Some(path), _) => Some(format!("{repository}: {path}")),
        (_, _, Some(document)) if document.len() > 20 => Some(document.to_owned()),
        _ => None,
    }
}

fn corpus() -> Vec<Evidence> {
    let mut all = Vec::new();
    for path in evidence_files() {
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&path).unwrap();
        let data: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert!(
            data["tool"].as_str().is_some_and(|t| !t.is_empty()),
            "{file}: names its tool"
        );
        assert!(
            data["how"].as_str().is_some_and(|t| t.len() > 40),
            "{file}: says how the tool builds its requests"
        );
        for item in data["requests"].as_array().expect("a requests array") {
            let name = item["name"].as_str().expect("a name").to_owned();
            let source = source_of(&item["source"])
                .unwrap_or_else(|| panic!("{file}/{name}: no repository and path, or document"));
            assert!(
                item["what"].as_str().is_some_and(|t| !t.is_empty()),
                "{file}/{name}: says what it is"
            );
            let request = if let Some(query) = item["query"].as_str() {
                parse_query(query).map(CreateSnapshotRequest::into_owned)
            } else {
                parse_json(&item["json"].to_string()).map(CreateSnapshotRequest::into_owned)
            }
            .map_err(|e| e.to_string());
            all.push(Evidence {
                file: file.clone(),
                name,
                source,
                request,
            });
        }
    }
    all
}

/// An ordinary account (it did not use local snapshots before 2020-12-14) where `disk_id`
/// is an ESSD attached to an instance running for a day, and `group` a resource group.
fn ready_world(disk_id: &str, group: Option<&str>, now: Timestamp) -> Facts {
    let mut facts = Facts::default();
    facts.instances.insert(
        "i-evidence".into(),
        InstanceFacts {
            status: InstanceStatus::Running,
            created_at: now.checked_add_seconds(-86_400),
            ..InstanceFacts::default()
        },
    );
    facts.disks.insert(
        disk_id.into(),
        DiskFacts {
            instance_id: Some("i-evidence".into()),
            ..DiskFacts::default()
        },
    );
    facts.resource_groups.extend(group.map(str::to_owned));
    facts
}

#[test]
fn every_request_of_the_evidence_is_accepted() {
    let now: Timestamp = "2026-11-27T12:00:00Z".parse().unwrap();
    let corpus = corpus();
    let mut refused = Vec::new();
    for evidence in &corpus {
        let what = format!("{}/{} ({})", evidence.file, evidence.name, evidence.source);
        let request = match &evidence.request {
            Ok(request) => request,
            Err(error) => {
                refused.push(format!("{what}: not read: {error}"));
                continue;
            }
        };
        if let Err(error) = validate(request) {
            refused.push(format!("{what}: {error}"));
            continue;
        }
        let disk_id = request.disk_id.as_deref().unwrap_or_default();
        let facts = ready_world(disk_id, request.resource_group_id.as_deref(), now);
        match check_preconditions(request, &facts, now) {
            Ok(Accepted::Create(_)) => {}
            Ok(other) => refused.push(format!("{what}: {other:?}")),
            Err(error) => refused.push(format!("{what}: with a ready disk, {error}")),
        }
    }
    assert!(
        refused.is_empty(),
        "the crate refuses what Alibaba's tools send:\n  {}",
        refused.join("\n  ")
    );
    assert!(corpus.len() >= 18, "only {} requests read", corpus.len());
}

/// The corpus covers each tool the current reference's evidence names, and the requests the
/// issue found refused.
#[test]
fn the_corpus_holds_the_tools_and_the_requests_once_refused() {
    let corpus = corpus();
    for file in [
        "terraform-provider-alicloud.json",
        "alibaba-cloud-csi-driver.json",
        "resource-orchestration-service.json",
        "sdk-examples.json",
        "aliyun-cli.json",
    ] {
        assert!(
            corpus.iter().any(|e| e.file == file),
            "no evidence from {file}"
        );
    }
    let holds = |test: &dyn Fn(&CreateSnapshotRequest) -> bool| {
        corpus
            .iter()
            .filter_map(|e| e.request.as_ref().ok())
            .any(test)
    };
    let text = |value: Option<&std::borrow::Cow<'_, str>>| value.map(|v| v.to_string());
    assert!(holds(
        &|r| r.to_query().contains("Category=Standard") && r.instant_access.is_some()
    ));
    assert!(holds(&|r| {
        r.instant_access_retention_days
            .as_ref()
            .and_then(|d| d.value())
            == Some(0)
    }));
    assert!(holds(
        &|r| text(r.snapshot_name.as_ref()).is_some_and(|n| n.contains('.') && !n.is_ascii())
    ));
    // Category in lower case as the provider sends it: read in any case, so look at the
    // wire text the corpus holds.
    let raw: String = evidence_files()
        .iter()
        .map(|f| std::fs::read_to_string(f).unwrap())
        .collect();
    assert!(raw.contains("Category=standard") && raw.contains("Category=flash"));
}
