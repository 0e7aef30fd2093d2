"""The OpenTelemetry hook: one client span per HTTP attempt, and the duration histogram."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import HistogramDataPoint, InMemoryMetricReader
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode

from openai_assistants.telemetry import opentelemetry_hook
from openai_assistants.testing import FakeAssistantsServer, Fault


@pytest.fixture
def exporter() -> Iterator[InMemorySpanExporter]:
    exporter = InMemorySpanExporter()
    yield exporter
    exporter.shutdown()


async def test_one_span_per_attempt_with_status_and_request_id(
    exporter: InMemorySpanExporter, no_sleep: list[float]
) -> None:
    tracing = TracerProvider()
    tracing.add_span_processor(SimpleSpanProcessor(exporter))
    reader = InMemoryMetricReader()
    hook = opentelemetry_hook(tracing, MeterProvider(metric_readers=[reader]))
    async with FakeAssistantsServer() as server:
        assistant_id = server.factories.assistant()["id"]
        server.inject(Fault.error(503), times=1)
        async with server.client(hooks=[hook]) as client:
            await client.assistants.retrieve(assistant_id)
    first, second = exporter.get_finished_spans()
    for span in (first, second):
        assert span.name == "GET"
        assert span.kind is SpanKind.CLIENT
        attributes = dict(span.attributes or {})
        assert attributes["openai_assistants.operation"] == "getAssistant"
        assert attributes["url.full"] == f"{server.base_url}/assistants/{assistant_id}"
        assert attributes["server.address"] == "127.0.0.1"
        assert str(attributes["openai_assistants.request_id"]).startswith("req_")
        assert not any("key" in name or "authorization" in name for name in attributes)
    assert dict(first.attributes or {})["http.response.status_code"] == 503
    assert first.status.status_code is StatusCode.ERROR
    assert dict(second.attributes or {})["http.response.status_code"] == 200
    assert dict(second.attributes or {})["http.request.resend_count"] == 1
    assert "http.request.resend_count" not in dict(first.attributes or {})
    metrics = reader.get_metrics_data()
    assert metrics is not None
    [histogram] = [
        metric
        for resource in metrics.resource_metrics
        for scope in resource.scope_metrics
        for metric in scope.metrics
        if metric.name == "http.client.request.duration"
    ]
    points = [p for p in histogram.data.data_points if isinstance(p, HistogramDataPoint)]
    counts = {dict(p.attributes or {})["http.response.status_code"]: p.count for p in points}
    assert counts == {503: 1, 200: 1}


async def test_an_attempt_without_an_answer_ends_its_span_with_the_error(
    exporter: InMemorySpanExporter, no_sleep: list[float]
) -> None:
    tracing = TracerProvider()
    tracing.add_span_processor(SimpleSpanProcessor(exporter))
    async with FakeAssistantsServer() as server:
        server.inject(Fault.drop_connection(), times=1)
        async with server.client(hooks=[opentelemetry_hook(tracing)]) as client:
            await client.threads.create()
    failed, ok = exporter.get_finished_spans()
    assert dict(failed.attributes or {})["error.type"] == "APIConnectionError"
    assert failed.status.status_code is StatusCode.ERROR
    assert dict(ok.attributes or {})["http.response.status_code"] == 200
