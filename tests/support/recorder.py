"""Record exact request shapes through aioresponses."""

from __future__ import annotations

import json
import re
from typing import Any

import attrs
from aiohttp import FormData
from aioresponses import CallbackResult, aioresponses
from yarl import URL

ANY_URL = re.compile(r"^http://api\.test/.*")


@attrs.define
class Sent:
    """One request as it left the client."""

    method: str
    url: URL
    headers: dict[str, str]
    body: Any

    @property
    def path(self) -> str:
        return self.url.raw_path

    @property
    def query(self) -> list[tuple[str, str]]:
        return list(self.url.query.items())


def record(
    mocked: aioresponses,
    method: str,
    payload: Any,
    *,
    status: int = 200,
    headers: dict[str, str] | None = None,
    repeat: bool = True,
) -> list[Sent]:
    """Answer every ``method`` request with ``payload`` and collect what was sent."""
    sent: list[Sent] = []

    def callback(url: URL, **kwargs: Any) -> CallbackResult:
        data = kwargs.get("data")
        sent.append(
            Sent(
                method=method,
                url=url,
                headers=dict(kwargs.get("headers") or {}),
                body=_body(data),
            )
        )
        return CallbackResult(status=status, payload=payload, headers=headers)

    mocked.add(ANY_URL, method=method, callback=callback, repeat=repeat)
    return sent


def _body(data: Any) -> Any:
    """A JSON body decoded; a multipart form as ``{"form": {name: value or (filename,
    content type, bytes)}}`` (file parts read to bytes, however they were given)."""
    if data is None:
        return None
    if isinstance(data, FormData):
        fields: dict[str, Any] = {}
        for options, headers, value in data._fields:
            if "filename" in options:
                fields[options["name"]] = (
                    options["filename"],
                    headers.get("Content-Type"),
                    _read(value),
                )
            else:
                fields[options["name"]] = value
        return {"form": fields}
    return json.loads(data)


def _read(value: Any) -> bytes:
    if isinstance(value, (bytes, bytearray)):
        return bytes(value)
    if hasattr(value, "read"):
        data = value.read()
        value.close()
        return bytes(data)
    raise TypeError(f"the recorder cannot read a {type(value).__name__} part")
