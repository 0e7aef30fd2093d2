"""The per-request context handed to handlers, with the response helpers."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import attrs
from aiohttp import web

from ._multipart import Form
from ._render import render
from ._runs import RunSimulation
from ._state import ServerState
from ._store import Collection, list_body
from ._validation import Version, parse_list_query

__all__ = ["Ctx", "json_response"]

JSONDict = dict[str, Any]


def json_response(
    body: Any, *, status: int = 200, headers: dict[str, str] | None = None
) -> web.Response:
    """A JSON response as the API sends it."""
    return web.Response(
        text=json.dumps(body),
        status=status,
        content_type="application/json",
        headers=headers,
    )


@attrs.frozen
class Ctx:
    """What a handler gets: the request, the state, the API version and the validated body
    (or, for a ``multipart/form-data`` operation, the parsed ``form``)."""

    request: web.Request
    state: ServerState
    version: Version
    body: JSONDict
    form: Form | None = None

    def param(self, name: str) -> str:
        """A path parameter."""
        return self.request.match_info[name]

    def ok(self, kind: str, obj: JSONDict, **render_options: Any) -> web.Response:
        """Render a stored object for this request's version."""
        return json_response(render(kind, obj, self.version, **render_options))

    def run_response(self, simulation: RunSimulation) -> web.Response:
        """Render a run, with the ``openai-poll-after-ms`` hint."""
        headers = {}
        poll_after = self.state.poll_after_ms_for(simulation)
        if poll_after is not None:
            headers["openai-poll-after-ms"] = str(poll_after)
        return json_response(render("run", simulation.run, self.version), headers=headers)

    def list_response(
        self,
        kind: str,
        collection: Collection,
        *,
        with_run_id: bool = False,
        where: Callable[[JSONDict], bool] | None = None,
        default_limit: int = 20,
        max_limit: int = 100,
        with_before: bool = True,
        **options: Any,
    ) -> web.Response:
        """Answer a list request with one page of ``collection`` (only objects passing
        ``where``); ``limit`` defaults to ``default_limit`` and goes up to ``max_limit``."""
        query = parse_list_query(
            self.request.query,
            with_run_id=with_run_id,
            default_limit=default_limit,
            max_limit=max_limit,
            with_before=with_before,
        )
        if query.run_id is not None:
            collection = self.state.store.run_messages(query.run_id)
        items, has_more = collection.page(
            limit=query.limit,
            order=query.order,
            after=query.after,
            before=query.before,
            where=where,
        )
        data = [render(kind, item, self.version, **options) for item in items]
        return json_response(list_body(data, has_more))
