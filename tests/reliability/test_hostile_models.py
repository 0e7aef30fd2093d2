"""Hostile JSON into every response model: a model or a ``ResponseValidationError``, nothing else.

Each property hands JSON to ``_transport.structure`` (what every response goes through) and
accepts exactly two outcomes: a model that unstructures again, or a ``ResponseValidationError``
whose ``errors`` are readable lines with a JSON path and whose causes are the converter's own
checks (a type mismatch, a missing field), never an internal exception in disguise.
"""

from __future__ import annotations

import json
import time
import types
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from multidict import CIMultiDict, CIMultiDictProxy
from support.hostile import (
    DEEPEST,
    RESPONSE_MODELS,
    almost_valid,
    check_validation_error,
    json_for,
    model_and_json,
    mutated,
    nested,
    random_json,
)
from support.reliability import Figures
from support.serde import unstructure

from openai_assistants import ResponseValidationError
from openai_assistants import models as m
from openai_assistants._serde.reader import decode_json, read
from openai_assistants.resources._pagination import Page, parse_page

pytestmark = pytest.mark.slow  # thousands of generated inputs

FIGURES = Figures("models")

#: A plain read() call slower than this is treated as a hang.
SLOW = 5.0


def structured_or_rejected(prop: str, data: Any, model: Any, path: str = "$") -> Any:
    """Structure ``data``; return the result or ``None`` after checking the error it raised."""
    started = time.monotonic()
    try:
        result = read(data, model, strict=False, request_id=None, path=path)
    except ResponseValidationError as exc:
        check_validation_error(exc)
        FIGURES.count(prop, type(exc).__name__)
        return None
    finally:
        assert time.monotonic() - started < SLOW, "read() took too long"
    FIGURES.count(prop)
    return result


# --- anything at all ------------------------------------------------------------------------------


@settings(max_examples=400)
@given(model=st.sampled_from(RESPONSE_MODELS), data=random_json)
def test_random_json_gives_a_model_or_a_validation_error(model: type, data: Any) -> None:
    result = structured_or_rejected("random_json", data, model)
    if result is not None:
        assert isinstance(result, model)
        unstructure(result)


# --- valid, then almost valid ---------------------------------------------------------------------


@settings(max_examples=200)
@given(case=model_and_json(json_for))
def test_valid_json_structures_and_round_trips(case: tuple[type, Any]) -> None:
    """The generator's valid JSON is accepted, and a model survives unstructure + structure."""
    model, data = case
    result = structured_or_rejected("valid_json", data, model)
    assert isinstance(result, model), "valid JSON was rejected"
    again = read(unstructure(result), model, strict=False, request_id=None)
    assert again == result


class Built:
    """An explicit example built when the test runs, shown by name: hypothesis would otherwise
    print (and recurse through) the whole value if the example failed."""

    def __init__(self, name: str, build: Callable[[], Any]) -> None:
        self.name = name
        self.build = build

    def __repr__(self) -> str:
        return f"Built({self.name!r})"


def _deep_tools() -> list[Any]:
    return [
        {"type": "function", "function": {"name": "f", "parameters": nested(DEEPEST - 4)}},
        {"type": "new_tool", "options": nested(DEEPEST - 3)},
    ]


# Free-form JSON (a function's ``parameters``, an unknown tool's ``raw``, a JSON schema, a
# file-search delta) nested as deep as a server can send it: the model builds, and must
# unstructure again without a RecursionError.
DEEP_ASSISTANT = Built("deep tools", lambda: {"id": "asst_1", "tools": _deep_tools()})
DEEP_RUN = Built(
    "deep run",
    lambda: {
        "id": "r",
        "thread_id": "t",
        "assistant_id": "a",
        "status": "queued",
        "tools": _deep_tools(),
        "response_format": {
            "type": "json_schema",
            "json_schema": {"name": "n", "schema": nested(DEEPEST - 4)},
        },
    },
)
DEEP_STEP_DELTA = Built(
    "deep file_search delta",
    lambda: {
        "id": "step_1",
        "delta": {
            "step_details": {
                "type": "tool_calls",
                "tool_calls": [
                    {"index": 0, "type": "file_search", "file_search": nested(DEEPEST - 5)}
                ],
            }
        },
    },
)


@settings(max_examples=800)
@given(case=model_and_json(almost_valid))
@example(case=(m.Assistant, DEEP_ASSISTANT))
@example(case=(m.Run, DEEP_RUN))
@example(case=(m.RunStepDelta, DEEP_STEP_DELTA))
def test_almost_valid_json_gives_a_model_or_a_validation_error(case: tuple[type, Any]) -> None:
    """Valid JSON with one to three faults anywhere in the tree (see ``support.hostile``)."""
    model, data = case
    if isinstance(data, Built):
        data = data.build()
    result = structured_or_rejected("almost_valid", data, model)
    if result is not None:
        assert isinstance(result, model)
        unstructure(result)


# --- bodies that may not be JSON ------------------------------------------------------------------


@settings(max_examples=200)
@given(
    body=st.binary(max_size=200)
    | random_json.map(lambda v: json.dumps(v).encode())
    | st.text().map(lambda t: t.encode("utf-8", "surrogatepass"))
)
def test_any_body_decodes_to_json_or_a_validation_error(body: bytes) -> None:
    """``decode_json``, the step before ``structure`` for every response body."""
    try:
        decode_json(body, CIMultiDictProxy(CIMultiDict()))
    except ResponseValidationError as exc:
        check_validation_error(exc, cause=False)
        FIGURES.count("decode_json", type(exc).__name__)
        return
    FIGURES.count("decode_json")


# --- pages ----------------------------------------------------------------------------------------


NOT_A_PAGE = "missing or not an array @ $.data"


@st.composite
def page_bodies(draw: st.DrawFn, model: type) -> Any:
    items = draw(st.lists(json_for(model), max_size=3))
    ids = st.none() | st.text(max_size=6) | random_json
    body: Any = draw(
        st.one_of(
            st.just(items),
            st.fixed_dictionaries(
                {"data": st.just(items)},
                optional={
                    "object": st.just("list"),
                    "first_id": ids,
                    "last_id": ids,
                    "has_more": st.booleans() | random_json,
                },
            ),
            random_json,
        )
    )
    for _ in range(draw(st.integers(0, 2))):
        body = draw(mutated(body))
    return body


@settings(max_examples=300)
@given(
    case=model_and_json(page_bodies),
    limit=st.none() | st.integers(1, 100),
)
def test_list_pages_give_a_page_or_a_validation_error(
    case: tuple[type, Any], limit: int | None
) -> None:
    """``parse_page`` plus the item structuring step, as every ``list()`` runs them."""
    model, body = case
    items = types.GenericAlias(list, (model,))  # list[model], as resources/_base.py builds it
    started = time.monotonic()
    try:
        page: Page[Any] = parse_page(
            body,
            limit=limit,
            structure_items=lambda raw: read(
                raw, items, strict=False, request_id=None, path="$.data"
            ),
            request_id=None,
        )
    except ResponseValidationError as exc:
        # parse_page's own shape check has no converter error behind it; the items' errors do.
        check_validation_error(exc, cause=exc.errors != [NOT_A_PAGE])
        FIGURES.count("pages", type(exc).__name__)
        return
    finally:
        assert time.monotonic() - started < SLOW, "parse_page() took too long"
    FIGURES.count("pages")
    assert all(isinstance(item, model) for item in page.data)
    assert page.first_id is None or isinstance(page.first_id, str)
    assert page.last_id is None or isinstance(page.last_id, str)
    assert isinstance(page.has_more, bool)
    unstructure(page.data)
