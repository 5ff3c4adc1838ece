"""Every documented rule of Alibaba Cloud ECS's ``CreateSnapshot`` API, answering a request as
the API would: accepted, or refused with the exact HTTP status, error code and message.

>>> import ecs_snapshot_rules as rules
>>> result = rules.check("DiskId=d-bp1s5fnvk4gn2tws0&SnapshotName=auto-nightly")
>>> (result.valid, result.status, result.code, result.parameter)
(False, 400, 'InvalidSnapshotName.Malformed', 'SnapshotName')
>>> result.message
'The specified SnapshotName is wrongly formed.'

A request is a query string or URL (``str`` or bytes), a ``dict`` (the official SDK's
``to_map()`` shape, or flat ``Tag.N.Key`` names), a list of decoded ``(name, value)``
pairs, or an official SDK request object: a model of ``alibabacloud_ecs20140526`` (anything
with ``to_map()``) or an ``aliyun-python-sdk-ecs`` ``CreateSnapshotRequest``.

- ``check(request)``: the verdict, every violation and the warnings.
- ``validate(request)``: raises ``ApiError`` with the API's first refusal.
- ``check_preconditions(request, facts, now)``: the stateful rules too.
- ``catalog()`` and ``explain(code)``: every error the API answers with, and how to fix it.
- ``guard(client)``: an official SDK client that refuses, without a network call and with
  the SDK's own exception, what the API would refuse.

The full reference is python/README.md.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, List, Optional, Union

from . import _native
from ._errors import ApiError
from ._guard import guard
from ._native import (
    CatalogEntry,
    CheckResult,
    Facts,
    PreconditionResult,
    RequestWarning,
    Violation,
)
from ._shape import native_form

__version__: str = _native.__version__

__all__ = [
    "ApiError",
    "CatalogEntry",
    "CheckResult",
    "Facts",
    "PreconditionResult",
    "RequestWarning",
    "Violation",
    "catalog",
    "check",
    "check_preconditions",
    "explain",
    "guard",
    "validate",
]

_FAST = (str, dict, bytes)


def check(request: Any) -> CheckResult:
    """Judges a request by every rule that needs nothing but the request.

    Returns a ``CheckResult``: ``valid``; the API's answer to it (``status``, ``code``,
    ``message``, ``parameter`` of the first refusal, or None); ``violations``, every one in
    the order the API checks them; ``warnings``, for what the API accepts but the caller
    most likely did not mean (an unknown parameter, with a "did you mean").

    Raises TypeError for an object that is no request, and ValueError for text that is not
    a request at all (malformed JSON, text that is not valid Unicode).
    """
    if type(request) in _FAST:
        return _native.check(request)
    return _native.check(native_form(request))


def validate(request: Any) -> None:
    """Raises ``ApiError`` with the API's answer when it would refuse the request; returns
    None when the request alone gives it no reason to. Faster than ``check``: it stops at
    the first refusal and computes no warnings."""
    if type(request) not in _FAST:
        request = native_form(request)
    refusal = _native.first_violation(request)
    if refusal is not None:
        raise refusal.error()


def _timestamp(now: Any) -> str:
    if now is None:
        return datetime.now(timezone.utc).isoformat()
    if isinstance(now, str):
        return now
    if isinstance(now, datetime):
        if now.tzinfo is None or now.utcoffset() is None:
            raise ValueError("now is a naive datetime: give it a time zone (e.g. timezone.utc)")
        return now.isoformat()
    if isinstance(now, (int, float)) and not isinstance(now, bool):
        try:
            return datetime.fromtimestamp(now, timezone.utc).isoformat()
        except (OverflowError, OSError, ValueError) as error:
            raise ValueError(f"now = {now!r} is not an instant a timestamp can hold: {error}") from None
    raise TypeError(
        "now is an RFC 3339 str, a timezone-aware datetime, or seconds since the epoch; "
        f"got a {type(now).__name__}"
    )


def check_preconditions(
    request: Any,
    facts: Union[Facts, dict, str, bytes],
    now: Union[str, datetime, int, float, None] = None,
) -> PreconditionResult:
    """Judges a request against the facts it meets at ``now``: the stateless rules, then
    every stateful one (the disk, its instance, the account, the resource group, the
    ClientTokens seen before), in the API's order.

    ``facts`` is a ``Facts``, or a dict or JSON text in the format of docs/STATEFUL.md
    (read each call: build a ``Facts`` once to reuse it). ``now`` is an RFC 3339 string, a
    timezone-aware ``datetime`` or seconds since the epoch (default: the current time).

    Returns a ``PreconditionResult``: ``valid``, the refusal's ``status``/``code``/
    ``message``/``parameter``, or what is accepted: ``outcome`` ``"create"`` (with
    ``source``, ``source_id`` and ``kind``) or ``"replay"`` (with the ``snapshot_id`` the
    ClientToken was answered with before).
    """
    if not isinstance(facts, Facts):
        facts = Facts(facts)
    if type(request) not in _FAST:
        request = native_form(request)
    return _native.preconditions(request, facts, _timestamp(now))


def catalog() -> List[CatalogEntry]:
    """Every error the API answers CreateSnapshot with, one ``CatalogEntry`` a row: code,
    status, documented message, description, how to fix it, source and scope."""
    return _native.catalog()


def _code_and_message(error: Any) -> "tuple[str, Optional[str]]":
    get_code = getattr(error, "get_error_code", None)
    if callable(get_code):  # aliyunsdkcore's ServerException
        get_message = getattr(error, "get_error_msg", None)
        return get_code(), get_message() if callable(get_message) else None
    code = getattr(error, "code", None)
    if not isinstance(code, str):
        raise TypeError(
            "explain() takes an error code (str), an ApiError, a Violation, or an SDK "
            f"exception with a code; got a {type(error).__name__}"
        )
    data = getattr(error, "data", None)
    if isinstance(data, dict) and isinstance(data.get("Message"), str):
        return code, data["Message"]  # the current SDK's exceptions: the server's message
    message = getattr(error, "message", None)
    return code, message if isinstance(message, str) else None


def explain(code: Any, message: Optional[str] = None) -> CatalogEntry:
    """The catalogue's row for an error: its description and how to fix it.

    ``code`` is an error code (``"QuotaExceed.Snapshot"``), an ``ApiError``, a
    ``Violation``, or an exception of the official SDKs (which carry the server's code).
    Two rows share the code ``InternalError``; the one whose message is ``message`` (or the
    exception's) is chosen, else the first. Raises ValueError for a code the API does not
    answer CreateSnapshot with, naming the closest code when one is close.
    """
    if isinstance(code, CatalogEntry):
        return code
    if isinstance(code, Violation):
        return code.explain()
    if not isinstance(code, str):
        code, found = _code_and_message(code)
        message = message if message is not None else found
    rows = _native.rows_for(code, message)
    if not rows:
        closest = _native.closest_code(code)
        hint = f": did you mean {closest!r}? " if closest else ": "
        raise ValueError(f"unknown error code {code!r}{hint}catalog() lists every code CreateSnapshot answers with")
    return rows[0]
