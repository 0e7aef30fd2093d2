"""Shared plumbing: each service method hands its path, parameters and return type here."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, Generic, TypeVar, cast

from .._pagination import AsyncPager, Page, check_list_params, parse_page
from .._params import build_body, check_version
from .._sansio import check_id
from .._transport import APIResponse, Transport, structure
from .._types import NotGiven, RequestOptions

__all__ = ["Service", "WithResponse"]

T = TypeVar("T")
S = TypeVar("S", bound="Service")


class WithResponse(Generic[S]):
    """Typing view of ``service.with_response``: each method returns an ``APIResponse``.

    At run time this is the service itself in "with response" mode; the type only records that
    its coroutines resolve to ``APIResponse`` (whose ``data`` is the usual model).
    """

    def __getattr__(self, name: str) -> Callable[..., Awaitable[APIResponse[Any]]]:
        raise AttributeError(name)  # pragma: no cover - never instantiated


class Service:
    """Base of the per-resource services."""

    __slots__ = ("_t", "_with_response")

    def __init__(self, transport: Transport, *, with_response: bool = False) -> None:
        self._t = transport
        self._with_response = with_response

    def __repr__(self) -> str:
        return f"<{type(self).__name__} api_version={self._t.config.api_version!r}>"

    @property
    def with_response(self: S) -> WithResponse[S]:
        """The same methods, returning ``APIResponse`` (data + request id, headers, rate limit)."""
        return cast(WithResponse[S], type(self)(self._t, with_response=True))

    def _require(self, api_version: str, operation: str) -> None:
        if self._t.config.api_version != api_version:
            from .._errors import UnsupportedError

            raise UnsupportedError(
                f"{operation} exists only in the Assistants API {api_version}; this client uses "
                f"api_version={self._t.config.api_version!r} (pass api_version={api_version!r})"
            )

    async def _call(
        self,
        method: str,
        path: str,
        cast_to: type[T],
        options: RequestOptions,
        *,
        body: Mapping[str, Any] | None = None,
        query: Mapping[str, Any] | None = None,
    ) -> T:
        payload = None if body is None else build_body(self._t.config.api_version, body)
        response = await self._t.request(
            method, path, cast_to=cast_to, query=query, body=payload, options=options
        )
        # In with_response mode the caller's static type is WithResponse, which says APIResponse.
        return cast(T, response) if self._with_response else cast(T, response.data)

    def _list(
        self,
        path: str,
        item: type[T],
        options: RequestOptions,
        *,
        limit: int | NotGiven,
        order: str | NotGiven,
        after: str | NotGiven,
        before: str | NotGiven,
        max_items: int | None,
        query: Mapping[str, Any] | None = None,
    ) -> AsyncPager[T]:
        params = check_list_params(
            limit=limit, order=order, after=after, before=before, max_items=max_items
        )
        extra = {
            k: check_id(k, v) if k.endswith("_id") else v
            for k, v in (query or {}).items()
            if not isinstance(v, NotGiven)
        }
        items_type = list[item]  # type: ignore[valid-type]

        async def fetch(page_query: dict[str, Any]) -> Page[T]:
            response = await self._t.request(
                "GET", path, cast_to=None, query={**page_query, **extra}, options=options
            )
            return parse_page(
                response.data,
                limit=params.limit,
                structure_items=lambda raw: structure(
                    raw, items_type, response.headers, path="$.data"
                ),
                request_id=response.request_id,
            )

        return AsyncPager(fetch, params, max_items=max_items)

    def _include(self, include: Sequence[str] | NotGiven) -> dict[str, Any] | None:
        """The ``include[]`` query parameter (v2 only)."""
        if isinstance(include, NotGiven):
            return None
        check_version(self._t.config.api_version, "include")
        if isinstance(include, str) or not all(isinstance(i, str) for i in include):
            raise TypeError("include must be a list of strings")
        return {"include[]": list(include)}
