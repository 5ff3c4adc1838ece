//! `check`: find the inputs, tell their kinds, judge each, hand the reports to the output.

mod detect;
mod inputs;
mod judge;
mod request_file;
mod summary;
mod suppress;

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;

use crate::args::CheckArgs;
use crate::finding::{Failure, InputKind, Outcome, Report};
use crate::infra::shell::Dialect;
use crate::infra::terraform_project::{self, Instance, Project};
use crate::infra::variables::Value;
use crate::infra::{ci_yaml, plan, ros, shell, terraform, terraform_json, Declarations};
use crate::output::{self, printable, Style, Totals};
use crate::process::{EXIT_ERROR, PROGRAM};
use crate::world_file::read_world;

use detect::{detect, Detected, ShellReader};
use inputs::{Input, Origin};
use judge::Judge;
use summary::Summary;
use suppress::Suppressions;

/// Runs `check`; returns the exit status.
pub fn run(args: &CheckArgs, out: &mut dyn Write, style: Style) -> io::Result<u8> {
    let (judge, var_files) = match setup(args) {
        Ok(setup) => setup,
        Err(message) => {
            crate::process::say!("{PROGRAM}: error: {message}");
            return Ok(EXIT_ERROR);
        }
    };
    let inputs = match inputs::expand(&args.inputs) {
        Ok(inputs) => inputs,
        Err(message) => {
            crate::process::say!("{PROGRAM}: error: {message}");
            return Ok(EXIT_ERROR);
        }
    };
    let forced = args.input_format;
    // Terraform's modules are read whole before any file is judged: a file's `var.x` may
    // be set in a sibling file, a `.tfvars` or the module's caller.
    let terraform_files: Vec<PathBuf> = inputs
        .iter()
        .filter_map(|input| input.path().map(|p| p.to_path_buf()))
        .filter(|path| {
            let forced_terraform = forced
                .is_some_and(|k| matches!(k, InputKind::Terraform | InputKind::TerraformJson));
            forced_terraform
                || matches!(
                    detect(Some(path), b"", false),
                    Detected::Input(InputKind::Terraform | InputKind::TerraformJson)
                )
        })
        .collect();
    let mut project = Project::load(&terraform_files, &var_files);

    let mut reporter = output::for_format(args.format, style);
    let mut summary = Summary::default();
    let mut totals = Totals::default();
    for input in &inputs {
        if input.origin == Origin::Stdin && io::stdin().is_terminal() {
            crate::process::say!(
                "{PROGRAM}: reading a request from standard input (end it with Ctrl-D)"
            );
        }
        let report = match check_input(input, forced, &judge, &mut project) {
            Checked::Report(report) => report,
            Checked::Unsupported => {
                totals.skipped_files += 1;
                continue;
            }
            Checked::Used => continue,
        };
        summary.add(&report.outcome);
        if let Outcome::Failed(failure) = &report.outcome {
            // Keep the order of what was already printed and this message.
            out.flush()?;
            crate::process::say!(
                "{}: error: {}",
                printable(&report.name),
                printable(&failure.message)
            );
        }
        reporter.report(out, &report)?;
    }
    if summary.is_empty() && totals.skipped_files > 0 {
        out.flush()?;
        crate::process::say!(
            "{PROGRAM}: error: no file of a supported format among the inputs ({} skipped)",
            totals.skipped_files
        );
        summary.fail();
    }
    reporter.finish(out, &totals)?;
    Ok(summary.status(args.deny_warnings))
}

/// The judge and the `--var-file` values of the options given, or why they cannot be had
/// (a world or variables file that cannot be read).
fn setup(args: &CheckArgs) -> Result<(Judge, Vec<(String, Value)>), String> {
    let world = match &args.world {
        None => None,
        Some(path) => {
            let facts = read_world(path)?;
            let now = match args.now {
                Some(now) => now,
                None => crate::now::system_now()?,
            };
            Some((facts, now))
        }
    };
    let mut var_files = Vec::new();
    for path in &args.var_files {
        var_files.extend(terraform_project::var_file(path)?);
    }
    Ok((Judge::new(args.all, world), var_files))
}

/// What became of one input.
enum Checked {
    /// It was judged, or could not be.
    Report(Report),
    /// A file of no supported format found in a directory: skipped and counted.
    Unsupported,
    /// A `.tfvars` file found in a directory: read with its module, not on its own.
    Used,
}

/// One input's report.
fn check_input(
    input: &Input,
    forced: Option<InputKind>,
    judge: &Judge,
    project: &mut Project,
) -> Checked {
    let report = |kind: Option<InputKind>, outcome: Outcome| Report {
        name: input.name.clone(),
        path: input.path().map(|p| p.to_path_buf()),
        kind,
        outcome,
    };
    let failed = |kind: Option<InputKind>, message: String| {
        report(
            kind,
            Outcome::Failed(Failure {
                message,
                position: None,
            }),
        )
    };
    let bytes = match inputs::read(input) {
        Ok(bytes) => bytes,
        Err(error) => return Checked::Report(failed(None, error.0)),
    };
    let kind = match forced {
        Some(kind) => kind,
        None => match detect(input.path(), &bytes, input.explicit) {
            Detected::Input(kind) => kind,
            Detected::Variables => return Checked::Used,
            Detected::Unsupported => return Checked::Unsupported,
            Detected::Unrecognised => {
                return Checked::Report(failed(None, detect::UNRECOGNISED.to_owned()))
            }
        },
    };
    let text = match inputs::text(&bytes, kind == InputKind::Request) {
        Ok(text) => text,
        Err(error) => return Checked::Report(failed(Some(kind), error.0)),
    };
    let outcome = match kind {
        InputKind::Request => request_file::judge(judge, text),
        InputKind::Terraform => {
            let taken = input.path().and_then(|path| project.take(path));
            match taken {
                Some((file, instances)) => {
                    let found = file.body.map(|body| {
                        instances
                            .iter()
                            .flat_map(|instance| {
                                terraform::declarations(
                                    &body,
                                    &file.text,
                                    &instance.scope,
                                    &instance.prefix,
                                )
                            })
                            .collect()
                    });
                    declared(judge, &file.text, not_imported(project, found))
                }
                // Standard input: a module of one file.
                None => declared(judge, text, terraform::read_alone(text)),
            }
        }
        InputKind::TerraformJson => {
            let instances = input
                .path()
                .and_then(|path| project.instances_of(path))
                .unwrap_or_else(|| vec![Instance::default()]);
            let mut found = Ok(Vec::new());
            for instance in &instances {
                found = found.and_then(|mut all: Vec<_>| {
                    all.extend(terraform_json::read(
                        text,
                        &instance.scope,
                        &instance.prefix,
                    )?);
                    Ok(all)
                });
            }
            declared(judge, text, not_imported(project, found))
        }
        InputKind::Plan => declared(judge, text, plan::read(text)),
        InputKind::Ros => declared(judge, text, ros::read(text)),
        InputKind::Shell => declared(
            judge,
            text,
            match detect::shell_reader(input.path(), text) {
                ShellReader::Script => shell::read(text, Dialect::Shell),
                ShellReader::Makefile => shell::read(text, Dialect::Make),
                ShellReader::CiYaml => ci_yaml::read(text),
            },
        ),
    };
    Checked::Report(report(Some(kind), outcome))
}

/// `found` without the resources an `import` block of the project brings under
/// management: Terraform calls no CreateSnapshot for them.
fn not_imported(project: &Project, found: Declarations) -> Declarations {
    found.map(|mut all| {
        all.retain(|declared| !project.is_imported(&declared.address));
        all
    })
}

/// The outcome of a file of infrastructure code: each snapshot judged, suppression
/// comments applied.
fn declared(judge: &Judge, text: &str, declarations: Declarations) -> Outcome {
    match declarations {
        Ok(snapshots) => {
            let suppressions = Suppressions::read(text);
            Outcome::Judged(
                snapshots
                    .into_iter()
                    .map(|snapshot| {
                        let mut subject = judge.declared(snapshot);
                        suppressions.apply(&mut subject);
                        subject
                    })
                    .collect(),
            )
        }
        Err(failure) => Outcome::Failed(Failure {
            message: failure.message,
            position: failure.position,
        }),
    }
}
