"""Build a ``FunctionTool`` from a Python function: its signature, annotations and docstring.

The schema describes the JSON the model sends; the caller runs ``fn(**arguments)``. Arguments
arrive as JSON values: an ``Enum`` parameter gets the member's value and a dataclass parameter
gets a dict, so converting them (with ``_serde.converter``, say) is the caller's job.

Types (``_JSON_TYPES`` holds the plain ones)
  * ``str``/``int``/``float``/``bool``/``None`` -> string/integer/number/boolean/null.
  * ``list[X]``, ``Sequence[X]``, ``tuple[X, ...]`` -> array of X; ``tuple[X, Y]`` -> fixed
    ``prefixItems``; ``set[X]``, ``frozenset[X]`` -> array with ``uniqueItems``.
  * ``dict[str, X]``, ``Mapping[str, X]`` -> object with ``additionalProperties`` X.
  * ``Literal[...]`` and ``Enum`` subclasses -> ``enum`` (with ``type`` when all values share one).
  * ``X | None`` -> ``type: [X, "null"]`` for a scalar X, else ``anyOf [X, null]``; other unions
    -> ``anyOf``. A default of ``None`` also makes a parameter nullable (as Python 3.10's
    ``get_type_hints`` does), so both versions give the same schema.
  * ``Annotated[X, "text"]`` -> X with ``description`` "text" (it wins over the docstring).
  * TypedDicts, dataclasses and attrs classes -> nested objects, required per field default or
    TypedDict totality; a recursive class is refused.
  * ``Any`` or no annotation -> ``{}``; anything else raises ``TypeError``.

Strict mode (structured outputs) lists every property in ``required``, makes optional ones
nullable (a ``null`` then stands for "use the default") and closes every object, so a free-form
``dict[str, X]`` cannot be described there and raises ``TypeError``.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import inspect
import re
import types
from collections import abc
from collections.abc import Callable
from typing import Any, Final, Literal, NamedTuple, Union, get_args, get_origin, get_type_hints

import attrs
from typing_extensions import NotRequired, Required, is_typeddict

from .._serde import json as _json
from ..models import FunctionDefinition, FunctionTool

__all__ = ["function_tool", "function_parameters"]

Schema = dict[str, Any]

#: Python type (or generic origin) -> JSON Schema type. Looked up by exact type, so ``bool``
#: (a subclass of ``int``) is never taken for an integer.
_JSON_TYPES: Final[dict[Any, str]] = {
    str: "string",
    int: "integer",
    float: "number",
    bool: "boolean",
    types.NoneType: "null",
    list: "array",
    tuple: "array",
    abc.Sequence: "array",
    set: "array",
    frozenset: "array",
    abc.Set: "array",
    dict: "object",
    abc.Mapping: "object",
}
_UNIQUE_ITEMS: Final = frozenset({set, frozenset, abc.Set})
_NULL: Final[Schema] = {"type": "null"}
_EMPTY: Final = inspect.Parameter.empty

# OpenAI's rule for function names; a lambda's "<lambda>" is the usual offender.
_NAME = re.compile(r"[a-zA-Z0-9_-]{1,64}")


class _Field(NamedTuple):
    """A parameter or a nested field; ``default`` is ``_EMPTY`` when there is none to show."""

    name: str
    type: Any
    required: bool
    default: Any = _EMPTY
    description: str | None = None


# --- the public functions ---------------------------------------------------------------------


def function_tool(
    fn: Callable[..., Any],
    *,
    name: str | None = None,
    description: str | None = None,
    strict: bool | None = None,
) -> FunctionTool:
    """A ``function`` tool for ``fn``: named after it, described by its docstring's summary."""
    target, _ = _unwrap(fn)
    if name is None:
        name = getattr(target, "__name__", "")
    if not _NAME.fullmatch(name):
        raise ValueError(f"tool name {name!r} must match [a-zA-Z0-9_-]{{1,64}}; pass name=")
    if description is None:
        description = _summary(inspect.getdoc(target) or "")
    parameters = function_parameters(fn, strict=strict is True)
    return FunctionTool(FunctionDefinition(name, description, parameters, strict))


def function_parameters(fn: Callable[..., Any], *, strict: bool = False) -> dict[str, Any]:
    """The JSON Schema object for ``fn``'s keyword arguments (see the module docstring)."""
    target, bound = _unwrap(fn)
    owner = getattr(target, "__qualname__", repr(target))
    hints = get_type_hints(target, include_extras=True)
    docs = _param_docs(inspect.getdoc(target) or "")
    fields: list[_Field] = []
    closed = True
    for p in inspect.signature(fn).parameters.values():
        if p.name in bound or p.kind is p.VAR_POSITIONAL:
            continue
        if p.kind is p.VAR_KEYWORD:
            closed = False
            continue
        if p.kind is p.POSITIONAL_ONLY:
            raise TypeError(
                f"parameter {p.name!r} of {owner} is positional-only (tools get keywords)"
            )
        hint = hints.get(p.name, Any)
        fields.append(_Field(p.name, hint, p.default is _EMPTY, p.default, docs.get(p.name)))
    return _Builder(strict).object(fields, owner, kind="parameter", closed=closed)


def _unwrap(fn: Callable[..., Any]) -> tuple[Callable[..., Any], set[str]]:
    """The function under any ``partial`` layers, and the keyword names they bind."""
    bound: set[str] = set()
    while isinstance(fn, functools.partial):
        bound.update(fn.keywords)
        fn = fn.func
    return fn, bound


# --- types -> schemas -------------------------------------------------------------------------


class _Builder:
    """Turns annotations into schemas under one ``strict`` setting."""

    def __init__(self, strict: bool) -> None:
        self.strict = strict
        self._open: set[type] = set()  # classes being expanded, to refuse recursive ones

    def object(self, fields: list[_Field], owner: str, *, kind: str, closed: bool) -> Schema:
        properties: dict[str, Schema] = {}
        for field in fields:
            try:
                schema = self.schema(field.type)
            except TypeError as exc:
                raise TypeError(f"{kind} {field.name!r} of {owner}: {exc}") from None
            if field.default is None or (self.strict and not field.required):
                schema = _nullable(schema)
            if field.description and "description" not in schema:
                schema = {**schema, "description": field.description}
            properties[field.name] = _with_default(schema, field.default)
        required = [f.name for f in fields if f.required or self.strict]
        result: Schema = {"type": "object", "properties": properties, "required": required}
        if closed or self.strict:
            result["additionalProperties"] = False
        return result

    def schema(self, tp: Any) -> Schema:
        if tp is Any:
            return {}
        origin, args = get_origin(tp), get_args(tp)
        if hasattr(tp, "__metadata__"):  # Annotated[X, ...]: X, described by its first string
            texts = [m for m in tp.__metadata__ if isinstance(m, str)]
            schema = self.schema(tp.__origin__)
            return {**schema, "description": texts[0]} if texts else schema
        if origin in (Required, NotRequired):
            return self.schema(args[0])
        if origin in (Union, types.UnionType):
            return self.union(args)
        if origin is Literal:
            return _enum([a.value if isinstance(a, enum.Enum) else a for a in args])
        if isinstance(tp, type) and issubclass(tp, enum.Enum):
            return _enum([member.value for member in tp])
        if (origin or tp) in _JSON_TYPES:
            return self.builtin(origin or tp, args)
        if isinstance(tp, type) and (fields := _record_fields(tp)) is not None:
            return self.record(tp, fields)
        raise TypeError(
            f"unsupported type {_type_name(tp)}; use JSON types and containers of them, "
            "Literal, Enum, a TypedDict, a dataclass or an attrs class"
        )

    def union(self, args: tuple[Any, ...]) -> Schema:
        members = [a for a in args if a is not types.NoneType]
        if len(members) == 1:  # Optional[X]
            return _nullable(self.schema(members[0]))
        return {"anyOf": [self.schema(a) for a in args]}

    def builtin(self, tp: Any, args: tuple[Any, ...]) -> Schema:
        schema: Schema = {"type": _JSON_TYPES[tp]}
        if tp in _UNIQUE_ITEMS:
            schema["uniqueItems"] = True
        if schema["type"] == "object":
            return self.mapping(schema, args)
        if tp is tuple and args and args[-1] is not ...:
            n = len(args)
            items = [self.schema(a) for a in args]
            return {**schema, "prefixItems": items, "minItems": n, "maxItems": n}
        if args:
            schema["items"] = self.schema(args[0])
        return schema

    def mapping(self, schema: Schema, args: tuple[Any, ...]) -> Schema:
        if self.strict:
            raise TypeError("strict mode closes every object, so it cannot describe a mapping")
        if args:
            if args[0] is not str:
                raise TypeError(f"JSON object keys are strings, not {_type_name(args[0])}")
            schema["additionalProperties"] = self.schema(args[1])
        return schema

    def record(self, cls: type, fields: list[_Field]) -> Schema:
        if cls in self._open:
            raise TypeError(f"recursive type {cls.__qualname__} is not supported")
        self._open.add(cls)
        try:
            return self.object(fields, cls.__qualname__, kind="field", closed=True)
        finally:
            self._open.discard(cls)


def _record_fields(cls: type) -> list[_Field] | None:
    """The fields of a TypedDict, dataclass or attrs class; ``None`` for any other class."""
    if is_typeddict(cls):
        hints = get_type_hints(cls, include_extras=True)
        # Under postponed annotations the class cannot see Required/NotRequired; the hints can.
        required_keys: frozenset[str] = getattr(cls, "__required_keys__", frozenset())
        return [
            _Field(name, hint, _required_key(name, hint, required_keys))
            for name, hint in hints.items()
        ]
    if dataclasses.is_dataclass(cls):
        hints = get_type_hints(cls, include_extras=True)
        missing = dataclasses.MISSING
        return [
            _Field(
                f.name,
                hints.get(f.name, Any),
                f.default is missing and f.default_factory is missing,
                _EMPTY if f.default is missing else f.default,
            )
            for f in dataclasses.fields(cls)
            if f.init
        ]
    if attrs.has(cls):
        hints = get_type_hints(cls, include_extras=True)
        # A Factory default is no JSON value, so _with_default leaves it out.
        return [
            _Field(a.name, hints.get(a.name, Any), a.default is attrs.NOTHING, a.default)
            for a in attrs.fields(cls)
            if a.init
        ]
    return None


def _required_key(name: str, hint: Any, required_keys: frozenset[str]) -> bool:
    origin = get_origin(hint)
    return origin is Required or (origin is not NotRequired and name in required_keys)


def _enum(values: list[Any]) -> Schema:
    kinds = {_JSON_TYPES.get(type(v)) for v in values}
    if None in kinds or kinds & {"array", "object"}:
        raise TypeError(f"enum values must be JSON scalars, got {values!r}")
    return {"type": kinds.pop(), "enum": values} if len(kinds) == 1 else {"enum": values}


def _nullable(schema: Schema) -> Schema:
    """``schema`` that also accepts ``null``."""
    if _accepts_null(schema):
        return schema
    if "anyOf" in schema:
        return {**schema, "anyOf": [*schema["anyOf"], _NULL]}
    kind = schema.get("type")
    if isinstance(kind, str) and kind not in ("array", "object"):
        nullable = {**schema, "type": [kind, "null"]}
        if "enum" in schema:  # the enum restricts values too, so null must join it
            nullable["enum"] = [*schema["enum"], None]
        return nullable
    return {"anyOf": [schema, _NULL]}


def _accepts_null(schema: Schema) -> bool:
    if "type" in schema:
        kind = schema["type"]
        return kind == "null" or (isinstance(kind, list) and "null" in kind)
    if "anyOf" in schema:
        return any(_accepts_null(s) for s in schema["anyOf"])
    if "enum" in schema:
        return None in schema["enum"]
    return True


def _with_default(schema: Schema, default: Any) -> Schema:
    """``schema`` showing ``default`` when it is a JSON value (sentinels and factories are not)."""
    if default is _EMPTY or default is attrs.NOTHING:
        return schema
    if isinstance(default, enum.Enum):
        default = default.value
    try:
        # The round trip turns tuples into lists and rejects NaN, objects and odd keys alike.
        value = _json.as_json(default)
    except (TypeError, ValueError):
        return schema
    return {**schema, "default": value}


def _type_name(tp: Any) -> str:
    return tp.__qualname__ if isinstance(tp, type) else repr(tp)


# --- docstrings -------------------------------------------------------------------------------

# "Args:" opens a Google section; "Parameters" over a dashed line opens a NumPy one.
_PARAMS_HEADER = re.compile(r"(?:Args|Arguments|Parameters|Keyword Args|Keyword Arguments)\s*(:?)")
_UNDERLINE = re.compile(r"\s*-{3,}\s*")
_GOOGLE_ITEM = re.compile(r"\**(\w+)\s*(?:\([^:]*\))?\s*:(.*)")
_NUMPY_ITEM = re.compile(r"(\**\w+(?:\s*,\s*\**\w+)*)\s*(?::.*)?")
_REST_PARAM = re.compile(
    r":(?:param|parameter|arg|argument|key|keyword)\s+(?:[^:]*\s)?\**(\w+)\s*:(.*)"
)
# A line that starts a section ends the summary even without a blank line before it.
_SECTION = re.compile(r"[A-Z][a-z]+(?: [A-Za-z]+)?:|:\w.*")


def _summary(doc: str) -> str | None:
    """The first paragraph of ``doc``, whitespace-normalised; ``None`` when there is none."""
    lines = doc.splitlines()
    summary: list[str] = []
    for i, line in enumerate(lines):
        if not line.strip() or _SECTION.fullmatch(line.strip()) or _underlined(lines, i):
            break
        summary.append(line)
    return _squash(summary) or None


def _param_docs(doc: str) -> dict[str, str]:
    """Parameter descriptions from a Google, reST or NumPy style docstring."""
    lines = doc.splitlines()
    docs: dict[str, str] = {}

    def add(name: str, text: list[str]) -> None:
        if squashed := _squash(text):
            docs.setdefault(name.strip().lstrip("*"), squashed)

    for i, line in enumerate(lines):
        text = line.strip()
        if header := _PARAMS_HEADER.fullmatch(text):
            if header[1]:
                for head, rest in _items(_block(lines, i + 1, _indent(line))):
                    if item := _GOOGLE_ITEM.fullmatch(head):
                        add(item[1], [item[2], *rest])
            elif _underlined(lines, i):
                start = i + 2
                end = next((j for j in range(start, len(lines)) if _underlined(lines, j)), None)
                for head, rest in _items(lines[start:end]):
                    if item := _NUMPY_ITEM.fullmatch(head):
                        for name in item[1].split(","):
                            add(name, rest)
        elif param := _REST_PARAM.fullmatch(text):
            add(param[1], [param[2], *_block(lines, i + 1, _indent(line))])
    return docs


def _underlined(lines: list[str], i: int) -> bool:
    return i + 1 < len(lines) and bool(_UNDERLINE.fullmatch(lines[i + 1]))


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _block(lines: list[str], start: int, indent: int) -> list[str]:
    """The lines from ``start`` on that are blank or indented deeper than ``indent``."""
    end = start
    while end < len(lines) and (not lines[end].strip() or _indent(lines[end]) > indent):
        end += 1
    return lines[start:end]


def _items(lines: list[str]) -> list[tuple[str, list[str]]]:
    """Split an indented list into items: each head line with its deeper continuation lines."""
    indent = min((_indent(line) for line in lines if line.strip()), default=0)
    items: list[tuple[str, list[str]]] = []
    for line in lines:
        if line.strip() and _indent(line) <= indent:
            items.append((line.strip(), []))
        elif items:
            items[-1][1].append(line)
    return items


def _squash(lines: list[str]) -> str:
    return " ".join(" ".join(lines).split())
