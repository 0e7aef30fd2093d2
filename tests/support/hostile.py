"""Hypothesis strategies for hostile JSON, and the checks the hostile-input suites share.

Two kinds of JSON: anything at all (``random_json``), and "almost valid" objects
(``almost_valid(Model)``): a valid object generated from the model's own fields, with one to three
faults injected at random depths (a field removed, replaced, its JSON type flipped, a union's
``type`` tag swapped, a key added). The valid generator reads the attrs fields and type hints, so
it follows the models as they change instead of a hand-written copy of them.
"""

from __future__ import annotations

import copy
import json
import math
import re
import types
from collections.abc import Callable, Iterator
from functools import cache
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints

import attrs
import cattrs
import orjson
from hypothesis import strategies as st

from openai_assistants import ResponseValidationError
from openai_assistants import models as m
from openai_assistants._serde.converters import TAGGED_UNIONS, tag_of
from openai_assistants._serde.lenient import MILLISECONDS, SPEC_REQUIRED, Unusable
from openai_assistants._types import NotGiven

__all__ = [
    # the models and their names
    "RESPONSE_MODELS",
    "UNKNOWN_CLASSES",
    "KNOWN_TAGS",
    "FIELD_NAMES",
    # strategies
    "random_json",
    "finite_json",
    "json_for",
    "model_and_json",
    "almost_valid",
    "mutated",
    # deep JSON
    "DEEPEST",
    "nested_text",
    "nested",
    # the check of a ResponseValidationError
    "check_validation_error",
]

#: The response models: what a server's JSON is structured into.
RESPONSE_MODELS: tuple[type, ...] = (
    m.Assistant,
    m.Thread,
    m.Message,
    m.Run,
    m.RunStep,
    m.AssistantFile,
    m.MessageFile,
    m.DeletionStatus,
    m.MessageDelta,
    m.RunStepDelta,
    m.ErrorObject,
)

#: The classes a tagged union falls back to for a ``type`` this SDK does not know.
UNKNOWN_CLASSES = frozenset(fallback for _, fallback in TAGGED_UNIONS if fallback is not None)
#: Each tagged union's members (as a set, ``str`` left out) -> its tag -> class table.
_UNIONS: dict[frozenset[Any], dict[str, type]] = {
    frozenset(a for a in get_args(alias) if a is not str): {
        tag_of(cls): cls for cls in get_args(alias) if cls is not str and cls not in UNKNOWN_CLASSES
    }
    for alias, _ in TAGGED_UNIONS
}
_FALLBACKS: dict[frozenset[Any], type | None] = {
    frozenset(a for a in get_args(alias) if a is not str): fallback
    for alias, fallback in TAGGED_UNIONS
}
KNOWN_TAGS: tuple[str, ...] = tuple(sorted({tag for table in _UNIONS.values() for tag in table}))


#: Every field name of every model: random objects use them as keys so they hit real fields.
FIELD_NAMES: tuple[str, ...] = tuple(
    sorted(
        {
            field.name
            for cls in (getattr(m, name) for name in m.__all__)
            if attrs.has(cls)
            for field in attrs.fields(cls)
        }
    )
)

# --- anything at all ------------------------------------------------------------------------------

_HUGE_INTS = st.sampled_from([2**63, -(2**63) - 1, 2**64, 10**100, -(10**400)])
_SURROGATES = st.text(st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF), min_size=1)
_STRINGS = st.text() | _SURROGATES | st.sampled_from(KNOWN_TAGS) | st.sampled_from(["", "\x00"])
_KEYS = st.sampled_from(FIELD_NAMES) | st.text(max_size=8)


def _json(floats: st.SearchStrategy[float], max_leaves: int) -> st.SearchStrategy[Any]:
    scalars = st.none() | st.booleans() | st.integers() | _HUGE_INTS | floats | _STRINGS
    return st.recursive(
        scalars,
        lambda children: (
            st.lists(children, max_size=5) | st.dictionaries(_KEYS, children, max_size=6)
        ),
        max_leaves=max_leaves,
    )


#: Any JSON-like value, NaN and the infinities included (``structure`` may be handed any decoded
#: data, not only what orjson produces), and lone surrogates in strings.
random_json: st.SearchStrategy[Any] = _json(st.floats(), 40)
#: JSON whose values compare equal to themselves (no NaN), for round-trip checks.
finite_json: st.SearchStrategy[Any] = _json(st.floats(allow_nan=False), 12)

# --- valid JSON, from the models ------------------------------------------------------------------


def _is_union(tp: Any) -> bool:
    return get_origin(tp) in (Union, types.UnionType)


@cache
def json_for(tp: Any, unknown: bool = True) -> st.SearchStrategy[Any]:
    """Valid JSON for the type ``tp`` (a model, a union, a list, a dict or a scalar);
    ``unknown=False`` leaves out union members of types the SDK does not know."""
    if tp is Any:
        return finite_json
    if tp is str:
        return st.text()
    if tp is bool:
        return st.booleans()
    if tp is int:
        return st.integers() | _HUGE_INTS
    if tp is float:
        return st.floats(allow_nan=False) | st.integers()
    if tp is type(None):
        return st.none()
    origin, args = get_origin(tp), get_args(tp)
    if origin is Literal:
        return st.sampled_from(args)
    if origin is list:
        return st.lists(json_for(args[0], unknown), max_size=3)
    if origin is dict:
        return st.dictionaries(st.text(max_size=6), json_for(args[1], unknown), max_size=3)
    if _is_union(tp):
        return _union(args, unknown)
    if attrs.has(tp):
        return _object(tp, None, unknown)
    raise TypeError(f"no JSON strategy for {tp!r}")


def _union(args: tuple[Any, ...], unknown: bool) -> st.SearchStrategy[Any]:
    members = tuple(a for a in args if a is not NotGiven)
    objects = frozenset(a for a in members if a is not str and a is not type(None))
    options: list[st.SearchStrategy[Any]] = [json_for(a) for a in members if a in (str, type(None))]
    table = _UNIONS.get(objects)
    if table is None:
        options += [json_for(a, unknown) for a in objects]
    else:
        options += [_object(cls, tag, unknown) for tag, cls in table.items()]
        fallback = _FALLBACKS[objects]
        if fallback is not None and unknown:
            options.append(_unknown_member(fallback))
    return st.one_of(options)


def _unknown_member(fallback: type) -> st.SearchStrategy[dict[str, Any]]:
    """A member of a type this SDK does not know: a new tag and whatever keys come with it."""
    new_tag = st.text(min_size=1).filter(lambda t: t not in KNOWN_TAGS)
    fields: dict[str, st.SearchStrategy[Any]] = {"type": new_tag}
    if "index" in attrs.fields_dict(fallback):
        fields["index"] = st.integers(0, 5)
    extra = st.dictionaries(st.sampled_from(FIELD_NAMES), finite_json, max_size=3)
    return st.tuples(st.fixed_dictionaries(fields), extra).map(lambda p: {**p[1], **p[0]})


@cache
def _object(
    cls: type, tag: str | None = None, unknown: bool = True
) -> st.SearchStrategy[dict[str, Any]]:
    hints = get_type_hints(cls)
    required: dict[str, st.SearchStrategy[Any]] = {}
    optional: dict[str, st.SearchStrategy[Any]] = {}
    for field in attrs.fields(cls):
        if not field.init:
            continue  # set by the SDK (``deviations``), never read from JSON
        strategy = json_for(hints[field.name], unknown)
        if field.name.endswith("_at"):  # a timestamp: seconds (milliseconds are a deviation)
            strategy = st.none() | st.integers(-(2**31), MILLISECONDS - 1)
        elif field.name == "metadata":  # strings, as the spec says (any JSON is a deviation)
            strategy = st.none() | st.dictionaries(st.text(max_size=6), st.text(), max_size=3)
        if field.name == "type" and tag is not None:
            required["type"] = st.just(tag)  # the tag the union dispatches on
        elif field.default is attrs.NOTHING or field.name in SPEC_REQUIRED.get(cls, ()):
            required[field.name] = strategy
        else:
            optional[field.name] = strategy
    return st.fixed_dictionaries(required, optional=optional)


# --- faults ---------------------------------------------------------------------------------------


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every node of a JSON tree, as the keys and indexes that lead to it (root first)."""
    found = [prefix]
    if isinstance(value, dict):
        for key, child in value.items():
            found += _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += _paths(child, (*prefix, index))
    return found


def _flipped(value: Any) -> st.SearchStrategy[Any]:
    """The same content under another JSON type (or a near miss of the same type)."""
    if isinstance(value, bool):
        return st.sampled_from([int(value), str(value).lower(), None, [value]])
    if isinstance(value, int):
        return st.sampled_from([str(value), float(value) if abs(value) < 2**53 else math.inf])
    if isinstance(value, float):
        return st.sampled_from([math.nan, math.inf, -math.inf, str(value), True])
    if isinstance(value, str):
        return st.sampled_from([len(value), [value], {"value": value}, value == "", None])
    if isinstance(value, list):
        return st.sampled_from([{str(i): v for i, v in enumerate(value)}, "[]", len(value)])
    if isinstance(value, dict):
        return st.sampled_from([list(value.values()), list(value), json.dumps(value, default=str)])
    return st.just({})


_OPERATIONS = ("replace", "flip", "delete", "retag", "add_key", "wrap", "nullify")


@st.composite
def mutated(draw: st.DrawFn, value: Any) -> Any:
    """``value`` with one fault at a node chosen anywhere in the tree."""
    value = copy.deepcopy(value)
    path = draw(st.sampled_from(_paths(value)))
    operation = draw(st.sampled_from(_OPERATIONS))
    node: Any = value
    for key in path:
        node = node[key]
    if operation == "delete" and path:
        parent = value
        for key in path[:-1]:
            parent = parent[key]
        del parent[path[-1]]
        return value
    if operation == "retag" and isinstance(node, dict):
        node["type"] = draw(st.sampled_from(KNOWN_TAGS) | _STRINGS | random_json)
        return value
    if operation == "add_key" and isinstance(node, dict):
        node[draw(_KEYS)] = draw(random_json)
        return value
    if operation == "flip":
        new = draw(_flipped(node))
    elif operation == "wrap":
        new = draw(st.sampled_from([[node], {"type": "x", "value": node}]))
    elif operation == "nullify":
        new = None
    else:
        new = draw(random_json)
    if not path:
        return new
    parent = value
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = new
    return value


@st.composite
def almost_valid(draw: st.DrawFn, tp: Any) -> Any:
    """Valid JSON for ``tp`` with one to three faults at random depths."""
    value = draw(json_for(tp))
    for _ in range(draw(st.integers(1, 3))):
        value = draw(mutated(value))
    return value


def model_and_json(
    strategy: Callable[[type], st.SearchStrategy[Any]],
) -> st.SearchStrategy[tuple[type, Any]]:
    """A response model and JSON for it from ``strategy`` (``json_for``, ``almost_valid``...)."""
    return st.sampled_from(RESPONSE_MODELS).flatmap(
        lambda cls: st.tuples(st.just(cls), strategy(cls))
    )


# --- deep JSON ------------------------------------------------------------------------------------

#: The deepest nesting orjson decodes (it rejects 1025 levels); a server may send this much.
DEEPEST = 1024


def nested_text(depth: int) -> str:
    """``{"a":{"a":...1...}}``, ``depth`` objects deep, as JSON text."""
    return '{"a":' * depth + "1" + "}" * depth


def nested(depth: int) -> Any:
    """``nested_text(depth)`` as orjson decodes it."""
    return orjson.loads(nested_text(depth))


# --- the check of a ResponseValidationError -------------------------------------------------------


def _leaves(exc: BaseException) -> Iterator[BaseException]:
    if isinstance(exc, cattrs.BaseValidationError):
        for inner in exc.exceptions:
            yield from _leaves(inner)
    else:
        yield exc


def _is_converter_check(exc: BaseException) -> bool:
    """A failure the converter reports on purpose (see the ``_serde.converters`` docstring)."""
    if type(exc) is KeyError:  # cattrs: a required field is missing
        return len(exc.args) == 1 and exc.args[0] in FIELD_NAMES
    if type(exc) is TypeError:  # a scalar, object, array or union hook: "expected ..., got ..."
        return str(exc).startswith("expected ")
    if type(exc) is ValueError:  # a tagged union without a fallback
        return str(exc).startswith("unknown type ")
    if type(exc) is Unusable:  # lenient reading: a top-level object without a usable id
        return exc.where[-1:] == ["id"] or str(exc).startswith("expected an object")
    return False


def check_validation_error(
    exc: ResponseValidationError, *, cause: bool = True, path: str = r"@ \$"
) -> None:
    """Readable lines, each with a JSON path (``path``, a regular expression searched for in
    each line); behind them only the converter's own checks.

    ``cause=False``: an error raised by a shape check of its own (a page that is not a list, a
    body that is not JSON), which has no converter exception behind it.
    """
    assert exc.errors, "a ResponseValidationError without errors"
    for line in exc.errors:
        assert isinstance(line, str), repr(line)
        assert re.search(path, line, re.DOTALL), f"no path in {line!r}"
    if cause:
        assert exc.__cause__ is not None, f"no converter error behind {exc.errors}"
        internal = [leaf for leaf in _leaves(exc.__cause__) if not _is_converter_check(leaf)]
        assert not internal, f"internal exceptions behind {exc.errors}: {internal!r}"
