"""``AssistantsClient``: the configuration, the session manager and the services."""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from types import TracebackType
from typing import TYPE_CHECKING

import aiohttp
import attrs

from ._batch import Batch
from ._config import (
    DEFAULT_MAX_CONNECTIONS,
    DEFAULT_MAX_RETRIES,
    DEFAULT_MAX_WAIT,
    DEFAULT_POOL_TIMEOUT,
    DEFAULT_TIMEOUT,
    ApiKey,
    ApiVersion,
    AuthStyle,
    ClientConfig,
)
from ._http.hooks import Hook
from ._http.transport import SessionManager, Transport
from ._types import NOT_GIVEN, NotGiven
from .resources import (
    AssistantFiles,
    Assistants,
    MessageFiles,
    Messages,
    Runs,
    RunSteps,
    Threads,
)

if TYPE_CHECKING:  # the files and vector-store services load on first use
    from .resources.files import Files, Uploads
    from .resources.vector_stores import VectorStoreFileBatches, VectorStoreFiles, VectorStores

__all__ = ["AssistantsClient"]


class AssistantsClient:
    """An async client for the Assistants API (v1 or v2) and compatible servers.

    Use it as ``async with AssistantsClient(...) as client:`` or call ``await client.close()``.
    The aiohttp session is created on first use inside the running loop; a ``session`` you pass
    in is used as is and never closed by the client. Arguments left as ``None`` fall back to the
    ``OPENAI_API_KEY``, ``OPENAI_BASE_URL``, ``OPENAI_ORG_ID`` and ``OPENAI_PROJECT_ID``
    environment variables.

    Responses are read leniently: a server that leaves the spec costs no readable data, and each
    deviation is recorded on the object it was found in (``obj.deviations``) and logged once per
    field. ``strict=True`` raises ``ResponseValidationError`` on every deviation instead, for
    checking that a server conforms.

    Calls share one view of the server's rate limit (``x-ratelimit-*`` headers, 429 waits): a
    call that would be refused is held until the server has room, never longer than its own
    timeout. ``rate_limit_coordination=False`` lets each call meet the limit on its own.
    ``hooks`` are called with each request, response, retry, rate-limit hold and stream event.
    """

    assistants: Assistants
    threads: Threads
    messages: Messages
    runs: Runs
    run_steps: RunSteps
    assistant_files: AssistantFiles
    message_files: MessageFiles
    #: Run a coroutine function over many items, a bounded number at a time (``batch.map``).
    batch: Batch

    def __init__(
        self,
        *,
        api_key: ApiKey | None = None,
        base_url: str | None = None,
        api_version: ApiVersion = "v2",
        auth_style: AuthStyle = "bearer",
        organization: str | None = None,
        project: str | None = None,
        default_headers: Mapping[str, str] | None = None,
        default_query: Mapping[str, str] | None = None,
        timeout: float | None = DEFAULT_TIMEOUT,
        pool_timeout: float | None = DEFAULT_POOL_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        max_connections: int = DEFAULT_MAX_CONNECTIONS,
        verify_ssl: bool = True,
        max_wait: float | None = DEFAULT_MAX_WAIT,
        strict: bool = False,
        rate_limit_coordination: bool = True,
        hooks: Sequence[Hook] = (),
        session: aiohttp.ClientSession | None = None,
    ) -> None:
        config = ClientConfig.from_args(
            api_key=api_key,
            base_url=base_url,
            api_version=api_version,
            auth_style=auth_style,
            organization=organization,
            project=project,
            default_headers=default_headers,
            default_query=default_query,
            timeout=timeout,
            pool_timeout=pool_timeout,
            max_retries=max_retries,
            max_connections=max_connections,
            verify_ssl=verify_ssl,
            max_wait=max_wait,
            strict=strict,
            rate_limit_coordination=rate_limit_coordination,
            hooks=hooks,
        )
        self._setup(Transport(config, SessionManager(config, session)))

    def _setup(self, transport: Transport) -> None:
        self._transport = transport
        self.assistants = Assistants(transport)
        self.threads = Threads(transport)
        self.messages = Messages(transport)
        self.runs = Runs(transport)
        self.run_steps = RunSteps(transport)
        self.assistant_files = AssistantFiles(transport)
        self.message_files = MessageFiles(transport)
        self.batch = Batch()

    # -- the files and vector-store services, made (and their modules imported) on first use --

    @functools.cached_property
    def files(self) -> Files:
        """``/files``: upload, list, retrieve, delete and download files."""
        from .resources.files import Files

        return Files(self._transport)

    @functools.cached_property
    def uploads(self) -> Uploads:
        """``/uploads``: large files sent in parts."""
        from .resources.files import Uploads

        return Uploads(self._transport)

    @functools.cached_property
    def vector_stores(self) -> VectorStores:
        """``/vector_stores``: create, list, update, delete and search vector stores."""
        from .resources.vector_stores import VectorStores

        return VectorStores(self._transport)

    @functools.cached_property
    def vector_store_files(self) -> VectorStoreFiles:
        """``/vector_stores/{id}/files``: files attached to a vector store."""
        from .resources.vector_stores import VectorStoreFiles

        return VectorStoreFiles(self._transport)

    @functools.cached_property
    def vector_store_file_batches(self) -> VectorStoreFileBatches:
        """``/vector_stores/{id}/file_batches``: many files attached at once."""
        from .resources.vector_stores import VectorStoreFileBatches

        return VectorStoreFileBatches(self._transport)

    @property
    def config(self) -> ClientConfig:
        """The client's settings (the key is hidden from ``repr``)."""
        return self._transport.config

    @property
    def api_version(self) -> ApiVersion:
        return self._transport.config.api_version

    @property
    def base_url(self) -> str:
        return self._transport.config.base_url

    def __repr__(self) -> str:
        return f"AssistantsClient(base_url={self.base_url!r}, api_version={self.api_version!r})"

    def with_options(
        self,
        *,
        timeout: float | NotGiven | None = NOT_GIVEN,
        pool_timeout: float | NotGiven | None = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        max_wait: float | NotGiven | None = NOT_GIVEN,
        default_headers: Mapping[str, str] | NotGiven = NOT_GIVEN,
        default_query: Mapping[str, str] | NotGiven = NOT_GIVEN,
        strict: bool | NotGiven = NOT_GIVEN,
        rate_limit_coordination: bool | NotGiven = NOT_GIVEN,
        hooks: Sequence[Hook] | NotGiven = NOT_GIVEN,
    ) -> AssistantsClient:
        """A client with some settings changed that shares this one's session and pool."""
        changes = {
            name: value
            for name, value in {
                "timeout": timeout,
                "pool_timeout": pool_timeout,
                "max_retries": max_retries,
                "max_wait": max_wait,
                "default_headers": default_headers,
                "default_query": default_query,
                "strict": strict,
                "rate_limit_coordination": rate_limit_coordination,
                "hooks": hooks,
            }.items()
            if not isinstance(value, NotGiven)
        }
        old = self._transport.config
        config = ClientConfig.from_args(**{**attrs.asdict(old, recurse=False), **changes})
        clone = object.__new__(AssistantsClient)
        clone._setup(Transport(config, self._transport.sessions))
        return clone

    async def close(self) -> None:
        """Close the session if the client created it (shared with ``with_options`` clones)."""
        await self._transport.sessions.close()

    async def __aenter__(self) -> AssistantsClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()
