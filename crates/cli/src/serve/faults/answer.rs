//! The answers the faults give, each a row of the catalogue: any row can be asked for by its
//! code, and the server's own faults (`Throttling`, `InternalError`, `ServiceUnavailable`)
//! come from here too. The one file of the faults that knows the library's catalogue.

use crate::library::{too_many_tags, ApiError, ErrorCode};

/// `Throttling`: over the rate limit.
pub fn throttling() -> ApiError {
    ApiError::new(ErrorCode::Throttling)
}

/// `InternalError` (the first of its rows).
pub fn internal_error() -> ApiError {
    ApiError::new(ErrorCode::InternalError)
}

/// `ServiceUnavailable`: a temporary failure, and the answer when too many calls are in
/// flight.
pub fn service_unavailable() -> ApiError {
    ApiError::new(ErrorCode::ServiceUnavailable)
}

/// A catalogue row to answer with, as asked for: its code and, where the row needs one, a
/// detail.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FaultAnswer {
    code: String,
    detail: Option<String>,
    error: ApiError,
}

impl FaultAnswer {
    /// The row of `code`, or why there is none. `detail` is what the message needs: the
    /// parameter's name for `InvalidParameter`, the number of tags for `QuotaExceed.Tags`,
    /// the values of a message's `%s` places, separated by commas, for any other row that has
    /// them (`QuotaExceed.ConcurrentSnapshotQuota`: `d-1,2`), and, for a code of several rows
    /// (`InternalError`), the message of the row wanted (the first row without it). Any
    /// other code takes no detail.
    pub fn new(code: &str, detail: Option<&str>) -> Result<FaultAnswer, String> {
        let rows: Vec<ErrorCode> = ErrorCode::rows_for(code).collect();
        let error = match (rows.as_slice(), detail) {
            ([], _) => {
                return Err(format!(
                    "{code:?} is no code of the catalogue (`ecs-snapshot-rules catalog` lists them)"
                ))
            }
            ([ErrorCode::InvalidParameter], Some(name)) if !name.is_empty() => {
                ApiError::invalid_parameter(name.to_owned())
            }
            ([ErrorCode::InvalidParameter], _) => {
                return Err(
                    "InvalidParameter names a parameter: give its name as the detail".to_owned(),
                )
            }
            ([ErrorCode::QuotaExceedTags], Some(count)) => match count.parse::<usize>() {
                Ok(count) => too_many_tags(count),
                Err(_) => {
                    return Err(format!(
                        "QuotaExceed.Tags: the detail is the number of tags, not {count:?}"
                    ))
                }
            },
            ([ErrorCode::QuotaExceedTags], None) => {
                return Err(
                    "QuotaExceed.Tags names a number of tags: give it as the detail".to_owned(),
                )
            }
            ([row], detail) => match (placeholders(*row), detail) {
                (0, None) => ApiError::new(*row),
                (0, Some(_)) => return Err(format!("{code} takes no detail")),
                (places, Some(values)) if values.split(',').count() == places => {
                    ApiError::filled(*row, &values.split(',').collect::<Vec<_>>())
                }
                (places, _) => {
                    return Err(format!(
                        "{code}'s message has {places} places to fill: give their values as \
                         the detail, separated by commas ({:?})",
                        row.message_template()
                    ))
                }
            },
            (rows, None) => ApiError::new(rows[0]),
            (rows, Some(message)) => {
                match rows.iter().find(|row| row.message_template() == message) {
                    Some(row) => ApiError::new(*row),
                    None => {
                        let messages: Vec<&str> =
                            rows.iter().map(|row| row.message_template()).collect();
                        return Err(format!(
                            "{code} has {} rows: the detail is one of their messages, {messages:?}",
                            rows.len()
                        ));
                    }
                }
            }
        };
        Ok(FaultAnswer {
            code: code.to_owned(),
            detail: detail.map(str::to_owned),
            error,
        })
    }

    /// The code, as asked for.
    pub fn code(&self) -> &str {
        &self.code
    }

    /// The detail, as asked for.
    pub fn detail(&self) -> Option<&str> {
        self.detail.as_deref()
    }

    /// The answer.
    pub fn error(&self) -> ApiError {
        self.error.clone()
    }
}

/// How many `%s` places a row's message has to fill.
fn placeholders(row: ErrorCode) -> usize {
    row.message_template().matches("%s").count()
}

/// The code an answer carries, as the API spells it.
pub fn code_of(error: &ApiError) -> &'static str {
    error.code().as_str()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_of_the_catalogue_can_be_asked_for() {
        for &row in ErrorCode::ALL {
            let code = row.as_str();
            let values = ["d-1", "2", "3"];
            let places = placeholders(row);
            let detail = match row {
                ErrorCode::InvalidParameter => Some("DiskId".to_owned()),
                ErrorCode::QuotaExceedTags => Some("21".to_owned()),
                _ if ErrorCode::rows_for(code).count() > 1 => {
                    Some(row.message_template().to_owned())
                }
                _ if places > 0 => Some(values[..places].join(",")),
                _ => None,
            };
            let answer = FaultAnswer::new(code, detail.as_deref()).expect(code);
            let expected = match row {
                ErrorCode::InvalidParameter => ApiError::invalid_parameter("DiskId"),
                ErrorCode::QuotaExceedTags => too_many_tags(21),
                _ => ApiError::filled(row, &values[..places]),
            };
            assert_eq!(answer.error(), expected, "{code}");
            assert_eq!(code_of(&answer.error()), code);
            // Every place of the message is filled.
            assert!(!answer.error().message().contains("%s"), "{code}");
        }
    }

    #[test]
    fn a_message_s_places_are_filled_from_the_detail() {
        let answer = FaultAnswer::new("QuotaExceed.ConcurrentSnapshotQuota", Some("d-bp1data,2"))
            .expect("a row");
        assert_eq!(answer.error().status(), 403);
        assert_eq!(
            answer.error().message(),
            "The number of snapshots being created for the disk d-bp1data has exceeded the \
             concurrent quota (2). Please wait for the previous snapshots to complete before \
             trying again."
        );
        assert_eq!(
            FaultAnswer::new("QuotaExceed.ConcurrentSnapshotQuota", None).unwrap_err(),
            "QuotaExceed.ConcurrentSnapshotQuota's message has 2 places to fill: give their \
             values as the detail, separated by commas (\"The number of snapshots being \
             created for the disk %s has exceeded the concurrent quota (%s). Please wait for \
             the previous snapshots to complete before trying again.\")"
        );
    }

    #[test]
    fn a_code_of_several_rows_takes_the_first_without_a_detail() {
        let rows: Vec<ErrorCode> = ErrorCode::rows_for("InternalError").collect();
        assert!(rows.len() > 1, "{rows:?}");
        let answer = FaultAnswer::new("InternalError", None).expect("a row");
        assert_eq!(answer.error(), ApiError::new(rows[0]));
        assert!(FaultAnswer::new("InternalError", Some("no such message")).is_err());
    }

    #[test]
    fn unknown_codes_and_wrong_details_are_refused() {
        for (code, detail) in [
            ("Nothing.Such", None),
            ("throttling", None),
            ("InvalidParameter", None),
            ("InvalidParameter", Some("")),
            ("QuotaExceed.Tags", None),
            ("QuotaExceed.Tags", Some("many")),
            ("Throttling", Some("extra")),
            ("QuotaExceed.ConcurrentSnapshotQuota", None),
            ("QuotaExceed.ConcurrentSnapshotQuota", Some("d-1")),
            ("QuotaExceed.ConcurrentSnapshotQuota", Some("d-1,2,3")),
        ] {
            assert!(FaultAnswer::new(code, detail).is_err(), "{code} {detail:?}");
        }
    }
}
