"""Render stored objects (kept in v2 shape) for the API version of a request.

Stored dicts are v2 JSON plus private keys starting with ``_`` (``_file_ids`` for v1), which
rendering always drops. v1 sees ``file_ids`` instead of ``tool_resources``/``attachments`` and
``retrieval`` where v2 says ``file_search``.
"""

from __future__ import annotations

import copy
from typing import Any

from ._validation import Version

__all__ = ["render", "translate_tools"]

JSONDict = dict[str, Any]

_V1_ONLY_TOOL = {"file_search": "retrieval", "retrieval": "file_search"}


def translate_tools(tools: list[JSONDict] | None, version: Version) -> list[JSONDict] | None:
    """Map ``retrieval`` <-> ``file_search`` so each version sees its own tool name."""
    if tools is None:
        return None
    foreign = "file_search" if version == "v1" else "retrieval"
    return [
        {"type": _V1_ONLY_TOOL[foreign]} if tool.get("type") == foreign else tool for tool in tools
    ]


def _public(obj: JSONDict) -> JSONDict:
    return {key: copy.deepcopy(value) for key, value in obj.items() if not key.startswith("_")}


def _step_details(details: JSONDict, version: Version, include_content: bool) -> None:
    if details.get("type") != "tool_calls":
        return
    calls = details["tool_calls"]
    for index, call in enumerate(calls):
        if call.get("type") != "file_search":
            continue
        if version == "v1":
            calls[index] = {"id": call["id"], "type": "retrieval", "retrieval": {}}
        elif not include_content:
            for result in call["file_search"].get("results", []):
                result.pop("content", None)


def render(
    kind: str, obj: JSONDict, version: Version, *, include_content: bool = False
) -> JSONDict:
    """Return the wire form of a stored object of ``kind`` for ``version``."""
    out = _public(obj)
    if kind in ("assistant", "run"):
        out["tools"] = translate_tools(out.get("tools"), version)
    if kind == "step":
        _step_details(out["step_details"], version, include_content)
    if version == "v2":
        return out
    if kind == "assistant":
        out.pop("tool_resources", None)
        out.pop("reasoning_effort", None)
        out["file_ids"] = list(obj.get("_file_ids", []))
    elif kind == "thread":
        out.pop("tool_resources", None)
    elif kind == "message":
        attachments = out.pop("attachments", None) or []
        out["file_ids"] = [attachment["file_id"] for attachment in attachments]
        for part in out.get("content") or []:  # v1 file citations carry a (required) quote
            for annotation in (part.get("text") or {}).get("annotations") or []:
                if annotation.get("type") == "file_citation":
                    annotation["file_citation"].setdefault("quote", "")
    elif kind == "run":
        out.pop("parallel_tool_calls", None)
        out.pop("reasoning_effort", None)
        out["file_ids"] = list(obj.get("_file_ids", []))
    return out
