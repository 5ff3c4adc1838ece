//! `aliyun ecs CreateSnapshot ...` calls in shell scripts, Makefiles and CI files: each
//! call's words as the shell reads them (quotes, `\` escapes and line continuations),
//! with the place of each word. A word with a variable, a command substitution or a
//! backquote is unknown. The words go to [`super::aliyun_cli`], which reads them as the
//! CLI does.
//!
//! A call is found by its words `aliyun ecs CreateSnapshot` (`aliyun` possibly a path,
//! or with Make's `@`/`-` prefixes) on a line that is not a comment; it ends where the
//! shell's command would: at an unquoted newline, `;`, `&`, `|`, `)` or `#` comment.

use super::aliyun_cli;
use super::position::LineIndex;
use super::word::Word;
use super::{Declarations, ReadFailure};

/// The calls of the file `text`.
pub fn read(text: &str) -> Declarations {
    let index = LineIndex::new(text);
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(at) = text[from..].find("aliyun").map(|i| i + from) {
        from = at + "aliyun".len();
        if !starts_word(bytes, at) || !names_the_call(bytes, from) || in_comment(bytes, at) {
            continue;
        }
        let (words, end) = words(text, at)?;
        let is_call = words.len() >= 3
            && words[1]
                .text
                .as_deref()
                .is_some_and(|w| w.eq_ignore_ascii_case("ecs"))
            && words[2].text.as_deref() == Some("CreateSnapshot");
        if is_call {
            let number = found.len() + 1;
            found.push(aliyun_cli::call(
                format!("aliyun ecs CreateSnapshot #{number}"),
                index.position(at),
                &words[3..],
                &|offset| index.position(offset),
            ));
            from = end.max(from);
        }
    }
    Ok(found)
}

/// `aliyun` starts a word: the line starts, or a blank, a path, a Make prefix or an
/// operator comes before it.
fn starts_word(bytes: &[u8], at: usize) -> bool {
    at == 0
        || matches!(
            bytes[at - 1],
            b' ' | b'\t'
                | b'\n'
                | b'\r'
                | b'/'
                | b'@'
                | b'-'
                | b'('
                | b';'
                | b'&'
                | b'|'
                | b'`'
                | b'"'
                | b'\''
        )
}

/// After `aliyun` (ending at `end`) come the words `ecs` and `CreateSnapshot`, separated
/// by blanks or line continuations: checked on the raw text before any word is read, so
/// that prose that mentions aliyun is never read as shell.
fn names_the_call(bytes: &[u8], end: usize) -> bool {
    let blanks = |mut i: usize| {
        let from = i;
        loop {
            match (bytes.get(i), bytes.get(i + 1)) {
                (Some(b' ' | b'\t'), _) => i += 1,
                (Some(b'\\'), Some(b'\n')) => i += 2,
                _ => break,
            }
        }
        (i > from).then_some(i)
    };
    let Some(i) = blanks(end) else {
        return false;
    };
    if !bytes
        .get(i..i + 3)
        .is_some_and(|w| w.eq_ignore_ascii_case(b"ecs"))
    {
        return false;
    }
    let Some(i) = blanks(i + 3) else {
        return false;
    };
    bytes
        .get(i..)
        .is_some_and(|rest| rest.starts_with(b"CreateSnapshot"))
        && bytes
            .get(i + "CreateSnapshot".len())
            .is_none_or(|b| b.is_ascii_whitespace() || matches!(b, b';' | b'&' | b'|' | b')'))
}

/// The line holding `at` is a comment (its first non-blank character is `#`).
fn in_comment(bytes: &[u8], at: usize) -> bool {
    let start = bytes[..at]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    bytes[start..at]
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|&b| b == b'#')
}

/// The words of the command that starts at byte `start`, and where it ends.
pub fn words(text: &str, start: usize) -> Result<(Vec<Word>, usize), ReadFailure> {
    let bytes = text.as_bytes();
    let index = || LineIndex::new(text);
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
            _ => {}
        }
        let word_start = i;
        let mut text_out = String::new();
        let mut offsets = Vec::new();
        let mut known = true;
        while i < bytes.len() {
            let c = bytes[i];
            match c {
                b' ' | b'\t' | b'\r' | b'\n' | b';' | b'&' | b'|' | b')' => break,
                b'\\' => match bytes.get(i + 1) {
                    Some(b'\n') => i += 2,
                    Some(_) => {
                        let ch = text[i + 1..].chars().next().expect("a character");
                        offsets.push(i + 1);
                        text_out.push(ch);
                        i += 1 + ch.len_utf8();
                    }
                    None => i += 1,
                },
                b'\'' => {
                    let close =
                        bytes[i + 1..]
                            .iter()
                            .position(|&b| b == b'\'')
                            .ok_or_else(|| {
                                let p = index().position(i);
                                ReadFailure::at(
                                    format!(
                                        "unterminated ' quote at line {}, column {}",
                                        p.line, p.column
                                    ),
                                    Some(p),
                                )
                            })?;
                    for (k, ch) in text[i + 1..i + 1 + close].char_indices() {
                        offsets.push(i + 1 + k);
                        text_out.push(ch);
                    }
                    i += close + 2;
                }
                b'"' => {
                    let open = i;
                    i += 1;
                    loop {
                        match bytes.get(i) {
                            None => {
                                let p = index().position(open);
                                return Err(ReadFailure::at(
                                    format!(
                                        "unterminated \" quote at line {}, column {}",
                                        p.line, p.column
                                    ),
                                    Some(p),
                                ));
                            }
                            Some(b'"') => {
                                i += 1;
                                break;
                            }
                            Some(b'\\')
                                if matches!(bytes.get(i + 1), Some(b'$' | b'`' | b'"' | b'\\')) =>
                            {
                                offsets.push(i + 1);
                                text_out.push(char::from(bytes[i + 1]));
                                i += 2;
                            }
                            Some(b'\\') if bytes.get(i + 1) == Some(&b'\n') => i += 2,
                            Some(b'$' | b'`') => {
                                known = false;
                                i = skip_expansion(bytes, i);
                            }
                            Some(_) => {
                                let ch = text[i..].chars().next().expect("a character");
                                offsets.push(i);
                                text_out.push(ch);
                                i += ch.len_utf8();
                            }
                        }
                    }
                }
                b'$' | b'`' => {
                    known = false;
                    i = skip_expansion(bytes, i);
                }
                _ => {
                    let ch = text[i..].chars().next().expect("a character");
                    offsets.push(i);
                    text_out.push(ch);
                    i += ch.len_utf8();
                }
            }
        }
        words.push(Word {
            text: known.then_some(text_out),
            start: word_start,
            offsets: if known { offsets } else { Vec::new() },
        });
    }
}

/// Past an expansion at `i` (`$NAME`, `${...}`, `$(...)`, `$((...))`, `` `...` ``), nesting
/// counted, quotes inside skipped; at most to the end of the text.
fn skip_expansion(bytes: &[u8], mut i: usize) -> usize {
    let (open, close) = match (bytes[i], bytes.get(i + 1)) {
        (b'`', _) => {
            i += 1;
            while i < bytes.len() && bytes[i] != b'`' {
                i += if bytes[i] == b'\\' { 2 } else { 1 };
            }
            return (i + 1).min(bytes.len());
        }
        (b'$', Some(b'(')) => (b'(', b')'),
        (b'$', Some(b'{')) => (b'{', b'}'),
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
            return i;
        }
        _ => return i + 1,
    };
    let mut depth = 0usize;
    i += 1;
    while i < bytes.len() {
        let b = bytes[i];
        if b == open {
            depth += 1;
        } else if b == close {
            depth -= 1;
            if depth == 0 {
                return i + 1;
            }
        } else if b == b'\\' {
            i += 1;
        } else if b == b'\'' && open == b'(' {
            i += bytes[i + 1..]
                .iter()
                .position(|&c| c == b'\'')
                .map_or(bytes.len(), |p| p + 1);
        }
        i += 1;
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(line: &str) -> Vec<Option<String>> {
        words(line, 0)
            .unwrap()
            .0
            .into_iter()
            .map(|w| w.text)
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
    }

    #[test]
    fn an_unterminated_quote_is_an_error_at_its_place() {
        let error = words("aliyun ecs CreateSnapshot --SnapshotName 'nightly\n", 0).unwrap_err();
        assert_eq!(error.message, "unterminated ' quote at line 1, column 42");
        let error = words("x\naliyun \"abc", 2).unwrap_err();
        assert_eq!(error.message, "unterminated \" quote at line 2, column 8");
    }
}
