//! The aliyun CLI's reading of `aliyun ecs CreateSnapshot` arguments (its `cli/parser.go`
//! and `openapi/rpc.go`): `--Name value`, `--Name=value` and `--Name:value` (split at the
//! first `=` or `:`); a flag with an empty value after `=` takes the next word. A name
//! that is neither a parameter of CreateSnapshot nor a flag of the CLI is refused, and so
//! is a parameter given twice and a call without `--DiskId`: those are the CLI's own
//! refusals, reported beside the API's answer to the rest.
//!
//! The CLI's plugin mode (CLI 3.3 and later, `aliyun ecs create-snapshot --disk-id d-1`)
//! names the API and its parameters in kebab case and `RegionId` `--biz-region-id`. Its
//! parameters are read by the same names (`--snapshot-name` is `SnapshotName`); its tags
//! (`--tag`), whose shape on the command line is not documented here, and flags of other
//! names are not judged rather than refused (D296).

use std::collections::HashSet;

use super::word::Word;
use super::DeclaredSnapshot;
use crate::finding::{Finding, Position};
use crate::library::{did_you_mean, Parameter, TagField};
use crate::tool_rules::{CLI_DUPLICATED_PARAMETER, CLI_MISSING_PARAMETER, CLI_UNKNOWN_PARAMETER};

/// The common parameters that CreateSnapshot's metadata lists beside the API's own: the
/// owner parameters (the CLI takes the others, `RegionId` among them, as its own flags).
const OWNER_PARAMETERS: &[&str] = &[
    "OwnerId",
    "OwnerAccount",
    "ResourceOwnerId",
    "ResourceOwnerAccount",
];

/// CreateSnapshot's parameters in the API's metadata, but for the tags (`Tag.N.Key`,
/// `Tag.N.Value` and their deprecated lower-case spellings, any N): the library's table, then
/// the owner parameters.
fn parameters() -> impl Iterator<Item = &'static str> + Clone {
    Parameter::ALL
        .iter()
        .filter(|parameter| !parameter.is_tag())
        .map(|parameter| parameter.name())
        .chain(OWNER_PARAMETERS.iter().copied())
}

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

/// How the call names the API and its parameters.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Style {
    /// `aliyun ecs CreateSnapshot --DiskId d-1`: the API's own names.
    Api,
    /// `aliyun ecs create-snapshot --disk-id d-1`: the plugin mode's kebab case.
    Plugin,
}

/// A name of the API (`InstantAccessRetentionDays`) in kebab case
/// (`instant-access-retention-days`), as the plugin mode writes it.
fn kebab(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('-');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// The API name of a plugin-mode parameter flag (`snapshot-name`: `SnapshotName`).
fn plugin_parameter(name: &str) -> Option<&'static str> {
    parameters().find(|parameter| kebab(parameter) == name)
}

/// `Tag.<N>.Key` and its kin, as the CLI's metadata lookup takes them (any N).
fn is_tag_parameter(name: &str) -> bool {
    let Some(rest) = name.strip_prefix("Tag.") else {
        return false;
    };
    match rest.rsplit_once('.') {
        Some((n, field)) => !n.is_empty() && TagField::from_word(field).is_some(),
        None => false,
    }
}

enum Pending {
    None,
    /// A parameter waiting for its value: its name and the flag's place.
    Parameter(String, usize),
    /// A CLI flag (or a flag of no known name) waiting for one value.
    Flag,
    /// A CLI flag taking values up to the next flag.
    List,
}

/// A parameter's value as the CLI receives it.
struct FlagValue {
    /// Its text; `None` when it holds an expansion.
    text: Option<String>,
    /// Its byte offset in the file.
    at: usize,
    /// The text before its first expansion (all of it when known).
    start: String,
}

impl FlagValue {
    /// The value of the word `word`, all of it.
    fn of(word: &Word) -> FlagValue {
        FlagValue {
            text: word.text.clone(),
            at: word.start,
            start: word.literal.clone(),
        }
    }
}

/// A flag word: its name (after `--`, up to the first `=` or `:`), and its value in the same
/// word, if any.
struct Flag<'w> {
    name: &'w str,
    /// The value after `=` or `:`.
    value: Option<FlagValue>,
    /// The name itself holds an expansion (`--$NAME`, `--Disk${X}`).
    name_unknown: bool,
}

/// The word as a flag (`--Name`, `--Name=value`, `--Name:value`), read from its literal
/// start when the rest is not known; `None` for a value or a shorthand flag.
fn flag(word: &Word) -> Option<Flag<'_>> {
    let literal = word.literal.as_str();
    let rest = literal.strip_prefix("--").filter(|r| !r.starts_with('-'))?;
    let known = word.text.is_some();
    match rest.find(['=', ':']) {
        Some(cut) => {
            // The value starts after the separator (one byte in the file); `offsets` has
            // one entry per character.
            let separator = literal[.."--".len() + cut].chars().count();
            let value_at = word
                .offsets
                .get(separator)
                .map_or(word.start, |&offset| offset + 1);
            let start = rest[cut + 1..].to_owned();
            let text = known.then(|| start.clone());
            let value = match &text {
                Some(t) if t.is_empty() => None,
                _ => Some(FlagValue {
                    text,
                    at: value_at,
                    start,
                }),
            };
            Some(Flag {
                name: &rest[..cut],
                value,
                name_unknown: false,
            })
        }
        None if known => Some(Flag {
            name: rest,
            value: None,
            name_unknown: false,
        }),
        None => Some(Flag {
            name: rest,
            value: None,
            name_unknown: true,
        }),
    }
}

/// The call `aliyun ARGS...` with `words` its arguments, or `None` when it is not
/// `ecs CreateSnapshot`: the first two arguments that are neither flags nor flags' values
/// name the product (any letter case) and the API. `at` turns a byte offset of the file
/// into its place; `position` is where the call starts.
pub fn call(
    address: String,
    position: Position,
    words: &[Word],
    at: &dyn Fn(usize) -> Position,
) -> Option<DeclaredSnapshot> {
    // The plugin mode's name for the API decides which reading is tried first: a call is
    // read once, but for one that merely holds the word as a value.
    let plugin = words
        .iter()
        .any(|w| w.text.as_deref() == Some("create-snapshot"));
    let plugin_address = || address.replacen("CreateSnapshot", "create-snapshot", 1);
    if plugin {
        read(plugin_address(), position, words, at, Style::Plugin)
            .or_else(|| read(address.clone(), position, words, at, Style::Api))
    } else {
        read(address, position, words, at, Style::Api)
    }
}

/// The call read in one `style`, or `None` when it does not name CreateSnapshot so.
fn read(
    address: String,
    position: Position,
    words: &[Word],
    at: &dyn Fn(usize) -> Position,
    style: Style,
) -> Option<DeclaredSnapshot> {
    let mut declared = DeclaredSnapshot::new(address, Some(position));
    let mut seen: HashSet<String> = HashSet::new();
    let mut positionals: Vec<Option<&str>> = Vec::new();
    // A word that may expand to flags, or a flag of unknown name: a missing --DiskId is
    // then not known.
    let mut unknown_flags = false;
    let mut pending = Pending::None;
    // A parameter flag with no value: sent empty by the CLI; in the plugin mode, whose
    // switches may stand alone (`--instant-access`), not known.
    let no_value = |flag_at: usize| match style {
        Style::Api => Some(FlagValue {
            text: Some(String::new()),
            at: flag_at,
            start: String::new(),
        }),
        Style::Plugin => None,
    };
    let mut assign = |declared: &mut DeclaredSnapshot,
                      flag_name: &str,
                      flag_at: usize,
                      value: Option<FlagValue>| {
        let attribute = format!("--{flag_name}");
        // The API's name of the parameter: as written, or the plugin mode's kebab case.
        let name = match style {
            Style::Plugin => plugin_parameter(flag_name).unwrap_or(flag_name),
            Style::Api => flag_name,
        };
        if !seen.insert(name.to_owned()) {
            declared.findings.push(CLI_DUPLICATED_PARAMETER.finding(
                format!("--{flag_name} duplicated"),
                Some(&attribute),
                None,
                Some(at(flag_at)),
            ));
            return;
        }
        // `--Description-FILE path`: the value is the file's content, not known here.
        let (name, from_file) = match name.strip_suffix("-FILE") {
            Some(base) => (base, true),
            None => (name, false),
        };
        match value {
            Some(FlagValue {
                text: Some(text),
                at: value_at,
                ..
            }) if !from_file => declared.send(name, text, attribute, Some(at(value_at))),
            Some(FlagValue {
                at: value_at,
                start,
                ..
            }) if !from_file => {
                declared.skip_known_start(attribute, name, start, Some(at(value_at)))
            }
            Some(FlagValue { at: value_at, .. }) => {
                declared.skip(attribute, name, Some(at(value_at)))
            }
            None => declared.skip(attribute, name, Some(at(flag_at))),
        }
    };
    for word in words {
        let Some(flag) = flag(word) else {
            let shorthand = word.literal.starts_with('-') && word.literal != "-";
            if shorthand && !word.literal.starts_with("--") {
                // `-h` prints the usage and sends nothing (but as a parameter's value).
                if word.text.as_deref() == Some("-h") && matches!(pending, Pending::None) {
                    return None;
                }
                // A shorthand flag (`-p profile`, `-y`, `-q`).
                if let Pending::Parameter(name, flag_at) =
                    std::mem::replace(&mut pending, Pending::None)
                {
                    assign(&mut declared, &name, flag_at, no_value(flag_at));
                }
                let bare = word.text.as_deref().is_some_and(|t| t.len() == 2);
                if bare && !matches!(word.text.as_deref(), Some("-y" | "-q")) {
                    pending = Pending::Flag;
                }
                continue;
            }
            // A value.
            match std::mem::replace(&mut pending, Pending::None) {
                Pending::Parameter(name, flag_at) => {
                    assign(&mut declared, &name, flag_at, Some(FlagValue::of(word)))
                }
                Pending::List => pending = Pending::List,
                Pending::Flag => {}
                Pending::None if word.text.is_none() && word.splits => {
                    // `$ARGS`: the shell may make flags of it, of names not known here.
                    declared.skip(&word.raw, "", Some(at(word.start)));
                    unknown_flags = true;
                }
                Pending::None => positionals.push(word.text.as_deref()),
            }
            continue;
        };
        if let Pending::Parameter(name, flag_at) = std::mem::replace(&mut pending, Pending::None) {
            // A parameter with no value before the next flag: sent empty.
            assign(&mut declared, &name, flag_at, no_value(flag_at));
        }
        let name = flag.name;
        // `--help` prints the usage and sends nothing.
        if name == "help" && !flag.name_unknown {
            return None;
        }
        if flag.name_unknown {
            declared.skip(&word.raw, "", Some(at(word.start)));
            unknown_flags = true;
            pending = Pending::Flag;
            continue;
        }
        let base = name.strip_suffix("-FILE").unwrap_or(name);
        let is_parameter = match style {
            Style::Api => parameters().any(|parameter| parameter == base) || is_tag_parameter(base),
            Style::Plugin => plugin_parameter(name).is_some(),
        };
        if is_parameter {
            match flag.value {
                Some(value) => assign(&mut declared, name, word.start, Some(value)),
                None => pending = Pending::Parameter(name.to_owned(), word.start),
            }
        } else if SWITCHES.contains(&name) {
        } else if FLAGS.contains(&name) {
            if flag.value.is_none() {
                pending = Pending::Flag;
            }
        } else if LISTS.contains(&name) {
            pending = Pending::List;
        } else if style == Style::Plugin {
            // `--tag ...`, `--biz-region-id`, or a flag of the plugin not known here: its
            // values are not judged, and not refused. A flag of another name (`--DiskId`)
            // may be one the plugin takes: named as not judged, and a missing `--disk-id`
            // is then not known.
            if name == "tag" {
                declared.skip(format!("--{name}"), "Tag", Some(at(word.start)));
                pending = Pending::List;
                continue;
            }
            if name != "biz-region-id" {
                declared.skip(&word.raw, "", Some(at(word.start)));
                unknown_flags = true;
            }
            if flag.value.is_none() {
                pending = Pending::Flag;
            }
        } else {
            let candidates = parameters()
                .chain(SWITCHES.iter().copied())
                .chain(FLAGS.iter().copied())
                .chain(LISTS.iter().copied());
            let suggestion = did_you_mean(name, candidates).map(|s| format!("--{s}"));
            let mut message = format!(
                "'--{name}' is not a valid parameter or flag. See `aliyun help ecs CreateSnapshot`."
            );
            if let Some(s) = &suggestion {
                message.push_str(&format!(" Did you mean {s}?"));
            }
            declared.findings.push(Finding {
                suggestion,
                ..CLI_UNKNOWN_PARAMETER.finding(
                    message,
                    Some(&format!("--{name}")),
                    None,
                    Some(at(word.start)),
                )
            });
            // The CLI gives a flag it does not know the next word as its value.
            if flag.value.is_none() {
                pending = Pending::Flag;
            }
        }
    }
    let api = match style {
        Style::Api => "CreateSnapshot",
        Style::Plugin => "create-snapshot",
    };
    let is_create_snapshot = matches!(
        positionals.as_slice(),
        [Some(product), Some(called), ..] if product.eq_ignore_ascii_case("ecs") && *called == api
    );
    if !is_create_snapshot {
        return None;
    }
    if let Pending::Parameter(name, flag_at) = pending {
        assign(&mut declared, &name, flag_at, no_value(flag_at));
    }
    let has_disk = declared.parameters.iter().any(|p| p.name == "DiskId")
        || declared.skipped.iter().any(|s| s.parameter == "DiskId");
    // The plugin's own refusal of a missing `--disk-id` is not documented here: the API's
    // answer stands.
    if !has_disk && !unknown_flags && style == Style::Api {
        // Refused before it is sent: the API's own answer to a missing DiskId is moot.
        declared.findings.push(CLI_MISSING_PARAMETER.finding(
            "required parameters not assigned: --DiskId".to_owned(),
            None,
            Some("DiskId"),
            Some(position),
        ));
    }
    let tags = match style {
        Style::Api => "--Tag",
        Style::Plugin => "--tag",
    };
    declared.tags = Some((tags.to_owned(), Some(position)));
    Some(declared)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(text: &str, start: usize) -> Word {
        Word {
            text: Some(text.to_owned()),
            literal: text.to_owned(),
            start,
            end: start + text.len(),
            raw: text.to_owned(),
            offsets: text.char_indices().map(|(i, _)| start + i).collect(),
            splits: false,
        }
    }

    /// Words separated by one space, each at its offset.
    fn words(line: &str) -> Vec<Word> {
        let mut offset = 0;
        line.split(' ')
            .map(|text| {
                let w = word(text, offset);
                offset += text.len() + 1;
                w
            })
            .collect()
    }

    /// The call `aliyun LINE`, its words one space apart, each place on line 1.
    fn call_line(line: &str) -> Option<DeclaredSnapshot> {
        call("c".into(), Position::new(1, 1), &words(line), &|offset| {
            Position::new(1, offset + 1)
        })
    }

    #[test]
    fn flags_may_come_before_the_product_and_an_unknown_flag_takes_a_value() {
        let found =
            call_line("--region cn-hangzhou --Foo bar ecs CreateSnapshot --DiskId=d-1").unwrap();
        let rules: Vec<&str> = found.findings.iter().map(|f| &*f.rule).collect();
        assert_eq!(rules, [CLI_UNKNOWN_PARAMETER.id]);
        assert_eq!(found.findings[0].position, Some(Position::new(1, 22)));
        assert_eq!(found.parameters[0].value, "d-1");
        assert_eq!(found.parameters[0].position, Some(Position::new(1, 60)));
        // `ecs` is the unknown flag's value: the product is then `CreateSnapshot`.
        let other = call_line("--Foo ecs CreateSnapshot --DiskId d-1");
        assert!(other.is_none());
        let other = call_line("ecs DescribeSnapshots --DiskId d-1");
        assert!(other.is_none());
    }

    /// The CLI's metadata is the API's: every parameter of the library's table, the owner
    /// parameters and the tags are passed on as they are; nothing else of the API's is.
    #[test]
    fn every_parameter_of_the_table_is_passed_on() {
        let mut line = "ecs CreateSnapshot".to_owned();
        let mut names: Vec<&str> = Parameter::ALL
            .iter()
            .filter(|p| !p.is_tag())
            .map(|p| p.name())
            .collect();
        names.extend(["OwnerId", "Tag.1.Key", "Tag.1.value"]);
        for name in &names {
            line.push_str(&format!(" --{name} v"));
        }
        let found = call_line(&line).unwrap();
        assert_eq!(found.findings.len(), 0, "{:?}", found.findings);
        let passed: Vec<&str> = found.parameters.iter().map(|p| &*p.name).collect();
        assert_eq!(passed, names);

        let found = call_line("ecs CreateSnapshot --DiskId d-1 --Signature x").unwrap();
        let rules: Vec<&str> = found.findings.iter().map(|f| &*f.rule).collect();
        assert_eq!(rules, [CLI_UNKNOWN_PARAMETER.id]);
        assert_eq!(
            found.findings[0].message,
            "'--Signature' is not a valid parameter or flag. See `aliyun help ecs CreateSnapshot`."
        );
    }

    /// The plugin mode names every parameter of the table in kebab case; its tags, its
    /// `--biz-region-id`, a parameter flag standing alone and flags of other names are not
    /// judged, and nothing is refused by the CLI's rules (D296).
    #[test]
    fn the_plugin_mode_is_read_by_its_kebab_case_names() {
        assert_eq!(
            kebab("InstantAccessRetentionDays"),
            "instant-access-retention-days"
        );
        assert_eq!(kebab("DiskId"), "disk-id");
        let place = |offset: usize| Position::new(1, offset + 1);
        let mut line = "ecs create-snapshot --biz-region-id cn-hangzhou".to_owned();
        let names: Vec<&str> = Parameter::ALL
            .iter()
            .filter(|p| !p.is_tag())
            .map(|p| p.name())
            .collect();
        for name in &names {
            line.push_str(&format!(" --{} v", kebab(name)));
        }
        line.push_str(" --tag Key=k Value=v --owner-id 1 --plugin-flag x");
        let found = call(
            "aliyun ecs CreateSnapshot #1".into(),
            Position::new(1, 1),
            &words(&line),
            &place,
        )
        .unwrap();
        assert_eq!(found.address, "aliyun ecs create-snapshot #1");
        assert_eq!(found.findings.len(), 0, "{:?}", found.findings);
        let passed: Vec<&str> = found.parameters.iter().map(|p| &*p.name).collect();
        let mut expected = names.clone();
        expected.push("OwnerId");
        assert_eq!(passed, expected);
        let attributes: Vec<&str> = found.parameters.iter().map(|p| &*p.attribute).collect();
        assert_eq!(attributes[..2], ["--disk-id", "--snapshot-name"]);
        let skipped: Vec<(&str, &str)> = found
            .skipped
            .iter()
            .map(|s| (&*s.attribute, &*s.parameter))
            .collect();
        // A flag of another name may be one the plugin takes: named, not refused.
        assert_eq!(skipped, [("--tag", "Tag"), ("--plugin-flag", "")]);
        assert_eq!(found.tags.as_ref().map(|t| &*t.0), Some("--tag"));

        let found = call_line("ecs create-snapshot --instant-access --disk-id a").unwrap();
        let skipped: Vec<&str> = found.skipped.iter().map(|s| &*s.parameter).collect();
        assert_eq!(skipped, ["InstantAccess"]);
        assert_eq!(found.parameters.len(), 1);

        // Without --disk-id the API's answer stands; a parameter twice is refused.
        let found = call_line("ecs create-snapshot --disk-id a --disk-id b").unwrap();
        let messages: Vec<&str> = found.findings.iter().map(|f| &*f.message).collect();
        assert_eq!(messages, ["--disk-id duplicated"]);
        let found = call_line("ecs create-snapshot --snapshot-name a").unwrap();
        assert!(found.findings.is_empty());
        // A flag of another name may carry the disk: a missing --disk-id is then not
        // known; `--help` and `-h` send nothing.
        let found = call_line("ecs create-snapshot --DiskId d-1").unwrap();
        assert!(found.findings.is_empty());
        assert_eq!(found.skipped.len(), 1);
        // `-h` as a parameter's value is a value.
        let found = call_line("ecs CreateSnapshot --DiskId d-1 --Description -h");
        assert!(found.is_some());
        for help in ["--help", "-h"] {
            let line = format!("ecs create-snapshot --disk-id d-1 {help}");
            assert!(call_line(&line).is_none());
            let line = format!("ecs CreateSnapshot {help}");
            assert!(call_line(&line).is_none());
        }
        // The API's names are not the plugin's, and the plugin's not the API's.
        assert!(call_line("ecs describe-snapshots --disk-id a").is_none());
        let found = call_line("ecs CreateSnapshot --disk-id a").unwrap();
        let rules: Vec<&str> = found.findings.iter().map(|f| &*f.rule).collect();
        assert_eq!(rules, [CLI_UNKNOWN_PARAMETER.id, CLI_MISSING_PARAMETER.id]);
    }
}
