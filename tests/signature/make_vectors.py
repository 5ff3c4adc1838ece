"""Known-answer vectors for request signatures, made by the official Python SDKs' own code.

Requires: pip install aliyun-python-sdk-core alibabacloud-tea-openapi alibabacloud-ecs20140526
Run from this directory: python3 make_vectors.py  (writes vectors.json next to it)

Each vector is one HTTP request exactly as the SDK would send it (method, path, raw query
string, headers, body), captured where the SDK hands it to its HTTP layer. The clock, the
nonce and the user agent are fixed so that the output is the same on every run.
"""

import json
import os
from urllib.parse import urlencode, urlsplit

from alibabacloud_ecs20140526 import models as ecs_models
from alibabacloud_ecs20140526.client import Client as EcsClient
from alibabacloud_tea_openapi import utils_models as open_api_models
from alibabacloud_tea_openapi.utils import Utils
from darabonba.core import DaraCore
from darabonba.runtime import RuntimeOptions

from aliyunsdkcore.auth.composer import rpc_signature_composer
from aliyunsdkcore.utils import parameter_helper

ACCESS_KEY_ID = "LTAI5tVectorKey0001"
# A secret with characters that matter if anything encodes it by mistake.
ACCESS_KEY_SECRET = "Vector+Secret/=~*Key"
TIMESTAMP = "2026-11-27T12:00:00Z"
ENDPOINT = "ecs.cn-hangzhou.aliyuncs.com"

# Values with every character class that the encodings treat differently.
NAME = "nightly *~ +/ snap 😀"
DESCRIPTION = "Ünïcödé 描述 a+b=c&d=e %20 ~*'()!"

state = {"nonce": None}
Utils.get_timestamp = staticmethod(lambda: TIMESTAMP)
Utils.get_nonce = staticmethod(lambda: state["nonce"])
Utils.get_user_agent = staticmethod(lambda user_agent=None: "AlibabaCloud (vectors) TeaDSL/2")
parameter_helper.get_iso_8061_date = lambda: TIMESTAMP
parameter_helper.get_uuid = lambda: state["nonce"]


class Captured(BaseException):
    """Stops the SDK where it would send the request."""

    def __init__(self, request):
        super().__init__()
        self.request = request


def capture(request, runtime_option=None):
    raise Captured(request)


DaraCore.do_action = staticmethod(capture)


def as_vector(name, sdk, scheme, request):
    url = DaraCore.compose_url(request)
    body = request.body if request.body is not None else b""
    if isinstance(body, str):
        body = body.encode("utf-8")
    return {
        "name": name,
        "sdk": sdk,
        "scheme": scheme,
        "method": request.method,
        "path": request.pathname,
        "query": urlsplit(url).query,
        "headers": [[k, str(v)] for k, v in request.headers.items()],
        "body": body.decode("utf-8"),
        "nonce": state["nonce"],
    }


def tea_client(algorithm=None):
    config = open_api_models.Config(
        access_key_id=ACCESS_KEY_ID,
        access_key_secret=ACCESS_KEY_SECRET,
        endpoint=ENDPOINT,
        signature_algorithm=algorithm,
    )
    return EcsClient(config)


def create_snapshot(client):
    request = ecs_models.CreateSnapshotRequest(
        disk_id="d-bp1s5fnvk4gn2tws0",
        snapshot_name=NAME,
        description=DESCRIPTION,
        retention_days=30,
        instant_access=True,
        tag=[
            ecs_models.CreateSnapshotRequestTag(key="env", value="prod test"),
            ecs_models.CreateSnapshotRequestTag(key="owner/team", value="a*b~c+d"),
        ],
    )
    client.create_snapshot_with_options(request, RuntimeOptions())


def call(client, method, query, body):
    params = open_api_models.Params(
        action="CreateSnapshot",
        version="2014-05-26",
        protocol="HTTPS",
        pathname="/",
        method=method,
        auth_type="AK",
        style="RPC",
        req_body_type="formData",
        body_type="json",
    )
    request = open_api_models.OpenApiRequest(query=query, body=body)
    client.call_api(params, request, RuntimeOptions())


def run(name, sdk, scheme, action):
    state["nonce"] = "nonce-" + name
    try:
        action()
    except Captured as captured:
        return as_vector(name, sdk, scheme, captured.request)
    raise RuntimeError(name + ": the SDK sent nothing")


def core_rpc(name, method, params, body_params):
    """aliyun-python-sdk-core: the URL and body its AcsClient sends."""
    state["nonce"] = "nonce-" + name
    url, _ = rpc_signature_composer.get_signed_url(
        dict(params), ACCESS_KEY_ID, ACCESS_KEY_SECRET, "JSON", method, dict(body_params)
    )
    headers = [["host", ENDPOINT], ["x-sdk-client", "python/2.0.0"]]
    body = ""
    if body_params:
        body = urlencode(body_params)
        headers.append(["Content-Type", "application/x-www-form-urlencoded"])
    return {
        "name": name,
        "sdk": "aliyun-python-sdk-core",
        "scheme": "RpcHmacSha1",
        "method": method,
        "path": "/",
        "query": urlsplit(url).query,
        "headers": headers,
        "body": body,
        "nonce": state["nonce"],
    }


COMMON = {"Action": "CreateSnapshot", "Version": "2014-05-26", "RegionId": "cn-hangzhou"}
QUERY = {"DiskId": "d-bp1s5fnvk4gn2tws0", "SnapshotName": NAME}
BODY = {"Description": DESCRIPTION, "Tag.1.Key": "env", "Tag.1.Value": "prod test"}

vectors = [
    run("acs3_create_snapshot_post", "alibabacloud-ecs20140526", "Acs3HmacSha256",
        lambda: create_snapshot(tea_client())),
    run("acs3_post_form_body", "alibabacloud-tea-openapi", "Acs3HmacSha256",
        lambda: call(tea_client(), "POST", dict(QUERY), dict(BODY))),
    run("acs3_get", "alibabacloud-tea-openapi", "Acs3HmacSha256",
        lambda: call(tea_client(), "GET", dict(QUERY, **BODY), None)),
    run("rpc_tea_create_snapshot_post", "alibabacloud-ecs20140526", "RpcHmacSha1",
        lambda: create_snapshot(tea_client("v2"))),
    run("rpc_tea_post_form_body", "alibabacloud-tea-openapi", "RpcHmacSha1",
        lambda: call(tea_client("v2"), "POST", dict(QUERY), dict(BODY))),
    run("rpc_tea_get", "alibabacloud-tea-openapi", "RpcHmacSha1",
        lambda: call(tea_client("v2"), "GET", dict(QUERY, **BODY), None)),
    core_rpc("rpc_core_get", "GET", dict(COMMON, **QUERY, **BODY), {}),
    core_rpc("rpc_core_post_form_body", "POST", dict(COMMON, **QUERY), BODY),
]

out = {
    "comment": "Made by make_vectors.py with the official Python SDKs; do not edit by hand.",
    "access_key_id": ACCESS_KEY_ID,
    "access_key_secret": ACCESS_KEY_SECRET,
    "now": TIMESTAMP,
    "vectors": vectors,
}
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "vectors.json")
with open(path, "w", encoding="utf-8") as f:
    json.dump(out, f, ensure_ascii=False, indent=2)
    f.write("\n")
print(f"{len(vectors)} vectors written to vectors.json")
