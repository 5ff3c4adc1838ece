"""`guard(client)` on the official SDKs' clients, at the pinned versions: a refused request
raises the exception the SDK raises for the API's answer, field for field the one it raises
for the same answer from `ecs-snapshot-rules serve`, without a network call; a valid request
goes through to the server unchanged."""

from __future__ import annotations

import asyncio
import re
import socket

import pytest
from alibabacloud_ecs20140526 import models as ecs
from alibabacloud_ecs20140526.client import Client
from alibabacloud_tea_openapi.exceptions import ClientException
from aliyunsdkcore.acs_exception.exceptions import ServerException
from aliyunsdkcore.client import AcsClient
from aliyunsdkcore.request import CommonRequest
from aliyunsdkecs.request.v20140526.CreateSnapshotRequest import CreateSnapshotRequest as CoreCreateSnapshot
from aliyunsdkecs.request.v20140526.DescribeDisksRequest import DescribeDisksRequest
from darabonba.runtime import RuntimeOptions

import emulator

import ecs_snapshot_rules as rules

REQUEST_ID = re.compile(r"^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$")


def closed_endpoint() -> str:
    """An address where nothing listens: a request that reached it would fail to connect."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"127.0.0.1:{probe.getsockname()[1]}"


def tea_client(endpoint: str) -> Client:
    return emulator.tea_client(endpoint, connect_timeout=2000, read_timeout=5000)


def core_request(endpoint: str, **parameters) -> CoreCreateSnapshot:
    request = CoreCreateSnapshot()
    request.set_endpoint(endpoint)
    request.set_protocol_type("http")
    for name, value in parameters.items():
        getattr(request, f"set_{name}")(value)
    return request


def core_client() -> AcsClient:
    return AcsClient("test-key", "test-secret", "cn-hangzhou", auto_retry=False, connect_timeout=2, timeout=5)


REFUSED = [
    pytest.param(ecs.CreateSnapshotRequest(disk_id="d-system01", snapshot_name="auto-nightly"), id="snapshot_name"),
    pytest.param(ecs.CreateSnapshotRequest(disk_id="d-system01", description="x"), id="description_404"),
    pytest.param(ecs.CreateSnapshotRequest(), id="missing_disk_id"),
    pytest.param(ecs.CreateSnapshotRequest(disk_id="d-system01", retention_days=0), id="retention_days"),
    pytest.param(ecs.CreateSnapshotRequest(disk_id="d-system01", category="Flash", instant_access=True), id="category_403"),
    pytest.param(
        ecs.CreateSnapshotRequest(disk_id="d-system01", tag=[ecs.CreateSnapshotRequestTag(key=f"k{n}") for n in range(21)]),
        id="tags_21",
    ),
    pytest.param(
        ecs.CreateSnapshotRequest(disk_id="d-system01", tag=[ecs.CreateSnapshotRequestTag(key="a"), ecs.CreateSnapshotRequestTag(key="a")]),
        id="duplicate_key",
    ),
]


def fields(error: Exception) -> dict:
    """What the SDK fills, with the RequestId (which differs between any two answers) taken
    out of the message and the body."""
    request_id = error.request_id
    data = dict(error.data)
    assert REQUEST_ID.match(data.pop("RequestId"))
    return {
        "type": type(error),
        "name": error.name,
        "status_code": error.status_code,
        "statusCode": getattr(error, "statusCode", None),
        "code": error.code,
        "message": error.message.replace(request_id, "<id>"),
        "detail": error.detail,
        "description": error.description,
        "data": data,
        "access_denied_detail": error.access_denied_detail,
        "retry_after": error.retry_after,
        "str": str(error).replace(request_id, "<id>"),
    }


@pytest.mark.parametrize("request_", REFUSED)
def test_a_refusal_is_the_exception_the_sdk_raises_for_the_servers_answer(server, request_):
    with pytest.raises(ClientException) as from_server:
        tea_client(server.endpoint).create_snapshot(request_)
    with pytest.raises(ClientException) as from_guard:
        rules.guard(tea_client(closed_endpoint())).create_snapshot(request_)
    assert fields(from_guard.value) == fields(from_server.value)
    assert REQUEST_ID.match(from_guard.value.request_id)
    assert from_guard.value.request_id != from_server.value.request_id


def test_the_exception_carries_the_apis_code_message_and_status():
    with pytest.raises(ClientException) as raised:
        rules.guard(tea_client(closed_endpoint())).create_snapshot(
            ecs.CreateSnapshotRequest(disk_id="d-1", snapshot_name="auto-nightly")
        )
    error = raised.value
    assert (error.status_code, error.code, error.data["Message"]) == (
        400, "InvalidSnapshotName.Malformed", "The specified SnapshotName is wrongly formed.",
    )
    assert error.message == f"code: 400, The specified SnapshotName is wrongly formed. request id: {error.request_id}"
    assert error.data["Code"] == "InvalidSnapshotName.Malformed" and error.data["statusCode"] == 400
    assert rules.explain(error).code == "InvalidSnapshotName.Malformed"


def run_every_way(client: Client, requests: list) -> list:
    """The outcome of each of the four entry points, each with its request: the response's
    SnapshotId, or the exception's type and code."""
    calls = [
        lambda request: client.create_snapshot(request),
        lambda request: client.create_snapshot_with_options(request, RuntimeOptions()),
        lambda request: asyncio.run(client.create_snapshot_async(request)),
        lambda request: asyncio.run(client.create_snapshot_with_options_async(request, RuntimeOptions())),
    ]
    outcomes = []
    for call, request in zip(calls, requests):
        try:
            outcomes.append(("answered", call(request).body.snapshot_id))
        except Exception as error:  # noqa: BLE001 - the outcome is what is compared
            outcomes.append((type(error).__name__, getattr(error, "code", None)))
    return outcomes


def test_all_four_entry_points_are_guarded():
    client = rules.guard(tea_client(closed_endpoint()))
    outcomes = run_every_way(client, [ecs.CreateSnapshotRequest(disk_id="d-1", description="http://x")] * 4)
    assert outcomes == [("ClientException", "InvalidDescription.Malformed")] * 4


def test_valid_requests_reach_the_server_unchanged_every_way(server):
    # One disk for each call: a disk takes one snapshot at a time.
    disks = [f"d-guarded{n}" for n in range(4)]
    server.control("POST", "facts", {"disks": {disk: {"instance_id": "i-web01"} for disk in disks}})
    client = rules.guard(tea_client(server.endpoint))
    outcomes = run_every_way(client, [ecs.CreateSnapshotRequest(disk_id=disk) for disk in disks])
    created = [s["snapshot_id"] for s in server.created()]
    assert [outcome[0] for outcome in outcomes] == ["answered"] * 4
    assert sorted(outcome[1] for outcome in outcomes) == sorted(created) and len(set(created)) == 4


def test_a_state_refusal_still_comes_from_the_server(server):
    # The guard judges the request alone; the state is the server's.
    with pytest.raises(ClientException) as raised:
        rules.guard(tea_client(server.endpoint)).create_snapshot(ecs.CreateSnapshotRequest(disk_id="d-busy"))
    assert (raised.value.status_code, raised.value.code) == (403, "IncorrectDiskStatus.CreatingSnapshot")


def test_a_refused_request_never_reaches_the_server(server):
    client = rules.guard(tea_client(server.endpoint))
    for request in [ecs.CreateSnapshotRequest(disk_id="d-system01", snapshot_name="auto-x", client_token="never-1")]:
        with pytest.raises(ClientException):
            client.create_snapshot(request)
    assert server.created() == []
    assert "never-1" not in server.control("GET", "state")["facts"]["client_tokens"]


def test_guard_returns_the_client_and_guards_once(monkeypatch):
    client = tea_client(closed_endpoint())
    assert rules.guard(client) is client
    assert rules.guard(client) is client
    calls = []
    real = rules._guard._native.first_violation
    monkeypatch.setattr(rules._guard._native, "first_violation", lambda r: calls.append(r) or real(r))
    with pytest.raises(ClientException):
        client.create_snapshot(ecs.CreateSnapshotRequest())
    assert len(calls) == 1
    assert isinstance(client, Client)


def test_guard_refuses_what_is_no_client():
    with pytest.raises(TypeError) as raised:
        rules.guard({})
    assert str(raised.value) == "guard() takes an alibabacloud_ecs20140526 Client or an aliyunsdkcore AcsClient; got a dict"


def test_guard_refuses_another_products_client_and_a_client_class():
    # The shape of another product's client of the same SDK family (alibabacloud_nas20170626's
    # Client has create_snapshot_with_options too, for NAS's own CreateSnapshot).
    calls = []
    NasClient = type(
        "Client",
        (),
        {
            "__module__": "alibabacloud_nas20170626.client",
            "create_snapshot_with_options": lambda self, request, runtime: calls.append(request),
            "do_action_with_exception": lambda self, request: calls.append(request),
        },
    )
    nas = NasClient()
    with pytest.raises(TypeError) as raised:
        rules.guard(nas)
    assert str(raised.value) == (
        "guard() takes an alibabacloud_ecs20140526 Client or an aliyunsdkcore AcsClient; "
        "got a Client of alibabacloud_nas20170626.client"
    )
    assert "create_snapshot_with_options" not in vars(nas)
    for cls in [Client, AcsClient]:
        before = dict(vars(cls))
        with pytest.raises(TypeError) as raised:
            rules.guard(cls)
        assert str(raised.value) == (
            f"guard() takes a client, not the class {cls.__name__}: guard an instance "
            "(guard(Client(config)) or guard(AcsClient(...)))"
        )
        # The class is untouched, so its instances are not changed behind their backs.
        assert dict(vars(cls)) == before


def test_guard_takes_a_subclass_of_the_sdks_client():
    class MyClient(Client):
        pass

    from alibabacloud_tea_openapi import models as openapi

    config = openapi.Config(
        access_key_id="test-key", access_key_secret="test-secret", endpoint=closed_endpoint(), protocol="http",
        region_id="cn-hangzhou", connect_timeout=2000, read_timeout=5000,
    )
    client = rules.guard(MyClient(config))
    with pytest.raises(ClientException) as raised:
        client.create_snapshot(ecs.CreateSnapshotRequest(disk_id="d-1", snapshot_name="auto-x"))
    assert raised.value.code == "InvalidSnapshotName.Malformed"


def test_the_rules_a_request_alone_can_break_are_all_client_errors():
    # So the guard raises ClientException, never ServerException, for what it refuses.
    rows = [row for row in rules.catalog() if row.scope == "request"]
    assert rows and all(400 <= row.status < 500 for row in rows)


# The older SDK: AcsClient.do_action_with_exception.

CORE_REFUSED = [
    pytest.param({"DiskId": "d-system01", "SnapshotName": "auto-x"}, id="snapshot_name"),
    pytest.param({"DiskId": "d-system01", "RetentionDays": 0}, id="retention_days"),
    pytest.param({"DiskId": "d-system01", "InstantAccess": "maybe"}, id="instant_access"),
    pytest.param({"DiskId": "d-system01", "Description": "x"}, id="description_404"),
    pytest.param({"SnapshotName": "nightly"}, id="missing_disk_id"),
]


def core_fields(error: ServerException) -> tuple:
    return (type(error), error.get_http_status(), error.get_error_code(), error.get_error_msg(), error.get_error_type())


@pytest.mark.parametrize("parameters", CORE_REFUSED)
def test_the_old_sdk_raises_its_server_exception_as_for_the_servers_answer(server, parameters):
    with pytest.raises(ServerException) as from_server:
        core_client().do_action_with_exception(core_request(server.endpoint, **parameters))
    with pytest.raises(ServerException) as from_guard:
        rules.guard(core_client()).do_action_with_exception(core_request(closed_endpoint(), **parameters))
    assert core_fields(from_guard.value) == core_fields(from_server.value)
    assert REQUEST_ID.match(from_guard.value.get_request_id())
    text = str(from_guard.value)
    assert text == str(from_server.value).replace(from_server.value.get_request_id(), from_guard.value.get_request_id())


def test_the_old_sdk_passes_valid_requests_to_the_server(server):
    client = rules.guard(core_client())
    body = client.do_action_with_exception(core_request(server.endpoint, DiskId="d-system01", InstantAccess=True))
    assert [s["snapshot_id"] for s in server.created()] == [__import__("json").loads(body)["SnapshotId"]]


def test_the_old_sdk_passes_other_actions_untouched(recorder):
    request = DescribeDisksRequest()
    request.set_endpoint(recorder.endpoint)
    request.set_protocol_type("http")
    rules.guard(core_client()).do_action_with_exception(request)
    [received] = recorder.received
    assert ("Action", "DescribeDisks") in received


def common_request(endpoint: str, version: str = "2014-05-26", **parameters) -> CommonRequest:
    """A CommonRequest as its documentation builds one: a domain, a version and an action,
    and no product."""
    request = CommonRequest()
    request.set_domain(endpoint)
    request.set_version(version)
    request.set_action_name("CreateSnapshot")
    request.set_protocol_type("http")
    for name, value in parameters.items():
        request.add_query_param(name, value)
    return request


def test_the_old_sdk_guards_a_common_request_of_ecs(server):
    parameters = {"DiskId": "d-system01", "SnapshotName": "auto-x"}
    with pytest.raises(ServerException) as from_server:
        core_client().do_action_with_exception(common_request(server.endpoint, **parameters))
    with pytest.raises(ServerException) as from_guard:
        rules.guard(core_client()).do_action_with_exception(common_request(closed_endpoint(), **parameters))
    assert core_fields(from_guard.value) == core_fields(from_server.value) == (
        ServerException, 400, "InvalidSnapshotName.Malformed", "The specified SnapshotName is wrongly formed.", "Server",
    )
    # check() judges it the same way.
    result = rules.check(common_request(closed_endpoint(), **parameters))
    assert (result.status, result.code, result.parameter) == (400, "InvalidSnapshotName.Malformed", "SnapshotName")
    # A valid one goes through.
    body = rules.guard(core_client()).do_action_with_exception(common_request(server.endpoint, DiskId="d-system01"))
    assert [s["snapshot_id"] for s in server.created()] == [__import__("json").loads(body)["SnapshotId"]]


def test_the_old_sdk_passes_another_products_create_snapshot(recorder):
    # NAS's CreateSnapshot (version 2017-06-26) has rules of its own: not ECS's to judge.
    nas = common_request(recorder.endpoint, version="2017-06-26", FileSystemId="extreme-1", SnapshotName="auto-x")
    rules.guard(core_client()).do_action_with_exception(nas)
    [received] = recorder.received
    assert ("Action", "CreateSnapshot") in received and ("SnapshotName", "auto-x") in received
    with pytest.raises(ValueError) as raised:
        rules.check(nas)
    assert str(raised.value) == "not a request of ECS: its product is None and its version '2017-06-26' (ECS's is 2014-05-26)"
    # A product named outright decides.
    nas.set_product("Nas")
    with pytest.raises(ValueError, match="^not a request of ECS: its product is 'Nas'"):
        rules.check(nas)
