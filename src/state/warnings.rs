//! The warnings of a request against the facts it meets: what the request alone cannot tell
//! has no effect.

use super::facts::Facts;
use crate::request::{CreateSnapshotRequest, Deprecation, Parameter};
use crate::rules::{waiting_for, warnings as request_warnings, Warning};

/// Everything [`warnings`](crate::warnings) reports for `request`, then what the facts make
/// ineffective: `Category`, `InstantAccess` and `InstantAccessRetentionDays` (with
/// `InstantAccess=true`; without, the request alone says so) from an account for which they
/// no longer take effect, in table order. The API accepts them and ignores them
/// (`docs/DECISIONS.md`, D226).
///
/// ```
/// use ecs_snapshot_rules::state::warnings;
/// use ecs_snapshot_rules::{parse_query, Facts};
///
/// let request = parse_query("DiskId=d-1&Category=standard")?;
/// let found = warnings(&request, &Facts::default());
/// assert_eq!(found.len(), 2);
/// assert_eq!(found[1].message(), "Category has no effect for this account: it did not use \
///     local snapshots before 2020-12-14 (snapshots of ESSD-series disks are instantly \
///     available anyway)");
/// # Ok::<(), ecs_snapshot_rules::ParseError>(())
/// ```
pub fn warnings(request: &CreateSnapshotRequest<'_>, facts: &Facts) -> Vec<Warning> {
    let mut found = request_warnings(request);
    if facts.account.legacy_parameters_take_effect() {
        return found;
    }
    // The parameters the table marks no longer used are the ones that take effect only for
    // accounts that used local snapshots before 2020-12-14 (D226). One whose flag is not
    // true has its warning from the request alone already.
    for &parameter in Parameter::ALL {
        let legacy = matches!(
            parameter.deprecation(),
            Some(Deprecation::NoLongerUsed { .. })
        );
        if legacy && request.get(parameter).is_some() && waiting_for(request, parameter).is_none() {
            let name = parameter.name();
            found.push(Warning::ineffective(
                name,
                format!(
                    "{name} has no effect for this account: it did not use local snapshots \
                     before 2020-12-14 (snapshots of ESSD-series disks are instantly available \
                     anyway)"
                ),
            ));
        }
    }
    found
}
