"""The current SDK, `alibabacloud-ecs20140526` on `alibabacloud-tea-openapi`, whose default
is an ACS3-HMAC-SHA256 request, against the emulator."""

import re

import pytest
from alibabacloud_ecs20140526 import models as ecs
from alibabacloud_ecs20140526.client import Client
from alibabacloud_tea_openapi import models as openapi
from alibabacloud_tea_openapi import utils_models
from alibabacloud_tea_openapi.exceptions import ClientException, ServerException
from darabonba.runtime import RuntimeOptions
from emulator import tea_client

REQUEST_ID = re.compile(r"^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$")


def client(server, key="test-key", secret="test-secret"):
    return tea_client(server.endpoint, key, secret)


def test_a_created_snapshot_id_is_parsed(server):
    response = client(server).create_snapshot(ecs.CreateSnapshotRequest(disk_id="d-system01"))
    assert response.status_code == 200
    assert REQUEST_ID.match(response.body.request_id)
    assert [s["snapshot_id"] for s in server.created()] == [response.body.snapshot_id]
    assert response.body.snapshot_id.startswith("s-")


@pytest.mark.parametrize(
    "request_, status, code, message",
    [
        (
            ecs.CreateSnapshotRequest(disk_id="d-system01", snapshot_name="auto-nightly"),
            400,
            "InvalidSnapshotName.Malformed",
            "The specified SnapshotName is wrongly formed.",
        ),
        (
            ecs.CreateSnapshotRequest(disk_id="d-system01", description="x"),
            404,
            "InvalidDescription.Malformed",
            "The specified description is wrongly formed.",
        ),
        (
            ecs.CreateSnapshotRequest(disk_id="d-gone"),
            404,
            "InvalidDiskId.NotFound",
            "The specified DiskId does not exist.",
        ),
        (
            ecs.CreateSnapshotRequest(disk_id="d-busy"),
            403,
            "IncorrectDiskStatus.CreatingSnapshot",
            "A previous snapshot creation is in process.",
        ),
        (
            ecs.CreateSnapshotRequest(),
            400,
            "MissingParameter",
            'The input parameter "DiskId" that is mandatory for processing this request is not supplied.',
        ),
    ],
)
def test_a_refusal_raises_the_sdks_exception_with_our_code_and_message(server, request_, status, code, message):
    with pytest.raises(ClientException) as raised:
        client(server).create_snapshot(request_)
    error = raised.value
    assert (error.status_code, error.code, error.data["Message"]) == (status, code, message)
    assert REQUEST_ID.match(error.request_id)
    assert error.message == f"code: {status}, {message} request id: {error.request_id}"
    assert server.created() == []


def test_a_server_fault_raises_server_exception(server):
    server.facts({"fault": "internal_error"})
    with pytest.raises(ServerException) as raised:
        client(server).create_snapshot(ecs.CreateSnapshotRequest(disk_id="d-system01"))
    assert (raised.value.status_code, raised.value.code, raised.value.data["Message"]) == (
        500,
        "InternalError",
        "The request processing has failed due to some unknown error.",
    )


def test_every_parameter_arrives_intact(server):
    server.facts({"resource_groups": ["rg-prod"]})
    request = ecs.CreateSnapshotRequest(
        disk_id="d-archive",
        snapshot_name="nightly:2026_11-27",
        description="two words & more = ünïcode",
        retention_days=30,
        client_token="tea-every-parameter",
        resource_group_id="rg-prod",
        instant_access_retention_days=2,
        owner_id=42,
        resource_owner_account="owner@example.com",
        tag=[
            ecs.CreateSnapshotRequestTag(key="env", value="prod"),
            ecs.CreateSnapshotRequestTag(key="team", value="a&b=c d"),
        ],
    )
    response = client(server).create_snapshot(request)
    assert server.token_request("tea-every-parameter") == {
        "Action": "CreateSnapshot",
        "DiskId": "d-archive",
        "SnapshotName": "nightly:2026_11-27",
        "Description": "two words & more = ünïcode",
        "RetentionDays": "30",
        "ClientToken": "tea-every-parameter",
        "ResourceGroupId": "rg-prod",
        "InstantAccessRetentionDays": "2",
        "Tag.1.Key": "env",
        "Tag.1.Value": "prod",
        "Tag.2.Key": "team",
        "Tag.2.Value": "a&b=c d",
        "OwnerId": "42",
        "ResourceOwnerAccount": "owner@example.com",
    }
    # The same request again replays its answer.
    again = client(server).create_snapshot(request)
    assert again.body.snapshot_id == response.body.snapshot_id
    assert len(server.created()) == 1


def test_python_booleans_arrive_as_booleans(server):
    # The SDK sends Python's True and False.
    server.facts({"disks": {"d-bool": {"instance_id": "i-web01"}}})
    c = client(server)
    c.create_snapshot(ecs.CreateSnapshotRequest(disk_id="d-system01", instant_access=True))
    c.create_snapshot(ecs.CreateSnapshotRequest(disk_id="d-bool", instant_access=False))
    kinds = {s["source_id"]: s["kind"] for s in server.created()}
    assert kinds == {"d-system01": "instant_access", "d-bool": "normal"}


def test_a_reused_client_token_with_other_parameters_is_refused(server):
    c = client(server)
    c.create_snapshot(ecs.CreateSnapshotRequest(disk_id="d-system01", client_token="tea-1"))
    with pytest.raises(ClientException) as raised:
        c.create_snapshot(ecs.CreateSnapshotRequest(disk_id="d-system01", client_token="tea-1", snapshot_name="other"))
    assert (raised.value.code, raised.value.data["Message"]) == (
        "IdempotentParameterMismatch",
        "The specified clientToken is used.",
    )


def test_another_action_is_invalid_action_not_found(server):
    params = utils_models.Params(
        action="DescribeDisks",
        version="2014-05-26",
        protocol="HTTP",
        pathname="/",
        method="POST",
        auth_type="AK",
        style="RPC",
        req_body_type="formData",
        body_type="json",
    )
    with pytest.raises(ClientException) as raised:
        client(server).call_api(params, utils_models.OpenApiRequest(query={"RegionId": "cn-hangzhou"}), RuntimeOptions())
    assert (raised.value.status_code, raised.value.code, raised.value.data["Message"]) == (
        404,
        "InvalidAction.NotFound",
        "Specified api is not found, please check your url and method.",
    )


def test_the_rpc_signature_style_of_the_same_client_works_too(server):
    config = openapi.Config(
        access_key_id="test-key",
        access_key_secret="test-secret",
        endpoint=server.endpoint,
        protocol="http",
        region_id="cn-hangzhou",
        signature_algorithm="v2",
    )
    response = Client(config).create_snapshot(ecs.CreateSnapshotRequest(disk_id="d-system01"))
    assert response.body.snapshot_id.startswith("s-")
    with pytest.raises(ClientException) as raised:
        Client(config).create_snapshot(ecs.CreateSnapshotRequest(disk_id="d-gone"))
    assert raised.value.code == "InvalidDiskId.NotFound"
