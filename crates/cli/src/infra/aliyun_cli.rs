//! The aliyun CLI's reading of `aliyun ecs CreateSnapshot` arguments (its `cli/parser.go`
//! and `openapi/rpc.go`): `--Name value`, `--Name=value` and `--Name:value` (split at the
//! first `=` or `:`); a flag with an empty value after `=` takes the next word. A name
//! that is neither a parameter of CreateSnapshot nor a flag of the CLI is refused, and so
//! is a parameter given twice and a call without `--DiskId`: those are the CLI's own
//! refusals, reported beside the API's answer to the rest.

use super::word::Word;
use super::DeclaredSnapshot;
use crate::finding::{Finding, Position, Severity};
use crate::library::did_you_mean;
use crate::tool_rules::{CLI_DUPLICATED_PARAMETER, CLI_MISSING_PARAMETER, CLI_UNKNOWN_PARAMETER};

/// CreateSnapshot's parameters in the API's metadata, but for the tags (`Tag.N.Key`,
/// `Tag.N.Value` and their deprecated lower-case spellings, any N).
const PARAMETERS: &[&str] = &[
    "DiskId",
    "SnapshotName",
    "Description",
    "RetentionDays",
    "Category",
    "ClientToken",
    "ResourceGroupId",
    "InstantAccess",
    "InstantAccessRetentionDays",
    "StorageLocationArn",
    "OwnerId",
    "OwnerAccount",
    "ResourceOwnerId",
    "ResourceOwnerAccount",
];

/// The CLI's own flags that take no value.
const SWITCHES: &[&str] = &[
    "secure",
    "insecure",
    "force",
    "dryrun",
    "cli-dry-run",
    "cli-dry-run-json",
    "quiet",
    "yes",
    "skip-secure-verify",
    "estimate-cost",
    "cli-ai-mode",
    "no-cli-ai-mode",
    "help",
];

/// The CLI's own flags that take one value (`RegionId` among them: the CLI's, not the
/// request's).
const FLAGS: &[&str] = &[
    "profile",
    "mode",
    "access-key-id",
    "access-key-secret",
    "sts-token",
    "sts-region",
    "sts-endpoint",
    "ram-role-name",
    "ram-role-arn",
    "role-session-name",
    "external-id",
    "source-profile",
    "private-key",
    "key-pair-name",
    "region",
    "RegionId",
    "language",
    "read-timeout",
    "connect-timeout",
    "retry-count",
    "config-path",
    "expired-seconds",
    "process-command",
    "oidc-provider-arn",
    "oidc-token-file",
    "cloud-sso-sign-in-url",
    "cloud-sso-access-config",
    "cloud-sso-account-id",
    "oauth-site-type",
    "endpoint-type",
    "endpoint",
    "external-account-type",
    "auto-plugin-install",
    "auto-plugin-install-enable-pre",
    "bearer-token",
    "bearer-token-header-key",
    "version",
    "header",
    "body",
    "body-file",
    "accept",
    "roa",
    "log-level",
    "cli-query",
    "method",
    "user-agent",
    "estimate-cost-context",
];

/// The CLI's flags that take every value up to the next flag (`--output cols=a rows=b`).
const LISTS: &[&str] = &["output", "pager", "waiter"];

/// `Tag.<N>.Key` and its kin, as the CLI's metadata lookup takes them (any N).
fn is_tag_parameter(name: &str) -> bool {
    let Some(rest) = name.strip_prefix("Tag.") else {
        return false;
    };
    match rest.rsplit_once('.') {
        Some((n, field)) => !n.is_empty() && matches!(field, "Key" | "Value" | "key" | "value"),
        None => false,
    }
}

enum Pending {
    None,
    /// A parameter waiting for its value: its name and the flag's place.
    Parameter(String, usize),
    /// A CLI flag waiting for one value.
    Flag,
    /// A CLI flag taking values up to the next flag.
    List,
}

fn cli_error(
    rule: &'static str,
    message: String,
    attribute: Option<String>,
    position: Option<Position>,
    suggestion: Option<String>,
) -> Finding {
    Finding {
        severity: Severity::Error,
        rule: rule.into(),
        status: None,
        message,
        parameter: None,
        attribute,
        position,
        suggestion,
    }
}

/// The call with the arguments `words` (after `aliyun ecs CreateSnapshot`); `at` turns a
/// byte offset of the file into its place.
pub fn call(
    address: String,
    position: Position,
    words: &[Word],
    at: &dyn Fn(usize) -> Position,
) -> DeclaredSnapshot {
    let mut declared = DeclaredSnapshot::new(address, Some(position));
    let mut seen: Vec<String> = Vec::new();
    let mut pending = Pending::None;
    let mut assign = |declared: &mut DeclaredSnapshot,
                      name: &str,
                      flag_at: usize,
                      value: Option<(String, usize)>| {
        let attribute = format!("--{name}");
        if seen.iter().any(|s| s == name) {
            declared.findings.push(cli_error(
                CLI_DUPLICATED_PARAMETER,
                format!("--{name} duplicated"),
                Some(attribute),
                Some(at(flag_at)),
                None,
            ));
            return;
        }
        seen.push(name.to_owned());
        // `--Description-FILE path`: the value is the file's content, not known here.
        let (name, from_file) = match name.strip_suffix("-FILE") {
            Some(base) => (base, true),
            None => (name, false),
        };
        match value {
            Some((text, value_at)) if !from_file => {
                declared.send(name, text, attribute, Some(at(value_at)))
            }
            Some((_, value_at)) => declared.skip(attribute, name, Some(at(value_at))),
            None => declared.skip(attribute, name, Some(at(flag_at))),
        }
    };
    for word in words {
        let flag = word
            .text
            .as_deref()
            .filter(|t| t.starts_with('-') && !t.starts_with("---") && *t != "-");
        let Some(flag) = flag else {
            // A value.
            let value = word.text.clone().map(|t| (t, word.start));
            match std::mem::replace(&mut pending, Pending::None) {
                Pending::Parameter(name, flag_at) => assign(&mut declared, &name, flag_at, value),
                Pending::List => pending = Pending::List,
                Pending::Flag | Pending::None => {}
            }
            continue;
        };
        if let Pending::Parameter(name, flag_at) = std::mem::replace(&mut pending, Pending::None) {
            // A parameter with no value before the next flag: sent empty.
            assign(
                &mut declared,
                &name,
                flag_at,
                Some((String::new(), flag_at)),
            );
        }
        let (prefix, value) = match flag.find(['=', ':']) {
            // The value's place: the offset of its first character (counted in characters).
            Some(cut) => (
                &flag[..cut],
                Some((flag[cut + 1..].to_owned(), flag[..=cut].chars().count())),
            ),
            None => (flag, None),
        };
        let value = value.filter(|(v, _)| !v.is_empty());
        let Some(name) = prefix.strip_prefix("--") else {
            // A shorthand flag (`-p profile`, `-y`, `-q`).
            if !matches!(prefix, "-y" | "-q") && value.is_none() {
                pending = Pending::Flag;
            }
            continue;
        };
        let base = name.strip_suffix("-FILE").unwrap_or(name);
        if PARAMETERS.contains(&base) || is_tag_parameter(base) {
            match value {
                Some((text, cut)) => {
                    let value_at = word.offsets.get(cut).copied().unwrap_or(word.start);
                    assign(&mut declared, name, word.start, Some((text, value_at)));
                }
                None => pending = Pending::Parameter(name.to_owned(), word.start),
            }
        } else if SWITCHES.contains(&name) {
        } else if FLAGS.contains(&name) {
            if value.is_none() {
                pending = Pending::Flag;
            }
        } else if LISTS.contains(&name) {
            pending = Pending::List;
        } else {
            let candidates = PARAMETERS
                .iter()
                .chain(SWITCHES)
                .chain(FLAGS)
                .chain(LISTS)
                .copied();
            let suggestion = did_you_mean(name, candidates).map(|s| format!("--{s}"));
            let mut message = format!(
                "'--{name}' is not a valid parameter or flag. See `aliyun help ecs CreateSnapshot`."
            );
            if let Some(s) = &suggestion {
                message.push_str(&format!(" Did you mean {s}?"));
            }
            declared.findings.push(cli_error(
                CLI_UNKNOWN_PARAMETER,
                message,
                Some(format!("--{name}")),
                Some(at(word.start)),
                suggestion,
            ));
        }
    }
    if let Pending::Parameter(name, flag_at) = pending {
        assign(
            &mut declared,
            &name,
            flag_at,
            Some((String::new(), flag_at)),
        );
    }
    let has_disk = declared.parameters.iter().any(|p| p.name == "DiskId")
        || declared.skipped.iter().any(|s| s.parameter == "DiskId");
    if !has_disk {
        declared.findings.push(cli_error(
            CLI_MISSING_PARAMETER,
            "required parameters not assigned: --DiskId".to_owned(),
            None,
            Some(position),
            None,
        ));
        // Refused before it is sent: the API's own answer to a missing DiskId is moot.
        if let Some(finding) = declared.findings.last_mut() {
            finding.parameter = Some("DiskId".to_owned());
        }
    }
    declared.tags = Some(("--Tag".to_owned(), Some(position)));
    declared
}
