"""The key stays secret: reprs, errors, logs, URLs, redirects, TLS, rotating keys."""

from __future__ import annotations

import logging
import ssl
from collections.abc import AsyncIterator

import pytest
import trustme
from aiohttp import web
from support.local_server import ASSISTANT, LocalServer, local_server

from openai_assistants import (
    APIConnectionError,
    APIStatusError,
    AssistantsClient,
    AuthenticationError,
)
from openai_assistants.testing import FakeAssistantsServer

SECRET = "sk-live-abcdef0123456789SECRET"


async def test_key_is_absent_from_reprs_errors_logs_and_urls(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG, logger="openai_assistants")
    async with FakeAssistantsServer(api_key="sk-other") as server:
        client = AssistantsClient(api_key=SECRET, base_url=server.base_url, max_retries=1)
        async with client:
            with pytest.raises(AuthenticationError) as info:
                await client.assistants.list().to_list()
        dead = AssistantsClient(api_key=SECRET, base_url="http://127.0.0.1:9/v1", max_retries=0)
        async with dead:
            with pytest.raises(APIConnectionError) as down:
                await dead.threads.retrieve("thread_1")
        texts = [repr(client), str(client.config), repr(client.config), caplog.text]
        texts += [str(info.value), repr(info.value), str(info.value.body), str(down.value)]
        assert all(SECRET not in text for text in texts)
        assert "<redacted>" in caplog.text  # the headers were logged, masked
        assert server.requests
        assert all(SECRET not in r.path + r.query_string for r in server.requests)
        assert all(r.headers.get("Authorization") == f"Bearer {SECRET}" for r in server.requests)


@pytest.fixture
async def two_servers() -> AsyncIterator[tuple[LocalServer, LocalServer]]:
    async with local_server() as origin, local_server() as elsewhere:
        yield origin, elsewhere


@pytest.mark.parametrize("style", ["bearer", "api-key"])
async def test_a_redirect_to_another_host_is_not_followed(
    two_servers: tuple[LocalServer, LocalServer], style: str
) -> None:
    origin, elsewhere = two_servers

    async def redirect(request: web.Request) -> web.StreamResponse:
        raise web.HTTPTemporaryRedirect(elsewhere.base_url + "/assistants/asst_1")

    origin.handler = redirect
    async with AssistantsClient(
        api_key=SECRET,
        base_url=origin.base_url,
        auth_style=style,  # type: ignore[arg-type]
    ) as client:
        with pytest.raises(APIStatusError, match="only redirects within the same origin") as info:
            await client.assistants.retrieve("asst_1")
    assert info.value.status_code == 307
    assert origin.hits == 1
    assert elsewhere.hits == 0  # the other host never heard from us, with or without the key


async def test_a_same_origin_redirect_is_followed_with_credentials() -> None:
    async with local_server() as server:
        headers: list[str | None] = []

        async def handle(request: web.Request) -> web.StreamResponse:
            if request.path.endswith("/old"):
                raise web.HTTPPermanentRedirect("/v1/assistants/asst_1")
            headers.append(request.headers.get("Authorization"))
            return web.json_response(ASSISTANT)

        server.handler = handle
        async with AssistantsClient(api_key=SECRET, base_url=server.base_url) as client:
            assistant = await client.assistants.retrieve("old")
    assert assistant.id == "asst_1"
    assert headers == [f"Bearer {SECRET}"]


@pytest.fixture(scope="module")
def certificate_authority() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
async def tls_server(certificate_authority: trustme.CA) -> AsyncIterator[LocalServer]:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    certificate_authority.issue_cert("127.0.0.1").configure_cert(context)
    async with local_server(ssl_context=context) as server:
        yield server


async def test_tls_is_verified_unless_turned_off_explicitly(tls_server: LocalServer) -> None:
    url = tls_server.base_url
    assert url.startswith("https://")
    async with AssistantsClient(api_key=SECRET, base_url=url, max_retries=0) as client:
        with pytest.raises(APIConnectionError, match=r"(?i)certificate"):
            await client.assistants.retrieve("asst_1")
    assert tls_server.hits == 0  # the request (and its key) never left the failed handshake
    async with AssistantsClient(
        api_key=SECRET, base_url=url, verify_ssl=False, max_retries=0
    ) as insecure:
        assert (await insecure.assistants.retrieve("asst_1")).id == "asst_1"
    assert tls_server.hits == 1


async def test_a_callable_key_is_called_for_every_request() -> None:
    calls = 0

    async def rotating() -> str:
        nonlocal calls
        calls += 1
        return f"sk-token-{calls}"

    async with local_server() as server:
        seen: list[str | None] = []

        async def handle(request: web.Request) -> web.StreamResponse:
            seen.append(request.headers.get("Authorization"))
            return web.json_response(ASSISTANT)

        server.handler = handle
        async with AssistantsClient(api_key=rotating, base_url=server.base_url) as client:
            for _ in range(3):
                await client.assistants.retrieve("asst_1")
    assert seen == ["Bearer sk-token-1", "Bearer sk-token-2", "Bearer sk-token-3"]
    assert "sk-token" not in repr(client)
