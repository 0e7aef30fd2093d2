"""CRUD for every resource in both versions, each exchange checked against the spec."""

from __future__ import annotations

import pytest

from openai_assistants.testing import FakeAssistantsServer

from .spec_client import SpecClient


async def test_assistant_lifecycle_v2(api: SpecClient, server: FakeAssistantsServer) -> None:
    file = server.factories.file("Angles of a triangle add up to 180 degrees.", filename="a.txt")
    created = await api.post(
        "/assistants",
        {
            "model": "gpt-4o",
            "name": "Math Tutor",
            "instructions": "Be precise.",
            "tools": [{"type": "code_interpreter"}, {"type": "file_search"}],
            "tool_resources": {"file_search": {"vector_stores": [{"file_ids": [file["id"]]}]}},
            "metadata": {"team": "math"},
        },
    )
    assert created.status == 200
    assistant = created.body
    assert assistant["id"].startswith("asst_")
    assert len(assistant["id"]) == 29
    assert assistant["object"] == "assistant"
    assert isinstance(assistant["created_at"], int)
    assert assistant["description"] is None
    assert assistant["metadata"] == {"team": "math"}
    [store_id] = assistant["tool_resources"]["file_search"]["vector_store_ids"]
    assert store_id.startswith("vs_")
    # The helper made a real vector store holding the file.
    store = (await api.get(f"/vector_stores/{store_id}")).body
    assert store["file_counts"]["completed"] == 1

    fetched = await api.get(f"/assistants/{assistant['id']}")
    assert fetched.body == assistant

    modified = await api.post(
        f"/assistants/{assistant['id']}", {"name": "Renamed", "instructions": None}
    )
    assert modified.body["name"] == "Renamed"
    assert modified.body["instructions"] is None
    assert modified.body["model"] == "gpt-4o"

    deleted = await api.delete(f"/assistants/{assistant['id']}")
    assert deleted.body == {"id": assistant["id"], "object": "assistant.deleted", "deleted": True}
    missing = await api.get(f"/assistants/{assistant['id']}")
    assert missing.status == 404
    assert missing.error == {
        "message": f"No assistant found with id '{assistant['id']}'.",
        "type": "invalid_request_error",
        "param": None,
        "code": None,
    }


async def test_assistant_v1_files_and_tool_translation(api: SpecClient) -> None:
    created = await api.post(
        "/assistants",
        {"model": "gpt-4", "tools": [{"type": "retrieval"}], "file_ids": ["file-1"]},
        version="v1",
    )
    assistant = created.body
    assert assistant["file_ids"] == ["file-1"]
    assert "tool_resources" not in assistant
    # The same assistant seen through v2 speaks of file_search.
    as_v2 = await api.get(f"/assistants/{assistant['id']}")
    assert as_v2.body["tools"] == [{"type": "file_search"}]
    assert "file_ids" not in as_v2.body

    path = f"/assistants/{assistant['id']}/files"
    added = await api.post(path, {"file_id": "file-2"}, version="v1")
    assert added.body["object"] == "assistant.file"
    assert added.body["assistant_id"] == assistant["id"]
    listed = await api.get(path, version="v1", params={"order": "asc"})
    assert [f["id"] for f in listed.body["data"]] == ["file-1", "file-2"]
    one = await api.get(f"{path}/file-2", version="v1")
    assert one.body["id"] == "file-2"
    gone = await api.delete(f"{path}/file-1", version="v1")
    assert gone.body == {"id": "file-1", "object": "assistant.file.deleted", "deleted": True}
    again = await api.get(f"/assistants/{assistant['id']}", version="v1")
    assert again.body["file_ids"] == ["file-2"]
    assert (await api.get(f"{path}/file-1", version="v1")).status == 404


async def test_thread_and_messages_v2(api: SpecClient) -> None:
    thread = (
        await api.post(
            "/threads",
            {
                "messages": [
                    {"role": "user", "content": "Hello"},
                    {
                        "role": "user",
                        "content": [
                            {"type": "text", "text": "Look"},
                            {"type": "image_url", "image_url": {"url": "https://x.test/a.png"}},
                        ],
                        "attachments": [
                            {"file_id": "file-9", "tools": [{"type": "code_interpreter"}]}
                        ],
                    },
                ],
                "metadata": {"k": "v"},
            },
        )
    ).body
    assert thread["id"].startswith("thread_")
    assert thread["tool_resources"] == {}
    tid = thread["id"]

    listed = await api.get(f"/threads/{tid}/messages", params={"order": "asc"})
    first, second = listed.body["data"]
    assert first["content"] == [{"type": "text", "text": {"value": "Hello", "annotations": []}}]
    assert second["content"][0] == {"type": "text", "text": {"value": "Look", "annotations": []}}
    assert second["attachments"] == [{"file_id": "file-9", "tools": [{"type": "code_interpreter"}]}]
    assert first["assistant_id"] is None
    assert first["run_id"] is None

    message = (await api.post(f"/threads/{tid}/messages", {"role": "user", "content": "Hi"})).body
    assert message["id"].startswith("msg_")
    assert message["thread_id"] == tid
    assert message["status"] == "completed"
    got = await api.get(f"/threads/{tid}/messages/{message['id']}")
    assert got.body == message
    modified = await api.post(f"/threads/{tid}/messages/{message['id']}", {"metadata": {"a": "b"}})
    assert modified.body["metadata"] == {"a": "b"}
    deleted = await api.delete(f"/threads/{tid}/messages/{message['id']}")
    assert deleted.body == {
        "id": message["id"],
        "object": "thread.message.deleted",
        "deleted": True,
    }
    assert (await api.get(f"/threads/{tid}/messages/{message['id']}")).status == 404

    updated = await api.post(f"/threads/{tid}", {"metadata": {"x": "y"}})
    assert updated.body["metadata"] == {"x": "y"}
    assert (await api.get(f"/threads/{tid}")).body == updated.body
    gone = await api.delete(f"/threads/{tid}")
    assert gone.body == {"id": tid, "object": "thread.deleted", "deleted": True}
    missing = await api.get(f"/threads/{tid}/messages")
    assert missing.status == 404
    assert missing.error["message"] == f"No thread found with id '{tid}'."


async def test_messages_v1_file_ids_and_message_files(api: SpecClient) -> None:
    thread = (await api.post("/threads", {}, version="v1")).body
    assert "tool_resources" not in thread
    tid = thread["id"]
    message = (
        await api.post(
            f"/threads/{tid}/messages",
            {"role": "user", "content": "see files", "file_ids": ["file-a", "file-b"]},
            version="v1",
        )
    ).body
    assert message["file_ids"] == ["file-a", "file-b"]
    assert "attachments" not in message
    path = f"/threads/{tid}/messages/{message['id']}/files"
    files = await api.get(path, version="v1", params={"order": "asc"})
    assert [f["id"] for f in files.body["data"]] == ["file-a", "file-b"]
    assert files.body["data"][0]["object"] == "thread.message.file"
    assert files.body["data"][0]["message_id"] == message["id"]
    one = await api.get(f"{path}/file-b", version="v1")
    assert one.body["id"] == "file-b"
    assert (await api.get(f"{path}/file-z", version="v1")).status == 404
    # v2 sees the same files as attachments.
    as_v2 = await api.get(f"/threads/{tid}/messages/{message['id']}")
    assert [a["file_id"] for a in as_v2.body["attachments"]] == ["file-a", "file-b"]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/assistants/asst_x/files"),
        ("POST", "/assistants/asst_x/files"),
        ("GET", "/assistants/asst_x/files/file-1"),
        ("DELETE", "/assistants/asst_x/files/file-1"),
        ("GET", "/threads/thread_x/messages/msg_x/files"),
        ("GET", "/threads/thread_x/messages/msg_x/files/file-1"),
    ],
)
async def test_v1_only_paths_are_unknown_urls_under_v2(
    api: SpecClient, method: str, path: str
) -> None:
    reply = await api.request(method, path, {"file_id": "f"} if method == "POST" else None)
    assert reply.status == 404
    assert reply.error == {
        "message": f"Invalid URL ({method} /v1{path})",
        "type": "invalid_request_error",
        "param": None,
        "code": None,
    }


async def test_delete_message_is_unknown_under_v1(
    api: SpecClient, server: FakeAssistantsServer
) -> None:
    thread = server.factories.thread(messages=["hi"])
    [message] = server.store.messages(thread["id"])
    path = f"/threads/{thread['id']}/messages/{message['id']}"
    reply = await api.delete(path, version="v1")
    assert reply.status == 404
    assert reply.error["message"] == f"Invalid URL (DELETE /v1{path})"
    assert message["id"] in server.store.messages(thread["id"])


@pytest.mark.parametrize(
    ("path", "body", "param"),
    [
        ("/assistants", {"model": "gpt-4", "tool_resources": {}}, "tool_resources"),
        ("/threads", {"tool_resources": None}, "tool_resources"),
        ("/assistants", {"model": "gpt-4", "reasoning_effort": "low"}, "reasoning_effort"),
        (
            "/threads",
            {"messages": [{"role": "user", "content": "x", "attachments": []}]},
            "messages[0].attachments",
        ),
    ],
)
async def test_v2_only_fields_are_unknown_parameters_under_v1(
    api: SpecClient, path: str, body: dict[str, object], param: str
) -> None:
    reply = await api.post(path, body, version="v1")
    assert reply.status == 400
    assert reply.error == {
        "message": f"Unknown parameter: '{param}'.",
        "type": "invalid_request_error",
        "param": param,
        "code": "unknown_parameter",
    }


async def test_v1_only_fields_are_unknown_parameters_under_v2(api: SpecClient) -> None:
    reply = await api.post("/assistants", {"model": "gpt-4", "file_ids": []})
    assert reply.status == 400
    assert reply.error["code"] == "unknown_parameter"
    assert reply.error["param"] == "file_ids"
