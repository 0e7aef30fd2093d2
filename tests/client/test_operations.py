"""Every operation's exact request: method, path, query, headers and body (aioresponses)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from aioresponses import aioresponses
from support import KEY
from support.recorder import record

from openai_assistants import (
    NOT_GIVEN,
    AssistantsClient,
    UnsupportedError,
)
from openai_assistants.models import (
    Assistant,
    AssistantFile,
    CodeInterpreterTool,
    DeletionStatus,
    FunctionDefinition,
    FunctionTool,
    Message,
    MessageFile,
    MessageParam,
    Run,
    RunStep,
    Thread,
    ThreadParam,
    ToolOutput,
    TruncationStrategy,
)

# Carries the required fields of every object type (unknown keys are ignored by the models).
OBJ = {
    "id": "obj_1",
    "object": "x",
    "created_at": 1,
    "thread_id": "thread_1",
    "assistant_id": "asst_1",
    "run_id": "run_1",
    "status": "completed",
    "role": "user",
    "type": "message_creation",
}
DELETED = {"id": "obj_1", "object": "x.deleted", "deleted": True}
LIST = {"object": "list", "data": [OBJ], "first_id": "obj_1", "last_id": "obj_1", "has_more": False}
INCLUDE = "step_details.tool_calls[*].file_search.results[*].content"

Call = Callable[[AssistantsClient], Awaitable[Any]]


async def first(pager: Any) -> Any:
    return await pager.to_list()


# operationId, version, call, method, path, query, body, result type
CASES: list[tuple[str, str, Call, str, str, list[tuple[str, str]], Any, Any]] = [
    (
        "createAssistant", "v2",
        lambda c: c.assistants.create(model="gpt-4o", name="x", tools=[{"type": "code_interpreter"}]),
        "POST", "/v1/assistants", [],
        {"model": "gpt-4o", "name": "x", "tools": [{"type": "code_interpreter"}]}, Assistant,
    ),
    (
        "listAssistants", "v2",
        lambda c: first(c.assistants.list(limit=5, order="asc", after="asst_0")),
        "GET", "/v1/assistants", [("limit", "5"), ("order", "asc"), ("after", "asst_0")], None, list,
    ),
    ("getAssistant", "v2", lambda c: c.assistants.retrieve("asst_1"), "GET", "/v1/assistants/asst_1", [], None, Assistant),
    (
        "modifyAssistant", "v2",
        lambda c: c.assistants.update("asst_1", name="y", instructions=None),
        "POST", "/v1/assistants/asst_1", [], {"name": "y", "instructions": None}, Assistant,
    ),
    ("deleteAssistant", "v2", lambda c: c.assistants.delete("asst_1"), "DELETE", "/v1/assistants/asst_1", [], None, DeletionStatus),
    (
        "createThread", "v2",
        lambda c: c.threads.create(messages=[{"role": "user", "content": "hi"}], metadata={"k": "v"}),
        "POST", "/v1/threads", [],
        {"messages": [{"role": "user", "content": "hi"}], "metadata": {"k": "v"}}, Thread,
    ),
    ("getThread", "v2", lambda c: c.threads.retrieve("thread_1"), "GET", "/v1/threads/thread_1", [], None, Thread),
    (
        "modifyThread", "v2", lambda c: c.threads.update("thread_1", metadata=None),
        "POST", "/v1/threads/thread_1", [], {"metadata": None}, Thread,
    ),
    ("deleteThread", "v2", lambda c: c.threads.delete("thread_1"), "DELETE", "/v1/threads/thread_1", [], None, DeletionStatus),
    (
        "createThreadAndRun", "v2",
        lambda c: c.threads.create_and_run(
            assistant_id="asst_1",
            thread=ThreadParam(messages=[MessageParam(role="user", content="hi")]),
            tool_choice="auto",
            truncation_strategy=TruncationStrategy(type="last_messages", last_messages=3),
        ),
        "POST", "/v1/threads/runs", [],
        {
            "assistant_id": "asst_1",
            "thread": {"messages": [{"role": "user", "content": "hi"}]},
            "tool_choice": "auto",
            "truncation_strategy": {"type": "last_messages", "last_messages": 3},
        },
        Run,
    ),
    (
        "createMessage", "v2",
        lambda c: c.messages.create("thread_1", role="user", content=[{"type": "text", "text": "hello"}]),
        "POST", "/v1/threads/thread_1/messages", [],
        {"role": "user", "content": [{"type": "text", "text": "hello"}]}, Message,
    ),
    (
        "listMessages", "v2",
        lambda c: first(c.messages.list("thread_1", order="asc", run_id="run_1")),
        "GET", "/v1/threads/thread_1/messages", [("order", "asc"), ("run_id", "run_1")], None, list,
    ),
    ("getMessage", "v2", lambda c: c.messages.retrieve("thread_1", "msg_1"), "GET", "/v1/threads/thread_1/messages/msg_1", [], None, Message),
    (
        "modifyMessage", "v2", lambda c: c.messages.update("thread_1", "msg_1", metadata={"a": "b"}),
        "POST", "/v1/threads/thread_1/messages/msg_1", [], {"metadata": {"a": "b"}}, Message,
    ),
    ("deleteMessage", "v2", lambda c: c.messages.delete("thread_1", "msg_1"), "DELETE", "/v1/threads/thread_1/messages/msg_1", [], None, DeletionStatus),
    (
        "createRun", "v2",
        lambda c: c.runs.create(
            "thread_1",
            assistant_id="asst_1",
            include=[INCLUDE],
            tools=[FunctionTool(function=FunctionDefinition(name="f")), CodeInterpreterTool()],
            parallel_tool_calls=False,
            temperature=None,
        ),
        "POST", "/v1/threads/thread_1/runs", [("include[]", INCLUDE)],
        {
            "assistant_id": "asst_1",
            "tools": [{"type": "function", "function": {"name": "f"}}, {"type": "code_interpreter"}],
            "parallel_tool_calls": False,
            "temperature": None,
        },
        Run,
    ),
    (
        "listRuns", "v2", lambda c: first(c.runs.list("thread_1", before="run_9", limit=2)),
        "GET", "/v1/threads/thread_1/runs", [("limit", "2"), ("before", "run_9")], None, list,
    ),
    ("getRun", "v2", lambda c: c.runs.retrieve("thread_1", "run_1"), "GET", "/v1/threads/thread_1/runs/run_1", [], None, Run),
    (
        "modifyRun", "v2", lambda c: c.runs.update("thread_1", "run_1", metadata={"x": "1"}),
        "POST", "/v1/threads/thread_1/runs/run_1", [], {"metadata": {"x": "1"}}, Run,
    ),
    ("cancelRun", "v2", lambda c: c.runs.cancel("thread_1", "run_1"), "POST", "/v1/threads/thread_1/runs/run_1/cancel", [], None, Run),
    (
        "submitToolOuputsToRun", "v2",
        lambda c: c.runs.submit_tool_outputs(
            "thread_1", "run_1",
            tool_outputs=[ToolOutput(tool_call_id="call_1", output="42"), {"tool_call_id": "call_2", "output": "x"}],
        ),
        "POST", "/v1/threads/thread_1/runs/run_1/submit_tool_outputs", [],
        {"tool_outputs": [{"tool_call_id": "call_1", "output": "42"}, {"tool_call_id": "call_2", "output": "x"}]},
        Run,
    ),
    (
        "listRunSteps", "v2", lambda c: first(c.run_steps.list("thread_1", "run_1", include=[INCLUDE])),
        "GET", "/v1/threads/thread_1/runs/run_1/steps", [("include[]", INCLUDE)], None, list,
    ),
    (
        "getRunStep", "v2", lambda c: c.run_steps.retrieve("thread_1", "run_1", "step_1", include=[INCLUDE]),
        "GET", "/v1/threads/thread_1/runs/run_1/steps/step_1", [("include[]", INCLUDE)], None, RunStep,
    ),
    (
        "createAssistantFile", "v1", lambda c: c.assistant_files.create("asst_1", file_id="file-abc"),
        "POST", "/v1/assistants/asst_1/files", [], {"file_id": "file-abc"}, AssistantFile,
    ),
    (
        "listAssistantFiles", "v1", lambda c: first(c.assistant_files.list("asst_1", order="desc")),
        "GET", "/v1/assistants/asst_1/files", [("order", "desc")], None, list,
    ),
    ("getAssistantFile", "v1", lambda c: c.assistant_files.retrieve("asst_1", "file-abc"), "GET", "/v1/assistants/asst_1/files/file-abc", [], None, AssistantFile),
    ("deleteAssistantFile", "v1", lambda c: c.assistant_files.delete("asst_1", "file-abc"), "DELETE", "/v1/assistants/asst_1/files/file-abc", [], None, DeletionStatus),
    (
        "listMessageFiles", "v1", lambda c: first(c.message_files.list("thread_1", "msg_1")),
        "GET", "/v1/threads/thread_1/messages/msg_1/files", [], None, list,
    ),
    (
        "getMessageFile", "v1", lambda c: c.message_files.retrieve("thread_1", "msg_1", "file-abc"),
        "GET", "/v1/threads/thread_1/messages/msg_1/files/file-abc", [], None, MessageFile,
    ),
]  # fmt: skip


def test_the_table_covers_all_29_operations() -> None:
    assert len({case[0] for case in CASES}) == 29


@pytest.mark.parametrize(
    ("op", "version", "call", "method", "path", "query", "body", "result"),
    CASES,
    ids=[case[0] for case in CASES],
)
async def test_request_shape(
    mocked: aioresponses,
    no_sleep: list[float],
    op: str,
    version: str,
    call: Call,
    method: str,
    path: str,
    query: list[tuple[str, str]],
    body: Any,
    result: Any,
) -> None:
    payload = LIST if result is list else DELETED if result is DeletionStatus else OBJ
    sent = record(mocked, method, payload)
    async with AssistantsClient(
        api_key=KEY,
        base_url="http://api.test/v1",
        api_version=version,  # type: ignore[arg-type]
    ) as c:
        out = await call(c)
    assert len(sent) == 1
    request = sent[0]
    assert request.path == path
    assert sorted(request.query) == sorted(query)
    assert request.body == body
    assert request.headers["OpenAI-Beta"] == f"assistants={version}"
    assert request.headers["Authorization"] == f"Bearer {KEY}"
    assert ("Idempotency-Key" in request.headers) is (method != "GET")
    assert ("Content-Type" in request.headers) is (body is not None)
    if result is list:
        assert [item.id for item in out] == ["obj_1"]
    else:
        assert isinstance(out, result)
        assert out.id == "obj_1"


async def test_not_given_is_left_out_and_none_is_sent_as_null(
    mocked: aioresponses, client: AssistantsClient
) -> None:
    sent = record(mocked, "POST", OBJ)
    await client.assistants.update("asst_1", description=None, name=NOT_GIVEN)
    assert sent[0].body == {"description": None}


@pytest.mark.parametrize(
    ("call", "what"),
    [
        (lambda c: c.assistant_files.create("asst_1", file_id="f"), "assistant_files.create"),
        (lambda c: c.assistant_files.retrieve("asst_1", "f"), "assistant_files.retrieve"),
        (lambda c: c.assistant_files.delete("asst_1", "f"), "assistant_files.delete"),
        (lambda c: first(c.assistant_files.list("asst_1")), "assistant_files.list"),
        (lambda c: c.message_files.retrieve("t", "m", "f"), "message_files.retrieve"),
        (lambda c: first(c.message_files.list("t", "m")), "message_files.list"),
        (lambda c: c.assistants.create(model="m", file_ids=["f"]), "'file_ids'"),
    ],
)
async def test_v1_only_on_a_v2_client_fails_before_sending(
    mocked: aioresponses, client: AssistantsClient, call: Call, what: str
) -> None:
    with pytest.raises(UnsupportedError, match=what):
        await call(client)
    assert not mocked.requests


@pytest.mark.parametrize(
    ("call", "what"),
    [
        (lambda c: c.messages.delete("t", "m"), "messages.delete"),
        (lambda c: c.runs.create("t", assistant_id="a", include=[INCLUDE]), "'include'"),
        (lambda c: first(c.run_steps.list("t", "r", include=[INCLUDE])), "'include'"),
        (lambda c: c.run_steps.retrieve("t", "r", "s", include=[INCLUDE]), "'include'"),
        (lambda c: c.threads.create(tool_resources={}), "'tool_resources'"),
        (lambda c: c.messages.create("t", role="user", content="x", attachments=[]), "attachments"),
        (lambda c: c.runs.create("t", assistant_id="a", parallel_tool_calls=True), "parallel"),
    ],
)
async def test_v2_only_on_a_v1_client_fails_before_sending(
    mocked: aioresponses, client_v1: AssistantsClient, call: Call, what: str
) -> None:
    with pytest.raises(UnsupportedError, match=what):
        await call(client_v1)
    assert not mocked.requests


async def test_unsupported_error_is_a_value_error(client_v1: AssistantsClient) -> None:
    with pytest.raises(ValueError, match="v2"):
        await client_v1.messages.delete("t", "m")


@pytest.mark.parametrize(
    ("call", "exc", "message"),
    [
        (lambda c: c.assistants.retrieve(""), ValueError, "assistant_id must not be empty"),
        (lambda c: c.assistants.retrieve("a/b"), ValueError, "assistant_id"),
        (lambda c: c.threads.retrieve("t?x=1"), ValueError, "thread_id"),
        (lambda c: c.messages.retrieve("t", "m#frag"), ValueError, "message_id"),
        (lambda c: c.runs.retrieve("t", ".."), ValueError, "run_id"),
        (lambda c: c.runs.retrieve("t", "r un"), ValueError, "run_id"),
        (lambda c: c.threads.retrieve(42), TypeError, "thread_id must be a str"),
        (lambda c: first(c.messages.list("t", limit=0)), ValueError, "between 1 and 100"),
        (lambda c: first(c.messages.list("t", limit=500)), ValueError, "between 1 and 100"),
        (lambda c: first(c.messages.list("t", order="newest")), ValueError, "'asc' or 'desc'"),
        (lambda c: first(c.messages.list("t", run_id="r/1")), ValueError, "run_id"),
        (lambda c: first(c.runs.list("t", after="a", before="b")), ValueError, "not both"),
        (lambda c: c.assistants.create(model=4), TypeError, "model must be str"),
        (lambda c: c.assistants.create(model="m", temperature="hot"), TypeError, "temperature"),
        (
            lambda c: c.assistants.create(model="m", tools={"type": "code_interpreter"}),
            TypeError,
            "tools must be a list",
        ),
        (
            lambda c: c.assistants.create(
                model="m", tools=[{"type": "function", "function": {"name": 3}}]
            ),
            TypeError,
            r"tools\[0\]",
        ),
        (lambda c: c.assistants.create(model="m", metadata={"k": 1}), TypeError, "metadata"),
        (lambda c: c.threads.create(messages="hi"), TypeError, "messages must be a list"),
        (
            lambda c: c.runs.create("t", assistant_id="a", parallel_tool_calls="yes"),
            TypeError,
            "parallel_tool_calls",
        ),
        (
            lambda c: c.runs.submit_tool_outputs("t", "r", tool_outputs=[{"tool_call_id": 1}]),
            TypeError,
            "tool_outputs",
        ),
        (lambda c: c.runs.create("t", assistant_id="a", include="x"), TypeError, "include"),
    ],
)
async def test_bad_input_fails_before_any_request(
    mocked: aioresponses,
    client: AssistantsClient,
    call: Call,
    exc: type[Exception],
    message: str,
) -> None:
    with pytest.raises(exc, match=message):
        await call(client)
    assert not mocked.requests


async def test_unknown_tool_types_in_dicts_are_passed_through(
    mocked: aioresponses, client: AssistantsClient
) -> None:
    sent = record(mocked, "POST", OBJ)
    tool = {"type": "web_search", "web_search": {"depth": 2}}
    await client.assistants.create(model="m", tools=[tool])
    assert sent[0].body == {"model": "m", "tools": [tool]}


async def test_path_segments_are_percent_encoded(
    mocked: aioresponses, client: AssistantsClient
) -> None:
    sent = record(mocked, "GET", OBJ)
    await client.threads.retrieve("thr%2e%2e")
    await client.threads.retrieve("thrö")
    assert [s.path for s in sent] == ["/v1/threads/thr%252e%252e", "/v1/threads/thr%C3%B6"]
