//! Which kind of input a file is: by its name first, then by its content. A file named
//! on the command line (or standard input) that is of no kind, and not a request either,
//! is an error; one found in a directory is skipped.

use std::path::Path;

use super::request_file;
use crate::finding::InputKind;
use crate::infra::ci_yaml::SHELL_KEYS;
use crate::infra::provider::SNAPSHOT_TYPES;

/// What a file found or named is to `check`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Detected {
    /// An input of this kind.
    Input(InputKind),
    /// Terraform variable values (`.tfvars`): read with their module, not judged alone.
    Variables,
    /// Found in a directory, of no supported format: skipped and counted.
    Unsupported,
    /// Named explicitly, of no supported format, and not a request: an error.
    Unrecognised,
}

/// Why a file named explicitly is refused when it is of no kind.
pub const UNRECOGNISED: &str = "not a CreateSnapshot request, nor Terraform, a plan, a ROS template or a script calling the aliyun CLI; give --input-format";

/// The kind of the file `path` (`None` for standard input) holding `bytes`. `explicit`
/// files (named on the command line, or standard input) are told by content where the
/// name says nothing: Terraform (HCL with `resource "alicloud_..."` blocks), a ROS
/// template, a plan, a script calling the CLI, else a request if the text is one (D274);
/// bytes that are not text are left to the request reader, whose errors say why.
pub fn detect(path: Option<&Path>, bytes: &[u8], explicit: bool) -> Detected {
    let name = path
        .and_then(Path::file_name)
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let extension = name.rsplit_once('.').map_or("", |(_, e)| e);
    if name.ends_with(".tf.json") {
        return Detected::Input(InputKind::TerraformJson);
    }
    if name.ends_with(".tfvars") || name.ends_with(".tfvars.json") {
        return Detected::Variables;
    }
    match extension {
        "tf" => return Detected::Input(InputKind::Terraform),
        "sh" | "bash" | "mk" => return Detected::Input(InputKind::Shell),
        _ => {}
    }
    if matches!(name.as_str(), "makefile" | "gnumakefile") {
        return Detected::Input(InputKind::Shell);
    }
    let head = &bytes[..bytes.len().min(64 * 1024)];
    if matches!(extension, "yml" | "yaml") {
        return if contains(head, b"ROSTemplateFormatVersion") {
            Detected::Input(InputKind::Ros)
        } else {
            // CI files (`run:` blocks of GitHub Actions, GitLab's `script:`).
            Detected::Input(InputKind::Shell)
        };
    }
    let body = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let first = body.iter().find(|b| !b.is_ascii_whitespace()).copied();
    if first == Some(b'{') {
        if contains(head, b"\"ROSTemplateFormatVersion\"") {
            return Detected::Input(InputKind::Ros);
        }
        if contains(head, b"\"format_version\"")
            && (contains(bytes, b"\"resource_changes\"")
                || contains(bytes, b"\"planned_values\"")
                || contains(bytes, b"\"deferred_changes\""))
        {
            return Detected::Input(InputKind::Plan);
        }
        if !explicit {
            return if contains(head, b"\"DiskId\"") || contains(head, b"\"Action\"") {
                Detected::Input(InputKind::Request)
            } else {
                Detected::Unsupported
            };
        }
    } else if contains(head, b"ROSTemplateFormatVersion") {
        return Detected::Input(InputKind::Ros);
    }
    let Some(text) = std::str::from_utf8(bytes)
        .ok()
        .filter(|t| !t.contains('\0'))
    else {
        // Not text: the request reader says why, as it always has.
        return if explicit {
            Detected::Input(InputKind::Request)
        } else {
            Detected::Unsupported
        };
    };
    // A byte-order mark is no part of the first line's text.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let calls_the_cli = names_create_snapshot(text) && text.contains("aliyun");
    if explicit {
        if first == Some(b'{') && declares_terraform_json(text) {
            return Detected::Input(InputKind::TerraformJson);
        }
        if first != Some(b'{') && (declares_terraform(text) || calls_from_terraform(text)) {
            return Detected::Input(InputKind::Terraform);
        }
        if calls_the_cli && !looks_like_query(body) {
            return Detected::Input(InputKind::Shell);
        }
        let blank = text.trim().is_empty();
        return if blank || request_file::is_request(text) {
            Detected::Input(InputKind::Request)
        } else {
            Detected::Unrecognised
        };
    }
    // In a directory, a script is told by its `#!` line: a document that mentions the CLI
    // (a README) is not one.
    if calls_the_cli && body.starts_with(b"#!") {
        return Detected::Input(InputKind::Shell);
    }
    if looks_like_query(body) {
        return Detected::Input(InputKind::Request);
    }
    Detected::Unsupported
}

/// The API's name as the CLI takes it: `CreateSnapshot`, or `create-snapshot` in the
/// plugin mode.
fn names_create_snapshot(text: &str) -> bool {
    text.contains("CreateSnapshot") || text.contains("create-snapshot")
}

/// HCL with a block `resource "alicloud_..."` at the start of a line.
fn declares_terraform(text: &str) -> bool {
    text.lines().any(|line| {
        line.trim_start()
            .strip_prefix("resource")
            .filter(|rest| rest.starts_with([' ', '\t']))
            .is_some_and(|rest| {
                let rest = rest.trim_start();
                rest.strip_prefix('"')
                    .unwrap_or(rest)
                    .starts_with("alicloud_")
            })
    })
}

/// HCL whose resource (of any type) runs the CLI from a `local-exec` provisioner: a line
/// starting with `resource "`, one with `provisioner "local-exec"`, and the CLI's call.
/// Without it such a file would be read as a script, and its HCL taken for commands.
fn calls_from_terraform(text: &str) -> bool {
    let starts = |prefix: &str| {
        text.lines()
            .any(|line| line.trim_start().starts_with(prefix))
    };
    names_create_snapshot(text)
        && text.contains("aliyun")
        && starts("resource \"")
        && starts("provisioner \"local-exec\"")
}

/// Terraform's JSON syntax: a `resource` object naming a snapshot type.
fn declares_terraform_json(text: &str) -> bool {
    text.contains("\"resource\"")
        && SNAPSHOT_TYPES
            .iter()
            .any(|kind| text.contains(&format!("\"{kind}\"")))
}

/// How a file of shell commands is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShellReader {
    /// A shell script.
    Script,
    /// A Makefile: its recipe lines.
    Makefile,
    /// A CI file in YAML: the values of its `run:`, `script:`... keys.
    CiYaml,
}

/// The reader of the shell file `path` (`None` for standard input) holding `text`: by name,
/// else a YAML CI file when a line starts (after indentation and a list's `- `) with a key
/// that holds commands.
pub fn shell_reader(path: Option<&Path>, text: &str) -> ShellReader {
    let name = path
        .and_then(Path::file_name)
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let extension = name.rsplit_once('.').map_or("", |(_, e)| e);
    if matches!(name.as_str(), "makefile" | "gnumakefile") || extension == "mk" {
        return ShellReader::Makefile;
    }
    if matches!(extension, "yml" | "yaml") {
        return ShellReader::CiYaml;
    }
    let names_a_shell_key = |line: &str| {
        let line = line.trim_start();
        let line = line.strip_prefix("- ").map_or(line, str::trim_start);
        SHELL_KEYS.iter().any(|key| {
            line.strip_prefix(key)
                .is_some_and(|rest| rest.starts_with(':'))
        })
    };
    if text.lines().any(names_a_shell_key) {
        ShellReader::CiYaml
    } else {
        ShellReader::Script
    }
}

/// A query string or URL: the first word is `Name=`, or a URL with a query.
fn looks_like_query(body: &[u8]) -> bool {
    let start = body
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(body.len());
    let rest = &body[start..];
    if rest.starts_with(b"http://") || rest.starts_with(b"https://") {
        let line_end = rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len());
        return rest[..line_end].contains(&b'?');
    }
    let name_end = rest
        .iter()
        .position(|&b| !(b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-' | b'%')))
        .unwrap_or(rest.len());
    name_end > 0 && rest.get(name_end) == Some(&b'=')
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(name: &str, text: &str, explicit: bool) -> Detected {
        detect(Some(Path::new(name)), text.as_bytes(), explicit)
    }

    #[test]
    fn names_decide_first() {
        use InputKind::*;
        assert_eq!(kind("a/main.tf", "", false), Detected::Input(Terraform));
        assert_eq!(
            kind("main.TF.json", "{}", false),
            Detected::Input(TerraformJson)
        );
        assert_eq!(kind("prod.auto.tfvars", "", false), Detected::Variables);
        assert_eq!(kind("backup.sh", "", false), Detected::Input(Shell));
        assert_eq!(kind("Makefile", "", false), Detected::Input(Shell));
        assert_eq!(kind("ci.yml", "jobs: {}", false), Detected::Input(Shell));
        assert_eq!(
            kind(
                "stack.yaml",
                "ROSTemplateFormatVersion: '2015-09-01'",
                false
            ),
            Detected::Input(Ros)
        );
    }

    #[test]
    fn content_decides_the_rest() {
        use InputKind::*;
        assert_eq!(
            kind(
                "t.json",
                r#"{"ROSTemplateFormatVersion": "2015-09-01"}"#,
                false
            ),
            Detected::Input(Ros)
        );
        assert_eq!(
            kind(
                "p.json",
                r#"{"format_version": "1.2", "resource_changes": []}"#,
                false
            ),
            Detected::Input(Plan)
        );
        assert_eq!(
            kind("r.json", r#"{"DiskId": "d-1"}"#, false),
            Detected::Input(Request)
        );
        assert_eq!(
            kind("package.json", r#"{"name": "x"}"#, false),
            Detected::Unsupported
        );
        assert_eq!(
            kind(
                "package.json",
                r#"{"name": "x", "scripts": {"test": "jest"}}"#,
                true
            ),
            Detected::Unrecognised
        );
        assert_eq!(
            kind("flat.json", r#"{"Descripton": "x"}"#, true),
            Detected::Input(Request)
        );
        assert_eq!(kind("r.txt", "DiskId=d-1", false), Detected::Input(Request));
        assert_eq!(
            kind(
                "r.txt",
                "https://ecs.aliyuncs.com/?Action=CreateSnapshot",
                false
            ),
            Detected::Input(Request)
        );
        assert_eq!(
            kind(
                "deploy",
                "#!/bin/sh\naliyun ecs CreateSnapshot --DiskId d-1\n",
                false
            ),
            Detected::Input(Shell)
        );
        assert_eq!(kind("README.md", "# Infra\n", false), Detected::Unsupported);
        assert_eq!(kind("README.md", "# Infra\n", true), Detected::Unrecognised);
        // A document that mentions the CLI is not a script, unless named.
        let readme = "Run `aliyun ecs CreateSnapshot --DiskId d-1`, don't forget.\n";
        assert_eq!(kind("README.md", readme, false), Detected::Unsupported);
        assert_eq!(kind("README.md", readme, true), Detected::Input(Shell));
    }

    #[test]
    fn a_named_file_is_told_by_its_content_where_its_name_says_nothing() {
        use InputKind::*;
        let hcl = "variable \"x\" {}\n\nresource \"alicloud_ecs_snapshot\" \"s\" {\n  disk_id = \"d-1\"\n}\n";
        assert_eq!(kind("snap.hcl", hcl, true), Detected::Input(Terraform));
        assert_eq!(
            detect(None, hcl.as_bytes(), true),
            Detected::Input(Terraform)
        );
        assert_eq!(kind("snap.hcl", hcl, false), Detected::Unsupported);
        let exec = "resource \"null_resource\" \"s\" {\n  provisioner \"local-exec\" {\n    command = \"aliyun ecs CreateSnapshot --DiskId d-1\"\n  }\n}\n";
        assert_eq!(
            detect(None, exec.as_bytes(), true),
            Detected::Input(Terraform)
        );
        assert_eq!(
            detect(
                None,
                exec.replace("local-exec", "remote-exec").as_bytes(),
                true
            ),
            Detected::Input(Shell)
        );
        let json = r#"{"resource": {"alicloud_snapshot": {"a": {"disk_id": "d-1"}}}}"#;
        assert_eq!(
            kind("main.json", json, true),
            Detected::Input(TerraformJson)
        );
        assert_eq!(
            kind("notes.txt", "Buy milk\n", true),
            Detected::Unrecognised
        );
        assert_eq!(
            kind("notes.txt", "a=1&b c=2\n", true),
            Detected::Unrecognised
        );
        // Requests stay requests, refused ones and broken ones too.
        for request in [
            "SnapshotName=x",
            "DiskId=d-1&Tag.1.Key=",
            "https://ecs.aliyuncs.com/?Action=CreateSnapshot\n&DiskId=d-1\n&<Common request parameters>\n",
            "{\"DiskId\": \"d-1\", \"Tag\": [{\"Key\": \"a\", \"Value\": \"b\"}]}",
            "{\"DiskId\": ",
            "[{\"DiskId\": \"d-1\"}]",
            "",
        ] {
            assert_eq!(kind("r.txt", request, true), Detected::Input(Request), "{request}");
        }
        assert_eq!(
            detect(Some(Path::new("logo.png")), b"\x89PNG\r\n\x1a\n\0", true),
            Detected::Input(Request)
        );
    }
}
