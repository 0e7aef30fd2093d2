"""OpenTelemetry spans and metrics for the client, as an event hook.

``AssistantsClient(hooks=[opentelemetry_hook()])`` (``pip install 'openai-assistants[otel]'``)
records one client span per HTTP attempt, following OpenTelemetry's HTTP client conventions:
named by the method, with ``http.request.method``, ``server.address``, ``server.port``,
``url.full`` (without the query, which may hold a key), ``http.response.status_code``,
``http.request.resend_count`` on a retry and ``error.type`` when it failed; plus
``openai_assistants.operation`` (the spec's operation id) and ``openai_assistants.request_id``.
Each attempt's duration goes to the ``http.client.request.duration`` histogram (seconds). No
credential, header or body is recorded. Spans use the active context, so they nest under yours.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from yarl import URL

from ._http.hooks import Hook, HookEvent, RequestFailed, RequestSent, ResponseReceived

if TYPE_CHECKING:
    from opentelemetry.metrics import MeterProvider
    from opentelemetry.trace import TracerProvider

__all__ = ["opentelemetry_hook"]


def opentelemetry_hook(
    tracer_provider: TracerProvider | None = None, meter_provider: MeterProvider | None = None
) -> Hook:
    """A hook recording spans and metrics (the global providers unless given)."""
    try:
        from opentelemetry import metrics, trace
        from opentelemetry.trace import SpanKind, Status, StatusCode
    except ImportError:  # pragma: no cover - the extra's own message
        raise ImportError(
            "opentelemetry_hook needs the OpenTelemetry API: pip install 'openai-assistants[otel]'"
        ) from None
    from ._version import __version__

    tracer = trace.get_tracer("openai_assistants", __version__, tracer_provider=tracer_provider)
    meter = metrics.get_meter("openai_assistants", __version__, meter_provider=meter_provider)
    duration = meter.create_histogram(
        "http.client.request.duration", unit="s", description="Duration of HTTP client requests."
    )
    #: The span of the attempt each task has in flight (attempts of one call are sequential).
    open_spans: dict[asyncio.Task[Any] | None, tuple[Any, float, dict[str, Any]]] = {}

    def hook(event: HookEvent) -> None:
        task = asyncio.current_task()
        if isinstance(event, RequestSent):
            url = URL(event.url)
            attributes: dict[str, Any] = {
                "http.request.method": event.method,
                "server.address": url.host or "",
                "server.port": url.port or 0,
                "url.full": str(url.with_query(None)),
                "openai_assistants.operation": event.operation,
            }
            if event.attempt:
                attributes["http.request.resend_count"] = event.attempt
            span = tracer.start_span(event.method, kind=SpanKind.CLIENT, attributes=attributes)
            open_spans[task] = (span, asyncio.get_running_loop().time(), attributes)
        elif isinstance(event, (ResponseReceived, RequestFailed)):
            entry = open_spans.pop(task, None)
            if entry is None:
                return
            span, started, attributes = entry
            measured = {
                k: attributes[k] for k in ("http.request.method", "server.address", "server.port")
            }
            if isinstance(event, ResponseReceived):
                span.set_attribute("http.response.status_code", event.status_code)
                measured["http.response.status_code"] = event.status_code
                if event.request_id:
                    span.set_attribute("openai_assistants.request_id", event.request_id)
                if event.status_code >= 400:
                    span.set_attribute("error.type", str(event.status_code))
                    measured["error.type"] = str(event.status_code)
                    span.set_status(Status(StatusCode.ERROR))
            else:
                span.set_attribute("error.type", event.error)
                measured["error.type"] = event.error
                span.set_status(Status(StatusCode.ERROR, event.reason))
            span.end()
            duration.record(asyncio.get_running_loop().time() - started, measured)

    return hook
