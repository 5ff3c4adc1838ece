//! The command line: its subcommands, their options and their help.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::catalog::CatalogFormat;
use crate::finding::InputKind;
use crate::library;
use crate::now::parse_now;
use crate::output;
use crate::process::PROGRAM;
#[cfg(feature = "server")]
use crate::serve;

const ABOUT: &str = "Pre-flight check for Alibaba Cloud ECS CreateSnapshot requests: answers each \
request exactly as the API would, with the HTTP status, error code and message.";

const MAIN_AFTER_HELP: &str = "\
Exit status:
  0  every input is valid
  1  at least one input is refused (or warned about, with --deny-warnings)
  2  an input cannot be read or parsed, or the command line is wrong

Examples:
  ecs-snapshot-rules check request.json
  ecs-snapshot-rules check --all --format json requests/
  ecs-snapshot-rules explain InvalidSnapshotName.Malformed
  ecs-snapshot-rules catalog --format markdown

Run `ecs-snapshot-rules help <COMMAND>` for the details of each command.";

const CHECK_LONG_ABOUT: &str = "\
Check CreateSnapshot requests against every documented rule of the API: request files, and
the snapshots of infrastructure code (Terraform, Terraform plans, ROS templates, scripts that
call the aliyun CLI), each at its line with the API's exact answer.

A request file holds one request, in either of two formats, told apart by its content:
  - a JSON object whose keys are the API's parameter names, flat (\"Tag.1.Key\": \"env\") or
    as the official SDK's to_map() writes it (\"Tag\": [{\"Key\": \"env\", \"Value\": \"prod\"}]);
  - an RPC query string or URL (Action=CreateSnapshot&DiskId=d-...), which may be written
    over several lines, as the API reference prints its sample request.

Each request is judged by the stateless rules (everything the API can tell from the request
alone) and, with --world, by the state it meets (disk, instance, account, ClientTokens), and
gets the verdict the API would give: accepted, or the first refusal in the API's order (every
stateless refusal with --all). Warnings report what the API accepts silently but is
most likely a mistake: unknown parameters (with a \"did you mean\"), deprecated spellings,
and parameters that have no effect.

Infrastructure code, told apart by name, then content (or --input-format):
  terraform       .tf files: resources alicloud_ecs_snapshot and alicloud_snapshot, mapped as
                  the provider's create does; var.x known from a default, terraform.tfvars,
                  *.auto.tfvars, --var-file or a module call; other expressions not judged
  terraform-json  .tf.json files, the same resources in JSON syntax
  plan            terraform show -json output (format 1.x): created or replaced snapshots,
                  named by address; values unknown until the apply not judged
  ros             ROS templates, JSON or YAML: ALIYUN::ECS::Snapshot resources, and ROS's
                  own Timeout range (200 to 1440); Ref, Fn::* and !Ref not judged
  shell           .sh, .bash, Makefiles, CI YAML: each `aliyun ecs CreateSnapshot` call, and
                  what the CLI itself refuses (unknown or repeated parameters, no --DiskId)
A comment `# ecs-snapshot-rules:ignore CODE[, CODE]` (or `//` in HCL) on the line before a
finding or its resource silences those codes (`all`: every code).";

const CHECK_AFTER_HELP: &str = "\
Inputs:
  FILE    a file: a request, or infrastructure code of a kind above; a file of no
          recognised kind is read as a request
  DIR     every file below DIR of a supported kind, recursively, in sorted path order;
          other files are skipped and counted; .git, .terraform, node_modules and other
          names starting with '.' (but .github, .gitlab-ci.yml) are skipped, and so are
          symbolic links to directories
  -       standard input (also read when no INPUT is given)
  A request file larger than 16 MiB (any file larger than 256 MiB), one that is not UTF-8
  text, an empty request and a directory with no file in it are errors (exit status 2).

Output formats (--format):
  text   one line per finding: `PATH: Code (HTTP 400): Message`, `PATH: warning: ...`,
         or `PATH: ok`; colour only when standard output is a terminal and NO_COLOR is unset
  json   one JSON object per input, one per line, in input order:
         {\"Input\": \"PATH\", \"Valid\": false, \"HttpStatus\": 400,
          \"Code\": \"InvalidSnapshotName.Malformed\",
          \"Message\": \"The specified SnapshotName is wrongly formed.\",
          \"Parameter\": \"SnapshotName\", \"Violations\": [...], \"Warnings\": [...]}
         A valid request has \"Valid\": true and no HttpStatus, Code, Message or Parameter.
         Violations holds every refusal with --all, else just the first. An input that
         cannot be read or parsed has \"Valid\": false and \"Error\" (with \"Line\" and
         \"Column\" for a JSON syntax error) and empty lists. At most 1000 violations and
         1000 warnings are listed an input; \"Omitted\" counts the rest.
  sarif  one SARIF 2.1.0 log for all inputs: one result per refusal (level error) and per
         warning (level warning), ruleId the API's error code, at its line and column,
         with partialFingerprints, for code-scanning dashboards
  github GitHub Actions workflow commands: ::error file=F,line=L,col=C,title=CODE::MESSAGE
  junit  JUnit XML: one test case per judged resource, failed when refused
  checkstyle  Checkstyle XML: one error element per finding
  A resource of infrastructure code is written as
    PATH:LINE:COL: ADDRESS: attribute (Parameter): Code (HTTP 400): Message
  and in json as one object per resource, with Address, Line, Column and Skipped.
  The full reference is docs/CLI.md in the source.

An input that cannot be read or parsed (missing, not UTF-8, bad JSON) is reported on
standard error as `PATH: error: ...` (and, in json and sarif, in the output too); the other
inputs are still checked.

The world (--world FILE), JSON; every field may be left out (defaults describe an ordinary
resource in service) and an unknown field is an error:
  {\"account\": {\"snapshot_service_activated\": true, \"enough_balance\": true,
               \"used_local_snapshots_before_2020_12_14\": false},
   \"instances\": {\"i-1\": {\"status\": \"Running\", \"ever_started\": true,
                          \"created_at\": \"2026-11-27T08:00:00Z\", \"system_disk_replaced_at\": null,
                          \"operation_locks\": [{\"lock_reason\": \"security\"}]}},
   \"disks\": {\"d-1\": {\"category\": \"cloud_essd\", \"status\": \"In_use\", \"instance_id\": \"i-1\",
                      \"ready_for_snapshot_at\": \"2026-11-27T09:00:00Z\", \"manual_snapshot_count\": 3,
                      \"creating_snapshot_id\": null, \"in_arrears\": false, \"transferring\": false,
                      \"status_invalid\": false, \"ever_attached\": true, \"ever_used\": true,
                      \"expires_at\": null, \"release_at\": null,
                      \"encryption\": {\"kms_key_id\": \"key-1\", \"ecs_authorized\": true}}},
   \"volumes\": {\"v-1\": {\"status\": \"In_use\"}},
   \"resource_groups\": [\"rg-1\"],
   \"client_tokens\": {\"t-1\": {\"request\": \"DiskId=d-1\", \"snapshot_id\": \"s-1\"}},
   \"fault\": null}
  The full reference, with each field's effect and the order of the checks, is
  docs/STATEFUL.md in the source; `ecs-snapshot-rules explain CODE` says what gives a code.

Exit status:
  0  every input is valid
  1  at least one input is refused (or, with --deny-warnings, has a warning)
  2  an input cannot be read or parsed, or the command line is wrong (this wins over 1)

Examples:
  ecs-snapshot-rules check request.txt
  echo 'DiskId=d-1&SnapshotName=auto1' | ecs-snapshot-rules check
  ecs-snapshot-rules check --all --format json requests/ > verdicts.jsonl
  ecs-snapshot-rules check --format sarif --deny-warnings requests/ > snapshot-rules.sarif
  ecs-snapshot-rules check --world world.json --now 2026-11-27T12:00:00Z request.txt
  ecs-snapshot-rules check infra/
  ecs-snapshot-rules check --format sarif --var-file prod.tfvars terraform/ > results.sarif
  terraform show -json plan.out | ecs-snapshot-rules check --input-format plan";

const EXPLAIN_LONG_ABOUT: &str = "\
Explain an error code of the CreateSnapshot API: its HTTP status, message, when it happens,
how to fix it, and where it is documented.

CODE is spelled as the API spells it, e.g. InvalidSnapshotName.Malformed. InternalError and
InvalidAccountStatus.NotEnoughBalance have two rows in the API reference (two messages); both
are shown. Status and message are the current reference's; where it changed them, the
earlier revision's are shown too.";

const EXPLAIN_AFTER_HELP: &str = "\
Exit status:
  0  the code is in the catalogue
  2  it is not (the closest codes are suggested), or the command line is wrong

Examples:
  ecs-snapshot-rules explain InvalidSnapshotName.Malformed
  ecs-snapshot-rules explain InternalError";

const CATALOG_LONG_ABOUT: &str = "\
Print the whole error catalogue of CreateSnapshot: every row of the API reference's error
tables (the earlier revision's in its order, then the codes the SUPPLEMENT adds, then the
rows only the current revision has), each with its HTTP status, code,
message, when it happens, how to fix it, where it is documented, and whether the request
alone, the state it meets, or only a server can produce it.";

const CATALOG_AFTER_HELP: &str = "\
Formats (--format):
  markdown  a Markdown table (the default)
  json      a JSON array of objects with the fields HttpStatus, Code, Message,
            Description, HowToFix, Source (the first document to list it:
            \"CreateSnapshot.md\", \"SUPPLEMENT.md\" or \"CURRENT.md\"), SpecRow (for
            rows of CreateSnapshot.md), CurrentRow (for rows of the current reference,
            CURRENT.md), Earlier (for a row the current reference changed: the earlier
            Document, HttpStatus and Message) and Scope (Request, State or Server)

Exit status:
  0  printed
  2  the command line is wrong

Examples:
  ecs-snapshot-rules catalog --format markdown > ERRORS.md
  ecs-snapshot-rules catalog --format json | jq -r '.[].Code'";

#[cfg(feature = "server")]
const SERVE_LONG_ABOUT: &str = "\
Serve CreateSnapshot on a local HTTP endpoint, the RPC wire format of the real API (GET or
POST /, query string or form body, Format=JSON or XML), answered by a simulated region: the
same rules, statuses, codes, messages and envelopes as the API. Point an official SDK at it
with endpoint 127.0.0.1:PORT and protocol http.

Every other action gets InvalidAction.NotFound. A control API under /_emulator/ loads facts,
moves the region's clock, finishes or fails snapshots, reads the state and resets it (see
docs/EMULATOR.md). The region's clock stands still unless the control API moves it; the
signature check (with --credentials) uses the machine's clock.

Clients are held to bounds (timeouts, a cap on connections, a bound on calls in flight), and
faults can be injected to test clients' retries: by the flags below or by
/_emulator/faults, drawn from --seed.";

#[cfg(feature = "server")]
const SERVE_AFTER_HELP: &str = "\
The first line on standard output is `listening on http://ADDR` (with the real port when
--listen names port 0). Ctrl-C or SIGTERM stops the server gracefully.

Examples:
  ecs-snapshot-rules serve
  ecs-snapshot-rules serve --listen 127.0.0.1:0 --world examples/world.json
  ecs-snapshot-rules serve --credentials keys.json --latency-ms 50
  ecs-snapshot-rules serve --rate-limit 10/1 --fault-service-unavailable 0.05 --seed 7";

#[derive(Parser)]
#[command(
    name = PROGRAM,
    version,
    about = ABOUT,
    after_help = MAIN_AFTER_HELP,
    propagate_version = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Check CreateSnapshot requests against every documented rule of the API.
    #[command(long_about = CHECK_LONG_ABOUT, after_help = CHECK_AFTER_HELP)]
    Check(CheckArgs),
    /// Explain an error code: status, message, when it happens and how to fix it.
    #[command(long_about = EXPLAIN_LONG_ABOUT, after_help = EXPLAIN_AFTER_HELP)]
    Explain(ExplainArgs),
    /// Print the whole error catalogue as JSON or Markdown.
    #[command(long_about = CATALOG_LONG_ABOUT, after_help = CATALOG_AFTER_HELP)]
    Catalog(CatalogArgs),
    /// Serve CreateSnapshot on a local HTTP endpoint that the official SDKs can call.
    #[cfg(feature = "server")]
    #[command(long_about = SERVE_LONG_ABOUT, after_help = SERVE_AFTER_HELP)]
    Serve(serve::ServeArgs),
}

/// The options of `check`.
#[derive(Args)]
pub struct CheckArgs {
    /// The facts (account, disks, instances, volumes, resource groups, ClientTokens seen) the
    /// requests meet, as JSON (see docs/STATEFUL.md); without it only the stateless rules run.
    #[arg(long, value_name = "FILE")]
    pub world: Option<PathBuf>,

    /// The clock for the time-based rules of --world (which it needs), as RFC 3339 (e.g.
    /// 2026-01-31T12:00:00Z); default: the current time.
    #[arg(long, value_name = "RFC3339", value_parser = parse_now, requires = "world")]
    pub now: Option<library::Timestamp>,

    /// Report every refusal of each request, not only the first (the API's answer).
    #[arg(long)]
    pub all: bool,

    /// Output format.
    #[arg(long, value_enum, default_value_t = output::Format::Text, value_name = "FORMAT")]
    pub format: output::Format,

    /// Treat warnings as refusals for the exit status (1 instead of 0).
    #[arg(long)]
    pub deny_warnings: bool,

    /// The kind of every input, instead of telling it by name and content.
    #[arg(long, value_enum, value_name = "KIND")]
    pub input_format: Option<InputKind>,

    /// Terraform variable values (HCL, or JSON for a name ending .json), for the root
    /// modules, after terraform.tfvars and *.auto.tfvars; may be given more than once.
    #[arg(long = "var-file", value_name = "FILE")]
    pub var_files: Vec<PathBuf>,

    /// Text: also name each resource without findings, the parameters not judged (their
    /// values are not known before the apply) and the findings suppressed.
    #[arg(long, short)]
    pub verbose: bool,

    /// Request files, infrastructure code, directories of them, or `-` for standard input
    /// [default: -].
    #[arg(value_name = "INPUT")]
    pub inputs: Vec<OsString>,
}

/// The options of `explain`.
#[derive(Args)]
pub struct ExplainArgs {
    /// An error code as the API spells it, e.g. InvalidSnapshotName.Malformed.
    #[arg(value_name = "CODE")]
    pub code: String,
}

/// The options of `catalog`.
#[derive(Args)]
pub struct CatalogArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = CatalogFormat::Markdown, value_name = "FORMAT")]
    pub format: CatalogFormat,
}
