"""Turning what a Python caller has into what the rules read.

The native layer reads a query string or URL (``str`` or bytes), a ``dict`` (the JSON
shapes: the SDK's ``to_map()`` with ``"Tag": [{"Key": .., "Value": ..}]``, or flat
``"Tag.1.Key"`` names), or a list of decoded ``(name, value)`` pairs. The official SDKs'
request objects are turned into the parameters they put on the wire, here:

- a model of ``alibabacloud_ecs20140526`` (or anything with ``to_map()``): its ``to_map()``
  flattened as the current SDK flattens a query before sending it (nested names joined with
  ``.``, list items numbered from 1, ``None`` left out, every other value written with
  ``str()``, bytes decoded as UTF-8), so that ``True`` is judged as the ``True`` the server
  receives;
- a request of the older ``aliyun-python-sdk-ecs`` (an ``AcsRequest``): its query and form
  parameters URL-encoded as that SDK encodes them, with its Action.

See docs/DECISIONS.md (D201).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Dict, List, Tuple, Union
from urllib.parse import urlencode

try:  # the current SDK leaves its own stream objects out of a query
    from darabonba.utils.stream import STREAM_CLASS as _STREAMS
except Exception:  # pragma: no cover - the SDK is not installed
    _STREAMS = ()

Native = Union[str, bytes, bytearray, dict, list, tuple]

_NATIVE = (str, bytes, bytearray, dict, list, tuple)

# How deep a model may nest before it is refused (a model that contains itself).
_MAX_DEPTH = 256


def _flatten(prefix: str, value: Any, out: Dict[str, str], depth: int) -> None:
    if depth > _MAX_DEPTH:
        raise ValueError(f"the request nests deeper than {_MAX_DEPTH} levels (does it contain itself?)")
    if value is None:
        return
    if isinstance(value, dict):
        for key, item in value.items():
            _flatten(f"{prefix}.{key}", item, out, depth + 1)
    elif callable(getattr(value, "to_map", None)) and not isinstance(value, type):
        _flatten(prefix, value.to_map(), out, depth + 1)
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value, start=1):
            _flatten(f"{prefix}.{index}", item, out, depth + 1)
    elif _STREAMS and isinstance(value, _STREAMS):
        return
    else:
        name = prefix[1:] if prefix.startswith(".") else prefix
        if isinstance(value, (bytes, bytearray)):
            out[name] = bytes(value).decode("utf-8")
        else:
            out[name] = str(value)


def sdk_wire(model: Any) -> Dict[str, str]:
    """The parameters the current SDK sends for a request model: its ``to_map()``
    flattened to ``{"DiskId": "d-1", "Tag.1.Key": "env", "InstantAccess": "True", ...}``."""
    out: Dict[str, str] = {}
    _flatten("", model.to_map(), out, 0)
    return out


def is_core_request(request: Any) -> bool:
    """Whether ``request`` looks like an ``aliyunsdkcore`` ``AcsRequest``."""
    return callable(getattr(request, "get_query_params", None)) and callable(
        getattr(request, "get_action_name", None)
    )


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
        return core_wire(request)
    if isinstance(request, Mapping):
        return dict(request)
    raise TypeError(
        "a request is a query string or URL (str or bytes), a dict, a list of (name, value) "
        "pairs, or an SDK request model (anything with to_map(), or an aliyunsdkcore "
        f"AcsRequest); got a {type(request).__name__}"
    )

