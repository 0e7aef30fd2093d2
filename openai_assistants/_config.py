"""The client's configuration: one frozen value object, its defaults, and the environment lookup."""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Final, Literal, TypeAlias

import attrs

from ._http.hooks import Hook

__all__ = [
    "ApiKey",
    "ApiVersion",
    "AuthStyle",
    "ClientConfig",
    "DEFAULT_BASE_URL",
    "DEFAULT_MAX_CONNECTIONS",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_MAX_WAIT",
    "DEFAULT_POOL_TIMEOUT",
    "DEFAULT_TIMEOUT",
]

DEFAULT_BASE_URL: Final = "https://api.openai.com/v1"
#: Seconds for one HTTP exchange (connect, send, read the whole body). For a stream: the longest
#: silence between two chunks.
DEFAULT_TIMEOUT: Final = 60.0
#: Seconds a call may wait for a free connection when all ``max_connections`` are busy.
DEFAULT_POOL_TIMEOUT: Final = 60.0
DEFAULT_MAX_RETRIES: Final = 2
#: Seconds polling helpers (``*_and_poll``, tool loops) wait for a run to settle, overall.
DEFAULT_MAX_WAIT: Final = 600.0
DEFAULT_MAX_CONNECTIONS: Final = 100

ApiVersion: TypeAlias = Literal["v1", "v2"]
#: ``"bearer"``: ``Authorization: Bearer <key>``; ``"api-key"``: ``api-key: <key>`` (Azure).
AuthStyle: TypeAlias = Literal["bearer", "api-key"]
#: A key, or a callable returning one (sync or async), called once per request: rotating tokens.
ApiKey: TypeAlias = str | Callable[[], str] | Callable[[], Awaitable[str]]


def _check_choice(name: str, value: str, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, choices))}, got {value!r}")


def _check_seconds(name: str, value: float | None) -> None:
    if value is not None and (isinstance(value, bool) or not value > 0):
        raise ValueError(f"{name} must be a positive number of seconds or None, got {value!r}")


@attrs.frozen(kw_only=True)
class ClientConfig:
    """Everything a client needs to know besides its session. Build it with ``from_args``."""

    api_key: ApiKey = attrs.field(repr=False)
    base_url: str
    api_version: ApiVersion
    auth_style: AuthStyle
    organization: str | None
    project: str | None
    default_headers: Mapping[str, str]
    default_query: Mapping[str, str]
    timeout: float | None
    pool_timeout: float | None
    max_retries: int
    max_connections: int
    verify_ssl: bool
    max_wait: float | None
    #: Raise ``ResponseValidationError`` on any response that leaves the spec (default: read
    #: it leniently and record the deviations).
    strict: bool = False
    #: Hold calls for the server's rate limit, shared by all of this client's calls (see
    #: ``_http.ratelimit``); ``False``: each call meets the limit on its own.
    rate_limit_coordination: bool = True
    #: Called with each ``HookEvent`` (see ``_http.hooks``).
    hooks: tuple[Hook, ...] = ()

    @classmethod
    def from_args(
        cls,
        *,
        api_key: ApiKey | None,
        base_url: str | None,
        api_version: str,
        auth_style: str,
        organization: str | None,
        project: str | None,
        default_headers: Mapping[str, str] | None,
        default_query: Mapping[str, str] | None,
        timeout: float | None,
        pool_timeout: float | None,
        max_retries: int,
        max_connections: int,
        verify_ssl: bool,
        max_wait: float | None = DEFAULT_MAX_WAIT,
        strict: bool = False,
        rate_limit_coordination: bool = True,
        hooks: Sequence[Hook] = (),
    ) -> ClientConfig:
        """Validate the arguments, falling back to ``OPENAI_*`` environment variables."""
        if api_key is None:
            api_key = os.environ.get("OPENAI_API_KEY")
        if api_key is None or api_key == "":
            raise ValueError(
                "no API key: pass api_key=... or set the OPENAI_API_KEY environment variable"
            )
        if not isinstance(api_key, str) and not callable(api_key):
            raise TypeError(f"api_key must be a str or a callable, got {type(api_key).__name__}")
        base_url = base_url or os.environ.get("OPENAI_BASE_URL") or DEFAULT_BASE_URL
        if not base_url.startswith(("http://", "https://")):
            raise ValueError(f"base_url must start with http:// or https://, got {base_url!r}")
        _check_choice("api_version", api_version, ("v1", "v2"))
        _check_choice("auth_style", auth_style, ("bearer", "api-key"))
        _check_seconds("timeout", timeout)
        _check_seconds("pool_timeout", pool_timeout)
        _check_seconds("max_wait", max_wait)
        if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:
            raise ValueError(f"max_retries must be an int >= 0, got {max_retries!r}")
        if isinstance(max_connections, bool) or not isinstance(max_connections, int):
            raise TypeError(f"max_connections must be an int, got {max_connections!r}")
        if max_connections < 1:
            raise ValueError(f"max_connections must be >= 1, got {max_connections}")
        if isinstance(hooks, str) or not all(callable(hook) for hook in hooks):
            raise TypeError("hooks must be a sequence of callables taking one event")
        for name, flag in (
            ("strict", strict),
            ("rate_limit_coordination", rate_limit_coordination),
        ):
            if not isinstance(flag, bool):
                raise TypeError(f"{name} must be a bool, got {type(flag).__name__}")
        return cls(
            api_key=api_key,
            base_url=base_url.rstrip("/"),
            api_version=api_version,  # type: ignore[arg-type]  # checked just above
            auth_style=auth_style,  # type: ignore[arg-type]  # checked just above
            organization=organization or os.environ.get("OPENAI_ORG_ID"),
            project=project or os.environ.get("OPENAI_PROJECT_ID"),
            default_headers=dict(default_headers or {}),
            default_query=dict(default_query or {}),
            timeout=timeout,
            pool_timeout=pool_timeout,
            max_retries=max_retries,
            max_connections=max_connections,
            verify_ssl=verify_ssl,
            max_wait=max_wait,
            strict=strict,
            rate_limit_coordination=rate_limit_coordination,
            hooks=tuple(hooks),
        )
