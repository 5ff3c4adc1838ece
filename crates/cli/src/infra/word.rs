//! A shell word as the shell reads it, with where it is: what the script reader makes and the
//! aliyun CLI reader reads.

/// One shell word: its text when known, what comes before its first expansion, and where
/// it is.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Word {
    /// The word after quote removal; `None` when it holds an expansion.
    pub text: Option<String>,
    /// The text before the word's first expansion, after quote removal: all of it when the
    /// word is known. `--DiskId="$DISK"` is `--DiskId=`: a flag whose value is unknown.
    pub literal: String,
    /// Byte offset of its first character in the file.
    pub start: usize,
    /// Byte offset just past its last character in the file.
    pub end: usize,
    /// The word as written, quotes and expansions included (`--Disk$X`, `$ARGS`).
    pub raw: String,
    /// Byte offset of each character of `literal` in the file, for a place inside the word
    /// (the value of `--Name=value`).
    pub offsets: Vec<usize>,
    /// It holds an expansion outside quotes, which the shell splits into fields: it may
    /// become several words, flags among them, or none.
    pub splits: bool,
}
