"""`check_preconditions`: the stateful rules, on the example world, agree with what
`ecs-snapshot-rules serve` answers on the same world at the same instant."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest
from alibabacloud_ecs20140526 import models as ecs
from alibabacloud_tea_openapi.exceptions import ClientException
from emulator import NOW, WORLD, tea_client

import ecs_snapshot_rules as rules

REQUESTS = [
    ecs.CreateSnapshotRequest(disk_id="d-system01"),
    ecs.CreateSnapshotRequest(disk_id="d-system01", instant_access=True),
    ecs.CreateSnapshotRequest(disk_id="d-gone"),
    ecs.CreateSnapshotRequest(disk_id="d-busy"),
    ecs.CreateSnapshotRequest(disk_id="d-quarantined"),
    ecs.CreateSnapshotRequest(disk_id="d-blank"),
    ecs.CreateSnapshotRequest(disk_id="d-new-system"),
    ecs.CreateSnapshotRequest(disk_id="d-data01"),
    ecs.CreateSnapshotRequest(disk_id="d-scratch"),
    ecs.CreateSnapshotRequest(disk_id="d-archive"),
    ecs.CreateSnapshotRequest(disk_id="d-shared01"),
    ecs.CreateSnapshotRequest(disk_id="d-system01", snapshot_name="nightly-2026-11-26", client_token="nightly-2026-11-26"),
    ecs.CreateSnapshotRequest(disk_id="d-system01", client_token="nightly-2026-11-26"),
    ecs.CreateSnapshotRequest(disk_id="d-system01", client_token="deploy-4711", tag=[ecs.CreateSnapshotRequestTag(key="release", value="4711")]),
    ecs.CreateSnapshotRequest(disk_id="d-system01", resource_group_id="rg-nope"),
    ecs.CreateSnapshotRequest(disk_id="d-system01", snapshot_name="auto-x"),
]


def served(server, request) -> tuple:
    client = tea_client(server.endpoint, "k", "s")
    try:
        return ("accepted", client.create_snapshot(request).body.snapshot_id)
    except ClientException as error:
        return (error.status_code, error.code, error.data["Message"])


@pytest.mark.parametrize("request_", REQUESTS, ids=lambda r: json.dumps(r.to_map())[:70])
def test_the_stateful_verdict_is_the_servers(server, request_):
    result = rules.check_preconditions(request_, WORLD.read_text(encoding="utf-8"), NOW)
    answer = served(server, request_)
    if result.valid:
        assert answer[0] == "accepted"
        if result.outcome == "replay":
            assert answer[1] == result.snapshot_id
        else:
            assert result.outcome == "create" and result.snapshot_id is None
    else:
        assert answer == (result.status, result.code, result.message)


def test_the_world_gives_refusals_of_many_kinds_and_both_outcomes():
    facts = rules.Facts(WORLD.read_text(encoding="utf-8"))
    results = [rules.check_preconditions(request, facts, NOW) for request in REQUESTS]
    assert len({result.code for result in results if not result.valid}) >= 9
    assert {result.outcome for result in results if result.valid} == {"create", "replay"}


def test_what_is_accepted_is_described():
    facts = rules.Facts(json.loads(WORLD.read_text(encoding="utf-8")))
    result = rules.check_preconditions("DiskId=d-system01&InstantAccess=true", facts, NOW)
    assert (result.valid, result.outcome, result.source, result.source_id, result.kind) == (
        True, "create", "disk", "d-system01", "instant_access",
    )
    assert repr(result) == "PreconditionResult(valid=True, outcome='create', source='disk', source_id='d-system01', kind='instant_access')"
    result = rules.check_preconditions({"DiskId": "d-shared01"}, facts, NOW)
    assert (result.source, result.kind) == ("volume", "normal")
    replay = rules.check_preconditions(
        "DiskId=d-system01&SnapshotName=nightly-2026-11-26&ClientToken=nightly-2026-11-26", facts, NOW
    )
    assert (replay.outcome, replay.snapshot_id, replay.source, replay.kind) == ("replay", "s-nightly26", None, None)
    assert replay.error is None and replay.raise_for_error() is None


def test_a_refusal_raises_as_validate_does():
    result = rules.check_preconditions("DiskId=d-busy", WORLD.read_bytes(), NOW)
    assert (result.valid, bool(result), result.outcome, result.source) == (False, False, None, None)
    with pytest.raises(rules.ApiError) as raised:
        result.raise_for_error()
    assert (raised.value.status, raised.value.code) == (403, "IncorrectDiskStatus.CreatingSnapshot")
    assert raised.value == result.error


def test_now_in_every_form_is_the_same_instant():
    facts = rules.Facts(WORLD.read_text(encoding="utf-8"))
    # i-new01 was created at 11:30; its disks can be snapshotted an hour later.
    at = datetime(2026, 11, 27, 12, 0, tzinfo=timezone.utc)
    forms = [NOW, at, at.astimezone(timezone(timedelta(hours=8))), at.timestamp(), int(at.timestamp()), "2026-11-27T20:00:00+08:00"]
    codes = {rules.check_preconditions("DiskId=d-new-system", facts, now).code for now in forms}
    assert codes == {"IncorrectInstanceStatus"}
    later = at + timedelta(hours=1)
    assert rules.check_preconditions("DiskId=d-new-system", facts, later).valid
    assert rules.check_preconditions("DiskId=d-system01", facts).valid  # now defaults to the clock


def test_bad_facts_and_bad_instants_are_clear_errors():
    with pytest.raises(ValueError, match="^invalid facts at line 1, column .*unknown field `diskz`"):
        rules.Facts('{"diskz": {}}')
    with pytest.raises(ValueError, match="^invalid facts at line 1"):
        rules.check_preconditions("DiskId=d-1", "{", NOW)
    with pytest.raises(TypeError, match="^facts are JSON text \\(str or bytes\\) or a dict, not a list"):
        rules.check_preconditions("DiskId=d-1", [], NOW)
    with pytest.raises(ValueError, match="naive datetime"):
        rules.check_preconditions("DiskId=d-1", {}, datetime(2026, 11, 27))
    with pytest.raises(ValueError, match='"yesterday" is not an RFC 3339 timestamp'):
        rules.check_preconditions("DiskId=d-1", {}, "yesterday")
    with pytest.raises(ValueError, match="is not an instant a timestamp can hold"):
        rules.check_preconditions("DiskId=d-1", {}, 1e300)
    with pytest.raises(TypeError, match="^now is an RFC 3339 str"):
        rules.check_preconditions("DiskId=d-1", {}, True)
    assert repr(rules.Facts("{}")) == "Facts(disks=0, instances=0, volumes=0, client_tokens=0)"
    assert json.loads(rules.Facts({"resource_groups": ["rg-1"]}).to_json())["resource_groups"] == ["rg-1"]
