"""Auth, the beta header, unknown URLs, bad JSON and request validation errors."""

from __future__ import annotations

from typing import Any

import pytest

from openai_assistants.testing import FakeAssistantsServer

from .spec_client import SpecClient


async def test_missing_key_is_401(api: SpecClient) -> None:
    reply = await api.get("/assistants", headers={"OpenAI-Beta": "assistants=v2"})
    assert reply.status == 401
    assert reply.error["type"] == "invalid_request_error"
    assert reply.error["message"].startswith("You didn't provide an API key.")


async def test_wrong_key_is_401_with_masked_key(api: SpecClient) -> None:
    reply = await api.get(
        "/assistants",
        headers={"Authorization": "Bearer sk-wrong-key-123456", "OpenAI-Beta": "assistants=v2"},
    )
    assert reply.status == 401
    assert reply.error["code"] == "invalid_api_key"
    assert reply.error["message"].startswith("Incorrect API key provided: sk-********3456.")


async def test_azure_style_api_key_header_is_accepted(api: SpecClient) -> None:
    reply = await api.get(
        "/assistants", headers={"api-key": "sk-fake", "OpenAI-Beta": "assistants=v2"}
    )
    assert reply.status == 200


async def test_missing_beta_header(api: SpecClient) -> None:
    reply = await api.get("/assistants", headers=api.headers(version=None))
    assert reply.status == 400
    assert reply.error == {
        "message": "You must provide the 'OpenAI-Beta' header to access the Assistants API. "
        "Please try again by setting the header 'OpenAI-Beta: assistants=v2'.",
        "type": "invalid_request_error",
        "param": None,
        "code": "invalid_beta",
    }


async def test_unknown_beta_version(api: SpecClient) -> None:
    reply = await api.get("/assistants", headers=api.headers(version="v3"))
    assert reply.status == 400
    assert reply.error["code"] == "invalid_beta"


async def test_beta_header_among_others(api: SpecClient) -> None:
    headers = api.headers(version=None, **{"OpenAI-Beta": "realtime=v1, assistants=v1"})
    reply = await api.post(
        "/assistants", {"model": "m", "file_ids": []}, headers=headers, version="v1"
    )
    assert reply.status == 200
    assert reply.body["file_ids"] == []


async def test_beta_header_optional_when_relaxed() -> None:
    async with FakeAssistantsServer(require_beta_header=False) as server:
        import aiohttp

        async with (
            aiohttp.ClientSession() as session,
            session.post(
                f"{server.base_url}/assistants",
                json={"model": "gpt-4o"},
                headers={"Authorization": "Bearer sk-fake"},
            ) as response,
        ):
            body = await response.json()
        assert response.status == 200
        assert "tool_resources" in body  # defaulted to v2


async def test_unknown_url_and_method(api: SpecClient) -> None:
    reply = await api.get("/fine_tuning/jobs")
    assert reply.status == 404
    assert reply.error["message"] == "Invalid URL (GET /v1/fine_tuning/jobs)"
    reply = await api.request("PUT", "/assistants")
    assert reply.status == 404
    assert reply.error["message"] == "Invalid URL (PUT /v1/assistants)"


async def test_invalid_json_body(api: SpecClient, server: FakeAssistantsServer) -> None:
    async with api.session.post(
        f"{server.base_url}/assistants", data=b"{not json", headers=api.headers()
    ) as response:
        body = await response.json()
    assert response.status == 400
    assert body["error"]["message"].startswith("We could not parse the JSON body")
    assert server.requests[-1].body == b"{not json"
    assert server.requests[-1].json is None


async def test_body_must_be_an_object(api: SpecClient) -> None:
    reply = await api.post("/threads", ["not", "an", "object"])
    assert reply.status == 400
    assert reply.error["code"] == "invalid_type"


async def test_empty_body_is_an_empty_object(api: SpecClient, server: FakeAssistantsServer) -> None:
    async with api.session.post(f"{server.base_url}/threads", headers=api.headers()) as response:
        body = await response.json()
    assert response.status == 200
    assert body["object"] == "thread"


@pytest.mark.parametrize(
    ("body", "message", "param", "code"),
    [
        ({}, "Missing required parameter: 'model'.", "model", "missing_required_parameter"),
        (
            {"model": "m", "colour": 1},
            "Unknown parameter: 'colour'.",
            "colour",
            "unknown_parameter",
        ),
        (
            {"model": 4},
            "Invalid type for 'model': expected a string, but got an integer instead.",
            "model",
            "invalid_type",
        ),
        (
            {"model": "m", "temperature": 3},
            "Invalid 'temperature': number above maximum value. Expected a value <= 2, but got 3 "
            "instead.",
            "temperature",
            "decimal_above_max_value",
        ),
        (
            {"model": "m", "name": "x" * 257},
            "Invalid 'name': string too long. Expected a string with maximum length 256, but got "
            "a string with length 257 instead.",
            "name",
            "string_above_max_length",
        ),
        (
            {"model": "m", "tools": [{"type": "retrieval"}]},
            "Invalid value: 'retrieval'. Supported values are: 'function', 'code_interpreter', "
            "and 'file_search'.",
            "tools[0].type",
            "invalid_value",
        ),
        (
            {"model": "m", "tools": [{"type": "function"}]},
            "Missing required parameter: 'tools[0].function'.",
            "tools[0].function",
            "missing_required_parameter",
        ),
        (
            {"model": "m", "metadata": {"k": 1}},
            "Invalid type for 'metadata.k': expected a string, but got an integer instead.",
            "metadata.k",
            "invalid_type",
        ),
        (
            {"model": "m", "metadata": {str(i): "v" for i in range(17)}},
            "Invalid 'metadata': too many properties. Expected an object with at most 16 "
            "properties, but got an object with 17 properties instead.",
            "metadata",
            "object_above_max_properties",
        ),
        (
            {"model": "m", "response_format": "none"},
            "Invalid value: 'none'. Supported values are: 'auto'.",
            "response_format",
            "invalid_value",
        ),
    ],
)
async def test_create_assistant_validation(
    api: SpecClient, body: dict[str, Any], message: str, param: str, code: str
) -> None:
    reply = await api.post("/assistants", body)
    assert reply.status == 400
    assert reply.error == {
        "message": message,
        "type": "invalid_request_error",
        "param": param,
        "code": code,
    }


@pytest.mark.parametrize(
    ("body", "param"),
    [
        ({"role": "system", "content": "x"}, "role"),
        ({"role": "user"}, "content"),
        ({"role": "user", "content": []}, "content"),
        ({"role": "user", "content": [{"type": "text"}]}, "content[0].text"),
        (
            {"role": "user", "content": "x", "attachments": [{"file_id": "f"}]},
            "attachments[0].tools",
        ),
    ],
)
async def test_create_message_validation(
    api: SpecClient, server: FakeAssistantsServer, body: dict[str, Any], param: str
) -> None:
    thread = server.factories.thread()
    reply = await api.post(f"/threads/{thread['id']}/messages", body)
    assert reply.status == 400
    assert reply.error["param"] == param


async def test_v1_message_content_must_be_a_non_empty_string(
    api: SpecClient, server: FakeAssistantsServer
) -> None:
    thread = server.factories.thread()
    reply = await api.post(
        f"/threads/{thread['id']}/messages", {"role": "user", "content": ""}, version="v1"
    )
    assert reply.status == 400
    assert reply.error["code"] == "string_below_min_length"
    reply = await api.post(
        f"/threads/{thread['id']}/messages",
        {"role": "user", "content": [{"type": "text", "text": "x"}]},
        version="v1",
    )
    assert reply.error["code"] == "invalid_type"


async def test_every_response_carries_a_request_id(api: SpecClient) -> None:
    ok = await api.get("/assistants")
    bad = await api.get("/assistants/asst_nope")
    ids = {ok.headers["x-request-id"], bad.headers["x-request-id"]}
    assert len(ids) == 2
    assert all(i.startswith("req_") and len(i) == 36 for i in ids)
