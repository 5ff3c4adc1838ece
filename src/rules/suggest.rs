//! "Did you mean": the known name closest to one the API does not know.

use crate::request::{Parameter, COMMON_PARAMETERS, TAG_INDEX};

/// Names longer than this get no "did you mean" suggestion, so that the work per name is
/// bounded and the whole check stays linear in the input.
const MAX_SUGGESTED_LEN: usize = 64;

/// The candidate closest to `word` by edit distance (letter case ignored, a swap of two
/// neighbouring letters counting as one edit), when it is close enough to be a likely typo;
/// the first such candidate on a tie. Words or candidates longer than 64 characters are never
/// matched.
///
/// ```
/// use ecs_snapshot_rules::rules::did_you_mean;
///
/// assert_eq!(did_you_mean("Descripton", ["DiskId", "Description"]), Some("Description"));
/// assert_eq!(did_you_mean("diskid", ["DiskId", "Description"]), Some("DiskId"));
/// assert_eq!(did_you_mean("Foo", ["DiskId", "Description"]), None);
/// ```
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let word = folded(word)?;
    let mut best: Option<(usize, &'a str)> = None;
    for candidate in candidates {
        let Some(folded_candidate) = folded(candidate) else {
            continue;
        };
        let allowed = tolerance(folded_candidate.len().max(word.len()));
        if folded_candidate.len().abs_diff(word.len()) > allowed {
            continue;
        }
        let distance = edit_distance(&word, &folded_candidate);
        if distance <= allowed && best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, candidate)| candidate)
}

/// The characters of `word`, ASCII letters in lower case; `None` when it is too long to
/// compare.
fn folded(word: &str) -> Option<Vec<char>> {
    if word.len() > 4 * MAX_SUGGESTED_LEN {
        return None;
    }
    let chars: Vec<char> = word.chars().map(|c| c.to_ascii_lowercase()).collect();
    (chars.len() <= MAX_SUGGESTED_LEN).then_some(chars)
}

/// How many edits a name of `len` characters may be away from what was meant.
fn tolerance(len: usize) -> usize {
    match len {
        0..=4 => 1,
        5..=8 => 2,
        _ => 3,
    }
}

/// The optimal-string-alignment distance: insertions, deletions, substitutions and swaps of
/// two neighbours each cost one. Both words are at most 64 characters.
fn edit_distance(a: &[char], b: &[char]) -> usize {
    let width = b.len() + 1;
    let mut rows = vec![0usize; (a.len() + 1) * width];
    for (j, cell) in rows.iter_mut().take(width).enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        rows[i * width] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (rows[(i - 1) * width + j] + 1)
                .min(rows[i * width + j - 1] + 1)
                .min(rows[(i - 1) * width + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[(i - 2) * width + j - 2] + 1);
            }
            rows[i * width + j] = best;
        }
    }
    rows[a.len() * width + b.len()]
}

/// What an unknown parameter most likely meant: a tag parameter in its canonical shape, or
/// the closest request or common parameter.
pub(super) fn suggest_parameter(name: &str) -> Option<String> {
    if name.len() > 4 * MAX_SUGGESTED_LEN || name.chars().count() > MAX_SUGGESTED_LEN {
        return None;
    }
    if let Some(tag) = suggest_tag(name) {
        return Some(tag);
    }
    let candidates = std::iter::once("Action")
        .chain(
            Parameter::ALL
                .iter()
                .filter(|p| !p.is_tag())
                .map(|p| p.name()),
        )
        .chain(COMMON_PARAMETERS.iter().copied());
    did_you_mean(name, candidates).map(str::to_owned)
}

/// `Tag.01.Key`, `tag.1.key`, `Tags.1.Kye`, `Tag1.Key`, `Tag.x.Value`: the tag parameter
/// meant, as `Tag.1.Key` (or `Tag.N.Value` when N is not a number).
fn suggest_tag(name: &str) -> Option<String> {
    let mut parts = name.split('.');
    let first = parts.next()?;
    let (head, number, field) = match (parts.next(), parts.next(), parts.next()) {
        (Some(number), Some(field), None) => (first, number, field),
        // `Tag1.Key`: the dot before N forgotten.
        (Some(field), None, None) => {
            let digits = first
                .find(|c: char| c.is_ascii_digit())
                .unwrap_or(first.len());
            (&first[..digits], &first[digits..], field)
        }
        _ => return None,
    };
    did_you_mean(head, ["Tag", "Tags"])?;
    let field = match did_you_mean(field, ["Key", "Value"])? {
        "Key" => "Key",
        _ => "Value",
    };
    // N written with leading zeros, or not at all: the tag meant, when N is 1 to 20.
    let number = Some(number)
        .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|n| n.trim_start_matches('0').parse::<u32>().ok())
        .filter(|n| TAG_INDEX.contains(n))
        .map_or_else(|| "N".to_owned(), |n| n.to_string());
    Some(format!("Tag.{number}.{field}"))
}
