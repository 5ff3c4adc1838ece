"""Signed requests of both official SDKs against a server started with --credentials: the
right secret is accepted; a wrong secret, an unknown AccessKey, a reused nonce and a stale
timestamp are refused with the API's common errors, raised by the SDK itself."""

import json
import time

import pytest
from alibabacloud_ecs20140526 import models as ecs
from alibabacloud_tea_openapi.exceptions import ClientException
from alibabacloud_tea_openapi.utils import Utils
from aliyunsdkcore.acs_exception.exceptions import ServerException
from aliyunsdkcore.client import AcsClient
from aliyunsdkcore.utils import parameter_helper
from aliyunsdkecs.request.v20140526.CreateSnapshotRequest import CreateSnapshotRequest

from conftest import CREDENTIALS
from emulator import tea_client

KEY, SECRET = CREDENTIALS["AccessKeys"][0]["AccessKeyId"], CREDENTIALS["AccessKeys"][0]["AccessKeySecret"]

SIGNATURE_DOES_NOT_MATCH = (
    "SignatureDoesNotMatch",
    "The signature we calculated does not match the one you provided. "
    "Please refer to the API reference about authentication for details.",
)
UNKNOWN_KEY = ("InvalidAccessKeyId.NotFound", "The specified Access Key ID does not exist.")
NONCE_USED = ("SignatureNonceUsed", "The request signature nonce has been used.")
ILLEGAL_TIMESTAMP = (
    "IllegalTimestamp",
    'The input parameter "Timestamp" that is mandatory for processing this request is not supplied.',
)
STALE = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - 3600))


def tea(server, key=KEY, secret=SECRET):
    return tea_client(server.endpoint, key, secret)


def tea_create(server, disk_id="d-system01", **kwargs):
    return tea(server, **kwargs).create_snapshot(ecs.CreateSnapshotRequest(disk_id=disk_id))


def tea_refusal(call):
    with pytest.raises(ClientException) as raised:
        call()
    return raised.value.code, raised.value.data["Message"]


def core_create(server, key=KEY, secret=SECRET, disk_id="d-system01"):
    request = CreateSnapshotRequest()
    request.set_DiskId(disk_id)
    request.set_endpoint(server.endpoint)
    request.set_protocol_type("http")
    return json.loads(AcsClient(key, secret, "cn-hangzhou", auto_retry=False).do_action_with_exception(request))


def core_refusal(call):
    with pytest.raises(ServerException) as raised:
        call()
    return raised.value.get_error_code(), raised.value.get_error_msg()


# ----- the current SDK (ACS3-HMAC-SHA256) -----


def test_tea_the_right_secret_is_accepted(signed_server):
    assert tea_create(signed_server).body.snapshot_id.startswith("s-")


def test_tea_a_wrong_secret_is_signature_does_not_match(signed_server):
    assert tea_refusal(lambda: tea_create(signed_server, secret="wrong")) == SIGNATURE_DOES_NOT_MATCH
    assert signed_server.created() == []


def test_tea_an_unknown_key_is_refused(signed_server):
    assert tea_refusal(lambda: tea_create(signed_server, key="nobody")) == UNKNOWN_KEY


def test_tea_a_reused_nonce_is_refused(signed_server, monkeypatch):
    monkeypatch.setattr(Utils, "get_nonce", staticmethod(lambda: "tea-fixed-nonce"))
    tea_create(signed_server)
    assert tea_refusal(lambda: tea_create(signed_server, disk_id="d-shared01")) == NONCE_USED
    assert len(signed_server.created()) == 1


def test_tea_a_stale_timestamp_is_refused(signed_server, monkeypatch):
    monkeypatch.setattr(Utils, "get_timestamp", staticmethod(lambda: STALE))
    assert tea_refusal(lambda: tea_create(signed_server)) == ILLEGAL_TIMESTAMP


# ----- the older SDK (RPC, HMAC-SHA1) -----


def test_core_the_right_secret_is_accepted(signed_server):
    assert core_create(signed_server)["SnapshotId"].startswith("s-")


def test_core_a_wrong_secret_is_signature_does_not_match(signed_server):
    assert core_refusal(lambda: core_create(signed_server, secret="wrong")) == SIGNATURE_DOES_NOT_MATCH
    assert signed_server.created() == []


def test_core_an_unknown_key_is_refused(signed_server):
    assert core_refusal(lambda: core_create(signed_server, key="nobody")) == UNKNOWN_KEY


def test_core_a_reused_nonce_is_refused(signed_server, monkeypatch):
    monkeypatch.setattr(parameter_helper, "get_uuid", lambda: "core-fixed-nonce")
    core_create(signed_server)
    assert core_refusal(lambda: core_create(signed_server, disk_id="d-shared01")) == NONCE_USED


def test_core_a_stale_timestamp_is_refused(signed_server, monkeypatch):
    monkeypatch.setattr(parameter_helper, "get_iso_8061_date", lambda: STALE)
    assert core_refusal(lambda: core_create(signed_server)) == ILLEGAL_TIMESTAMP
