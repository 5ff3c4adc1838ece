//! Suppression comments: `# ecs-snapshot-rules:ignore CODE[, CODE]` (or `//` in HCL) on the
//! line before a finding, or before the resource, silences those codes there, as tflint's
//! `# tflint-ignore: rule` does. `all` silences every code.

use std::collections::HashMap;

use crate::finding::Subject;

const MARKER: &str = "ecs-snapshot-rules:ignore";

/// The codes each line's comment silences on the line after it, by that next line.
pub struct Suppressions {
    by_line: HashMap<usize, Vec<String>>,
}

impl Suppressions {
    /// The suppression comments of `text`. A comment is a line whose first non-blank
    /// characters are `#` or `//`.
    pub fn read(text: &str) -> Suppressions {
        let mut by_line = HashMap::new();
        for (n, line) in text.lines().enumerate() {
            let line = line.trim_start();
            let Some(comment) = line.strip_prefix('#').or_else(|| line.strip_prefix("//")) else {
                continue;
            };
            let Some(list) = comment.trim_start().strip_prefix(MARKER) else {
                continue;
            };
            if !list.is_empty() && !list.starts_with(char::is_whitespace) {
                continue;
            }
            let codes: Vec<String> = list
                .split(|c: char| c == ',' || c.is_whitespace())
                .map(str::trim)
                .filter(|code| !code.is_empty())
                .map(str::to_owned)
                .collect();
            // The comment on line n (from 0) is on line n + 1; it covers line n + 2.
            by_line.insert(n + 2, codes);
        }
        Suppressions { by_line }
    }

    fn silences(&self, line: usize, rule: &str) -> bool {
        self.by_line
            .get(&line)
            .is_some_and(|codes| codes.iter().any(|code| code == rule || code == "all"))
    }

    /// Removes from `subject` the findings a comment silences, counting them.
    pub fn apply(&self, subject: &mut Subject) {
        if self.by_line.is_empty() {
            return;
        }
        let start = subject.position.map(|p| p.line);
        let before = subject.findings.len();
        subject.findings.retain(|finding| {
            let at = finding.position.map(|p| p.line);
            let silenced = [at, start]
                .into_iter()
                .flatten()
                .any(|line| self.silences(line, &finding.rule));
            !silenced
        });
        subject.suppressed += before - subject.findings.len();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{Finding, Position, Severity};

    fn finding(rule: &'static str, line: usize) -> Finding {
        Finding {
            severity: Severity::Error,
            rule: rule.into(),
            status: Some(400),
            message: String::new(),
            parameter: None,
            attribute: None,
            position: Some(Position::new(line, 3)),
            suggestion: None,
        }
    }

    #[test]
    fn a_comment_silences_its_codes_on_the_next_line_and_the_resource_below_it() {
        let text = "\
# ecs-snapshot-rules:ignore QuotaExceed.Tags
resource \"alicloud_ecs_snapshot\" \"a\" {
  // ecs-snapshot-rules:ignore InvalidSnapshotName.Malformed, Duplicate.TagKey
  snapshot_name = \"1st\"
  retention_days = 0
}
";
        let suppressions = Suppressions::read(text);
        let mut subject = Subject {
            position: Some(Position::new(2, 1)),
            findings: vec![
                finding("InvalidSnapshotName.Malformed", 4),
                finding("InvalidRetentionDays.Malformed", 5),
                finding("QuotaExceed.Tags", 6),
                finding("Duplicate.TagKey", 5),
            ],
            ..Subject::default()
        };
        suppressions.apply(&mut subject);
        let left: Vec<&str> = subject.findings.iter().map(|f| &*f.rule).collect();
        assert_eq!(left, ["InvalidRetentionDays.Malformed", "Duplicate.TagKey"]);
        assert_eq!(subject.suppressed, 2);
    }

    #[test]
    fn all_silences_everything_and_other_comments_nothing() {
        let suppressions = Suppressions::read(
            "# ecs-snapshot-rules:ignore all\nx\n# ecs-snapshot-rules:ignored X\ny\n",
        );
        assert!(suppressions.silences(2, "InvalidRetentionDays.Malformed"));
        assert!(!suppressions.silences(4, "X"));
        assert!(!suppressions.silences(3, "InvalidRetentionDays.Malformed"));
    }
}
