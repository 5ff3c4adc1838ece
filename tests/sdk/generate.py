#!/usr/bin/env python3
"""Generate tests/sdk/cases.json: real ECS CreateSnapshot requests as built by
Alibaba Cloud's official Python SDKs, captured just before they would be sent.

Needs (no network access is used: the send step is intercepted):
    pip install alibabacloud-ecs20140526 aliyun-python-sdk-ecs aliyun-python-sdk-core

Usage:
    python3 tests/sdk/generate.py > tests/sdk/cases.json

Deterministic: timestamps, nonces and the new SDK's User-Agent are
pinned by monkeypatching, so reruns with the same SDK versions give the same file.
Credentials are fake.
"""

import hashlib
import importlib.metadata
import io
import json
import socket
import sys


def _no_network(*_args, **_kwargs):
    raise RuntimeError("generate.py must not touch the network")


socket.socket.connect = _no_network
socket.create_connection = _no_network

# --------------------------------------------------------------------------
# Fixed inputs
# --------------------------------------------------------------------------
FAKE_AK_ID = "testAccessKeyId"
FAKE_AK_SECRET = "testAccessKeySecret"
REGION = "cn-hangzhou"
FIXED_TIMESTAMP = "2024-01-01T00:00:00Z"
FIXED_USER_AGENT = "AlibabaCloud (fixture; fixture) Python/fixture Core/fixture TeaDSL/2"

_nonce_state = {"case": "", "n": 0}


def _fixed_nonce():
    """Deterministic 32-hex nonce, derived from the current case name."""
    _nonce_state["n"] += 1
    msg = "%s#%d" % (_nonce_state["case"], _nonce_state["n"])
    return hashlib.md5(msg.encode("utf-8")).hexdigest()


def _start_case(name):
    _nonce_state["case"] = name
    _nonce_state["n"] = 0


def _version(dist):
    return importlib.metadata.version(dist)


OLD_SDK = "aliyun-python-sdk-ecs %s (aliyun-python-sdk-core %s)" % (
    _version("aliyun-python-sdk-ecs"), _version("aliyun-python-sdk-core"))
NEW_SDK = "alibabacloud-ecs20140526 %s (alibabacloud-tea-openapi %s, darabonba-core %s)" % (
    _version("alibabacloud-ecs20140526"), _version("alibabacloud-tea-openapi"),
    _version("darabonba-core"))

FAKE_RESPONSE = b'{"RequestId":"C8B26B44-0189-443E-9816-D951F59623A9","SnapshotId":"s-bp17441ohwka0yuh****"}'

# --------------------------------------------------------------------------
# Old SDK (aliyunsdkcore + aliyunsdkecs): RPC, signature 1.0 HMAC-SHA1
# --------------------------------------------------------------------------
import aliyunsdkcore.utils.parameter_helper as _old_helper  # noqa: E402
import aliyunsdkcore.http.http_response as _old_http  # noqa: E402
from aliyunsdkcore.client import AcsClient  # noqa: E402
from aliyunsdkecs.request.v20140526.CreateSnapshotRequest import CreateSnapshotRequest as OldCreateSnapshot  # noqa: E402
from aliyunsdkecs.request.v20140526.DescribeSnapshotsRequest import DescribeSnapshotsRequest as OldDescribeSnapshots  # noqa: E402

_old_helper.get_uuid = _fixed_nonce
_old_helper.get_iso_8061_date = lambda: FIXED_TIMESTAMP

_old_captured = []


def _old_fake_send(self):
    # Called by AcsClient right where it would open the connection.
    _old_captured.append({"method": self.get_method(), "url": self.get_url(),
                          "body": self.get_body()})
    return 200, {}, FAKE_RESPONSE


_old_http.HttpResponse.get_response_object = _old_fake_send


def old_sdk_wire(params, request_cls=OldCreateSnapshot):
    req = request_cls()
    setters = {
        "DiskId": "set_DiskId", "SnapshotName": "set_SnapshotName",
        "Description": "set_Description", "RetentionDays": "set_RetentionDays",
        "Category": "set_Category", "ClientToken": "set_ClientToken",
        "ResourceGroupId": "set_ResourceGroupId", "InstantAccess": "set_InstantAccess",
        "InstantAccessRetentionDays": "set_InstantAccessRetentionDays",
        "OwnerId": "set_OwnerId", "OwnerAccount": "set_OwnerAccount",
        "ResourceOwnerId": "set_ResourceOwnerId",
        "ResourceOwnerAccount": "set_ResourceOwnerAccount", "Tag": "set_Tags",
    }
    for k, v in params.items():
        getattr(req, setters[k])(v)
    client = AcsClient(FAKE_AK_ID, FAKE_AK_SECRET, REGION)
    del _old_captured[:]
    client.do_action_with_exception(req)
    assert len(_old_captured) == 1, _old_captured
    cap = _old_captured[0]
    assert cap["url"].startswith("/?"), cap["url"]
    assert cap["body"] is None, cap["body"]
    return {"method": cap["method"], "query": cap["url"][2:]}


# --------------------------------------------------------------------------
# New SDK (alibabacloud_ecs20140526 on alibabacloud_tea_openapi / darabonba)
# --------------------------------------------------------------------------
from alibabacloud_ecs20140526 import models as new_models  # noqa: E402
from alibabacloud_ecs20140526.client import Client as NewClient  # noqa: E402
from alibabacloud_tea_openapi import utils_models as openapi_models  # noqa: E402
from alibabacloud_tea_openapi.utils import Utils as _OpenApiUtils  # noqa: E402
from darabonba.core import DaraCore  # noqa: E402
from darabonba.response import DaraResponse  # noqa: E402
from darabonba.runtime import RuntimeOptions  # noqa: E402

_OpenApiUtils.get_timestamp = staticmethod(lambda: FIXED_TIMESTAMP)
_OpenApiUtils.get_nonce = staticmethod(_fixed_nonce)
_OpenApiUtils.get_user_agent = staticmethod(lambda user_agent=None: FIXED_USER_AGENT)

_new_captured = []


def _new_fake_do_action(request, runtime_option=None):
    # Same URL the real DaraCore.do_action would send to.
    url = DaraCore.compose_url(request)
    _new_captured.append({"method": request.method, "url": url,
                          "headers": dict(request.headers), "body": request.body})
    resp = DaraResponse()
    resp.status_code = 200
    resp.status_message = "OK"
    resp.headers = {"content-type": "application/json;charset=utf-8"}
    resp.body = io.BytesIO(FAKE_RESPONSE)
    return resp


DaraCore.do_action = staticmethod(_new_fake_do_action)


def new_request(params):
    kw = {
        "DiskId": "disk_id", "SnapshotName": "snapshot_name",
        "Description": "description", "RetentionDays": "retention_days",
        "Category": "category", "ClientToken": "client_token",
        "ResourceGroupId": "resource_group_id", "InstantAccess": "instant_access",
        "InstantAccessRetentionDays": "instant_access_retention_days",
        "OwnerId": "owner_id", "OwnerAccount": "owner_account",
        "ResourceOwnerId": "resource_owner_id",
        "ResourceOwnerAccount": "resource_owner_account",
    }
    args = {}
    for k, v in params.items():
        if k == "Tag":
            args["tag"] = [new_models.CreateSnapshotRequestTag(key=t.get("Key"), value=t.get("Value"))
                           for t in v]
        else:
            args[kw[k]] = v
    return new_models.CreateSnapshotRequest(**args)


def new_sdk_to_map(params):
    return new_request(params).to_map()


def new_sdk_wire(params, signature_algorithm=None):
    cfg = openapi_models.Config(access_key_id=FAKE_AK_ID, access_key_secret=FAKE_AK_SECRET,
                                region_id=REGION)
    if signature_algorithm:
        cfg.signature_algorithm = signature_algorithm
    client = NewClient(cfg)
    del _new_captured[:]
    client.create_snapshot_with_options(new_request(params), RuntimeOptions())
    assert len(_new_captured) == 1, _new_captured
    cap = _new_captured[0]
    _, _, query = cap["url"].partition("?")
    assert cap["body"] is None, cap["body"]
    out = {"method": cap["method"], "query": query}
    if signature_algorithm is None:
        # ACS3-HMAC-SHA256: Action/Version travel as x-acs-* headers, not in the query.
        out["headers"] = {k: v for k, v in sorted(cap["headers"].items())}
    return out


# --------------------------------------------------------------------------
# Cases
# --------------------------------------------------------------------------
SAMPLE_DISK = "d-bp1s5fnvk4gn2tws0****"
DISK = "d-bp67acfmxazb4ph****"


def err(status, code, message, parameter):
    return {"status": status, "code": code, "message": message, "parameter": parameter}


E_NAME = err(400, "InvalidSnapshotName.Malformed", "The specified SnapshotName is wrongly formed.", "SnapshotName")
E_DESC = err(404, "InvalidDescription.Malformed", "The specified description is wrongly formed.", "Description")
E_TAGKEY1 = err(400, "InvalidTagKey.Malformed", "The specified Tag.n.Key is not valid.", "Tag.1.Key")
E_TAGVAL1 = err(400, "InvalidTagValue.Malformed", "The specified Tag.n.Value is not valid.", "Tag.1.Value")
E_TAGS21 = err(403, "QuotaExceed.Tags", "The number of tags (21) exceeds the quota of 20.", "Tag")
E_RET = err(400, "InvalidRetentionDays.Malformed", "The specified RetentionDays is not valid.", "RetentionDays")
E_IARET = err(403, "InvalidInstantAccessRetentionDays.Malformed",
              "The specified InstantAccessRetentionDays is not valid.", "InstantAccessRetentionDays")
E_CAT = err(403, "InvalidSnapshotCategory.Malformed", "The specified Category is not valid.", "Category")
E_CAT_IA = err(403, "InvalidCategoryAndInstantAccess.Malformed",
               "The snapshot Category and InstantAccess can't be used together.", "Category")
E_TOKEN = err(403, "InvalidClientToken.Malformed",
              "The specified clientToken is improperly formatted. It must contain only ASCII characters "
              "and must not exceed 64 characters in length.", "ClientToken")
E_IA_PARAM = err(400, "InvalidParameter", 'The specified parameter "InstantAccess" is not valid.', "InstantAccess")
E_MISSING_DISK = err(400, "MissingParameter",
                     'The input parameter "DiskId" that is mandatory for processing this request is not supplied.',
                     "DiskId")
E_ACTION = err(404, "InvalidAction.NotFound", "Specified api is not found, please check your url and method.",
               "Action")
VALID = {"valid": True}

TAGS_20 = [{"Key": "key%02d" % i, "Value": "value %02d" % i} for i in range(1, 21)]
TAGS_21 = [{"Key": "key%02d" % i, "Value": "value %02d" % i} for i in range(1, 22)]

# (name, params, renderings, expect)
# renderings: "old" = old SDK wire query, "map" = new SDK to_map(),
#             "acs3" = new SDK wire (default ACS3-HMAC-SHA256), "rpc" = new SDK wire with signature_algorithm v2
SPECS = [
    ("spec_sample", {"DiskId": SAMPLE_DISK, "SnapshotName": "testSnapshotName", "Description": "testDescription",
                     "ClientToken": "123e4567-e89b-12d3-a456-426655440000",
                     "Tag": [{"Key": "TestKey", "Value": "TestValue"}]},
     ["old", "map", "acs3", "rpc"], VALID),
    ("minimal", {"DiskId": DISK}, ["old", "map"], VALID),
    ("all_params", {"DiskId": DISK, "SnapshotName": "prod-db:snap_01",
                    "Description": "每日 备份 * ~ + & = / (daily) test",
                    "RetentionDays": 30, "ClientToken": "123e4567-e89b-12d3-a456-426655440001",
                    "Tag": [{"Key": "env", "Value": "生产 环境"}],
                    "ResourceGroupId": "rg-bp67acfmxazb4p****", "InstantAccess": True,
                    "InstantAccessRetentionDays": 1},
     ["old", "map", "acs3", "rpc"], VALID),
    ("category_standard", {"DiskId": DISK, "Category": "Standard", "RetentionDays": 1}, ["old"], VALID),
    # Any letter case, and beside InstantAccess=false (the current reference, D221, D222).
    ("category_lower_case", {"DiskId": DISK, "Category": "standard"}, ["old", "acs3"], VALID),
    ("category_and_instant_access_false", {"DiskId": DISK, "Category": "Standard", "InstantAccess": False},
     ["old", "map"], VALID),
    # Not judged without InstantAccess=true (D223).
    ("instant_access_retention_days_0_without_instant_access",
     {"DiskId": DISK, "InstantAccess": False, "InstantAccessRetentionDays": 0}, ["old", "acs3"], VALID),
    ("category_flash", {"DiskId": DISK, "Category": "Flash", "RetentionDays": 65536}, ["map"], VALID),
    ("instant_access_false", {"DiskId": DISK, "InstantAccess": False}, ["old", "acs3"], VALID),
    ("instant_access_retention_65535", {"DiskId": DISK, "InstantAccess": True,
                                        "InstantAccessRetentionDays": 65535}, ["old"], VALID),
    ("tags_20", {"DiskId": DISK, "Tag": TAGS_20}, ["old", "map"], VALID),
    ("tag_empty_value", {"DiskId": DISK, "Tag": [{"Key": "k1", "Value": ""}]}, ["old"], VALID),
    ("common_owner_params", {"DiskId": DISK, "OwnerId": 1234567890123456, "OwnerAccount": "owner@example.com",
                             "ResourceOwnerId": 1234567890123456, "ResourceOwnerAccount": "ram-user"},
     ["old"], VALID),
    ("name_128_chars", {"DiskId": DISK, "SnapshotName": "s" + "x" * 127}, ["old"], VALID),
    ("client_token_64", {"DiskId": DISK, "ClientToken": "t" * 64}, ["old"], VALID),
    ("description_unicode_256", {"DiskId": DISK, "Description": "说明 " * 85 + "末"}, ["acs3"], VALID),

    ("tags_21", {"DiskId": DISK, "Tag": TAGS_21}, ["old", "map"], E_TAGS21),
    ("name_auto1", {"DiskId": DISK, "SnapshotName": "auto1"}, ["old"], E_NAME),
    # Letters of every script, periods (the current reference, D224).
    ("name_unicode", {"DiskId": DISK, "SnapshotName": "快照名"}, ["old", "acs3"], VALID),
    ("name_periods", {"DiskId": DISK, "SnapshotName": "backup.2026-12-01"}, ["old", "acs3"], VALID),
    ("name_unicode_symbol", {"DiskId": DISK, "SnapshotName": "快照→名"}, ["acs3"], E_NAME),
    ("name_starts_with_digit", {"DiskId": DISK, "SnapshotName": "1snapshot"}, ["old"], E_NAME),
    ("name_one_char", {"DiskId": DISK, "SnapshotName": "a"}, ["map"], E_NAME),
    ("description_http", {"DiskId": DISK, "Description": "http://example.com 备份"}, ["old", "rpc"], E_DESC),
    ("description_257_chars", {"DiskId": DISK, "Description": "d" * 257}, ["map"], E_DESC),
    ("tag_key_acs", {"DiskId": DISK, "Tag": [{"Key": "acs:x", "Value": "v"}]}, ["old", "acs3"], E_TAGKEY1),
    # The current reference no longer forbids acs: at the start of a value (D225).
    ("tag_value_acs", {"DiskId": DISK, "Tag": [{"Key": "k", "Value": "acs:v"}]}, ["old"], VALID),
    ("tag_value_http", {"DiskId": DISK, "Tag": [{"Key": "k", "Value": "see http://x"}]}, ["old"], E_TAGVAL1),
    ("retention_days_0", {"DiskId": DISK, "RetentionDays": 0}, ["old"], E_RET),
    ("retention_days_65537", {"DiskId": DISK, "RetentionDays": 65537}, ["map"], E_RET),
    ("instant_access_retention_days_0", {"DiskId": DISK, "InstantAccess": True,
                                         "InstantAccessRetentionDays": 0}, ["old"], E_IARET),
    ("category_invalid", {"DiskId": DISK, "Category": "Premium"}, ["old"], E_CAT),
    ("category_and_instant_access", {"DiskId": DISK, "Category": "Standard", "InstantAccess": True},
     ["old", "map"], E_CAT_IA),
    ("instant_access_not_boolean", {"DiskId": DISK, "InstantAccess": "yes"}, ["old"], E_IA_PARAM),
    ("client_token_65", {"DiskId": DISK, "ClientToken": "t" * 65}, ["old"], E_TOKEN),
    ("client_token_non_ascii", {"DiskId": DISK, "ClientToken": "令牌-123"}, ["acs3"], E_TOKEN),
    ("missing_disk_id", {"SnapshotName": "testSnapshotName"}, ["old"], E_MISSING_DISK),
]


def main():
    cases = []
    for name, params, renderings, expect in SPECS:
        for r in renderings:
            if r == "old":
                cname = "old_sdk/" + name
                _start_case(cname)
                case = {"name": cname, "sdk": OLD_SDK}
                case.update(old_sdk_wire(params))
            elif r == "map":
                cname = "new_sdk/to_map/" + name
                _start_case(cname)
                case = {"name": cname, "sdk": NEW_SDK, "json": new_sdk_to_map(params)}
            elif r == "acs3":
                cname = "new_sdk/wire_acs3/" + name
                _start_case(cname)
                case = {"name": cname, "sdk": NEW_SDK}
                case.update(new_sdk_wire(params))
            elif r == "rpc":
                cname = "new_sdk/wire_rpc/" + name
                _start_case(cname)
                case = {"name": cname, "sdk": NEW_SDK}
                case.update(new_sdk_wire(params, signature_algorithm="v2"))
            else:
                raise ValueError(r)
            case["expect"] = expect
            cases.append(case)

    # A real SDK request for another action (DescribeSnapshots) sent to the same endpoint.
    cname = "old_sdk/other_action_describe_snapshots"
    _start_case(cname)
    case = {"name": cname, "sdk": OLD_SDK}
    case.update(old_sdk_wire({"DiskId": DISK}, request_cls=OldDescribeSnapshots))
    case["expect"] = E_ACTION
    cases.append(case)

    doc = {
        "description": (
            "Real ECS CreateSnapshot requests built by Alibaba Cloud's official Python SDKs and captured "
            "just before sending (the transport is monkeypatched; nothing is sent), with fake credentials "
            "(AccessKeyId testAccessKeyId, secret testAccessKeySecret), region cn-hangzhou, and a fixed "
            "Timestamp/nonce. Old SDK: " + OLD_SDK + ", AcsClient.do_action_with_exception; 'query' is the "
            "exact query string of its signed POST / URL (RPC, HMAC-SHA1 1.0, spaces as %20, all "
            "parameters in the query, no body). New SDK: " + NEW_SDK + "; 'json' is CreateSnapshotRequest.to_map(); "
            "'new_sdk/wire_acs3' is the query string of the default ACS3-HMAC-SHA256 request (no Action/Version "
            "in the query: they travel in the x-acs-action/x-acs-version headers, given in 'headers'; "
            "User-Agent is pinned to a fixed string); 'new_sdk/wire_rpc' is the same client with "
            "signature_algorithm='v2' (RPC style, Action in the query). New SDK wire queries use "
            "application/x-www-form-urlencoded style (space as '+'). Booleans are sent as True/False. "
            "'expect' is the first error the API returns per the current reference (CURRENT.md), then "
            "CreateSnapshot.md / SUPPLEMENT.md where it is silent, or valid. "
            "Generated by tests/sdk/generate.py."
        ),
        "cases": cases,
    }
    json.dump(doc, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
