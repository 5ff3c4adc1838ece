//! The shape nearly every request has, read in one pass without serde's machinery.

use std::borrow::Cow;

use super::{push_item, push_tag_fields, Fields, Item, Others};
use crate::request::Name;
use crate::wire::build::Builder;
use crate::wire::words::{has_below, has_byte, word};
use crate::wire::ParseError;

/// The shape nearly every request has, read without serde's machinery: an object of
/// strings without escapes, integers, booleans and nulls, and the SDK's tag list of such
/// objects. Each method gives `None` at anything else (an escape, a fraction, other
/// nesting, a syntax error), and the document is then read again by serde_json, which gives
/// the same answer to what both read and the only answer to the rest.
pub(super) struct Plain<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Plain<'a> {
    /// A reader at the start of `text`.
    pub(super) fn new(text: &'a str) -> Self {
        Plain { text, at: 0 }
    }

    fn bytes(&self) -> &'a [u8] {
        self.text.as_bytes()
    }

    /// The next byte after white space.
    fn peek(&mut self) -> Option<u8> {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes().get(self.at) {
            self.at += 1;
        }
        self.bytes().get(self.at).copied()
    }

    fn eat(&mut self, byte: u8) -> Option<()> {
        (self.peek()? == byte).then(|| self.at += 1)
    }

    /// The whole document, pushed into `builder`; its answer is the first failure.
    pub(super) fn document(
        &mut self,
        builder: &mut Builder<'_, 'a>,
        mut others: Option<&mut Others>,
    ) -> Option<Result<(), ParseError>> {
        let mut failure = None;
        self.object(|this, name| {
            if name == "Tag" {
                return this.tag_list(builder, others.as_deref_mut(), &mut failure);
            }
            let item = this.scalar()?;
            if failure.is_none() {
                let kind = Name::classify(name);
                let others = others.as_deref_mut();
                failure = push_item(builder, others, kind, name, item).err();
            }
            Some(())
        })?;
        if self.peek().is_some() {
            return None;
        }
        Some(failure.map_or(Ok(()), Err))
    }

    /// An object, `{}` or `{"name": value, ..}`: `member` reads each value, given its name.
    #[inline(always)]
    fn object(&mut self, mut member: impl FnMut(&mut Self, &'a str) -> Option<()>) -> Option<()> {
        self.eat(b'{')?;
        if self.peek()? == b'}' {
            self.at += 1;
            return Some(());
        }
        loop {
            let name = self.string()?;
            self.eat(b':')?;
            member(self, name)?;
            if self.peek()? == b'}' {
                self.at += 1;
                return Some(());
            }
            self.eat(b',')?;
        }
    }

    /// `"Tag": [{..}, ..]` or `"Tag": null`.
    fn tag_list(
        &mut self,
        builder: &mut Builder<'_, 'a>,
        mut others: Option<&mut Others>,
        failure: &mut Option<ParseError>,
    ) -> Option<()> {
        if self.peek()? == b'n' {
            return self.word("null");
        }
        self.eat(b'[')?;
        if self.peek()? == b']' {
            self.at += 1;
            return Some(());
        }
        let mut n = 0;
        loop {
            n += 1;
            if self.peek()? == b'n' {
                // A null item is an absent tag that keeps its place (as serde's reading).
                self.word("null")?;
            } else {
                let mut fields = Fields::default();
                self.object(|this, name| {
                    fields.insert(Cow::Borrowed(name), this.scalar()?);
                    Some(())
                })?;
                if failure.is_none() {
                    *failure = push_tag_fields(builder, others.as_deref_mut(), n, fields).err();
                }
            }
            if self.peek()? == b']' {
                self.at += 1;
                return Some(());
            }
            self.eat(b',')?;
        }
    }

    /// A string without escapes or control characters.
    fn string(&mut self) -> Option<&'a str> {
        if self.peek()? != b'"' {
            return None;
        }
        let bytes = self.bytes();
        let start = self.at + 1;
        let mut end = start;
        // Eight bytes at a time while none of them can end the string, then byte by byte.
        while let Some(chunk) = bytes.get(end..end + 8) {
            let w = word(chunk);
            if has_byte(w, b'"') | has_byte(w, b'\\') | has_below(w, 0x20) {
                break;
            }
            end += 8;
        }
        while let Some(&b) = bytes.get(end) {
            if b == b'"' || b == b'\\' || b < 0x20 {
                break;
            }
            end += 1;
        }
        // The string ends here only at a quote (not at an escape or a control character).
        if bytes.get(end) != Some(&b'"') {
            return None;
        }
        self.at = end + 1;
        self.text.get(start..end)
    }

    fn word(&mut self, word: &str) -> Option<()> {
        self.bytes()[self.at..]
            .starts_with(word.as_bytes())
            .then(|| self.at += word.len())
    }

    /// A string, `true`, `false`, `null` or an integer of at most 18 digits (not `-0`,
    /// which serde_json reads as a float).
    fn scalar(&mut self) -> Option<Item<'a>> {
        match self.peek()? {
            b'"' => self.string().map(|text| Item::Text(Cow::Borrowed(text))),
            b't' => self.word("true").map(|()| Item::Bool(true)),
            b'f' => self.word("false").map(|()| Item::Bool(false)),
            b'n' => self.word("null").map(|()| Item::Null),
            _ => self.integer().map(Item::Integer),
        }
    }

    fn integer(&mut self) -> Option<i64> {
        let negative = self.bytes().get(self.at) == Some(&b'-');
        let start = self.at + usize::from(negative);
        let digits = self.bytes()[start..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        let end = start + digits;
        let next = self.bytes().get(end).copied();
        let leading_zero = digits > 1 && self.bytes()[start] == b'0';
        if digits == 0 || digits > 18 || leading_zero || matches!(next, Some(b'.' | b'e' | b'E')) {
            return None;
        }
        let magnitude: i64 = self.text.get(start..end)?.parse().ok()?;
        self.at = end;
        match (negative, magnitude) {
            (true, 0) => None,
            (true, _) => Some(-magnitude),
            (false, _) => Some(magnitude),
        }
    }
}
