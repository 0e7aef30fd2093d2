"""Runs that use files: file_search steps cite the files attached to the assistant's or the
thread's vector stores, and code_interpreter steps name stored files (output images, files
cited by ``file_path`` annotations). Every exchange is checked against the spec."""

from __future__ import annotations

from typing import Any

import aiohttp

from openai_assistants.testing import (
    FakeAssistantsServer,
    FileSearchHit,
    GeneratedFile,
    RunScript,
)

from .spec_client import SpecClient

JSONDict = dict[str, Any]

ORBITS = "Mercury orbits the Sun every 88 days. Venus takes 225 days."
RECIPES = "Bake the bread at 220 degrees for 30 minutes."


async def run_to_end(api: SpecClient, thread_id: str, assistant_id: str, **extra: Any) -> JSONDict:
    created = await api.post(f"/threads/{thread_id}/runs", {"assistant_id": assistant_id, **extra})
    assert created.status == 200, created
    done = await api.get(f"/threads/{thread_id}/runs/{created.body['id']}")
    assert done.body["status"] == "completed", done
    body: JSONDict = done.body
    return body


async def steps(api: SpecClient, run: JSONDict, **params: str) -> list[JSONDict]:
    reply = await api.get(
        f"/threads/{run['thread_id']}/runs/{run['id']}/steps",
        params={"order": "asc", **params},
    )
    data: list[JSONDict] = reply.body["data"]
    return data


async def last_message(api: SpecClient, thread_id: str, version: str = "v2") -> JSONDict:
    reply = await api.get(f"/threads/{thread_id}/messages", params={"limit": "1"}, version=version)
    message: JSONDict = reply.body["data"][0]
    return message


async def test_file_search_cites_the_assistants_vector_store(
    api: SpecClient, server: FakeAssistantsServer
) -> None:
    orbits = server.factories.file(ORBITS, filename="orbits.txt")
    recipes = server.factories.file(RECIPES, filename="recipes.txt")
    assistant = await api.post(
        "/assistants",
        {
            "model": "gpt-4o",
            "tools": [{"type": "file_search"}],
            "tool_resources": {
                "file_search": {"vector_stores": [{"file_ids": [recipes["id"], orbits["id"]]}]}
            },
        },
    )
    thread = await api.post(
        "/threads",
        {"messages": [{"role": "user", "content": "How long does Venus take to orbit?"}]},
    )
    server.script(RunScript.file_search().then_reply("Venus takes 225 days."))
    run = await run_to_end(api, thread.body["id"], assistant.body["id"])

    [search_step, _] = await steps(
        api, run, **{"include[]": "step_details.tool_calls[*].file_search.results[*].content"}
    )
    [call] = search_step["step_details"]["tool_calls"]
    [hit] = call["file_search"]["results"]
    # long, venus, take, orbit: all but "long" (plurals match: takes, orbits)
    assert (hit["file_id"], hit["file_name"], hit["score"]) == (orbits["id"], "orbits.txt", 0.75)
    assert hit["content"] == [{"type": "text", "text": ORBITS}]

    message = await last_message(api, thread.body["id"])
    text = message["content"][0]["text"]
    assert text["value"] == "Venus takes 225 days.【0:0†orbits.txt】"
    [annotation] = text["annotations"]
    assert annotation == {
        "type": "file_citation",
        "text": "【0:0†orbits.txt】",
        "start_index": len("Venus takes 225 days."),
        "end_index": len(text["value"]),
        "file_citation": {"file_id": orbits["id"]},
    }
    assert text["value"][annotation["start_index"] : annotation["end_index"]] == annotation["text"]
    # v1 sees the same citation with its required quote, and a retrieval step.
    v1 = await last_message(api, thread.body["id"], version="v1")
    assert v1["content"][0]["text"]["annotations"][0]["file_citation"] == {
        "file_id": orbits["id"],
        "quote": "",
    }


async def test_thread_store_and_attachments_are_searched_too(
    api: SpecClient, server: FakeAssistantsServer
) -> None:
    orbits = server.factories.file(ORBITS, filename="orbits.txt")
    venus = server.factories.file("Venus is hot. Venus has no moons.", filename="venus.md")
    attached = server.factories.file("Venus was named after a goddess.", filename="myth.txt")
    vector_store = server.factories.vector_store(file_ids=[orbits["id"], venus["id"]])
    assistant = server.factories.assistant(tools=[{"type": "file_search"}])
    thread = await api.post(
        "/threads",
        {
            "tool_resources": {"file_search": {"vector_store_ids": [vector_store["id"]]}},
            "messages": [
                {
                    "role": "user",
                    "content": "Tell me about Venus",
                    "attachments": [
                        {"file_id": attached["id"], "tools": [{"type": "file_search"}]}
                    ],
                }
            ],
        },
    )
    server.script(RunScript.file_search().then_reply())
    run = await run_to_end(api, thread.body["id"], assistant["id"])
    [search_step, _] = await steps(api, run)
    results = search_step["step_details"]["tool_calls"][0]["file_search"]["results"]
    # "venus" is the only search word; more occurrences rank first, then the order of attaching
    assert [r["file_name"] for r in results] == ["venus.md", "orbits.txt", "myth.txt"]
    assert "content" not in results[0]  # only with include[]
    message = await last_message(api, thread.body["id"])
    annotations = message["content"][0]["text"]["annotations"]
    assert [a["file_citation"]["file_id"] for a in annotations] == [
        venus["id"],
        orbits["id"],
        attached["id"],
    ]
    assert message["content"][0]["text"]["value"] == (
        "You said: Tell me about Venus【0:0†venus.md】【0:1†orbits.txt】【0:2†myth.txt】"
    )


async def test_max_num_results_and_no_match(api: SpecClient, server: FakeAssistantsServer) -> None:
    files = [server.factories.file(f"planet fact {i}")["id"] for i in range(3)]
    assistant = server.factories.assistant(
        tools=[{"type": "file_search", "file_search": {"max_num_results": 2}}],
        tool_resources={"file_search": {"vector_stores": [{"file_ids": files}]}},
    )
    thread = server.factories.thread(messages=["planet"])
    server.script(RunScript.file_search().then_reply("ok"), RunScript.file_search().then_reply())
    run = await run_to_end(api, thread["id"], assistant["id"])
    results = (await steps(api, run))[0]["step_details"]["tool_calls"][0]["file_search"]["results"]
    assert [r["file_id"] for r in results] == files[:2]
    server.factories.message(thread["id"], "submarines")
    second = await run_to_end(api, thread["id"], assistant["id"])
    call = (await steps(api, second))[0]["step_details"]["tool_calls"][0]
    assert call["file_search"]["results"] == []
    message = await last_message(api, thread["id"])
    assert message["content"][0]["text"] == {"value": "You said: submarines", "annotations": []}


async def test_scripted_hits_are_shown_as_given_without_citations(
    api: SpecClient, server: FakeAssistantsServer
) -> None:
    assistant = server.factories.assistant()
    thread = server.factories.thread(messages=["q"])
    server.script(RunScript.file_search(FileSearchHit("file-x", "x.txt", 0.7)).then_reply("A."))
    run = await run_to_end(api, thread["id"], assistant["id"])
    results = (await steps(api, run))[0]["step_details"]["tool_calls"][0]["file_search"]["results"]
    assert results == [{"file_id": "file-x", "file_name": "x.txt", "score": 0.7}]
    message = await last_message(api, thread["id"])
    assert message["content"][0]["text"] == {"value": "A.", "annotations": []}


async def test_streamed_reply_carries_the_citations(
    api: SpecClient, server: FakeAssistantsServer
) -> None:
    orbits = server.factories.file(ORBITS, filename="orbits.txt")
    assistant = server.factories.assistant(
        tool_resources={"file_search": {"vector_stores": [{"file_ids": [orbits["id"]]}]}}
    )
    thread = server.factories.thread(messages=["Mercury orbit"])
    server.script(RunScript.file_search().then_reply("88 days."))
    reply = await api.post(
        f"/threads/{thread['id']}/runs", {"assistant_id": assistant["id"], "stream": True}
    )
    deltas = [data for name, data in reply.events if name == "thread.message.delta"]
    texts = [d["delta"]["content"][0]["text"] for d in deltas]
    assert "".join(t["value"] for t in texts) == "88 days.【0:0†orbits.txt】"
    [annotation] = texts[-1]["annotations"]
    assert annotation["index"] == 0
    assert annotation["file_citation"] == {"file_id": orbits["id"]}
    completed = next(data for name, data in reply.events if name == "thread.message.completed")
    assert completed["content"][0]["text"]["annotations"][0]["text"] == "【0:0†orbits.txt】"


async def test_code_interpreter_images_and_files(
    api: SpecClient, server: FakeAssistantsServer
) -> None:
    data_file = server.factories.file("a,b\n1,2\n", filename="data.csv")
    assistant = server.factories.assistant(
        tools=[{"type": "code_interpreter"}],
        tool_resources={"code_interpreter": {"file_ids": [data_file["id"]]}},
    )
    thread = server.factories.thread(messages=["Plot my data"])
    server.script(
        RunScript.code_interpreter(
            "plot(read_csv('data.csv'))",
            logs="done",
            images=[GeneratedFile("plot.png", b"\x89PNG fake"), data_file["id"]],
            files=[GeneratedFile("summary.csv", "mean,1.5\n")],
        ).then_reply("Here is your plot.")
    )
    run = await run_to_end(api, thread["id"], assistant["id"])
    [code_step, _] = await steps(api, run)
    outputs = code_step["step_details"]["tool_calls"][0]["code_interpreter"]["outputs"]
    assert outputs[0] == {"type": "logs", "logs": "done"}
    plot_id = outputs[1]["image"]["file_id"]
    assert outputs[1:] == [
        {"type": "image", "image": {"file_id": plot_id}},
        {"type": "image", "image": {"file_id": data_file["id"]}},
    ]
    plot = await api.get(f"/files/{plot_id}", version=None)
    assert (plot.body["filename"], plot.body["purpose"]) == ("plot.png", "assistants_output")
    assert (await api.download(f"/files/{plot_id}/content")).body == b"\x89PNG fake"

    message = await last_message(api, thread["id"])
    text = message["content"][0]["text"]
    assert text["value"] == "Here is your plot.\n[summary.csv](sandbox:/mnt/data/summary.csv)"
    [annotation] = text["annotations"]
    summary_id = annotation["file_path"]["file_id"]
    assert annotation["type"] == "file_path"
    assert text["value"][annotation["start_index"] : annotation["end_index"]] == (
        "sandbox:/mnt/data/summary.csv"
    )
    assert message["attachments"] == [
        {"file_id": summary_id, "tools": [{"type": "code_interpreter"}]}
    ]
    assert server.file_content(summary_id) == b"mean,1.5\n"


async def test_code_interpreter_outputs_stream(
    api: SpecClient, server: FakeAssistantsServer
) -> None:
    assistant = server.factories.assistant()
    thread = server.factories.thread(messages=["go"])
    server.script(RunScript.code_interpreter("x", images=["file-given"]))
    reply = await api.post(
        f"/threads/{thread['id']}/runs", {"assistant_id": assistant["id"], "stream": True}
    )
    step_deltas = [data for name, data in reply.events if name == "thread.run.step.delta"]
    outputs = step_deltas[-1]["delta"]["step_details"]["tool_calls"][0]["code_interpreter"]
    assert outputs == {
        "outputs": [{"index": 0, "type": "image", "image": {"file_id": "file-given"}}]
    }


async def test_control_api_phases_with_files(api: SpecClient, server: FakeAssistantsServer) -> None:
    orbits = server.factories.file(ORBITS, filename="orbits.txt")
    assistant = server.factories.assistant(
        tool_resources={"file_search": {"vector_stores": [{"file_ids": [orbits["id"]]}]}}
    )
    thread = server.factories.thread(messages=["Venus days"])
    script = {
        "phases": [
            {
                "code_interpreter": {
                    "input": "x",
                    "images": [{"filename": "p.png", "content": "img"}],
                    "files": [{"filename": "out.txt", "content": "result"}],
                }
            },
            {"file_search": []},
            {"reply": "Done."},
        ]
    }
    async with (
        aiohttp.ClientSession(base_url=server.url) as session,
        session.post("/_fake/scripts", json={"scripts": [script]}) as response,
    ):
        assert response.status == 200
    run = await run_to_end(api, thread["id"], assistant["id"])
    [code, search, _] = await steps(api, run)
    image_id = code["step_details"]["tool_calls"][0]["code_interpreter"]["outputs"][0]["image"][
        "file_id"
    ]
    assert server.file_content(image_id) == b"img"
    assert (
        search["step_details"]["tool_calls"][0]["file_search"]["results"][0]["file_id"]
        == (orbits["id"])
    )
    text = (await last_message(api, thread["id"]))["content"][0]["text"]
    assert [a["type"] for a in text["annotations"]] == ["file_path", "file_citation"]
