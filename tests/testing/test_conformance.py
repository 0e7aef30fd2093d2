"""The hand-written request rules agree with the spec's request schemas (checked by jsonschema),
and the plugin, factories and ``client()`` give what they promise."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest

from openai_assistants.testing import FakeAssistantsServer
from openai_assistants.testing._errors import ApiError
from openai_assistants.testing._validation import request_rules

from .spec_client import FILES, SpecClient, spec_validator

MESSAGE = {"role": "user", "content": "hi"}

# (version, schema, body): valid and invalid bodies, judged independently by jsonschema.
CASES: list[tuple[str, str, Any]] = [
    ("v2", "CreateAssistantRequest", {"model": "gpt-4o"}),
    ("v2", "CreateAssistantRequest", {"model": "gpt-4o", "name": None, "description": "d"}),
    ("v2", "CreateAssistantRequest", {"model": "m", "tools": [{"type": "function"}]}),
    (
        "v2",
        "CreateAssistantRequest",
        {"model": "m", "tools": [{"type": "function", "function": {"name": "f", "strict": True}}]},
    ),
    ("v2", "CreateAssistantRequest", {"model": "m", "tools": [{"type": "retrieval"}]}),
    ("v2", "CreateAssistantRequest", {"model": "m", "top_p": 1.5}),
    ("v2", "CreateAssistantRequest", {"model": "m", "temperature": None, "top_p": None}),
    ("v2", "CreateAssistantRequest", {"model": "m", "response_format": {"type": "json_object"}}),
    (
        "v2",
        "CreateAssistantRequest",
        {"model": "m", "response_format": {"type": "json_schema", "json_schema": {"name": "s"}}},
    ),
    ("v2", "CreateAssistantRequest", {"model": "m", "response_format": {"type": "json_schema"}}),
    (
        "v2",
        "CreateAssistantRequest",
        {"model": "m", "tool_resources": {"file_search": {"vector_store_ids": ["a", "b"]}}},
    ),
    ("v2", "CreateAssistantRequest", {"model": "m", "tool_resources": {"file_search": {}}}),
    (
        "v2",
        "CreateAssistantRequest",
        {
            "model": "m",
            "tool_resources": {
                "file_search": {"vector_stores": [{"chunking_strategy": {"type": "auto"}}]}
            },
        },
    ),
    ("v2", "CreateAssistantRequest", {"model": "m", "metadata": None}),
    ("v2", "CreateAssistantRequest", {"model": "m", "reasoning_effort": "turbo"}),
    ("v2", "ModifyAssistantRequest", {}),
    ("v2", "ModifyAssistantRequest", {"tools": "code_interpreter"}),
    ("v2", "CreateThreadRequest", {"messages": [MESSAGE]}),
    ("v2", "CreateThreadRequest", {"messages": [{"role": "user", "content": ""}]}),
    ("v2", "CreateThreadRequest", {"messages": [{"role": "user", "content": 5}]}),
    ("v2", "ModifyThreadRequest", {"tool_resources": None}),
    ("v2", "CreateMessageRequest", {**MESSAGE, "attachments": None}),
    (
        "v2",
        "CreateMessageRequest",
        {**MESSAGE, "attachments": [{"file_id": "f", "tools": [{"type": "file_search"}]}]},
    ),
    (
        "v2",
        "CreateMessageRequest",
        {"role": "user", "content": [{"type": "image_file", "image_file": {"detail": "low"}}]},
    ),
    ("v2", "CreateRunRequest", {"assistant_id": "a"}),
    ("v2", "CreateRunRequest", {"assistant_id": "a", "model": None, "stream": None}),
    ("v2", "CreateRunRequest", {"assistant_id": "a", "max_prompt_tokens": 255}),
    ("v2", "CreateRunRequest", {"assistant_id": "a", "truncation_strategy": {"type": "auto"}}),
    ("v2", "CreateRunRequest", {"assistant_id": "a", "truncation_strategy": {"last_messages": 2}}),
    ("v2", "CreateRunRequest", {"assistant_id": "a", "tool_choice": "required"}),
    ("v2", "CreateRunRequest", {"assistant_id": "a", "tool_choice": {"type": "function"}}),
    ("v2", "CreateRunRequest", {"assistant_id": "a", "tool_choice": {"type": "retrieval"}}),
    ("v2", "CreateRunRequest", {"assistant_id": "a", "parallel_tool_calls": "yes"}),
    ("v2", "CreateRunRequest", {"assistant_id": "a", "additional_messages": [MESSAGE]}),
    ("v2", "CreateRunRequest", {"assistant_id": "a", "thread": {}}),
    ("v2", "CreateThreadAndRunRequest", {"assistant_id": "a", "thread": {"messages": [MESSAGE]}}),
    ("v2", "CreateThreadAndRunRequest", {"assistant_id": "a", "additional_messages": []}),
    ("v2", "CreateThreadAndRunRequest", {"thread": {}}),
    ("v2", "ModifyRunRequest", {"metadata": {"a": "b"}}),
    ("v2", "SubmitToolOutputsRunRequest", {"tool_outputs": [{"tool_call_id": "c", "output": "o"}]}),
    ("v2", "SubmitToolOutputsRunRequest", {"tool_outputs": [], "stream": "no"}),
    ("v2", "SubmitToolOutputsRunRequest", {}),
    ("v1", "CreateAssistantRequest", {"model": "m", "tools": [{"type": "retrieval"}]}),
    ("v1", "CreateAssistantRequest", {"model": "m", "tools": [{"type": "file_search"}]}),
    ("v1", "CreateAssistantRequest", {"model": "m", "file_ids": ["f"] * 21}),
    ("v1", "CreateAssistantRequest", {"model": "m", "response_format": "none"}),
    ("v1", "CreateMessageRequest", {**MESSAGE, "file_ids": ["a"]}),
    ("v1", "CreateMessageRequest", {"role": "user", "content": ""}),
    ("v1", "CreateRunRequest", {"assistant_id": "a", "tool_choice": {"type": "retrieval"}}),
    ("v1", "CreateRunRequest", {"assistant_id": "a", "parallel_tool_calls": True}),
    ("v1", "CreateThreadAndRunRequest", {"assistant_id": "a", "tool_resources": {}}),
    ("v1", "CreateAssistantFileRequest", {"file_id": "f"}),
    ("v1", "CreateAssistantFileRequest", {}),
]


STATIC = {"type": "static", "static": {"max_chunk_size_tokens": 800, "chunk_overlap_tokens": 400}}
EQ = {"type": "eq", "key": "k", "value": "v"}
SEVENTEEN = {f"k{i}": i for i in range(17)}  # attributes: at most 16

# (schema, body) of the Files, Uploads and Vector stores document, judged by jsonschema too.
# Left out on purpose: rules the spec states only in descriptions (overlap at most half the
# chunk size, 'file_ids' and 'files' mutually exclusive), which the fake enforces.
FILE_CASES: list[tuple[str, Any]] = [
    ("CreateUploadRequest", {"filename": "a", "purpose": "batch", "bytes": 1, "mime_type": "t"}),
    ("CreateUploadRequest", {"filename": "a", "purpose": "evals", "bytes": 1, "mime_type": "t"}),
    ("CreateUploadRequest", {"filename": "a", "purpose": "vision", "bytes": 1}),
    ("CreateUploadRequest", {"filename": "a", "purpose": "vision", "bytes": "1", "mime_type": "t"}),
    (
        "CreateUploadRequest",
        {"filename": "a", "purpose": "vision", "bytes": 1, "mime_type": "t",
         "expires_after": {"anchor": "created_at", "seconds": 3599}},
    ),
    ("CompleteUploadRequest", {"part_ids": ["part_1"], "md5": "abc"}),
    ("CompleteUploadRequest", {"md5": "abc"}),
    ("CompleteUploadRequest", {"part_ids": [1]}),
    ("CreateVectorStoreRequest", {}),
    ("CreateVectorStoreRequest", {"name": "n", "description": "d", "file_ids": ["f"] * 500}),
    ("CreateVectorStoreRequest", {"file_ids": ["f"] * 501}),
    ("CreateVectorStoreRequest", {"chunking_strategy": {"type": "auto"}, "metadata": None}),
    ("CreateVectorStoreRequest", {"chunking_strategy": STATIC}),
    ("CreateVectorStoreRequest", {"chunking_strategy": {"type": "static"}}),
    ("CreateVectorStoreRequest", {"expires_after": {"anchor": "last_active_at", "days": 366}}),
    ("CreateVectorStoreRequest", {"expires_after": {"anchor": "created_at", "days": 3}}),
    ("UpdateVectorStoreRequest", {"name": None, "metadata": {"a": "b"}}),
    ("UpdateVectorStoreRequest", {"file_ids": []}),
    ("UpdateVectorStoreRequest", {"metadata": {"a": 1}}),
    ("CreateVectorStoreFileRequest", {"file_id": "f", "attributes": {"a": 1, "b": True}}),
    ("CreateVectorStoreFileRequest", {"file_id": "f", "attributes": None}),
    ("CreateVectorStoreFileRequest", {"file_id": "f", "attributes": {"a": [1]}}),
    ("CreateVectorStoreFileRequest", {"file_id": "f", "attributes": {"a": "x" * 513}}),
    ("CreateVectorStoreFileRequest", {"file_id": "f", "attributes": SEVENTEEN}),
    ("CreateVectorStoreFileRequest", {"file_id": "f", "chunking_strategy": {**STATIC, "x": 1}}),
    ("CreateVectorStoreFileRequest", {"chunking_strategy": STATIC}),
    ("CreateVectorStoreFileBatchRequest", {"file_ids": ["f"]}),
    ("CreateVectorStoreFileBatchRequest", {"files": [{"file_id": "f", "attributes": {}}]}),
    ("CreateVectorStoreFileBatchRequest", {"files": [{"chunking_strategy": STATIC}]}),
    ("CreateVectorStoreFileBatchRequest", {"file_ids": []}),
    ("CreateVectorStoreFileBatchRequest", {"file_ids": ["f"] * 2001}),
    ("CreateVectorStoreFileBatchRequest", {"attributes": {"a": "b"}}),
    ("UpdateVectorStoreFileAttributesRequest", {"attributes": None}),
    ("UpdateVectorStoreFileAttributesRequest", {}),
    ("VectorStoreSearchRequest", {"query": "q"}),
    ("VectorStoreSearchRequest", {"query": ["a", "b"], "rewrite_query": True}),
    ("VectorStoreSearchRequest", {"query": 5}),
    ("VectorStoreSearchRequest", {"query": "q", "max_num_results": 0}),
    ("VectorStoreSearchRequest", {"query": "q", "filters": EQ}),
    ("VectorStoreSearchRequest", {"query": "q", "filters": {**EQ, "value": ["a", 1]}}),
    ("VectorStoreSearchRequest", {"query": "q", "filters": {**EQ, "value": [True]}}),
    ("VectorStoreSearchRequest", {"query": "q", "filters": {**EQ, "type": "like"}}),
    ("VectorStoreSearchRequest", {"query": "q", "filters": {"type": "and", "filters": [EQ]}}),
    (
        "VectorStoreSearchRequest",
        {"query": "q", "filters": {"type": "or", "filters": [{"type": "and", "filters": [EQ]}]}},
    ),
    ("VectorStoreSearchRequest", {"query": "q", "filters": {"type": "and", "filters": [{}]}}),
    ("VectorStoreSearchRequest", {"query": "q", "filters": {"type": "or"}}),
    ("VectorStoreSearchRequest", {"query": "q", "ranking_options": {"score_threshold": 1.5}}),
    ("VectorStoreSearchRequest", {"query": "q", "ranking_options": {"ranker": "none"}}),
]  # fmt: skip


def _fake_accepts(version: str, schema: str, body: Any) -> bool:
    try:
        request_rules("v1" if version == "v1" else "v2", schema).check(body, "")
    except ApiError:
        return False
    return True


@pytest.mark.parametrize(("version", "schema", "body"), CASES)
def test_rules_agree_with_the_spec(version: str, schema: str, body: Any) -> None:
    spec_ok = spec_validator(version, f"components/schemas/{schema}").is_valid(body)
    assert _fake_accepts(version, schema, body) == spec_ok


def test_the_cases_cover_both_outcomes() -> None:
    outcomes = {spec_validator(v, f"components/schemas/{s}").is_valid(b) for v, s, b in CASES}
    assert outcomes == {True, False}
    file_outcomes = {
        spec_validator(FILES, f"components/schemas/{s}").is_valid(b) for s, b in FILE_CASES
    }
    assert file_outcomes == {True, False}


@pytest.mark.parametrize(("schema", "body"), FILE_CASES)
@pytest.mark.parametrize("version", ["v1", "v2"])
def test_file_rules_agree_with_the_spec(version: str, schema: str, body: Any) -> None:
    spec_ok = spec_validator(FILES, f"components/schemas/{schema}").is_valid(body)
    assert _fake_accepts(version, schema, body) == spec_ok


def test_spec_validator_sees_nullable_as_null() -> None:
    run_schema = spec_validator("v1", "components/schemas/RunObject")
    errors = list(run_schema.iter_errors({"last_error": None}))
    assert all("last_error" not in list(e.path) for e in errors)
    with pytest.raises(jsonschema.ValidationError):
        spec_validator("v2", "components/schemas/Metadata").validate({"k": 1})


async def test_plugin_fixture_is_a_started_server(
    fake_assistants_server: FakeAssistantsServer, api: SpecClient
) -> None:
    assert fake_assistants_server.api_key == "sk-fake"
    assert fake_assistants_server.base_url == f"{fake_assistants_server.url}/v1"
    assert fake_assistants_server.port > 0
    assert (await api.get("/assistants")).status == 200


async def test_start_and_close_without_context_manager(api: SpecClient) -> None:
    server = FakeAssistantsServer("sk-other", clock="per_poll")
    await server.start()
    try:
        import aiohttp

        async with (
            aiohttp.ClientSession() as session,
            session.get(
                f"{server.base_url}/assistants",
                headers={"Authorization": "Bearer sk-other", "OpenAI-Beta": "assistants=v2"},
            ) as response,
        ):
            assert response.status == 200
    finally:
        await server.close()
    assert server.clock == "per_poll"


async def test_factories_create_api_shaped_objects(
    server: FakeAssistantsServer, api: SpecClient
) -> None:
    assistant = server.factories.assistant(name="A", tools=[{"type": "code_interpreter"}])
    assert "_file_ids" not in assistant
    thread = server.factories.thread(messages=["one", "two"], metadata={"k": "v"})
    message = server.factories.message(thread["id"], "three", role="assistant")
    run = server.factories.run(thread["id"], assistant["id"])
    assert run["status"] == "completed"
    assert (await api.get(f"/assistants/{assistant['id']}")).body == assistant
    listed = await api.get(f"/threads/{thread['id']}/messages", params={"order": "asc"})
    texts = [m["content"][0]["text"]["value"] for m in listed.body["data"]]
    assert texts == ["one", "two", "three", "You said: two"]
    assert listed.body["data"][2]["id"] == message["id"]
    bulk = server.factories.messages(thread["id"], 3, text="bulk {i}")
    newest = await api.get(f"/threads/{thread['id']}/messages", params={"limit": 3})
    assert [m["id"] for m in newest.body["data"]] == bulk[::-1]


async def test_client_returns_the_sdk_client_for_this_server(
    server: FakeAssistantsServer,
) -> None:
    from openai_assistants import AssistantsClient

    async with server.client() as client:
        assert isinstance(client, AssistantsClient)
        assistant = await client.assistants.create(model="gpt-4o", name="via sdk")
    assert assistant.id in server.store.assistants
    assert server.requests[-1].headers["Authorization"] == "Bearer sk-fake"
