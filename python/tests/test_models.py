"""The official SDKs' request objects, at the pinned versions: the current SDK's models
(`alibabacloud_ecs20140526`) and the older SDK's `CreateSnapshotRequest`
(`aliyun-python-sdk-ecs`) are judged by the parameters those SDKs put on the wire."""

from __future__ import annotations

import json

import pytest
from alibabacloud_ecs20140526 import models as ecs
from alibabacloud_ecs20140526.client import Client
from alibabacloud_tea_openapi.utils import Utils
from aliyunsdkcore.client import AcsClient
from aliyunsdkecs.request.v20140526.CreateSnapshotRequest import CreateSnapshotRequest as CoreCreateSnapshot
from aliyunsdkecs.request.v20140526.DescribeDisksRequest import DescribeDisksRequest
from conftest import ROOT

import emulator

import ecs_snapshot_rules as rules
from ecs_snapshot_rules._shape import core_wire, sdk_wire

# The parameters every signed call carries besides the request's own (the SDKs add them).
SIGNING = {
    "Action", "Format", "Version", "Timestamp", "SignatureNonce", "SignatureMethod", "SignatureVersion",
    "SignatureType", "AccessKeyId", "Signature", "RegionId",
}


def tea_client(server) -> Client:
    return emulator.tea_client(server.endpoint)


def sdk_json_cases() -> list:
    cases = json.loads((ROOT / "tests" / "sdk" / "cases.json").read_text(encoding="utf-8"))["cases"]
    return [case for case in cases if "json" in case]


def verdict(result) -> tuple:
    return ("valid",) if result.valid else (result.status, result.code, result.message, result.parameter)


def expected(expect: dict) -> tuple:
    if expect.get("valid") is True:
        return ("valid",)
    return (expect["status"], expect["code"], expect["message"], expect.get("parameter"))


@pytest.mark.parametrize("case", sdk_json_cases(), ids=lambda case: case["name"])
def test_a_model_made_from_each_captured_to_map_gets_its_verdict(case):
    model = ecs.CreateSnapshotRequest().from_map(case["json"])
    assert verdict(rules.check(model)) == expected(case["expect"])
    # The model's to_map() as a dict is judged the same way.
    assert verdict(rules.check(model.to_map())) == expected(case["expect"])


ODD_MODELS = [
    ecs.CreateSnapshotRequest(disk_id="d-1"),
    ecs.CreateSnapshotRequest(disk_id="d-1", instant_access=True, retention_days=30, owner_id=42),
    ecs.CreateSnapshotRequest(disk_id="d-1", instant_access=False, instant_access_retention_days=0),
    ecs.CreateSnapshotRequest(disk_id="d-1", retention_days=30.0, description=b"bytes \xc3\xa9"),
    ecs.CreateSnapshotRequest(disk_id="d-1", tag=[None, ecs.CreateSnapshotRequestTag(key="k")]),
    ecs.CreateSnapshotRequest(disk_id="d-1", tag=[ecs.CreateSnapshotRequestTag(value="v"), ecs.CreateSnapshotRequestTag(key="a&b=c d", value="ü")]),
    ecs.CreateSnapshotRequest(snapshot_name="auto-x", category="Flash", tag=[ecs.CreateSnapshotRequestTag(key=7, value=None)]),
    ecs.CreateSnapshotRequest(disk_id="d-1", snapshot_name=bytearray(b"Nightly"), description=b"caf\xc3\xa9 nightly"),
]


@pytest.mark.parametrize("model", ODD_MODELS, ids=lambda m: json.dumps(m.to_map(), default=repr)[:60])
def test_the_wire_form_of_a_model_is_the_sdks_own(model):
    # The SDK's create_snapshot_with_options flattens its query with Utils.query.
    assert sdk_wire(model) == Utils.query(model.to_map())


def test_what_a_model_is_judged_by_is_what_the_sdk_sends(recorder):
    model = ecs.CreateSnapshotRequest(
        disk_id="d-system01",
        client_token="wire-1",
        instant_access=True,
        retention_days=30.0,
        description="two words & more = ünïcode",
        tag=[ecs.CreateSnapshotRequestTag(key="env", value="prod"), None, ecs.CreateSnapshotRequestTag(key="k3")],
    )
    tea_client(recorder).create_snapshot(model)
    [received] = recorder.received
    ours = sdk_wire(model)
    assert ours["InstantAccess"] == "True" and ours["RetentionDays"] == "30.0" and ours["Tag.3.Key"] == "k3"
    assert {name: value for name, value in received if name not in SIGNING} == ours


def test_what_an_old_sdk_request_is_judged_by_is_what_the_sdk_sends(recorder):
    request = CoreCreateSnapshot()
    request.set_endpoint(recorder.endpoint)
    request.set_protocol_type("http")
    request.set_DiskId("d-system01")
    request.set_ClientToken("core-wire-1")
    request.set_InstantAccess(True)
    request.set_RetentionDays(30)
    request.set_Description("two words & more = ünïcode")
    request.set_Tags([{"Key": "env", "Value": "prod"}, {"Key": "k2"}])
    ours = rules_pairs(core_wire(request))
    AcsClient("test-key", "test-secret", "cn-hangzhou", auto_retry=False).do_action_with_exception(request)
    [received] = recorder.received
    assert ("InstantAccess", "True") in ours and ("Action", "CreateSnapshot") in ours
    assert sorted(received) == sorted(ours + [(n, v) for n, v in received if n in SIGNING and n != "Action"])


def rules_pairs(query: str) -> list:
    from urllib.parse import parse_qsl

    return parse_qsl(query, keep_blank_values=True)


def test_a_none_tag_item_is_absent_and_keeps_its_number_in_every_form():
    model = ecs.CreateSnapshotRequest(disk_id="d-1", tag=[None, ecs.CreateSnapshotRequestTag(key="env", value="prod")])
    assert sdk_wire(model) == Utils.query(model.to_map()) == {"DiskId": "d-1", "Tag.2.Key": "env", "Tag.2.Value": "prod"}
    text = json.dumps(model.to_map())
    assert text == '{"DiskId": "d-1", "Tag": [null, {"Key": "env", "Value": "prod"}]}'
    for form in [model, model.to_map(), text, text.encode()]:
        result = rules.check(form)
        assert (result.valid, result.violations, result.warnings) == (True, (), ()), form
    # The second item is tag 2 in every form: its refusal names Tag.2.Key.
    model = ecs.CreateSnapshotRequest(disk_id="d-1", tag=[None, ecs.CreateSnapshotRequestTag(key="aliyun", value="v")])
    expected = (400, "InvalidTagKey.Malformed", "The specified Tag.n.Key is not valid.", "Tag.2.Key")
    for form in [model, model.to_map(), json.dumps(model.to_map()), [("DiskId", "d-1"), ("Tag.2.Key", "aliyun")]]:
        assert verdict(rules.check(form)) == expected, form
    # Anything else that is not a tag object is still the API's InvalidParameter.
    result = rules.check({"DiskId": "d-1", "Tag": [{"Key": "a"}, "k=v"]})
    assert verdict(result) == (400, "InvalidParameter", 'The specified parameter "Tag.2" is not valid.', "Tag.2")


def test_a_bytearray_in_a_model_is_judged_as_the_str_the_sdk_sends(recorder):
    model = ecs.CreateSnapshotRequest(disk_id="d-system01", snapshot_name=bytearray(b"Nightly"), description=b"caf\xc3\xa9 x")
    # The SDK decodes bytes only: a bytearray goes out as its str().
    assert sdk_wire(model) == Utils.query(model.to_map()) == {
        "DiskId": "d-system01", "SnapshotName": "bytearray(b'Nightly')", "Description": "café x",
    }
    tea_client(recorder).create_snapshot(model)
    [received] = recorder.received
    assert ("SnapshotName", "bytearray(b'Nightly')") in received and ("Description", "café x") in received
    result = rules.check(model)
    assert verdict(result) == (400, "InvalidSnapshotName.Malformed", "The specified SnapshotName is wrongly formed.", "SnapshotName")
    # The older SDK url-encodes str() of a bytearray too.
    request = CoreCreateSnapshot()
    request.set_DiskId("d-1")
    request.set_SnapshotName(bytearray(b"Nightly"))
    assert ("SnapshotName", "bytearray(b'Nightly')") in rules_pairs(core_wire(request))
    assert rules.check(request).code == "InvalidSnapshotName.Malformed"


def test_a_model_is_judged_as_the_api_would():
    result = rules.check(ecs.CreateSnapshotRequest(disk_id="d-1", snapshot_name="auto-nightly"))
    assert verdict(result) == (400, "InvalidSnapshotName.Malformed", "The specified SnapshotName is wrongly formed.", "SnapshotName")
    # Python's True travels as "True", which the API takes for a boolean.
    assert rules.check(ecs.CreateSnapshotRequest(disk_id="d-1", instant_access=True, instant_access_retention_days=3)).valid
    # A float travels as "30.0", which is no integer.
    result = rules.check(ecs.CreateSnapshotRequest(disk_id="d-1", retention_days=30.0))
    assert (result.code, result.parameter) == ("InvalidRetentionDays.Malformed", "RetentionDays")
    # A key-less tag item: the value's N is 1, so Tag.1.Key is missing.
    result = rules.check(ecs.CreateSnapshotRequest(disk_id="d-1", tag=[ecs.CreateSnapshotRequestTag(value="v")]))
    assert (result.code, result.parameter) == ("InvalidTagKey.Malformed", "Tag.1.Key")
    with pytest.raises(rules.ApiError) as raised:
        rules.validate(ecs.CreateSnapshotRequest())
    assert (raised.value.status, raised.value.code, raised.value.parameter) == (400, "MissingParameter", "DiskId")


def test_a_21st_tag_of_a_model_is_a_quota_error():
    tags = [ecs.CreateSnapshotRequestTag(key=f"k{n}", value="v") for n in range(21)]
    result = rules.check(ecs.CreateSnapshotRequest(disk_id="d-1", tag=tags))
    assert verdict(result) == (403, "QuotaExceed.Tags", "The number of tags (21) exceeds the quota of 20.", "Tag")


def test_an_old_sdk_request_is_judged_as_the_api_would():
    request = CoreCreateSnapshot()
    request.set_DiskId("d-1")
    request.set_SnapshotName("auto-x")
    assert verdict(rules.check(request)) == (
        400, "InvalidSnapshotName.Malformed", "The specified SnapshotName is wrongly formed.", "SnapshotName",
    )
    request = CoreCreateSnapshot()
    request.set_DiskId("d-1")
    request.set_InstantAccess(True)
    request.set_Tags([{"Key": "a", "Value": "1"}, {"Key": "a", "Value": "2"}])
    assert verdict(rules.check(request)) == (400, "Duplicate.TagKey", "The Tag.N.Key contain duplicate key.", "Tag.2.Key")
    request = CoreCreateSnapshot()
    request.set_DiskId("d-1")
    request.set_InstantAccess("maybe")
    assert verdict(rules.check(request)) == (
        400, "InvalidParameter", 'The specified parameter "InstantAccess" is not valid.', "InstantAccess",
    )


def test_an_old_sdk_request_of_another_action_is_not_found():
    request = DescribeDisksRequest()
    request.set_DiskIds('["d-1"]')
    result = rules.check(request)
    assert verdict(result) == (
        404, "InvalidAction.NotFound", "Specified api is not found, please check your url and method.", "Action",
    )


def test_an_unknown_model_field_is_a_warning_with_a_suggestion():
    model = ecs.CreateSnapshotRequest(disk_id="d-1")
    model._map = {"SnapshotNmae": "nightly"}  # what a hand-made to_map() could carry
    result = rules.check(model)
    assert result.valid
    assert [(w.kind, w.parameter, w.suggestion) for w in result.warnings] == [
        ("UnknownParameter", "SnapshotNmae", "SnapshotName"),
    ]


def test_anything_with_to_map_is_a_model():
    class Hand:
        def to_map(self):
            return {"DiskId": "d-1", "Tag": [{"Key": "acs:x", "Value": "v"}]}

    result = rules.check(Hand())
    assert (result.code, result.parameter) == ("InvalidTagKey.Malformed", "Tag.1.Key")
