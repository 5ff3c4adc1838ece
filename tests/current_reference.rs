//! The requests that issue 13 found refused although Alibaba's own tools send them and the
//! live API accepts them: each is accepted now, by the stateless rules and against an
//! ordinary account, and where the value has no effect a warning says so. Each test names
//! its source.

mod stateful_support;

use ecs_snapshot_rules::rules::WarningKind;
use ecs_snapshot_rules::state::{self, Accepted, DiskCategory, NewSnapshot, SnapshotKind};
use ecs_snapshot_rules::{check_preconditions, parse_query, validate, Facts};
use stateful_support::{now, with_category, world};

/// Accepted by the rules alone and, with `d-1` ready in `facts`, as a snapshot of `kind`;
/// returns the messages of the warnings, stateful ones included.
#[track_caller]
fn accepted(query: &str, facts: &Facts, kind: SnapshotKind) -> Vec<String> {
    let request = parse_query(query).expect("a readable request");
    assert_eq!(validate(&request), Ok(()), "{query}");
    let accepted = check_preconditions(&request, facts, now()).expect(query);
    assert!(
        matches!(accepted, Accepted::Create(NewSnapshot { kind: k, .. }) if k == kind),
        "{query}: {accepted:?}"
    );
    state::warnings(&request, facts)
        .iter()
        .filter(|w| w.kind() == WarningKind::IneffectiveParameter)
        .map(|w| w.message().to_owned())
        .collect()
}

fn ineffective(parameter: &str) -> String {
    format!(
        "{parameter} has no effect for this account: it did not use local snapshots before \
         2020-12-14 (snapshots of ESSD-series disks are instantly available anyway)"
    )
}

/// terraform-provider-alicloud sends the configured category verbatim in lower case
/// (`alicloud/resource_alicloud_ecs_snapshot.go`); its documentation and acceptance tests
/// use `category = "standard"` (D221).
#[test]
fn category_in_lower_case_from_the_terraform_provider() {
    for value in ["standard", "flash"] {
        let warned = accepted(
            &format!("DiskId=d-1&Category={value}"),
            &world(),
            SnapshotKind::Normal,
        );
        assert_eq!(warned, [ineffective("Category")], "{value}");
    }
}

/// terraform-provider-alicloud's acceptance test `TestAccAlicloudECSSnapshot_basic1` (before
/// 1.231.0) sends `category = standard` with `instant_access = false` and expects success
/// (D222).
#[test]
fn category_beside_instant_access_false_from_the_terraform_provider() {
    let warned = accepted(
        "DiskId=d-1&Category=Standard&InstantAccess=false",
        &world(),
        SnapshotKind::Normal,
    );
    assert_eq!(
        warned,
        [ineffective("Category"), ineffective("InstantAccess")]
    );
}

/// kubernetes-sigs/alibaba-cloud-csi-driver (`pkg/disk/cloud.go`) sent
/// `InstantAccess=false&InstantAccessRetentionDays=0` for every snapshot without instant
/// access until commit 17b0d5e71, October 2023 (D223).
#[test]
fn retention_days_zero_without_instant_access_from_the_csi_driver() {
    let request =
        parse_query("DiskId=d-1&InstantAccess=false&InstantAccessRetentionDays=0").unwrap();
    accepted(
        "DiskId=d-1&InstantAccess=false&InstantAccessRetentionDays=0",
        &world(),
        SnapshotKind::Normal,
    );
    let messages: Vec<String> = state::warnings(&request, &world())
        .iter()
        .map(|w| w.message().to_owned())
        .collect();
    assert!(messages.contains(
        &"InstantAccessRetentionDays has no effect unless InstantAccess is true".to_owned()
    ));
}

/// The current reference (CURRENT.md) allows periods in SnapshotName (D224).
#[test]
fn a_name_with_periods_from_the_current_reference() {
    assert_eq!(
        accepted(
            "DiskId=d-1&SnapshotName=backup.2026-12-01",
            &world(),
            SnapshotKind::Normal
        ),
        Vec::<String>::new()
    );
}

/// The Chinese edition of the reference ("英文或中文字符") and the SDK model's docstring
/// ("must start with a letter or a Chinese character") allow Chinese names (D224).
#[test]
fn a_chinese_name_from_the_chinese_edition_and_the_sdk_model() {
    assert_eq!(
        accepted(
            "DiskId=d-1&SnapshotName=%E5%BF%AB%E7%85%A7%E5%A4%87%E4%BB%BD",
            &world(),
            SnapshotKind::Normal
        ),
        Vec::<String>::new()
    );
}

/// The current reference counts ESSD AutoPL, ESSD Entry and regional ESSD disks as
/// ESSD-series disks, whose snapshots have instant access (D227): accepted where
/// InstantAccess takes effect, and, having none elsewhere, accepted there too (D226).
#[test]
fn instant_access_on_every_essd_series_disk_from_the_current_reference() {
    for category in [
        DiskCategory::CloudAuto,
        DiskCategory::CloudEssdEntry,
        DiskCategory::CloudRegionalDiskAuto,
    ] {
        let mut legacy = with_category(category);
        legacy.account.used_local_snapshots_before_2020_12_14 = true;
        let warned = accepted(
            "DiskId=d-1&InstantAccess=true",
            &legacy,
            SnapshotKind::InstantAccess,
        );
        assert_eq!(warned, Vec::<String>::new(), "{category}");
        let warned = accepted(
            "DiskId=d-1&InstantAccess=true",
            &with_category(category),
            SnapshotKind::Normal,
        );
        assert_eq!(warned, [ineffective("InstantAccess")], "{category}");
    }
}

/// The current reference dropped "cannot use the Category parameter" for accounts that did
/// not use local snapshots before 2020-12-14; Category and InstantAccess are "no longer used"
/// (D226).
#[test]
fn category_from_an_account_without_local_snapshots_from_the_current_reference() {
    let facts = world();
    assert!(!facts.account.used_local_snapshots_before_2020_12_14);
    let warned = accepted("DiskId=d-1&Category=Flash", &facts, SnapshotKind::Normal);
    assert_eq!(warned, [ineffective("Category")]);
}

/// The current reference no longer forbids `acs:` at the start of a tag value (D225).
#[test]
fn a_tag_value_starting_with_acs_from_the_current_reference() {
    assert_eq!(
        accepted(
            "DiskId=d-1&Tag.1.Key=owner&Tag.1.Value=acs:x",
            &world(),
            SnapshotKind::Normal
        ),
        Vec::<String>::new()
    );
}
