"""Hypothesis strategies for hostile JSON, and the figures the hostile-input suites write out.

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
import types
from collections import Counter, defaultdict
from functools import cache
from pathlib import Path
from typing import Any, Union, get_args, get_origin, get_type_hints

import attrs
from hypothesis import strategies as st

from openai_assistants import models as m
from openai_assistants._serde import TAGGED_UNIONS, tag_of
from openai_assistants._types import NotGiven

__all__ = [
    "FIGURES_FILE",
    "Figures",
    "RESPONSE_MODELS",
    "almost_valid",
    "finite_json",
    "json_for",
    "mutated",
    "random_json",
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

_UNKNOWN_CLASSES = frozenset(fallback for _, fallback in TAGGED_UNIONS if fallback is not None)
#: Each tagged union's members (as a set, ``str`` left out) -> its tag -> class table.
_UNIONS: dict[frozenset[Any], dict[str, type]] = {
    frozenset(a for a in get_args(alias) if a is not str): {
        tag_of(cls): cls
        for cls in get_args(alias)
        if cls is not str and cls not in _UNKNOWN_CLASSES
    }
    for alias, _ in TAGGED_UNIONS
}
_FALLBACKS: dict[frozenset[Any], type | None] = {
    frozenset(a for a in get_args(alias) if a is not str): fallback
    for alias, fallback in TAGGED_UNIONS
}
KNOWN_TAGS: tuple[str, ...] = tuple(sorted({tag for table in _UNIONS.values() for tag in table}))


def _field_names() -> list[str]:
    names: set[str] = set()
    for module in (m,):
        for name in module.__all__:
            cls = getattr(module, name)
            if attrs.has(cls):
                names.update(f.name for f in attrs.fields(cls))
    return sorted(names)


#: Every field name of every model: random objects use them as keys so they hit real fields.
FIELD_NAMES: tuple[str, ...] = tuple(_field_names())

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
def json_for(tp: Any) -> st.SearchStrategy[Any]:
    """Valid JSON for the type ``tp`` (a model, a union, a list, a dict or a scalar)."""
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
    if origin is list:
        return st.lists(json_for(args[0]), max_size=3)
    if origin is dict:
        return st.dictionaries(st.text(max_size=6), json_for(args[1]), max_size=3)
    if _is_union(tp):
        return _union(args)
    if attrs.has(tp):
        return _object(tp)
    raise TypeError(f"no JSON strategy for {tp!r}")


def _union(args: tuple[Any, ...]) -> st.SearchStrategy[Any]:
    members = tuple(a for a in args if a is not NotGiven)
    objects = frozenset(a for a in members if a is not str and a is not type(None))
    options: list[st.SearchStrategy[Any]] = [json_for(a) for a in members if a in (str, type(None))]
    table = _UNIONS.get(objects)
    if table is None:
        options += [json_for(a) for a in objects]
    else:
        options += [_object(cls, tag) for tag, cls in table.items()]
        fallback = _FALLBACKS[objects]
        if fallback is not None:
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
def _object(cls: type, tag: str | None = None) -> st.SearchStrategy[dict[str, Any]]:
    hints = get_type_hints(cls)
    required: dict[str, st.SearchStrategy[Any]] = {}
    optional: dict[str, st.SearchStrategy[Any]] = {}
    for field in attrs.fields(cls):
        strategy = json_for(hints[field.name])
        if field.name == "type" and tag is not None:
            required["type"] = st.just(tag)  # the tag the union dispatches on
        elif field.default is attrs.NOTHING:
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


# --- figures --------------------------------------------------------------------------------------

FIGURES_FILE = Path(__file__).resolve().parents[1] / "reliability" / ".figures" / "hostile.json"


class Figures:
    """Counts per property (examples tried, outcomes by class), merged into ``FIGURES_FILE``."""

    def __init__(self, suite: str) -> None:
        self.suite = suite
        self.examples: Counter[str] = Counter()
        self.outcomes: defaultdict[str, Counter[str]] = defaultdict(Counter)

    def count(self, prop: str, outcome: str = "ok") -> None:
        """One example of ``prop`` ended with ``outcome``: an exception class name (counted in
        ``errors_by_class``), or a lower-case word for a normal result ("ok")."""
        self.examples[prop] += 1
        self.outcomes[prop][outcome] += 1

    def write(self) -> None:
        """Merge this suite's figures into the shared file (each suite owns its key)."""
        FIGURES_FILE.parent.mkdir(parents=True, exist_ok=True)
        ignore = FIGURES_FILE.parent / ".gitignore"
        if not ignore.exists():
            ignore.write_text("# generated by the hostile-input suites\n*\n")
        try:
            figures = json.loads(FIGURES_FILE.read_text())
        except (OSError, ValueError):
            figures = {}
        figures.setdefault("suites", {})[self.suite] = {
            "properties": {
                prop: {"examples": n, "outcomes": dict(sorted(self.outcomes[prop].items()))}
                for prop, n in sorted(self.examples.items())
            },
            "inputs": sum(self.examples.values()),
        }
        suites = figures["suites"].values()
        figures["inputs_total"] = sum(suite["inputs"] for suite in suites)
        errors: Counter[str] = Counter()
        for suite in suites:
            for prop in suite["properties"].values():
                errors.update({k: v for k, v in prop["outcomes"].items() if k[0].isupper()})
        figures["errors_by_class"] = dict(sorted(errors.items()))
        FIGURES_FILE.write_text(json.dumps(figures, indent=2, sort_keys=True) + "\n")
