"""Ids crafted to leave their path segment never reach another endpoint.

Every id-taking method is called against the fake server, with real objects in place (so an id
that escaped its segment WOULD find something), one crafted id at a time. Two outcomes only:

* the SDK refuses the id before sending (``ValueError`` / ``TypeError``): the server saw nothing;
* the server saw exactly one request, whose raw path has the route's segments, the crafted id
  percent-encoded into its own segment (decoding it gives the id back), no query it should not
  have, and the answer is the API's 404 for that id (not a 200 for another object, nor an error
  of another route).
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any
from urllib.parse import unquote_to_bytes

import attrs
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from support.reliability import Figures

from openai_assistants import AssistantsClient, BadRequestError, NotFoundError
from openai_assistants.resources._pagination import Page
from openai_assistants.testing import FakeAssistantsServer, RecordedRequest

pytestmark = pytest.mark.slow  # thousands of generated inputs

FIGURES = Figures("path_escape")

#: The fake server's (aiohttp's) request-line limit, in bytes.
REQUEST_LINE_LIMIT = 8190

#: What a percent-encoded path segment may consist of.
_ENCODED_SEGMENT = re.compile(r"(?:[A-Za-z0-9_.~-]|%[0-9A-F]{2})+")

#: The object each id names, as the API says it in "No <kind> found with id '...'".
_KINDS = {
    "assistant_id": "assistant",
    "thread_id": "thread",
    "message_id": "message",
    "run_id": "run",
    "step_id": "run step",
    "file_id": "file",
}


@attrs.frozen
class World:
    """A fake server with real objects, and a v2 and a v1 client (no retries)."""

    server: FakeAssistantsServer
    v2: AssistantsClient
    v1: AssistantsClient
    ids: dict[str, str]


@pytest.fixture
async def world() -> AsyncIterator[World]:
    async with (
        FakeAssistantsServer() as server,
        server.client(max_retries=0) as v2,
        server.client(max_retries=0, api_version="v1") as v1,
    ):
        assistant = await v2.assistants.create(model="gpt-4o", name="real")
        await v2.assistants.create(model="gpt-4o", name="decoy")
        thread = await v2.threads.create(
            messages=[{"role": "user", "content": "one"}, {"role": "user", "content": "two"}]
        )
        run = await v2.runs.create(thread.id, assistant_id=assistant.id)
        step = (await v2.run_steps.list(thread.id, run.id)).data[0]
        v1_message = await v1.messages.create(
            thread.id, role="user", content="with a file", file_ids=["file-msg"]
        )
        await v1.assistant_files.create(assistant.id, file_id="file-asst")
        ids = {
            "assistant_id": assistant.id,
            "thread_id": thread.id,
            "message_id": v1_message.id,
            "run_id": run.id,
            "step_id": step.id,
            "file_id": "file-asst",
        }
        yield World(server, v2, v1, ids)


# --- the id-taking operations ---------------------------------------------------------------------

Call = Callable[[AssistantsClient, dict[str, Any]], Awaitable[Any]]


@attrs.frozen
class Op:
    name: str
    method: str
    path: str  # the route, ids as {name}
    call: Call
    version: str = "v2"
    #: Query keys the request may carry, and ids that go into the query instead of the path.
    query: frozenset[str] = frozenset()

    @property
    def params(self) -> list[str]:
        return re.findall(r"\{(\w+)\}", self.path) + sorted(k for k in self.query if k in _KINDS)


async def _stream(c: AssistantsClient, i: dict[str, Any]) -> None:
    async with c.runs.stream(i["thread_id"], assistant_id=i["assistant_id"]) as stream:
        await stream.until_done()


A = "/v1/assistants/{assistant_id}"
T = "/v1/threads/{thread_id}"
M = T + "/messages/{message_id}"
R = T + "/runs/{run_id}"
OPS = [
    Op("assistants.retrieve", "GET", A, lambda c, i: c.assistants.retrieve(i["assistant_id"])),
    Op(
        "assistants.update",
        "POST",
        A,
        lambda c, i: c.assistants.update(i["assistant_id"], name="x"),
    ),
    Op("assistants.delete", "DELETE", A, lambda c, i: c.assistants.delete(i["assistant_id"])),
    Op("threads.retrieve", "GET", T, lambda c, i: c.threads.retrieve(i["thread_id"])),
    Op("threads.update", "POST", T, lambda c, i: c.threads.update(i["thread_id"], metadata={})),
    Op("threads.delete", "DELETE", T, lambda c, i: c.threads.delete(i["thread_id"])),
    Op(
        "messages.create",
        "POST",
        T + "/messages",
        lambda c, i: c.messages.create(i["thread_id"], role="user", content="x"),
    ),
    Op("messages.list", "GET", T + "/messages", lambda c, i: c.messages.list(i["thread_id"])),
    Op(
        "messages.list(run_id=)",
        "GET",
        T + "/messages",
        lambda c, i: c.messages.list(i["thread_id"], run_id=i["run_id"]),
        query=frozenset({"run_id"}),
    ),
    Op(
        "messages.retrieve",
        "GET",
        M,
        lambda c, i: c.messages.retrieve(i["thread_id"], i["message_id"]),
    ),
    Op(
        "messages.update",
        "POST",
        M,
        lambda c, i: c.messages.update(i["thread_id"], i["message_id"], metadata={}),
    ),
    Op(
        "messages.delete",
        "DELETE",
        M,
        lambda c, i: c.messages.delete(i["thread_id"], i["message_id"]),
    ),
    Op(
        "runs.create",
        "POST",
        T + "/runs",
        lambda c, i: c.runs.create(i["thread_id"], assistant_id=i["assistant_id"]),
    ),
    Op("runs.stream", "POST", T + "/runs", _stream),
    Op("runs.list", "GET", T + "/runs", lambda c, i: c.runs.list(i["thread_id"])),
    Op("runs.retrieve", "GET", R, lambda c, i: c.runs.retrieve(i["thread_id"], i["run_id"])),
    Op(
        "runs.update",
        "POST",
        R,
        lambda c, i: c.runs.update(i["thread_id"], i["run_id"], metadata={}),
    ),
    Op(
        "runs.cancel",
        "POST",
        R + "/cancel",
        lambda c, i: c.runs.cancel(i["thread_id"], i["run_id"]),
    ),
    Op(
        "runs.submit_tool_outputs",
        "POST",
        R + "/submit_tool_outputs",
        lambda c, i: c.runs.submit_tool_outputs(
            i["thread_id"], i["run_id"], tool_outputs=[{"tool_call_id": "call_1", "output": "x"}]
        ),
    ),
    Op(
        "run_steps.list",
        "GET",
        R + "/steps",
        lambda c, i: c.run_steps.list(i["thread_id"], i["run_id"]),
    ),
    Op(
        "run_steps.retrieve",
        "GET",
        R + "/steps/{step_id}",
        lambda c, i: c.run_steps.retrieve(i["thread_id"], i["run_id"], i["step_id"]),
    ),
    Op(
        "assistant_files.create",
        "POST",
        A + "/files",
        lambda c, i: c.assistant_files.create(i["assistant_id"], file_id="file-new"),
        "v1",
    ),
    Op(
        "assistant_files.list",
        "GET",
        A + "/files",
        lambda c, i: c.assistant_files.list(i["assistant_id"]),
        "v1",
    ),
    Op(
        "assistant_files.retrieve",
        "GET",
        A + "/files/{file_id}",
        lambda c, i: c.assistant_files.retrieve(i["assistant_id"], i["file_id"]),
        "v1",
    ),
    Op(
        "assistant_files.delete",
        "DELETE",
        A + "/files/{file_id}",
        lambda c, i: c.assistant_files.delete(i["assistant_id"], i["file_id"]),
        "v1",
    ),
    Op(
        "message_files.list",
        "GET",
        M + "/files",
        lambda c, i: c.message_files.list(i["thread_id"], i["message_id"]),
        "v1",
    ),
    Op(
        "message_files.retrieve",
        "GET",
        M + "/files/{file_id}",
        lambda c, i: c.message_files.retrieve(i["thread_id"], i["message_id"], i["file_id"]),
        "v1",
    ),
]
#: Every (operation, id position) pair.
TARGETS = [(op, param) for op in OPS for param in op.params]


def target(name: str, param: str) -> tuple[Op, str]:
    return next((op, p) for op, p in TARGETS if op.name == name and p == param)


# --- the check ------------------------------------------------------------------------------------


def _decoded(segment: str) -> str:
    assert _ENCODED_SEGMENT.fullmatch(segment), f"not one encoded segment: {segment!r}"
    return unquote_to_bytes(segment).decode("utf-8")


async def attempt(world: World, op: Op, param: str, crafted: Any) -> str:
    """Call ``op`` with ``crafted`` as ``param`` (real ids elsewhere); check where it went."""
    ids = {**world.ids, param: crafted}
    client = world.v1 if op.version == "v1" else world.v2
    requests = world.server.state.requests
    before = len(requests)
    error: Exception | None = None
    try:
        result = await op.call(client, ids)
    except (ValueError, TypeError, NotFoundError) as exc:
        error = exc
    sent = requests[before:]
    if isinstance(error, (ValueError, TypeError)):
        # Refused before sending, by the id check (not an encoder failing on the way out).
        assert not sent, f"{op.name} sent {[r.path for r in sent]}, then raised {error!r}"
        assert type(error) in (ValueError, TypeError), repr(error)
        assert str(error).startswith(param), repr(error)
        return type(error).__name__
    assert len(sent) == 1, [r.path for r in sent]
    check_request(op, ids, sent[0])
    if isinstance(error, NotFoundError):
        assert error.message.startswith(f"No {_KINDS[param]} found with id '{crafted}'"), error
        return "NotFoundError"
    # Only an id in the query may succeed: a filter that matches nothing.
    assert param in op.query, f"{op.name}({param}={crafted!r}) succeeded: {result!r}"
    assert isinstance(result, Page)
    assert result.data == []
    return "ok (filtered to nothing)"


def check_request(op: Op, ids: dict[str, Any], request: RecordedRequest) -> None:
    assert request.method == op.method
    route = op.path.split("/")
    sent = request.path.split("/")
    assert len(sent) == len(route), f"{request.path!r} does not have the segments of {op.path}"
    for expected, segment in zip(route, sent, strict=True):
        if expected.startswith("{"):
            assert _decoded(segment) == ids[expected[1:-1]], (segment, ids)
        else:
            assert segment == expected
    assert set(request.query) == op.query, request.query_string
    for key in op.query:
        assert request.query.getall(key) == [ids[key]]


# --- crafted ids, every operation -----------------------------------------------------------------


def crafted_ids(ids: dict[str, str]) -> list[Any]:
    """Ids made to escape, several built on the real ids so an escape would find them."""
    asst, thread, msg, run = ids["assistant_id"], ids["thread_id"], ids["message_id"], ids["run_id"]
    return [
        f"{asst}/../{asst}",
        f"x/../{asst}",
        f"../{asst}",
        f"{thread}/messages/{msg}",
        f"{thread}/runs/{run}/cancel",
        "..",
        ".",
        "./.",
        "...",
        "%2e%2e",
        "%2E%2E%2F",
        f"%2e%2e%2f{asst}",
        f"{asst}%2F..%2F{asst}",
        "%2F",
        "%00",
        "%",
        "%%%",
        "%25",
        f"{asst}?limit=1",
        f"{asst}#frag",
        "?",
        "#",
        f"{asst}\\..\\{asst}",
        "\\",
        f"{asst} ",
        " ",
        "a b",
        f"{asst}\n",
        "\r\nX-Injected: 1",
        "\t",
        "\x00",
        f"{asst}\x00",
        "\x7f\x01",
        "\u2028",
        "\u00a0",
        "\ufeff",
        "é",
        "日本語",
        "🎉",
        "\ud800",
        "{}",
        "{assistant_id}",
        "^`|<>\"'",
        ";a=b",
        "&after=x",
        "+",
        "~",
        ":",
        "@",
        "x" * 4000,
        "",
        None,
        42,
        b"asst",
        ["asst"],
    ]


async def test_crafted_ids_stay_in_their_segment_for_every_operation(world: World) -> None:
    for op, param in TARGETS:
        for crafted in crafted_ids(world.ids):
            FIGURES.count("crafted_ids", await attempt(world, op, param, crafted))


async def test_an_id_too_long_for_a_request_line_reaches_no_endpoint(world: World) -> None:
    """By design the SDK does not cap id length (servers differ); a request line past the
    server's limit is refused whole by its HTTP parser, before any route sees it."""
    crafted = world.ids["assistant_id"] + "/.." + "x" * REQUEST_LINE_LIMIT
    with pytest.raises(ValueError, match="not a valid id"):
        await world.v2.assistants.retrieve(crafted)
    before = len(world.server.state.requests)
    with pytest.raises(BadRequestError):
        await world.v2.assistants.retrieve("x" * REQUEST_LINE_LIMIT)
    assert len(world.server.state.requests) == before  # no endpoint was reached


# --- generated ids --------------------------------------------------------------------------------

_DANGEROUS = st.sampled_from([*"/\\?#%.;&=+ \t\n\r\x00{}~:@", "%2e", "%2f", "%2F", ".."])
IDS = st.one_of(
    st.text(),
    st.lists(_DANGEROUS | st.characters() | st.sampled_from(["asst_", "thread_", "msg_"])).map(
        "".join
    ),
    st.text(st.characters(codec="utf-8"), min_size=100, max_size=1000),
)


# One fake server and its objects are shared by all examples on purpose (a function-scoped fixture).
@settings(settings.get_profile("shared-fixture"), max_examples=300)
@given(target=st.sampled_from(TARGETS), crafted=IDS)
@example(target=target("assistants.retrieve", "assistant_id"), crafted="^`{}")  # fake's router
@example(target=target("messages.list(run_id=)", "run_id"), crafted="\ud800")  # dropped by yarl
async def test_generated_ids_stay_in_their_segment(
    world: World, target: tuple[Op, str], crafted: Any
) -> None:
    op, param = target
    FIGURES.count("generated_ids", await attempt(world, op, param, crafted))
