"""Keyword arguments -> a JSON request body, checked before anything is sent.

One place for the request-side rules: ``NOT_GIVEN`` keys are left out, ``None`` is sent as
``null``, attrs inputs are unstructured, plain dicts are checked against the SDK's models (a wrong
type anywhere inside raises ``TypeError`` naming its path), and parameters that exist in only one
API version raise ``UnsupportedError`` on a client of the other.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final, get_args, get_origin

import cattrs

from .._errors import UnsupportedError
from .._serde.converters import converter
from .._serde.typeforms import is_union
from .._types import NotGiven
from ..models import (
    Attachment,
    ChunkingStrategy,
    ContentPartParam,
    MessageParam,
    ResponseFormat,
    ThreadParam,
    Tool,
    ToolChoice,
    ToolOutput,
    ToolResources,
    TruncationStrategy,
)

__all__ = ["build_body", "check_version", "VERSION_ONLY"]

# What each body parameter must look like. Plain scalars are checked with isinstance; everything
# else by structuring the JSON through the models, which accepts unknown union members (a new
# tool type) and unknown keys, so only a genuinely wrong type is refused.
_SCALARS: Final[Mapping[str, tuple[type, ...]]] = {
    "model": (str,),
    "name": (str,),
    "description": (str,),
    "instructions": (str,),
    "additional_instructions": (str,),
    "assistant_id": (str,),
    "role": (str,),
    "file_id": (str,),
    "reasoning_effort": (str,),
    "temperature": (int, float),
    "top_p": (int, float),
    "max_prompt_tokens": (int,),
    "max_completion_tokens": (int,),
    "parallel_tool_calls": (bool,),
    "stream": (bool,),
    # files, uploads and vector stores
    "filename": (str,),
    "purpose": (str,),
    "mime_type": (str,),
    "bytes": (int,),
    "md5": (str,),
    "rewrite_query": (bool,),
    "max_num_results": (int,),
}
_SHAPES: Final[Mapping[str, Any]] = {
    "metadata": dict[str, str],
    "file_ids": list[str],
    "tools": list[Tool],
    "tool_resources": ToolResources,
    "messages": list[MessageParam],
    "additional_messages": list[MessageParam],
    "thread": ThreadParam,
    "attachments": list[Attachment],
    "content": str | list[ContentPartParam],
    "tool_choice": ToolChoice,
    "response_format": ResponseFormat,
    "truncation_strategy": TruncationStrategy,
    "tool_outputs": list[ToolOutput],
    "part_ids": list[str],
    "chunking_strategy": ChunkingStrategy,
    "attributes": dict[str, str | float | bool],
    "query": str | list[str],
}

#: Shapes that take a plain string as it is (``content="Hi"``, ``query="refunds"``).
_TEXT_OK: Final = frozenset(
    name for name, shape in _SHAPES.items() if is_union(shape) and str in get_args(shape)
)

#: Parameters (and query parameters) that exist in one API version only.
VERSION_ONLY: Final[Mapping[str, str]] = {
    "file_ids": "v1",
    "tool_resources": "v2",
    "attachments": "v2",
    "parallel_tool_calls": "v2",
    "reasoning_effort": "v2",
    "include": "v2",
}


def check_version(api_version: str, name: str) -> None:
    """Raise ``UnsupportedError`` if ``name`` does not exist in ``api_version``."""
    wanted = VERSION_ONLY.get(name)
    if wanted is not None and wanted != api_version:
        raise UnsupportedError(
            f"{name!r} exists only in the Assistants API {wanted}; this client uses "
            f"api_version={api_version!r}"
        )


def _encode(name: str, value: Any) -> Any:
    if value is None:
        return None
    scalar = _SCALARS.get(name)
    if scalar is not None:
        if isinstance(value, bool) and bool not in scalar:
            scalar = ()
        if not isinstance(value, scalar):
            wanted = " or ".join(t.__name__ for t in scalar) or "a number"
            raise TypeError(f"{name} must be {wanted}, got {type(value).__name__}")
        return value
    if value.__class__ is str and name in _TEXT_OK:
        return value  # a plain string where the shape takes one: nothing to check
    data = converter.unstructure(value)
    shape = _SHAPES.get(name)
    if shape is not None:
        # cattrs would happily turn a string or a dict into a list of its characters or keys.
        if get_origin(shape) is list and not isinstance(data, (list, tuple)):
            raise TypeError(f"{name} must be a list, got {type(value).__name__}")
        try:
            converter.structure(data, shape)
        except (cattrs.BaseValidationError, TypeError, ValueError, KeyError) as exc:
            details = (
                "; ".join(cattrs.transform_error(exc, path=name))
                if isinstance(exc, cattrs.BaseValidationError)
                else str(exc)
            )
            raise TypeError(f"invalid {name}: {details}") from None
    return data


def build_body(api_version: str | None, params: Mapping[str, Any]) -> dict[str, Any]:
    """The JSON body for ``params``: checked, version-gated (unless ``api_version`` is
    ``None``: an endpoint outside the Assistants API versions), ``NOT_GIVEN`` left out."""
    body: dict[str, Any] = {}
    for name, value in params.items():
        if isinstance(value, NotGiven):
            continue
        if api_version is not None:
            check_version(api_version, name)
        body[name] = _encode(name, value)
    return body
