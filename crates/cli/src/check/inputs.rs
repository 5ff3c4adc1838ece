//! The inputs of `check`: which files (or standard input) to read, and reading one of them.

use std::ffi::OsString;
use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

/// The most a request file may hold. A CreateSnapshot request is a few kilobytes at most;
/// the limit keeps a wrong argument (a disk image, `/dev/zero`) from exhausting memory.
pub const MAX_REQUEST_BYTES: u64 = 16 * 1024 * 1024;

pub use crate::infra::MAX_INPUT_BYTES;

/// Directories a walk never enters: version control, Terraform's downloaded providers and
/// modules, and JavaScript packages, none of which is the user's own code.
const SKIPPED_DIRECTORIES: &[&str] = &[".git", ".terraform", "node_modules"];

/// Hidden names a walk still enters: where CI files live (GitHub Actions, Gitea Actions,
/// CircleCI, GitLab CI, Drone, Woodpecker).
const WALKED_HIDDEN_NAMES: &[&str] = &[
    ".github",
    ".gitea",
    ".circleci",
    ".gitlab-ci.yml",
    ".drone.yml",
    ".woodpecker",
    ".woodpecker.yml",
];

/// Where an input comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// Standard input (`-`).
    Stdin,
    /// A file.
    File(PathBuf),
    /// A directory entry that could not be listed; the text says why.
    Unlisted(String),
}

/// One input: the name it is reported under, and where to read it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Input {
    /// `-` for standard input, else the path as given (joined with the names below a
    /// directory given).
    pub name: String,
    /// Where to read it.
    pub origin: Origin,
    /// Named on the command line (or standard input), not found in a directory: a file of
    /// no supported format is then read as a request, not skipped.
    pub explicit: bool,
}

impl Input {
    /// The file's path, or `None` for standard input.
    pub fn path(&self) -> Option<&Path> {
        match &self.origin {
            Origin::File(path) => Some(path),
            Origin::Stdin | Origin::Unlisted(_) => None,
        }
    }
}

/// The inputs named on the command line, in order, each directory replaced by the files
/// below it. No argument means standard input. Standard input may be named only once.
pub fn expand(arguments: &[OsString]) -> Result<Vec<Input>, String> {
    let default = [OsString::from("-")];
    let arguments = if arguments.is_empty() {
        &default[..]
    } else {
        arguments
    };
    if arguments.iter().filter(|a| *a == "-").count() > 1 {
        return Err("standard input (-) can be named only once".to_owned());
    }
    let mut inputs = Vec::with_capacity(arguments.len());
    for argument in arguments {
        if argument == "-" {
            inputs.push(Input {
                name: "-".to_owned(),
                origin: Origin::Stdin,
                explicit: true,
            });
            continue;
        }
        let path = PathBuf::from(argument);
        if fs::metadata(&path).is_ok_and(|m| m.is_dir()) {
            let before = inputs.len();
            walk(&path, &mut inputs);
            if inputs.len() == before {
                // A directory with nothing to check is most likely the wrong directory: a
                // pre-flight check that passes on it would hide the mistake.
                inputs.push(Input {
                    name: path.display().to_string(),
                    origin: Origin::Unlisted("a directory with no file in it".to_owned()),
                    explicit: true,
                });
            }
        } else {
            inputs.push(file(path, true));
        }
    }
    Ok(inputs)
}

fn file(path: PathBuf, explicit: bool) -> Input {
    Input {
        name: path.display().to_string(),
        origin: Origin::File(path),
        explicit,
    }
}

/// Every regular file below `root`, depth first, each directory's entries sorted by name
/// (so the whole list is sorted by path, component by component). `.git`, `.terraform` and
/// `node_modules` are skipped, and so are other names starting with `.` but those of
/// [`WALKED_HIDDEN_NAMES`]; a symbolic link is followed to a file, never to a directory (no
/// loops).
fn walk(root: &Path, inputs: &mut Vec<Input>) {
    // Each level is a directory's entries still to visit, reversed so that `pop` gives the
    // next; the explicit stack keeps a deep tree from exhausting the call stack.
    let mut levels: Vec<Vec<(PathBuf, bool)>> = vec![vec![(root.to_path_buf(), true)]];
    while let Some(level) = levels.last_mut() {
        let Some((path, is_directory)) = level.pop() else {
            levels.pop();
            continue;
        };
        if !is_directory {
            inputs.push(file(path, false));
            continue;
        }
        match list(&path) {
            Ok(mut entries) => {
                entries.sort_by(|a, b| a.0.file_name().cmp(&b.0.file_name()));
                entries.reverse();
                levels.push(entries);
            }
            Err(error) => inputs.push(Input {
                name: path.display().to_string(),
                origin: Origin::Unlisted(format!(
                    "cannot list the directory: {}",
                    io_message(&error)
                )),
                explicit: true,
            }),
        }
    }
}

/// A directory's regular files (or symbolic links to them) and subdirectories, each with
/// whether it is a directory; skipped names left out.
fn list(directory: &Path) -> io::Result<Vec<(PathBuf, bool)>> {
    let mut entries = Vec::new();
    for entry in fs::read_dir(directory)? {
        let entry = entry?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let hidden = name.starts_with('.') && !WALKED_HIDDEN_NAMES.contains(&&*name);
        if hidden || SKIPPED_DIRECTORIES.contains(&&*name) {
            continue;
        }
        let kind = entry.file_type()?;
        let path = entry.path();
        if kind.is_dir() {
            entries.push((path, true));
        } else if kind.is_file()
            || (kind.is_symlink() && fs::metadata(&path).is_ok_and(|m| m.is_file()))
        {
            entries.push((path, false));
        }
    }
    Ok(entries)
}

/// Why an input could not be read as text.
#[derive(Debug)]
pub struct ReadError(pub String);

/// The whole input's bytes, at most [`MAX_INPUT_BYTES`] and one more.
pub fn read(input: &Input) -> Result<Vec<u8>, ReadError> {
    match &input.origin {
        Origin::Stdin => read_limited(io::stdin().lock()),
        Origin::File(path) => fs::File::open(path).and_then(read_limited),
        Origin::Unlisted(why) => return Err(ReadError(why.clone())),
    }
    .map_err(|error| ReadError(format!("cannot read: {}", io_message(&error))))
}

/// The input's bytes as UTF-8 text (a leading byte order mark kept: the parsers skip it),
/// or why they are not text of the kind: a request file must be small and not blank.
pub fn text(bytes: &[u8], request: bool) -> Result<&str, ReadError> {
    let limit = if request {
        MAX_REQUEST_BYTES
    } else {
        MAX_INPUT_BYTES
    };
    if bytes.len() as u64 > limit {
        return Err(ReadError(if request {
            format!(
                "larger than {} MiB; a CreateSnapshot request is far smaller",
                limit / (1024 * 1024)
            )
        } else {
            format!("larger than {} MiB", limit / (1024 * 1024))
        }));
    }
    if let Some(at) = bytes.iter().position(|&b| b == 0) {
        let what = if request { "a request" } else { "text" };
        return Err(ReadError(format!(
            "binary data, not {what} (a NUL byte at offset {at})"
        )));
    }
    match std::str::from_utf8(bytes) {
        Err(error) => Err(ReadError(format!(
            "not UTF-8 text (an invalid byte at offset {})",
            error.valid_up_to()
        ))),
        Ok(text) if request && text.trim_start_matches('\u{feff}').trim().is_empty() => {
            Err(ReadError("empty: no request in it".to_owned()))
        }
        Ok(text) => Ok(text),
    }
}

/// Reads at most one byte more than the limit, so that a larger input is seen as such
/// without being held whole.
fn read_limited(reader: impl Read) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    reader.take(MAX_INPUT_BYTES + 1).read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// An I/O error's text without the OS error number (`No such file or directory`).
fn io_message(error: &io::Error) -> String {
    let text = error.to_string();
    match text.find(" (os error ") {
        Some(cut) => text[..cut].to_owned(),
        None => text,
    }
}
