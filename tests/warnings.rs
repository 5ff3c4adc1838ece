//! `warnings`: what the API accepts silently but a caller most likely did not mean.

use ecs_snapshot_rules::rules::{did_you_mean, WarningKind};
use ecs_snapshot_rules::{parse_json, parse_query, state, warnings, CreateSnapshotRequest, Facts};

/// (kind, parameter, suggestion, message) of each warning, in order.
fn found(request: &CreateSnapshotRequest) -> Vec<(WarningKind, String, Option<String>, String)> {
    warnings(request)
        .into_iter()
        .map(|w| {
            (
                w.kind(),
                w.parameter().to_owned(),
                w.suggestion().map(str::to_owned),
                w.message().to_owned(),
            )
        })
        .collect()
}

fn query(text: &str) -> CreateSnapshotRequest<'static> {
    parse_query(text).expect("a readable request").into_owned()
}

/// The suggestion for one unknown parameter.
fn suggestion_for(name: &str) -> Option<String> {
    let request = query(&format!("DiskId=d-1&{name}=x"));
    let all = warnings(&request);
    assert_eq!(all.len(), 1, "{name}: {all:?}");
    assert_eq!(all[0].kind(), WarningKind::UnknownParameter);
    assert_eq!(all[0].parameter(), name);
    all[0].suggestion().map(str::to_owned)
}

#[test]
fn a_clean_request_has_no_warning() {
    let request = query(
        "Action=CreateSnapshot&DiskId=d-1&SnapshotName=nightly&Tag.1.Key=env&Tag.1.Value=prod\
         &RetentionDays=3&ResourceGroupId=rg-1&ClientToken=t&StorageLocationArn=x",
    );
    assert_eq!(found(&request), []);
}

#[test]
fn common_parameters_are_not_warned_about() {
    let request = query(
        "DiskId=d-1&RegionId=cn-hangzhou&Format=JSON&Version=2014-05-26&AccessKeyId=k\
         &Signature=s&SignatureMethod=HMAC-SHA1&SignatureVersion=1.0&SignatureNonce=n\
         &SignatureType=&Timestamp=2024-01-01T00%3A00%3A00Z&SecurityToken=t&OwnerId=1\
         &OwnerAccount=a&ResourceOwnerId=2&ResourceOwnerAccount=b&StorageLocationArn=x",
    );
    assert_eq!(found(&request), []);
}

#[test]
fn a_misspelt_parameter_gets_the_documented_message() {
    let request = query("DiskId=d-1&SnapshotNmae=nightly");
    assert_eq!(
        found(&request),
        [(
            WarningKind::UnknownParameter,
            "SnapshotNmae".to_owned(),
            Some("SnapshotName".to_owned()),
            "unknown parameter SnapshotNmae; did you mean SnapshotName?".to_owned(),
        )]
    );
}

#[test]
fn an_unknown_parameter_with_nothing_close_says_it_is_ignored() {
    let request = query("DiskId=d-1&Foo=bar");
    assert_eq!(
        found(&request),
        [(
            WarningKind::UnknownParameter,
            "Foo".to_owned(),
            None,
            "unknown parameter Foo; the API ignores it".to_owned(),
        )]
    );
}

#[test]
fn typos_are_matched_by_edit_distance() {
    for (typo, meant) in [
        ("Descripton", "Description"),
        ("Description_", "Description"),
        ("RetentionDay", "RetentionDays"),
        ("RetentoinDays", "RetentionDays"),
        ("ClientTokn", "ClientToken"),
        ("InstantAcess", "InstantAccess"),
        ("InstantAccessRetentionDay", "InstantAccessRetentionDays"),
        ("ResourceGroupID", "ResourceGroupId"),
        ("Categroy", "Category"),
        ("Actoin", "Action"),
        ("RegionID", "RegionId"),
        ("Region", "RegionId"),
    ] {
        assert_eq!(suggestion_for(typo).as_deref(), Some(meant), "{typo}");
    }
}

#[test]
fn letter_case_mistakes_are_matched() {
    for (typo, meant) in [
        ("diskid", "DiskId"),
        ("DISKID", "DiskId"),
        ("snapshotName", "SnapshotName"),
        ("retentiondays", "RetentionDays"),
        ("instantaccess", "InstantAccess"),
        ("regionid", "RegionId"),
    ] {
        assert_eq!(suggestion_for(typo).as_deref(), Some(meant), "{typo}");
    }
}

#[test]
fn tag_shapes_are_matched_to_the_tag_meant() {
    for (typo, meant) in [
        ("Tag.1.Keys", "Tag.1.Key"),
        ("Tag.01.Key", "Tag.1.Key"),
        ("Tag.007.Value", "Tag.7.Value"),
        ("tag.1.key", "Tag.1.Key"),
        ("TAG.2.VALUE", "Tag.2.Value"),
        ("Tags.3.Key", "Tag.3.Key"),
        ("Tag.1.Kye", "Tag.1.Key"),
        ("Tag.1.Vaule", "Tag.1.Value"),
        ("Tag.1.Val", "Tag.1.Value"),
        ("Tag1.Key", "Tag.1.Key"),
        ("Tag.Key", "Tag.N.Key"),
        ("Tag.x.Key", "Tag.N.Key"),
        ("Tag.00.Key", "Tag.N.Key"),
        ("Tag.021.Value", "Tag.N.Value"),
        ("Tag.99999999999.Key", "Tag.N.Key"),
    ] {
        assert_eq!(suggestion_for(typo).as_deref(), Some(meant), "{typo}");
    }
}

#[test]
fn names_far_from_any_parameter_get_no_suggestion() {
    for name in ["Foo", "x", "", "Tag", "Tag.1.Colour", "Name", "Force"] {
        assert_eq!(suggestion_for(name), None, "{name:?}");
    }
}

#[test]
fn long_names_are_warned_about_without_suggestion() {
    let long = format!("SnapshotName{}", "e".repeat(60));
    assert_eq!(suggestion_for(&long), None);
    let huge = "D".repeat(100_000);
    assert_eq!(suggestion_for(&huge), None);
}

#[test]
fn every_unknown_parameter_is_reported_in_request_order() {
    let request = query("Zeta=1&DiskId=d-1&diskId=2&Alpha=3&Zeta=4");
    let names: Vec<String> = found(&request).into_iter().map(|w| w.1).collect();
    assert_eq!(names, ["Zeta", "diskId", "Alpha", "Zeta"]);
}

#[test]
fn deprecated_tag_spellings_say_what_replaces_them() {
    let request = query("DiskId=d-1&Tag.2.value=prod&Tag.2.key=env&Tag.1.Key=a&Tag.1.value=b");
    assert_eq!(
        found(&request),
        [
            (
                WarningKind::DeprecatedParameter,
                "Tag.1.value".to_owned(),
                Some("Tag.1.Value".to_owned()),
                "deprecated parameter Tag.1.value; use Tag.1.Value instead".to_owned(),
            ),
            (
                WarningKind::DeprecatedParameter,
                "Tag.2.key".to_owned(),
                Some("Tag.2.Key".to_owned()),
                "deprecated parameter Tag.2.key; use Tag.2.Key instead".to_owned(),
            ),
            (
                WarningKind::DeprecatedParameter,
                "Tag.2.value".to_owned(),
                Some("Tag.2.Value".to_owned()),
                "deprecated parameter Tag.2.value; use Tag.2.Value instead".to_owned(),
            ),
        ]
    );
}

#[test]
fn deprecated_spellings_in_the_sdk_tag_list_are_reported_too() {
    let request =
        parse_json(r#"{"DiskId": "d-1", "Tag": [{"key": "env", "Value": "prod"}]}"#).unwrap();
    assert_eq!(
        found(&request),
        [(
            WarningKind::DeprecatedParameter,
            "Tag.1.key".to_owned(),
            Some("Tag.1.Key".to_owned()),
            "deprecated parameter Tag.1.key; use Tag.1.Key instead".to_owned(),
        )]
    );
}

/// The warning the current reference's "no longer used" gives for `parameter`.
fn no_longer_used(parameter: &str) -> (WarningKind, String, Option<String>, String) {
    (
        WarningKind::DeprecatedParameter,
        parameter.to_owned(),
        None,
        format!(
            "deprecated parameter {parameter}; the API reference marks it no longer used (it \
             takes effect only for accounts that used local snapshots before 2020-12-14)"
        ),
    )
}

/// CURRENT.md marks Category, InstantAccess and InstantAccessRetentionDays "no longer used":
/// each is deprecated, with nothing to use instead (D228).
#[test]
fn category_and_instant_access_are_no_longer_used() {
    for value in ["Standard", "Flash", "standard", "bogus"] {
        let request = query(&format!("DiskId=d-1&Category={value}"));
        assert_eq!(found(&request), [no_longer_used("Category")], "{value}");
    }
    for value in ["true", "False", "yes"] {
        let request = query(&format!("DiskId=d-1&InstantAccess={value}"));
        assert_eq!(
            found(&request),
            [no_longer_used("InstantAccess")],
            "{value}"
        );
    }
    let request = query("DiskId=d-1&InstantAccess=true&InstantAccessRetentionDays=3");
    assert_eq!(
        found(&request),
        [
            no_longer_used("InstantAccess"),
            no_longer_used("InstantAccessRetentionDays")
        ]
    );
}

/// The warnings besides the deprecations.
fn found_besides_deprecations(
    request: &CreateSnapshotRequest,
) -> Vec<(WarningKind, String, Option<String>, String)> {
    found(request)
        .into_iter()
        .filter(|w| w.0 != WarningKind::DeprecatedParameter)
        .collect()
}

#[test]
fn instant_access_retention_days_without_instant_access_has_no_effect() {
    let expected = [(
        WarningKind::IneffectiveParameter,
        "InstantAccessRetentionDays".to_owned(),
        None,
        "InstantAccessRetentionDays has no effect unless InstantAccess is true".to_owned(),
    )];
    for text in [
        "DiskId=d-1&InstantAccessRetentionDays=3",
        "DiskId=d-1&InstantAccessRetentionDays=3&InstantAccess=false",
        "DiskId=d-1&InstantAccessRetentionDays=3&InstantAccess=yes",
        // Not judged without InstantAccess=true, so warned about instead (the CSI driver's 0).
        "DiskId=d-1&InstantAccessRetentionDays=0&InstantAccess=false",
        "DiskId=d-1&InstantAccessRetentionDays=abc",
    ] {
        assert_eq!(found_besides_deprecations(&query(text)), expected, "{text}");
    }
    for text in [
        "DiskId=d-1&InstantAccessRetentionDays=3&InstantAccess=true",
        "DiskId=d-1&InstantAccessRetentionDays=3&InstantAccess=True",
        "DiskId=d-1&InstantAccess=false",
    ] {
        assert_eq!(found_besides_deprecations(&query(text)), [], "{text}");
    }
}

/// With the account's facts: Category and InstantAccess from an account that did not use
/// local snapshots before 2020-12-14 have no effect, and say so (D226); for an account that
/// did, they do, and nothing more is said.
#[test]
fn legacy_parameters_have_no_effect_for_other_accounts() {
    let ineffective = |parameter: &str| {
        (
            WarningKind::IneffectiveParameter,
            parameter.to_owned(),
            None,
            format!(
                "{parameter} has no effect for this account: it did not use local snapshots \
                 before 2020-12-14 (snapshots of ESSD-series disks are instantly available \
                 anyway)"
            ),
        )
    };
    let with = |request: &CreateSnapshotRequest, facts: &Facts| {
        state::warnings(request, facts)
            .into_iter()
            .map(|w| {
                (
                    w.kind(),
                    w.parameter().to_owned(),
                    w.suggestion().map(str::to_owned),
                    w.message().to_owned(),
                )
            })
            .collect::<Vec<_>>()
    };
    let request = query("DiskId=d-1&Category=standard&InstantAccess=false");
    let ordinary = Facts::default();
    assert_eq!(
        with(&request, &ordinary),
        [
            no_longer_used("Category"),
            no_longer_used("InstantAccess"),
            ineffective("Category"),
            ineffective("InstantAccess"),
        ]
    );
    let request = query("DiskId=d-1&InstantAccess=true&InstantAccessRetentionDays=3");
    assert_eq!(
        with(&request, &ordinary),
        [
            no_longer_used("InstantAccess"),
            no_longer_used("InstantAccessRetentionDays"),
            ineffective("InstantAccess"),
            ineffective("InstantAccessRetentionDays"),
        ]
    );
    // Without InstantAccess=true, the request alone says InstantAccessRetentionDays has no
    // effect: once.
    let request = query("DiskId=d-1&InstantAccessRetentionDays=0");
    let besides: Vec<_> = with(&request, &ordinary)
        .into_iter()
        .filter(|w| w.0 == WarningKind::IneffectiveParameter)
        .collect();
    assert_eq!(besides.len(), 1, "{besides:?}");
    let mut legacy = Facts::default();
    legacy.account.used_local_snapshots_before_2020_12_14 = true;
    assert_eq!(with(&request, &legacy), found(&request));
    let request = query("DiskId=d-1&Category=Flash");
    assert_eq!(with(&request, &legacy), [no_longer_used("Category")]);
    // A request without them has nothing to be told whatever the account.
    let request = query("DiskId=d-1&SnapshotName=nightly");
    assert_eq!(with(&request, &ordinary), []);
}

#[test]
fn warnings_come_unknown_then_deprecated_then_ineffective() {
    let request =
        query("InstantAccessRetentionDays=3&Tag.1.key=a&Category=Flash&DiskId=d-1&SnapshotNmae=x");
    let kinds: Vec<WarningKind> = found(&request).into_iter().map(|w| w.0).collect();
    assert_eq!(
        kinds,
        [
            WarningKind::UnknownParameter,
            WarningKind::DeprecatedParameter,
            WarningKind::DeprecatedParameter,
            WarningKind::DeprecatedParameter,
            WarningKind::IneffectiveParameter,
        ]
    );
}

#[test]
fn warnings_do_not_depend_on_the_verdict() {
    // Refused (no DiskId, reserved name) and warned about all the same.
    let request = query("SnapshotName=auto1&diskid=d-1");
    assert_eq!(
        found(&request)[0].3,
        "unknown parameter diskid; did you mean DiskId?"
    );
}

#[test]
fn the_warning_displays_as_its_message_and_kinds_have_stable_ids() {
    let request = query("DiskId=d-1&Foo=1");
    let warning = &warnings(&request)[0];
    assert_eq!(warning.to_string(), warning.message());
    let ids: Vec<&str> = WarningKind::ALL.iter().map(|k| k.id()).collect();
    assert_eq!(
        ids,
        [
            "UnknownParameter",
            "DeprecatedParameter",
            "IneffectiveParameter"
        ]
    );
    assert!(WarningKind::ALL.iter().all(|k| !k.description().is_empty()));
}

#[test]
fn did_you_mean_prefers_the_closest_then_the_first() {
    assert_eq!(
        did_you_mean("Dsik", ["DiskId", "Disk", "Desk"]),
        Some("Disk")
    );
    assert_eq!(did_you_mean("ab", ["ac", "ad"]), Some("ac"));
    assert_eq!(did_you_mean("abc", Vec::<&str>::new()), None);
    assert_eq!(did_you_mean("x", ["y"]), Some("y"));
    assert_eq!(did_you_mean("xyz", ["abc"]), None);
}

#[test]
fn many_unknown_parameters_are_each_warned_once() {
    // 20,000 unknown names of 40 characters, each warned as if it came alone. That the cost
    // per name stays flat is shown by the `scaling` group of `benches/validate.rs`.
    let mut text = String::from("DiskId=d-1");
    for n in 0..20_000 {
        text.push_str(&format!("&SnapshotNameWithAVeryLongSuffix{n:08}=x"));
    }
    let request = query(&text);
    let all = warnings(&request);
    assert_eq!(all.len(), 20_000);
    assert_eq!(
        all[19_999].message(),
        warnings(&query(
            "DiskId=d-1&SnapshotNameWithAVeryLongSuffix00019999=x"
        ))[0]
            .message()
    );
}
