//! Decoded name/value pairs into a request, through the same builder as every wire format,
//! so that a parameter means the same whichever way it came.

use std::borrow::Cow;

use super::build::Builder;
use super::ParseError;
use crate::request::{CreateSnapshotRequest, Name};

/// Reads a request from decoded name/value pairs, as a web framework hands them to a handler.
///
/// # Errors
///
/// A parameter given twice, or an `Action` other than `CreateSnapshot`: see [`ParseError`].
///
/// ```
/// use ecs_snapshot_rules::parse_pairs;
///
/// let request = parse_pairs([("DiskId", "d-1"), ("Tag.1.Key", "env"), ("Tag.1.Value", "prod")])?;
/// assert_eq!(request.tags.get(1).unwrap().key.as_deref(), Some("env"));
/// # Ok::<(), ecs_snapshot_rules::ParseError>(())
/// ```
pub fn parse_pairs<'a, I, K, V>(pairs: I) -> Result<CreateSnapshotRequest<'a>, ParseError>
where
    I: IntoIterator<Item = (K, V)>,
    K: Into<Cow<'a, str>>,
    V: Into<Cow<'a, str>>,
{
    let mut request = CreateSnapshotRequest::default();
    let mut others = Vec::new();
    let mut builder = Builder::new(&mut request);
    for (name, value) in pairs {
        let (name, value) = (name.into(), value.into());
        match Name::classify(&name) {
            kind if kind.is_other() => others.push((name, value)),
            kind => builder.push(kind, &name, value)?,
        }
    }
    request.other_parameters = others;
    Ok(request)
}
