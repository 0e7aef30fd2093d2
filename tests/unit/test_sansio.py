"""The pure request/response rules, without sockets."""

from __future__ import annotations

import random
import re
from typing import Any

import pytest

from openai_assistants import (
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    UnprocessableEntityError,
)
from openai_assistants._config import ClientConfig
from openai_assistants._http.sansio import (
    MAX_RETRY_DELAY,
    auth_headers,
    base_headers,
    build_path,
    check_id,
    error_body_problems,
    rate_limit,
    retry_after,
    retry_delay,
    should_retry,
    status_error,
)


def make_config(**overrides: object) -> ClientConfig:
    args: dict[str, object] = {
        "api_key": "sk-x",
        "base_url": "https://example.test/v1/",
        "api_version": "v2",
        "auth_style": "bearer",
        "organization": None,
        "project": None,
        "default_headers": None,
        "default_query": None,
        "timeout": 10.0,
        "pool_timeout": 10.0,
        "max_retries": 2,
        "max_connections": 10,
        "verify_ssl": True,
    }
    args.update(overrides)
    return ClientConfig.from_args(**args)  # type: ignore[arg-type]


def test_base_headers_carry_the_beta_header_once_per_version() -> None:
    assert base_headers(make_config())["OpenAI-Beta"] == "assistants=v2"
    assert base_headers(make_config(api_version="v1"))["OpenAI-Beta"] == "assistants=v1"


def test_base_headers_org_project_and_defaults() -> None:
    headers = base_headers(
        make_config(organization="org-1", project="proj-1", default_headers={"X-Custom": "1"})
    )
    assert headers["OpenAI-Organization"] == "org-1"
    assert headers["OpenAI-Project"] == "proj-1"
    assert headers["X-Custom"] == "1"
    assert "Authorization" not in headers


def test_auth_header_styles() -> None:
    assert auth_headers(make_config(), "k") == {"Authorization": "Bearer k"}
    assert auth_headers(make_config(auth_style="api-key"), "k") == {"api-key": "k"}


def test_config_trims_base_url_and_reads_env(monkeypatch: pytest.MonkeyPatch) -> None:
    assert make_config().base_url == "https://example.test/v1"
    monkeypatch.setenv("OPENAI_API_KEY", "sk-env")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://env.test/v1")
    monkeypatch.setenv("OPENAI_ORG_ID", "org-env")
    monkeypatch.setenv("OPENAI_PROJECT_ID", "proj-env")
    config = make_config(api_key=None, base_url=None)
    assert (config.api_key, config.base_url) == ("sk-env", "http://env.test/v1")
    assert (config.organization, config.project) == ("org-env", "proj-env")


def test_config_without_key_fails_clearly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    with pytest.raises(ValueError, match="OPENAI_API_KEY"):
        make_config(api_key=None)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"api_version": "v3"}, "api_version"),
        ({"auth_style": "basic"}, "auth_style"),
        ({"timeout": 0}, "timeout"),
        ({"max_retries": -1}, "max_retries"),
        ({"max_connections": 0}, "max_connections"),
        ({"base_url": "ftp://x"}, "base_url"),
    ],
)
def test_config_rejects_bad_values(overrides: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        make_config(**overrides)


def test_config_repr_hides_the_key() -> None:
    assert "sk-x" not in repr(make_config())


@pytest.mark.parametrize(
    "bad", ["", "a/b", "a?b", "a#b", "..", ".", "a/../b", "a b", " a", "a\n", "a\\b", "x..y"]
)
def test_check_id_refuses_ids_that_leave_their_segment(bad: str) -> None:
    with pytest.raises(ValueError, match="thread_id"):
        check_id("thread_id", bad)


@pytest.mark.parametrize("bad", [None, 3, b"thread_1", ["t"]])
def test_check_id_refuses_non_strings(bad: object) -> None:
    with pytest.raises(TypeError, match="thread_id must be a str"):
        check_id("thread_id", bad)


def test_build_path_percent_encodes_every_segment() -> None:
    path = build_path("/threads/{thread_id}/runs/{run_id}", thread_id="th%2e", run_id="rün_1")
    assert path == "/threads/th%252e/runs/r%C3%BCn_1"


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (409, ConflictError),
        (422, UnprocessableEntityError),
        (429, RateLimitError),
        (500, InternalServerError),
        (502, InternalServerError),
        (503, InternalServerError),
        (418, APIStatusError),
    ],
)
def test_status_table(status: int, cls: type[APIStatusError]) -> None:
    body = {"error": {"message": "nope", "type": "x", "param": None, "code": None}}
    error = status_error(status, {"x-request-id": "req_1"}, body)
    assert type(error) is cls
    assert (error.status_code, error.request_id, error.message) == (status, "req_1", "nope")
    assert "req_1" in str(error)


def test_html_error_page_gives_readable_message() -> None:
    html = "<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body>"
    error = status_error(502, {}, html, reason="Bad Gateway")
    assert isinstance(error, InternalServerError)
    assert error.message == "502 Bad Gateway Bad Gateway"
    assert error.body == html


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"detail": "Assistant not found"}, "Assistant not found"),
        (
            {"detail": [{"loc": ["body", "model"], "msg": "field required", "type": "missing"}]},
            "body.model: field required",
        ),
        ({"statusCode": 401, "message": "Access denied"}, "Access denied"),
        ({"msg": "bad thing"}, "bad thing"),
        ({"errors": [{"message": "one"}, "two"]}, "one; two"),
        ({"error": "Cannot parse JSON"}, "Cannot parse JSON"),
        ({"error": {"code": "404", "message": "Resource not found"}}, "Resource not found"),
        ({"title": "Not Found", "detail": "no such run"}, "no such run"),
        ("plain words", "plain words"),
    ],
)
def test_error_bodies_of_every_shape_keep_the_servers_words(body: Any, message: str) -> None:
    error = status_error(404, {}, body)
    assert error.message == message
    assert type(error).__name__ == "NotFoundError"  # the class follows the status


def test_error_body_problems_name_the_path() -> None:
    conforming = {"error": {"message": "m", "type": "t", "param": None, "code": None}}
    assert error_body_problems(conforming) == []
    assert error_body_problems({"detail": "x"}) == ["missing @ $.error"]
    assert error_body_problems({"error": "x"}) == ["expected an object @ $.error"]
    assert error_body_problems({"error": {"code": "404", "message": "m"}}) == [
        "missing @ $.error.type",
        "missing @ $.error.param",
    ]
    assert error_body_problems("text") == ["expected an object, got text @ $"]


def test_empty_error_body_falls_back_to_status_line() -> None:
    assert status_error(503, {}, "", reason="Service Unavailable").message == (
        "503 Service Unavailable"
    )


def test_error_model_hook_types_the_error_object() -> None:
    body = {"error": {"message": "m", "type": "t"}}
    error = status_error(400, {}, body, error_model=lambda raw: ("typed", raw["type"]))
    assert error.error == ("typed", "t")


def test_rate_limit_error_carries_retry_after() -> None:
    error = status_error(429, {"retry-after": "7"}, {"error": {"message": "slow"}})
    assert isinstance(error, RateLimitError)
    assert error.retry_after == 7.0


def test_retry_after_variants() -> None:
    assert retry_after({"retry-after-ms": "250"}) == 0.25
    assert retry_after({"retry-after-ms": "250", "retry-after": "9"}) == 0.25
    assert retry_after({"retry-after": "3"}) == 3.0
    assert retry_after({"retry-after": "Wed, 21 Oct 2015 07:28:10 GMT"}, now=1445412480.0) == 10.0
    assert retry_after({"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"}, now=1445412490.0) == 0.0
    assert retry_after({"retry-after": "soon"}) is None
    assert retry_after({"retry-after-ms": "x"}) is None
    assert retry_after({}) is None


@pytest.mark.parametrize(
    ("status", "headers", "expected"),
    [
        (408, {}, True),
        (409, {}, True),
        (429, {}, True),
        (500, {}, True),
        (503, {}, True),
        (400, {}, False),
        (404, {}, False),
        (400, {"x-should-retry": "true"}, True),
        (503, {"x-should-retry": "false"}, False),
    ],
)
def test_should_retry(status: int, headers: dict[str, str], expected: bool) -> None:
    assert should_retry(status, headers) is expected


def test_retry_delay_backs_off_with_jitter_and_a_cap() -> None:
    rng = random.Random(1)
    delays = [retry_delay(attempt, None, rng) for attempt in range(10)]
    assert 0.375 <= delays[0] <= 0.5
    assert 0.75 <= delays[1] <= 1.0
    assert all(d <= MAX_RETRY_DELAY for d in delays)
    assert delays[9] >= MAX_RETRY_DELAY * 0.75
    assert retry_delay(3, 1.5, rng) == 1.5


def test_rate_limit_headers_parse_and_tolerate_garbage() -> None:
    parsed = rate_limit(
        {
            "x-ratelimit-limit-requests": "60",
            "x-ratelimit-remaining-requests": "59",
            "x-ratelimit-limit-tokens": "oops",
            "x-ratelimit-reset-requests": "1s",
        }
    )
    assert parsed.limit_requests == 60
    assert parsed.remaining_requests == 59
    assert parsed.limit_tokens is None
    assert parsed.reset_requests == "1s"


@pytest.mark.parametrize(
    ("ids", "message"),
    [
        (
            {"thread_id": "run_abc", "run_id": "thread_abc"},
            "thread_id 'run_abc' starts with 'run_', the prefix of run_ids",
        ),
        (
            {"thread_id": "thread_1", "run_id": "msg_1"},
            "run_id 'msg_1' starts with 'msg_', the prefix of message_ids",
        ),
        (
            {"thread_id": "asst_1", "run_id": "run_1"},
            "thread_id 'asst_1' starts with 'asst_', the prefix of assistant_ids",
        ),
    ],
)
def test_swapped_ids_are_refused_naming_the_swap(ids: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)) as info:
        build_path("/threads/{thread_id}/runs/{run_id}", **ids)
    assert "wrong order" in str(info.value)


@pytest.mark.parametrize(
    "value",
    [
        "run_abc",  # its own prefix
        "0b8f3a52-6c1e-4f0b-9d0a-8d1c2e3f4a5b",  # a UUID, as other servers send
        "65f1c2d3e4b5a6978899aabb",  # an ObjectId
        "12345",
        "runner_1",  # not a prefix of another kind
    ],
)
def test_ids_in_other_formats_pass(value: str) -> None:
    assert build_path("/runs/{run_id}", run_id=value) == f"/runs/{value}"
    assert check_id("run_id", value) == value
    assert check_id("tool_call_id", "run_1") == "run_1"  # no known prefix for this kind
