//! Text to draw from: characters of every width, lengths at their bounds and between, and the
//! repairs that keep a drawn text clear of a forbidden prefix or URL.

use proptest::collection::vec;
use proptest::prelude::*;

/// One character: ASCII most often, then two-, three- and four-byte ones, then any. Drawn
/// as one number (cheap to generate and to shrink: towards ASCII).
pub(super) fn any_char() -> BoxedStrategy<char> {
    any::<u32>().prop_map(char_of).boxed()
}

/// The character a drawn number stands for.
fn char_of(n: u32) -> char {
    let (class, rest) = (n % 12, n / 12);
    let in_range = |low: u32, high: u32| char::from_u32(low + rest % (high - low + 1));
    let c = match class {
        0..=5 => in_range(0x20, 0x7e),
        6 | 7 => in_range(0xa0, 0x7ff),
        8 | 9 => in_range(0x4e00, 0x9fff),
        10 => in_range(0x1f300, 0x1f64f),
        // Any scalar value but the surrogates and the duplicate mark.
        _ => char::from_u32(rest % 0x11_0000).filter(|&c| c != DUPLICATE_MARK),
    };
    c.unwrap_or('?')
}

/// What a replaced duplicate tag key starts with (never drawn otherwise).
pub(super) const DUPLICATE_MARK: char = '\u{e000}';

/// A length: `min`, `max`, or one between.
pub(super) fn length(min: usize, max: usize) -> impl Strategy<Value = usize> {
    prop_oneof![1 => Just(min), 1 => Just(max), 3 => min..=max]
}

/// Text of `min` to `max` characters drawn from `chars`, lengths at the bounds often.
pub(super) fn text_of(
    chars: impl Strategy<Value = char> + Clone,
    min: usize,
    max: usize,
) -> impl Strategy<Value = Vec<char>> {
    length(min, max).prop_flat_map(move |n| vec(chars.clone(), n))
}

/// Text of `min` to `max` characters drawn from `chars`, any length between.
pub(super) fn string_of(
    chars: impl Strategy<Value = char> + 'static,
    min: usize,
    max: usize,
) -> BoxedStrategy<String> {
    vec(chars, min..=max)
        .prop_map(|c| c.into_iter().collect())
        .boxed()
}

/// Breaks every `://` in place (`:|/`), so that the text holds no URL.
pub(super) fn defuse_urls(chars: &mut [char]) {
    for i in 0..chars.len().saturating_sub(2) {
        if chars[i] == ':' && chars[i + 1] == '/' && chars[i + 2] == '/' {
            chars[i + 1] = '|';
        }
    }
}

/// Upper-cases the first character when the text starts with a forbidden prefix (the rules
/// are case-sensitive, D7).
pub(super) fn defuse_prefixes(chars: &mut [char], prefixes: &[&str]) {
    let text: String = chars.iter().collect();
    if prefixes.iter().any(|prefix| text.starts_with(prefix)) {
        chars[0] = chars[0].to_ascii_uppercase();
    }
}
