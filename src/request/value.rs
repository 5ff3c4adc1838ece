//! The values a parameter holds: text, or a typed value kept with its text when it is not of
//! its type; and how each kind of value is read from the wire and seen by the rules.

use std::borrow::Cow;
use std::fmt;

/// A value of a typed parameter as it arrived: well-typed, or text that is not of the type.
///
/// `RetentionDays=30` is `Typed::Value(30)`; `RetentionDays=thirty` is
/// `Typed::Unparsable("thirty")`, which the rules refuse with the parameter's own code.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Typed<'a, T> {
    /// The value, of the parameter's type (a range is the rules' business, not the type's).
    Value(T),
    /// Text that does not spell a value of the type.
    Unparsable(Cow<'a, str>),
}

impl<T: Copy> Typed<'_, T> {
    /// The value, if the text was of the type.
    pub fn value(&self) -> Option<T> {
        match self {
            Typed::Value(value) => Some(*value),
            Typed::Unparsable(_) => None,
        }
    }

    /// The value, or the text that is not of the type.
    ///
    /// # Errors
    ///
    /// The text that is not of the type, when the value was not.
    pub fn as_result(&self) -> Result<T, &str> {
        match self {
            Typed::Value(value) => Ok(*value),
            Typed::Unparsable(text) => Err(text),
        }
    }
}

impl<T> From<T> for Typed<'_, T> {
    fn from(value: T) -> Self {
        Typed::Value(value)
    }
}

/// The deprecated `Category` parameter's values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SnapshotCategory {
    /// `Standard`: a normal snapshot.
    Standard,
    /// `Flash`: a local snapshot (replaced by instant access).
    Flash,
}

impl SnapshotCategory {
    /// The value as the API reference spells it.
    pub const fn as_str(self) -> &'static str {
        match self {
            SnapshotCategory::Standard => "Standard",
            SnapshotCategory::Flash => "Flash",
        }
    }

    /// Reads a value in any ASCII letter case: `Standard`, `standard`, `FLASH`, as the
    /// current reference and the Terraform provider, which sends `standard` and `flash`,
    /// have it (`docs/DECISIONS.md`, D221).
    pub fn from_wire(text: &str) -> Option<Self> {
        if text.eq_ignore_ascii_case("Standard") {
            Some(SnapshotCategory::Standard)
        } else if text.eq_ignore_ascii_case("Flash") {
            Some(SnapshotCategory::Flash)
        } else {
            None
        }
    }
}

impl fmt::Display for SnapshotCategory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a request holds for one parameter, as the rules see it: text, or a typed value or the
/// text that is not of the type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Value<'r> {
    /// A text parameter's value.
    Text(&'r str),
    /// An integer parameter's value, or its text when it is not an integer.
    Integer(Result<i64, &'r str>),
    /// A boolean parameter's value, or its text when it is not a boolean.
    Boolean(Result<bool, &'r str>),
    /// A `Category` value, or its text when it is not one.
    Category(Result<SnapshotCategory, &'r str>),
}

impl<'r> Value<'r> {
    /// The value as it is written on the wire: the text, or the typed value's spelling.
    pub fn wire_text(self) -> Cow<'r, str> {
        match self {
            Value::Text(text)
            | Value::Integer(Err(text))
            | Value::Boolean(Err(text))
            | Value::Category(Err(text)) => Cow::Borrowed(text),
            Value::Integer(Ok(number)) => Cow::Owned(number.to_string()),
            Value::Boolean(Ok(flag)) => Cow::Borrowed(if flag { "true" } else { "false" }),
            Value::Category(Ok(category)) => Cow::Borrowed(category.as_str()),
        }
    }
}

/// The type of a parameter's field: how it is read from wire text (or a JSON integer), how
/// the rules see it, and its owned form. One implementation per kind of the table.
pub(crate) trait FieldType<'a>: Sized {
    /// The same type, owning its text.
    type Static: FieldType<'static>;

    /// Reads the value from its wire text; text that is not of the type is kept.
    fn read(text: Cow<'a, str>) -> Self;

    /// Reads the value from a JSON integer, without writing it as text when the type is an
    /// integer.
    fn read_integer(number: i64) -> Self {
        Self::read(Cow::Owned(number.to_string()))
    }

    /// The value as the rules see it.
    fn value(&self) -> Value<'_>;

    /// The value, owning its text.
    fn into_owned(self) -> Self::Static;
}

impl<'a> FieldType<'a> for Cow<'a, str> {
    type Static = Cow<'static, str>;

    fn read(text: Cow<'a, str>) -> Self {
        text
    }

    fn value(&self) -> Value<'_> {
        Value::Text(self)
    }

    fn into_owned(self) -> Self::Static {
        Cow::Owned(Cow::into_owned(self))
    }
}

impl<'a> FieldType<'a> for Typed<'a, i64> {
    type Static = Typed<'static, i64>;

    /// An integer as the API's Java back end reads one: an optional sign and ASCII digits,
    /// leading zeros allowed (`docs/DECISIONS.md`, D6). Rust's `i64` parser takes exactly
    /// that syntax; anything else, or a value beyond 64 bits, is kept as text.
    fn read(text: Cow<'a, str>) -> Self {
        match text.parse::<i64>() {
            Ok(value) => Typed::Value(value),
            Err(_) => Typed::Unparsable(text),
        }
    }

    fn read_integer(number: i64) -> Self {
        Typed::Value(number)
    }

    fn value(&self) -> Value<'_> {
        Value::Integer(self.as_result())
    }

    fn into_owned(self) -> Self::Static {
        owned(self)
    }
}

impl<'a> FieldType<'a> for Typed<'a, bool> {
    type Static = Typed<'static, bool>;

    /// `true` or `false` in any ASCII case (`docs/DECISIONS.md`, D5).
    fn read(text: Cow<'a, str>) -> Self {
        if text.eq_ignore_ascii_case("true") {
            Typed::Value(true)
        } else if text.eq_ignore_ascii_case("false") {
            Typed::Value(false)
        } else {
            Typed::Unparsable(text)
        }
    }

    fn value(&self) -> Value<'_> {
        Value::Boolean(self.as_result())
    }

    fn into_owned(self) -> Self::Static {
        owned(self)
    }
}

impl<'a> FieldType<'a> for Typed<'a, SnapshotCategory> {
    type Static = Typed<'static, SnapshotCategory>;

    fn read(text: Cow<'a, str>) -> Self {
        match SnapshotCategory::from_wire(&text) {
            Some(category) => Typed::Value(category),
            None => Typed::Unparsable(text),
        }
    }

    fn value(&self) -> Value<'_> {
        Value::Category(self.as_result())
    }

    fn into_owned(self) -> Self::Static {
        owned(self)
    }
}

fn owned<T>(typed: Typed<'_, T>) -> Typed<'static, T> {
    match typed {
        Typed::Value(value) => Typed::Value(value),
        Typed::Unparsable(text) => Typed::Unparsable(Cow::Owned(text.into_owned())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_category_displays_as_the_api_spells_it() {
        assert_eq!(SnapshotCategory::Standard.to_string(), "Standard");
        assert_eq!(SnapshotCategory::Flash.to_string(), "Flash");
    }
}
