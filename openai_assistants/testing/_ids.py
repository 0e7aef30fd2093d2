"""Identifier and timestamp generation shaped like the real API's."""

from __future__ import annotations

import secrets
import string
import time

__all__ = ["new_id", "new_request_id", "now"]

_ALNUM = string.ascii_letters + string.digits

#: The separator differs by kind: files use ``file-``, everything else ``<prefix>_``.
_SEPARATORS = {"file": "-"}


def new_id(prefix: str) -> str:
    """Return ``<prefix>_`` (or ``file-``) followed by 24 random alphanumerics."""
    suffix = "".join(secrets.choice(_ALNUM) for _ in range(24))
    return f"{prefix}{_SEPARATORS.get(prefix, '_')}{suffix}"


def new_request_id() -> str:
    """Return a request id like the API's ``x-request-id`` (``req_`` + 32 hex digits)."""
    return f"req_{secrets.token_hex(16)}"


def now() -> int:
    """Return the current time in Unix seconds, as every ``*_at`` field holds it."""
    return int(time.time())
