"""Shared plumbing of the services: a method describes its request, the plumbing sends it.

A service method is written once, as a function that checks its arguments and returns a ``Call``
(the method, path, body, query, options and model of one request, not yet sent). ``@endpoint``
turns it into what users call:

* ``await service.method(...)`` sends the call and returns the model (``T``);
* ``await service.with_response.method(...)`` returns the ``APIResponse[T]`` (model, status,
  headers, request id), with the same parameters and types;
* ``streamed(method)`` makes ``method_stream(...)``: the call with ``"stream": true``, as an
  ``AssistantStream``; ``polled(method)`` makes ``method_and_poll(...)``: the call, then the run
  polled until it settles.

So every method returns exactly its annotated type, a typo in any argument is a type error (and a
``TypeError`` at run time), and bad input raises when the method is called, before any request.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, Concatenate, Final, Generic, TypeVar, overload

import attrs
from typing_extensions import ParamSpec, Self

from .._errors import UnsupportedError
from .._http.sansio import check_id
from .._http.transport import APIResponse, Exchange, Form, Transport
from .._runs.driver import RunOps, poll_started
from .._serde.reader import read
from .._streaming.stream import AssistantStream
from .._types import NOT_GIVEN, ListParams, NotGiven, RequestOptions
from ..models import Run
from ._pagination import AsyncPager, Page, check_list_params, parse_page
from ._params import build_body, check_version

__all__ = ["Call", "Endpoint", "ResponseView", "Service", "endpoint", "polled", "streamed"]

T = TypeVar("T")
P = ParamSpec("P")

#: The keys ``**options`` accepts (a typo there would otherwise be dropped without a word).
_OPTION_KEYS: Final = frozenset(RequestOptions.__annotations__)
_PAGING_KEYS: Final = frozenset(ListParams.__annotations__) - _OPTION_KEYS


def check_options(options: Mapping[str, Any], method: str) -> None:
    """``TypeError`` for a keyword a method's ``**options`` does not take."""
    unknown = options.keys() - _OPTION_KEYS
    if unknown:
        raise TypeError(
            f"{method}() got an unexpected keyword argument {sorted(unknown)[0]!r} "
            f"(request options are {', '.join(sorted(_OPTION_KEYS))})"
        )


@attrs.frozen
class Call(Generic[T]):
    """One request as a service method describes it: checked, not yet sent."""

    method: str
    path: str
    cast_to: type[T]
    options: RequestOptions
    body: Mapping[str, Any] | None = None
    query: Mapping[str, Any] | None = None
    #: A ``multipart/form-data`` body instead of JSON (an upload).
    form: Form | None = None


class ResponseView:
    """Marks a service's ``with_response`` view: its endpoints return ``APIResponse``."""

    __slots__ = ()


class Endpoint(Generic[P, T]):
    """A service method made from a function that returns its ``Call`` (see the module doc)."""

    def __init__(self, build: Callable[Concatenate[Any, P], Call[T]]) -> None:
        self.build = build
        self.__doc__ = build.__doc__
        self._name = build.__name__
        signature = inspect.signature(build)
        returns = str(signature.return_annotation)  # "Call[Assistant]": what it returns
        self._signature = signature.replace(
            parameters=list(signature.parameters.values())[1:],
            return_annotation=returns.removeprefix("Call[").removesuffix("]"),
        )

    def __set_name__(self, owner: type, name: str) -> None:
        self._name = name
        self._qualname = f"{owner.__qualname__}.{name}"

    @overload
    def __get__(self, obj: None, owner: type[Any]) -> Self: ...
    @overload
    def __get__(
        self, obj: ResponseView, owner: type[Any]
    ) -> Callable[P, Awaitable[APIResponse[T]]]: ...
    @overload
    def __get__(self, obj: Service, owner: type[Any]) -> Callable[P, Awaitable[T]]: ...

    def __get__(self, obj: Any, owner: type[Any]) -> Any:
        if obj is None:
            return self
        bound = obj._bound.get(self)
        if bound is None:
            bound = obj._bound[self] = self._bind(obj)
        return bound

    def _bind(self, obj: Any) -> Callable[..., Any]:
        """The method bound to one service (made once per service and kept)."""
        build = self.build
        service: Service = obj
        if isinstance(obj, ResponseView):

            async def with_response(*args: Any, **kwargs: Any) -> APIResponse[T]:
                return await service._send(build(service, *args, **kwargs))

            return self._dress(with_response)

        async def method(*args: Any, **kwargs: Any) -> T:
            response = await service._send(build(service, *args, **kwargs))
            return response.data

        return self._dress(method)

    def _dress(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        """Give a bound method the name, docs and signature users see in ``help()``."""
        fn.__name__ = self._name
        fn.__qualname__ = getattr(self, "_qualname", self._name)
        fn.__doc__ = self.__doc__
        fn.__signature__ = self._signature  # type: ignore[attr-defined]
        return fn


def endpoint(build: Callable[Concatenate[Any, P], Call[T]]) -> Endpoint[P, T]:
    """Make a service method from a function returning its ``Call``."""
    return Endpoint(build)


class _Twin(Generic[P, T]):
    """A method derived from an endpoint of runs (``*_stream``, ``*_and_poll``)."""

    def __init__(self, source: Endpoint[P, Run], doc: str, returns: str) -> None:
        self.source = source
        self._name = ""
        self._qualname = ""
        self.__doc__ = doc
        self._signature = source._signature.replace(return_annotation=returns)

    def __set_name__(self, owner: type, name: str) -> None:
        if not self._name:  # the first name it is given; an alias (``stream``) keeps it
            self._name = name
            self._qualname = f"{owner.__qualname__}.{name}"

    def _dress(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        fn.__name__ = self._name
        fn.__qualname__ = self._qualname
        fn.__doc__ = self.__doc__
        fn.__signature__ = self._signature  # type: ignore[attr-defined]
        return fn


class _Streamed(_Twin[P, AssistantStream]):
    @overload
    def __get__(self, obj: None, owner: type[Any]) -> Self: ...
    @overload
    def __get__(self, obj: Service, owner: type[Any]) -> Callable[P, AssistantStream]: ...

    def __get__(self, obj: Service | None, owner: type[Any]) -> Any:
        if obj is None:
            return self
        build = self.source.build

        def stream(*args: Any, **kwargs: Any) -> AssistantStream:
            return obj._stream(build(obj, *args, **kwargs))

        return self._dress(stream)


class _Polled(_Twin[P, Run]):
    def __init__(
        self, source: Endpoint[P, Run], ops: Callable[[Service], RunOps], doc: str
    ) -> None:
        super().__init__(source, doc, "Run")
        self._ops = ops

    @overload
    def __get__(self, obj: None, owner: type[Any]) -> Self: ...
    @overload
    def __get__(self, obj: Service, owner: type[Any]) -> Callable[P, Awaitable[Run]]: ...

    def __get__(self, obj: Service | None, owner: type[Any]) -> Any:
        if obj is None:
            return self
        build, ops = self.source.build, self._ops

        async def and_poll(*args: Any, **kwargs: Any) -> Run:
            call = build(obj, *args, **kwargs)
            return await poll_started(ops(obj), obj._send(call), max_wait=obj._t.config.max_wait)

        return self._dress(and_poll)


def streamed(source: Endpoint[P, Run]) -> _Streamed[P]:
    """The streaming twin of a run-starting endpoint: same parameters, returns a stream.

    The request is checked now and sent when the stream is entered or first iterated.
    """
    doc = f"Like ``{source.build.__name__}``, streamed: returns an ``AssistantStream``."
    return _Streamed(source, doc, "AssistantStream")


def polled(source: Endpoint[P, Run], ops: Callable[[Service], RunOps]) -> _Polled[P]:
    """The ``*_and_poll`` twin of a run-starting endpoint: same parameters, the settled run.

    ``ops`` gives the run requests polling needs. The wait is bounded by the client's
    ``max_wait`` (``client.with_options(max_wait=...)``).
    """
    name = source.build.__name__
    return _Polled(source, ops, f"``{name}``, then poll the run until it settles.")


class Service:
    """Base of the per-resource services: build a call, send it, page through lists."""

    __slots__ = ("_bound", "_t")
    #: Whether the body's parameters depend on the Assistants API version (the files and
    #: vector-store endpoints' do not: their ``file_ids`` is no v1-only parameter).
    _versioned: bool = True

    def __init__(self, transport: Transport) -> None:
        self._t = transport
        #: Its endpoints' bound methods, made on first use (see ``Endpoint.__get__``).
        self._bound: dict[Any, Callable[..., Any]] = {}

    def __repr__(self) -> str:
        return f"<{type(self).__name__} api_version={self._t.config.api_version!r}>"

    # -- describing requests ---------------------------------------------------------------------

    def _call(
        self,
        method: str,
        path: str,
        cast_to: type[T],
        options: RequestOptions,
        *,
        body: Mapping[str, Any] | None = None,
        query: Mapping[str, Any] | None = None,
        form: Form | None = None,
    ) -> Call[T]:
        if options:
            check_options(options, path)
        version = self._t.config.api_version if self._versioned else None
        payload = None if body is None else build_body(version, body)
        return Call(method, path, cast_to, options, payload, query, form)

    def _max_wait(self, max_wait: float | NotGiven | None) -> float | None:
        """A run-driving call's ``max_wait``: the client's unless given."""
        return self._t.config.max_wait if isinstance(max_wait, NotGiven) else max_wait

    def _require(self, api_version: str, operation: str) -> None:
        if self._t.config.api_version != api_version:
            raise UnsupportedError(
                f"{operation} exists only in the Assistants API {api_version}; this client uses "
                f"api_version={self._t.config.api_version!r} (pass api_version={api_version!r})"
            )

    def _include(self, include: Sequence[str] | NotGiven) -> dict[str, Any] | None:
        """The ``include[]`` query parameter (v2 only)."""
        if isinstance(include, NotGiven):
            return None
        check_version(self._t.config.api_version, "include")
        if isinstance(include, str) or not all(isinstance(i, str) for i in include):
            raise TypeError("include must be a list of strings")
        return {"include[]": list(include)}

    # -- sending them ----------------------------------------------------------------------------

    async def _send(self, call: Call[T]) -> APIResponse[T]:
        return await self._t.request(
            call.method,
            call.path,
            cast_to=call.cast_to,
            query=call.query,
            body=call.body,
            options=call.options,
            form=call.form,
        )

    async def _open(self, call: Call[Any], *, events: bool = True) -> Exchange:
        """Send a call and return the exchange with its body unread: a run's event stream
        (the body gets ``"stream": true``), or with ``events=False`` any other body to read
        as it arrives (a download)."""
        body = {**(call.body or {}), "stream": True} if events else call.body
        return await self._t.send(
            call.method, call.path, query=call.query, body=body, options=call.options, stream=True
        )

    def _stream(self, call: Call[Any]) -> AssistantStream:
        config = self._t.config
        return AssistantStream(lambda: self._open(call), strict=config.strict, hooks=config.hooks)

    def _list(
        self,
        path: str,
        item: type[T],
        params: ListParams,
        *,
        query: Mapping[str, Any] | None = None,
        max_limit: int = 100,
        backward: bool = True,
    ) -> AsyncPager[T]:
        options: RequestOptions = {}
        paging: dict[str, Any] = {}
        for key, value in params.items():
            if key in _PAGING_KEYS:
                paging[key] = value
            else:
                options[key] = value  # type: ignore[literal-required]
        check_options(options, "list")
        max_items = paging.pop("max_items", None)
        prefetch = paging.pop("prefetch", False)
        if not backward and not isinstance(paging.get("before", NOT_GIVEN), NotGiven):
            raise ValueError(f"{path} pages forward only: it takes after=, not before=")
        checked = check_list_params(max_items=max_items, max_limit=max_limit, **paging)
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
            strict = self._t.config.strict
            return parse_page(
                response.data,
                limit=checked.limit,
                structure_items=lambda raw: read(
                    raw, items_type, strict=strict, request_id=response.request_id, path="$.data"
                ),
                request_id=response.request_id,
                strict=strict,
            )

        return AsyncPager(fetch, checked, max_items=max_items, prefetch=prefetch)
