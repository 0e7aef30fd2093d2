"""HTTP-free rules: headers, paths, status-to-error mapping, retry decisions, rate-limit headers.

Everything here is a pure function of its arguments, so it is tested without sockets and the
transport stays a thin loop around it.
"""

from __future__ import annotations

import email.utils
import random
import re
import time
from collections.abc import Mapping
from typing import Any, Final
from urllib.parse import quote

import attrs
from yarl import URL

from .._config import ClientConfig
from .._errors import (
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    UnprocessableEntityError,
)
from .._serde import json as _json
from .._version import __version__

__all__ = [
    "RateLimit",
    "base_headers",
    "auth_headers",
    "build_path",
    "check_id",
    "status_error",
    "retry_after",
    "should_retry",
    "retry_delay",
    "rate_limit",
    "MAX_RETRY_AFTER",
    "MAX_REDIRECTS",
    "redirect_target",
    "redact",
    "error_body_problems",
]

USER_AGENT: Final = f"openai-assistants-python/{__version__}"

#: Same-origin redirects followed per call; any other redirect is an error.
MAX_REDIRECTS: Final = 5
#: A server asking us to wait longer than this (seconds) gets its error raised instead.
MAX_RETRY_AFTER: Final = 120.0
INITIAL_RETRY_DELAY: Final = 0.5
MAX_RETRY_DELAY: Final = 8.0

_RETRY_STATUSES: Final = frozenset({408, 409, 429})

_STATUS_ERRORS: Final[Mapping[int, type[APIStatusError]]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}

# An id goes into one path segment. These would let it leave that segment or change its meaning
# (and whitespace is never part of a real id, so it is a caller's bug worth reporting early).
_BAD_ID: Final = re.compile(r"[/?#\\\s]|^\.\.?$|\.\.")
# What real ids look like (asst_abc123, file-XyZ): safe in a path as they are, no quoting needed.
_PLAIN_ID: Final = re.compile(r"[A-Za-z0-9_-]+")


def base_headers(config: ClientConfig) -> dict[str, str]:
    """The headers every request carries, built once per config (auth is added per request)."""
    headers = {
        "Accept": "application/json",
        "User-Agent": USER_AGENT,
        # The one place the Assistants beta header is set.
        "OpenAI-Beta": f"assistants={config.api_version}",
    }
    if config.organization:
        headers["OpenAI-Organization"] = config.organization
    if config.project:
        headers["OpenAI-Project"] = config.project
    headers.update(config.default_headers)
    return headers


def auth_headers(config: ClientConfig, key: str) -> dict[str, str]:
    """The credential header in the server's preferred style."""
    if config.auth_style == "api-key":
        return {"api-key": key}
    return {"Authorization": f"Bearer {key}"}


#: The prefix each kind of id has on the API (and on the fake). Servers with other id formats
#: (UUIDs, numbers) are not checked; an id with another kind's prefix is a swap.
_ID_PREFIXES: Final[Mapping[str, str]] = {
    "assistant_id": "asst_",
    "thread_id": "thread_",
    "message_id": "msg_",
    "run_id": "run_",
    "step_id": "step_",
    "file_id": "file-",
    "vector_store_id": "vs_",
    "batch_id": "vsfb_",
    "upload_id": "upload_",
}
_KIND_OF_PREFIX: Final = {prefix: name for name, prefix in _ID_PREFIXES.items()}


def _check_swap(name: str, value: str) -> None:
    """Raise if ``value`` carries another kind of id's prefix (arguments swapped)."""
    own = _ID_PREFIXES.get(name)
    if own is None or value.startswith(own):
        return
    for prefix, kind in _KIND_OF_PREFIX.items():
        if value.startswith(prefix):
            raise ValueError(
                f"{name} {value!r} starts with {prefix!r}, the prefix of {kind}s: were the ids "
                "passed in the wrong order? Here the parent id comes first, e.g. "
                "runs.poll(thread_id, run_id), the official client's poll(run_id, thread_id) "
                "the other way round"
            )


def check_id(name: str, value: object) -> str:
    """Return ``value`` if it is usable as one path segment, else raise before any request."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, got {type(value).__name__}")
    if not value:
        raise ValueError(f"{name} must not be empty")
    _check_swap(name, value)
    if _BAD_ID.search(value):
        raise ValueError(
            f"{name} {value!r} is not a valid id: it must not contain '/', '?', '#', '\\', "
            "'..' or whitespace"
        )
    if not value.isascii():
        try:
            value.encode()
        except UnicodeEncodeError:
            # quote() would raise an unclear error for it, and yarl silently drops it from a query
            # (run_id="\ud800" became run_id=""), so the request would name another object.
            raise ValueError(
                f"{name} {value!r} is not a valid id: it holds a lone surrogate, which has no "
                "UTF-8 encoding"
            ) from None
    return value


def _segment(name: str, value: object) -> str:
    if type(value) is str and _PLAIN_ID.fullmatch(value):
        _check_swap(name, value)
        return value  # the common case, checked and encoded in one match
    return quote(check_id(name, value), safe="")


def build_path(template: str, **ids: object) -> str:
    """Fill ``/threads/{thread_id}`` style templates with checked, percent-encoded ids."""
    return template.format_map({k: _segment(k, v) for k, v in ids.items()})


def _error_message(status: int, body: Any, reason: str) -> tuple[str, Any]:
    """The readable message and the raw ``error`` object from an error body of any shape.

    Seen in the wild: the spec's ``{"error": {"message": ...}}``; ``{"error": "text"}``;
    FastAPI's ``{"detail": "text"}`` and ``{"detail": [{"loc": [...], "msg": ...}]}``;
    ``{"message": ...}`` (with ``statusCode`` or ``code`` beside it); ``{"msg": ...}``;
    ``{"errors": [...]}``; plain text; an HTML error page from a proxy.
    """
    if isinstance(body, Mapping):
        error = body.get("error")
        if isinstance(error, Mapping):
            message = error.get("message")
            if isinstance(message, str) and message:
                return message, error
            return _json.dumps_text(error), error
        if isinstance(error, str) and error:
            return error, None
        for key in ("message", "detail", "msg", "errors", "error_description", "title"):
            text = _words(body.get(key))
            if text:
                return text, None
    if isinstance(body, str) and body.strip():
        text = " ".join(re.sub(r"<[^>]+>", " ", body).split())  # an HTML error page, readable
        return (text[:300] + "...") if len(text) > 300 else text, None
    return f"{status} {reason}".strip(), None


def _words(value: Any) -> str:
    """A message from a ``detail``/``message``/``errors`` value: text, an object with a message,
    or a list of them (FastAPI's validation errors: ``body.name: field required``)."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, Mapping):
        for key in ("message", "msg", "detail"):
            if isinstance(value.get(key), str):
                where = value.get("loc")
                if isinstance(where, list) and where:
                    return f"{'.'.join(map(str, where))}: {value[key]}"
                return str(value[key])
        return _json.dumps_text(value) if value else ""
    if isinstance(value, list):
        return "; ".join(filter(None, (_words(item) for item in value[:10])))
    return ""


def error_body_problems(body: Any) -> list[str]:
    """How an error body leaves the spec's ``{"error": {message, type, param, code}}``, as
    ``problem @ path`` lines (none for a conforming body); strict reading raises on them."""
    if not isinstance(body, Mapping):
        what = "text" if isinstance(body, str) else "null" if body is None else type(body).__name__
        return [f"expected an object, got {what} @ $"]
    error = body.get("error")
    if not isinstance(error, Mapping):
        return ["missing @ $.error" if error is None else "expected an object @ $.error"]
    problems = [f"missing @ $.error.{key}" for key in ("type", "param", "code") if key not in error]
    if not isinstance(error.get("message"), str):
        problems.insert(0, "expected a string @ $.error.message")
    return problems


def status_error(
    status: int,
    headers: Mapping[str, str],
    body: Any,
    *,
    reason: str = "",
    error_model: Any = None,
) -> APIStatusError:
    """Map an error response to its exception (the one status table).

    ``body`` is the decoded JSON, or the text when it was not JSON. ``error_model`` turns the
    API's ``error`` dict into a typed object; it is passed in to keep this module model-free.
    """
    message, error = _error_message(status, body, reason)
    cls = _STATUS_ERRORS.get(status, InternalServerError if status >= 500 else APIStatusError)
    kwargs: dict[str, Any] = {
        "status_code": status,
        "request_id": headers.get("x-request-id"),
        "body": body,
        "error": error_model(error) if error is not None and error_model else error,
        "headers": dict(headers),
    }
    if cls is RateLimitError:
        kwargs["retry_after"] = retry_after(headers)
    return cls(message, **kwargs)


def retry_after(headers: Mapping[str, str], *, now: float | None = None) -> float | None:
    """Seconds the server asked us to wait: ``retry-after-ms``, else ``Retry-After``."""
    ms = headers.get("retry-after-ms")
    if ms is not None:
        try:
            value = float(ms) / 1000
        except ValueError:
            pass
        else:
            if value >= 0:
                return value
    raw = headers.get("retry-after")
    if raw is None:
        return None
    try:
        return max(float(raw), 0.0)
    except ValueError:
        pass
    try:
        date = email.utils.parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError):
        return None
    return max(date.timestamp() - (time.time() if now is None else now), 0.0)


def should_retry(status: int, headers: Mapping[str, str]) -> bool:
    """Whether an error status is worth another try; ``x-should-retry`` overrules the table."""
    override = headers.get("x-should-retry")
    if override == "true":
        return True
    if override == "false":
        return False
    return status in _RETRY_STATUSES or status >= 500


def retry_delay(attempt: int, server_wait: float | None, rng: random.Random | None = None) -> float:
    """Seconds to sleep before retry number ``attempt`` (0-based).

    The server's wait wins when it gave one; otherwise exponential backoff with jitter (the delay
    is drawn from the upper three quarters of the window, so concurrent callers spread out).
    """
    if server_wait is not None:
        return server_wait
    window: float = min(INITIAL_RETRY_DELAY * 2.0**attempt, MAX_RETRY_DELAY)
    return window * (1 - 0.25 * (rng.random() if rng else random.random()))


@attrs.frozen
class RateLimit:
    """The ``x-ratelimit-*`` headers of one response (``None`` where the server sent none)."""

    limit_requests: int | None = None
    limit_tokens: int | None = None
    remaining_requests: int | None = None
    remaining_tokens: int | None = None
    reset_requests: str | None = None
    reset_tokens: str | None = None


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def rate_limit(headers: Mapping[str, str]) -> RateLimit:
    """Parse the rate-limit headers; a malformed number reads as ``None``, never an error."""
    return RateLimit(
        limit_requests=_int_or_none(headers.get("x-ratelimit-limit-requests")),
        limit_tokens=_int_or_none(headers.get("x-ratelimit-limit-tokens")),
        remaining_requests=_int_or_none(headers.get("x-ratelimit-remaining-requests")),
        remaining_tokens=_int_or_none(headers.get("x-ratelimit-remaining-tokens")),
        reset_requests=headers.get("x-ratelimit-reset-requests"),
        reset_tokens=headers.get("x-ratelimit-reset-tokens"),
    )


def redirect_target(url: URL, location: str | None) -> URL | None:
    """Where a redirect from ``url`` points, if it stays on the same origin; else ``None``.

    Following a redirect to another host would send it the credentials (aiohttp drops only
    ``Authorization``, not ``api-key`` or custom auth headers), so those are never followed.
    """
    if not location:
        return None
    try:
        target = url.join(URL(location))
    except ValueError:
        return None
    return target if target.origin() == url.origin() else None


_SECRET_HEADER: Final = re.compile(r"auth|key|token|secret|cookie|password", re.IGNORECASE)


def redact(headers: Mapping[str, str]) -> dict[str, str]:
    """Headers fit for a log: every value that may be a credential is masked."""
    return {
        k: "<redacted>" if _SECRET_HEADER.search(k) and k.lower() != "idempotency-key" else v
        for k, v in headers.items()
    }
