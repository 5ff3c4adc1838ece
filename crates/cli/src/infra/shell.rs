//! `aliyun ... CreateSnapshot` calls in shell scripts and Makefiles: found where the shell
//! would run them, and read into words as the shell reads them.
//!
//! The text is scanned once, as the shell parses it, to tell a command word from text: quotes
//! (and `$(...)` and backquotes inside them), comments, heredoc bodies, `$((...))` and
//! `${...}`. A heredoc body is data, but for the `$(...)` and backquotes of a body whose
//! delimiter is not quoted, which the shell runs. A call is a command word `aliyun` (possibly
//! a path, or with Make's `@`/`-`/`+`) where a command starts: a line's start, after `;`,
//! `&&`, `||`, `|`, `(`, `$(`, a backquote, a keyword such as `then`, `do` or `else`, an
//! assignment (`DISK=d-1 aliyun ...`), or a command that runs the command after its own
//! options and operands (`sudo -u ops`, `timeout -s KILL 5m`, `nice -n 10`, `env -u X`).
//! Never inside a quoted string, nor as text of a heredoc body.
//!
//! Each call's words are then read (quotes, `\` escapes and line continuations; a word
//! with a variable, a command substitution or a backquote is unknown past its literal
//! start) up to the end of its command, and handed to [`super::aliyun_cli`], which reads
//! them as the CLI does. Both passes are linear: the scan records where each expansion ends,
//! so that reading a call jumps over the calls nested in it; a heredoc body is read once to
//! find its delimiter and once to scan it, and bodies nested in bodies are scanned only to a
//! fixed depth.

use std::collections::HashMap;

use super::aliyun_cli;
use super::position::LineIndex;
use super::word::Word;
use super::{Declarations, DeclaredSnapshot, ReadFailure};
use crate::finding::Position;

/// Stands for text not known before the run (a Terraform interpolation whose value is not
/// known), written around the text shown for it: a word holding it is not known from it on,
/// and one holding it outside quotes may split into several, as an unquoted expansion does.
/// Unlike `$X`, it is not known inside single quotes either, where the value still lands.
pub const UNKNOWN: char = '\u{E000}';

/// How the text runs commands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    /// A shell script, or the shell text of a CI step.
    Shell,
    /// A Makefile: only recipe lines (those starting with a tab, with their `\`
    /// continuations, and the text after a rule line's `;`) are shell, each run by a shell of
    /// its own.
    Make,
}

/// The calls of the file `text`.
pub fn read(text: &str, dialect: Dialect) -> Declarations {
    let index = LineIndex::new(text);
    let mut found = Vec::new();
    scan_into(text, dialect, &|offset| index.position(offset), &mut found)?;
    Ok(found)
}

/// Adds the calls of the shell text `text` to `found`, numbered after those already there;
/// `at` turns a byte offset of `text` into its place in the file.
pub fn scan_into(
    text: &str,
    dialect: Dialect,
    at: &dyn Fn(usize) -> Position,
    found: &mut Vec<DeclaredSnapshot>,
) -> Result<(), ReadFailure> {
    // No call without the word: text that never names the CLI is not parsed at all.
    if !text.contains("aliyun") {
        return Ok(());
    }
    let mut scan = Scan {
        bytes: text.as_bytes(),
        at,
        heredocs: Vec::new(),
        depth: 0,
        candidates: Vec::new(),
        jumps: HashMap::new(),
    };
    match dialect {
        Dialect::Shell => scan.run(0, text.len(), Frame::commands())?,
        Dialect::Make => {
            for (from, to) in recipe_lines(scan.bytes) {
                scan.run(from, to, Frame::commands())?;
            }
        }
    }
    for candidate in &scan.candidates {
        let (words, _) = words(text, candidate.at, candidate.in_backquote, &scan.jumps, at)?;
        let number = found.len() + 1;
        if let Some(call) = aliyun_cli::call(
            format!("aliyun ecs CreateSnapshot #{number}"),
            at(candidate.at),
            &words[1..],
            at,
        ) {
            found.push(call);
        }
    }
    Ok(())
}

/// The byte ranges of a Makefile's recipe lines: a line starting with a tab, joined with
/// the lines its trailing `\` continues, as Make hands them to the shell; and the text after
/// the `;` of a rule line (`target: prerequisites ; recipe`), which Make runs the same way.
fn recipe_lines(bytes: &[u8]) -> Vec<(usize, usize)> {
    let mut lines = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        // A logical line ends at a newline not escaped by a backslash.
        let mut end = i;
        while end < bytes.len() {
            if bytes[end] == b'\n' {
                let escaped = end > start && bytes[end - 1] == b'\\'
                    || end > start + 1 && bytes[end - 1] == b'\r' && bytes[end - 2] == b'\\';
                if !escaped {
                    break;
                }
            }
            end += 1;
        }
        if bytes[start] == b'\t' {
            lines.push((start, end));
        } else if let Some(recipe) = rule_recipe(&bytes[start..end]) {
            lines.push((start + recipe, end));
        }
        i = end + 1;
    }
    lines
}

/// Make's directives: a line starting with one is neither a rule nor an assignment.
const DIRECTIVES: &[&[u8]] = &[
    b"ifeq",
    b"ifneq",
    b"ifdef",
    b"ifndef",
    b"else",
    b"endif",
    b"include",
    b"-include",
    b"sinclude",
    b"vpath",
];

/// Where the recipe of the rule line `line` starts (past its `;`), if it is a rule line with
/// one. Not a rule: a line whose first `=` comes before its first `:` or right after it
/// (`=`, `?=`, `+=`, `!=`, `:=`, `::=`, `:::=`, an assignment, whose value the `;` is part
/// of), nor one with `=` between its `:` and its `;` (a target-specific variable, whose value
/// the `;` also is); a `#` before the `;` starts a comment. Variable references (`$(...)`,
/// `${...}`) and `\` escapes are stepped over: their `:`, `=` or `;` are not the line's.
fn rule_recipe(line: &[u8]) -> Option<usize> {
    let first = line
        .split(|b| b.is_ascii_whitespace())
        .find(|word| !word.is_empty())?;
    if DIRECTIVES.contains(&first) {
        return None;
    }
    let mut colon = false;
    let mut i = 0;
    while i < line.len() {
        match line[i] {
            b'\\' => i += 1,
            b'$' => match line.get(i + 1) {
                Some(b'(') => i = skip_balanced(line, i + 1, line.len(), b'(', b')') - 1,
                Some(b'{') => i = skip_balanced(line, i + 1, line.len(), b'{', b'}') - 1,
                _ => i += 1,
            },
            b'#' | b'=' => return None,
            b':' if !colon => {
                let rest = &line[i + 1..];
                if rest.starts_with(b"=") || rest.starts_with(b":=") || rest.starts_with(b"::=") {
                    return None;
                }
                colon = true;
            }
            b';' => return colon.then_some(i + 1),
            _ => {}
        }
        i += 1;
    }
    None
}

/// An `aliyun` command word, by the offset of its `aliyun`, and whether the command is in
/// backquotes (which then end it).
struct Candidate {
    at: usize,
    in_backquote: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Close {
    /// The end of the text (or of the recipe line).
    End,
    /// `)`: a `$(...)` or a `( ... )` subshell.
    Paren,
    /// A backquote.
    Backquote,
}

/// The word being read in a list of commands.
#[derive(Clone, Copy)]
struct WordState {
    start: usize,
    /// It is the command's first word (its name, a keyword or an assignment).
    command: bool,
    /// It is the target of a redirection.
    target: bool,
}

/// A list of commands: the text, a `$(...)`, a subshell or a backquoted command.
struct Commands {
    close: Close,
    /// Where it opened (its `$`, `(` or backquote), to record the jump past it.
    open: usize,
    /// The next word starts a command.
    start: bool,
    /// The next word is a redirection's target.
    redirect: bool,
    word: Option<WordState>,
    /// The command word read is a wrapper whose options and operands are being read.
    wrapping: Option<Wrapping>,
}

impl Commands {
    fn new(close: Close, open: usize) -> Commands {
        Commands {
            close,
            open,
            start: true,
            redirect: false,
            word: None,
            wrapping: None,
        }
    }

    /// A new command starts with the next word (after `;`, a newline, `(`...).
    fn next_command(&mut self) {
        self.start = true;
        self.wrapping = None;
    }
}

enum Frame {
    Commands(Commands),
    /// Inside `"..."`, opened at this offset.
    Double(usize),
    /// The body of a heredoc whose delimiter is not quoted: data, in which `\` escapes,
    /// `$(...)` and backquotes still act as in double quotes (no quote ends it).
    Body,
}

impl Frame {
    /// The list of commands of a whole text or recipe line.
    fn commands() -> Frame {
        Frame::Commands(Commands::new(Close::End, 0))
    }
}

/// What a step of the scan does to the stack of frames.
enum Step {
    Stay,
    Push(Frame),
    Pop,
}

/// A heredoc whose body starts after the current line.
struct Heredoc {
    delimiter: Vec<u8>,
    /// Leading tabs are stripped (`<<-`).
    strip: bool,
    /// Some part of the delimiter was quoted: the body is only data.
    quoted: bool,
}

/// How deep heredoc bodies nested in the `$(...)` of bodies are scanned; deeper ones are
/// data. Each level reads its body once more (to find its delimiter), so a bound keeps the
/// scan linear.
const MAX_BODY_DEPTH: usize = 4;

struct Scan<'t> {
    bytes: &'t [u8],
    at: &'t dyn Fn(usize) -> Position,
    /// Heredocs whose bodies start after the current line.
    heredocs: Vec<Heredoc>,
    /// How many heredoc bodies the scan is in.
    depth: usize,
    candidates: Vec<Candidate>,
    /// Where each expansion (`$(`, `${`, `$((`, a backquote) that starts at an offset ends.
    jumps: HashMap<usize, usize>,
}

/// Words after which a command still starts.
const KEYWORDS: &[&str] = &[
    "if", "then", "else", "elif", "do", "while", "until", "!", "{",
];

/// A command that runs the command named after its own options and operands.
struct Wrapper {
    name: &'static str,
    /// A program, which may be named by its path (`/usr/bin/env`); else a builtin or keyword.
    program: bool,
    /// Its short options that take an argument (the rest of the word, else the next word).
    short: &'static [u8],
    /// Its long options that take an argument (`--name=value`, else the next word).
    long: &'static [&'static str],
    /// Its options with which the command named is not run but listed, described or edited.
    quiet: &'static [u8],
    /// Its long options of the same kind.
    quiet_long: &'static [&'static str],
    /// The operands before the command (timeout's duration).
    operands: u8,
}

impl Wrapper {
    const fn new(name: &'static str, program: bool) -> Wrapper {
        Wrapper {
            name,
            program,
            short: b"",
            long: &[],
            quiet: b"",
            quiet_long: &[],
            operands: 0,
        }
    }
}

/// The wrappers, with the options of GNU coreutils' `timeout`, `nice`, `nohup`, `env`, GNU
/// `time`, sudo 1.9 and the shell's `command`, `exec` and `time`. `xargs` is none: it adds
/// arguments read from its input, so the call's words are not in the script.
const WRAPPERS: &[Wrapper] = &[
    Wrapper {
        short: b"ks",
        long: &["kill-after", "signal"],
        operands: 1,
        ..Wrapper::new("timeout", true)
    },
    Wrapper {
        short: b"n",
        long: &["adjustment"],
        ..Wrapper::new("nice", true)
    },
    Wrapper::new("nohup", true),
    Wrapper {
        short: b"CSu",
        long: &["chdir", "split-string", "unset"],
        ..Wrapper::new("env", true)
    },
    Wrapper {
        short: b"fo",
        long: &["format", "output"],
        ..Wrapper::new("time", true)
    },
    Wrapper {
        // `-h` alone is sudo's help, `-hhost` its host: taking the next word as the host,
        // `sudo -h aliyun ...` is no call, as sudo runs none.
        short: b"aCcDghpRrTtUu",
        long: &[
            "auth-type",
            "chdir",
            "chroot",
            "close-from",
            "command-timeout",
            "group",
            "host",
            "login-class",
            "other-user",
            "prompt",
            "role",
            "type",
            "user",
        ],
        quiet: b"eKlVv",
        quiet_long: &["edit", "list", "remove-timestamp", "validate"],
        ..Wrapper::new("sudo", true)
    },
    Wrapper {
        quiet: b"vV",
        ..Wrapper::new("command", false)
    },
    Wrapper {
        short: b"a",
        ..Wrapper::new("exec", false)
    },
];

/// The wrapper a command word names: its name (a program's also as a path), with Make's
/// prefixes `@`, `-`, `+` as for `aliyun`.
fn wrapper_in(raw: &[u8]) -> Option<&'static Wrapper> {
    let start = raw.iter().position(|&b| !matches!(b, b'@' | b'-' | b'+'))?;
    let word = &raw[start..];
    let plain = word
        .iter()
        .all(|&b| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'.' | b'_' | b'-' | b'~'));
    if !plain {
        return None;
    }
    let name = word.rsplit(|&b| b == b'/').next().unwrap_or(word);
    WRAPPERS
        .iter()
        .find(|w| w.name.as_bytes() == name && (w.program || name.len() == word.len()))
}

/// The state of a wrapper's words being read.
#[derive(Clone, Copy)]
struct Wrapping {
    wrapper: &'static Wrapper,
    /// The next word is an option's argument.
    argument: bool,
    /// `--` was read: no more options.
    options_done: bool,
    /// Operands still to come before the command.
    operands: u8,
}

/// What an option word of a wrapper is.
enum OptionWord {
    Flag,
    /// Its argument is the next word.
    TakesNext,
    /// The command named is not run.
    Quiet,
}

/// Reads the option word `raw` (starting with `-`) of `wrapper` as getopt does: a cluster of
/// short options, the first that takes an argument taking the rest of the word (or the next
/// word when it is the last); a long option taking the next word unless it has `=value`.
fn option_word(wrapper: &Wrapper, raw: &[u8]) -> OptionWord {
    if let Some(long) = raw.strip_prefix(b"--") {
        let name = long.split(|&b| b == b'=').next().unwrap_or(long);
        let is = |names: &[&str]| names.iter().any(|n| n.as_bytes() == name);
        return if is(wrapper.quiet_long) || is(&["help", "version"]) {
            OptionWord::Quiet
        } else if is(wrapper.long) && name.len() == long.len() {
            OptionWord::TakesNext
        } else {
            OptionWord::Flag
        };
    }
    let letters = &raw[1..];
    for (k, letter) in letters.iter().enumerate() {
        if wrapper.quiet.contains(letter) {
            return OptionWord::Quiet;
        }
        if wrapper.short.contains(letter) {
            return if k + 1 == letters.len() {
                OptionWord::TakesNext
            } else {
                OptionWord::Flag
            };
        }
    }
    OptionWord::Flag
}

/// `NAME=...` (or `NAME+=`, `NAME[i]=`): an assignment before a command.
fn is_assignment(raw: &[u8]) -> bool {
    let name_end = raw
        .iter()
        .position(|&b| !(b.is_ascii_alphanumeric() || b == b'_'))
        .unwrap_or(raw.len());
    if name_end == 0 || raw[0].is_ascii_digit() {
        return false;
    }
    let rest = &raw[name_end..];
    let rest = match rest.first() {
        Some(b'[') => match rest.iter().position(|&b| b == b']') {
            Some(close) => &rest[close + 1..],
            None => return false,
        },
        _ => rest,
    };
    rest.starts_with(b"=") || rest.starts_with(b"+=")
}

/// Where `aliyun` starts in a command word that runs the CLI: `aliyun`, a path ending in
/// `/aliyun`, either with Make's prefixes `@`, `-`, `+`.
fn aliyun_in(raw: &[u8]) -> Option<usize> {
    let start = raw.iter().position(|&b| !matches!(b, b'@' | b'-' | b'+'))?;
    let word = &raw[start..];
    let plain = word
        .iter()
        .all(|&b| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'.' | b'_' | b'-' | b'~'));
    let is_cli = word == b"aliyun" || word.ends_with(b"/aliyun");
    (plain && is_cli).then(|| raw.len() - "aliyun".len())
}

impl Scan<'_> {
    fn unterminated(&self, quote: char, offset: usize) -> ReadFailure {
        unterminated(quote, (self.at)(offset))
    }

    /// Scans `bytes[from..to]` as `first`: a list of commands, or a heredoc's body. Heredocs
    /// left without a body (the end came first) are dropped.
    fn run(&mut self, from: usize, to: usize, first: Frame) -> Result<(), ReadFailure> {
        let mut frames = vec![first];
        let mut i = from;
        while let Some(frame) = frames.last_mut() {
            let step = match frame {
                Frame::Double(open) => {
                    let open = Some(*open);
                    let (next, step) = self.text(i, to, open)?;
                    i = next;
                    step
                }
                Frame::Body => {
                    let (next, step) = self.text(i, to, None)?;
                    i = next;
                    step
                }
                Frame::Commands(commands) => {
                    let (next, step) = self.commands(commands, i, to)?;
                    i = next;
                    step
                }
            };
            match step {
                Step::Stay => {}
                Step::Push(frame) => frames.push(frame),
                Step::Pop => {
                    if let Some(Frame::Commands(commands)) = frames.pop() {
                        if commands.close != Close::End {
                            self.jumps.insert(commands.open, i.min(to));
                        }
                    }
                    // After a subshell or a function's `()`, a command may follow (`{`).
                    if let Some(Frame::Commands(parent)) = frames.last_mut() {
                        if parent.word.is_none() {
                            parent.next_command();
                        }
                    }
                }
            }
            if i > to {
                i = to;
            }
        }
        self.heredocs.clear();
        Ok(())
    }

    /// One step at `i` in text where only `\`, `$` and backquotes act: a double-quoted string
    /// opened at `open`, which `"` ends, or a heredoc's body (`None`), which its end ends.
    fn text(
        &mut self,
        i: usize,
        to: usize,
        open: Option<usize>,
    ) -> Result<(usize, Step), ReadFailure> {
        Ok(match (self.byte(i, to), open) {
            (None, Some(open)) => return Err(self.unterminated('"', open)),
            (None, None) => (i, Step::Pop),
            (Some(b'"'), Some(_)) => (i + 1, Step::Pop),
            (Some(b'\\'), _) => (i + 2, Step::Stay),
            (Some(b'$'), _) => self.dollar(i, to, true)?,
            (Some(b'`'), _) => (
                i + 1,
                Step::Push(Frame::Commands(Commands::new(Close::Backquote, i))),
            ),
            (Some(_), _) => (i + 1, Step::Stay),
        })
    }

    fn byte(&self, i: usize, to: usize) -> Option<u8> {
        (i < to).then(|| self.bytes[i])
    }

    /// One step in a list of commands at `i`: the next offset, and what happens to the
    /// frames.
    fn commands(
        &mut self,
        c: &mut Commands,
        i: usize,
        to: usize,
    ) -> Result<(usize, Step), ReadFailure> {
        let Some(b) = self.byte(i, to) else {
            // The end of the text ends every list, a `$(` or backquote left open too.
            self.end_word(c, i);
            return Ok((i, Step::Pop));
        };
        let next = self.byte(i + 1, to);
        Ok(match b {
            b' ' | b'\t' | b'\r' => {
                self.end_word(c, i);
                (i + 1, Step::Stay)
            }
            b'\\' => match next {
                Some(b'\n') => (i + 2, Step::Stay),
                Some(_) => {
                    self.begin_word(c, i);
                    (i + 2, Step::Stay)
                }
                None => (i + 1, Step::Stay),
            },
            b'\n' => {
                self.end_word(c, i);
                c.next_command();
                c.redirect = false;
                (self.bodies(i + 1, to)?, Step::Stay)
            }
            b'#' if c.word.is_none() => {
                let end = self.bytes[i..to]
                    .iter()
                    .position(|&b| b == b'\n')
                    .map_or(to, |n| i + n);
                (end, Step::Stay)
            }
            b';' | b'&' | b'|' => {
                self.end_word(c, i);
                c.next_command();
                c.redirect = false;
                (i + 1, Step::Stay)
            }
            b'(' if c.word.is_none() && c.start && next == Some(b'(') => {
                // `(( ... ))`: arithmetic, not commands.
                (skip_balanced(self.bytes, i, to, b'(', b')'), Step::Stay)
            }
            b'(' => {
                self.end_word(c, i);
                c.next_command();
                (
                    i + 1,
                    Step::Push(Frame::Commands(Commands::new(Close::Paren, i))),
                )
            }
            b')' => {
                self.end_word(c, i);
                if c.close == Close::Paren {
                    (i + 1, Step::Pop)
                } else {
                    // A `case` pattern's end: a command follows.
                    c.next_command();
                    (i + 1, Step::Stay)
                }
            }
            b'`' if c.close == Close::Backquote => {
                self.end_word(c, i);
                (i + 1, Step::Pop)
            }
            b'`' => {
                self.begin_word(c, i);
                (
                    i + 1,
                    Step::Push(Frame::Commands(Commands::new(Close::Backquote, i))),
                )
            }
            b'<' | b'>' => {
                // A file descriptor's number (`2>`) is the redirection's, not a command name.
                if c.word.is_some_and(|w| {
                    w.command && self.bytes[w.start..i].iter().all(u8::is_ascii_digit)
                }) {
                    c.word = None;
                    c.start = true;
                }
                self.end_word(c, i);
                (self.redirection(c, i, to), Step::Stay)
            }
            b'\'' => {
                self.begin_word(c, i);
                match self.bytes[i + 1..to].iter().position(|&b| b == b'\'') {
                    Some(n) => (i + n + 2, Step::Stay),
                    None => return Err(self.unterminated('\'', i)),
                }
            }
            b'"' => {
                self.begin_word(c, i);
                (i + 1, Step::Push(Frame::Double(i)))
            }
            b'$' => {
                self.begin_word(c, i);
                self.dollar(i, to, false)?
            }
            _ => {
                self.begin_word(c, i);
                (i + 1, Step::Stay)
            }
        })
    }

    /// A `$` at `i`: `$(` opens a list of commands, `$((`, `${` and `$'...'` are skipped
    /// (their ends recorded), anything else is one character.
    fn dollar(
        &mut self,
        i: usize,
        to: usize,
        in_double: bool,
    ) -> Result<(usize, Step), ReadFailure> {
        match (self.byte(i + 1, to), self.byte(i + 2, to)) {
            (Some(b'('), Some(b'(')) => {
                let end = skip_balanced(self.bytes, i + 1, to, b'(', b')');
                self.jumps.insert(i, end);
                Ok((end, Step::Stay))
            }
            (Some(b'('), _) => Ok((
                i + 2,
                Step::Push(Frame::Commands(Commands::new(Close::Paren, i))),
            )),
            (Some(b'{'), _) => {
                let end = skip_balanced(self.bytes, i + 1, to, b'{', b'}');
                self.jumps.insert(i, end);
                Ok((end, Step::Stay))
            }
            (Some(b'\''), _) if !in_double => {
                // `$'...'`: backslash escapes inside.
                let mut j = i + 2;
                loop {
                    match self.byte(j, to) {
                        None => return Err(self.unterminated('\'', i + 1)),
                        Some(b'\\') => j += 2,
                        Some(b'\'') => break,
                        Some(_) => j += 1,
                    }
                }
                self.jumps.insert(i, j + 1);
                Ok((j + 1, Step::Stay))
            }
            _ => Ok((i + 1, Step::Stay)),
        }
    }

    fn begin_word(&mut self, c: &mut Commands, i: usize) {
        if c.word.is_some() {
            return;
        }
        if c.redirect {
            c.word = Some(WordState {
                start: i,
                command: false,
                target: true,
            });
        } else {
            c.word = Some(WordState {
                start: i,
                command: c.start,
                target: false,
            });
            c.start = false;
        }
    }

    /// Ends the word being read at `end`: a keyword, an assignment, a wrapper or a wrapper's
    /// option or operand leaves the command to come; `aliyun` is a call.
    fn end_word(&mut self, c: &mut Commands, end: usize) {
        let Some(word) = c.word.take() else {
            return;
        };
        if word.target {
            c.redirect = false;
            return;
        }
        if !word.command {
            return;
        }
        let raw = &self.bytes[word.start..end];
        if let Some(mut wrapping) = c.wrapping.take() {
            if wrapping.argument {
                wrapping.argument = false;
            } else if !wrapping.options_done && raw.first() == Some(&b'-') {
                match option_word(wrapping.wrapper, raw) {
                    _ if raw == b"--" => wrapping.options_done = true,
                    OptionWord::Quiet => return,
                    OptionWord::TakesNext => wrapping.argument = true,
                    OptionWord::Flag => {}
                }
            } else if wrapping.operands > 0 {
                wrapping.operands -= 1;
            } else {
                // The wrapped command's word, read as any command word.
                self.command_word(c, word.start, raw);
                return;
            }
            c.wrapping = Some(wrapping);
            c.start = true;
            return;
        }
        self.command_word(c, word.start, raw);
    }

    /// The command word `raw` at `start`.
    fn command_word(&mut self, c: &mut Commands, start: usize, raw: &[u8]) {
        if KEYWORDS.iter().any(|k| k.as_bytes() == raw) || is_assignment(raw) {
            c.start = true;
        } else if let Some(wrapper) = wrapper_in(raw) {
            c.wrapping = Some(Wrapping {
                wrapper,
                argument: false,
                options_done: false,
                operands: wrapper.operands,
            });
            c.start = true;
        } else if let Some(offset) = aliyun_in(raw) {
            self.candidates.push(Candidate {
                at: start + offset,
                in_backquote: c.close == Close::Backquote,
            });
        }
    }

    /// A redirection operator at `i`: a heredoc's delimiter is noted (its body follows the
    /// line); the next word is the target, not a command.
    fn redirection(&mut self, c: &mut Commands, i: usize, to: usize) -> usize {
        let at = |n: usize| self.byte(i + n, to);
        if at(0) == Some(b'<') && at(1) == Some(b'<') && at(2) != Some(b'<') {
            let mut j = i + 2;
            let strip = self.byte(j, to) == Some(b'-');
            if strip {
                j += 1;
            }
            while matches!(self.byte(j, to), Some(b' ' | b'\t')) {
                j += 1;
            }
            let mut delimiter = Vec::new();
            let mut quote = None;
            let mut quoted = false;
            while let Some(b) = self.byte(j, to) {
                quoted |= matches!(b, b'\'' | b'"' | b'\\');
                match (quote, b) {
                    (Some(q), b) if b == q => quote = None,
                    (Some(_), b) => delimiter.push(b),
                    (None, b'\'' | b'"') => quote = Some(b),
                    (None, b'\\') => {
                        if let Some(escaped) = self.byte(j + 1, to) {
                            delimiter.push(escaped);
                        }
                        j += 1;
                    }
                    (
                        None,
                        b' ' | b'\t' | b'\r' | b'\n' | b';' | b'&' | b'|' | b'<' | b'>' | b'('
                        | b')',
                    ) => break,
                    (None, b) => delimiter.push(b),
                }
                j += 1;
            }
            if !delimiter.is_empty() {
                self.heredocs.push(Heredoc {
                    delimiter,
                    strip,
                    quoted,
                });
            }
            return j;
        }
        let mut j = i;
        while matches!(self.byte(j, to), Some(b'<' | b'>' | b'&' | b'|')) {
            j += 1;
        }
        c.redirect = true;
        j
    }

    /// Past the bodies of the heredocs noted on the line that ended at `i`; the `$(...)` and
    /// backquotes of a body whose delimiter is not quoted are scanned as commands.
    fn bodies(&mut self, mut i: usize, to: usize) -> Result<usize, ReadFailure> {
        for heredoc in std::mem::take(&mut self.heredocs) {
            let (end, next) = self.body_end(&heredoc, i, to);
            if !heredoc.quoted && self.depth < MAX_BODY_DEPTH {
                self.depth += 1;
                let scanned = self.run(i, end, Frame::Body);
                self.depth -= 1;
                scanned?;
            }
            i = next;
        }
        Ok(i)
    }

    /// Where the body of `heredoc` that starts at `i` ends (its delimiter line's start, or
    /// `to`), and where the text after its delimiter line starts. The body ends at the first
    /// line that is its delimiter, whatever it holds; in a body whose delimiter is not quoted,
    /// a `\` at a line's end joins the next line to it, which is then no delimiter.
    fn body_end(&self, heredoc: &Heredoc, mut i: usize, to: usize) -> (usize, usize) {
        let mut joined = false;
        while i < to {
            let end = self.bytes[i..to]
                .iter()
                .position(|&b| b == b'\n')
                .map_or(to, |n| i + n);
            let raw = &self.bytes[i..end];
            let mut line = raw.strip_suffix(b"\r").unwrap_or(raw);
            if heredoc.strip {
                let tabs = line.iter().take_while(|&&b| b == b'\t').count();
                line = &line[tabs..];
            }
            if !joined && line == heredoc.delimiter.as_slice() {
                return (i, (end + 1).min(to));
            }
            let backslashes = raw.iter().rev().take_while(|&&b| b == b'\\').count();
            joined = !heredoc.quoted && backslashes % 2 == 1;
            i = end + 1;
        }
        (to, to)
    }
}

/// Past a balanced `open ... close` starting at `i` (on `open`), `\` escapes skipped; at
/// most `to`.
fn skip_balanced(bytes: &[u8], mut i: usize, to: usize, open: u8, close: u8) -> usize {
    let mut depth = 0usize;
    while i < to {
        let b = bytes[i];
        if b == b'\\' {
            i += 2;
            continue;
        }
        if b == open {
            depth += 1;
        } else if b == close {
            depth = depth.saturating_sub(1);
            if depth == 0 {
                return i + 1;
            }
        }
        i += 1;
    }
    to
}

fn unterminated(quote: char, p: Position) -> ReadFailure {
    ReadFailure::at(
        format!(
            "unterminated {quote} quote at line {}, column {}",
            p.line, p.column
        ),
        Some(p),
    )
}

/// A byte that ends a word outside quotes.
fn ends_word(b: u8, in_backquote: bool) -> bool {
    matches!(
        b,
        b' ' | b'\t' | b'\r' | b'\n' | b';' | b'&' | b'|' | b')' | b'<' | b'>'
    ) || (in_backquote && b == b'`')
}

/// The words of the command that starts at byte `start`, and where it ends: at an unquoted
/// newline, `;`, `&`, `|`, `)` or comment (or a backquote, for a command in backquotes).
/// Redirections (`2>/dev/null`, `<<EOF`) are left out. `jumps` gives the end of each
/// expansion the scan met; `at` places an error.
fn words(
    text: &str,
    start: usize,
    in_backquote: bool,
    jumps: &HashMap<usize, usize>,
    at: &dyn Fn(usize) -> Position,
) -> Result<(Vec<Word>, usize), ReadFailure> {
    let bytes = text.as_bytes();
    let mut words = Vec::new();
    let mut i = start;
    loop {
        // Blanks and line continuations between words.
        while i < bytes.len() {
            match bytes[i] {
                b' ' | b'\t' | b'\r' => i += 1,
                b'\\' if bytes.get(i + 1) == Some(&b'\n') => i += 2,
                b'\\' if bytes.get(i + 1) == Some(&b'\r') && bytes.get(i + 2) == Some(&b'\n') => {
                    i += 3
                }
                _ => break,
            }
        }
        match bytes.get(i) {
            None | Some(b'\n' | b';' | b'&' | b'|' | b')' | b'#') => return Ok((words, i)),
            Some(b'`') if in_backquote => return Ok((words, i)),
            Some(b'<' | b'>') => {
                // The operator, then its target: neither is an argument.
                while matches!(bytes.get(i), Some(b'<' | b'>' | b'&' | b'-')) {
                    i += 1;
                }
                while matches!(bytes.get(i), Some(b' ' | b'\t')) {
                    i += 1;
                }
                if bytes.get(i).is_some_and(|&b| !ends_word(b, in_backquote)) {
                    i = word(text, i, in_backquote, jumps, at)?.end;
                }
                continue;
            }
            _ => {}
        }
        let word = word(text, i, in_backquote, jumps, at)?;
        i = word.end;
        // A file descriptor's number before a redirection (`2>/dev/null`).
        let descriptor = matches!(bytes.get(i), Some(b'<' | b'>'))
            && word.end - word.start == word.literal.len()
            && word.literal.bytes().all(|b| b.is_ascii_digit());
        if !descriptor {
            words.push(word);
        }
    }
}

/// The word that starts at byte `i`.
fn word(
    text: &str,
    mut i: usize,
    in_backquote: bool,
    jumps: &HashMap<usize, usize>,
    at: &dyn Fn(usize) -> Position,
) -> Result<Word, ReadFailure> {
    let bytes = text.as_bytes();
    let mut word = Word {
        start: i,
        ..Word::default()
    };
    let mut known = true;
    let keep = |word: &mut Word, known: &mut bool, offset: usize, ch: char| {
        *known &= ch != UNKNOWN;
        if *known {
            word.offsets.push(offset);
            word.literal.push(ch);
        }
    };
    // Past an expansion at `i`: from the scan's record, else by its own syntax.
    let expansion = |i: usize| {
        jumps
            .get(&i)
            .copied()
            .unwrap_or_else(|| skip_expansion(bytes, i))
    };
    while i < bytes.len() {
        let c = bytes[i];
        if ends_word(c, in_backquote) {
            break;
        }
        match c {
            b'\\' => match bytes.get(i + 1) {
                Some(b'\n') => i += 2,
                Some(_) => {
                    let ch = text[i + 1..].chars().next().expect("a character");
                    keep(&mut word, &mut known, i + 1, ch);
                    i += 1 + ch.len_utf8();
                }
                None => i += 1,
            },
            b'\'' => {
                let close = bytes[i + 1..]
                    .iter()
                    .position(|&b| b == b'\'')
                    .ok_or_else(|| unterminated('\'', at(i)))?;
                for (k, ch) in text[i + 1..i + 1 + close].char_indices() {
                    keep(&mut word, &mut known, i + 1 + k, ch);
                }
                i += close + 2;
            }
            b'"' => {
                let open = i;
                i += 1;
                loop {
                    match bytes.get(i) {
                        None => return Err(unterminated('"', at(open))),
                        Some(b'"') => {
                            i += 1;
                            break;
                        }
                        Some(b'\\')
                            if matches!(bytes.get(i + 1), Some(b'$' | b'`' | b'"' | b'\\')) =>
                        {
                            keep(&mut word, &mut known, i + 1, char::from(bytes[i + 1]));
                            i += 2;
                        }
                        Some(b'\\') if bytes.get(i + 1) == Some(&b'\n') => i += 2,
                        Some(b'$') if is_expansion(bytes, i) => {
                            known = false;
                            i = expansion(i);
                        }
                        Some(b'`') if !in_backquote => {
                            known = false;
                            i = expansion(i);
                        }
                        Some(_) => {
                            let ch = text[i..].chars().next().expect("a character");
                            keep(&mut word, &mut known, i, ch);
                            i += ch.len_utf8();
                        }
                    }
                }
            }
            b'$' if is_expansion(bytes, i) => {
                known = false;
                word.splits = true;
                i = expansion(i);
            }
            b'`' => {
                known = false;
                word.splits = true;
                i = expansion(i);
            }
            _ => {
                let ch = text[i..].chars().next().expect("a character");
                word.splits |= ch == UNKNOWN;
                keep(&mut word, &mut known, i, ch);
                i += ch.len_utf8();
            }
        }
    }
    word.end = i.min(bytes.len());
    word.raw = text[word.start..word.end].replace(UNKNOWN, "");
    if known {
        word.text = Some(word.literal.clone());
    }
    Ok(word)
}

/// A `$` at `i` that starts an expansion (not a lone `$`, which is itself).
fn is_expansion(bytes: &[u8], i: usize) -> bool {
    bytes.get(i + 1).is_some_and(|&b| {
        b.is_ascii_alphanumeric()
            || matches!(
                b,
                b'_' | b'(' | b'{' | b'\'' | b'?' | b'#' | b'@' | b'*' | b'$' | b'!' | b'-'
            )
    })
}

/// Past an expansion at `i` (`$NAME`, `${...}`, `$(...)`, `$((...))`, `` `...` ``) that the
/// scan did not record, nesting counted; at most to the end of the text.
fn skip_expansion(bytes: &[u8], mut i: usize) -> usize {
    match (bytes[i], bytes.get(i + 1)) {
        (b'`', _) => {
            i += 1;
            while i < bytes.len() && bytes[i] != b'`' {
                i += if bytes[i] == b'\\' { 2 } else { 1 };
            }
            (i + 1).min(bytes.len())
        }
        (b'$', Some(b'(')) => skip_balanced(bytes, i + 1, bytes.len(), b'(', b')'),
        (b'$', Some(b'{')) => skip_balanced(bytes, i + 1, bytes.len(), b'{', b'}'),
        (b'$', Some(b'\'')) => {
            i += 2;
            while i < bytes.len() && bytes[i] != b'\'' {
                i += if bytes[i] == b'\\' { 2 } else { 1 };
            }
            (i + 1).min(bytes.len())
        }
        (b'$', _) => {
            i += 1;
            if bytes.get(i).is_some_and(|b| {
                matches!(
                    b,
                    b'?' | b'#' | b'@' | b'*' | b'$' | b'!' | b'-' | b'0'..=b'9'
                )
            }) {
                return i + 1;
            }
            while bytes
                .get(i)
                .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_')
            {
                i += 1;
            }
            i
        }
        _ => i + 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place(text: &str) -> impl Fn(usize) -> Position + '_ {
        let index = LineIndex::new(text);
        move |offset| index.position(offset)
    }

    fn texts(line: &str) -> Vec<Option<String>> {
        words(line, 0, false, &HashMap::new(), &place(line))
            .unwrap()
            .0
            .into_iter()
            .map(|w| w.text)
            .collect()
    }

    /// The calls of `text` by their first line and column, with their words.
    fn calls(text: &str, dialect: Dialect) -> Vec<(usize, usize)> {
        read(text, dialect)
            .unwrap()
            .iter()
            .map(|call| {
                let p = call.position.unwrap();
                (p.line, p.column)
            })
            .collect()
    }

    #[test]
    fn words_are_read_as_the_shell_reads_them() {
        let s = |t: &str| Some(t.to_owned());
        assert_eq!(
            texts("aliyun ecs CreateSnapshot --SnapshotName 'a b' --Description=\"x \\\"y\\\"\" \\\n  --DiskId $DISK --Tag.1.Key=k\\ v # comment"),
            [
                s("aliyun"),
                s("ecs"),
                s("CreateSnapshot"),
                s("--SnapshotName"),
                s("a b"),
                s("--Description=x \"y\""),
                s("--DiskId"),
                None,
                s("--Tag.1.Key=k v"),
            ]
        );
        assert_eq!(texts("a \"$(date +%F)-x\" b; c"), [s("a"), None, s("b")]);
        assert_eq!(texts("a `x` ${Y:-z} c && d"), [s("a"), None, None, s("c")]);
        assert_eq!(
            texts("a 2>/dev/null b >out <<EOF c"),
            [s("a"), s("b"), s("c")]
        );
        assert_eq!(texts("a $ b$"), [s("a"), s("$"), s("b$")]);
    }

    #[test]
    fn an_unknown_word_keeps_its_literal_start() {
        let text = "--DiskId=\"$DISK\" x$Y \"$Z\"";
        let (words, _) = words(text, 0, false, &HashMap::new(), &place(text)).unwrap();
        let literals: Vec<(&str, Option<&str>, bool)> = words
            .iter()
            .map(|w| (w.literal.as_str(), w.text.as_deref(), w.splits))
            .collect();
        assert_eq!(
            literals,
            [
                ("--DiskId=", None, false),
                ("x", None, true),
                ("", None, false)
            ]
        );
        assert_eq!(words[0].offsets.len(), "--DiskId=".len());
        assert_eq!((words[0].start, words[0].end), (0, 16));
    }

    #[test]
    fn an_unterminated_quote_is_an_error_at_its_place() {
        let error = read(
            "aliyun ecs CreateSnapshot --SnapshotName 'nightly\n",
            Dialect::Shell,
        )
        .unwrap_err();
        assert_eq!(error.message, "unterminated ' quote at line 1, column 42");
        let error = read("x\naliyun \"abc", Dialect::Shell).unwrap_err();
        assert_eq!(error.message, "unterminated \" quote at line 2, column 8");
    }

    #[test]
    fn a_call_is_a_command_word_never_text_in_quotes_comments_or_heredocs() {
        let text = "\
echo \"Run: aliyun ecs CreateSnapshot --DiskId d-1\"
echo 'aliyun ecs CreateSnapshot --DiskId d-1' # aliyun ecs CreateSnapshot
cat <<EOT
aliyun ecs CreateSnapshot --DiskId d-1 \"
EOT
cat <<-'EOF' > notes
\taliyun ecs CreateSnapshot --DiskId d-1 '
\tEOF
if true; then aliyun ecs CreateSnapshot --DiskId d-1; fi
id=$(aliyun ecs CreateSnapshot --DiskId d-1 | jq .) && echo \"$(aliyun ecs CreateSnapshot --DiskId d-1)\"
DISK=d-1 /usr/local/bin/aliyun --region cn-hangzhou ecs CreateSnapshot --DiskId d-1
x=`aliyun ecs CreateSnapshot --DiskId d-1`; (aliyun ecs CreateSnapshot --DiskId d-1)
echo aliyun ecs CreateSnapshot --DiskId d-1
aliyun ecs DescribeSnapshots
";
        assert_eq!(
            calls(text, Dialect::Shell),
            [(9, 15), (10, 6), (10, 64), (11, 25), (12, 4), (12, 46)]
        );
        let found = read(text, Dialect::Shell).unwrap();
        // Each call ends where its command does: the disk is read in all of them.
        for call in &found {
            assert_eq!(call.parameters[0].value, "d-1", "{}", call.address);
            assert!(call.findings.is_empty(), "{call:?}");
        }
    }

    #[test]
    fn only_a_makefile_s_recipe_lines_are_shell() {
        let text = "\
MSG = it's done
snapshot:
\t@aliyun ecs CreateSnapshot --DiskId $(DISK) \\
\t\t--SnapshotName \"x\"
\t-aliyun ecs CreateSnapshot --DiskId d-1
";
        assert_eq!(calls(text, Dialect::Make), [(3, 3), (5, 3)]);
    }

    #[test]
    fn an_unquoted_heredoc_body_runs_only_its_substitutions_to_its_delimiter_line() {
        let text = "\
cat <<A <<'B'
$(( 1 << 2 )) ${x:-aliyun} $(aliyun ecs CreateSnapshot --DiskId d-1)
A
$(aliyun ecs CreateSnapshot --DiskId d-1)
B
cat <<E
x\\
E
`aliyun ecs CreateSnapshot --DiskId d-1`
E
cat <<-E
\t\t$(aliyun ecs CreateSnapshot --DiskId d-1
E
aliyun ecs CreateSnapshot --DiskId d-1
";
        // A's call; B is data; a `\` at a line's end joins the `E` after it, so the
        // backquotes are in E's body; the last `$(` ends with its body, at its delimiter line.
        assert_eq!(
            calls(text, Dialect::Shell),
            [(2, 30), (9, 2), (12, 5), (14, 1)]
        );
    }

    #[test]
    fn heredoc_bodies_nested_in_bodies_are_scanned_to_a_fixed_depth() {
        let mut text = String::new();
        for level in 0..MAX_BODY_DEPTH + 2 {
            text.push_str(&format!(
                "$(aliyun ecs CreateSnapshot --DiskId d-{level}; cat <<E{level}\n"
            ));
        }
        for level in (0..MAX_BODY_DEPTH + 2).rev() {
            text.push_str(&format!("E{level}\n)\n"));
        }
        let text = format!("cat <<TOP\n{text}TOP\n");
        let found = calls(&text, Dialect::Shell);
        assert_eq!(found.len(), MAX_BODY_DEPTH);
        assert_eq!(found[MAX_BODY_DEPTH - 1], (MAX_BODY_DEPTH + 1, 3));
    }

    #[test]
    fn a_wrapper_s_options_arguments_and_operands_come_before_the_command() {
        let text = "\
timeout -sKILL --kill-after=5 --signal TERM 1m aliyun ecs CreateSnapshot --DiskId d-1
/usr/bin/env -i -uHOME -- aliyun ecs CreateSnapshot --DiskId d-1
sudo -hhost aliyun ecs CreateSnapshot --DiskId d-1; sudo -- -u aliyun ecs CreateSnapshot
nice 2>/dev/null -n 5 aliyun ecs CreateSnapshot --DiskId d-1 | sudo --user ops aliyun ecs CreateSnapshot --DiskId d-1
sudo -e aliyun; sudo --list aliyun; timeout --help aliyun; command -V aliyun; x/command aliyun
timeout 5 echo aliyun; sudo timeout; ./sudo aliyun ecs CreateSnapshot --DiskId d-1
";
        assert_eq!(
            calls(text, Dialect::Shell),
            [(1, 48), (2, 27), (3, 13), (4, 23), (4, 80), (6, 45)]
        );
    }

    #[test]
    fn a_make_rule_line_runs_what_follows_its_semicolon_and_an_assignment_none() {
        let text = "\
A = x ; aliyun ecs CreateSnapshot --DiskId d-1
B ?= x ; aliyun ecs CreateSnapshot --DiskId d-1
C != x ; aliyun ecs CreateSnapshot --DiskId d-1
D += x ; aliyun ecs CreateSnapshot --DiskId d-1
E ::= x ; aliyun ecs CreateSnapshot --DiskId d-1
F :::= x ; aliyun ecs CreateSnapshot --DiskId d-1
ifeq ($(X),a:b) ; aliyun ecs CreateSnapshot --DiskId d-1
t: $(subst ;,:,$(X)) ; aliyun ecs CreateSnapshot --DiskId d-1
%.o: %.c ;aliyun ecs CreateSnapshot --DiskId d-1
a b &: c\\;d ; aliyun ecs CreateSnapshot --DiskId d-1
u: ${Y:a=b}
";
        assert_eq!(calls(text, Dialect::Make), [(8, 24), (9, 11), (10, 15)]);
    }

    #[test]
    fn truncated_text_ends_every_construct_without_a_call_or_a_panic() {
        for text in [
            "aliyun ecs CreateSnapshot <<",
            "aliyun ecs CreateSnapshot <<-",
            "aliyun ecs CreateSnapshot <<'E",
            "cat <<E\n$(aliyun ecs CreateSnapshot",
            "cat <<E\naliyun \\",
            "sudo -",
            "timeout -s",
            "sudo --user",
            "env -- aliyun",
        ] {
            for dialect in [Dialect::Shell, Dialect::Make] {
                let _ = read(text, dialect);
                let _ = read(&format!("t: ;{text}"), dialect);
            }
        }
        assert_eq!(
            calls("t:;aliyun ecs CreateSnapshot --DiskId d-1", Dialect::Make),
            [(1, 4)]
        );
    }

    #[test]
    fn arithmetic_and_parameter_expansions_are_not_commands() {
        let text = "(( n << 2 ))\necho ${x:-aliyun ecs CreateSnapshot} $(( 1 << 3 ))\naliyun ecs CreateSnapshot --DiskId d-1\n";
        assert_eq!(calls(text, Dialect::Shell), [(3, 1)]);
    }
}
