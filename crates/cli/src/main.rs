//! `ecs-snapshot-rules`: a pre-flight check for Alibaba Cloud ECS CreateSnapshot requests.
//!
//! `check` answers each request file as the API would (accepted, or refused with the exact
//! HTTP status, error code and message), `explain` shows one error code of the catalogue, and
//! `catalog` prints all of them. `check` also reads infrastructure code: Terraform
//! configurations and plans, ROS templates and shell scripts that call the aliyun CLI. The
//! command-line contract is in docs/CLI.md.

#![forbid(unsafe_code)]

mod args;
mod catalog;
mod check;
mod finding;
mod infra;
mod library;
mod now;
mod output;
mod process;
#[cfg(feature = "server")]
mod serve;
mod tool_rules;
mod world_file;

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;

use args::{Cli, Command};
use process::{EXIT_ERROR, PROGRAM};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let stdout = io::stdout();
    let colour = stdout.is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let mut out = io::BufWriter::new(stdout.lock());
    let status = match cli.command {
        Command::Check(args) => {
            let style = output::Style {
                colour,
                verbose: args.verbose,
            };
            check::run(&args, &mut out, style)
        }
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
