//! Decoded name/value pairs into a [`CreateSnapshotRequest`], through the same builder as
//! every wire format, so that a parameter means the same whichever way it came.

use std::borrow::Cow;

use crate::view::{Builder, RequestView};
use crate::{CreateSnapshotRequest, ParameterName, ParseError};

/// Reads a request from decoded name/value pairs, as a web framework hands them to a handler.
///
/// ```
/// use ecs_snapshot_rules::parse_pairs;
///
/// let request = parse_pairs([("DiskId", "d-1"), ("Tag.1.Key", "env"), ("Tag.1.Value", "prod")])?;
/// assert_eq!(request.tags[0].key.as_deref(), Some("env"));
/// # Ok::<(), ecs_snapshot_rules::ParseError>(())
/// ```
pub fn parse_pairs<I, K, V>(pairs: I) -> Result<CreateSnapshotRequest, ParseError>
where
    I: IntoIterator<Item = (K, V)>,
    K: Into<String>,
    V: Into<String>,
{
    let mut view = RequestView::default();
    let mut builder = Builder::new(&mut view);
    let mut others = Vec::new();
    for (name, value) in pairs {
        let (name, value) = (name.into(), value.into());
        match ParameterName::classify(&name) {
            ParameterName::Common | ParameterName::Unknown => others.push((name, value)),
            kind => builder.push(kind, &name, Cow::Owned(value))?,
        }
    }
    builder.finish();
    let mut request = view.into_owned();
    request.other_parameters = others;
    Ok(request)
}
