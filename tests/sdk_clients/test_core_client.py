"""The older SDK, `aliyun-python-sdk-ecs` on `aliyun-python-sdk-core` (`AcsClient`, RPC
signature HMAC-SHA1), against the emulator."""

import json

import pytest
from aliyunsdkcore.acs_exception.exceptions import ServerException
from aliyunsdkcore.client import AcsClient
from aliyunsdkecs.request.v20140526.CreateSnapshotRequest import CreateSnapshotRequest
from aliyunsdkecs.request.v20140526.DescribeDisksRequest import DescribeDisksRequest


def client(key="test-key", secret="test-secret"):
    return AcsClient(key, secret, "cn-hangzhou", auto_retry=False)


def aimed(server, request):
    """The request, sent to the emulator over plain HTTP instead of the public endpoint."""
    request.set_endpoint(server.endpoint)
    request.set_protocol_type("http")
    return request


def create(server, **parameters):
    request = aimed(server, CreateSnapshotRequest())
    for name, value in parameters.items():
        getattr(request, f"set_{name}")(value)
    return request


def test_a_created_snapshot_id_is_parsed(server):
    body = json.loads(client().do_action_with_exception(create(server, DiskId="d-system01")))
    assert [s["snapshot_id"] for s in server.created()] == [body["SnapshotId"]]
    assert len(body["RequestId"]) == 36


@pytest.mark.filterwarnings("ignore:do_action:DeprecationWarning")
def test_xml_answers_when_asked_for(server):
    request = create(server, DiskId="d-system01")
    request.set_accept_format("XML")
    # do_action keeps the format asked for (do_action_with_exception always asks for JSON).
    body = client().do_action(request).decode()
    snapshot_id = server.created()[0]["snapshot_id"]
    assert body.startswith('<?xml version="1.0" encoding="UTF-8"?><CreateSnapshotResponse><RequestId>')
    assert body.endswith(f"</RequestId><SnapshotId>{snapshot_id}</SnapshotId></CreateSnapshotResponse>")


@pytest.mark.parametrize(
    "parameters, status, code, message",
    [
        ({"DiskId": "d-system01", "SnapshotName": "auto-x"}, 400, "InvalidSnapshotName.Malformed",
         "The specified SnapshotName is wrongly formed."),
        ({"DiskId": "d-gone"}, 404, "InvalidDiskId.NotFound", "The specified DiskId does not exist."),
        ({"DiskId": "d-quarantined"}, 403, "InstanceLockedForSecurity",
         "The disk attached instance is locked due to security."),
        ({"DiskId": "d-system01", "RetentionDays": 0}, 400, "InvalidRetentionDays.Malformed",
         "The specified RetentionDays is not valid."),
        ({"DiskId": "d-system01", "InstantAccess": "maybe"}, 400, "InvalidParameter",
         'The specified parameter "InstantAccess" is not valid.'),
    ],
)
def test_a_refusal_raises_server_exception_with_our_code_and_message(server, parameters, status, code, message):
    with pytest.raises(ServerException) as raised:
        client().do_action_with_exception(create(server, **parameters))
    error = raised.value
    assert (error.get_http_status(), error.get_error_code(), error.get_error_msg()) == (status, code, message)
    assert len(error.get_request_id()) == 36
    assert server.created() == []


def test_every_parameter_arrives_intact(server):
    server.facts({"resource_groups": ["rg-prod"], "account": {"used_local_snapshots_before_2020_12_14": True}})
    request = create(
        server,
        DiskId="d-archive",
        SnapshotName="nightly:2026_11-27",
        Description="two words & more = ünïcode",
        RetentionDays=30,
        ClientToken="core-every-parameter",
        ResourceGroupId="rg-prod",
        Category="Standard",
        Tags=[{"Key": "env", "Value": "prod"}, {"Key": "team", "Value": "a&b=c d"}],
        OwnerId=42,
    )
    first = json.loads(client().do_action_with_exception(request))
    recorded = server.token_request("core-every-parameter")
    common = {"Format", "Version", "AccessKeyId", "SignatureMethod", "SignatureVersion", "SignatureNonce",
              "SignatureType", "Timestamp", "RegionId", "Signature"}
    assert {k: v for k, v in recorded.items() if k not in common} == {
        "Action": "CreateSnapshot",
        "DiskId": "d-archive",
        "SnapshotName": "nightly:2026_11-27",
        "Description": "two words & more = ünïcode",
        "RetentionDays": "30",
        "Category": "Standard",
        "ClientToken": "core-every-parameter",
        "ResourceGroupId": "rg-prod",
        "Tag.1.Key": "env",
        "Tag.1.Value": "prod",
        "Tag.2.Key": "team",
        "Tag.2.Value": "a&b=c d",
        "OwnerId": "42",
    }
    assert recorded["RegionId"] == "cn-hangzhou"
    again = json.loads(client().do_action_with_exception(request))
    assert again["SnapshotId"] == first["SnapshotId"]


def test_python_booleans_arrive_as_booleans(server):
    server.facts({"disks": {"d-bool": {"instance_id": "i-web01"}}})
    client().do_action_with_exception(create(server, DiskId="d-system01", InstantAccess=True))
    client().do_action_with_exception(create(server, DiskId="d-bool", InstantAccess=False))
    kinds = {s["source_id"]: s["kind"] for s in server.created()}
    assert kinds == {"d-system01": "instant_access", "d-bool": "normal"}


def test_another_action_is_invalid_action_not_found(server):
    with pytest.raises(ServerException) as raised:
        client().do_action_with_exception(aimed(server, DescribeDisksRequest()))
    assert (raised.value.get_http_status(), raised.value.get_error_code()) == (404, "InvalidAction.NotFound")
