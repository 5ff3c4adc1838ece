"""``guard(client)``: an official SDK client that refuses what the API would refuse, before
the network, with the exception the SDK raises for the API's answer.

The current SDK (``alibabacloud_ecs20140526`` on ``alibabacloud-tea-openapi``): for an
error answer (status 400 to 599) its ``call_api`` raises ``ClientException`` (4xx) or
``ServerException`` (5xx) from ``alibabacloud_tea_openapi.exceptions``, filled from the JSON
body: ``code`` is the body's Code, ``message`` is ``"code: <status>, <Message> request id:
<RequestId>"``, ``status_code`` the status, ``data`` the body (with ``statusCode`` added),
``request_id``, and ``detail``/``description`` the text of the body's fields (``"None"``
when absent). The guard builds the body the API sends (``ecs-snapshot-rules serve`` sends
the same) and fills the same exception the same way.

The older SDK (``aliyun-python-sdk-core``): ``AcsClient.do_action_with_exception`` raises
``aliyunsdkcore.acs_exception.exceptions.ServerException(code, message, http_status=...,
request_id=...)`` from the body's Code and Message.

The RequestId of a refusal made here is a fresh random UUID in the API's format: no server
saw the request. See docs/DECISIONS.md (D203, D204).
"""

from __future__ import annotations

import functools
import json
import uuid
from typing import Any, TypeVar

from . import _native
from ._shape import core_wire, is_ecs_create_snapshot, sdk_wire

_GUARDED = "_ecs_snapshot_rules_guarded"

Client = TypeVar("Client")


def _request_id() -> str:
    return str(uuid.uuid4()).upper()


def _tea_exception(client: Any, refusal: _native.Violation) -> Exception:
    from alibabacloud_tea_openapi import exceptions  # type: ignore[import]

    request_id = _request_id()
    body = json.loads(refusal.json_body(request_id))
    status = refusal.status
    fields = {
        "status_code": status,
        "code": f"{body.get('Code') or body.get('code')}",
        "message": f"code: {status}, {body.get('Message') or body.get('message')} request id: {request_id}",
        "detail": f"{body.get('Detail') or body.get('detail')}",
        "description": f"{body.get('Description') or body.get('description')}",
        "data": body,
        "request_id": request_id,
    }
    if status < 500:
        denied = getattr(client, "get_access_denied_detail", None)
        return exceptions.ClientException(access_denied_detail=denied(body) if callable(denied) else None, **fields)
    return exceptions.ServerException(**fields)


def _judge_tea(client: Any, request: Any) -> None:
    if not callable(getattr(request, "to_map", None)):
        return  # not a model: the SDK's own call fails as it would have
    refusal = _native.first_violation(list(sdk_wire(request).items()))
    if refusal is not None:
        raise _tea_exception(client, refusal)


def _guard_tea(client: Any) -> None:
    try:
        from alibabacloud_tea_openapi.exceptions import ClientException  # type: ignore[import]  # noqa: F401
    except ImportError as error:
        raise ImportError(
            "guard() raises the exceptions of alibabacloud-tea-openapi 0.4 or later "
            "(alibabacloud_tea_openapi.exceptions), which this environment does not have"
        ) from error
    sync = client.create_snapshot_with_options

    @functools.wraps(sync)
    def create_snapshot_with_options(request: Any, runtime: Any) -> Any:
        _judge_tea(client, request)
        return sync(request, runtime)

    client.create_snapshot_with_options = create_snapshot_with_options

    asynchronous = getattr(client, "create_snapshot_with_options_async", None)
    if callable(asynchronous):

        @functools.wraps(asynchronous)
        async def create_snapshot_with_options_async(request: Any, runtime: Any) -> Any:
            _judge_tea(client, request)
            return await asynchronous(request, runtime)

        client.create_snapshot_with_options_async = create_snapshot_with_options_async


def _guard_core(client: Any) -> None:
    original = client.do_action_with_exception

    @functools.wraps(original)
    def do_action_with_exception(acs_request: Any) -> Any:
        if is_ecs_create_snapshot(acs_request):
            refusal = _native.first_violation(core_wire(acs_request))
            if refusal is not None:
                from aliyunsdkcore.acs_exception.exceptions import ServerException  # type: ignore[import]

                raise ServerException(
                    refusal.code, refusal.message, http_status=refusal.status, request_id=_request_id()
                )
        return original(acs_request)

    client.do_action_with_exception = do_action_with_exception


# The clients guard() takes: a class of this module and name in the client's type's MRO (a
# subclass of the SDK's client is one too).
_TEA_CLIENT = ("alibabacloud_ecs20140526.client", "Client")
_CORE_CLIENT = ("aliyunsdkcore.client", "AcsClient")


def _is_instance_of(client: Any, kind: "tuple[str, str]") -> bool:
    module, name = kind
    return any(
        vars(cls).get("__module__") == module and cls.__name__ == name for cls in type(client).__mro__
    )


def _no_client(client: Any) -> TypeError:
    kind = type(client)
    where = "" if kind.__module__ == "builtins" else f" of {kind.__module__}"
    return TypeError(
        "guard() takes an alibabacloud_ecs20140526 Client or an aliyunsdkcore AcsClient; "
        f"got a {kind.__name__}{where}"
    )


def guard(client: Client) -> Client:
    """Makes an official SDK client judge CreateSnapshot requests before sending them, and
    returns it (the same object; guarding twice changes nothing more).

    - ``alibabacloud_ecs20140526.client.Client``: ``create_snapshot``,
      ``create_snapshot_with_options`` and their ``_async`` forms raise, for a request the
      API would refuse, the ``ClientException`` (or ``ServerException``) the SDK raises for
      the API's answer, with the API's ``code``, ``status_code``, ``message`` and ``data``;
      nothing is sent.
    - ``aliyunsdkcore.client.AcsClient``: ``do_action_with_exception`` raises the SDK's
      ``ServerException`` for a refused CreateSnapshot request; other requests pass.

    Valid requests go through unchanged. Only the rules a request alone can break are
    judged here; the state (the disk, the instance, the account) is still the server's.

    Raises TypeError for anything else: a client of another product (whose CreateSnapshot
    is not ECS's), or a client class rather than a client.
    """
    if isinstance(client, type):
        raise TypeError(
            f"guard() takes a client, not the class {client.__name__}: guard an instance "
            "(guard(Client(config)) or guard(AcsClient(...)))"
        )
    if _is_instance_of(client, _TEA_CLIENT):
        guard_client = _guard_tea
    elif _is_instance_of(client, _CORE_CLIENT):
        guard_client = _guard_core
    else:
        raise _no_client(client)
    if getattr(client, _GUARDED, False):
        return client
    guard_client(client)
    setattr(client, _GUARDED, True)
    return client
