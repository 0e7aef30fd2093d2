"""JSON encoding and decoding, in one place.

orjson is a runtime dependency because it pays on the hot paths: it decodes a typical message
about 2.7x faster than the standard library and encodes request bodies straight to bytes (see
``benchmarks/``). It is strict JSON: ``NaN`` and ``Infinity`` are rejected when decoding.
"""

from __future__ import annotations

import json as stdlib_json
from typing import Any

import orjson

__all__ = ["JSONDecodeError", "as_json", "copy", "dumps", "dumps_text", "loads"]

#: Raised for invalid JSON; a ``ValueError``.
JSONDecodeError = orjson.JSONDecodeError


def loads(data: bytes | str) -> Any:
    """Decode JSON from bytes or text."""
    return orjson.loads(data)


def dumps(value: Any) -> bytes:
    """Encode to compact UTF-8 JSON bytes (non-string dict keys are a ``TypeError``)."""
    return orjson.dumps(value)


def dumps_text(value: Any) -> str:
    """Encode to compact JSON text (a tool output, a message quoting a server's JSON)."""
    return orjson.dumps(value).decode()


def as_json(value: Any) -> Any:
    """``value`` as JSON carries it (tuples become lists), or ``ValueError``/``TypeError``.

    Stricter than ``dumps``: orjson writes ``NaN`` as ``null`` where this refuses it, so the
    standard library's encoder does this one check.
    """
    return orjson.loads(stdlib_json.dumps(value, allow_nan=False))


def copy(value: Any) -> Any:
    """A deep copy of decoded JSON (dicts, lists, scalars), however deep orjson decoded it.

    Iterative: recursion takes a stack frame or two per level, and JSON may nest 1024 deep.
    """
    kind = type(value)
    if kind is dict:
        root: Any = {}
    elif kind is list:
        root = []
    else:
        return value  # a scalar: immutable
    pending = [(value, root)]
    while pending:
        source, target = pending.pop()
        pairs = source.items() if type(source) is dict else enumerate(source)
        is_dict = type(target) is dict
        for key, item in pairs:
            kind = type(item)
            if kind is dict or kind is list:
                new: Any = {} if kind is dict else []
                pending.append((item, new))
                item = new
            if is_dict:
                target[key] = item
            else:
                target.append(item)
    return root
