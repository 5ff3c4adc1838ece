//! `ecs-snapshot-rules`: a pre-flight check for Alibaba Cloud ECS CreateSnapshot requests.
//!
//! `check` answers each request file as the API would (accepted, or refused with the exact
//! HTTP status, error code and message), `explain` shows one error code of the catalogue, and
//! `catalog` prints all of them. The command-line contract is in the README.

#![forbid(unsafe_code)]

/// Writes a line to standard error; a standard error that cannot be written to is ignored
/// (unlike `eprintln!`, which would panic).
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}
pub(crate) use say;

mod catalog;
mod check;
mod inputs;
mod report;
#[cfg(feature = "server")]
mod serve;
mod world_file;

use std::ffi::OsString;
use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Exit status: every input is valid (or the subcommand succeeded).
pub const EXIT_OK: u8 = 0;
/// Exit status: at least one input is refused (or warned about, with `--deny-warnings`).
pub const EXIT_REFUSED: u8 = 1;
/// Exit status: an input could not be read or parsed, or the command line is wrong.
pub const EXIT_ERROR: u8 = 2;

/// The program's name, as it prefixes its own error messages.
pub const PROGRAM: &str = "ecs-snapshot-rules";

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
Check CreateSnapshot requests against every documented rule of the API.

Each INPUT holds one request, in either of two formats, told apart by its content:
  - a JSON object whose keys are the API's parameter names, flat (\"Tag.1.Key\": \"env\") or
    as the official SDK's to_map() writes it (\"Tag\": [{\"Key\": \"env\", \"Value\": \"prod\"}]);
  - an RPC query string or URL (Action=CreateSnapshot&DiskId=d-...), which may be written
    over several lines, as the API reference prints its sample request.

Each request is judged by the stateless rules (everything the API can tell from the request
alone) and, with --world, by the state it meets (disk, instance, account, ClientTokens), and
gets the verdict the API would give: accepted, or the first refusal in the API's order (every
stateless refusal with --all). Warnings report what the API accepts silently but is
most likely a mistake: unknown parameters (with a \"did you mean\"), deprecated spellings,
and parameters that have no effect.";

const CHECK_AFTER_HELP: &str = "\
Inputs:
  FILE    a file holding one request
  DIR     every regular file below DIR, recursively, in sorted path order; names that
          start with '.' are skipped, and so are symbolic links to directories
  -       standard input (also read when no INPUT is given)
  A file larger than 16 MiB, one that is not UTF-8 text, an empty one and a directory with
  no file in it are errors (exit status 2).

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
         warning (level warning), ruleId the API's error code, for code-scanning dashboards

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
  ecs-snapshot-rules check --world world.json --now 2026-11-27T12:00:00Z request.txt";

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
signature check (with --credentials) uses the machine's clock.";

#[cfg(feature = "server")]
const SERVE_AFTER_HELP: &str = "\
The first line on standard output is `listening on http://ADDR` (with the real port when
--listen names port 0). Ctrl-C or SIGTERM stops the server gracefully.

Examples:
  ecs-snapshot-rules serve
  ecs-snapshot-rules serve --listen 127.0.0.1:0 --world examples/world.json
  ecs-snapshot-rules serve --credentials keys.json --latency-ms 50";

#[derive(Parser)]
#[command(
    name = PROGRAM,
    version,
    about = ABOUT,
    after_help = MAIN_AFTER_HELP,
    propagate_version = true
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
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
    pub now: Option<ecs_snapshot_rules::Timestamp>,

    /// Report every refusal of each request, not only the first (the API's answer).
    #[arg(long)]
    pub all: bool,

    /// Output format.
    #[arg(long, value_enum, default_value_t = CheckFormat::Text, value_name = "FORMAT")]
    pub format: CheckFormat,

    /// Treat warnings as refusals for the exit status (1 instead of 0).
    #[arg(long)]
    pub deny_warnings: bool,

    /// Request files, directories of them, or `-` for standard input [default: -].
    #[arg(value_name = "INPUT")]
    pub inputs: Vec<OsString>,
}

/// The output formats of `check`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// One readable line per finding.
    Text,
    /// One JSON object per input, one per line.
    Json,
    /// A SARIF 2.1.0 log, for code-scanning dashboards.
    Sarif,
}

/// The options of `explain`.
#[derive(Args)]
struct ExplainArgs {
    /// An error code as the API spells it, e.g. InvalidSnapshotName.Malformed.
    #[arg(value_name = "CODE")]
    code: String,
}

/// The options of `catalog`.
#[derive(Args)]
struct CatalogArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = CatalogFormat::Markdown, value_name = "FORMAT")]
    format: CatalogFormat,
}

/// The output formats of `catalog`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CatalogFormat {
    /// A JSON array of catalogue rows.
    Json,
    /// A Markdown table.
    Markdown,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let stdout = io::stdout();
    let colour = stdout.is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let mut out = io::BufWriter::new(stdout.lock());
    let status = match cli.command {
        Command::Check(args) => check::run(&args, &mut out, colour),
        Command::Explain(args) => catalog::explain(&args.code, &mut out),
        Command::Catalog(args) => catalog::catalog(args.format, &mut out),
        #[cfg(feature = "server")]
        Command::Serve(args) => Ok(serve::run(&args)),
    };
    let status = match status.and_then(|status| out.flush().map(|()| status)) {
        Ok(status) => status,
        // The reader went away (`| head`): nothing more to say, and not a success.
        Err(error) if error.kind() == io::ErrorKind::BrokenPipe => EXIT_ERROR,
        Err(error) => {
            drop(out);
            let _ = writeln!(
                io::stderr(),
                "{PROGRAM}: error: cannot write the output: {error}"
            );
            EXIT_ERROR
        }
    };
    ExitCode::from(status)
}

/// `--now`: an RFC 3339 timestamp, read by the library's own reader.
pub(crate) fn parse_now(text: &str) -> Result<ecs_snapshot_rules::Timestamp, String> {
    text.parse()
        .map_err(|e: ecs_snapshot_rules::state::TimestampError| e.to_string())
}
