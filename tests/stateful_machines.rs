//! The state machines: every (state, event) pair, against the transitions written out here.

use ecs_snapshot_rules::state::{
    DiskEvent, DiskStatus, InstanceEvent, InstanceStatus, InvalidTransition, SnapshotEvent,
    SnapshotStatus,
};

#[test]
fn instance_machine() {
    use InstanceEvent as E;
    use InstanceStatus as S;
    let allowed = [
        (S::Pending, E::Created, S::Stopped),
        (S::Pending, E::Start, S::Starting),
        (S::Stopped, E::Start, S::Starting),
        (S::Starting, E::Started, S::Running),
        (S::Running, E::Stop, S::Stopping),
        (S::Stopping, E::Stopped, S::Stopped),
    ];
    let mut refused = 0;
    for from in S::ALL {
        for event in InstanceEvent::ALL {
            let expected = allowed
                .iter()
                .find(|(f, e, _)| (*f, *e) == (from, event))
                .map(|&(_, _, to)| to)
                .ok_or(InvalidTransition { from, event });
            refused += usize::from(expected.is_err());
            assert_eq!(from.apply(event), expected, "{from} {event:?}");
        }
    }
    assert_eq!(refused, 25 - 6);
}

#[test]
fn disk_machine() {
    use DiskEvent as E;
    use DiskStatus as S;
    let allowed = [
        (S::Creating, E::Created, S::Available),
        (S::Available, E::Attach, S::Attaching),
        (S::Attaching, E::Attached, S::InUse),
        (S::InUse, E::Detach, S::Detaching),
        (S::Detaching, E::Detached, S::Available),
        (S::InUse, E::ReInit, S::ReIniting),
        (S::ReIniting, E::ReInited, S::InUse),
        (S::Available, E::Expire, S::Expired),
        (S::InUse, E::Expire, S::Expired),
        (S::Available, E::Release, S::Released),
        (S::Expired, E::Release, S::Released),
    ];
    for from in S::ALL {
        for event in DiskEvent::ALL {
            let expected = allowed
                .iter()
                .find(|(f, e, _)| (*f, *e) == (from, event))
                .map(|&(_, _, to)| to)
                .ok_or(InvalidTransition { from, event });
            assert_eq!(from.apply(event), expected, "{from} {event:?}");
        }
    }
    // Released is final.
    assert!(DiskEvent::ALL
        .iter()
        .all(|&e| S::Released.apply(e).is_err()));
}

#[test]
fn snapshot_machine() {
    use SnapshotEvent as E;
    use SnapshotStatus as S;
    assert_eq!(S::Progressing.apply(E::Finish), Ok(S::Accomplished));
    assert_eq!(S::Progressing.apply(E::Fail), Ok(S::Failed));
    for from in [S::Accomplished, S::Failed] {
        for event in SnapshotEvent::ALL {
            assert_eq!(from.apply(event), Err(InvalidTransition { from, event }));
        }
    }
    // Deleted with its disk only while progressing; counted against the quota unless failed.
    let deleted: Vec<_> = S::ALL.iter().map(|s| s.deleted_with_disk()).collect();
    assert_eq!(deleted, [true, false, false]);
    let counted: Vec<_> = S::ALL.iter().map(|s| s.counts_against_quota()).collect();
    assert_eq!(counted, [true, true, false]);
}

#[test]
fn statuses_are_spelled_as_the_api_spells_them() {
    let disk: Vec<_> = DiskStatus::ALL.iter().map(|s| s.as_str()).collect();
    assert_eq!(
        disk,
        [
            "Creating",
            "Available",
            "Attaching",
            "In_use",
            "Detaching",
            "ReIniting",
            "Expired",
            "Released"
        ]
    );
    for status in DiskStatus::ALL {
        assert_eq!(
            serde_json::to_string(&status).unwrap(),
            format!("\"{status}\"")
        );
    }
    let instance: Vec<_> = InstanceStatus::ALL.iter().map(|s| s.to_string()).collect();
    assert_eq!(
        instance,
        ["Pending", "Starting", "Running", "Stopping", "Stopped"]
    );
    let snapshot: Vec<_> = SnapshotStatus::ALL
        .iter()
        .map(|s| serde_json::to_string(s).unwrap())
        .collect();
    assert_eq!(
        snapshot,
        ["\"progressing\"", "\"accomplished\"", "\"failed\""]
    );
}

#[test]
fn a_refused_transition_says_what_and_from_where() {
    let error = InstanceStatus::Running
        .apply(InstanceEvent::Start)
        .unwrap_err();
    assert_eq!(error.to_string(), "no transition Start from state Running");
    let error = DiskStatus::InUse.apply(DiskEvent::Release).unwrap_err();
    assert_eq!(error.to_string(), "no transition Release from state In_use");
    let error = SnapshotStatus::Failed
        .apply(SnapshotEvent::Finish)
        .unwrap_err();
    assert_eq!(error.to_string(), "no transition Finish from state failed");
}
