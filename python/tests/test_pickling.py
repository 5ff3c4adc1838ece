"""The result objects pickle, copy and deep-copy to equal objects (so that they cross a
process boundary, a cache or a deepcopy of a larger structure), and compare by value."""

from __future__ import annotations

import copy
import pickle

import pytest
from conftest import ROOT

import ecs_snapshot_rules as rules

NOW = "2026-11-27T12:00:00Z"


def world() -> rules.Facts:
    return rules.Facts((ROOT / "examples" / "world.json").read_text(encoding="utf-8"))


def samples() -> list:
    refused = rules.check("SnapshotName=1st&RetentionDays=0&Tag.1.Key=acs:x&Tag.22.Key=k&SnapshotNmae=x&Category=Flash")
    internal = [row for row in rules.catalog() if row.code == "InternalError"]
    facts = world()
    created = rules.check_preconditions("DiskId=d-system01&InstantAccess=true", facts, NOW)
    replay = rules.check_preconditions(
        "DiskId=d-system01&SnapshotName=nightly-2026-11-26&ClientToken=nightly-2026-11-26", facts, NOW
    )
    state_refusal = rules.check_preconditions("DiskId=d-busy", facts, NOW)
    stateless_refusal = rules.check_preconditions("DiskId=d-1&SnapshotName=auto-x", facts, NOW)
    assert (created.outcome, replay.outcome, state_refusal.valid, stateless_refusal.valid) == ("create", "replay", False, False)
    assert len(internal) == 2 and len(refused.violations) >= 4 and len(refused.warnings) >= 2
    return [
        refused,
        rules.check("DiskId=d-1"),
        rules.check("DiskId=d-1&DiskId=d-2"),
        *refused.violations,
        *refused.warnings,
        *rules.catalog(),
        facts,
        rules.Facts("{}"),
        created,
        replay,
        state_refusal,
        stateless_refusal,
    ]


@pytest.mark.parametrize("protocol", range(pickle.HIGHEST_PROTOCOL + 1))
def test_every_result_pickles_to_an_equal_object(protocol):
    for value in samples():
        again = pickle.loads(pickle.dumps(value, protocol=protocol))
        assert type(again) is type(value)
        assert again == value and hash(again) == hash(value), repr(value)
        assert repr(again) == repr(value)


def test_every_result_copies_and_deep_copies_to_an_equal_object():
    for value in samples():
        for again in [copy.copy(value), copy.deepcopy(value)]:
            assert type(again) is type(value) and again == value and hash(again) == hash(value)
            assert repr(again) == repr(value)
    structure = {"results": samples()}
    assert copy.deepcopy(structure) == structure


def test_what_a_round_trip_keeps():
    result = rules.check("SnapshotName=1st&SnapshotNmae=x")
    again = pickle.loads(pickle.dumps(result))
    assert (again.valid, again.status, again.code, again.message, again.parameter) == (
        result.valid, result.status, result.code, result.message, result.parameter,
    )
    assert again.violations == result.violations and again.warnings == result.warnings
    assert again.error == result.error
    assert [v.explain() for v in again.violations] == [v.explain() for v in result.violations]
    # The two InternalError rows stay apart.
    first, second = [row for row in rules.catalog() if row.code == "InternalError"]
    assert pickle.loads(pickle.dumps(second)) == second != first
    assert pickle.loads(pickle.dumps(second)).message == second.message
    facts = world()
    assert pickle.loads(pickle.dumps(facts)).to_json() == facts.to_json()
    created = rules.check_preconditions("DiskId=d-system01", facts, NOW)
    again = pickle.loads(pickle.dumps(created))
    assert (again.outcome, again.source, again.source_id, again.kind) == ("create", "disk", "d-system01", "normal")


def test_results_compare_by_value():
    assert rules.check("DiskId=d-1") == rules.check("DiskId=d-1")
    assert rules.check("DiskId=d-1") != rules.check("DiskId=d-2&SnapshotName=auto-x")
    assert rules.check("DiskId=d-1") != rules.check("DiskId=d-1&Foo=1")  # a warning more
    assert rules.Facts("{}") == rules.Facts({}) != world()
    facts = world()
    assert rules.check_preconditions("DiskId=d-system01", facts, NOW) == rules.check_preconditions("DiskId=d-system01", facts, NOW)
    assert rules.check_preconditions("DiskId=d-system01", facts, NOW) != rules.check_preconditions("DiskId=d-busy", facts, NOW)
    assert (rules.check("DiskId=d-1") == "DiskId=d-1") is False
    assert len({rules.check("DiskId=d-1"), rules.check("DiskId=d-1")}) == 1


def test_a_pickle_of_an_unknown_row_is_a_clear_error():
    with pytest.raises(ValueError) as raised:
        rules._native._catalog_entry("NoSuch.Code", "x")
    assert str(raised.value) == "unknown error code 'NoSuch.Code': the pickle is of another version's catalogue"
    with pytest.raises(ValueError) as raised:
        rules._native._request_warning("Odd", "P", None, "m")
    assert str(raised.value) == "unknown warning kind 'Odd'"
    with pytest.raises(ValueError) as raised:
        rules._native._precondition_result(None, "create", "moon", "d-1", "normal")
    assert str(raised.value) == "not the state of a PreconditionResult"
