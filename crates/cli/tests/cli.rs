//! The `ecs-snapshot-rules` binary, run as a process from the repository's root over the
//! fixtures in `crates/cli/tests/fixtures/` and the examples: every output format, exit
//! status, input kind, and the `explain` and `catalog` commands.

mod process_support;

use std::path::PathBuf;
use std::process::{Command, Stdio};

use process_support::{run, run_with_stdin, BIN, ROOT};
use serde_json::{json, Value};

const SNAPSHOT_NAME: &str = "The specified SnapshotName is wrongly formed.";
const RETENTION_DAYS: &str = "The specified RetentionDays is not valid.";
const MISSING_DISK_ID: &str =
    "The input parameter \"DiskId\" that is mandatory for processing this request is not supplied.";

/// Each line of `stdout` as JSON.
fn json_lines(stdout: &str) -> Vec<Value> {
    stdout
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect()
}

/// A scratch directory of this test binary, emptied.
fn scratch(name: &str) -> PathBuf {
    process_support::scratch("cli", name)
}

/// A violation of a request file, with the place of its parameter's name.
fn violation(
    status: u16,
    code: &str,
    message: &str,
    parameter: &str,
    (line, column): (usize, usize),
) -> Value {
    json!({"HttpStatus": status, "Code": code, "Message": message, "Parameter": parameter,
           "Line": line, "Column": column})
}

// --- text ----------------------------------------------------------------------------------

#[test]
fn the_spec_sample_request_is_ok() {
    let run = run(&["check", "crates/cli/tests/fixtures/sample-request.txt"]);
    assert_eq!(
        run.stdout,
        "crates/cli/tests/fixtures/sample-request.txt: ok\n"
    );
    assert_eq!(run.stderr, "");
    assert_eq!(run.status, 0);
}

#[test]
fn the_examples_behave_as_the_readme_says() {
    let run = self::run(&["check", "examples/sample-request.txt"]);
    assert_eq!(
        (run.status, run.stdout.as_str()),
        (0, "examples/sample-request.txt: ok\n")
    );
    let run = self::run(&["check", "examples/bad-request.json"]);
    assert_eq!(run.status, 1);
    assert_eq!(
        run.stdout,
        "examples/bad-request.json: warning: unknown parameter Descripton; did you mean Description?\n\
         examples/bad-request.json: InvalidSnapshotName.Malformed (HTTP 400): The specified SnapshotName is wrongly formed.\n"
    );
}

#[test]
fn text_reports_the_first_refusal_and_with_all_every_one() {
    let first = run(&["check", "crates/cli/tests/fixtures/requests/b-refused.txt"]);
    assert_eq!(first.status, 1);
    assert_eq!(
        first.stdout,
        format!("crates/cli/tests/fixtures/requests/b-refused.txt: InvalidSnapshotName.Malformed (HTTP 400): {SNAPSHOT_NAME}\n")
    );
    let all = run(&[
        "check",
        "--all",
        "crates/cli/tests/fixtures/requests/b-refused.txt",
    ]);
    assert_eq!(all.status, 1);
    assert_eq!(
        all.stdout,
        format!(
            "crates/cli/tests/fixtures/requests/b-refused.txt: InvalidSnapshotName.Malformed (HTTP 400): {SNAPSHOT_NAME}\n\
             crates/cli/tests/fixtures/requests/b-refused.txt: InvalidRetentionDays.Malformed (HTTP 400): {RETENTION_DAYS}\n"
        )
    );
}

#[test]
fn text_gives_the_documented_status_of_each_code() {
    let run = run(&[
        "check",
        "crates/cli/tests/fixtures/description.txt",
        "crates/cli/tests/fixtures/tags.json",
        "crates/cli/tests/fixtures/not-boolean.txt",
    ]);
    assert_eq!(run.status, 1);
    assert_eq!(
        run.stdout,
        "crates/cli/tests/fixtures/description.txt: InvalidDescription.Malformed (HTTP 404): The specified description is wrongly formed.\n\
         crates/cli/tests/fixtures/tags.json: QuotaExceed.Tags (HTTP 403): The number of tags (21) exceeds the quota of 20.\n\
         crates/cli/tests/fixtures/not-boolean.txt: warning: deprecated parameter InstantAccess; the API reference marks it no longer used (it takes effect only for accounts that used local snapshots before 2020-12-14)\n\
         crates/cli/tests/fixtures/not-boolean.txt: InvalidParameter (HTTP 400): The specified parameter \"InstantAccess\" is not valid.\n"
    );
}

#[test]
fn text_has_no_colour_when_not_on_a_terminal() {
    let run = run(&[
        "check",
        "--all",
        "examples/bad-request.json",
        "crates/cli/tests/fixtures/sample-request.txt",
    ]);
    assert!(!run.stdout.contains('\x1b'), "{:?}", run.stdout);
}

#[test]
fn text_has_colour_on_a_terminal_unless_no_color_is_set() {
    // `script` (util-linux) gives the binary a terminal; without it there is nothing to see.
    if Command::new("script").arg("--version").output().is_err() {
        return;
    }
    let on_terminal = |no_color: Option<&str>| {
        let mut command = Command::new("script");
        command
            .args([
                "-qec",
                &format!("{BIN} check examples/bad-request.json"),
                "/dev/null",
            ])
            .current_dir(ROOT)
            .env_remove("NO_COLOR")
            .stdin(Stdio::null());
        if let Some(value) = no_color {
            command.env("NO_COLOR", value);
        }
        let output = command.output().unwrap();
        (
            output.status.code(),
            String::from_utf8(output.stdout).unwrap(),
        )
    };
    let (status, coloured) = on_terminal(None);
    if !coloured.contains("bad-request.json") {
        return; // No pseudo-terminal to be had here.
    }
    assert_eq!(status, Some(1));
    assert!(
        coloured.contains("\x1b[1;31mInvalidSnapshotName.Malformed\x1b[0m (HTTP 400)"),
        "{coloured:?}"
    );
    let (_, plain) = on_terminal(Some("1"));
    assert!(!plain.contains('\x1b'), "{plain:?}");
    assert!(plain.contains("examples/bad-request.json: InvalidSnapshotName.Malformed (HTTP 400)"));
}

#[test]
fn text_escapes_control_characters_so_a_finding_stays_one_line() {
    let run = run_with_stdin(&["check"], b"DiskId=d-1&Foo%0A%1B[31mBar=1");
    assert_eq!(run.status, 0);
    assert_eq!(
        run.stdout,
        "-: warning: unknown parameter Foo\\n\\u{1b}[31mBar; the API ignores it\n-: ok\n"
    );
}

// --- warnings ------------------------------------------------------------------------------

#[test]
fn warnings_come_before_the_verdict_and_do_not_change_the_exit_status() {
    let run = run(&[
        "check",
        "crates/cli/tests/fixtures/deprecated.txt",
        "crates/cli/tests/fixtures/requests/nested/c-warned.txt",
    ]);
    assert_eq!(run.status, 0);
    assert_eq!(
        run.stdout,
        "crates/cli/tests/fixtures/deprecated.txt: warning: deprecated parameter Category; the API reference marks it no longer used (it takes effect only for accounts that used local snapshots before 2020-12-14)\n\
         crates/cli/tests/fixtures/deprecated.txt: warning: deprecated parameter Tag.1.key; use Tag.1.Key instead\n\
         crates/cli/tests/fixtures/deprecated.txt: warning: deprecated parameter Tag.1.value; use Tag.1.Value instead\n\
         crates/cli/tests/fixtures/deprecated.txt: ok\n\
         crates/cli/tests/fixtures/requests/nested/c-warned.txt: warning: unknown parameter SnapshotNmae; did you mean SnapshotName?\n\
         crates/cli/tests/fixtures/requests/nested/c-warned.txt: ok\n"
    );
}

#[test]
fn deny_warnings_makes_a_warning_exit_1() {
    let warned = run(&[
        "check",
        "--deny-warnings",
        "crates/cli/tests/fixtures/requests/nested/c-warned.txt",
    ]);
    assert_eq!(warned.status, 1);
    let clean = run(&[
        "check",
        "--deny-warnings",
        "crates/cli/tests/fixtures/sample-request.txt",
    ]);
    assert_eq!(clean.status, 0);
    let json = run(&[
        "check",
        "--deny-warnings",
        "--format",
        "json",
        "crates/cli/tests/fixtures/requests/nested/c-warned.txt",
    ]);
    assert_eq!(json.status, 1);
    // The request is still valid: only the exit status changes.
    assert_eq!(json_lines(&json.stdout)[0]["Valid"], json!(true));
}

// --- JSON ----------------------------------------------------------------------------------

#[test]
fn json_has_one_object_per_input_in_order_with_exact_fields() {
    let run = run(&[
        "check",
        "--format",
        "json",
        "crates/cli/tests/fixtures/requests/b-refused.txt",
        "crates/cli/tests/fixtures/sample-request.txt",
        "crates/cli/tests/fixtures/requests/nested/c-warned.txt",
    ]);
    assert_eq!(run.status, 1);
    assert_eq!(run.stderr, "");
    let lines = json_lines(&run.stdout);
    assert_eq!(
        lines,
        [
            json!({
                "Input": "crates/cli/tests/fixtures/requests/b-refused.txt",
                "Valid": false,
                "HttpStatus": 400,
                "Code": "InvalidSnapshotName.Malformed",
                "Message": SNAPSHOT_NAME,
                "Parameter": "SnapshotName",
                "Violations": [violation(400, "InvalidSnapshotName.Malformed", SNAPSHOT_NAME, "SnapshotName", (1, 34))],
                "Warnings": [],
            }),
            json!({
                "Input": "crates/cli/tests/fixtures/sample-request.txt",
                "Valid": true,
                "Violations": [],
                "Warnings": [],
            }),
            json!({
                "Input": "crates/cli/tests/fixtures/requests/nested/c-warned.txt",
                "Valid": true,
                "Violations": [],
                "Warnings": [{
                    "Parameter": "SnapshotNmae",
                    "Message": "unknown parameter SnapshotNmae; did you mean SnapshotName?",
                    "Kind": "UnknownParameter",
                    "Suggestion": "SnapshotName",
                    "Line": 1,
                    "Column": 12,
                }],
            }),
        ]
    );
    // The fields come in the documented order.
    assert!(run.stdout.starts_with(
        "{\"Input\":\"crates/cli/tests/fixtures/requests/b-refused.txt\",\"Valid\":false,\"HttpStatus\":400,\"Code\":"
    ));
}

#[test]
fn json_with_all_lists_every_violation_the_first_equal_to_the_top_level() {
    let run = run(&[
        "check",
        "--all",
        "--format",
        "json",
        "examples/bad-request.json",
    ]);
    assert_eq!(run.status, 1);
    let lines = json_lines(&run.stdout);
    assert_eq!(lines.len(), 1);
    let object = &lines[0];
    assert_eq!(
        object["Violations"],
        json!([
            violation(
                400,
                "InvalidSnapshotName.Malformed",
                SNAPSHOT_NAME,
                "SnapshotName",
                (3, 3)
            ),
            violation(
                400,
                "InvalidRetentionDays.Malformed",
                RETENTION_DAYS,
                "RetentionDays",
                (5, 3)
            ),
            // The tag's place is the SDK's `Tag` list.
            violation(
                400,
                "InvalidTagKey.Malformed",
                "The specified Tag.n.Key is not valid.",
                "Tag.1.Key",
                (6, 3)
            ),
        ])
    );
    let first = &object["Violations"][0];
    for field in ["HttpStatus", "Code", "Message", "Parameter"] {
        assert_eq!(object[field], first[field], "{field}");
    }
    assert_eq!(
        object["Warnings"],
        json!([{
            "Parameter": "Descripton",
            "Message": "unknown parameter Descripton; did you mean Description?",
            "Kind": "UnknownParameter",
            "Suggestion": "Description",
            "Line": 4,
            "Column": 3,
        }])
    );
}

#[test]
fn json_without_all_holds_just_the_first_violation() {
    let run = run(&["check", "--format", "json", "examples/bad-request.json"]);
    let object = &json_lines(&run.stdout)[0];
    assert_eq!(
        object["Violations"],
        json!([violation(
            400,
            "InvalidSnapshotName.Malformed",
            SNAPSHOT_NAME,
            "SnapshotName",
            (3, 3)
        )])
    );
}

#[test]
fn a_wire_error_the_api_answers_is_a_refusal() {
    let run = run(&[
        "check",
        "--format",
        "json",
        "crates/cli/tests/fixtures/wrong-action.txt",
    ]);
    assert_eq!(run.status, 1);
    let message = "Specified api is not found, please check your url and method.";
    assert_eq!(
        json_lines(&run.stdout),
        [json!({
            "Input": "crates/cli/tests/fixtures/wrong-action.txt",
            "Valid": false,
            "HttpStatus": 404,
            "Code": "InvalidAction.NotFound",
            "Message": message,
            "Parameter": "Action",
            "Violations": [violation(404, "InvalidAction.NotFound", message, "Action", (1, 1))],
            "Warnings": [],
        })]
    );
    let repeated = run_with_stdin(&["check"], b"DiskId=d-1&DiskId=d-2");
    assert_eq!(repeated.status, 1);
    assert_eq!(
        repeated.stdout,
        "-: InvalidParameter (HTTP 400): The specified parameter \"DiskId\" is not valid.\n"
    );
}

// --- inputs --------------------------------------------------------------------------------

#[test]
fn no_input_means_standard_input() {
    let run = run_with_stdin(&["check"], b"DiskId=d-1&SnapshotName=auto1");
    assert_eq!(run.status, 1);
    assert_eq!(
        run.stdout,
        format!("-: InvalidSnapshotName.Malformed (HTTP 400): {SNAPSHOT_NAME}\n")
    );
    let json = run_with_stdin(&["check", "--format", "json"], br#"{"DiskId": "d-1"}"#);
    assert_eq!(json.status, 0);
    assert_eq!(
        json_lines(&json.stdout),
        [json!({"Input": "-", "Valid": true, "Violations": [], "Warnings": []})]
    );
}

#[test]
fn a_dash_reads_standard_input_in_its_place() {
    let run = run_with_stdin(
        &[
            "check",
            "crates/cli/tests/fixtures/sample-request.txt",
            "-",
            "crates/cli/tests/fixtures/requests/z-flat.json",
        ],
        b"SnapshotName=nightly",
    );
    assert_eq!(run.status, 1);
    assert_eq!(
        run.stdout,
        format!(
            "crates/cli/tests/fixtures/sample-request.txt: ok\n\
             -: MissingParameter (HTTP 400): {MISSING_DISK_ID}\n\
             crates/cli/tests/fixtures/requests/z-flat.json: ok\n"
        )
    );
}

#[test]
fn standard_input_can_be_named_only_once() {
    let run = run(&["check", "-", "-"]);
    assert_eq!(run.status, 2);
    assert_eq!(run.stdout, "");
    assert!(
        run.stderr
            .contains("standard input (-) can be named only once"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_directory_is_every_file_below_it_in_sorted_order_hidden_ones_skipped() {
    let run = run(&[
        "check",
        "--format",
        "json",
        "crates/cli/tests/fixtures/requests",
    ]);
    assert_eq!(run.status, 1);
    let inputs: Vec<Value> = json_lines(&run.stdout)
        .into_iter()
        .map(|line| line["Input"].clone())
        .collect();
    assert_eq!(
        inputs,
        [
            "crates/cli/tests/fixtures/requests/a-sdk.json",
            "crates/cli/tests/fixtures/requests/b-refused.txt",
            "crates/cli/tests/fixtures/requests/nested/c-warned.txt",
            "crates/cli/tests/fixtures/requests/z-flat.json",
        ]
    );
    let text = self::run(&[
        "check",
        "crates/cli/tests/fixtures/requests/",
        "crates/cli/tests/fixtures/sample-request.txt",
    ]);
    assert_eq!(
        text.stdout,
        format!(
            "crates/cli/tests/fixtures/requests/a-sdk.json: ok\n\
             crates/cli/tests/fixtures/requests/b-refused.txt: InvalidSnapshotName.Malformed (HTTP 400): {SNAPSHOT_NAME}\n\
             crates/cli/tests/fixtures/requests/nested/c-warned.txt: warning: unknown parameter SnapshotNmae; did you mean SnapshotName?\n\
             crates/cli/tests/fixtures/requests/nested/c-warned.txt: ok\n\
             crates/cli/tests/fixtures/requests/z-flat.json: ok\n\
             crates/cli/tests/fixtures/sample-request.txt: ok\n"
        )
    );
}

#[test]
fn many_inputs_are_checked_in_one_process() {
    let dir = scratch("many");
    for n in 0..2000 {
        let body = if n % 2 == 0 {
            format!("DiskId=d-{n}&SnapshotName=nightly-{n}")
        } else {
            format!("{{\"DiskId\": \"d-{n}\", \"RetentionDays\": 0}}")
        };
        std::fs::write(dir.join(format!("{n:05}.req")), body).unwrap();
    }
    let run = run(&["check", "--format", "json", dir.to_str().unwrap()]);
    assert_eq!(run.status, 1);
    let lines = json_lines(&run.stdout);
    assert_eq!(lines.len(), 2000);
    for (n, line) in lines.iter().enumerate() {
        assert!(line["Input"]
            .as_str()
            .unwrap()
            .ends_with(&format!("{n:05}.req")));
        assert_eq!(line["Valid"], json!(n % 2 == 0), "{line}");
    }
}

// --- errors (exit status 2) ----------------------------------------------------------------

#[test]
fn a_json_syntax_error_names_the_file_line_and_column() {
    let text = run(&["check", "crates/cli/tests/fixtures/broken.json"]);
    assert_eq!(text.status, 2);
    assert_eq!(text.stdout, "");
    assert_eq!(
        text.stderr,
        "crates/cli/tests/fixtures/broken.json: error: invalid JSON at line 3, column 18: expected `:`\n"
    );
    let json = run(&[
        "check",
        "--format",
        "json",
        "crates/cli/tests/fixtures/broken.json",
    ]);
    assert_eq!(json.status, 2);
    assert_eq!(
        json_lines(&json.stdout),
        [json!({
            "Input": "crates/cli/tests/fixtures/broken.json",
            "Valid": false,
            "Error": "invalid JSON at line 3, column 18: expected `:`",
            "Line": 3,
            "Column": 18,
            "Violations": [],
            "Warnings": [],
        })]
    );
}

#[test]
fn an_error_wins_over_a_refusal_and_the_other_inputs_are_still_checked() {
    let run = run(&[
        "check",
        "--format",
        "json",
        "crates/cli/tests/fixtures/requests/b-refused.txt",
        "crates/cli/tests/fixtures/does-not-exist.txt",
        "crates/cli/tests/fixtures/sample-request.txt",
    ]);
    assert_eq!(run.status, 2);
    let lines = json_lines(&run.stdout);
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["Code"], json!("InvalidSnapshotName.Malformed"));
    assert_eq!(
        lines[1],
        json!({
            "Input": "crates/cli/tests/fixtures/does-not-exist.txt",
            "Valid": false,
            "Error": "cannot read: No such file or directory",
            "Violations": [],
            "Warnings": [],
        })
    );
    assert_eq!(lines[2]["Valid"], json!(true));
    assert_eq!(
        run.stderr,
        "crates/cli/tests/fixtures/does-not-exist.txt: error: cannot read: No such file or directory\n"
    );
}

#[test]
fn binary_data_invalid_utf8_and_huge_files_are_clear_errors() {
    let dir = scratch("hostile");
    let binary = dir.join("binary.bin");
    std::fs::write(&binary, b"DiskId=d-1\0\x01\x02\xff").unwrap();
    let latin1 = dir.join("latin1.txt");
    std::fs::write(&latin1, b"DiskId=d-1&Description=caf\xe9").unwrap();
    let huge = dir.join("huge.txt");
    let file = std::fs::File::create(&huge).unwrap();
    file.set_len(17 * 1024 * 1024).unwrap();
    drop(file);
    let mut big_text = b"DiskId=d-1&Description=".to_vec();
    big_text.resize(16 * 1024 * 1024 + 1, b'a');
    let too_long = dir.join("too-long.txt");
    std::fs::write(&too_long, &big_text).unwrap();
    let names: Vec<String> = [&binary, &latin1, &huge, &too_long]
        .iter()
        .map(|p| p.to_str().unwrap().to_owned())
        .collect();
    let mut args = vec!["check", "--format", "json"];
    args.extend(names.iter().map(String::as_str));
    let run = run(&args);
    assert_eq!(run.status, 2);
    let errors: Vec<Value> = json_lines(&run.stdout)
        .into_iter()
        .map(|line| line["Error"].clone())
        .collect();
    assert_eq!(
        errors,
        [
            "binary data, not a request (a NUL byte at offset 10)",
            "not UTF-8 text (an invalid byte at offset 26)",
            "larger than 16 MiB; a CreateSnapshot request is far smaller",
            "larger than 16 MiB; a CreateSnapshot request is far smaller",
        ]
    );
    for name in &names {
        assert!(
            run.stderr.contains(&format!("{name}: error: ")),
            "{}",
            run.stderr
        );
    }
    // Binary data on standard input too.
    let stdin = run_with_stdin(&["check"], &[0xff, 0xfe, 0x00, 0x41]);
    assert_eq!(stdin.status, 2);
    assert_eq!(
        stdin.stderr,
        "-: error: binary data, not a request (a NUL byte at offset 2)\n"
    );
}

#[test]
fn a_percent_encoded_byte_that_is_not_utf8_is_the_api_s_refusal() {
    let run = run_with_stdin(&["check"], b"DiskId=d-1&Description=caf%E9");
    assert_eq!(run.status, 1);
    assert_eq!(
        run.stdout,
        "-: InvalidParameter (HTTP 400): The specified parameter \"Description\" is not valid.\n"
    );
}

#[test]
fn the_world_decides_what_the_request_alone_cannot() {
    // d-data01 was attached at 11:50 and is ready at 12:20 (examples/world.json).
    let early = run(&[
        "check",
        "--world",
        "examples/world.json",
        "--now",
        "2026-11-27T12:00:00Z",
        "examples/world-request.txt",
    ]);
    assert_eq!(early.status, 1);
    assert_eq!(
        early.stdout,
        "examples/world-request.txt: IncorrectDiskStatus (HTTP 403): The current disk status does not support this operation.\n"
    );
    let later = run(&[
        "check",
        "--world",
        "examples/world.json",
        "--now",
        "2026-11-27T12:30:00+00:00",
        "examples/world-request.txt",
    ]);
    assert_eq!(later.status, 0, "{}", later.stderr);
    assert_eq!(later.stdout, "examples/world-request.txt: ok\n");
}

#[test]
fn with_a_world_the_stateless_rules_still_come_first() {
    let run = run_with_stdin(
        &[
            "check",
            "--all",
            "--format",
            "json",
            "--world",
            "examples/world.json",
            "--now",
            "2026-11-27T12:00:00Z",
            "-",
        ],
        b"DiskId=d-nowhere&SnapshotName=1st",
    );
    assert_eq!(run.status, 1);
    let line: serde_json::Value = serde_json::from_str(run.stdout.trim()).unwrap();
    assert_eq!(line["Code"], "InvalidSnapshotName.Malformed");
    assert_eq!(line["Violations"].as_array().unwrap().len(), 1);
    let run2 = run_with_stdin(
        &[
            "check",
            "--format",
            "json",
            "--world",
            "examples/world.json",
            "--now",
            "2026-11-27T12:00:00Z",
        ],
        b"DiskId=d-nowhere",
    );
    assert_eq!(run2.status, 1);
    let line: serde_json::Value = serde_json::from_str(run2.stdout.trim()).unwrap();
    assert_eq!(line["HttpStatus"], 404);
    assert_eq!(line["Code"], "InvalidDiskId.NotFound");
    assert_eq!(line["Message"], "The specified DiskId does not exist.");
}

#[test]
fn a_bad_world_file_is_a_usage_error_that_names_the_place() {
    let dir = std::env::temp_dir().join(format!("esr-world-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let world = dir.join("world.json");
    std::fs::write(&world, "{\n  \"account\": {\"bogus\": 1}\n}").unwrap();
    let world = world.to_str().unwrap();
    let run = run(&[
        "check",
        "--world",
        world,
        "crates/cli/tests/fixtures/sample-request.txt",
    ]);
    assert_eq!(run.status, 2);
    assert_eq!(run.stdout, "");
    assert!(
        run.stderr
            .contains(&format!("--world {world}:2:21: unknown field `bogus`")),
        "{}",
        run.stderr
    );
    let missing = self::run(&[
        "check",
        "--world",
        "no-such-world.json",
        "crates/cli/tests/fixtures/sample-request.txt",
    ]);
    assert_eq!(missing.status, 2);
    assert!(
        missing.stderr.contains("--world no-such-world.json: "),
        "{}",
        missing.stderr
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn now_must_be_rfc_3339() {
    let good = run(&[
        "check",
        "--world",
        "examples/world.json",
        "--now",
        "2026-11-27T21:00:00+08:00",
        "examples/world-request.txt",
    ]);
    assert_eq!(good.status, 0, "{}", good.stderr);
    let bad = run(&[
        "check",
        "--world",
        "examples/world.json",
        "--now",
        "2026-01-31",
        "examples/world-request.txt",
    ]);
    assert_eq!(bad.status, 2);
    assert!(
        bad.stderr
            .contains("\"2026-01-31\" is not an RFC 3339 timestamp"),
        "{}",
        bad.stderr
    );
    // Without a world there is nothing for the clock to judge: a usage error, not a no-op.
    let alone = run(&[
        "check",
        "--now",
        "2026-11-27T12:00:00Z",
        "crates/cli/tests/fixtures/sample-request.txt",
    ]);
    assert_eq!(alone.status, 2);
    assert!(alone.stderr.contains("--world <FILE>"), "{}", alone.stderr);
}

#[test]
fn the_world_shown_in_help_is_a_valid_world() {
    let help = run(&["check", "--help"]).stdout;
    let section = &help[help.find("The world (--world FILE)").unwrap()..];
    let section = &section[..section.find("The full reference").unwrap()];
    let world = &section[section.find('{').unwrap()..=section.rfind('}').unwrap()];
    let dir = std::env::temp_dir().join(format!("esr-help-world-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("world.json");
    std::fs::write(&path, world).unwrap();
    let verdict = run_with_stdin(
        &[
            "check",
            "--world",
            path.to_str().unwrap(),
            "--now",
            "2026-11-27T12:00:00Z",
        ],
        b"DiskId=d-1&ResourceGroupId=rg-1",
    );
    // The example's instance carries a security lock: the world is read, and judged.
    assert_eq!(verdict.status, 1, "{}", verdict.stderr);
    assert_eq!(
        verdict.stdout,
        "-: InstanceLockedForSecurity (HTTP 403): The disk attached instance is locked due to security.\n"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn an_empty_input_or_directory_is_an_error_not_a_pass() {
    let dir = std::env::temp_dir().join(format!("esr-empty-{}", std::process::id()));
    std::fs::create_dir_all(dir.join(".hidden")).unwrap();
    let empty_dir = run(&["check", dir.to_str().unwrap()]);
    assert_eq!(empty_dir.status, 2);
    assert_eq!(
        empty_dir.stderr,
        format!("{}: error: a directory with no file in it\n", dir.display())
    );
    let blank = run_with_stdin(&["check", "-"], b"\xEF\xBB\xBF \n\t\n");
    assert_eq!(blank.status, 2);
    assert_eq!(blank.stderr, "-: error: empty: no request in it\n");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn findings_past_a_thousand_are_counted_not_listed() {
    let mut input = String::from("DiskId=d-1");
    for n in 1..=1500 {
        input.push_str(&format!("&Tag.{n}.Key=acs:{n}&Unknown{n}=x"));
    }
    let run = run_with_stdin(
        &["check", "--all", "--format", "json", "-"],
        input.as_bytes(),
    );
    assert_eq!(run.status, 1);
    let line: Value = serde_json::from_str(run.stdout.trim()).unwrap();
    assert_eq!(line["Code"], json!("QuotaExceed.Tags"));
    assert_eq!(
        line["Message"],
        json!("The number of tags (1500) exceeds the quota of 20.")
    );
    assert_eq!(line["Violations"].as_array().unwrap().len(), 1000);
    assert_eq!(line["Warnings"].as_array().unwrap().len(), 1000);
    // 1 + 1500 violations and 1500 warnings: 501 + 500 left out.
    assert_eq!(line["Omitted"], json!(1001));
    let text = run_with_stdin(&["check", "--all", "-"], input.as_bytes());
    assert!(
        text.stdout
            .ends_with("-: note: 1001 more findings not shown\n"),
        "{}",
        &text.stdout[text.stdout.len().saturating_sub(200)..]
    );
}

#[test]
fn invisible_characters_are_shown_escaped() {
    let run = run_with_stdin(&["check", "-"], "DiskId=d-1&Snap\u{202E}Name=x".as_bytes());
    assert_eq!(run.status, 0);
    assert_eq!(
        run.stdout,
        "-: warning: unknown parameter Snap\\u{202e}Name; the API ignores it\n-: ok\n"
    );
}

#[test]
fn a_wrong_command_line_exits_2() {
    for args in [
        &["check", "--format", "xml"][..],
        &["check", "--bogus"],
        &["frobnicate"],
        &[],
        &["explain"],
        &["catalog", "--format", "yaml"],
    ] {
        let run = run(args);
        assert_eq!(run.status, 2, "{args:?}");
        assert_eq!(run.stdout, "", "{args:?}");
    }
}

// --- SARIF ---------------------------------------------------------------------------------

#[test]
fn sarif_is_a_valid_log_with_one_result_per_finding() {
    let run = run(&[
        "check",
        "--all",
        "--format",
        "sarif",
        "examples/bad-request.json",
        "crates/cli/tests/fixtures/sample-request.txt",
        "crates/cli/tests/fixtures/requests/b-refused.txt",
    ]);
    assert_eq!(run.status, 1);
    let log: Value = serde_json::from_str(&run.stdout).expect("one JSON document");
    assert_eq!(log["version"], json!("2.1.0"));
    assert!(log["$schema"]
        .as_str()
        .unwrap()
        .contains("sarif-schema-2.1.0.json"));
    let runs = log["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let driver = &runs[0]["tool"]["driver"];
    assert_eq!(driver["name"], json!("ecs-snapshot-rules"));
    assert_eq!(driver["version"], json!(env!("CARGO_PKG_VERSION")));

    // Rules: every distinct code of the catalogue, then the warning kinds; ids unique.
    let rules = driver["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let mut unique = ids.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "rule ids are unique");
    // 58 codes, 3 warning kinds, 8 rules of the tools on the way.
    assert_eq!(ids.len(), 58 + 3 + 8);
    assert_eq!(ids[1], "InvalidSnapshotName.Malformed");
    assert_eq!(
        &ids[58..61],
        [
            "UnknownParameter",
            "DeprecatedParameter",
            "IneffectiveParameter"
        ]
    );
    assert_eq!(ids[61], "aliyun-cli:UnknownParameter");
    for rule in rules {
        assert!(rule["shortDescription"]["text"].is_string(), "{rule}");
        assert!(
            ["error", "warning"].contains(&rule["defaultConfiguration"]["level"].as_str().unwrap())
        );
    }
    let internal = rules
        .iter()
        .find(|r| r["id"] == json!("InternalError"))
        .unwrap();
    assert_eq!(
        internal["shortDescription"]["text"],
        json!("The request processing has failed due to some unknown error. / The request processing has failed due to some unknown error, exception or failure.")
    );

    let results = runs[0]["results"].as_array().unwrap();
    let summary: Vec<(String, String, String, String, u64)> = results
        .iter()
        .map(|r| {
            let location = &r["locations"][0]["physicalLocation"];
            (
                r["ruleId"].as_str().unwrap().to_owned(),
                r["level"].as_str().unwrap().to_owned(),
                r["message"]["text"].as_str().unwrap().to_owned(),
                location["artifactLocation"]["uri"]
                    .as_str()
                    .unwrap()
                    .to_owned(),
                location["region"]["startLine"].as_u64().unwrap(),
            )
        })
        .collect();
    let s = |a: &str, b: &str, c: &str, d: &str, line: u64| {
        (a.to_owned(), b.to_owned(), c.to_owned(), d.to_owned(), line)
    };
    assert_eq!(
        summary,
        [
            s(
                "InvalidSnapshotName.Malformed",
                "error",
                &format!("InvalidSnapshotName.Malformed (HTTP 400): {SNAPSHOT_NAME}"),
                "examples/bad-request.json",
                3
            ),
            s(
                "InvalidRetentionDays.Malformed",
                "error",
                &format!("InvalidRetentionDays.Malformed (HTTP 400): {RETENTION_DAYS}"),
                "examples/bad-request.json",
                5
            ),
            s(
                "InvalidTagKey.Malformed",
                "error",
                "InvalidTagKey.Malformed (HTTP 400): The specified Tag.n.Key is not valid.",
                "examples/bad-request.json",
                6
            ),
            s(
                "UnknownParameter",
                "warning",
                "unknown parameter Descripton; did you mean Description?",
                "examples/bad-request.json",
                4
            ),
            s(
                "InvalidSnapshotName.Malformed",
                "error",
                &format!("InvalidSnapshotName.Malformed (HTTP 400): {SNAPSHOT_NAME}"),
                "crates/cli/tests/fixtures/requests/b-refused.txt",
                1
            ),
            s(
                "InvalidRetentionDays.Malformed",
                "error",
                &format!("InvalidRetentionDays.Malformed (HTTP 400): {RETENTION_DAYS}"),
                "crates/cli/tests/fixtures/requests/b-refused.txt",
                1
            ),
        ]
    );
    for result in results {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
    }
    assert_eq!(
        results[0]["properties"],
        json!({"httpStatus": 400, "parameter": "SnapshotName"})
    );
    let invocation = &runs[0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], json!(true));
    assert_eq!(invocation["toolExecutionNotifications"], json!([]));
}

#[test]
fn sarif_reports_an_unreadable_input_as_a_tool_notification() {
    let run = run_with_stdin(
        &[
            "check",
            "--format",
            "sarif",
            "crates/cli/tests/fixtures/broken.json",
            "-",
        ],
        b"SnapshotName=ok-name",
    );
    assert_eq!(run.status, 2);
    let log: Value = serde_json::from_str(&run.stdout).unwrap();
    let invocation = &log["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], json!(false));
    assert_eq!(
        invocation["toolExecutionNotifications"],
        json!([{
            "level": "error",
            "message": {"text": "crates/cli/tests/fixtures/broken.json: invalid JSON at line 3, column 18: expected `:`"},
            "locations": [{"physicalLocation": {
                "artifactLocation": {"uri": "crates/cli/tests/fixtures/broken.json"},
                "region": {"startLine": 3, "startColumn": 18},
            }}],
        }])
    );
    // Standard input (no DiskId) is located at the URI `stdin`, which code-scanning
    // dashboards need to show a result at all.
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 1);
    assert_eq!(results[0]["ruleId"], json!("MissingParameter"));
    assert_eq!(
        results[0]["locations"][0]["physicalLocation"]["artifactLocation"],
        json!({"uri": "stdin", "description": {"text": "standard input"}})
    );
}

#[test]
fn sarif_of_valid_inputs_has_no_result() {
    let run = run(&[
        "check",
        "--format",
        "sarif",
        "crates/cli/tests/fixtures/sample-request.txt",
    ]);
    assert_eq!(run.status, 0);
    let log: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(log["runs"][0]["results"], json!([]));
}

// --- explain and catalog -------------------------------------------------------------------

#[test]
fn explain_shows_the_catalogue_row() {
    let run = run(&["explain", "InvalidSnapshotName.Malformed"]);
    assert_eq!(run.status, 0);
    assert_eq!(
        run.stdout,
        "InvalidSnapshotName.Malformed (HTTP 400)\n  \
         Message:     The specified SnapshotName is wrongly formed.\n  \
         When:        SnapshotName is not 2 to 128 of letters (of any script: English, Chinese, ...), ASCII digits, ':', '_', '.', '-' starting with a letter, or starts with auto.\n  \
         How to fix:  Use 2 to 128 letters, ASCII digits, ':', '_', '.' or '-', starting with a letter and not with auto (for example nightly-2026.01.31 or 夜间备份-01), or leave SnapshotName out.\n  \
         Source:      CURRENT.md, error table row 2; CreateSnapshot.md, error table row 2\n  \
         Produced:    from the request alone (reported by `check`)\n"
    );
}

/// A row the current reference changed shows its current status and message, then the
/// earlier document's.
#[test]
fn explain_shows_the_earlier_revision_of_a_changed_row() {
    let run = run(&["explain", "CreateSnapshot.Failed"]);
    assert_eq!(run.status, 0);
    assert!(
        run.stdout.starts_with(
            "CreateSnapshot.Failed (HTTP 400)\n  Message:     The process of creating snapshot is failed.\n"
        ),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains(
        "\n  Earlier:     CreateSnapshot.md gave HTTP 403, \"The process of creating snapshot is failed.\"; the current reference's values are above\n"
    ));
    let throttling = self::run(&["explain", "Throttling"]);
    assert!(throttling.stdout.contains("\n  Earlier:     SUPPLEMENT.md gave HTTP 400, \"You have made too many requests within a short time; your request is denied due to request throttling.\";"));
    assert!(throttling
        .stdout
        .contains("Source:      CURRENT.md, error table row 10; SUPPLEMENT.md, error table"));
    // A row that did not change has no earlier value; a new one cites the current reference.
    let new = self::run(&["explain", "QuotaExceed.ConcurrentSnapshotQuota"]);
    assert!(!new.stdout.contains("Earlier:"));
    assert!(new
        .stdout
        .contains("Source:      CURRENT.md (the current reference), error table row 41\n"));
    let balance = self::run(&["explain", "InvalidAccountStatus.NotEnoughBalance"]);
    assert!(balance.stdout.contains("row 2 of 2\n  Message:     Your account does not have enough balance to order postpaid product.\n"));
}

#[test]
fn explain_internal_error_shows_both_rows() {
    let run = run(&["explain", "InternalError"]);
    assert_eq!(run.status, 0);
    assert!(run.stdout.starts_with("InternalError (HTTP 500), row 1 of 2\n  Message:     The request processing has failed due to some unknown error.\n"));
    assert!(run.stdout.contains("\n\nInternalError (HTTP 500), row 2 of 2\n  Message:     The request processing has failed due to some unknown error, exception or failure.\n"));
    assert!(run.stdout.contains("CreateSnapshot.md, error table row 12"));
    assert!(run.stdout.contains("CreateSnapshot.md, error table row 26"));
}

#[test]
fn explain_an_unknown_code_exits_2_with_suggestions() {
    let run = run(&["explain", "QuotaExceed.Tag"]);
    assert_eq!(run.status, 2);
    assert_eq!(run.stdout, "");
    assert!(
        run.stderr
            .contains("unknown error code \"QuotaExceed.Tag\""),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("did you mean: QuotaExceed.Tags?"),
        "{}",
        run.stderr
    );
    let partial = self::run(&["explain", "incorrectdiskstatus"]);
    assert_eq!(partial.status, 2);
    assert!(
        partial.stderr.contains("did you mean: IncorrectDiskStatus.CreatingSnapshot, IncorrectDiskStatus.NeverAttached, IncorrectDiskStatus.NeverUsed, IncorrectDiskStatus, IncorrectDiskStatus.Invalid?"),
        "{}",
        partial.stderr
    );
}

#[test]
fn catalog_json_has_every_row() {
    let run = run(&["catalog", "--format", "json"]);
    assert_eq!(run.status, 0);
    let rows: Vec<Value> = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(rows.len(), 60);
    assert_eq!(
        rows[1],
        json!({
            "HttpStatus": 400,
            "Code": "InvalidSnapshotName.Malformed",
            "Message": SNAPSHOT_NAME,
            "Description": "SnapshotName is not 2 to 128 of letters (of any script: English, Chinese, ...), ASCII digits, ':', '_', '.', '-' starting with a letter, or starts with auto.",
            "HowToFix": "Use 2 to 128 letters, ASCII digits, ':', '_', '.' or '-', starting with a letter and not with auto (for example nightly-2026.01.31 or 夜间备份-01), or leave SnapshotName out.",
            "Source": "CreateSnapshot.md",
            "SpecRow": 2,
            "CurrentRow": 2,
            "Scope": "Request",
        })
    );
    // CreateSnapshot.Failed: the current status, and the earlier one.
    assert_eq!(rows[9]["HttpStatus"], json!(400));
    assert_eq!(
        rows[9]["Earlier"],
        json!({"Document": "CreateSnapshot.md", "HttpStatus": 403, "Message": "The process of creating snapshot is failed."})
    );
    // A row only the current reference has.
    assert_eq!(
        rows[59]["Code"],
        json!("InvalidParameter.UnauthorizedStorageLocationArn")
    );
    assert_eq!(rows[59]["Source"], json!("CURRENT.md"));
    assert_eq!(rows[59]["CurrentRow"], json!(43));
    assert!(rows[59].get("SpecRow").is_none());
    assert_eq!(rows[31]["Code"], json!("MissingParameter"));
    assert_eq!(rows[31]["Source"], json!("SUPPLEMENT.md"));
    assert!(rows[31].get("SpecRow").is_none());
    let internal: Vec<&Value> = rows
        .iter()
        .filter(|r| r["Code"] == json!("InternalError"))
        .collect();
    assert_eq!(internal.len(), 2);
    assert!(rows
        .iter()
        .all(|r| r["HowToFix"].as_str().is_some_and(|t| !t.is_empty())));
}

#[test]
fn catalog_markdown_is_one_table_row_per_catalogue_row() {
    let run = run(&["catalog", "--format", "markdown"]);
    assert_eq!(run.status, 0);
    let table: Vec<&str> = run.stdout.lines().filter(|l| l.starts_with('|')).collect();
    assert_eq!(table.len(), 2 + 60);
    assert_eq!(
        table[0],
        "| HTTP | Code | Message | When | How to fix | Source | Produced |"
    );
    assert!(table[4].starts_with(
        "| 404 | `InvalidDescription.Malformed` | The specified description is wrongly formed. |"
    ));
    assert!(table[32].starts_with("| 403 | `QuotaExceed.Tags` | %s |"));
    // The example disk ID's asterisks are escaped, not read as emphasis.
    assert!(run.stdout.contains("d-bp1s5fnvk4gn2tws0\\*\\*\\*\\*"));
    assert_eq!(
        self::run(&["catalog"]).stdout,
        run.stdout,
        "markdown is the default"
    );
}

#[test]
fn every_command_has_complete_help() {
    for args in [
        &["--help"][..],
        &["check", "--help"],
        &["explain", "--help"],
        &["catalog", "--help"],
        &["help", "check"],
    ] {
        let run = run(args);
        assert_eq!(run.status, 0, "{args:?}");
        assert!(run.stdout.contains("Exit status:"), "{args:?}");
        assert!(run.stdout.contains("Examples:"), "{args:?}");
    }
    let check = run(&["check", "--help"]).stdout;
    for needle in [
        "--world",
        "--now",
        "--all",
        "--format",
        "--deny-warnings",
        "sarif",
        "NO_COLOR",
        "\"Valid\": true",
    ] {
        assert!(check.contains(needle), "{needle}");
    }
    let version = run(&["--version"]);
    assert_eq!(
        version.stdout,
        format!("ecs-snapshot-rules {}\n", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn with_a_world_the_account_says_which_legacy_parameters_have_no_effect() {
    let dir = scratch("legacy-parameters");
    let request = dir.join("request.txt");
    std::fs::write(&request, "DiskId=d-1&Category=Standard\n").unwrap();
    let world = |used_local_snapshots: bool| {
        let path = dir.join(format!("world-{used_local_snapshots}.json"));
        std::fs::write(
            &path,
            format!(
                r#"{{"account": {{"used_local_snapshots_before_2020_12_14": {used_local_snapshots}}},
                    "disks": {{"d-1": {{"instance_id": "i-1"}}}},
                    "instances": {{"i-1": {{"status": "Running"}}}}}}"#
            ),
        )
        .unwrap();
        path
    };
    let request = request.to_str().unwrap();
    let deprecated = format!(
        "{request}: warning: deprecated parameter Category; the API reference marks it no \
         longer used (it takes effect only for accounts that used local snapshots before \
         2020-12-14)\n"
    );
    let now = "2026-11-27T12:00:00Z";
    let other = world(false);
    let run = run(&[
        "check",
        "--world",
        other.to_str().unwrap(),
        "--now",
        now,
        request,
    ]);
    assert_eq!(
        (run.status, run.stdout),
        (
            0,
            format!(
                "{deprecated}{request}: warning: Category has no effect for this account: it \
                 did not use local snapshots before 2020-12-14 (snapshots of ESSD-series disks \
                 are instantly available anyway)\n{request}: ok\n"
            )
        )
    );
    let legacy = world(true);
    let run = self::run(&[
        "check",
        "--world",
        legacy.to_str().unwrap(),
        "--now",
        now,
        request,
    ]);
    assert_eq!(
        (run.status, run.stdout),
        (0, format!("{deprecated}{request}: ok\n"))
    );
}
