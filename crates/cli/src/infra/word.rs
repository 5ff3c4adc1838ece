//! A shell word as the shell reads it, with where it is: what the script reader makes and the
//! aliyun CLI reader reads.

/// One shell word: its text when known, and where it starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Word {
    /// The word after quote removal; `None` when it holds an expansion.
    pub text: Option<String>,
    /// Byte offset of its first character in the file.
    pub start: usize,
    /// Byte offset of each character of `text` in the file, for a place inside the word
    /// (the value of `--Name=value`); empty for an unknown word.
    pub offsets: Vec<usize>,
}
