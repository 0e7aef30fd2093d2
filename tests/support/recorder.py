"""Record exact request shapes through aioresponses."""

from __future__ import annotations

import json
import re
from typing import Any

import attrs
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
                body=None if data is None else json.loads(data),
            )
        )
        return CallbackResult(status=status, payload=payload, headers=headers)

    mocked.add(ANY_URL, method=method, callback=callback, repeat=repeat)
    return sent
