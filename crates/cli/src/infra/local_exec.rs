//! Terraform's `local-exec` provisioners, in any resource: the `command` of each, which
//! Terraform hands to `/bin/sh -c` when the resource is created (or, `when = destroy`,
//! destroyed), read as shell text by [`super::shell`], each byte of it mapped back to its
//! place in the `.tf` file.
//!
//! The command is rebuilt as Terraform renders it: literal text with its escapes decoded,
//! known interpolations substituted, an interpolation not known replaced by
//! [`shell::UNKNOWN`] around its text (its shell word is then not known from there), and
//! the text from a template directive (`%{if}`, `%{for}`) on not read at all.

use hcl_edit::expr::Expression;
use hcl_edit::structure::Block;
use hcl_edit::template::{Directive, Element, Strip};
use hcl_edit::Span;

use super::position::LineIndex;
use super::shell::{self, Dialect, UNKNOWN};
use super::variables::{Scope, Value};
use super::DeclaredSnapshot;
use crate::finding::Position;

/// Programs that run their `-c` argument as POSIX shell text (by basename).
const SHELLS: &[&str] = &["sh", "bash", "dash", "zsh", "ksh", "ash", "busybox"];

/// Whether `block` has a `local-exec` provisioner: only then are its instances read for one.
pub fn has_local_exec(block: &Block) -> bool {
    provisioners(block).next().is_some()
}

fn provisioners(block: &Block) -> impl Iterator<Item = &Block> {
    block.body.blocks().filter(|p| {
        p.ident.as_str() == "provisioner"
            && matches!(p.labels.as_slice(), [label] if label.as_str() == "local-exec")
    })
}

/// The calls of the CLI in the `local-exec` provisioners of the resource instance `block`
/// (addressed `address`), its values read in `scope`; `source` is the text the spans count
/// in, `index` its lines. Each is addressed `ADDRESS local-exec: aliyun ecs CreateSnapshot #N`,
/// numbered through the resource's provisioners.
pub fn calls(
    block: &Block,
    source: &str,
    index: &LineIndex,
    scope: &Scope,
    address: &str,
) -> Vec<DeclaredSnapshot> {
    let mut found = Vec::new();
    for provisioner in provisioners(block) {
        if !runs_shell(provisioner, scope) {
            continue;
        }
        let Some(command) = provisioner.body.get_attribute("command") else {
            continue;
        };
        let Some(rendered) = render(&command.value, source, scope) else {
            continue;
        };
        let map = &rendered.map;
        let at = |offset: usize| index.position(map[offset.min(map.len() - 1)]);
        let before = found.len();
        // A command the shell cannot parse (an unterminated quote, or one cut at a
        // directive) runs nothing that can be judged: its calls are dropped, not the file.
        if shell::scan_into(&rendered.text, Dialect::Shell, &at, &mut found).is_err() {
            found.truncate(before);
        }
    }
    for call in &mut found {
        call.address = format!("{address} local-exec: {}", call.address);
    }
    found
}

/// The calls of the CLI in the `command` string `command` of a `local-exec` provisioner in
/// Terraform's JSON syntax (a template), whose opening quote is at `quote`; `interpreter`
/// as evaluated. Each column is counted from the quote as if the string had no JSON escape;
/// a string holding a character JSON must escape (a quote, a `\`, a line break) has every
/// call and value placed at its quote.
pub fn json_calls(
    command: &str,
    quote: Position,
    interpreter: Option<Value>,
    scope: &Scope,
    calls: &mut Vec<DeclaredSnapshot>,
) {
    if !interpreter.as_ref().is_none_or(is_shell) || !command.contains("aliyun") {
        return;
    }
    let Ok(template) = hcl_edit::parser::parse_template(command) else {
        return;
    };
    let mut rendered = Rendered::default();
    template_into(&mut rendered, template.iter(), command, scope, false, 0);
    let rendered = rendered.finish(0);
    let escaped = command
        .chars()
        .any(|c| c == '"' || c == '\\' || c.is_control());
    // The characters before each byte of the command, for its column.
    let mut before = Vec::with_capacity(command.len() + 1);
    for (n, c) in command.chars().enumerate() {
        before.extend(std::iter::repeat_n(n, c.len_utf8()));
    }
    before.push(command.chars().count());
    let map = &rendered.map;
    let at = |offset: usize| {
        if escaped {
            return quote;
        }
        let byte = map[offset.min(map.len() - 1)].min(command.len());
        Position::new(quote.line, quote.column + 1 + before[byte])
    };
    let from = calls.len();
    if shell::scan_into(&rendered.text, Dialect::Shell, &at, calls).is_err() {
        calls.truncate(from);
    }
}

/// Whether the provisioner runs its command with a POSIX shell: by default (`/bin/sh -c`),
/// or when the first word of its `interpreter` is not known, or names one. PowerShell,
/// `cmd`, Python and the like do not read shell text.
fn runs_shell(provisioner: &Block, scope: &Scope) -> bool {
    provisioner
        .body
        .get_attribute("interpreter")
        .is_none_or(|interpreter| is_shell(&scope.evaluate(&interpreter.value)))
}

/// Whether the `interpreter` value runs shell text: a list whose first word, when known,
/// names a POSIX shell.
fn is_shell(interpreter: &Value) -> bool {
    let Value::List(words) = interpreter else {
        return true;
    };
    let Some(Value::String(program)) = words.first() else {
        return true;
    };
    let name = program.rsplit(['/', '\\']).next().unwrap_or(program);
    let name = name.to_ascii_lowercase();
    let name = name.strip_suffix(".exe").unwrap_or(&name);
    SHELLS.contains(&name)
}

/// A command as Terraform renders it, and for each byte of it (and one past its end) the
/// byte offset in the file's text it comes from.
#[derive(Debug, Default)]
struct Rendered {
    text: String,
    map: Vec<usize>,
}

impl Rendered {
    fn push(&mut self, text: &str, from: impl Iterator<Item = usize>) {
        self.text.push_str(text);
        self.map.extend(from.take(text.len()));
        // Every byte has its place, whatever `from` gave.
        let last = self.map.last().copied().unwrap_or(0);
        self.map.resize(self.text.len(), last);
    }

    /// `text` all from the one place `at`.
    fn push_at(&mut self, text: &str, at: usize) {
        self.push(text, std::iter::repeat(at));
    }

    /// Text not known, shown as `${shown}` (or `%{shown}`), at `at`.
    fn push_unknown(&mut self, sigil: char, shown: &str, at: usize) {
        let text = format!("{UNKNOWN}{sigil}{{{shown}}}{UNKNOWN}");
        self.push_at(&text, at);
    }

    /// Drops the whitespace at the end of the text, back to `from` at most (a `~` strips the
    /// literal before it).
    fn strip_end(&mut self, from: usize) {
        let kept = self.text[from..].trim_end_matches(is_blank).len();
        self.text.truncate(from + kept);
        self.map.truncate(from + kept);
    }

    fn finish(mut self, end: usize) -> Rendered {
        let last = self.map.last().copied().unwrap_or(end);
        self.map.push(last);
        self
    }
}

fn is_blank(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

/// The command `expression` renders to in `scope`, with the place of each byte; `None` when
/// nothing of it is known.
fn render(expression: &Expression, source: &str, scope: &Scope) -> Option<Rendered> {
    let span = expression.span().unwrap_or(0..0);
    let mut rendered = Rendered::default();
    match expression {
        Expression::Parenthesis(inner) => return render(inner.inner(), source, scope),
        Expression::String(string) => {
            // The value between the quotes.
            let inside = (span.start + 1).min(span.end)..span.end.saturating_sub(1);
            let map = literal_map(source, inside, string.value(), true);
            rendered.push(string.value(), map.into_iter());
        }
        Expression::StringTemplate(template) => template_into(
            &mut rendered,
            template.iter(),
            source,
            scope,
            true,
            span.start,
        ),
        Expression::HeredocTemplate(heredoc) => template_into(
            &mut rendered,
            heredoc.template.iter(),
            source,
            scope,
            false,
            span.start,
        ),
        _ => match scope.evaluate(expression) {
            Value::String(text) => rendered.push_at(&text, span.start),
            _ => return None,
        },
    }
    Some(rendered.finish(span.start))
}

/// The elements of a string template (`quoted`: its literals have `\` escapes) or of a
/// heredoc, rendered into `rendered`; the text from a directive on is not read.
fn template_into<'t>(
    rendered: &mut Rendered,
    elements: impl Iterator<Item = &'t Element>,
    source: &str,
    scope: &Scope,
    quoted: bool,
    start: usize,
) {
    // Where the literal just rendered starts (`None` when the last element was none), and
    // whether the next literal's leading whitespace is stripped (`~}`).
    let mut literal_from = None;
    let mut strip_next = false;
    for element in elements {
        let span = element.span().unwrap_or(start..start);
        match element {
            Element::Literal(literal) => {
                let value = literal.value().as_str();
                let map = literal_map(source, span, value, quoted);
                let skip = if strip_next {
                    value.len() - value.trim_start_matches(is_blank).len()
                } else {
                    0
                };
                literal_from = Some(rendered.text.len());
                rendered.push(&value[skip..], map.into_iter().skip(skip));
                strip_next = false;
                continue;
            }
            Element::Interpolation(interpolation) => {
                strip(rendered, literal_from, interpolation.strip);
                match scope.evaluate(&interpolation.expr).as_sent() {
                    Some(value) => rendered.push_at(&value, span.start),
                    None => {
                        rendered.push_unknown('$', &shown(&interpolation.expr), span.start);
                    }
                }
                strip_next = interpolation.strip.strip_end();
            }
            Element::Directive(directive) => {
                let strip_marks = match directive.as_ref() {
                    Directive::If(d) => d.if_expr.strip,
                    Directive::For(d) => d.for_expr.strip,
                };
                strip(rendered, literal_from, strip_marks);
                rendered.push_unknown('%', "…", span.start);
                return;
            }
        }
        literal_from = None;
    }
}

/// A `~` before an interpolation or directive strips the whitespace at the end of the
/// literal before it.
fn strip(rendered: &mut Rendered, literal_from: Option<usize>, marks: Strip) {
    if let (true, Some(from)) = (marks.strip_start(), literal_from) {
        rendered.strip_end(from);
    }
}

/// The text an interpolation not known is shown by: its expression when that is a plain
/// reference (`var.disk`, `self.id`), else `…`; never a character that the shell reads.
fn shown(expression: &Expression) -> String {
    let text = expression.to_string();
    let text = text.trim();
    let plain = !text.is_empty()
        && text.len() <= 64
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-' | b'[' | b']'));
    if plain {
        text.to_owned()
    } else {
        "…".to_owned()
    }
}

/// For each byte of `value`, the literal of `source[span]` decoded, the offset in `source`
/// of the character it comes from: `\` escapes (in a quoted string), `$${` and `%%{`, and
/// (in a heredoc) the indentation `<<-` strips and the `\r` of a line break are stepped
/// over. From where the value and its source no longer match, every byte is placed there.
fn literal_map(
    source: &str,
    span: std::ops::Range<usize>,
    value: &str,
    quoted: bool,
) -> Vec<usize> {
    let end = span.end.min(source.len());
    let mut p = span.start.min(end);
    let mut map = Vec::with_capacity(value.len());
    let mut v = 0;
    while v < value.len() {
        let Some(rest) = source.get(p..end) else {
            break;
        };
        let wanted = &value[v..];
        if (rest.starts_with("$${") && wanted.starts_with("${"))
            || (rest.starts_with("%%{") && wanted.starts_with("%{"))
        {
            map.extend([p + 1, p + 2]);
            v += 2;
            p += 3;
            continue;
        }
        let (Some(have), Some(want)) = (rest.chars().next(), wanted.chars().next()) else {
            break;
        };
        if quoted && have == '\\' {
            match escape(&rest[1..]) {
                Some((decoded, length)) if decoded == want => {
                    map.extend(std::iter::repeat_n(p, want.len_utf8()));
                    v += want.len_utf8();
                    p += 1 + length;
                    continue;
                }
                _ => break,
            }
        }
        if have == want {
            map.extend(std::iter::repeat_n(p, want.len_utf8()));
            v += want.len_utf8();
            p += have.len_utf8();
        } else if !quoted && matches!(have, ' ' | '\t' | '\r') {
            p += 1;
        } else {
            break;
        }
    }
    map.resize(value.len(), p);
    map
}

/// The character an escape of a quoted HCL string stands for (`rest` after its `\`), and
/// the bytes it takes after the `\`.
fn escape(rest: &str) -> Option<(char, usize)> {
    let simple = match rest.as_bytes().first()? {
        b'n' => '\n',
        b'r' => '\r',
        b't' => '\t',
        b'\\' => '\\',
        b'"' => '"',
        b'u' => return hex(rest, 4),
        b'U' => return hex(rest, 8),
        _ => return None,
    };
    Some((simple, 1))
}

fn hex(rest: &str, digits: usize) -> Option<(char, usize)> {
    let code = u32::from_str_radix(rest.get(1..1 + digits)?, 16).ok()?;
    Some((char::from_u32(code)?, 1 + digits))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::infra::terraform::parse;

    /// A call's address and place, and each parameter's value and place.
    type Call = (String, Position, Vec<(String, Position)>);

    /// Each call of the first resource of `text`.
    fn found(text: &str, scope: &Scope) -> Vec<Call> {
        let body = parse(text).unwrap();
        let block = body.blocks().next().unwrap();
        let index = LineIndex::new(text);
        calls(block, text, &index, scope, "null_resource.x")
            .into_iter()
            .map(|call| {
                let values = call
                    .parameters
                    .iter()
                    .map(|p| (format!("{}={}", p.name, p.value), p.position.unwrap()))
                    .collect();
                (call.address, call.position.unwrap(), values)
            })
            .collect()
    }

    fn one(command: &str) -> Vec<Call> {
        let text = format!(
            "resource \"null_resource\" \"x\" {{\n  provisioner \"local-exec\" {{\n    command = {command}\n  }}\n}}\n"
        );
        found(&text, &Scope::default())
    }

    #[test]
    fn escapes_shift_the_columns_of_what_follows_them() {
        let p = Position::new;
        let s = |t: &str| t.to_owned();
        // `\"` is two bytes in the file, one in the command; `$${` three for two.
        let calls = one(
            r#""echo \"a\" $${HOME}; aliyun ecs CreateSnapshot --DiskId \"d-1\" --SnapshotName x\u00e9y""#,
        );
        assert_eq!(
            calls,
            [(
                s("null_resource.x local-exec: aliyun ecs CreateSnapshot #1"),
                p(3, 37),
                vec![
                    (s("DiskId=d-1"), p(3, 72)),
                    (s("SnapshotName=xéy"), p(3, 95))
                ]
            )]
        );
    }

    #[test]
    fn an_indented_heredoc_maps_past_the_indentation_it_strips() {
        let p = Position::new;
        let calls = one("<<-EOT\r\n      set -e\r\n      aliyun ecs CreateSnapshot \\\r\n        --DiskId d-1\r\n    EOT");
        assert_eq!(calls.len(), 1);
        assert_eq!(calls[0].1, p(5, 7));
        assert_eq!(calls[0].2, [("DiskId=d-1".to_owned(), p(6, 18))]);
    }

    #[test]
    fn strip_markers_join_the_words_around_them() {
        let mut scope = Scope::default();
        scope
            .variables
            .insert("name".into(), Value::String("1bad".into()));
        let text = "resource \"null_resource\" \"x\" {\n  provisioner \"local-exec\" {\n    command = \"aliyun ecs CreateSnapshot --DiskId d-1 --SnapshotName= ${~var.name~} x\"\n  }\n}\n";
        let calls = found(text, &scope);
        assert_eq!(calls[0].2[1].0, "SnapshotName=1badx");
    }

    #[test]
    fn a_directive_leaves_its_word_and_the_rest_of_the_command_not_known() {
        let calls = one(
            "\"aliyun ecs CreateSnapshot --SnapshotName 1bad --DiskId d-%{if true}1%{endif} --Description x\"",
        );
        assert_eq!(calls.len(), 1);
        // The name before it is judged, the disk is not known, the description not read.
        assert_eq!(
            calls[0].2,
            [("SnapshotName=1bad".to_owned(), Position::new(3, 57))]
        );
        // A quote the cut leaves open makes no call, and no error.
        assert!(one("\"aliyun ecs CreateSnapshot --DiskId 'd-%{if true}1%{endif}'\"").is_empty());
        // A non-shell interpreter runs no call; an unknown one is taken for a shell.
        let text = |interpreter: &str| {
            format!("resource \"null_resource\" \"x\" {{\n  provisioner \"local-exec\" {{\n    interpreter = {interpreter}\n    command = \"aliyun ecs CreateSnapshot --DiskId d-1\"\n  }}\n}}\n")
        };
        for (interpreter, runs) in [
            ("[\"python3\", \"-c\"]", false),
            ("[\"C:\\\\Windows\\\\cmd.exe\", \"/C\"]", false),
            ("[\"BASH.EXE\", \"-c\"]", true),
            ("[\"/usr/bin/busybox\", \"sh\", \"-c\"]", true),
            ("[var.shell, \"-c\"]", true),
            ("[]", true),
        ] {
            let found = found(&text(interpreter), &Scope::default());
            assert_eq!(found.len(), usize::from(runs), "{interpreter}");
        }
    }

    #[test]
    fn hostile_text_maps_every_offset_without_a_panic() {
        for command in [
            "\"\"",
            "\"\\u00e9\\\"\"",
            "\"é${var.x}é%{if true}aliyun%{endif}\"",
            "\"aliyun ecs CreateSnapshot --DiskId '${self.id}\"",
            "<<EOT\nEOT",
            "<<-EOT\n\t aliyun ecs CreateSnapshot $${X} ${\"a\"}é\n  EOT",
        ] {
            let _ = one(command);
        }
        let map = literal_map("ab", 5..9, "xyz", true);
        assert_eq!(map, [2, 2, 2]);
    }
}
