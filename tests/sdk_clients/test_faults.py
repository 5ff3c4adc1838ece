"""Clients' retries against injected faults: the official SDKs' own retry machinery meets
`Throttling`, `ServiceUnavailable` and `InternalError` from the server's fault injection
(`/_emulator/faults`), and a client without retries sees each SDK's own exception. The
expected status and message of each code are read from the server's catalogue
(`catalogue` fixture), never written here.

In `alibabacloud-tea-openapi` 0.4.6 (pinned), retries are made by the client's
`Config.retry_options` (`darabonba.policy.retry.RetryOptions`): `do_request` loops on
`DaraCore.should_retry(self._retry_options, ...)` and never reads `RuntimeOptions.autoretry`
or `max_attempts`, which one test here shows. `aliyun-python-sdk-core` retries CreateSnapshot
by default (its `retry_config.json` lists it with the retryable APIs that take a ClientToken,
`Throttling` among the throttling errors and `ServiceUnavailable`, `InternalError` among the
normal ones), but sends no ClientToken of its own (see the test that shows it).
"""

import json
import time

import pytest
from alibabacloud_ecs20140526 import models as ecs
from alibabacloud_tea_openapi.exceptions import ClientException, ServerException
from aliyunsdkcore.acs_exception.exceptions import ServerException as CoreServerException
from aliyunsdkcore.client import AcsClient
from aliyunsdkecs.request.v20140526.CreateSnapshotRequest import CreateSnapshotRequest
from darabonba.policy.retry import RetryOptions
from darabonba.runtime import RuntimeOptions
from emulator import tea_client

RETRIED = ["Throttling", "ServiceUnavailable", "InternalError"]


def retry_options(codes=RETRIED, attempts=3):
    """Retry these codes, up to `attempts` tries in all, 50 ms apart."""
    return RetryOptions(
        {
            "retryable": True,
            "retryCondition": [
                {"maxAttempts": attempts, "errorCode": codes, "backoff": {"policy": "Fixed", "period": 50}}
            ],
        }
    )


def tea(server, key="test-key", retries=None):
    return tea_client(server.endpoint, key, retry_options=retries)


def autoretry():
    return RuntimeOptions(autoretry=True, max_attempts=3)


def core_client(key="test-key", **options):
    return AcsClient(key, "test-secret", "cn-hangzhou", **options)


def core_create(server, **parameters):
    request = CreateSnapshotRequest()
    request.set_endpoint(server.endpoint)
    request.set_protocol_type("http")
    for name, value in parameters.items():
        getattr(request, f"set_{name}")(value)
    return request


def new_tokens(server):
    """The ClientTokens recorded beyond the example world's own."""
    tokens = server.state()["facts"]["client_tokens"]
    return {t: r["snapshot_id"] for t, r in tokens.items() if t not in ("deploy-4711", "nightly-2026-11-26")}


def assert_sdk_exception(error, row):
    """The tea SDK's exception carries the catalogue row's code, message and status."""
    status, code, message = row["HttpStatus"], row["Code"], row["Message"]
    assert isinstance(error, ClientException if status < 500 else ServerException), type(error)
    assert (error.status_code, error.code, error.data["Message"]) == (status, code, message)
    assert error.message == f"code: {status}, {message} request id: {error.request_id}"


@pytest.mark.parametrize("code", ["Throttling", "ServiceUnavailable"])
def test_the_sdks_retries_recover_from_injected_faults(server, code):
    server.fail_next(2, code)
    response = tea(server, retries=retry_options([code])).create_snapshot_with_options(
        ecs.CreateSnapshotRequest(disk_id="d-system01"), autoretry()
    )
    assert response.status_code == 200
    assert [s["snapshot_id"] for s in server.created()] == [response.body.snapshot_id]
    faults = server.faults()
    assert (faults["calls"], faults["faulted"], faults["fail_next"]) == (3, {code: 2}, [])
    assert server.state()["stats"]["faulted"] == 2


def test_runtime_autoretry_alone_does_not_retry_in_this_sdk(server, catalogue):
    server.fail_next(1, "Throttling")
    with pytest.raises(ClientException) as raised:
        tea(server).create_snapshot_with_options(ecs.CreateSnapshotRequest(disk_id="d-system01"), autoretry())
    assert_sdk_exception(raised.value, catalogue["Throttling"])
    assert server.faults()["calls"] == 1
    assert server.created() == []


@pytest.mark.parametrize("when", ["before the first success", "between tries"])
def test_one_client_token_makes_one_snapshot_whatever_fault_hits(server, when):
    request = ecs.CreateSnapshotRequest(disk_id="d-system01", client_token="retried-token")
    client = tea(server, retries=retry_options())
    first = None
    if when == "between tries":
        # A try that created the snapshot, whose answer the client takes as lost.
        first = client.create_snapshot(request).body.snapshot_id
    server.fail_next(1, "Throttling")
    server.fail_next(1, "ServiceUnavailable")
    answer = client.create_snapshot_with_options(request, autoretry()).body.snapshot_id
    if first is not None:
        assert answer == first
    assert [s["snapshot_id"] for s in server.created()] == [answer]
    assert new_tokens(server) == {"retried-token": answer}
    stats = server.state()["stats"]
    assert (stats["created"], stats["faulted"]) == (1, 2)
    assert stats["replayed"] == (1 if first else 0)


@pytest.mark.parametrize("code", RETRIED)
def test_a_client_without_retries_sees_the_sdks_exception(server, catalogue, code):
    server.fail_next(1, code)
    with pytest.raises((ClientException, ServerException)) as raised:
        tea(server).create_snapshot(ecs.CreateSnapshotRequest(disk_id="d-system01", client_token="t-once"))
    assert_sdk_exception(raised.value, catalogue[code])
    assert server.created() == []
    assert new_tokens(server) == {}


@pytest.mark.parametrize("code", RETRIED)
def test_the_core_sdk_without_retries_sees_its_server_exception(server, catalogue, code):
    server.fail_next(1, code)
    row = catalogue[code]
    with pytest.raises(CoreServerException) as raised:
        core_client(auto_retry=False).do_action_with_exception(core_create(server, DiskId="d-system01"))
    error = raised.value
    assert (error.get_http_status(), error.get_error_code(), error.get_error_msg()) == (
        row["HttpStatus"],
        row["Code"],
        row["Message"],
    )
    assert server.created() == []


def test_the_core_sdks_default_retries_recover_but_add_no_client_token(server):
    server.fail_next(1, "Throttling")
    server.fail_next(1, "ServiceUnavailable")
    body = json.loads(core_client().do_action_with_exception(core_create(server, DiskId="d-system01")))
    assert [s["snapshot_id"] for s in server.created()] == [body["SnapshotId"]]
    faults = server.faults()
    assert (faults["calls"], faults["faulted"]) == (3, {"Throttling": 1, "ServiceUnavailable": 1})
    # Its client-token condition answers with the throttling-backoff flag, not the
    # client-token one, so `_add_request_client_token` never runs: the retries carry no
    # token, and a retry after a lost answer would create a second snapshot.
    assert new_tokens(server) == {}


def test_the_core_sdks_retries_with_a_client_token_replay_the_first_snapshot(server):
    first = json.loads(
        core_client().do_action_with_exception(core_create(server, DiskId="d-system01", ClientToken="core-retried"))
    )["SnapshotId"]
    server.fail_next(2, "InternalError")
    again = json.loads(
        core_client().do_action_with_exception(core_create(server, DiskId="d-system01", ClientToken="core-retried"))
    )["SnapshotId"]
    assert again == first
    assert [s["snapshot_id"] for s in server.created()] == [first]
    assert new_tokens(server) == {"core-retried": first}
    assert server.faults()["faulted"] == {"InternalError": 2}


def test_the_rate_limit_counts_each_access_key_apart(server, catalogue):
    server.faults({"rate_limit": {"calls": 2, "seconds": 3600}})
    gone = ecs.CreateSnapshotRequest(disk_id="d-gone")

    def code_of(client):
        with pytest.raises(ClientException) as raised:
            client.create_snapshot(gone)
        return raised.value

    first, second = tea(server, key="key-A"), tea(server, key="key-B")
    assert [code_of(first).code for _ in range(2)] == ["InvalidDiskId.NotFound"] * 2
    assert_sdk_exception(code_of(first), catalogue["Throttling"])
    assert code_of(second).code == "InvalidDiskId.NotFound"
    # The older SDK signs otherwise, with the same AccessKeyId: the same caller.
    with pytest.raises(CoreServerException) as raised:
        core_client(key="key-A", auto_retry=False).do_action_with_exception(core_create(server, DiskId="d-gone"))
    assert raised.value.get_error_code() == "Throttling"
    assert server.faults()["faulted"] == {"Throttling": 2}


def test_added_latency_slows_each_call(server):
    server.faults({"latency_ms": 300})
    started = time.monotonic()
    with pytest.raises(ClientException):
        tea(server).create_snapshot(ecs.CreateSnapshotRequest(disk_id="d-gone"))
    assert time.monotonic() - started >= 0.3
