"""Turning what a Python caller has into what the rules read.

The native layer reads a query string or URL (``str`` or bytes), a ``dict`` (the JSON
shapes: the SDK's ``to_map()`` with ``"Tag": [{"Key": .., "Value": ..}]``, or flat
``"Tag.1.Key"`` names), or a list of decoded ``(name, value)`` pairs. The official SDKs'
request objects are turned into the parameters they put on the wire, here:

- a model of ``alibabacloud_ecs20140526`` (or anything with ``to_map()``): its ``to_map()``
  flattened as the current SDK flattens a query before sending it (its
  ``Utils._object_handler``: nested names joined with ``.``, list items numbered from 1 by
  position, ``None`` left out and its number kept, ``bytes`` decoded as UTF-8, every other
  value, ``bytearray`` among them, written with ``str()``), so that ``True`` is judged as the
  ``True`` the server receives;
- a request of the older ``aliyun-python-sdk-ecs`` or ``aliyun-python-sdk-core`` (an
  ``AcsRequest``, a ``CommonRequest`` among them) of ECS: its query and form parameters
  URL-encoded as that SDK encodes them, with its Action.

What a model's flattening reads is bounded: at most ``MAX_VALUES`` values (a list whose
``__iter__`` never ends is refused, not followed) and ``MAX_TEXT`` characters of names and
values, the largest request the native layer reads.

See docs/DECISIONS.md (D201).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Dict, Optional, Union
from urllib.parse import urlencode

try:  # the current SDK leaves its own stream objects out of a query
    from darabonba.utils.stream import STREAM_CLASS as _STREAMS  # type: ignore[import]
except Exception:  # pragma: no cover - the SDK is not installed
    _STREAMS = ()

Native = Union[str, bytes, bytearray, dict, list, tuple]

_NATIVE = (str, bytes, bytearray, dict, list, tuple)

# How deep a model may nest before it is refused (a model that contains itself).
_MAX_DEPTH = 256

# The most values (each dict item, list item, model and leaf, None included) a model's
# flattening reads, and the most text (names and values, in characters) it makes: the
# largest request the native layer reads is 256 MiB.
MAX_VALUES = 1 << 22
MAX_TEXT = 256 * 1024 * 1024

# The version of the ECS API: the only one with ECS's CreateSnapshot.
ECS_VERSION = "2014-05-26"


class _Budget:
    """What a flattening has read so far, against ``MAX_VALUES`` and ``MAX_TEXT``."""

    __slots__ = ("values", "text")

    def __init__(self) -> None:
        self.values = 0
        self.text = 0

    def value(self) -> None:
        self.values += 1
        if self.values > MAX_VALUES:
            raise ValueError(
                f"the request holds more than {MAX_VALUES} values, the most this package reads "
                "(does a list's __iter__ never end?)"
            )

    def leaf(self, name: str, text: str) -> None:
        self.text += len(name) + len(text) + 2
        if self.text > MAX_TEXT:
            raise ValueError(f"the request is larger than {MAX_TEXT >> 20} MiB, the most this package reads")


def _flatten(prefix: str, value: Any, out: Dict[str, str], depth: int, budget: _Budget) -> None:
    # The SDK's Utils._object_handler, step for step, within the bounds.
    budget.value()
    if depth > _MAX_DEPTH:
        raise ValueError(f"the request nests deeper than {_MAX_DEPTH} levels (does it contain itself?)")
    if value is None:
        return
    if isinstance(value, dict):
        for key, item in value.items():
            _flatten("%s.%s" % (prefix, key), item, out, depth + 1, budget)
    elif callable(getattr(value, "to_map", None)) and not isinstance(value, type):
        _flatten(prefix, value.to_map(), out, depth + 1, budget)
    elif isinstance(value, (list, tuple)):
        # A None item is left out, and the next item keeps its own number.
        for index, item in enumerate(value, start=1):
            _flatten("%s.%s" % (prefix, index), item, out, depth + 1, budget)
    elif _STREAMS and isinstance(value, _STREAMS):
        return
    else:
        name = prefix[1:] if prefix.startswith(".") else prefix
        # Only bytes are decoded; a bytearray is sent as its str(), "bytearray(b'...')".
        text = str(value, encoding="utf-8") if isinstance(value, bytes) else str(value)
        budget.leaf(name, text)
        out[name] = text


def sdk_wire(model: Any) -> Dict[str, str]:
    """The parameters the current SDK sends for a request model: its ``to_map()``
    flattened to ``{"DiskId": "d-1", "Tag.1.Key": "env", "InstantAccess": "True", ...}``."""
    out: Dict[str, str] = {}
    _flatten("", model.to_map(), out, 0, _Budget())
    return out


def is_core_request(request: Any) -> bool:
    """Whether ``request`` looks like an ``aliyunsdkcore`` ``AcsRequest``."""
    return callable(getattr(request, "get_query_params", None)) and callable(
        getattr(request, "get_action_name", None)
    )


def _text_of(request: Any, getter: str) -> Optional[str]:
    get = getattr(request, getter, None)
    try:
        value = get() if callable(get) else None
    except Exception:  # noqa: BLE001 - a getter that fails tells nothing
        return None
    return value if isinstance(value, str) and value else None


def core_is_ecs(request: Any) -> bool:
    """Whether an ``AcsRequest`` is one of ECS: its product is ``Ecs`` (in any letter case);
    or, with no product (a ``CommonRequest`` sent with ``set_domain`` has none), its version
    is ECS's, 2014-05-26. (A ``CommonRequest`` without a version is refused by the SDK
    itself before anything is sent.)"""
    product = _text_of(request, "get_product")
    if product is not None:
        return product.lower() == "ecs"
    return _text_of(request, "get_version") == ECS_VERSION


def is_ecs_create_snapshot(request: Any) -> bool:
    """Whether an ``AcsRequest`` is ECS's CreateSnapshot: what the older SDK's guard judges."""
    return _text_of(request, "get_action_name") == "CreateSnapshot" and core_is_ecs(request)


def core_wire(request: Any) -> str:
    """The parameters the older SDK sends for an ``AcsRequest``, as the query string it
    encodes: its query parameters with its Action, then its form parameters."""
    query = dict(request.get_query_params() or {})
    query["Action"] = request.get_action_name()
    parts = [urlencode(list(query.items()))]
    body = getattr(request, "get_body_params", None)
    body = body() if callable(body) else None
    if body:
        parts.append(urlencode(list(dict(body).items())))
    return "&".join(parts)


def native_form(request: Any) -> Native:
    """What the native layer reads for ``request``; a TypeError for what is no request."""
    if isinstance(request, _NATIVE):
        return request
    if isinstance(request, memoryview):
        return request.tobytes()
    if callable(getattr(request, "to_map", None)) and not isinstance(request, type):
        return list(sdk_wire(request).items())
    if is_core_request(request):
        if not core_is_ecs(request):
            raise ValueError(
                "not a request of ECS: its product is "
                f"{_text_of(request, 'get_product')!r} and its version {_text_of(request, 'get_version')!r} "
                f"(ECS's is {ECS_VERSION})"
            )
        return core_wire(request)
    if isinstance(request, Mapping):
        return dict(request)
    raise TypeError(
        "a request is a query string or URL (str or bytes), a dict, a list of (name, value) "
        "pairs, or an SDK request model (anything with to_map(), or an aliyunsdkcore "
        f"AcsRequest); got a {type(request).__name__}"
    )

