//! The stateless rules, in their one documented order (`docs/DECISIONS.md`, D1).

use std::collections::HashSet;
use std::ops::{ControlFlow, RangeInclusive};

use crate::api_error::MAX_TAGS;
use crate::text_rules::{
    client_token_ok, description_ok, snapshot_name_ok, tag_index_ok, tag_key_ok, tag_value_ok,
    INSTANT_ACCESS_RETENTION_DAYS, RETENTION_DAYS,
};
use crate::{ApiError, CreateSnapshotRequest, ErrorCode, Typed};

/// Judges a request by every rule that needs nothing but the request, and returns the first
/// failure, in the order of `docs/DECISIONS.md` (D1).
///
/// ```
/// use ecs_snapshot_rules::{parse_query, validate, ErrorCode};
///
/// let request = parse_query("DiskId=d-1&Description=http://example.com")?;
/// let error = validate(&request).unwrap_err();
/// assert_eq!(error.code(), ErrorCode::InvalidDescriptionMalformed);
/// assert_eq!(error.status(), 404);
/// assert_eq!(error.parameter(), Some("Description"));
/// # Ok::<(), ecs_snapshot_rules::ParseError>(())
/// ```
pub fn validate(request: &CreateSnapshotRequest) -> Result<(), ApiError> {
    let mut first = None;
    let _ = check(request, &mut |error| {
        first = Some(error);
        ControlFlow::Break(())
    });
    first.map_or(Ok(()), Err)
}

/// Every violation of the stateless rules, in the order [`validate`] checks them; each names
/// its parameter. Empty for a valid request; the first is what [`validate`] returns.
///
/// ```
/// use ecs_snapshot_rules::{parse_query, violations};
///
/// let request = parse_query("SnapshotName=1st&RetentionDays=0")?;
/// let codes: Vec<_> = violations(&request).iter().map(|e| e.code().as_str()).collect();
/// assert_eq!(codes, ["MissingParameter", "InvalidSnapshotName.Malformed", "InvalidRetentionDays.Malformed"]);
/// # Ok::<(), ecs_snapshot_rules::ParseError>(())
/// ```
pub fn violations(request: &CreateSnapshotRequest) -> Vec<ApiError> {
    let mut all = Vec::new();
    let _ = check(request, &mut |error| {
        all.push(error);
        ControlFlow::Continue(())
    });
    all
}

type Sink<'a> = dyn FnMut(ApiError) -> ControlFlow<()> + 'a;

/// Reports each failure to `sink`, in order, until the sink says stop.
fn check(request: &CreateSnapshotRequest, sink: &mut Sink<'_>) -> ControlFlow<()> {
    if request.disk_id.as_deref().is_none_or(str::is_empty) {
        sink(ApiError::new(ErrorCode::MissingParameter).with_parameter("DiskId"))?;
    }
    if let Some(name) = &request.snapshot_name {
        if !snapshot_name_ok(name) {
            sink(
                ApiError::new(ErrorCode::InvalidSnapshotNameMalformed)
                    .with_parameter("SnapshotName"),
            )?;
        }
    }
    if let Some(description) = &request.description {
        if !description_ok(description) {
            sink(
                ApiError::new(ErrorCode::InvalidDescriptionMalformed).with_parameter("Description"),
            )?;
        }
    }
    if !in_range(&request.retention_days, RETENTION_DAYS) {
        sink(
            ApiError::new(ErrorCode::InvalidRetentionDaysMalformed).with_parameter("RetentionDays"),
        )?;
    }
    if let Some(Typed::Unparsable(_)) = request.category {
        sink(
            ApiError::new(ErrorCode::InvalidSnapshotCategoryMalformed).with_parameter("Category"),
        )?;
    }
    if let Some(token) = &request.client_token {
        if !client_token_ok(token) {
            sink(
                ApiError::new(ErrorCode::InvalidClientTokenMalformed).with_parameter("ClientToken"),
            )?;
        }
    }
    check_tags(request, sink)?;
    if let Some(Typed::Unparsable(_)) = request.instant_access {
        sink(ApiError::invalid_parameter("InstantAccess"))?;
    }
    if !in_range(
        &request.instant_access_retention_days,
        INSTANT_ACCESS_RETENTION_DAYS,
    ) {
        sink(
            ApiError::new(ErrorCode::InvalidInstantAccessRetentionDaysMalformed)
                .with_parameter("InstantAccessRetentionDays"),
        )?;
    }
    if request.category.is_some() && request.instant_access.is_some() {
        sink(
            ApiError::new(ErrorCode::InvalidCategoryAndInstantAccessMalformed)
                .with_parameter("Category"),
        )?;
    }
    ControlFlow::Continue(())
}

/// Absent, or an integer in `range`.
fn in_range(days: &Option<Typed<i64>>, range: RangeInclusive<i64>) -> bool {
    match days {
        None => true,
        Some(Typed::Value(days)) => range.contains(days),
        Some(Typed::Unparsable(_)) => false,
    }
}

/// The tag list: its size, then each tag by ascending N (key, then value), then repeated keys.
fn check_tags(request: &CreateSnapshotRequest, sink: &mut Sink<'_>) -> ControlFlow<()> {
    if request.tags.len() > MAX_TAGS {
        sink(ApiError::too_many_tags(request.tags.len()))?;
    }
    for tag in &request.tags {
        let index_ok = tag_index_ok(tag.index);
        if !index_ok || !tag.key.as_deref().is_some_and(tag_key_ok) {
            sink(
                ApiError::new(ErrorCode::InvalidTagKeyMalformed)
                    .with_parameter(tag.key_parameter()),
            )?;
        }
        if let Some(value) = &tag.value {
            if !index_ok || !tag_value_ok(value) {
                sink(
                    ApiError::new(ErrorCode::InvalidTagValueMalformed)
                        .with_parameter(tag.value_parameter()),
                )?;
            }
        }
    }
    if request.tags.len() > 1 {
        let mut seen = HashSet::with_capacity(request.tags.len());
        for tag in &request.tags {
            if let Some(key) = &tag.key {
                if !seen.insert(key.as_str()) {
                    sink(
                        ApiError::new(ErrorCode::DuplicateTagKey)
                            .with_parameter(tag.key_parameter()),
                    )?;
                }
            }
        }
    }
    ControlFlow::Continue(())
}
