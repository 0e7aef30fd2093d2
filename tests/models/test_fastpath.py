"""The compiled fast path agrees with cattrs' functions: same objects, same errors.

The reference is a converter built without the fast path (``make_converter(fast=False)``). Valid
JSON must go through the compiled function itself (a fast path that always fell back would pass
the agreement checks while doing nothing); almost-valid and arbitrary JSON must give the same
result or the same error paths.
"""

from __future__ import annotations

from typing import Any

import attrs
import cattrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support.hostile import (
    RESPONSE_MODELS,
    UNKNOWN_CLASSES,
    almost_valid,
    json_for,
    model_and_json,
    random_json,
)

from openai_assistants import models as m
from openai_assistants._serde.converters import (
    _fast_compiler,
    converter,
    lenient_converter,
    make_converter,
)
from openai_assistants._serde.fastpath import Slow
from openai_assistants._serde.lenient import SPEC_REQUIRED, reading

REFERENCE = make_converter(fast=False)
COMPILER = _fast_compiler()
MODELS = sorted(
    (
        cls
        for name in m.__all__
        if isinstance(cls := getattr(m, name), type)
        and attrs.has(cls)
        and cls not in UNKNOWN_CLASSES
    ),
    key=lambda cls: cls.__name__,
)


def outcome(conv: cattrs.Converter, data: Any, model: Any) -> tuple[str, Any]:
    """The result's repr (which tells 1 from 1.0), or the error's JSON paths."""
    try:
        return "ok", repr(conv.structure(data, model))
    except cattrs.BaseValidationError as exc:
        return "error", cattrs.transform_error(exc, path="$")
    except (TypeError, ValueError, KeyError) as exc:
        return "error", [type(exc).__name__, str(exc)]


@pytest.mark.parametrize("model", MODELS, ids=lambda cls: cls.__name__)
def test_every_model_is_compiled(model: type) -> None:
    assert COMPILER.function(model) is not None, f"{model.__name__} has no fast path"


def known_json_for(tp: Any) -> st.SearchStrategy[Any]:
    """Valid JSON with no union member of an unknown type (those take the slow path, which
    builds the ``Unknown...`` object and, reading leniently, records it)."""
    return json_for(tp, unknown=False)


@settings(max_examples=300)
@given(case=model_and_json(known_json_for))
def test_valid_json_takes_the_fast_path_and_builds_the_same_object(case: tuple[type, Any]) -> None:
    model, data = case
    fast = COMPILER.function(model)
    assert fast is not None
    built = fast(data)  # raises Slow if the compiled function refused valid data
    assert repr(built) == repr(REFERENCE.structure(data, model))
    assert repr(converter.structure([data], list[model])) == repr([built])  # type: ignore[valid-type]


@settings(max_examples=600)
@given(case=model_and_json(almost_valid))
def test_almost_valid_json_gives_the_same_result_or_error(case: tuple[type, Any]) -> None:
    model, data = case
    assert outcome(converter, data, model) == outcome(REFERENCE, data, model)
    as_list = list[model]  # type: ignore[valid-type]
    assert outcome(converter, [data], as_list) == outcome(REFERENCE, [data], as_list)


@settings(max_examples=300)
@given(model=st.sampled_from(RESPONSE_MODELS), data=random_json)
def test_arbitrary_json_gives_the_same_result_or_error(model: type, data: Any) -> None:
    assert outcome(converter, data, model) == outcome(REFERENCE, data, model)


LENIENT_REFERENCE = make_converter(mode="lenient", fast=False)


def lenient_outcome(conv: cattrs.Converter, data: Any, model: Any) -> tuple[str, str]:
    """The lenient reading's result with the deviations recorded on it, or the error."""
    try:
        with reading():
            built = conv.structure(data, model)
    except (cattrs.BaseValidationError, TypeError, ValueError, KeyError) as exc:
        return "error", repr(exc)
    items = built if isinstance(built, list) else [built]
    return "ok", repr((built, [getattr(item, "deviations", None) for item in items]))


@settings(max_examples=600)
@given(case=model_and_json(almost_valid))
def test_lenient_reading_gives_the_same_objects_and_deviations_on_both_paths(
    case: tuple[type, Any],
) -> None:
    model, data = case
    assert lenient_outcome(lenient_converter, data, model) == lenient_outcome(
        LENIENT_REFERENCE, data, model
    )
    as_list = list[model]  # type: ignore[valid-type]
    assert lenient_outcome(lenient_converter, [data], as_list) == lenient_outcome(
        LENIENT_REFERENCE, [data], as_list
    )


def test_a_subclass_of_dict_falls_back_and_is_still_built() -> None:
    class Ordered(dict[str, Any]):
        pass

    data = Ordered(id="file-1", object="assistant.file", created_at=1, assistant_id="asst_1")
    fast = COMPILER.function(m.AssistantFile)
    assert fast is not None
    with pytest.raises(Slow):
        fast(data)
    assert converter.structure(data, m.AssistantFile) == REFERENCE.structure(data, m.AssistantFile)


def test_an_int_in_a_float_field_becomes_a_float_on_both_paths() -> None:
    data: dict[str, Any] = {
        **dict.fromkeys(SPEC_REQUIRED[m.Assistant]),
        "id": "asst_1",
        "object": "assistant",
        "created_at": 1,
        "model": "gpt-4o",
        "tools": [],
        "temperature": 1,
    }
    fast = COMPILER.function(m.Assistant)
    assert fast is not None
    built = fast(data)
    assert type(built.temperature) is float
    assert built == REFERENCE.structure(data, m.Assistant)
