//! Writing a request back to the wire as parameters or a query string.

use std::borrow::Cow;
use std::convert::Infallible;
use std::ops::ControlFlow;

use super::percent;
use crate::request::{CreateSnapshotRequest, Slot};

impl<'a> CreateSnapshotRequest<'a> {
    /// The request's parameters as wire pairs, starting with `Action=CreateSnapshot`, in the
    /// order of the parameter table, then `other_parameters`. Tags keep their spelling; a
    /// value that was not of its type is written as it came.
    pub fn to_pairs(&self) -> Vec<(Cow<'_, str>, Cow<'_, str>)> {
        let mut pairs = vec![(Cow::Borrowed("Action"), Cow::Borrowed("CreateSnapshot"))];
        let _ = self.walk(|slot| -> ControlFlow<Infallible> {
            match slot {
                Slot::Scalar(parameter, Some(value)) => {
                    pairs.push((Cow::Borrowed(parameter.name()), value.wire_text()));
                }
                Slot::Scalar(_, None) => {}
                Slot::Tags(tags) => {
                    for tag in tags.iter() {
                        if let Some(key) = &tag.key {
                            pairs.push((tag.key_parameter(), Cow::Borrowed(key)));
                        }
                        if let Some(value) = &tag.value {
                            pairs.push((tag.value_parameter(), Cow::Borrowed(value)));
                        }
                    }
                }
            }
            ControlFlow::Continue(())
        });
        pairs.extend(
            self.other_parameters
                .iter()
                .map(|(name, value)| (Cow::Borrowed(&**name), Cow::Borrowed(&**value))),
        );
        pairs
    }

    /// The request as an RPC query string, percent-encoded as the official SDKs encode it
    /// (RFC 3986: only `A-Z a-z 0-9 - _ . ~` stay as they are). Reading it back with
    /// [`parse_query`](crate::parse_query) gives the same request.
    ///
    /// ```
    /// use ecs_snapshot_rules::{parse_query, CreateSnapshotRequest};
    ///
    /// let request = CreateSnapshotRequest::new("d-1").description("nightly run").tag("env", "prod");
    /// let query = request.to_query();
    /// assert_eq!(query, "Action=CreateSnapshot&DiskId=d-1&Description=nightly%20run&Tag.1.Key=env&Tag.1.Value=prod");
    /// assert_eq!(parse_query(&query)?, request);
    /// # Ok::<(), ecs_snapshot_rules::ParseError>(())
    /// ```
    pub fn to_query(&self) -> String {
        percent::encode_pairs(self.to_pairs())
    }
}
