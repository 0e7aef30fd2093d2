"""Lenient reading (the default) and strict reading, rule by rule (``_serde.lenient``)."""

from __future__ import annotations

import logging
from typing import Any

import attrs
import pytest
import yaml
from support import SPEC_DIR
from support.serde import unstructure

from openai_assistants import Deviation, ResponseValidationError
from openai_assistants import models as m
from openai_assistants._serde.lenient import ROOTS, SPEC_REQUIRED
from openai_assistants._serde.reader import read

RUN = {
    "id": "run_1",
    "object": "thread.run",
    "thread_id": "thread_1",
    "assistant_id": "asst_1",
    "status": "completed",
}


def lenient(data: Any, model: Any) -> Any:
    return read(data, model, strict=False, request_id="req_1")


def strict_errors(data: Any, model: Any) -> list[str]:
    with pytest.raises(ResponseValidationError) as info:
        read(data, model, strict=True, request_id="req_1")
    assert info.value.request_id == "req_1"
    return info.value.errors


def found(obj: Any) -> list[tuple[str, str]]:
    return [(d.path, d.problem) for d in obj.deviations]


def test_spec_required_is_what_both_spec_versions_require() -> None:
    documents = [
        yaml.safe_load((SPEC_DIR / f"assistants-{v}.openapi.yaml").read_text())
        for v in ("v1", "v2")
    ]
    files_document = yaml.safe_load((SPEC_DIR / "files-vector-stores.openapi.yaml").read_text())
    schema_of = {
        m.Assistant: "AssistantObject",
        m.Thread: "ThreadObject",
        m.Message: "MessageObject",
        m.MessageDelta: "MessageDeltaObject",
        m.Run: "RunObject",
        m.RunStep: "RunStepObject",
        m.RunStepDelta: "RunStepDeltaObject",
        m.DeletionStatus: "DeleteAssistantResponse",
        m.AssistantFile: "AssistantFileObject",
        m.MessageFile: "MessageFileObject",
    }
    files_schema_of = {
        m.FileObject: "OpenAIFile",
        m.Upload: "Upload",
        m.UploadPart: "UploadPart",
        m.VectorStore: "VectorStoreObject",
        m.VectorStoreFile: "VectorStoreFileObject",
        m.VectorStoreFileBatch: "VectorStoreFileBatchObject",
    }
    # Required upstream but deprecated there, and left out of the API's own examples.
    not_required: dict[type, set[str]] = {m.FileObject: {"status"}}
    assert set(schema_of) | set(files_schema_of) == set(SPEC_REQUIRED) == ROOTS
    for model, schema in schema_of.items():
        required = [
            set(doc["components"]["schemas"][schema]["required"])
            for doc in documents
            if schema in doc["components"]["schemas"]
        ]
        assert set(SPEC_REQUIRED[model]) == set.intersection(*required), model.__name__
    for model, schema in files_schema_of.items():
        upstream = set(files_document["components"]["schemas"][schema]["required"])
        expected = upstream - not_required.get(model, set())
        assert set(SPEC_REQUIRED[model]) == expected, model.__name__


# --- scalars --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "sent", "read_as", "problem"),
    [
        ("created_at", "2024-01-02T03:04:05Z", 1704164645, "expected int, got string"),
        ("created_at", "2024-01-02T03:04:05", 1704164645, "expected int, got string"),
        ("created_at", 1704164645.0, 1704164645, "a fractional timestamp"),
        ("created_at", 1704164645.7, 1704164645, "a fractional timestamp"),
        ("created_at", 1704164645123, 1704164645, "a timestamp in milliseconds"),
        ("created_at", "1704164645", 1704164645, "expected int, got string"),
        ("max_prompt_tokens", 100.0, 100, "expected int, got number"),
        ("temperature", "0.5", 0.5, "expected float, got string"),
        ("model", 7, "7", "expected str, got number"),
        ("parallel_tool_calls", "true", True, "expected bool, got string"),
        ("parallel_tool_calls", 0, False, "expected bool, got number"),
    ],
)
def test_a_scalar_with_a_plain_reading_is_converted_and_recorded(
    field: str, sent: Any, read_as: Any, problem: str
) -> None:
    run = lenient({**RUN, field: sent}, m.Run)
    assert getattr(run, field) == read_as
    [deviation] = [d for d in run.deviations if d.path == f"$.{field}"]
    assert deviation.problem.startswith(problem)
    assert deviation.value == sent
    assert strict_errors({**RUN, field: sent}, m.Run)[-1].endswith(f"@ $.{field}")


@pytest.mark.parametrize(
    ("field", "sent", "default"),
    [
        ("created_at", "yesterday", None),
        ("created_at", [1], None),
        ("model", {"name": "gpt"}, None),
        ("usage", "lots", None),
        ("tools", None, []),
        ("tools", {"type": "code_interpreter"}, []),
        ("temperature", True, None),
    ],
)
def test_a_field_that_cannot_be_read_holds_its_default(field: str, sent: Any, default: Any) -> None:
    run = lenient({**RUN, field: sent}, m.Run)
    assert getattr(run, field) == default
    assert (run.id, run.status) == ("run_1", "completed")  # the rest is intact
    [deviation] = [d for d in run.deviations if d.path == f"$.{field}"]
    assert deviation.problem.endswith(f"read as {default!r}")
    assert deviation.value == sent


def test_null_for_an_optional_field_is_not_a_deviation() -> None:
    run = lenient({**RUN, "created_at": None, "metadata": None, "usage": None}, m.Run)
    assert [path for path, _ in found(run)] == [
        f"$.{key}"
        for key in SPEC_REQUIRED[m.Run]
        if key not in (*RUN, "created_at", "metadata", "usage")
    ]


def test_a_required_field_without_a_default_holds_its_zero() -> None:
    data = {key: value for key, value in RUN.items() if key != "status"}
    run = lenient(data, m.Run)
    assert run.status == ""
    assert ("$.status", "missing; read as ''") in found(run)
    assert sum(path == "$.status" for path, _ in found(run)) == 1  # once, not also "required"
    assert "required field missing @ $.status" in strict_errors(data, m.Run)


UNUSABLE = "an object without an id is unusable"


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({**RUN, "id": None}, f"expected a string, got null; {UNUSABLE} @ $.id"),
        ({k: v for k, v in RUN.items() if k != "id"}, f"missing; {UNUSABLE} @ $.id"),
        (None, "expected an object, got null @ $"),
        (["run_1"], "expected an object, got array @ $"),
    ],
)  # fmt: skip
def test_an_object_without_an_id_is_unusable(data: Any, error: str) -> None:
    with pytest.raises(ResponseValidationError) as info:
        lenient(data, m.Run)
    assert info.value.errors == [error]


def test_a_page_item_without_an_id_names_the_item() -> None:
    with pytest.raises(ResponseValidationError) as info:
        read(
            [RUN, {"object": "thread.run"}],
            list[m.Run],
            strict=False,
            request_id=None,
            path="$.data",
        )
    assert info.value.errors == ["missing; an object without an id is unusable @ $.data[1].id"]


# --- unions, lists, unknown keys ------------------------------------------------------------------

MESSAGE: dict[str, Any] = {
    "id": "msg_1",
    "object": "thread.message",
    "thread_id": "thread_1",
    "role": "assistant",
    "content": [
        {"type": "text", "text": ["not", "an", "object"]},
        {"type": "text", "text": {"value": "kept", "annotations": None}},
        "junk",
        {"type": "brand_new", "payload": 1},
        {"text": {"value": "no tag"}},
    ],
}


def test_one_bad_content_part_costs_only_itself() -> None:
    message = lenient(MESSAGE, m.Message)
    assert (message.id, message.role) == ("msg_1", "assistant")
    first, second, unknown, untagged = message.content
    assert first == m.UnknownContent(raw=MESSAGE["content"][0])
    assert second == m.TextContent(text=m.Text(value="kept", annotations=[]))
    assert unknown == m.UnknownContent(raw=MESSAGE["content"][3])
    assert untagged == m.UnknownContent(raw=MESSAGE["content"][4])
    problems = dict(found(message))
    assert problems["$.content[0]"].startswith("a 'text' member that does not fit TextContent")
    assert problems["$.content[1].text.annotations"] == "expected an array, got null; read as []"
    assert problems["$.content[2]"].endswith("; item left out")
    assert problems["$.content[3]"].startswith("a 'brand_new' member the spec does not have")
    assert problems["$.content[4]"].startswith("no 'type' tag (null)")
    assert unstructure(message)["content"][0] == MESSAGE["content"][0]  # round-trips as sent


def test_deviations_inside_a_misfit_member_collapse_into_one() -> None:
    part = {"type": "text", "text": {"value": 5, "annotations": None, "oops": 1}}
    message = lenient({**MESSAGE, "content": [part]}, m.Message)
    assert message.content == [m.TextContent(text=m.Text(value="5", annotations=[]))]
    # A field that reads with a conversion keeps the member; its deviations are its own.
    assert [p for p, _ in found(message) if p.startswith("$.content")] == [
        "$.content[0].text.value",
        "$.content[0].text.annotations",
        "$.content[0].text.oops",
    ]
    broken = {"type": "text", "text": {"annotations": None}}  # no value at all
    message = lenient({**MESSAGE, "content": [broken]}, m.Message)
    assert message.content == [m.UnknownContent(raw=broken)]
    assert [p for p, _ in found(message) if p.startswith("$.content")] == ["$.content[0]"]


def test_keys_the_spec_does_not_have_are_kept_in_the_deviation() -> None:
    run = lenient({**RUN, "updated_at": 5, "extra_body": {"a": 1}}, m.Run)
    extra = {d.path: d.value for d in run.deviations if "spec does not have" in d.problem}
    assert extra == {"$.updated_at": 5, "$.extra_body": {"a": 1}}
    errors = strict_errors({**RUN, "updated_at": 5}, m.Run)
    assert "extra fields found (updated_at) @ $" in errors


def test_metadata_keeps_any_json_and_records_what_is_not_a_string() -> None:
    thread = lenient(
        {"id": "t", "object": "thread", "created_at": 1, "metadata": {"a": "b", "usage": {"n": 0}}},
        m.Thread,
    )
    assert thread.metadata == {"a": "b", "usage": {"n": 0}}
    assert found(thread) == [("$.metadata.usage", "a object, the spec has strings; kept as sent")]
    errors = strict_errors(
        {"id": "t", "object": "thread", "created_at": 1, "metadata": {"usage": {"n": 0}}}, m.Thread
    )
    assert errors == ["metadata values must be strings, got object at 'usage' @ $.metadata"]


# --- the deviations field -------------------------------------------------------------------------


def test_deviations_are_read_only_and_never_compared_shown_or_sent() -> None:
    run = lenient({**RUN, "tools": None}, m.Run)
    assert run.deviations
    assert run == m.Run(id="run_1", thread_id="thread_1", assistant_id="asst_1", status="completed")
    assert "deviations" not in repr(run)
    assert "deviations" not in unstructure(run)
    assert attrs.evolve(run, status="failed").deviations == ()
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        run.deviations = ()
    assert isinstance(run.deviations[0], Deviation)
    # A server that sends "deviations" cannot set them.
    sent = lenient({**RUN, "deviations": [1]}, m.Run)
    assert [d.path for d in sent.deviations if d.value == [1]] == ["$.deviations"]


def test_a_conforming_object_has_no_deviations() -> None:
    complete = dict.fromkeys(SPEC_REQUIRED[m.Run]) | RUN | {"tools": [], "metadata": {}}
    assert lenient(complete, m.Run).deviations == ()
    read(complete, m.Run, strict=True, request_id=None)  # and strict reading takes it


def test_each_field_is_logged_once(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="openai_assistants")
    marker = {"marker_key_for_this_test": 1}
    for _ in range(3):
        lenient({**RUN, **marker}, m.Run)
    logged = [
        r.getMessage() for r in caplog.records if "marker_key_for_this_test" in r.getMessage()
    ]
    assert len(logged) == 1
    assert logged[0].startswith("Run from the server deviates from the spec at ")


def test_every_top_level_object_carries_deviations() -> None:
    for model in ROOTS:
        field = attrs.fields_dict(model)["deviations"]
        assert (field.init, field.eq, field.repr, field.default) == (False, False, False, ())
