//! `check` over infrastructure code: the realistic tree of `fixtures/infra` (Terraform with
//! modules, count, for_each, variables and tfvars; a plan; ROS templates in JSON and YAML;
//! scripts, a Makefile and a workflow) in all six formats, compared byte for byte with the
//! golden files of `golden/`; then each reader's edges and hostile inputs.
//!
//! `ECS_SNAPSHOT_RULES_BLESS=1 cargo test --test infra` rewrites the golden files from the
//! program's output; review the diff before committing it.

mod process_support;

use std::path::{Path, PathBuf};

use process_support::{run, run_with_stdin, Run};
use serde_json::{json, Value};

const TREE: &str = "crates/cli/tests/fixtures/infra";

/// Compares `actual` with the golden file `name`, or rewrites it when blessing.
#[track_caller]
fn golden(name: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    if std::env::var_os("ECS_SNAPSHOT_RULES_BLESS").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected =
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    if expected != actual {
        let first = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(expected.lines().count().min(actual.lines().count()));
        panic!(
            "{name} differs from the output at line {}:\n  golden: {:?}\n  output: {:?}",
            first + 1,
            expected.lines().nth(first),
            actual.lines().nth(first)
        );
    }
}

/// A scratch directory of this test binary, emptied.
fn scratch(name: &str) -> PathBuf {
    process_support::scratch("infra", name)
}

/// Writes `text` as `file` in the scratch folder `folder`, runs `check ARGS... FILE`, and
/// gives the file's path as findings name it, with the run.
#[track_caller]
fn check_file(folder: &str, file: &str, text: &str, args: &[&str]) -> (String, Run) {
    let path = scratch(folder).join(file);
    std::fs::write(&path, text).unwrap();
    let name = path.display().to_string();
    let mut command = vec!["check"];
    command.extend_from_slice(args);
    command.push(&name);
    let out = run(&command);
    (name, out)
}

// --- the tree, in every format -------------------------------------------------------------

#[test]
fn the_tree_in_text() {
    let run = run(&["check", "--all", TREE]);
    assert_eq!(run.status, 1);
    assert_eq!(run.stderr, "");
    golden("infra.txt", &run.stdout);
}

#[test]
fn the_tree_in_verbose_text() {
    let run = run(&["check", "--all", "--verbose", TREE]);
    assert_eq!(run.status, 1);
    golden("infra-verbose.txt", &run.stdout);
}

#[test]
fn the_tree_in_json() {
    let run = run(&["check", "--all", "--format", "json", TREE]);
    assert_eq!(run.status, 1);
    for line in run.stdout.lines() {
        serde_json::from_str::<Value>(line).unwrap_or_else(|e| panic!("{e}: {line}"));
    }
    golden("infra.jsonl", &run.stdout);
}

#[test]
fn the_tree_in_sarif() {
    let run = run(&["check", "--all", "--format", "sarif", TREE]);
    assert_eq!(run.status, 1);
    let log: Value = serde_json::from_str(&run.stdout).expect("one JSON document");
    let results = log["runs"][0]["results"].as_array().unwrap();
    // Every result is placed on a line and column, and carries a fingerprint.
    for result in results {
        let region = &result["locations"][0]["physicalLocation"]["region"];
        assert!(region["startLine"].as_u64().unwrap() >= 1, "{result}");
        let fingerprint = result["partialFingerprints"]["ecsSnapshotRules/v1"]
            .as_str()
            .unwrap();
        assert_eq!(fingerprint.len(), 16, "{result}");
    }
    golden("infra.sarif", &run.stdout);
}

#[test]
fn the_tree_in_github_workflow_commands() {
    let run = run(&["check", "--all", "--format", "github", TREE]);
    assert_eq!(run.status, 1);
    golden("infra.github", &run.stdout);
}

#[test]
fn the_tree_in_junit() {
    let run = run(&["check", "--all", "--format", "junit", TREE]);
    assert_eq!(run.status, 1);
    golden("infra.junit.xml", &run.stdout);
}

#[test]
fn the_tree_in_checkstyle() {
    let run = run(&["check", "--all", "--format", "checkstyle", TREE]);
    assert_eq!(run.status, 1);
    golden("infra.checkstyle.xml", &run.stdout);
}

// --- places and answers, one reader at a time ----------------------------------------------

/// The text lines of one file, from a run over the whole tree (a module's variables come
/// from its caller), without the directory.
fn lines_of(file: &str) -> Vec<String> {
    let run = run(&["check", "--all", TREE]);
    run.stdout
        .lines()
        .filter_map(|l| l.strip_prefix(&format!("{TREE}/")))
        .filter(|l| l.starts_with(&format!("{file}:")))
        .map(str::to_owned)
        .collect()
}

#[test]
fn terraform_findings_are_at_the_value_with_the_api_s_answer() {
    let lines = lines_of("terraform/main.tf");
    assert!(lines.contains(&"terraform/main.tf:26:20: alicloud_ecs_snapshot.nightly: snapshot_name (SnapshotName): InvalidSnapshotName.Malformed (HTTP 400): The specified SnapshotName is wrongly formed.".to_owned()), "{lines:#?}");
    // retention_days = var.retention_days: 0 from prod.auto.tfvars, over the default 7.
    assert!(lines.contains(&"terraform/main.tf:27:20: alicloud_ecs_snapshot.nightly: retention_days (RetentionDays): InvalidRetentionDays.Malformed (HTTP 400): The specified RetentionDays is not valid.".to_owned()), "{lines:#?}");
    assert!(lines.contains(&"terraform/main.tf:34:17: alicloud_snapshot.legacy: description (Description): InvalidDescription.Malformed (HTTP 404): The specified description is wrongly formed.".to_owned()), "{lines:#?}");
    // One instance per key of a known for_each, each.value as the disk.
    assert!(lines.contains(&"terraform/main.tf:44:5: alicloud_ecs_snapshot.per_disk[\"d-bp1users0000000001\"]: tags[\"\"] (Tag.2.Key): InvalidTagKey.Malformed (HTTP 400): The specified Tag.n.Key is not valid.".to_owned()), "{lines:#?}");
    assert!(lines.contains(&"terraform/main.tf:86:20: alicloud_ecs_snapshot.archive[\"2024\"]: snapshot_name (SnapshotName): InvalidSnapshotName.Malformed (HTTP 400): The specified SnapshotName is wrongly formed.".to_owned()), "{lines:#?}");
    // The suppressed resource and the valid ones say nothing; count = 0 creates nothing;
    // terraform.tfvars.json sets archive_days to 365 over the default 0.
    assert!(
        !lines.iter().any(|l| l.contains(".ignored")
            || l.contains(".weekly")
            || l.contains(".disabled")
            || l.contains("archive[\"orders\"]")
            || l.contains(":87:")),
        "{lines:#?}"
    );
}

/// The 21 tags of `modules/db` are refused for their number only (`QuotaExceed.Tags`,
/// suppressed there): the N past 20 that the map's 21st entry gets is the tool's numbering,
/// no fault of that tag, so nothing else is said of it.
#[test]
fn a_module_gets_its_variables_from_its_call_and_its_address_below_it() {
    let lines = lines_of("terraform/modules/db/main.tf");
    assert_eq!(
        lines,
        [
            "terraform/modules/db/main.tf:4:20: module.db.alicloud_ecs_snapshot.nightly: retention_days (RetentionDays): InvalidRetentionDays.Malformed (HTTP 400): The specified RetentionDays is not valid.",
        ]
    );
}

/// A byte-order mark is no part of the first line: the file is told as Terraform by its
/// content, and every place is counted as an editor shows it. A `count` written as the
/// string "0" creates nothing, as Terraform converts it.
#[test]
fn a_byte_order_mark_moves_no_place_and_a_count_of_string_zero_creates_nothing() {
    let text = "\u{feff}resource \"alicloud_ecs_snapshot\" \"off\" {
  count         = \"0\"
  disk_id       = \"d-1\"
  snapshot_name = \"1bad\"
}
resource \"alicloud_ecs_snapshot\" \"on\" {
  disk_id       = \"d-1\"
  snapshot_name = \"1bad\"
  tags = {
\"acs:x\" = \"v\"
  }
}
";
    let expected = |name: &str| {
        format!(
            "{name}:8:19: alicloud_ecs_snapshot.on: snapshot_name (SnapshotName): InvalidSnapshotName.Malformed (HTTP 400): The specified SnapshotName is wrongly formed.\n\
             {name}:10:1: alicloud_ecs_snapshot.on: tags[\"acs:x\"] (Tag.1.Key): InvalidTagKey.Malformed (HTTP 400): The specified Tag.n.Key is not valid.\n\
             1 snapshot in 1 file: 1 refused, 0 with warnings\n"
        )
    };
    let piped = run_with_stdin(&["check", "--all", "-"], text.as_bytes());
    assert_eq!(
        (piped.status, piped.stdout),
        (1, expected("-")),
        "{}",
        piped.stderr
    );
    let dir = scratch("bom");
    let file = dir.join("main.tf");
    std::fs::write(&file, text).unwrap();
    let named = run(&["check", "--all", file.to_str().unwrap()]);
    assert_eq!(
        (named.status, named.stdout),
        (1, expected(&file.display().to_string()))
    );
}

/// The toggle of published modules, `count = var.create ? 1 : 0`, is evaluated when its
/// operands are known: the default creates nothing, a variable file that turns it on makes
/// the resource judged; comparisons pick a branch as Terraform does (D295).
#[test]
fn a_conditional_of_known_values_decides_the_instances_and_the_values() {
    let dir = scratch("conditional");
    let file = dir.join("main.tf");
    std::fs::write(
        &file,
        "variable \"create\" {
  default = false
}
variable \"env\" {
  default = \"prod\"
}
resource \"alicloud_ecs_snapshot\" \"toggled\" {
  count          = var.create ? 1 : 0
  disk_id        = \"d-1\"
  retention_days = 0
}
resource \"alicloud_ecs_snapshot\" \"per_key\" {
  for_each       = var.create ? toset([\"a\"]) : toset([])
  disk_id        = \"d-1\"
  retention_days = 0
}
resource \"alicloud_ecs_snapshot\" \"in_prod\" {
  count         = var.env == \"prod\" ? 1 : 0
  disk_id       = \"d-1\"
  snapshot_name = var.env != \"prod\" ? \"ok-name\" : \"1bad\"
}
",
    )
    .unwrap();
    let on = dir.join("on.tfvars");
    std::fs::write(&on, "create = true\n").unwrap();
    let name = file.display().to_string();
    let in_prod = format!(
        "{name}:20:19: alicloud_ecs_snapshot.in_prod: snapshot_name (SnapshotName): InvalidSnapshotName.Malformed (HTTP 400): The specified SnapshotName is wrongly formed.\n"
    );
    let by_default = run(&["check", "--all", file.to_str().unwrap()]);
    assert_eq!(
        (by_default.status, by_default.stdout),
        (
            1,
            format!("{in_prod}1 snapshot in 1 file: 1 refused, 0 with warnings\n")
        )
    );
    let turned_on = run(&[
        "check",
        "--all",
        "--var-file",
        on.to_str().unwrap(),
        file.to_str().unwrap(),
    ]);
    assert_eq!(
        (turned_on.status, turned_on.stdout),
        (
            1,
            format!(
                "{name}:10:20: alicloud_ecs_snapshot.toggled: retention_days (RetentionDays): InvalidRetentionDays.Malformed (HTTP 400): The specified RetentionDays is not valid.\n\
                 {name}:15:20: alicloud_ecs_snapshot.per_key[\"a\"]: retention_days (RetentionDays): InvalidRetentionDays.Malformed (HTTP 400): The specified RetentionDays is not valid.\n\
                 {in_prod}3 snapshots in 1 file: 3 refused, 0 with warnings\n"
            )
        )
    );
}

/// The CLI's plugin mode, `aliyun ecs create-snapshot --disk-id ...`, is read by its kebab
/// names and addressed as written; its tags are named as not judged (D296).
#[test]
fn the_cli_plugin_mode_is_judged_by_its_kebab_case_names() {
    let (name, out) = check_file(
        "plugin",
        "snapshot.sh",
        "#!/bin/sh
aliyun ecs create-snapshot --disk-id d-1 --snapshot-name 1bad --retention-days 0
aliyun ecs create-snapshot --biz-region-id cn-hangzhou --disk-id d-1 --tag Key=k Value=v
aliyun ecs create-snapshot --disk-id d-1 --disk-id d-2
",
        &["--all", "--verbose"],
    );
    assert_eq!(
        (out.status, out.stdout),
        (
            1,
            format!(
                "{name}:2:58: aliyun ecs create-snapshot #1: --snapshot-name (SnapshotName): InvalidSnapshotName.Malformed (HTTP 400): The specified SnapshotName is wrongly formed.\n\
                 {name}:2:80: aliyun ecs create-snapshot #1: --retention-days (RetentionDays): InvalidRetentionDays.Malformed (HTTP 400): The specified RetentionDays is not valid.\n\
                 {name}:3:70: aliyun ecs create-snapshot #2: note: --tag (Tag) not judged: its value is not known until the script runs\n\
                 {name}:3:1: aliyun ecs create-snapshot #2: ok\n\
                 {name}:4:42: aliyun ecs create-snapshot #3: --disk-id: aliyun-cli:DuplicatedParameter: --disk-id duplicated\n\
                 3 snapshots in 1 file: 2 refused, 0 with warnings\n"
            )
        )
    );
}

/// A value known only in its start is refused where that start decides the API's answer
/// whatever follows (`auto-$(date +%F)`, `"http://${var.host}"`), at its place and in the
/// rules' order; where it does not (`aut$X`, an integer, a choice), it is not judged (D297).
#[test]
fn a_value_whose_known_start_is_refused_whatever_follows_is_judged() {
    let dir = scratch("known-start");
    let script = dir.join("snapshot.sh");
    std::fs::write(
        &script,
        "#!/bin/sh
aliyun ecs CreateSnapshot --DiskId d-1 --SnapshotName \"auto-$(date +%F)\"
aliyun ecs CreateSnapshot --DiskId d-1 --SnapshotName \"aut$X\" --RetentionDays \"0$N\" --Category \"Sta$C\"
aliyun ecs CreateSnapshot --DiskId d-1 --Tag.1.Key \"acs:$K\" --Tag.1.Value \"see https://$V\" --ClientToken \"令$T\"
",
    )
    .unwrap();
    let name = script.display().to_string();
    let out = run(&["check", "--all", "--verbose", script.to_str().unwrap()]);
    assert_eq!(
        (out.status, out.stdout),
        (
            1,
            format!(
                "{name}:2:55: aliyun ecs CreateSnapshot #1: --SnapshotName (SnapshotName): InvalidSnapshotName.Malformed (HTTP 400): The specified SnapshotName is wrongly formed.\n\
                 {name}:3:55: aliyun ecs CreateSnapshot #2: note: --SnapshotName (SnapshotName) not judged: its value is not known until the script runs\n\
                 {name}:3:79: aliyun ecs CreateSnapshot #2: note: --RetentionDays (RetentionDays) not judged: its value is not known until the script runs\n\
                 {name}:3:96: aliyun ecs CreateSnapshot #2: note: --Category (Category) not judged: its value is not known until the script runs\n\
                 {name}:3:1: aliyun ecs CreateSnapshot #2: ok\n\
                 {name}:4:106: aliyun ecs CreateSnapshot #3: --ClientToken (ClientToken): InvalidClientToken.Malformed (HTTP 403): The specified clientToken is improperly formatted. It must contain only ASCII characters and must not exceed 64 characters in length.\n\
                 {name}:4:52: aliyun ecs CreateSnapshot #3: --Tag.1.Key (Tag.1.Key): InvalidTagKey.Malformed (HTTP 400): The specified Tag.n.Key is not valid.\n\
                 {name}:4:75: aliyun ecs CreateSnapshot #3: --Tag.1.Value (Tag.1.Value): InvalidTagValue.Malformed (HTTP 400): The specified Tag.n.Value is not valid.\n\
                 3 snapshots in 1 file: 2 refused, 0 with warnings\n"
            )
        )
    );
    // Without --all, the first refusal in the rules' order (ClientToken's before the
    // tags'), as for known values.
    let first = run(&["check", script.to_str().unwrap()]);
    assert!(
        first.stdout.contains(&format!(
            "{name}:4:106: aliyun ecs CreateSnapshot #3: --ClientToken (ClientToken): InvalidClientToken.Malformed"
        )) && !first.stdout.contains("(Tag.1."),
        "{}",
        first.stdout
    );

    let terraform = dir.join("main.tf");
    std::fs::write(
        &terraform,
        "variable \"env\" {}
resource \"alicloud_ecs_snapshot\" \"p\" {
  disk_id       = \"d-1\"
  snapshot_name = \"auto-${var.env}\"
  description   = \"http://${var.env}\"
  tags = {
    ok = \"v-${var.env}\"
  }
}
",
    )
    .unwrap();
    let name = terraform.display().to_string();
    let out = run(&["check", "--all", "--verbose", terraform.to_str().unwrap()]);
    assert_eq!(
        (out.status, out.stdout),
        (
            1,
            format!(
                "{name}:4:19: alicloud_ecs_snapshot.p: snapshot_name (SnapshotName): InvalidSnapshotName.Malformed (HTTP 400): The specified SnapshotName is wrongly formed.\n\
                 {name}:5:19: alicloud_ecs_snapshot.p: description (Description): InvalidDescription.Malformed (HTTP 404): The specified description is wrongly formed.\n\
                 {name}:7:5: alicloud_ecs_snapshot.p: note: tags[\"ok\"] (Tag.1.Value) not judged: its value is not known before the apply\n\
                 1 snapshot in 1 file: 1 refused, 0 with warnings\n"
            )
        )
    );
}

/// A variable's primitive `type` converts its value before any comparison reads it; `&&`
/// answers as soon as one operand decides; a string beside a number is not compared, as
/// a type this reader does not track could have converted it (D295).
#[test]
fn a_variables_type_converts_its_value_and_and_answers_early() {
    let dir = scratch("typed");
    let file = dir.join("main.tf");
    std::fs::write(
        &file,
        "variable \"snapshots\" {
  type = number
}
variable \"enabled\" {
  type    = bool
  default = \"false\"
}
resource \"alicloud_ecs_snapshot\" \"counted\" {
  count         = var.snapshots == 0 ? 0 : 1
  disk_id       = \"d-1\"
  snapshot_name = \"1bad\"
}
resource \"alicloud_ecs_snapshot\" \"guarded\" {
  count         = var.enabled && length(data.alicloud_disks.d.ids) > 0 ? 1 : 0
  disk_id       = \"d-1\"
  snapshot_name = \"2bad\"
}
resource \"alicloud_ecs_snapshot\" \"untyped\" {
  count         = \"0\" == 0 ? 0 : 1
  disk_id       = \"d-1\"
  snapshot_name = \"3bad\"
}
",
    )
    .unwrap();
    std::fs::write(dir.join("terraform.tfvars"), "snapshots = \"0\"\n").unwrap();
    let name = file.display().to_string();
    let out = run(&["check", "--all", file.to_str().unwrap()]);
    assert_eq!(
        (out.status, out.stdout),
        (
            1,
            format!(
                "{name}:21:19: alicloud_ecs_snapshot.untyped: snapshot_name (SnapshotName): InvalidSnapshotName.Malformed (HTTP 400): The specified SnapshotName is wrongly formed.\n\
                 1 snapshot in 1 file: 1 refused, 0 with warnings\n"
            )
        )
    );
}

/// Two tag keys judged by their starts may differ past them: they are not duplicates
/// (D297).
#[test]
fn tag_keys_judged_by_their_starts_repeat_nothing() {
    let out = run_with_stdin(
        &["check", "--all", "-"],
        b"aliyun ecs CreateSnapshot --DiskId d-1 --Tag.1.Key \"aliyun-$(a)\" --Tag.2.Key \"aliyun-$(b)\"\n",
    );
    assert_eq!(
        (out.status, out.stdout.as_str()),
        (
            1,
            "-:1:52: aliyun ecs CreateSnapshot #1: --Tag.1.Key (Tag.1.Key): InvalidTagKey.Malformed (HTTP 400): The specified Tag.n.Key is not valid.\n\
             -:1:78: aliyun ecs CreateSnapshot #1: --Tag.2.Key (Tag.2.Key): InvalidTagKey.Malformed (HTTP 400): The specified Tag.n.Key is not valid.\n\
             1 snapshot in 1 file: 1 refused, 0 with warnings\n"
        )
    );
}

/// A module of 2,000 resources that each copy a map of twenty long tags and a long
/// description is judged whole: what its evaluation may copy grows with its text; and
/// locals that double each other stop at the bound, the resource still judged (D300).
#[test]
fn a_large_module_is_judged_whole_and_doubling_locals_stop_at_the_bound() {
    let dir = scratch("large-module");
    let tags: Vec<String> = (0..20)
        .map(|i| format!("    \"team-{i:02}\" = \"{}\"", "v".repeat(100)))
        .collect();
    let mut text = format!(
        "locals {{\n  tags = {{\n{}\n  }}\n  description = \"{}\"\n}}\n",
        tags.join("\n"),
        "d".repeat(200)
    );
    for i in 0..2000 {
        text.push_str(&format!(
            "resource \"alicloud_ecs_snapshot\" \"r{i}\" {{\n  disk_id       = \"d-{i}\"\n  snapshot_name = \"1bad\"\n  description   = local.description\n  tags          = local.tags\n}}\n"
        ));
    }
    std::fs::write(dir.join("main.tf"), text).unwrap();
    let out = run(&["check", "--verbose", dir.to_str().unwrap()]);
    assert_eq!(out.status, 1);
    assert!(!out.stdout.contains("not judged"), "{}", out.stdout);
    assert!(
        out.stdout
            .ends_with("2000 snapshots in 1 file: 2000 refused, 0 with warnings\n"),
        "{}",
        out.stdout
    );

    let bomb = scratch("doubling-locals");
    let mut text = "locals {\n  l0 = [\"x\"]\n  s0 = \"xx\"\n".to_owned();
    for i in 1..=40 {
        let j = i - 1;
        text.push_str(&format!(
            "  l{i} = [local.l{j}, local.l{j}]\n  s{i} = \"${{local.s{j}}}${{local.s{j}}}\"\n"
        ));
    }
    text.push_str(
        "}\nresource \"alicloud_ecs_snapshot\" \"a\" {\n  disk_id       = \"d-1\"\n  snapshot_name = \"1bad\"\n  description   = local.s40\n}\n",
    );
    std::fs::write(bomb.join("main.tf"), text).unwrap();
    let out = run(&["check", "--verbose", bomb.to_str().unwrap()]);
    assert_eq!(out.status, 1);
    assert!(
        out.stdout.contains("description (Description) not judged")
            && out.stdout.contains("InvalidSnapshotName.Malformed"),
        "{}",
        out.stdout
    );
}

/// Terraform read from standard input knows its locals, as a module read from a file does.
#[test]
fn terraform_from_standard_input_knows_its_locals() {
    let out = run_with_stdin(
        &["check", "-"],
        b"locals {\n  n = \"1bad\"\n}\nresource \"alicloud_ecs_snapshot\" \"a\" {\n  disk_id       = \"d-1\"\n  snapshot_name = local.n\n}\n",
    );
    assert_eq!(
        (out.status, out.stdout.as_str()),
        (
            1,
            "-:6:19: alicloud_ecs_snapshot.a: snapshot_name (SnapshotName): InvalidSnapshotName.Malformed (HTTP 400): The specified SnapshotName is wrongly formed.\n\
             1 snapshot in 1 file: 1 refused, 0 with warnings\n"
        )
    );
}

/// A tag whose key is not known hides no other: the known entries are judged, the unknown
/// key counts and is named as not judged, as written.
#[test]
fn a_tag_key_not_known_leaves_the_known_ones_judged() {
    let text = "variable \"k\" {}
resource \"alicloud_ecs_snapshot\" \"t\" {
  disk_id = \"d-1\"
  tags = {
    Name = \"web\"
    (var.k) = \"v\"
    \"acs:bad\" = \"1\"
  }
}
";
    let run = run_with_stdin(&["check", "--all", "--verbose", "-"], text.as_bytes());
    assert_eq!(
        (run.status, run.stdout.as_str()),
        (
            1,
            "-:7:5: alicloud_ecs_snapshot.t: tags[\"acs:bad\"] (Tag.3.Key): InvalidTagKey.Malformed (HTTP 400): The specified Tag.n.Key is not valid.\n\
             -:6:5: alicloud_ecs_snapshot.t: note: tags[(var.k)] (Tag.2.Key) not judged: its value is not known before the apply\n\
             1 snapshot in 1 file: 1 refused, 0 with warnings\n"
        ),
        "{}",
        run.stderr
    );
    // Twenty known tags and one of unknown key: the count is known to be 21.
    let entries: String = (1..=20).map(|n| format!("    k{n:02} = \"v\"\n")).collect();
    let text = format!(
        "variable \"k\" {{}}\nresource \"alicloud_ecs_snapshot\" \"t\" {{\n  disk_id = \"d-1\"\n  tags = {{\n{entries}    (var.k) = \"v\"\n  }}\n}}\n"
    );
    let run = run_with_stdin(&["check", "-"], text.as_bytes());
    assert_eq!(
        (run.status, run.stdout.as_str()),
        (
            1,
            "-:4:10: alicloud_ecs_snapshot.t: tags (Tag): QuotaExceed.Tags (HTTP 403): The number of tags (21) exceeds the quota of 20.\n\
             1 snapshot in 1 file: 1 refused, 0 with warnings\n"
        )
    );
}

/// In Terraform's JSON syntax, the file's `locals` are known as in HCL, a local that uses
/// another one included.
#[test]
fn locals_in_terraform_json_are_known() {
    let text = r#"{"locals":{"pfx":"1x","name":"${local.pfx}-snap"},"variable":{"days":{"default":0}},"resource":{"alicloud_ecs_snapshot":{"s":{"disk_id":"d-1","snapshot_name":"${local.name}","retention_days":"${var.days}"}}}}"#;
    let run = run_with_stdin(&["check", "--all", "-"], text.as_bytes());
    assert_eq!(
        (run.status, run.stdout.as_str()),
        (
            1,
            "-:1:159: alicloud_ecs_snapshot.s: snapshot_name (SnapshotName): InvalidSnapshotName.Malformed (HTTP 400): The specified SnapshotName is wrongly formed.\n\
             -:1:192: alicloud_ecs_snapshot.s: retention_days (RetentionDays): InvalidRetentionDays.Malformed (HTTP 400): The specified RetentionDays is not valid.\n\
             1 snapshot in 1 file: 1 refused, 0 with warnings\n"
        ),
        "{}",
        run.stderr
    );
}

/// In Terraform's JSON syntax an object's keys are templates too: a known one is judged
/// as its value, one not known counts and is named as not judged.
#[test]
fn tag_keys_in_terraform_json_are_templates() {
    let text = r#"{"variable":{"x":{}},"resource":{"alicloud_ecs_snapshot":{"a":{"disk_id":"d-1","tags":{"${\"acs:\"}k":"v","${var.x}":"w","plain":"${\"h\"}ttp://x"}}}}}"#;
    let run = run_with_stdin(
        &[
            "check",
            "--all",
            "--verbose",
            "--input-format",
            "terraform-json",
            "-",
        ],
        text.as_bytes(),
    );
    assert_eq!(
        (run.status, run.stdout.as_str()),
        (
            1,
            "-:1:88: alicloud_ecs_snapshot.a: tags[\"acs:k\"] (Tag.1.Key): InvalidTagKey.Malformed (HTTP 400): The specified Tag.n.Key is not valid.\n\
             -:1:122: alicloud_ecs_snapshot.a: tags[\"plain\"] (Tag.3.Value): InvalidTagValue.Malformed (HTTP 400): The specified Tag.n.Value is not valid.\n\
             -:1:107: alicloud_ecs_snapshot.a: note: tags[\"${var.x}\"] (Tag.2.Key) not judged: its value is not known before the apply\n\
             1 snapshot in 1 file: 1 refused, 0 with warnings\n"
        ),
        "{}",
        run.stderr
    );
}

/// More than 20 tags in a map: their number is refused, and a tag past the 20th is
/// refused only for its own text; an N that a command line writes is the caller's own.
#[test]
fn tags_past_the_twentieth_are_refused_for_their_text_not_their_place() {
    let entries: String = (1..=21).map(|n| format!("    k{n:02} = \"v\"\n")).collect();
    let text = format!(
        "resource \"alicloud_ecs_snapshot\" \"many\" {{\n  disk_id = \"d-1\"\n  tags = {{\n{entries}    \"acs:x\" = \"v\"\n  }}\n}}\n"
    );
    let run = run_with_stdin(&["check", "--all", "-"], text.as_bytes());
    assert_eq!(
        (run.status, run.stdout.as_str()),
        (
            1,
            "-:3:10: alicloud_ecs_snapshot.many: tags (Tag): QuotaExceed.Tags (HTTP 403): The number of tags (22) exceeds the quota of 20.\n\
             -:25:5: alicloud_ecs_snapshot.many: tags[\"acs:x\"] (Tag.22.Key): InvalidTagKey.Malformed (HTTP 400): The specified Tag.n.Key is not valid.\n\
             1 snapshot in 1 file: 1 refused, 0 with warnings\n"
        )
    );
    let run = run_with_stdin(
        &["check", "--all", "--input-format", "shell", "-"],
        b"aliyun ecs CreateSnapshot --DiskId d-1 --Tag.21.Key k\n",
    );
    assert_eq!(
        (run.status, run.stdout.as_str()),
        (
            1,
            "-:1:53: aliyun ecs CreateSnapshot #1: --Tag.21.Key (Tag.21.Key): InvalidTagKey.Malformed (HTTP 400): The specified Tag.n.Key is not valid.\n\
             1 snapshot in 1 file: 1 refused, 0 with warnings\n"
        )
    );
}

/// A `local-exec` provisioner in any resource runs its command with `/bin/sh -c`: its calls
/// are judged at their place in the `.tf` file (escapes, `$${` and a heredoc's stripped
/// indentation stepped over), known interpolations substituted, one not known leaving its
/// word not judged; a provisioner run by PowerShell, and a resource of `count = 0`, call
/// nothing. A file of `null_resource`s alone is told Terraform on standard input by it.
#[test]
fn local_exec_commands_are_judged_at_their_place_in_the_tf_file() {
    let text = r#"variable "disk" {
  default = "d-1"
}

resource "null_resource" "literal" {
  provisioner "local-exec" {
    command = "aliyun ecs CreateSnapshot --DiskId d-1 --SnapshotName 1bad"
  }
}

resource "terraform_data" "heredoc" {
  provisioner "local-exec" {
    when    = destroy
    command = <<-EOT
      set -e
      aliyun ecs CreateSnapshot \
        --DiskId ${var.disk} --SnapshotName 2bad!
    EOT
  }
}

resource "null_resource" "escaped" {
  provisioner "local-exec" {
    command = "echo \"\u00e9\" $${HOME} && aliyun ecs CreateSnapshot --DiskId \"d-1\" --SnapshotName 3bad"
  }
}

resource "null_resource" "unknown" {
  provisioner "local-exec" {
    command = "aliyun ecs CreateSnapshot --DiskId ${self.id} --SnapshotName '${var.nope}' ${local.more}"
  }
}

resource "null_resource" "powershell" {
  provisioner "local-exec" {
    interpreter = ["PowerShell", "-Command"]
    command     = "aliyun ecs CreateSnapshot --DiskId d-1 --SnapshotName 4bad"
  }
  provisioner "local-exec" {
    interpreter = ["/bin/bash", "-c"]
    command     = "aliyun ecs CreateSnapshot --DiskId d-1 --SnapshotName 5bad"
  }
}

resource "null_resource" "none" {
  count = 0
  provisioner "local-exec" {
    command = "aliyun ecs CreateSnapshot --DiskId d-1 --SnapshotName 6bad"
  }
}
"#;
    let refused = |at: &str, address: &str| {
        format!("-:{at}: {address} local-exec: aliyun ecs CreateSnapshot #1: --SnapshotName (SnapshotName): InvalidSnapshotName.Malformed (HTTP 400): The specified SnapshotName is wrongly formed.\n")
    };
    let findings = [
        refused("7:70", "null_resource.literal"),
        refused("17:45", "terraform_data.heredoc"),
        refused("24:102", "null_resource.escaped"),
    ]
    .concat();
    let last = refused("41:74", "null_resource.powershell");
    let run = run_with_stdin(&["check", "--all", "-"], text.as_bytes());
    assert_eq!(
        (run.status, run.stdout.as_str()),
        (
            1,
            format!("{findings}{last}5 snapshots in 1 file: 4 refused, 0 with warnings\n").as_str()
        ),
        "{}",
        run.stderr
    );
    let note = |at: &str, what: &str| {
        format!("-:30:{at}: null_resource.unknown local-exec: aliyun ecs CreateSnapshot #1: note: {what} not judged: its value is not known before the apply\n")
    };
    let unknown = [
        note("51", "--DiskId (DiskId)"),
        note("77", "--SnapshotName (SnapshotName)"),
        note("91", "${local.more}"),
        "-:30:16: null_resource.unknown local-exec: aliyun ecs CreateSnapshot #1: ok\n".to_owned(),
    ]
    .concat();
    let run = run_with_stdin(&["check", "--all", "--verbose", "-"], text.as_bytes());
    assert_eq!(
        (run.status, run.stdout.as_str()),
        (
            1,
            format!("{findings}{unknown}{last}5 snapshots in 1 file: 4 refused, 0 with warnings\n")
                .as_str()
        ),
        "{}",
        run.stderr
    );
}

/// A module's provisioners are addressed below its call, once per instance of a known
/// `for_each`, its variables known from the call; `.tf.json` provisioners too.
#[test]
fn local_exec_in_a_module_is_addressed_below_its_call() {
    let dir = scratch("local-exec-module");
    std::fs::create_dir_all(dir.join("mod")).unwrap();
    std::fs::write(
        dir.join("main.tf"),
        "module \"db\" {\n  source = \"./mod\"\n  name   = \"1bad\"\n}\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("mod/main.tf"),
        r#"variable "name" {}

resource "null_resource" "snap" {
  for_each = toset(["a", "b"])
  provisioner "local-exec" {
    command = "aliyun ecs CreateSnapshot --DiskId d-${each.key} --SnapshotName ${var.name}"
  }
}
"#,
    )
    .unwrap();
    std::fs::write(
        dir.join("mod/extra.tf.json"),
        r#"{"resource": {"terraform_data": {"j": {"provisioner": {"local-exec": {"command": "aliyun ecs CreateSnapshot --DiskId d-1 --SnapshotName ${var.name}"}}}}}}
"#,
    )
    .unwrap();
    let run = run(&["check", dir.to_str().unwrap()]);
    let d = dir.display();
    let refused = |at: &str, address: &str| {
        format!("{d}/mod/{at}: module.db.{address} local-exec: aliyun ecs CreateSnapshot #1: --SnapshotName (SnapshotName): InvalidSnapshotName.Malformed (HTTP 400): The specified SnapshotName is wrongly formed.\n")
    };
    let expected = [
        refused("extra.tf.json:1:137", "terraform_data.j"),
        refused("main.tf:6:80", "null_resource.snap[\"a\"]"),
        refused("main.tf:6:80", "null_resource.snap[\"b\"]"),
        "3 snapshots in 3 files: 3 refused, 0 with warnings\n".to_owned(),
    ]
    .concat();
    assert_eq!((run.status, run.stdout), (1, expected), "{}", run.stderr);
}

/// A module instance is made per call as Terraform makes it: none for `count = 0`, one
/// per key of a known `for_each` (addressed `module.fe["a"].`, `each.key` known in the
/// call's arguments). A resource an `import` block names is taken under management, not
/// created: not judged.
#[test]
fn module_instances_follow_count_and_for_each_and_imports_create_nothing() {
    let dir = scratch("module-instances");
    std::fs::create_dir_all(dir.join("mod")).unwrap();
    std::fs::write(
        dir.join("main.tf"),
        r#"module "off" {
  source = "./mod"
  count  = 0
  name   = "1-off"
}
module "one" {
  source = "./mod"
  name   = "1-one"
}
module "fe" {
  source   = "./mod"
  for_each = toset(["a", "b"])
  name     = "1-${each.key}"
}
import {
  to = alicloud_ecs_snapshot.imported
  id = "s-123"
}
import {
  for_each = toset(["x"])
  to       = alicloud_ecs_snapshot.many[each.key]
  id       = "s-${each.key}"
}
resource "alicloud_ecs_snapshot" "imported" {
  disk_id       = "d-1"
  snapshot_name = "1-imported"
}
resource "alicloud_ecs_snapshot" "many" {
  for_each      = toset(["x", "y"])
  disk_id       = "d-1"
  snapshot_name = "1-many"
}
"#,
    )
    .unwrap();
    std::fs::write(
        dir.join("mod/main.tf"),
        "variable \"name\" {\n  default = \"ok-default\"\n}\nresource \"alicloud_ecs_snapshot\" \"a\" {\n  disk_id       = \"d-1\"\n  snapshot_name = var.name\n}\n",
    )
    .unwrap();
    let run = run(&["check", dir.to_str().unwrap()]);
    let d = dir.display();
    let refused = |at: &str, address: &str| {
        format!("{d}/{at}: {address}: snapshot_name (SnapshotName): InvalidSnapshotName.Malformed (HTTP 400): The specified SnapshotName is wrongly formed.\n")
    };
    let expected = [
        refused("main.tf:31:19", "alicloud_ecs_snapshot.many[\"y\"]"),
        refused("mod/main.tf:6:19", "module.one.alicloud_ecs_snapshot.a"),
        refused(
            "mod/main.tf:6:19",
            "module.fe[\"a\"].alicloud_ecs_snapshot.a",
        ),
        refused(
            "mod/main.tf:6:19",
            "module.fe[\"b\"].alicloud_ecs_snapshot.a",
        ),
        "4 snapshots in 2 files: 4 refused, 0 with warnings\n".to_owned(),
    ]
    .concat();
    assert_eq!((run.status, run.stdout), (1, expected), "{}", run.stderr);
}

#[test]
fn a_var_file_overrides_the_tfvars() {
    // prod.auto.tfvars sets retention_days = 0, refused at main.tf:27:20; a --var-file of
    // 65536, the largest valid value, takes its place: every other line stays.
    let dir = scratch("var-file");
    let file = dir.join("long.tfvars");
    std::fs::write(&file, "retention_days = 65536\n").unwrap();
    let main = format!("{TREE}/terraform/main.tf");
    let expected = |retention: &str| {
        format!(
            "\
F:26:20: alicloud_ecs_snapshot.nightly: snapshot_name (SnapshotName): InvalidSnapshotName.Malformed (HTTP 400): The specified SnapshotName is wrongly formed.
{retention}F:28:20: alicloud_ecs_snapshot.nightly: warning: category (Category): deprecated parameter Category; the API reference marks it no longer used (it takes effect only for accounts that used local snapshots before 2020-12-14) [DeprecatedParameter]
F:33:17: alicloud_snapshot.legacy: name (SnapshotName): InvalidSnapshotName.Malformed (HTTP 400): The specified SnapshotName is wrongly formed.
F:34:17: alicloud_snapshot.legacy: description (Description): InvalidDescription.Malformed (HTTP 404): The specified description is wrongly formed.
F:33:17: alicloud_snapshot.legacy: warning: name (SnapshotName): name is deprecated since provider 1.120.0; use snapshot_name [terraform:DeprecatedArgument]
F:43:5: alicloud_ecs_snapshot.per_disk[\"d-bp1orders000000001\"]: tags[\"aliyun:team\"] (Tag.1.Key): InvalidTagKey.Malformed (HTTP 400): The specified Tag.n.Key is not valid.
F:44:5: alicloud_ecs_snapshot.per_disk[\"d-bp1orders000000001\"]: tags[\"\"] (Tag.2.Key): InvalidTagKey.Malformed (HTTP 400): The specified Tag.n.Key is not valid.
F:43:5: alicloud_ecs_snapshot.per_disk[\"d-bp1users0000000001\"]: tags[\"aliyun:team\"] (Tag.1.Key): InvalidTagKey.Malformed (HTTP 400): The specified Tag.n.Key is not valid.
F:44:5: alicloud_ecs_snapshot.per_disk[\"d-bp1users0000000001\"]: tags[\"\"] (Tag.2.Key): InvalidTagKey.Malformed (HTTP 400): The specified Tag.n.Key is not valid.
F:61:35: alicloud_ecs_snapshot.old_style: category (Category): terraform:InvalidValue: expected category to be one of [\"standard\" \"flash\"], got Flash
F:59:35: alicloud_ecs_snapshot.old_style: warning: instant_access: instant_access is deprecated and not sent by provider 1.231.0 and later: it has no effect [terraform:ArgumentNotSent]
F:60:35: alicloud_ecs_snapshot.old_style: warning: instant_access_retention_days: instant_access_retention_days is deprecated and not sent by provider 1.231.0 and later: it has no effect [terraform:ArgumentNotSent]
F:86:20: alicloud_ecs_snapshot.archive[\"2024\"]: snapshot_name (SnapshotName): InvalidSnapshotName.Malformed (HTTP 400): The specified SnapshotName is wrongly formed.
9 snapshots in 1 file: 6 refused, 3 with warnings
"
        )
        .replace("F:", &format!("{main}:"))
    };
    let without = run(&["check", "--all", &main]);
    assert_eq!(without.status, 1);
    assert_eq!(
        without.stdout,
        expected("F:27:20: alicloud_ecs_snapshot.nightly: retention_days (RetentionDays): InvalidRetentionDays.Malformed (HTTP 400): The specified RetentionDays is not valid.\n")
    );
    let with = run(&[
        "check",
        "--all",
        "--var-file",
        file.to_str().unwrap(),
        &main,
    ]);
    assert_eq!(with.status, 1);
    assert_eq!(with.stderr, "");
    assert_eq!(with.stdout, expected(""));
    let bad = self::run(&["check", "--var-file", "no/such.tfvars", TREE]);
    assert_eq!(bad.status, 2);
    assert_eq!(bad.stdout, "");
    assert_eq!(
        bad.stderr,
        "ecs-snapshot-rules: error: --var-file no/such.tfvars: No such file or directory (os error 2)\n"
    );
}

#[test]
fn the_plan_names_each_finding_by_its_address() {
    let lines = lines_of("plan/plan.json");
    assert_eq!(
        lines[0],
        "plan/plan.json: alicloud_ecs_snapshot.nightly: snapshot_name (SnapshotName): InvalidSnapshotName.Malformed (HTTP 400): The specified SnapshotName is wrongly formed."
    );
    assert!(lines.contains(&"plan/plan.json: module.db.alicloud_ecs_snapshot.nightly: retention_days (RetentionDays): InvalidRetentionDays.Malformed (HTTP 400): The specified RetentionDays is not valid.".to_owned()));
    assert!(lines.contains(&"plan/plan.json: alicloud_ecs_snapshot.old_style[0]: description (Description): InvalidDescription.Malformed (HTTP 404): The specified description is wrongly formed.".to_owned()));
    // No-op and delete changes are not creations: `auto-weekly` and `1` are not judged.
    assert!(
        !lines
            .iter()
            .any(|l| l.contains(".weekly") || l.contains(".retired")),
        "{lines:#?}"
    );
}

#[test]
fn ros_findings_in_json_and_yaml_are_at_their_values() {
    let lines = lines_of("ros/stack.json");
    assert_eq!(
        lines,
        [
            "ros/stack.json:18:20: NightlySnapshot: Timeout: ros:TimeoutOutOfRange: Timeout must be an integer from 200 to 1440 (minutes), not 120",
            "ros/stack.json:21:19: NightlySnapshot: Tags[1].Key (Tag.2.Key): Duplicate.TagKey (HTTP 400): The Tag.N.Key contain duplicate key.",
            "ros/stack.json:30:24: ArchiveSnapshot: Description: InvalidDescription.Malformed (HTTP 404): The specified description is wrongly formed.",
        ]
    );
    let lines = lines_of("ros/stack.yaml");
    assert!(lines.contains(&"ros/stack.yaml:12:22: OrdersSnapshot: RetentionDays: InvalidRetentionDays.Malformed (HTTP 400): The specified RetentionDays is not valid.".to_owned()), "{lines:#?}");
    assert!(lines.contains(&"ros/stack.yaml:16:16: OrdersSnapshot: Tags[0].Key (Tag.1.Key): InvalidTagKey.Malformed (HTTP 400): The specified Tag.n.Key is not valid.".to_owned()), "{lines:#?}");
    assert!(lines.contains(&"ros/stack.yaml:14:35: OrdersSnapshot: InstantAccessRetentionDays: InvalidInstantAccessRetentionDays.Malformed (HTTP 403): The specified InstantAccessRetentionDays is not valid.".to_owned()), "{lines:#?}");
}

/// A `Ref` to a parameter with a default is the default, judged where the `Ref` is; one
/// without a default, or to a pseudo parameter, is not known (D298).
#[test]
fn a_ros_ref_to_a_parameter_with_a_default_is_the_default() {
    let (name, out) = check_file(
        "ros-defaults",
        "stack.yml",
        "ROSTemplateFormatVersion: '2015-09-01'
Parameters:
  SnapshotName:
    Type: String
    Default: 1bad
  Days:
    Type: Number
    Default: 0
  Disk:
    Type: String
Resources:
  Snap:
    Type: ALIYUN::ECS::Snapshot
    Properties:
      DiskId: !Ref Disk
      SnapshotName: !Ref SnapshotName
      RetentionDays:
        Ref: Days
      Description: !Ref ALIYUN::StackName
      Timeout: !Ref Days
",
        &["--all", "--verbose"],
    );
    assert_eq!(
        (out.status, out.stdout),
        (
            1,
            format!(
                "{name}:20:16: Snap: Timeout: ros:TimeoutOutOfRange: Timeout must be an integer from 200 to 1440 (minutes), not 0\n\
                 {name}:16:21: Snap: SnapshotName: InvalidSnapshotName.Malformed (HTTP 400): The specified SnapshotName is wrongly formed.\n\
                 {name}:18:9: Snap: RetentionDays: InvalidRetentionDays.Malformed (HTTP 400): The specified RetentionDays is not valid.\n\
                 {name}:15:15: Snap: note: DiskId (DiskId) not judged: its value is not known until the stack is created\n\
                 {name}:19:20: Snap: note: Description (Description) not judged: its value is not known until the stack is created\n\
                 1 snapshot in 1 file: 1 refused, 0 with warnings\n"
            )
        )
    );
}

/// A resource that the defaults leave uncreated (`Count: {Ref: ...}` of 0, a `Condition`
/// that is false) is not judged; where either is not known, the resource is judged without
/// the defaults; an empty default is not known (D298).
#[test]
fn ros_defaults_decide_count_and_conditions_and_an_empty_default_is_not_known() {
    let (name, out) = check_file(
        "ros-conditions",
        "stack.yml",
        "ROSTemplateFormatVersion: '2015-09-01'
Parameters:
  Name: {Type: String, Default: 1bad}
  Amount: {Type: Number, Default: 0}
  Create: {Type: Boolean, Default: false}
  Opt: {Type: String, Default: ''}
  Free: {Type: String}
Conditions:
  DoCreate:
    Fn::Equals: [{Ref: Create}, true]
  Maybe:
    Fn::Equals: [{Ref: Free}, 'x']
Resources:
  ByCount:
    Type: ALIYUN::ECS::Snapshot
    Count: {Ref: Amount}
    Properties: {DiskId: d-1, SnapshotName: {Ref: Name}}
  ByCondition:
    Type: ALIYUN::ECS::Snapshot
    Condition: DoCreate
    Properties: {DiskId: d-1, SnapshotName: {Ref: Name}}
  Unknowable:
    Type: ALIYUN::ECS::Snapshot
    Condition: Maybe
    Properties: {DiskId: d-1, SnapshotName: {Ref: Name}}
  Optional:
    Type: ALIYUN::ECS::Snapshot
    Properties: {DiskId: d-1, SnapshotName: {Ref: Opt}}
  Plain:
    Type: ALIYUN::ECS::Snapshot
    Properties: {DiskId: d-1, SnapshotName: {Ref: Name}}
",
        &["--all", "--verbose"],
    );
    assert_eq!(
        (out.status, out.stdout),
        (
            1,
            format!(
                "{name}:25:45: Unknowable: note: SnapshotName (SnapshotName) not judged: its value is not known until the stack is created\n\
                 {name}:23:5: Unknowable: ok\n\
                 {name}:28:45: Optional: note: SnapshotName (SnapshotName) not judged: its value is not known until the stack is created\n\
                 {name}:27:5: Optional: ok\n\
                 {name}:31:45: Plain: SnapshotName: InvalidSnapshotName.Malformed (HTTP 400): The specified SnapshotName is wrongly formed.\n\
                 3 snapshots in 1 file: 1 refused, 0 with warnings\n"
            )
        )
    );
}

/// A workspace's root module is its top-level `.tf` files but `*.debug.tf`; its variables
/// take the workspace's `terraform.tfvars`, then the template's parameter defaults; a
/// block that opens with a blank line or a comment keeps its lines (D299).
#[test]
fn a_ros_workspace_reads_its_root_module_with_its_tfvars_and_parameters() {
    let (name, out) = check_file(
        "ros-workspace",
        "stack.yml",
        "ROSTemplateFormatVersion: '2015-09-01'
Transform: Aliyun::Terraform-v1.5
Parameters:
  days:
    Type: Number
    Default: 0
Workspace:
  terraform.tfvars: |
    name = \"1bad\"
  main.tf: |  # the root module

    variable \"name\" {
      default = \"ok-name\"
    }
    variable \"days\" {
      default = 7
    }
    resource \"alicloud_ecs_snapshot\" \"s\" {
      disk_id        = \"d-1\"
      snapshot_name  = var.name
      retention_days = var.days
    }
  local.debug.tf: |
    resource \"alicloud_ecs_snapshot\" \"debug\" {
      disk_id       = \"d-1\"
      snapshot_name = \"2bad\"
    }
  child/main.tf: |
    resource \"alicloud_ecs_snapshot\" \"child\" {
      disk_id       = \"d-1\"
      snapshot_name = \"3bad\"
    }
",
        &["--all"],
    );
    assert_eq!(
        (out.status, out.stdout),
        (
            1,
            format!(
                "{name}:20:24: alicloud_ecs_snapshot.s: snapshot_name (SnapshotName): InvalidSnapshotName.Malformed (HTTP 400): The specified SnapshotName is wrongly formed.\n\
                 {name}:21:24: alicloud_ecs_snapshot.s: retention_days (RetentionDays): InvalidRetentionDays.Malformed (HTTP 400): The specified RetentionDays is not valid.\n\
                 1 snapshot in 1 file: 1 refused, 0 with warnings\n"
            )
        )
    );
}

/// Conditions that name each other are each read once: a template of conditions that fan
/// out five levels deep gets its verdict at once, not after every path (D298).
#[test]
fn ros_conditions_that_name_each_other_are_read_once() {
    let dir = scratch("ros-condition-fan-out");
    let file = dir.join("stack.yml");
    let mut text = "ROSTemplateFormatVersion: '2015-09-01'\nParameters:\n  Create: {Type: Boolean, Default: false}\nConditions:\n".to_owned();
    for level in 0..5 {
        let next = vec![format!("{{Condition: C{}}}", level + 1); 100].join(", ");
        text.push_str(&format!("  C{level}: {{'Fn::And': [{next}]}}\n"));
    }
    text.push_str("  C5: {'Fn::Equals': [{Ref: Create}, true]}\nResources:\n  Off:\n    Type: ALIYUN::ECS::Snapshot\n    Condition: C0\n    Properties: {DiskId: d-1, SnapshotName: 1bad}\n  On:\n    Type: ALIYUN::ECS::Snapshot\n    Properties: {DiskId: d-1, SnapshotName: 2bad}\n");
    std::fs::write(&file, text).unwrap();
    let name = file.display().to_string();
    let out = run(&["check", "--all", file.to_str().unwrap()]);
    assert_eq!(
        (out.status, out.stdout),
        (
            1,
            format!(
                "{name}:18:45: On: SnapshotName: InvalidSnapshotName.Malformed (HTTP 400): The specified SnapshotName is wrongly formed.\n\
                 1 snapshot in 1 file: 1 refused, 0 with warnings\n"
            )
        )
    );
}

/// A ROS template that hands its `Workspace` to Terraform is read as a Terraform module,
/// each finding placed in the template: inside a literal block at its own line and column,
/// inside a JSON string at the string's start; HCL that does not parse is named by its
/// place in the template (D299).
#[test]
fn a_ros_template_holding_terraform_is_judged_in_place() {
    let dir = scratch("ros-terraform");
    let yaml = dir.join("clone.tf.yml");
    std::fs::write(
        &yaml,
        "ROSTemplateFormatVersion: '2015-09-01'
Transform: Aliyun::Terraform-v1.5
Workspace:
  variables.tf: |
    variable \"name\" {
      default = \"auto-clone\"
    }
  main.tf: |-
    resource \"alicloud_ecs_snapshot\" \"disk_snapshot\" {
      disk_id        = \"d-1\"
      snapshot_name  = var.name
      retention_days = 0
    }
",
    )
    .unwrap();
    let json = dir.join("clone.json");
    std::fs::write(
        &json,
        "{
  \"ROSTemplateFormatVersion\": \"2015-09-01\",
  \"Transform\": \"Aliyun::Terraform-v1.2\",
  \"Workspace\": {
    \"main.tf\": \"resource \\\"alicloud_ecs_snapshot\\\" \\\"s\\\" {\\n  disk_id = \\\"d-1\\\"\\n  snapshot_name = \\\"1bad\\\"\\n}\\n\"
  }
}
",
    )
    .unwrap();
    let broken = dir.join("broken.yml");
    std::fs::write(
        &broken,
        "ROSTemplateFormatVersion: '2015-09-01'
Transform: Aliyun::Terraform-v1.5
Workspace:
  main.tf: |
    resource \"alicloud_ecs_snapshot\" \"s\" {
      disk_id =
    }
",
    )
    .unwrap();
    let (y, j, b) = (
        yaml.display().to_string(),
        json.display().to_string(),
        broken.display().to_string(),
    );
    let out = run(&[
        "check",
        "--all",
        yaml.to_str().unwrap(),
        json.to_str().unwrap(),
    ]);
    assert_eq!(
        (out.status, out.stdout),
        (
            1,
            format!(
                "{y}:11:24: alicloud_ecs_snapshot.disk_snapshot: snapshot_name (SnapshotName): InvalidSnapshotName.Malformed (HTTP 400): The specified SnapshotName is wrongly formed.\n\
                 {y}:12:24: alicloud_ecs_snapshot.disk_snapshot: retention_days (RetentionDays): InvalidRetentionDays.Malformed (HTTP 400): The specified RetentionDays is not valid.\n\
                 {j}:5:16: alicloud_ecs_snapshot.s: snapshot_name (SnapshotName): InvalidSnapshotName.Malformed (HTTP 400): The specified SnapshotName is wrongly formed.\n\
                 2 snapshots in 2 files: 2 refused, 0 with warnings\n"
            )
        )
    );
    let out = run(&["check", broken.to_str().unwrap()]);
    assert_eq!(out.status, 2);
    assert!(
        out.stderr.starts_with(&format!(
            "{b}: error: invalid HCL in Workspace \"main.tf\" at line 6, column 16: invalid expression"
        )),
        "{}",
        out.stderr
    );
}

/// ROS reads YAML as PyYAML does (YAML 1.1): `yes` is true, `0x1e` and `1_000` are
/// integers, sent in decimal; a resource of `Count: 0` is not created.
#[test]
fn ros_yaml_scalars_are_typed_as_ros_types_them_and_count_zero_creates_none() {
    let template = "\
ROSTemplateFormatVersion: '2015-09-01'
Resources:
  Off:
    Type: ALIYUN::ECS::Snapshot
    Count: 0
    Properties:
      DiskId: d-1
      SnapshotName: 1bad
  On:
    Type: ALIYUN::ECS::Snapshot
    Properties:
      DiskId: d-1
      InstantAccess: yes
      InstantAccessRetentionDays: 0x1e
      RetentionDays: 1_000
      Timeout: 0x12c
  Zero:
    Type: ALIYUN::ECS::Snapshot
    Properties:
      DiskId: d-1
      RetentionDays: 0x0
      InstantAccess: off
";
    let run = run_with_stdin(
        &["check", "--all", "--format", "json", "-"],
        template.as_bytes(),
    );
    assert_eq!(run.status, 1, "{}", run.stderr);
    let verdicts: Vec<(String, bool, String)> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).expect("a JSON line"))
        .map(|l| {
            (
                l["Address"].as_str().unwrap_or_default().to_owned(),
                l["Valid"].as_bool().unwrap_or_default(),
                l["Code"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        verdicts,
        [
            ("On".to_owned(), true, String::new()),
            (
                "Zero".to_owned(),
                false,
                "InvalidRetentionDays.Malformed".to_owned()
            ),
        ]
    );
}

#[test]
fn a_repeated_key_in_a_ros_template_keeps_its_last_value() {
    // As ROS's loaders (Python's json, PyYAML) keep it: the last value is judged, where it
    // stands; the earlier one is never sent.
    let json = "\
{\"ROSTemplateFormatVersion\": \"2015-09-01\", \"Resources\": {\"S\": {
  \"Type\": \"ALIYUN::ECS::Snapshot\",
  \"Properties\": {\"DiskId\": \"d-1\", \"SnapshotName\": \"1bad\", \"SnapshotName\": \"good-name\"}}}}
";
    let run = run_with_stdin(&["check", "--verbose"], json.as_bytes());
    assert_eq!(run.status, 0);
    assert_eq!(
        run.stdout,
        "-:1:63: S: ok\n1 snapshot in 1 file: 0 refused, 0 with warnings\n"
    );
    let yaml = "\
ROSTemplateFormatVersion: '2015-09-01'
Resources:
  S:
    Type: ALIYUN::ECS::Snapshot
    Properties:
      DiskId: d-1
      SnapshotName: good-name
      SnapshotName: 1bad
";
    let run = run_with_stdin(&["check"], yaml.as_bytes());
    assert_eq!(run.status, 1);
    assert_eq!(
        run.stdout,
        "-:8:21: S: SnapshotName: InvalidSnapshotName.Malformed (HTTP 400): The specified SnapshotName is wrongly formed.\n\
         1 snapshot in 1 file: 1 refused, 0 with warnings\n"
    );
}

#[test]
fn a_ros_yaml_stream_of_two_documents_is_refused_not_half_read() {
    let yaml = "\
ROSTemplateFormatVersion: '2015-09-01'
Resources:
  S:
    Type: ALIYUN::ECS::Snapshot
    Properties:
      DiskId: d-1
---
ROSTemplateFormatVersion: '2015-09-01'
Resources:
  T:
    Type: ALIYUN::ECS::Snapshot
    Properties:
      DiskId: d-1
      SnapshotName: 1bad
";
    let run = run_with_stdin(&["check"], yaml.as_bytes());
    assert_eq!(run.status, 2);
    assert_eq!(run.stdout, "");
    assert_eq!(
        run.stderr,
        "-: error: a second YAML document at line 7, column 1: a ROS template is one document\n"
    );
}

#[test]
fn yaml_merge_keys_are_applied_and_judged_at_the_merged_value() {
    // A mapping merged, a list of mappings (the earlier wins), explicit keys over merged
    // ones; a plain alias stays a value not judged, and named.
    let yaml = "\
ROSTemplateFormatVersion: '2015-09-01'
x-common: &common {RetentionDays: 0, SnapshotName: 1bad}
x-name: &name {SnapshotName: good-name}
x-disk: &disk d-1
Resources:
  S:
    Type: ALIYUN::ECS::Snapshot
    Properties:
      <<: *common
      DiskId: d-1
      SnapshotName: good-name
  T:
    Type: ALIYUN::ECS::Snapshot
    Properties:
      <<: [*name, *common]
      DiskId: *disk
      RetentionDays: 7
";
    let run = run_with_stdin(&["check", "--verbose"], yaml.as_bytes());
    assert_eq!(run.status, 1);
    assert_eq!(
        run.stdout,
        "\
-:2:35: S: RetentionDays: InvalidRetentionDays.Malformed (HTTP 400): The specified RetentionDays is not valid.
-:16:15: T: note: DiskId (DiskId) not judged: its value is not known until the stack is created
-:13:5: T: ok
2 snapshots in 1 file: 1 refused, 0 with warnings
"
    );
    let scalar = "ROSTemplateFormatVersion: '2015-09-01'\nx: &x 1\nResources:\n  <<: *x\n";
    let run = run_with_stdin(&["check"], scalar.as_bytes());
    assert_eq!(run.status, 2);
    assert_eq!(
        run.stderr,
        "-: error: invalid YAML at line 4, column 7: a merge key (<<) takes a mapping or a list of mappings\n"
    );
}

#[test]
fn a_repeated_argument_in_tf_json_is_refused_as_terraform_refuses_it() {
    // Terraform reads a repeated block type as more blocks, and refuses a repeated argument
    // or object key ("Duplicate argument", "Duplicate object attribute").
    let blocks = "\
{\"resource\": {\"alicloud_ecs_snapshot\": {\"a\": {\"disk_id\": \"d-1\", \"snapshot_name\": \"1bad\"}}},
 \"resource\": {\"alicloud_ecs_snapshot\": {\"b\": {\"disk_id\": \"d-1\", \"retention_days\": 0}}}}
";
    let run = run_with_stdin(
        &["check", "--input-format", "terraform-json"],
        blocks.as_bytes(),
    );
    assert_eq!(run.status, 1);
    assert_eq!(
        run.stdout,
        "\
-:1:82: alicloud_ecs_snapshot.a: snapshot_name (SnapshotName): InvalidSnapshotName.Malformed (HTTP 400): The specified SnapshotName is wrongly formed.
-:2:83: alicloud_ecs_snapshot.b: retention_days (RetentionDays): InvalidRetentionDays.Malformed (HTTP 400): The specified RetentionDays is not valid.
2 snapshots in 1 file: 2 refused, 0 with warnings
"
    );
    let repeated = "\
{\"resource\": {\"alicloud_ecs_snapshot\": {\"a\": {
  \"disk_id\": \"d-1\", \"tags\": {\"team\": \"a\", \"team\": \"b\"}}}}}
";
    let run = run_with_stdin(
        &["check", "--input-format", "terraform-json"],
        repeated.as_bytes(),
    );
    assert_eq!(run.status, 2);
    assert_eq!(
        run.stderr,
        "-: error: repeated key \"team\" at line 2, column 43 (first at line 2, column 30): Terraform refuses an argument or object key given twice\n"
    );
    // A body's `//` keys are comments, which Terraform skips: any number of them, in the
    // resource and in its nested blocks.
    let comments = "\
{\"resource\": {\"alicloud_ecs_snapshot\": {\"a\": {\"//\": \"x\", \"//\": \"y\",
  \"disk_id\": \"d-1\", \"retention_days\": 0, \"timeouts\": {\"//\": \"a\", \"//\": \"b\"}}}}}
";
    let run = run_with_stdin(
        &["check", "--input-format", "terraform-json"],
        comments.as_bytes(),
    );
    assert_eq!(
        (run.status, run.stdout.as_str(), run.stderr.as_str()),
        (
            1,
            "-:2:39: alicloud_ecs_snapshot.a: retention_days (RetentionDays): InvalidRetentionDays.Malformed (HTTP 400): The specified RetentionDays is not valid.\n\
             1 snapshot in 1 file: 1 refused, 0 with warnings\n",
            ""
        )
    );
}

#[test]
fn cli_calls_get_the_cli_s_refusals_and_the_api_s() {
    let lines = lines_of("scripts/backup.sh");
    assert_eq!(
        lines,
        [
            "scripts/backup.sh:14:74: aliyun ecs CreateSnapshot #2: --SnapshotName (SnapshotName): InvalidSnapshotName.Malformed (HTTP 400): The specified SnapshotName is wrongly formed.",
            "scripts/backup.sh:14:102: aliyun ecs CreateSnapshot #2: --RetentionDays (RetentionDays): InvalidRetentionDays.Malformed (HTTP 400): The specified RetentionDays is not valid.",
            "scripts/backup.sh:17:27: aliyun ecs CreateSnapshot #3: --SnapshotNmae: aliyun-cli:UnknownParameter: '--SnapshotNmae' is not a valid parameter or flag. See `aliyun help ecs CreateSnapshot`. Did you mean --SnapshotName?",
            "scripts/backup.sh:17:1: aliyun ecs CreateSnapshot #3: DiskId: aliyun-cli:MissingParameter: required parameters not assigned: --DiskId",
            "scripts/backup.sh:18:50: aliyun ecs CreateSnapshot #3: --Tag.2.Key (Tag.2.Key): Duplicate.TagKey (HTTP 400): The Tag.N.Key contain duplicate key.",
            "scripts/backup.sh:21:77: aliyun ecs CreateSnapshot #4: --DiskId: aliyun-cli:DuplicatedParameter: --DiskId duplicated",
        ]
    );
    let lines = lines_of(".github/workflows/snapshots.yml");
    assert_eq!(
        lines,
        [".github/workflows/snapshots.yml:17:107: aliyun ecs CreateSnapshot #2: --RetentionDays (RetentionDays): InvalidRetentionDays.Malformed (HTTP 400): The specified RetentionDays is not valid."]
    );
}

#[test]
fn the_world_judges_literal_disk_ids_only() {
    let run = run(&[
        "check",
        "--world",
        "crates/cli/tests/fixtures/world/world.json",
        "--now",
        "2026-11-27T12:00:00Z",
        "--format",
        "json",
        "crates/cli/tests/fixtures/world/main.tf",
    ]);
    assert_eq!(run.status, 1);
    let lines: Vec<Value> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let summary: Vec<(&str, bool, Option<&str>)> = lines
        .iter()
        .map(|l| {
            (
                l["Address"].as_str().unwrap(),
                l["Valid"].as_bool().unwrap(),
                l["Code"].as_str(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("alicloud_ecs_snapshot.ready", true, None),
            (
                "alicloud_ecs_snapshot.busy",
                false,
                Some("IncorrectDiskStatus.CreatingSnapshot")
            ),
            (
                "alicloud_ecs_snapshot.missing",
                false,
                Some("InvalidDiskId.NotFound")
            ),
            ("alicloud_ecs_snapshot.created_with", true, None),
        ]
    );
    assert_eq!(
        lines[3]["Skipped"],
        json!([{"Attribute": "disk_id", "Parameter": "DiskId", "Line": 22, "Column": 19}])
    );
    assert_eq!(
        (lines[2]["Line"].clone(), lines[2]["Column"].clone()),
        (json!(16), json!(1))
    );
}

// --- detection, overrides and exit statuses ------------------------------------------------

#[test]
fn input_format_reads_standard_input_as_the_kind_named() {
    let tf = "resource \"alicloud_ecs_snapshot\" \"s\" {\n  disk_id = \"d-1\"\n  retention_days = 0\n}\n";
    let run = run_with_stdin(
        &["check", "--input-format", "terraform", "-"],
        tf.as_bytes(),
    );
    assert_eq!(run.status, 1);
    assert_eq!(
        run.stdout,
        "-:3:20: alicloud_ecs_snapshot.s: retention_days (RetentionDays): InvalidRetentionDays.Malformed (HTTP 400): The specified RetentionDays is not valid.\n\
         1 snapshot in 1 file: 1 refused, 0 with warnings\n"
    );
    let script = "aliyun ecs CreateSnapshot --DiskId d-1 --Description=z\n";
    let run = run_with_stdin(&["check", "--input-format", "shell"], script.as_bytes());
    assert_eq!(
        run.stdout.lines().next().unwrap(),
        "-:1:54: aliyun ecs CreateSnapshot #1: --Description (Description): InvalidDescription.Malformed (HTTP 404): The specified description is wrongly formed."
    );
    // Told apart by content on standard input: a ROS template.
    let ros = "ROSTemplateFormatVersion: '2015-09-01'\nResources:\n  S:\n    Type: ALIYUN::ECS::Snapshot\n    Properties:\n      DiskId: d-1\n      Timeout: 1441\n";
    let run = run_with_stdin(&["check"], ros.as_bytes());
    assert_eq!(run.status, 1);
    assert_eq!(
        run.stdout.lines().next().unwrap(),
        "-:7:16: S: Timeout: ros:TimeoutOutOfRange: Timeout must be an integer from 200 to 1440 (minutes), not 1441"
    );
}

/// A plan that is not complete defers some changes to a later round: those that create a
/// snapshot are judged with what is known of them now.
#[test]
fn deferred_changes_of_a_plan_are_judged() {
    let plan = r#"{"format_version":"1.2","complete":false,"deferred_changes":[{"reason":"resource_config_unknown","resource_change":{"address":"alicloud_ecs_snapshot.s[\"x\"]","mode":"managed","type":"alicloud_ecs_snapshot","name":"s","change":{"actions":["create"],"before":null,"after":{"disk_id":"d-1","snapshot_name":"1bad"},"after_unknown":{"tags":true}}}}]}"#;
    let run = run_with_stdin(&["check", "--verbose", "-"], plan.as_bytes());
    assert_eq!(
        (run.status, run.stdout.as_str()),
        (
            1,
            "-: alicloud_ecs_snapshot.s[\"x\"]: snapshot_name (SnapshotName): InvalidSnapshotName.Malformed (HTTP 400): The specified SnapshotName is wrongly formed.\n\
             -: alicloud_ecs_snapshot.s[\"x\"]: note: tags (Tag) not judged: its value is not known before the apply\n\
             1 snapshot in 1 file: 1 refused, 0 with warnings\n"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn a_plan_of_another_major_version_is_a_clear_error() {
    let run = run_with_stdin(
        &["check", "--input-format", "plan"],
        br#"{"format_version": "2.0", "resource_changes": []}"#,
    );
    assert_eq!(run.status, 2);
    assert_eq!(
        run.stderr,
        "-: error: plan format_version 2.0 is not supported: this reads 1.x (terraform show -json of Terraform 0.12 and later)\n"
    );
}

#[test]
fn a_directory_of_no_supported_file_is_an_error_and_so_is_a_named_file_of_no_kind() {
    let dir = scratch("unsupported");
    std::fs::write(dir.join("notes.md"), "# notes\n").unwrap();
    std::fs::write(dir.join("logo.png"), b"\x89PNG\r\n\x1a\n\0\0").unwrap();
    let run = run(&["check", dir.to_str().unwrap()]);
    assert_eq!(run.status, 2);
    assert_eq!(
        run.stdout,
        "0 snapshots in 0 files: 0 refused, 0 with warnings; 2 files of no supported format skipped\n"
    );
    assert_eq!(
        run.stderr,
        "ecs-snapshot-rules: error: no file of a supported format among the inputs (2 skipped)\n"
    );
    let notes = dir.join("notes.md");
    let named = self::run(&["check", notes.to_str().unwrap()]);
    assert_eq!(named.status, 2);
    assert_eq!(named.stdout, "");
    assert_eq!(
        named.stderr,
        format!(
            "{}: error: not a CreateSnapshot request, nor Terraform, a plan, a ROS template or a script calling the aliyun CLI; give --input-format\n",
            notes.display()
        )
    );
}

#[test]
fn a_named_file_is_told_by_its_content_and_refused_when_it_is_of_no_kind() {
    let dir = scratch("named");
    let hcl = "resource \"alicloud_ecs_snapshot\" \"s\" {\n  disk_id        = \"d-1\"\n  retention_days = 0\n}\n";
    let write = |name: &str, text: &str| {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        path.display().to_string()
    };
    let snap = write("snap.hcl", hcl);
    let package = write(
        "package.json",
        "{\n  \"name\": \"shop\",\n  \"version\": \"1.0.0\",\n  \"scripts\": {\"test\": \"jest\"}\n}\n",
    );
    let notes = write(
        "notes.txt",
        "Snapshots are taken nightly.\nSee the runbook.\n",
    );
    let refused = write("refused.txt", "SnapshotName=x\n");
    let run = run(&["check", &snap, &package, &notes, &refused]);
    assert_eq!(run.status, 2);
    let refusal = "not a CreateSnapshot request, nor Terraform, a plan, a ROS template or a script calling the aliyun CLI; give --input-format";
    assert_eq!(
        run.stderr,
        format!("{package}: error: {refusal}\n{notes}: error: {refusal}\n")
    );
    assert_eq!(
        run.stdout,
        format!(
            "\
{snap}:3:20: alicloud_ecs_snapshot.s: retention_days (RetentionDays): InvalidRetentionDays.Malformed (HTTP 400): The specified RetentionDays is not valid.
{refused}: MissingParameter (HTTP 400): The input parameter \"DiskId\" that is mandatory for processing this request is not supplied.
2 snapshots in 2 files: 2 refused, 0 with warnings
"
        )
    );
    // HCL on standard input, without --input-format.
    let stdin = run_with_stdin(&["check"], hcl.as_bytes());
    assert_eq!(stdin.status, 1);
    assert_eq!(
        stdin.stdout,
        "-:3:20: alicloud_ecs_snapshot.s: retention_days (RetentionDays): InvalidRetentionDays.Malformed (HTTP 400): The specified RetentionDays is not valid.\n\
         1 snapshot in 1 file: 1 refused, 0 with warnings\n"
    );
    // --input-format still reads any file as the kind named.
    let forced = self::run(&["check", "--input-format", "request", &notes]);
    assert_eq!(forced.status, 1);
    assert_eq!(
        forced.stdout,
        format!(
            "\
{notes}: warning: unknown parameter Snapshots are taken nightly.; the API ignores it
{notes}: warning: unknown parameter See the runbook.; the API ignores it
{notes}: MissingParameter (HTTP 400): The input parameter \"DiskId\" that is mandatory for processing this request is not supplied.
"
        )
    );
}

#[test]
fn terraform_folders_git_and_node_modules_are_not_walked() {
    let dir = scratch("walk");
    for skipped in [".terraform/modules/x", ".git", "node_modules/pkg"] {
        std::fs::create_dir_all(dir.join(skipped)).unwrap();
        std::fs::write(
            dir.join(skipped).join("main.tf"),
            "resource \"alicloud_ecs_snapshot\" \"s\" {\n  disk_id = \"d-1\"\n  snapshot_name = \"1\"\n}\n",
        )
        .unwrap();
    }
    std::fs::write(
        dir.join("main.tf"),
        "resource \"alicloud_ecs_snapshot\" \"s\" {\n  disk_id = \"d-1\"\n}\n",
    )
    .unwrap();
    let run = run(&["check", dir.to_str().unwrap()]);
    assert_eq!(run.status, 0);
    assert_eq!(
        run.stdout,
        "1 snapshot in 1 file: 0 refused, 0 with warnings\n"
    );
}

// --- hostile inputs ------------------------------------------------------------------------

#[track_caller]
fn fails_with(name: &str, content: &[u8], message: &str) {
    let dir = scratch(&format!("hostile-{}", name.replace('.', "-")));
    let path = dir.join(name);
    std::fs::write(&path, content).unwrap();
    let run = run(&["check", path.to_str().unwrap()]);
    assert_eq!(run.status, 2, "{}", run.stdout);
    assert_eq!(
        run.stderr,
        format!("{}: error: {message}\n", path.display())
    );
}

#[test]
fn hostile_files_get_a_clear_error_not_a_crash() {
    let deep_hcl = format!(
        "resource \"alicloud_ecs_snapshot\" \"s\" {{\n  tags = {}1{}\n}}\n",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let run_deep = run_with_stdin(
        &["check", "--input-format", "terraform"],
        deep_hcl.as_bytes(),
    );
    assert_eq!(run_deep.status, 2);
    assert_eq!(
        run_deep.stderr,
        "-: error: invalid HCL at line 2, column 74: invalid nesting depth; expected at most 64 nested levels\n"
    );
    fails_with(
        "latin1.tf",
        b"resource \"a\" \"b\" { x = \"caf\xe9\" }\n",
        "not UTF-8 text (an invalid byte at offset 27)",
    );
    fails_with(
        "nul.sh",
        b"aliyun ecs CreateSnapshot\0",
        "binary data, not text (a NUL byte at offset 25)",
    );
    fails_with(
        "open.sh",
        b"aliyun ecs CreateSnapshot --DiskId d-1 --SnapshotName \"nightly\n\n",
        "unterminated \" quote at line 1, column 55",
    );
    fails_with(
        "deep.json",
        format!(
            "{{\"ROSTemplateFormatVersion\": \"2015-09-01\", \"x\": {}",
            "[".repeat(50_000)
        )
        .as_bytes(),
        "invalid JSON at line 1, column 177: nested deeper than 128 levels",
    );
    fails_with(
        "deep.yaml",
        format!(
            "ROSTemplateFormatVersion: '2015-09-01'\nx: {}\n",
            "[".repeat(50_000)
        )
        .as_bytes(),
        "invalid YAML at line 2, column 259: recursion limit exceeded",
    );
    fails_with(
        "plan.json",
        format!(
            "{{\"format_version\": \"1.2\", \"resource_changes\": [{{\"address\": \"a\", \"type\": \"alicloud_ecs_snapshot\", \"change\": {{\"actions\": [\"create\"], \"after\": {}{}}}}}]}}",
            "[".repeat(50_000),
            "]".repeat(50_000)
        )
        .as_bytes(),
        "invalid plan JSON in change.after of a: recursion limit exceeded",
    );
}

#[test]
fn a_large_tree_file_is_judged_resource_by_resource() {
    // 20,000 resources in one file: each judged, in bounded time and memory.
    let mut text = String::new();
    for n in 0..20_000 {
        text.push_str(&format!(
            "resource \"alicloud_ecs_snapshot\" \"s{n}\" {{\n  disk_id = \"d-{n}\"\n  retention_days = {}\n}}\n",
            n % 2
        ));
    }
    let run = run_with_stdin(
        &["check", "--input-format", "terraform", "--format", "json"],
        text.as_bytes(),
    );
    assert_eq!(run.status, 1);
    assert_eq!(run.stdout.lines().count(), 20_000);
    let refused = run
        .stdout
        .lines()
        .filter(|l| l.contains("\"Valid\":false"))
        .count();
    assert_eq!(refused, 10_000);
}

// --- scripts: what is a call, and what its words say --------------------------------------

#[test]
fn a_flag_word_holding_a_variable_is_a_known_parameter_with_an_unknown_value() {
    let script = "\
aliyun ecs CreateSnapshot --DiskId=\"$DISK\" --SnapshotName good
aliyun ecs CreateSnapshot --DiskId d-1 --SnapshotName=$HOME --Foo=$X --Disk$Y 1 --Description:\"$D\"
aliyun ecs CreateSnapshot $ARGS --RetentionDays:0
";
    let run = run_with_stdin(
        &["check", "--verbose", "--input-format", "shell"],
        script.as_bytes(),
    );
    assert_eq!(run.status, 1);
    assert_eq!(run.stderr, "");
    assert_eq!(
        run.stdout,
        "\
-:1:36: aliyun ecs CreateSnapshot #1: note: --DiskId (DiskId) not judged: its value is not known until the script runs
-:1:1: aliyun ecs CreateSnapshot #1: ok
-:2:61: aliyun ecs CreateSnapshot #2: --Foo: aliyun-cli:UnknownParameter: '--Foo' is not a valid parameter or flag. See `aliyun help ecs CreateSnapshot`.
-:2:55: aliyun ecs CreateSnapshot #2: note: --SnapshotName (SnapshotName) not judged: its value is not known until the script runs
-:2:70: aliyun ecs CreateSnapshot #2: note: --Disk$Y not judged: its value is not known until the script runs
-:2:95: aliyun ecs CreateSnapshot #2: note: --Description (Description) not judged: its value is not known until the script runs
-:3:49: aliyun ecs CreateSnapshot #3: --RetentionDays (RetentionDays): InvalidRetentionDays.Malformed (HTTP 400): The specified RetentionDays is not valid.
-:3:27: aliyun ecs CreateSnapshot #3: note: $ARGS not judged: its value is not known until the script runs
3 snapshots in 1 file: 2 refused, 0 with warnings
"
    );
}

#[test]
fn a_call_is_a_command_word_never_quoted_text_or_a_heredoc_body() {
    let dir = scratch("command-words");
    let script = dir.join("run.sh");
    std::fs::write(
        &script,
        "\
echo \"Run: aliyun ecs CreateSnapshot --DiskId d-1\"
echo 'It'\\''s aliyun ecs CreateSnapshot' # aliyun ecs CreateSnapshot --DiskId \"
cat <<-EOT
\taliyun ecs CreateSnapshot --DiskId 'unterminated
\tEOT
if true; then aliyun --region cn-hangzhou ecs CreateSnapshot --DiskId d-1 --RetentionDays 0; fi
id=$(aliyun ecs CreateSnapshot --DiskId \"$(cat disk)\" --SnapshotName 1st)
",
    )
    .unwrap();
    let workflow = dir.join("snapshot.yml");
    std::fs::write(
        &workflow,
        "\
on: push
jobs:
  snapshot:
    runs-on: ubuntu-latest
    steps:
      - run: |
          echo \"aliyun ecs CreateSnapshot --DiskId d-1\"
          aliyun ecs CreateSnapshot --DiskId d-1 \\
            --Description \"x\"
      - run: >-
          aliyun --profile ci ecs CreateSnapshot
          --DiskId d-2
          --RetentionDays 65537
      - name: \"aliyun ecs CreateSnapshot --DiskId d-3 --RetentionDays 0\"
        run: \"aliyun ecs CreateSnapshot --DiskId \\\"d-4\\\" --SnapshotName 'http://x'\"
",
    )
    .unwrap();
    let run = run(&[
        "check",
        script.to_str().unwrap(),
        workflow.to_str().unwrap(),
    ]);
    assert_eq!(run.status, 1);
    assert_eq!(run.stderr, "");
    let (s, w) = (script.display(), workflow.display());
    assert_eq!(
        run.stdout,
        format!(
            "\
{s}:6:91: aliyun ecs CreateSnapshot #1: --RetentionDays (RetentionDays): InvalidRetentionDays.Malformed (HTTP 400): The specified RetentionDays is not valid.
{s}:7:70: aliyun ecs CreateSnapshot #2: --SnapshotName (SnapshotName): InvalidSnapshotName.Malformed (HTTP 400): The specified SnapshotName is wrongly formed.
{w}:9:27: aliyun ecs CreateSnapshot #1: --Description (Description): InvalidDescription.Malformed (HTTP 404): The specified description is wrongly formed.
{w}:13:27: aliyun ecs CreateSnapshot #2: --RetentionDays (RetentionDays): InvalidRetentionDays.Malformed (HTTP 400): The specified RetentionDays is not valid.
{w}:15:73: aliyun ecs CreateSnapshot #3: --SnapshotName (SnapshotName): InvalidSnapshotName.Malformed (HTTP 400): The specified SnapshotName is wrongly formed.
5 snapshots in 2 files: 5 refused, 0 with warnings
"
        )
    );
}

/// Azure Pipelines' `bash` steps and Task's `cmds` (and `cmd` in their items) are shell,
/// named or on standard input.
#[test]
fn azure_pipelines_bash_steps_and_taskfile_commands_are_shell() {
    let dir = scratch("ci-more-keys");
    let taskfile = dir.join("Taskfile.yml");
    std::fs::write(
        &taskfile,
        "version: '3'\ntasks:\n  snap:\n    cmds:\n      - aliyun ecs CreateSnapshot --DiskId d-1 --SnapshotName 1task\n      - cmd: aliyun ecs CreateSnapshot --DiskId d-1 --RetentionDays 0\n",
    )
    .unwrap();
    let azure = "steps:\n  - bash: |\n      aliyun ecs CreateSnapshot --DiskId d-1 --SnapshotName 1azure\n    displayName: snapshot\n";
    let run = run(&["check", taskfile.to_str().unwrap()]);
    assert_eq!(
        (run.status, run.stdout),
        (
            1,
            format!(
                "{t}:5:63: aliyun ecs CreateSnapshot #1: --SnapshotName (SnapshotName): InvalidSnapshotName.Malformed (HTTP 400): The specified SnapshotName is wrongly formed.\n\
                 {t}:6:69: aliyun ecs CreateSnapshot #2: --RetentionDays (RetentionDays): InvalidRetentionDays.Malformed (HTTP 400): The specified RetentionDays is not valid.\n\
                 2 snapshots in 1 file: 2 refused, 0 with warnings\n",
                t = taskfile.display()
            )
        )
    );
    let run = run_with_stdin(&["check", "-"], azure.as_bytes());
    assert_eq!(
        (run.status, run.stdout.as_str()),
        (
            1,
            "-:3:61: aliyun ecs CreateSnapshot #1: --SnapshotName (SnapshotName): InvalidSnapshotName.Malformed (HTTP 400): The specified SnapshotName is wrongly formed.\n\
             1 snapshot in 1 file: 1 refused, 0 with warnings\n"
        )
    );
}

/// GitHub's `${{ }}` (and GitLab's `$[[ ]]`) is substituted before the shell reads the
/// text: a word holding one is not known, in single quotes too, and is named as not judged.
#[test]
fn ci_expressions_make_their_word_unknown_in_any_quoting() {
    let workflow = "\
on: workflow_dispatch
jobs:
  s:
    steps:
      - run: aliyun ecs CreateSnapshot --DiskId 'd-${{ inputs.disk }}' --SnapshotName 'nightly-${{ github.run_number }}'
      - run: aliyun ecs CreateSnapshot --DiskId d-1 --SnapshotName \"${{ format('{0}', inputs.n) }}\" --RetentionDays 0
  g:
    script:
      - aliyun ecs CreateSnapshot --DiskId d-1 --SnapshotName '$[[ inputs.name ]]' --Description 'http://x'
";
    let run = run_with_stdin(
        &[
            "check",
            "--all",
            "--verbose",
            "--input-format",
            "shell",
            "-",
        ],
        workflow.as_bytes(),
    );
    assert_eq!(
        (run.status, run.stdout.as_str()),
        (
            1,
            "-:5:49: aliyun ecs CreateSnapshot #1: note: --DiskId (DiskId) not judged: its value is not known until the script runs\n\
             -:5:87: aliyun ecs CreateSnapshot #1: note: --SnapshotName (SnapshotName) not judged: its value is not known until the script runs\n\
             -:5:14: aliyun ecs CreateSnapshot #1: ok\n\
             -:6:117: aliyun ecs CreateSnapshot #2: --RetentionDays (RetentionDays): InvalidRetentionDays.Malformed (HTTP 400): The specified RetentionDays is not valid.\n\
             -:6:68: aliyun ecs CreateSnapshot #2: note: --SnapshotName (SnapshotName) not judged: its value is not known until the script runs\n\
             -:9:98: aliyun ecs CreateSnapshot #3: --Description (Description): InvalidDescription.Malformed (HTTP 404): The specified description is wrongly formed.\n\
             -:9:63: aliyun ecs CreateSnapshot #3: note: --SnapshotName (SnapshotName) not judged: its value is not known until the script runs\n\
             3 snapshots in 1 file: 2 refused, 0 with warnings\n"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn a_repeated_key_in_ci_yaml_runs_its_last_value_and_every_document_is_read() {
    // A repeated job or `run` keeps its last value (GitLab's loader) or is refused (GitHub):
    // the earlier value never runs. A GitLab file with a `spec:` header is two documents.
    let dir = scratch("ci-repeated-keys");
    let file = dir.join("ci.yml");
    std::fs::write(
        &file,
        "\
jobs:
  a:
    steps:
      - run: aliyun ecs CreateSnapshot --DiskId d-1 --SnapshotName 1bad
  a:
    steps:
      - run: aliyun ecs CreateSnapshot --DiskId d-1 --SnapshotName 2bad
        name: twice
        run: aliyun ecs CreateSnapshot --DiskId d-1 --SnapshotName good
---
job:
  script:
    - aliyun ecs CreateSnapshot --DiskId d-1 --SnapshotName 3bad
",
    )
    .unwrap();
    let run = run(&["check", file.to_str().unwrap()]);
    assert_eq!(run.status, 1);
    assert_eq!(run.stderr, "");
    assert_eq!(
        run.stdout,
        format!(
            "{f}:13:61: aliyun ecs CreateSnapshot #2: --SnapshotName (SnapshotName): InvalidSnapshotName.Malformed (HTTP 400): The specified SnapshotName is wrongly formed.\n\
             2 snapshots in 1 file: 1 refused, 0 with warnings\n",
            f = file.display()
        )
    );
}

#[test]
fn an_unquoted_heredoc_runs_its_command_substitutions_a_quoted_one_is_data() {
    let script = "\
cat > r.json <<END
{\"s\": $(aliyun ecs CreateSnapshot --DiskId d-1 --SnapshotName 1heredoc)}
aliyun ecs CreateSnapshot --DiskId d-1 --SnapshotName 2plain
`aliyun ecs CreateSnapshot --DiskId d-1 --RetentionDays 0` \\$(aliyun ecs CreateSnapshot --DiskId d-1 --SnapshotName 3escaped)
END
cat <<'END'
$(aliyun ecs CreateSnapshot --DiskId d-1 --SnapshotName 4quoted)
END
cat <<E\"N\"D
`aliyun ecs CreateSnapshot --DiskId d-1 --SnapshotName 5quoted`
END
cat <<-\\END
\t$(aliyun ecs CreateSnapshot --DiskId d-1 --SnapshotName 6quoted)
\tEND
cat <<-END
\t$(aliyun ecs CreateSnapshot --DiskId d-1 --Description \"it's\" --SnapshotName 7tabs)
\tEND
aliyun ecs CreateSnapshot --DiskId d-1 --SnapshotName 8after
";
    let run = run_with_stdin(&["check", "--input-format", "shell"], script.as_bytes());
    assert_eq!(run.status, 1);
    assert_eq!(run.stderr, "");
    assert_eq!(
        run.stdout,
        "\
-:2:63: aliyun ecs CreateSnapshot #1: --SnapshotName (SnapshotName): InvalidSnapshotName.Malformed (HTTP 400): The specified SnapshotName is wrongly formed.
-:4:57: aliyun ecs CreateSnapshot #2: --RetentionDays (RetentionDays): InvalidRetentionDays.Malformed (HTTP 400): The specified RetentionDays is not valid.
-:16:79: aliyun ecs CreateSnapshot #3: --SnapshotName (SnapshotName): InvalidSnapshotName.Malformed (HTTP 400): The specified SnapshotName is wrongly formed.
-:18:55: aliyun ecs CreateSnapshot #4: --SnapshotName (SnapshotName): InvalidSnapshotName.Malformed (HTTP 400): The specified SnapshotName is wrongly formed.
4 snapshots in 1 file: 4 refused, 0 with warnings
"
    );
}

#[test]
fn a_call_behind_a_wrapper_s_options_and_operands_is_found() {
    let script = "\
timeout 300 aliyun ecs CreateSnapshot --DiskId d-1 --SnapshotName 1timeout
timeout -s KILL -k 10 5m aliyun ecs CreateSnapshot --DiskId d-1 --SnapshotName 2timeout
sudo -E aliyun ecs CreateSnapshot --DiskId d-1 --SnapshotName 3sudo
sudo -u ops -g ops aliyun ecs CreateSnapshot --DiskId d-1 --SnapshotName 4sudo
nice -n 10 nohup aliyun ecs CreateSnapshot --DiskId d-1 --SnapshotName 5nice
time command exec -a snap env -u HOME DISK=d-1 aliyun ecs CreateSnapshot --DiskId d-1 --SnapshotName 6chain
echo timeout aliyun ecs CreateSnapshot --DiskId d-1 --SnapshotName 7echo
timeout aliyun ecs CreateSnapshot --DiskId d-1 --SnapshotName 8duration
sudo -u aliyun ecs CreateSnapshot --DiskId d-1 --SnapshotName 9user
command -v aliyun && sudo -l aliyun ecs CreateSnapshot --DiskId d-1 --SnapshotName 10list
xargs aliyun ecs CreateSnapshot --SnapshotName 11xargs < disks
";
    let run = run_with_stdin(&["check", "--input-format", "shell"], script.as_bytes());
    assert_eq!(run.status, 1);
    assert_eq!(run.stderr, "");
    assert_eq!(
        run.stdout,
        "\
-:1:67: aliyun ecs CreateSnapshot #1: --SnapshotName (SnapshotName): InvalidSnapshotName.Malformed (HTTP 400): The specified SnapshotName is wrongly formed.
-:2:80: aliyun ecs CreateSnapshot #2: --SnapshotName (SnapshotName): InvalidSnapshotName.Malformed (HTTP 400): The specified SnapshotName is wrongly formed.
-:3:63: aliyun ecs CreateSnapshot #3: --SnapshotName (SnapshotName): InvalidSnapshotName.Malformed (HTTP 400): The specified SnapshotName is wrongly formed.
-:4:74: aliyun ecs CreateSnapshot #4: --SnapshotName (SnapshotName): InvalidSnapshotName.Malformed (HTTP 400): The specified SnapshotName is wrongly formed.
-:5:72: aliyun ecs CreateSnapshot #5: --SnapshotName (SnapshotName): InvalidSnapshotName.Malformed (HTTP 400): The specified SnapshotName is wrongly formed.
-:6:102: aliyun ecs CreateSnapshot #6: --SnapshotName (SnapshotName): InvalidSnapshotName.Malformed (HTTP 400): The specified SnapshotName is wrongly formed.
6 snapshots in 1 file: 6 refused, 0 with warnings
"
    );
}

#[test]
fn a_make_rule_line_s_recipe_after_its_semicolon_is_shell() {
    let dir = scratch("make-rule-recipe");
    let makefile = dir.join("Makefile");
    std::fs::write(
        &makefile,
        "\
NAME := nightly; aliyun ecs CreateSnapshot --DiskId d-1 --SnapshotName 1assign
snapshot: disk.txt ; @aliyun ecs CreateSnapshot --DiskId d-1 --SnapshotName 2rule
backup: VAR = x; aliyun ecs CreateSnapshot --DiskId d-1 --SnapshotName 3target-variable
check: # ; aliyun ecs CreateSnapshot --DiskId d-1 --SnapshotName 4comment
all:: $(DISKS:%=%.snap) ; -aliyun ecs CreateSnapshot --DiskId d-1 \\
\t--SnapshotName 5continued
\taliyun ecs CreateSnapshot --DiskId d-1 --RetentionDays 0
",
    )
    .unwrap();
    let run = run(&["check", makefile.to_str().unwrap()]);
    assert_eq!(run.status, 1);
    assert_eq!(run.stderr, "");
    let m = makefile.display();
    assert_eq!(
        run.stdout,
        format!(
            "\
{m}:2:77: aliyun ecs CreateSnapshot #1: --SnapshotName (SnapshotName): InvalidSnapshotName.Malformed (HTTP 400): The specified SnapshotName is wrongly formed.
{m}:6:17: aliyun ecs CreateSnapshot #2: --SnapshotName (SnapshotName): InvalidSnapshotName.Malformed (HTTP 400): The specified SnapshotName is wrongly formed.
{m}:7:57: aliyun ecs CreateSnapshot #3: --RetentionDays (RetentionDays): InvalidRetentionDays.Malformed (HTTP 400): The specified RetentionDays is not valid.
3 snapshots in 1 file: 3 refused, 0 with warnings
"
        )
    );
}

#[test]
fn a_line_of_twenty_thousand_calls_is_read_to_its_last_column() {
    // Counting each column from the line's start, or each comment check from it, made this
    // quadratic: over a minute in a debug build. The `shell_line` group of
    // `benches/infra.rs` shows the cost per call flat from 2,000 calls to 20,000.
    let mut script = "aliyun ecs CreateSnapshot --DiskId d-1;".repeat(20_000);
    script.push_str(" aliyun ecs CreateSnapshot --DiskId d-2 --RetentionDays 0\n");
    let run = run_with_stdin(&["check", "--input-format", "shell"], script.as_bytes());
    assert_eq!(run.status, 1);
    assert_eq!(
        run.stdout,
        "-:1:780057: aliyun ecs CreateSnapshot #20001: --RetentionDays (RetentionDays): InvalidRetentionDays.Malformed (HTTP 400): The specified RetentionDays is not valid.\n\
         20001 snapshots in 1 file: 1 refused, 0 with warnings\n"
    );
}

// --- plans as Terraform writes them --------------------------------------------------------

#[test]
fn a_real_plan_s_computed_unknowns_are_neither_set_nor_in_conflict() {
    // `terraform show -json` of a create plan: `name`, `snapshot_name` and `category` are
    // Optional and Computed, so the ones the configuration leaves unset are unknown.
    let plan = "crates/cli/tests/fixtures/plans/create.json";
    let run = run(&["check", "--verbose", plan]);
    assert_eq!(run.status, 1);
    assert_eq!(run.stderr, "");
    let expected = "\
P: alicloud_ecs_snapshot.tagged: note: category (Category) not judged: its value is not known before the apply
P: alicloud_ecs_snapshot.tagged: note: disk_id (DiskId) not judged: its value is not known before the apply
P: alicloud_ecs_snapshot.tagged: note: tags (Tag) not judged: its value is not known before the apply
P: alicloud_ecs_snapshot.tagged: ok
P: alicloud_snapshot.legacy: name (SnapshotName): InvalidSnapshotName.Malformed (HTTP 400): The specified SnapshotName is wrongly formed.
P: alicloud_snapshot.legacy: warning: name (SnapshotName): name is deprecated since provider 1.120.0; use snapshot_name [terraform:DeprecatedArgument]
P: alicloud_snapshot.legacy: note: category (Category) not judged: its value is not known before the apply
P: alicloud_ecs_snapshot.named_after_the_disk: retention_days (RetentionDays): InvalidRetentionDays.Malformed (HTTP 400): The specified RetentionDays is not valid.
P: alicloud_ecs_snapshot.named_after_the_disk: warning: category (Category): deprecated parameter Category; the API reference marks it no longer used (it takes effect only for accounts that used local snapshots before 2020-12-14) [DeprecatedParameter]
P: alicloud_ecs_snapshot.named_after_the_disk: note: snapshot_name (SnapshotName) not judged: its value is not known before the apply
P: module.backup[\"db\"].alicloud_ecs_snapshot.this[0]: note: category (Category) not judged: its value is not known before the apply
P: module.backup[\"db\"].alicloud_ecs_snapshot.this[0]: ok
4 snapshots in 1 file: 2 refused, 2 with warnings
";
    assert_eq!(run.stdout, expected.replace("P:", &format!("{plan}:")));
}

// --- Terraform values ----------------------------------------------------------------------

#[test]
fn a_heredoc_without_interpolation_is_judged_at_its_place() {
    let dir = scratch("heredoc");
    let tf = dir.join("main.tf");
    std::fs::write(
        &tf,
        "\
resource \"alicloud_ecs_snapshot\" \"h\" {
  disk_id     = \"d-bp1heredoc000000001\"
  description = <<-EOT
    http://wiki.example.com/snapshots
  EOT
  snapshot_name = <<EOT
${var.prefix}-nightly
EOT
}

resource \"alicloud_ecs_snapshot\" \"kept\" {
  disk_id     = \"d-bp1heredoc000000002\"
  description = <<EOT
    http://not-at-the-start, indented by a plain heredoc
EOT
}
",
    )
    .unwrap();
    let run = run(&["check", "--verbose", tf.to_str().unwrap()]);
    assert_eq!(run.status, 1);
    assert_eq!(run.stderr, "");
    let f = tf.display();
    assert_eq!(
        run.stdout,
        format!(
            "\
{f}:3:17: alicloud_ecs_snapshot.h: description (Description): InvalidDescription.Malformed (HTTP 404): The specified description is wrongly formed.
{f}:6:19: alicloud_ecs_snapshot.h: note: snapshot_name (SnapshotName) not judged: its value is not known before the apply
{f}:11:1: alicloud_ecs_snapshot.kept: ok
2 snapshots in 1 file: 1 refused, 0 with warnings
"
        )
    );
}

#[test]
fn an_hcl_syntax_error_names_its_line_and_column_in_every_format() {
    let dir = scratch("hcl-error");
    let bad = dir.join("bad.tf");
    std::fs::write(
        &bad,
        "resource \"alicloud_ecs_snapshot\" \"s\" {\n  disk_id = \n}\n",
    )
    .unwrap();
    let deep = dir.join("deep.tf");
    std::fs::write(
        &deep,
        format!(
            "resource \"alicloud_ecs_snapshot\" \"s\" {{\n  tags = {}1{}\n}}\n",
            "[".repeat(100),
            "]".repeat(100)
        ),
    )
    .unwrap();
    let (bad, deep) = (bad.to_str().unwrap(), deep.to_str().unwrap());
    let expected_bad = "invalid HCL at line 2, column 13: invalid expression; expected `\"`, `[`, `{`, `-`, `!`, `(`, `_`, `<`, letter or digit";
    let expected_deep =
        "invalid HCL at line 2, column 74: invalid nesting depth; expected at most 64 nested levels";
    let text = run(&["check", bad, deep]);
    assert_eq!(text.status, 2);
    assert_eq!(text.stdout, "");
    assert_eq!(
        text.stderr,
        format!("{bad}: error: {expected_bad}\n{deep}: error: {expected_deep}\n")
    );
    let json = run(&["check", "--format", "json", deep]);
    assert_eq!(json.stdout.lines().count(), 1);
    assert_eq!(
        serde_json::from_str::<Value>(&json.stdout).unwrap(),
        json!({"Input": deep, "Valid": false, "Violations": [], "Warnings": [], "Error": expected_deep, "Line": 2, "Column": 74})
    );
    let github = run(&["check", "--format", "github", deep]);
    assert_eq!(
        github.stdout,
        format!("::error file={deep},line=2,col=74,title=cannot check::{expected_deep}\n")
    );
    let junit = run(&["check", "--format", "junit", deep]);
    assert!(
        junit
            .stdout
            .contains(&format!("<error message=\"{expected_deep}\"/>")),
        "{}",
        junit.stdout
    );
}

/// hcl-edit's parse of one object constructor costs the square of its entries: past 20,000
/// the file is refused at once, in time linear in its size, rather than parsed for minutes.
#[test]
fn an_hcl_object_too_large_to_parse_in_linear_time_is_refused() {
    let entries: String = (0..20_001).map(|n| format!("    k{n} = \"v\"\n")).collect();
    let text = format!(
        "resource \"alicloud_ecs_snapshot\" \"t\" {{\n  disk_id = \"d-1\"\n  tags = {{\n{entries}  }}\n}}\n"
    );
    let run = run_with_stdin(
        &["check", "--input-format", "terraform", "-"],
        text.as_bytes(),
    );
    assert_eq!(
        (run.status, run.stdout.as_str(), run.stderr.as_str()),
        (
            2,
            "",
            "-: error: an object of more than 20000 entries at line 3, column 10: not read (parsing it would cost the square of its size)\n"
        )
    );
}

#[test]
fn fifty_thousand_tags_in_a_call_or_a_plan_are_judged_and_counted() {
    // Each tag's key was looked for among those before it: quadratic in the tags.
    let mut script = "aliyun ecs CreateSnapshot --DiskId d-1".to_owned();
    for n in 1..=50_000 {
        script.push_str(&format!(" --Tag.{n}.Key k{n}"));
    }
    let run = run_with_stdin(&["check", "--input-format", "shell"], script.as_bytes());
    assert_eq!(run.status, 1);
    assert_eq!(
        run.stdout,
        "-:1:1: aliyun ecs CreateSnapshot #1: --Tag (Tag): QuotaExceed.Tags (HTTP 403): The number of tags (50000) exceeds the quota of 20.\n\
         1 snapshot in 1 file: 1 refused, 0 with warnings\n"
    );
    let tags: serde_json::Map<String, Value> =
        (0..50_000).map(|n| (format!("k{n}"), json!("v"))).collect();
    let plan = json!({
        "format_version": "1.2",
        "resource_changes": [{
            "address": "alicloud_ecs_snapshot.s", "mode": "managed",
            "type": "alicloud_ecs_snapshot", "name": "s",
            "change": {
                "actions": ["create"], "before": null,
                "after": {"disk_id": "d-1", "snapshot_name": "nightly", "tags": tags},
                "after_unknown": {"name": true, "tags": {}}
            }
        }]
    });
    let run = run_with_stdin(&["check"], plan.to_string().as_bytes());
    assert_eq!(run.status, 1);
    assert_eq!(
        run.stdout,
        "-: alicloud_ecs_snapshot.s: tags (Tag): QuotaExceed.Tags (HTTP 403): The number of tags (50000) exceeds the quota of 20.\n\
         1 snapshot in 1 file: 1 refused, 0 with warnings\n"
    );
}

#[test]
fn verbose_notes_come_in_line_order_and_say_until_when() {
    // The template's properties are read by name (DiskId first), the notes by line.
    let ros = "\
ROSTemplateFormatVersion: '2015-09-01'
Resources:
  S:
    Type: ALIYUN::ECS::Snapshot
    Properties:
      Tags:
        - Key: team
          Value: !Ref Team
      SnapshotName: !Ref Name
      DiskId: !Ref Disk
";
    let run = run_with_stdin(&["check", "--verbose"], ros.as_bytes());
    assert_eq!(run.status, 0);
    assert_eq!(
        run.stdout,
        "\
-:8:18: S: note: Tags[0] (Tag.1.Value) not judged: its value is not known until the stack is created
-:9:21: S: note: SnapshotName (SnapshotName) not judged: its value is not known until the stack is created
-:10:15: S: note: DiskId (DiskId) not judged: its value is not known until the stack is created
-:4:5: S: ok
1 snapshot in 1 file: 0 refused, 0 with warnings
"
    );
}
