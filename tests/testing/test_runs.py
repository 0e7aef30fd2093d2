"""Run simulation: clocks, scripts, tool calls, terminal states, steps and usage."""

from __future__ import annotations

from typing import Any

import pytest
from support import eventually

from openai_assistants.testing import (
    FakeAssistantsServer,
    FileSearchHit,
    ReplyContext,
    RunScript,
    ToolCallSpec,
)

from .spec_client import SpecClient

JSONDict = dict[str, Any]


@pytest.fixture
def setup(server: FakeAssistantsServer) -> tuple[str, str]:
    """An assistant and a thread whose last user message is 'What is the weather?'."""
    assistant = server.factories.assistant(name="Helper", instructions="Be brief.")
    thread = server.factories.thread(messages=["Hello", "What is the weather?"])
    return assistant["id"], thread["id"]


async def _create(api: SpecClient, thread_id: str, assistant_id: str, **extra: Any) -> JSONDict:
    reply = await api.post(f"/threads/{thread_id}/runs", {"assistant_id": assistant_id, **extra})
    assert reply.status == 200, reply
    body: JSONDict = reply.body
    return body


async def _get(api: SpecClient, run: JSONDict) -> JSONDict:
    reply = await api.get(f"/threads/{run['thread_id']}/runs/{run['id']}")
    body: JSONDict = reply.body
    return body


async def _texts(api: SpecClient, thread_id: str) -> list[str]:
    reply = await api.get(f"/threads/{thread_id}/messages", params={"order": "asc"})
    return [m["content"][0]["text"]["value"] for m in reply.body["data"]]


async def test_instant_run_replies_with_the_last_user_message(
    api: SpecClient, setup: tuple[str, str]
) -> None:
    assistant_id, thread_id = setup
    run = await _create(api, thread_id, assistant_id)
    assert run["status"] == "queued"
    assert run["id"].startswith("run_")
    assert run["instructions"] == "Be brief."
    assert run["expires_at"] == run["created_at"] + 600
    done = await _get(api, run)
    assert done["status"] == "completed"
    assert done["completed_at"] is not None
    assert done["expires_at"] is None
    assert done["usage"]["completion_tokens"] == 6
    assert done["usage"]["total_tokens"] == sum(
        done["usage"][k] for k in ("prompt_tokens", "completion_tokens")
    )
    assert (await _texts(api, thread_id))[-1] == "You said: What is the weather?"

    steps = await api.get(f"/threads/{thread_id}/runs/{run['id']}/steps")
    [step] = steps.body["data"]
    assert step["id"].startswith("step_")
    assert step["type"] == "message_creation"
    assert step["status"] == "completed"
    assert step["usage"]["completion_tokens"] == 6
    one = await api.get(f"/threads/{thread_id}/runs/{run['id']}/steps/{step['id']}")
    assert one.body == step
    listed = await api.get(f"/threads/{thread_id}/runs")
    assert [r["id"] for r in listed.body["data"]] == [run["id"]]


async def test_per_poll_clock_moves_one_step_per_get(
    api: SpecClient, server: FakeAssistantsServer, setup: tuple[str, str]
) -> None:
    server.clock = "per_poll"
    assistant_id, thread_id = setup
    run = await _create(api, thread_id, assistant_id)
    assert (await _get(api, run))["status"] == "in_progress"
    mid = await _get(api, run)
    assert mid["status"] == "in_progress"
    assert (await _texts(api, thread_id))[-1] == "You said: What is the weather?"
    assert (await _get(api, run))["status"] == "completed"
    assert (await _get(api, run))["status"] == "completed"


async def test_real_clock_moves_on_its_own() -> None:
    async with FakeAssistantsServer(clock="real", step_delay=0.01) as server:
        assistant = server.factories.assistant()
        thread = server.factories.thread(messages=["hi"])
        run_id = server.factories.run(thread["id"], assistant["id"], finish=False)["id"]
        server.state.drive(server.state.simulations[run_id])

        def status() -> str:
            run = server.store.runs(thread["id"]).get(run_id)
            assert run is not None
            return str(run["status"])

        await eventually(lambda: status() == "completed", what="the run completed on its own")
        assert status() == "completed"


async def test_tool_calls_then_reply_quoting_outputs(
    api: SpecClient, server: FakeAssistantsServer, setup: tuple[str, str]
) -> None:
    assistant_id, thread_id = setup
    server.script(
        RunScript.call_tools(
            ToolCallSpec("get_weather", {"city": "Paris"}), ToolCallSpec("get_time", "{}")
        ).then_reply()
    )
    run = await _create(api, thread_id, assistant_id)
    waiting = await _get(api, run)
    assert waiting["status"] == "requires_action"
    calls = waiting["required_action"]["submit_tool_outputs"]["tool_calls"]
    assert [(c["function"]["name"], c["function"]["arguments"]) for c in calls] == [
        ("get_weather", '{"city": "Paris"}'),
        ("get_time", "{}"),
    ]
    path = f"/threads/{thread_id}/runs/{run['id']}/submit_tool_outputs"
    wrong = await api.post(
        path, {"tool_outputs": [{"tool_call_id": calls[0]["id"], "output": "x"}]}
    )
    assert wrong.status == 400
    assert wrong.error["message"].startswith("Expected tool outputs for call_ids")
    submitted = await api.post(
        path,
        {
            "tool_outputs": [
                {"tool_call_id": calls[0]["id"], "output": "22C"},
                {"tool_call_id": calls[1]["id"], "output": "noon"},
            ]
        },
    )
    assert submitted.status == 200
    assert submitted.body["status"] == "queued"
    assert submitted.body["required_action"] is None
    assert (await _get(api, run))["status"] == "completed"
    assert (await _texts(api, thread_id))[-1] == "Tool results: get_weather: 22C; get_time: noon"
    steps = await api.get(f"/threads/{thread_id}/runs/{run['id']}/steps", params={"order": "asc"})
    tool_step, message_step = steps.body["data"]
    assert tool_step["type"] == "tool_calls"
    assert tool_step["step_details"]["tool_calls"][0]["function"]["output"] == "22C"
    assert message_step["type"] == "message_creation"
    again = await api.post(path, {"tool_outputs": []})
    assert again.status == 400
    assert again.error["message"] == 'Runs in status "completed" do not accept tool outputs.'


async def test_reply_callable_and_script_callable(
    api: SpecClient, server: FakeAssistantsServer, setup: tuple[str, str]
) -> None:
    assistant_id, thread_id = setup

    def shout(context: ReplyContext) -> str:
        return (context.last_user_text or "").upper()

    server.script(RunScript.reply(shout), lambda messages: f"{len(messages)} messages")
    await _create(api, thread_id, assistant_id)
    assert (await _texts(api, thread_id))[-1] == "WHAT IS THE WEATHER?"
    await _create(api, thread_id, assistant_id)
    assert (await _texts(api, thread_id))[-1] == "3 messages"


@pytest.mark.parametrize(
    ("script", "status", "fields"),
    [
        (
            RunScript.fail(code="rate_limit_exceeded", message="Slow down"),
            "failed",
            {"last_error": {"code": "rate_limit_exceeded", "message": "Slow down"}},
        ),
        (
            RunScript.incomplete(reason="max_prompt_tokens"),
            "incomplete",
            {"incomplete_details": {"reason": "max_prompt_tokens"}},
        ),
        (RunScript.expire(), "expired", {"last_error": None}),
    ],
)
async def test_terminal_scripts(
    api: SpecClient,
    server: FakeAssistantsServer,
    setup: tuple[str, str],
    script: RunScript,
    status: str,
    fields: JSONDict,
) -> None:
    assistant_id, thread_id = setup
    server.script(script)
    run = await _get(api, await _create(api, thread_id, assistant_id))
    assert run["status"] == status
    for key, value in fields.items():
        assert run[key] == value
    if status == "failed":
        assert run["failed_at"] is not None


async def test_incomplete_leaves_an_incomplete_partial_message(
    api: SpecClient, server: FakeAssistantsServer, setup: tuple[str, str]
) -> None:
    assistant_id, thread_id = setup
    server.script(RunScript.incomplete(text="Partial answer"))
    await _create(api, thread_id, assistant_id)
    newest = (await api.get(f"/threads/{thread_id}/messages", params={"limit": 1})).body["data"][0]
    assert newest["status"] == "incomplete"
    assert newest["incomplete_details"] == {"reason": "max_tokens"}
    assert newest["content"][0]["text"]["value"] == "Partial answer"


async def test_cancel_goes_through_cancelling(
    api: SpecClient, server: FakeAssistantsServer, setup: tuple[str, str]
) -> None:
    server.clock = "per_poll"
    assistant_id, thread_id = setup
    server.script(RunScript.call_tools(ToolCallSpec("f")).then_reply())
    run = await _create(api, thread_id, assistant_id)
    await _get(api, run)  # in_progress
    assert (await _get(api, run))["status"] == "requires_action"
    cancelling = await api.post(f"/threads/{thread_id}/runs/{run['id']}/cancel")
    assert cancelling.body["status"] == "cancelling"
    cancelled = await _get(api, run)
    assert cancelled["status"] == "cancelled"
    assert cancelled["cancelled_at"] is not None
    assert cancelled["required_action"] is None
    steps = await api.get(f"/threads/{thread_id}/runs/{run['id']}/steps")
    assert steps.body["data"][0]["status"] == "cancelled"
    again = await api.post(f"/threads/{thread_id}/runs/{run['id']}/cancel")
    assert again.status == 400
    assert again.error["message"] == "Cannot cancel run with status 'cancelled'."


async def test_one_active_run_per_thread(
    api: SpecClient, server: FakeAssistantsServer, setup: tuple[str, str]
) -> None:
    server.clock = "per_poll"
    assistant_id, thread_id = setup
    run = await _create(api, thread_id, assistant_id)
    second = await api.post(f"/threads/{thread_id}/runs", {"assistant_id": assistant_id})
    assert second.status == 400
    assert second.error["message"] == f"Thread {thread_id} already has an active run {run['id']}."
    message = await api.post(f"/threads/{thread_id}/messages", {"role": "user", "content": "x"})
    assert message.status == 400
    assert message.error["message"] == (
        f"Can't add messages to {thread_id} while a run {run['id']} is active."
    )


async def test_code_interpreter_and_file_search_steps(
    api: SpecClient, server: FakeAssistantsServer, setup: tuple[str, str]
) -> None:
    assistant_id, thread_id = setup
    server.script(
        RunScript.code_interpreter("print(6*7)", logs="42")
        .then_file_search(FileSearchHit("file-1", "notes.txt", 0.9, "the answer"))
        .then_reply("It is 42.")
    )
    run = await _create(api, thread_id, assistant_id)
    path = f"/threads/{thread_id}/runs/{run['id']}/steps"
    steps = (await api.get(path, params={"order": "asc"})).body["data"]
    code = steps[0]["step_details"]["tool_calls"][0]
    assert code["code_interpreter"] == {
        "input": "print(6*7)",
        "outputs": [{"type": "logs", "logs": "42"}],
    }
    search = steps[1]["step_details"]["tool_calls"][0]
    assert search["file_search"]["results"] == [
        {"file_id": "file-1", "file_name": "notes.txt", "score": 0.9}
    ]
    included = await api.get(
        f"{path}/{steps[1]['id']}",
        params={"include[]": "step_details.tool_calls[*].file_search.results[*].content"},
    )
    assert included.body["step_details"]["tool_calls"][0]["file_search"]["results"][0][
        "content"
    ] == [{"type": "text", "text": "the answer"}]
    v1 = await api.get(f"{path}/{steps[1]['id']}", version="v1")
    assert v1.body["step_details"]["tool_calls"][0] == {
        "id": search["id"],
        "type": "retrieval",
        "retrieval": {},
    }
    bad = await api.get(path, params={"include[]": "everything"})
    assert bad.status == 400
    assert bad.error["param"] == "include[]"
    v1_include = await api.get(
        path,
        version="v1",
        params={"include[]": "step_details.tool_calls[*].file_search.results[*].content"},
    )
    assert v1_include.status == 400
    assert v1_include.error["code"] == "unknown_parameter"


async def test_run_options_and_additional_messages(
    api: SpecClient, server: FakeAssistantsServer, setup: tuple[str, str]
) -> None:
    assistant_id, thread_id = setup
    run = await _create(
        api,
        thread_id,
        assistant_id,
        model="gpt-4.1",
        additional_instructions="Use metric units.",
        additional_messages=[{"role": "user", "content": "And tomorrow?"}],
        tool_choice="none",
        metadata={"case": "1"},
        max_completion_tokens=500,
    )
    assert run["model"] == "gpt-4.1"
    assert run["instructions"] == "Be brief.\nUse metric units."
    assert run["tool_choice"] == "none"
    assert run["max_completion_tokens"] == 500
    assert (await _texts(api, thread_id))[-2:] == ["And tomorrow?", "You said: And tomorrow?"]
    modified = await api.post(f"/threads/{thread_id}/runs/{run['id']}", {"metadata": {"k": "v"}})
    assert modified.body["metadata"] == {"k": "v"}
    v1 = await api.get(f"/threads/{thread_id}/runs/{run['id']}", version="v1")
    assert v1.body["file_ids"] == []
    assert "parallel_tool_calls" not in v1.body


async def test_create_thread_and_run(api: SpecClient, server: FakeAssistantsServer) -> None:
    assistant = server.factories.assistant()
    reply = await api.post(
        "/threads/runs",
        {
            "assistant_id": assistant["id"],
            "thread": {"messages": [{"role": "user", "content": "Ping"}]},
        },
    )
    run = reply.body
    assert run["status"] == "queued"
    assert (await _texts(api, run["thread_id"])) == ["Ping", "You said: Ping"]


async def test_unknown_assistant_for_a_run(api: SpecClient, setup: tuple[str, str]) -> None:
    _, thread_id = setup
    reply = await api.post(f"/threads/{thread_id}/runs", {"assistant_id": "asst_nope"})
    assert reply.status == 404
    assert reply.error["message"] == "No assistant found with id 'asst_nope'."
    missing = await api.get(f"/threads/{thread_id}/runs/run_nope")
    assert missing.error["message"] == "No run found with id 'run_nope'."
    step = await api.get(f"/threads/{thread_id}/runs/run_nope/steps/step_x")
    assert step.status == 404


async def test_poll_after_header_is_configurable_between_polls(
    api: SpecClient, server: FakeAssistantsServer, setup: tuple[str, str]
) -> None:
    server.clock = "per_poll"
    assistant_id, thread_id = setup
    run_reply = await api.post(f"/threads/{thread_id}/runs", {"assistant_id": assistant_id})
    assert run_reply.headers["openai-poll-after-ms"] == "10"
    server.poll_after_ms = 250
    path = f"/threads/{thread_id}/runs/{run_reply.body['id']}"
    assert (await api.get(path)).headers["openai-poll-after-ms"] == "250"
    server.poll_after_ms = None
    assert "openai-poll-after-ms" not in (await api.get(path)).headers
    server.script(RunScript.reply("x").with_poll_after_ms(5))
    await api.get(path)  # finish the first run
    second = await api.post(f"/threads/{thread_id}/runs", {"assistant_id": assistant_id})
    assert second.headers["openai-poll-after-ms"] == "5"


def test_terminal_phase_must_be_last() -> None:
    with pytest.raises(ValueError, match="Fail must be the last phase"):
        RunScript.fail().then_reply()


async def test_v1_runs_end_to_end(api: SpecClient, server: FakeAssistantsServer) -> None:
    assistant = (
        await api.post(
            "/assistants",
            {"model": "gpt-4", "tools": [{"type": "retrieval"}], "file_ids": ["file-1"]},
            version="v1",
        )
    ).body
    server.script(RunScript.call_tools(ToolCallSpec("f", {"x": 1})).then_reply("done"))
    created = await api.post(
        "/threads/runs",
        {
            "assistant_id": assistant["id"],
            "thread": {"messages": [{"role": "user", "content": "go"}]},
        },
        version="v1",
    )
    run = created.body
    assert run["file_ids"] == ["file-1"]
    assert run["tools"] == [{"type": "retrieval"}]
    thread_id = run["thread_id"]
    waiting = await api.get(f"/threads/{thread_id}/runs/{run['id']}", version="v1")
    [call] = waiting.body["required_action"]["submit_tool_outputs"]["tool_calls"]
    streamed = await api.post(
        f"/threads/{thread_id}/runs/{run['id']}/submit_tool_outputs",
        {"tool_outputs": [{"tool_call_id": call["id"], "output": "1"}], "stream": True},
        version="v1",
    )
    assert streamed.events[-2][0] == "thread.run.completed"
    listed = await api.get(f"/threads/{thread_id}/runs", version="v1")
    assert [r["status"] for r in listed.body["data"]] == ["completed"]
    steps = await api.get(f"/threads/{thread_id}/runs/{run['id']}/steps", version="v1")
    assert [s["type"] for s in steps.body["data"]] == ["message_creation", "tool_calls"]
    server.clock = "per_poll"
    second = await api.post(
        f"/threads/{thread_id}/runs", {"assistant_id": assistant["id"]}, version="v1"
    )
    cancelling = await api.post(
        f"/threads/{thread_id}/runs/{second.body['id']}/cancel", version="v1"
    )
    assert cancelling.body["status"] == "cancelling"
    final = await api.get(f"/threads/{thread_id}/runs/{second.body['id']}", version="v1")
    assert final.body["status"] == "cancelled"
