//! The one place every wire format ends up: a request built one decoded parameter at a time,
//! in place, so that a parameter means the same whichever way it came.

use std::borrow::Cow;

use super::ParseError;
use crate::request::{tag_parameter, CreateSnapshotRequest, Name, TagField, TagSpelling};

/// A request read by `read` into an empty one that is built where it is returned, so that
/// the request (some hundreds of bytes, its first tags inline) is not moved after it is read.
#[inline(always)]
pub(crate) fn read_in_place<'a>(
    read: impl FnOnce(&mut CreateSnapshotRequest<'a>) -> Result<(), ParseError>,
) -> Result<CreateSnapshotRequest<'a>, ParseError> {
    let mut result = Ok(CreateSnapshotRequest::default());
    if let Ok(request) = &mut result {
        if let Err(error) = read(request) {
            result = Err(error);
        }
    }
    result
}

/// Builds a request one parameter at a time.
pub(crate) struct Builder<'b, 'a> {
    request: &'b mut CreateSnapshotRequest<'a>,
    action_seen: bool,
}

impl<'b, 'a> Builder<'b, 'a> {
    /// Builds into `request`, which must be empty.
    pub(crate) fn new(request: &'b mut CreateSnapshotRequest<'a>) -> Self {
        Builder {
            request,
            action_seen: false,
        }
    }

    /// Takes one request parameter, `kind` being what `name` stands for. Common and unknown
    /// parameters are the caller's to keep or drop; here they are ignored.
    pub(crate) fn push(
        &mut self,
        kind: Name,
        name: &str,
        value: Cow<'a, str>,
    ) -> Result<(), ParseError> {
        match kind {
            Name::Action => {
                if std::mem::replace(&mut self.action_seen, true) {
                    return Err(repeated(name));
                }
                if value != "CreateSnapshot" {
                    return Err(ParseError::WrongAction {
                        found: value.into_owned(),
                    });
                }
                Ok(())
            }
            Name::Parameter(parameter) => self
                .request
                .set_read(parameter, value)
                .map_err(|_| repeated(name)),
            Name::Tag {
                index,
                field,
                spelling,
            } => {
                let tag = self.request.tags.entry(index);
                let (slot, spelled) = match field {
                    TagField::Key => (&mut tag.key, &mut tag.key_spelling),
                    TagField::Value => (&mut tag.value, &mut tag.value_spelling),
                };
                if slot.is_some() {
                    // The two spellings are one parameter: named in the current one (D9).
                    return Err(ParseError::RepeatedParameter {
                        name: tag_parameter(index, field, TagSpelling::Current).into_owned(),
                    });
                }
                *slot = Some(value);
                *spelled = spelling;
                Ok(())
            }
            Name::Common | Name::Unknown => Ok(()),
        }
    }

    /// Takes a parameter whose value is an integer (a JSON number): an integer parameter
    /// gets it without writing it as text first, any other its decimal text.
    pub(crate) fn push_integer(
        &mut self,
        kind: Name,
        name: &str,
        value: i64,
    ) -> Result<(), ParseError> {
        match kind {
            Name::Parameter(parameter) => self
                .request
                .set_integer(parameter, value)
                .map_err(|_| repeated(name)),
            _ => self.push(kind, name, Cow::Owned(value.to_string())),
        }
    }
}

fn repeated(name: &str) -> ParseError {
    ParseError::RepeatedParameter {
        name: name.to_owned(),
    }
}
