"""Status mapping, retries, idempotency keys, metadata and validation errors (aioresponses)."""

from __future__ import annotations

import logging
import re

import aiohttp
import pytest
from aioresponses import aioresponses
from support import BASE, KEY
from support.recorder import record

from openai_assistants import (
    APIConnectionError,
    APIResponse,
    APITimeoutError,
    AssistantsClient,
    AuthenticationError,
    BadRequestError,
    InternalServerError,
    NotFoundError,
    RateLimitError,
    ResponseValidationError,
)
from openai_assistants._http.ratelimit import MIN_PAUSE
from openai_assistants._http.transport import MAX_RATE_LIMITED_RETRIES
from openai_assistants.models import Assistant, ErrorObject

URL = re.compile(r"^http://api\.test/v1/assistants.*")
ASSISTANT = {"id": "asst_1", "object": "assistant", "created_at": 1, "model": "m", "tools": []}
ERROR = {"error": {"message": "boom", "type": "server_error", "param": None, "code": None}}


async def test_error_carries_status_request_id_and_typed_error(
    mocked: aioresponses, client: AssistantsClient
) -> None:
    body = {"error": {"message": "No assistant found", "type": "invalid_request_error"}}
    mocked.get(URL, status=404, payload=body, headers={"x-request-id": "req_404"})
    with pytest.raises(NotFoundError) as info:
        await client.assistants.retrieve("asst_x")
    error = info.value
    assert (error.status_code, error.request_id) == (404, "req_404")
    assert error.body == body
    assert error.error == ErrorObject(message="No assistant found", type="invalid_request_error")
    assert str(error) == "404: No assistant found (request id req_404)"


async def test_400_is_not_retried(
    mocked: aioresponses, client: AssistantsClient, no_sleep: list[float]
) -> None:
    sent = record(mocked, "POST", {"error": {"message": "bad"}}, status=400)
    with pytest.raises(BadRequestError, match="bad"):
        await client.assistants.create(model="m")
    assert len(sent) == 1
    assert no_sleep == []


@pytest.mark.parametrize("status", [408, 409, 429, 500, 502, 503, 504])
async def test_retryable_statuses_are_retried_then_succeed(
    mocked: aioresponses, client: AssistantsClient, no_sleep: list[float], status: int
) -> None:
    mocked.get(URL, status=status, payload=ERROR)
    mocked.get(URL, status=status, payload=ERROR)
    mocked.get(URL, payload=ASSISTANT)
    assistant = await client.assistants.retrieve("asst_1")
    assert assistant.id == "asst_1"
    assert len(no_sleep) == 2
    assert no_sleep[0] < no_sleep[1] or no_sleep[1] >= 0.75  # backoff grows


async def test_retries_are_bounded_by_max_retries(
    mocked: aioresponses, client: AssistantsClient, no_sleep: list[float]
) -> None:
    for _ in range(3):
        mocked.get(URL, status=503, body="<html><h1>503 Service Unavailable</h1></html>")
    with pytest.raises(InternalServerError, match="503 Service Unavailable") as info:
        await client.assistants.retrieve("asst_1")
    assert info.value.status_code == 503
    assert len(no_sleep) == 2  # default max_retries=2: three attempts


async def test_per_call_max_retries(
    mocked: aioresponses, client: AssistantsClient, no_sleep: list[float]
) -> None:
    mocked.get(URL, status=500, payload=ERROR)
    with pytest.raises(InternalServerError):
        await client.assistants.retrieve("asst_1", max_retries=0)
    assert no_sleep == []


async def test_x_should_retry_overrides_the_table(
    mocked: aioresponses, client: AssistantsClient, no_sleep: list[float]
) -> None:
    mocked.get(URL, status=400, payload=ERROR, headers={"x-should-retry": "true"})
    mocked.get(URL, payload=ASSISTANT)
    assert (await client.assistants.retrieve("asst_1")).id == "asst_1"
    mocked.get(URL, status=503, payload=ERROR, headers={"x-should-retry": "false"})
    with pytest.raises(InternalServerError):
        await client.assistants.retrieve("asst_1")
    assert len(no_sleep) == 1


async def test_server_wait_headers_are_honoured(
    mocked: aioresponses, client: AssistantsClient, no_sleep: list[float]
) -> None:
    mocked.get(URL, status=429, payload=ERROR, headers={"retry-after-ms": "1500"})
    mocked.get(URL, status=429, payload=ERROR, headers={"Retry-After": "2"})
    mocked.get(URL, payload=ASSISTANT)
    await client.assistants.retrieve("asst_1")
    # The coordinator holds the call until the server's time (counted from each answer).
    assert no_sleep == pytest.approx([1.5, 2.0], abs=0.05)


async def test_server_wait_headers_are_honoured_without_the_coordinator(
    mocked: aioresponses, client: AssistantsClient, no_sleep: list[float]
) -> None:
    mocked.get(URL, status=429, payload=ERROR, headers={"retry-after-ms": "1500"})
    mocked.get(URL, status=429, payload=ERROR, headers={"Retry-After": "2"})
    mocked.get(URL, status=429, payload=ERROR, headers={"Retry-After": "2"})
    solo = client.with_options(rate_limit_coordination=False)
    with pytest.raises(RateLimitError):  # each call on its own: max_retries=2 bounds it
        await solo.assistants.retrieve("asst_1")
    assert no_sleep == [1.5, 2.0]


async def test_a_server_that_always_refuses_without_a_wait_is_not_asked_forever(
    mocked: aioresponses, client: AssistantsClient, no_sleep: list[float]
) -> None:
    mocked.get(URL, status=429, payload=ERROR, headers={"retry-after-ms": "0"}, repeat=True)
    with pytest.raises(RateLimitError):
        await client.assistants.retrieve("asst_1")
    requests = sum(len(calls) for calls in mocked.requests.values())
    assert requests == MAX_RATE_LIMITED_RETRIES + 1 + 2  # then the usual max_retries=2
    holds = no_sleep[:MAX_RATE_LIMITED_RETRIES]
    assert len(holds) == MAX_RATE_LIMITED_RETRIES
    assert all(wait >= MIN_PAUSE - 0.001 for wait in holds)  # never a tight loop


async def test_retry_after_beyond_the_cap_raises_with_retry_after(
    mocked: aioresponses, client: AssistantsClient, no_sleep: list[float]
) -> None:
    mocked.get(URL, status=429, payload=ERROR, headers={"Retry-After": "600"})
    with pytest.raises(RateLimitError) as info:
        await client.assistants.retrieve("asst_1")
    assert info.value.retry_after == 600.0
    assert no_sleep == []


async def test_connection_errors_are_retried_and_mapped(
    mocked: aioresponses, client: AssistantsClient, no_sleep: list[float]
) -> None:
    mocked.get(URL, exception=aiohttp.ClientConnectionError("refused"))
    mocked.get(URL, payload=ASSISTANT)
    assert (await client.assistants.retrieve("asst_1")).id == "asst_1"
    for _ in range(3):
        mocked.get(URL, exception=aiohttp.ServerDisconnectedError())
    with pytest.raises(APIConnectionError, match="ServerDisconnectedError") as info:
        await client.assistants.retrieve("asst_1")
    assert not isinstance(info.value, APITimeoutError)
    assert len(no_sleep) == 3


async def test_timeouts_map_to_api_timeout_error(
    mocked: aioresponses, client: AssistantsClient
) -> None:
    for _ in range(3):
        mocked.get(URL, timeout=True)
    with pytest.raises(APITimeoutError, match="timed out"):
        await client.assistants.retrieve("asst_1")


async def test_idempotency_key_is_the_same_on_every_retry(
    mocked: aioresponses, client: AssistantsClient
) -> None:
    keys: list[str] = []
    sent = record(mocked, "POST", ERROR, status=500)
    with pytest.raises(InternalServerError):
        await client.assistants.create(model="m")
    keys = [s.headers["Idempotency-Key"] for s in sent]
    assert len(keys) == 3
    assert len(set(keys)) == 1
    assert keys[0].startswith("oa-")
    sent.clear()
    with pytest.raises(InternalServerError):
        await client.assistants.create(model="m", max_retries=0)
    assert sent[0].headers["Idempotency-Key"] != keys[0]  # a new call, a new key


async def test_idempotency_key_can_be_set_per_call(
    mocked: aioresponses, client: AssistantsClient
) -> None:
    sent = record(mocked, "DELETE", {"id": "a", "object": "assistant.deleted", "deleted": True})
    result = await client.assistants.delete("asst_1", idempotency_key="mine-1")
    assert result.deleted is True
    assert sent[0].headers["Idempotency-Key"] == "mine-1"


async def test_extra_headers_query_and_body(mocked: aioresponses, client: AssistantsClient) -> None:
    sent = record(mocked, "POST", ASSISTANT)
    await client.assistants.create(
        model="m",
        extra_headers={"X-Trace": "t1"},
        extra_query={"api-version": "2024-05-01"},
        extra_body={"vendor_flag": True, "model": "override"},
    )
    assert sent[0].headers["X-Trace"] == "t1"
    assert sent[0].query == [("api-version", "2024-05-01")]
    assert sent[0].body == {"model": "override", "vendor_flag": True}


async def test_compatible_server_settings(mocked: aioresponses, no_sleep: list[float]) -> None:
    sent = record(mocked, "GET", ASSISTANT)
    async with AssistantsClient(
        api_key="azure-key",
        base_url=BASE,
        auth_style="api-key",
        default_headers={"X-Tenant": "acme"},
        default_query={"api-version": "2024-07-01-preview"},
        organization="org-1",
        project="proj-1",
    ) as client:
        await client.assistants.retrieve("asst_1")
    headers = sent[0].headers
    assert headers["api-key"] == "azure-key"
    assert "Authorization" not in headers
    assert headers["X-Tenant"] == "acme"
    assert (headers["OpenAI-Organization"], headers["OpenAI-Project"]) == ("org-1", "proj-1")
    assert sent[0].query == [("api-version", "2024-07-01-preview")]


async def test_callable_api_key_is_called_per_request(
    mocked: aioresponses, no_sleep: list[float]
) -> None:
    sent = record(mocked, "GET", ASSISTANT)
    tokens = iter(["tok-1", "tok-2"])

    async def rotate() -> str:
        return next(tokens)

    async with AssistantsClient(api_key=rotate, base_url=BASE) as client:
        await client.assistants.retrieve("asst_1")
        await client.assistants.retrieve("asst_1")
    assert [s.headers["Authorization"] for s in sent] == ["Bearer tok-1", "Bearer tok-2"]


async def test_with_response_exposes_metadata(
    mocked: aioresponses, client: AssistantsClient
) -> None:
    headers = {
        "x-request-id": "req_meta",
        "x-ratelimit-limit-requests": "100",
        "x-ratelimit-remaining-requests": "99",
    }
    mocked.get(URL, payload=ASSISTANT, headers=headers)
    response = await client.assistants.with_response.retrieve("asst_1")
    assert isinstance(response, APIResponse)
    assert isinstance(response.data, Assistant)
    assert response.data.id == "asst_1"
    assert (response.request_id, response.status_code) == ("req_meta", 200)
    assert response.rate_limit.remaining_requests == 99
    assert response.headers["x-ratelimit-limit-requests"] == "100"


async def test_validation_error_names_the_json_path(
    mocked: aioresponses, client: AssistantsClient
) -> None:
    items = [ASSISTANT, {**ASSISTANT, "id": "asst_2", "created_at": "yesterday"}]
    bad = {"object": "list", "data": items, "first_id": "asst_1", "last_id": "asst_2"}
    mocked.get(
        URL, payload={**bad, "has_more": False}, headers={"x-request-id": "req_bad"}, repeat=True
    )
    # Lenient (the default): the field reads as its default, and the deviation is recorded.
    first, second = await client.assistants.list().to_list()
    assert (first.created_at, second.created_at) == (ASSISTANT["created_at"], None)
    [deviation] = [d for d in second.deviations if d.path == "$.created_at"]
    assert (deviation.value, deviation.problem) == (
        "yesterday",
        "expected int, got string; read as None",
    )
    # Strict: the path, the request id and the body.
    with pytest.raises(ResponseValidationError) as info:
        await client.with_options(strict=True).assistants.list().to_list()
    assert any("$.data[1].created_at" in line for line in info.value.errors)
    assert info.value.request_id == "req_bad"


async def test_non_json_success_body_is_a_validation_error(
    mocked: aioresponses, client: AssistantsClient
) -> None:
    mocked.get(URL, body="<html>ok</html>", content_type="text/html")
    with pytest.raises(ResponseValidationError, match="not JSON"):
        await client.assistants.retrieve("asst_1")


async def test_key_never_appears_in_errors_logs_or_repr(
    mocked: aioresponses, client: AssistantsClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="openai_assistants")
    mocked.get(URL, status=500, payload=ERROR)
    mocked.get(URL, status=401, payload={"error": {"message": "Incorrect API key"}})
    with pytest.raises(AuthenticationError, match="Incorrect API key") as info:
        await client.assistants.retrieve("asst_1")
    assert caplog.records  # the retry and the responses were logged
    for text in (repr(client), str(info.value), repr(info.value), caplog.text):
        assert KEY not in text
    assert KEY not in repr(client.config)


async def test_ids_swapped_as_the_official_client_orders_them_are_refused_before_sending(
    mocked: aioresponses, client: AssistantsClient
) -> None:
    with pytest.raises(ValueError, match="wrong order"):
        await client.runs.poll("run_abc", "thread_abc")  # openai: poll(run_id, thread_id)
    with pytest.raises(ValueError, match="thread_id 'msg_1' starts with 'msg_'"):
        await client.messages.retrieve("msg_1", "thread_1")
    with pytest.raises(ValueError, match="run_id 'msg_1' starts with 'msg_'"):
        await client.messages.list("thread_1", run_id="msg_1").to_list()
    assert not mocked.requests  # nothing was sent
