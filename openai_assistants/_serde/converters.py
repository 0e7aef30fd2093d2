"""The one converter: every wire rule between JSON and ``openai_assistants.models``.

Structuring (JSON -> models)
  * Scalars are strict: ``str`` takes only strings, ``int`` only integers (not booleans),
    ``float`` integers or floats (not booleans, stored as ``float``), ``bool`` only booleans.
  * An object must be a JSON object and a list a JSON array; anything else is a validation error.
  * Unknown keys are ignored; ``strict_converter`` (for the test suite) rejects them.
  * Tagged unions (tools, content parts, annotations, step details, tool calls, code-interpreter
    outputs, response formats, chunking strategies and their delta forms) dispatch on ``type``
    through a tag -> class table built from each member's ``type`` default. An unknown tag gives
    the union's ``Unknown...`` class, holding the complete original dict in ``raw``. So does a
    missing or non-string tag, with ``type=""``: a compatible server's odd object degrades like a
    new variant instead of failing the whole response. ``ContentPartParam`` (request input) has
    no fallback, so an unknown tag there is a validation error.
  * String-or-object unions (``response_format``, ``tool_choice``, message ``content``) pass a
    string through and structure anything else as the object form.
  * Models and lists of models first try the compiled fast path (``fastpath``), which takes
    only plainly valid data and otherwise hands the same data to cattrs' generated function;
    ``make_converter(fast=False)`` leaves it out (the tests compare the two).
  * Failures raise cattrs' error groups; ``cattrs.transform_error(exc, path="$")`` turns them into
    paths like ``$.data[3].created_at``.

Unstructuring (models -> JSON)
  * ``Unknown...`` instances give back their ``raw`` dict, as is.
  * Unions unstructure by runtime class.
  * A field whose default is ``None`` is omitted while it is ``None``; every other field is
    emitted (an explicit ``[]`` is never dropped).
  * ``NOT_GIVEN`` is never emitted: keys holding it are left out of plain dicts and of attrs
    classes. Plain dicts and lists pass through with their attrs members unstructured.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final, Literal, TypeAlias, TypeVar, get_args, get_origin

import attrs
import cattrs
from cattrs.cols import list_structure_factory
from cattrs.errors import AttributeValidationNote, ClassValidationError
from cattrs.gen import (
    make_dict_structure_fn,
    make_dict_unstructure_fn,
    mapping_structure_factory,
    override,
)
from cattrs.preconf.json import make_converter as _make_json_converter

from .. import models as m
from .._types import NOT_GIVEN, NotGiven
from . import lenient as _lenient
from .fastpath import FastCompiler
from .lenient import MILLISECONDS, ROOTS, SPEC_REQUIRED, json_type
from .typeforms import (
    NONE_TYPE,
    SCALAR_TYPES,
    UnionParts,
    is_union,
    scalar_union_rule,
    union_parts,
)

__all__ = [
    "Mode",
    "make_converter",
    "converter",
    "lenient_converter",
    "strict_converter",
    "TAGGED_UNIONS",
    "tag_of",
]

_T = TypeVar("_T")

#: ``check``: requests are checked with it and everything is unstructured with it (exact
#: scalars, unknown keys ignored); ``lenient``: responses by default (``lenient``);
#: ``strict``: responses with ``strict=True`` (every deviation from the spec is an error).
Mode: TypeAlias = Literal["check", "lenient", "strict"]
_SCALARS: Final = frozenset({*SCALAR_TYPES, NONE_TYPE})

_StructureHook = Callable[[Any, Any], Any]
_UnstructureHook = Callable[[Any], Any]

#: Each tagged union and its fallback class (``None``: an unknown tag is an error).
TAGGED_UNIONS: Final[tuple[tuple[Any, type | None], ...]] = (
    (m.Tool, m.UnknownTool),
    (m.ChunkingStrategy, m.UnknownChunkingStrategy),
    (m.ResponseFormat, m.UnknownResponseFormat),
    (m.MessageContent, m.UnknownContent),
    (m.Annotation, m.UnknownAnnotation),
    (m.ContentPartParam, None),
    (m.MessageContentDelta, m.UnknownContentDelta),
    (m.AnnotationDelta, m.UnknownAnnotationDelta),
    (m.StepDetails, m.UnknownStepDetails),
    (m.ToolCall, m.UnknownToolCall),
    (m.CodeInterpreterOutput, m.UnknownCodeInterpreterOutput),
    (m.StepDetailsDelta, m.UnknownStepDetailsDelta),
    (m.ToolCallDelta, m.UnknownToolCallDelta),
    (m.CodeInterpreterOutputDelta, m.UnknownCodeInterpreterOutputDelta),
)
_UNKNOWN_CLASSES: Final = frozenset(cls for _, cls in TAGGED_UNIONS if cls is not None)


def _mentions_not_given(t: Any) -> bool:
    return t is NotGiven or any(_mentions_not_given(a) for a in get_args(t))


def tag_of(cls: type) -> str:
    """The ``type`` tag a tagged-union member is dispatched on (its ``type`` default)."""
    tag = attrs.fields_dict(cls)["type"].default
    if not isinstance(tag, str):
        raise TypeError(f"{cls.__name__}.type has no string default")
    return tag


# --- structuring -------------------------------------------------------------------------------


# The scalar hooks compare exact types (``type(x) is int`` is both the fastest check and the one
# that keeps ``True`` out of integer fields); they run once per field of every response.


def _structure_str(value: Any, _: Any) -> str:
    if type(value) is str:
        return value
    raise TypeError(f"expected a string, got {json_type(value)}")


def _structure_int(value: Any, _: Any) -> int:
    if type(value) is int:
        return value
    raise TypeError(f"expected an integer, got {json_type(value)}")


def _structure_float(value: Any, _: Any) -> float:
    kind = type(value)
    if kind is float:
        return value  # type: ignore[no-any-return]
    if kind is int:
        return float(value)
    raise TypeError(f"expected a number, got {json_type(value)}")


def _structure_bool(value: Any, _: Any) -> bool:
    if type(value) is bool:
        return value
    raise TypeError(f"expected a boolean, got {json_type(value)}")


_SCALAR_HOOKS: Final[dict[type, _StructureHook]] = {
    str: _structure_str,
    int: _structure_int,
    float: _structure_float,
    bool: _structure_bool,
}


def _unknown_structure_hook(cls: type) -> _StructureHook:
    """The hook that builds an ``Unknown...`` object."""
    has_index = "index" in attrs.fields_dict(cls)

    def structure_unknown(data: Any, _: Any) -> Any:
        if not isinstance(data, dict):
            raise TypeError(f"expected an object, got {json_type(data)}")
        if has_index:
            index = data.get("index")
            if not isinstance(index, int) or isinstance(index, bool):
                index = None
            return cls(raw=data, index=index)
        return cls(raw=data)

    return structure_unknown


def _with_fast_path(compiler: FastCompiler | None, t: Any, slow: _StructureHook) -> _StructureHook:
    """``slow`` behind the compiled function for ``t``, when there is one."""
    fast = compiler.function(t) if compiler is not None else None
    if fast is None:
        return slow

    def structure_fast(data: Any, _: Any) -> Any:
        try:
            return fast(data)
        except Exception:
            # Unusual data: cattrs' function builds it or explains what is wrong.
            return slow(data, t)

    return structure_fast


def _strict_metadata(data: Any, _: Any) -> Any:
    """Strict mode's ``metadata``: the spec's map of strings (lenient reading keeps any JSON)."""
    if data is None:
        return None
    if not isinstance(data, dict):
        raise TypeError(f"expected an object, got {json_type(data)}")
    for key, value in data.items():
        if type(value) is not str:
            raise TypeError(f"metadata values must be strings, got {json_type(value)} at {key!r}")
    return data


def _strict_timestamp(inner: _StructureHook) -> _StructureHook:
    """Strict mode's ``*_at`` fields: whole seconds (lenient reading converts milliseconds)."""

    def structure_timestamp(data: Any, t: Any) -> Any:
        value = inner(data, t)
        if type(value) is int and value >= MILLISECONDS:
            raise TypeError("expected a timestamp in seconds, got one in milliseconds")
        return value

    return structure_timestamp


def _missing_key(cls: type, name: str) -> KeyError:
    """The error cattrs itself raises for a missing key (``required field missing @ $.name``)."""
    error = KeyError(name)
    note = AttributeValidationNote(
        f"Structuring class {cls.__qualname__} @ attribute {name}", name, Any
    )
    # ``__notes__`` is 3.11's (mypy targets 3.10); cattrs reads it on every version.
    setattr(error, "__notes__", [note])  # noqa: B010
    return error


def _class_structure_factory(
    compiler: FastCompiler | None, mode: Mode, spec_keys: bool
) -> Callable[[type, cattrs.Converter], _StructureHook]:
    def factory(cls: type, conv: cattrs.Converter) -> _StructureHook:
        if mode == "lenient":
            attrs.resolve_types(cls)
            fields = [a for a in attrs.fields(cls) if a.init]
            hooks: list[tuple[attrs.Attribute[Any], _StructureHook]] = []

            def field_hooks() -> list[tuple[attrs.Attribute[Any], _StructureHook]]:
                if not hooks:  # built on first use: the models refer to each other
                    hooks.extend((a, conv.get_structure_hook(a.type)) for a in fields)
                return hooks

            return _with_fast_path(compiler, cls, _lenient.lenient_class_hook(cls, field_hooks))

        overrides: dict[str, Any] = {}
        required: tuple[str, ...] = ()
        if mode == "strict":
            attrs.resolve_types(cls)
            for a in attrs.fields(cls):
                if a.name.endswith("_at"):
                    inner = conv.get_structure_hook(a.type)
                    overrides[a.name] = override(struct_hook=_strict_timestamp(inner))
        if mode == "strict" and cls in ROOTS:
            required = SPEC_REQUIRED.get(cls, ()) if spec_keys else ()
            if "metadata" in attrs.fields_dict(cls):
                overrides["metadata"] = override(struct_hook=_strict_metadata)
        fn: _StructureHook = make_dict_structure_fn(cls, conv, **overrides)

        def structure_class(data: Any, _: Any) -> Any:
            if not isinstance(data, dict):
                raise TypeError(f"expected an object, got {json_type(data)}")
            if not required:
                return fn(data, cls)
            # Reported together with the fields' own errors, so one answer names every problem.
            errors: list[Exception] = [_missing_key(cls, k) for k in required if k not in data]
            try:
                obj = fn(data, cls)
            except ClassValidationError as exc:
                errors.extend(exc.exceptions)
            if errors:
                raise ClassValidationError(f"While structuring {cls.__name__}", errors, cls)
            return obj

        return _with_fast_path(compiler, cls, structure_class)

    return factory


def _is_list_type(t: Any) -> bool:
    return t is list or get_origin(t) is list


def _list_structure_factory(
    compiler: FastCompiler | None, mode: Mode
) -> Callable[[Any, cattrs.Converter], _StructureHook]:
    def factory(t: Any, conv: cattrs.Converter) -> _StructureHook:
        if mode == "lenient":
            args = get_args(t)
            item = args[0] if args else Any
            slow = _lenient.lenient_list_hook(t, lambda: conv.get_structure_hook(item))
            return _with_fast_path(compiler, t, slow)

        # cattrs would turn any iterable into a list: a string into its characters, a dict
        # into its keys.
        fn = list_structure_factory(t, conv)

        def structure_list(data: Any, _: Any) -> Any:
            if isinstance(data, list):
                return fn(data, t)
            raise TypeError(f"expected an array, got {json_type(data)}")

        # A page of list items goes through one comprehension over the compiled function.
        return _with_fast_path(compiler, t, structure_list)

    return factory


def _is_dict_type(t: Any) -> bool:
    return t is dict or t is Mapping or get_origin(t) in (dict, Mapping)


def _dict_structure_factory(t: Any, conv: cattrs.Converter) -> _StructureHook:
    args = get_args(t)
    if not args or args[1] is Any:
        # Free-form JSON (function parameters, a JSON schema): kept as parsed.
        def structure_json_object(data: Any, _: Any) -> Any:
            if isinstance(data, dict):
                return data
            raise TypeError(f"expected an object, got {json_type(data)}")

        return structure_json_object

    fn = mapping_structure_factory(t, conv)

    def structure_dict(data: Any, _: Any) -> Any:
        if isinstance(data, dict):
            return fn(data, t)
        raise TypeError(f"expected an object, got {json_type(data)}")

    return structure_dict


def _tagged_structure_hook(
    conv: cattrs.Converter,
    classes: tuple[type, ...],
    fallback: type | None,
    mode: Mode,
    *,
    allow_str: bool,
    allow_none: bool,
) -> _StructureHook:
    table: dict[str, tuple[_StructureHook, type]] = {
        tag_of(cls): (conv.get_structure_hook(cls), cls) for cls in classes if cls is not fallback
    }
    make_unknown = _unknown_structure_hook(fallback) if fallback is not None else None
    expected = ", ".join(repr(tag) for tag in table)
    lenient = mode == "lenient"
    read_member = _lenient.lenient_tagged_fallback(fallback, make_unknown)

    def structure_tagged(data: Any, _: Any) -> Any:
        if isinstance(data, dict):
            tag = data.get("type")
            if isinstance(tag, str):
                entry = table.get(tag)
                if entry is not None:
                    if lenient:
                        return read_member(data, *entry)
                    return entry[0](data, entry[1])
            if mode == "strict" or make_unknown is None or fallback is None:
                raise ValueError(f"unknown type {tag!r}, expected one of {expected}")
            if lenient:
                _lenient.record_unknown_member(data, fallback)
            return make_unknown(data, fallback)
        if data is None and allow_none:
            return None
        if allow_str and isinstance(data, str):
            return data
        raise TypeError(f"expected an object with a 'type' tag, got {json_type(data)}")

    return structure_tagged


def _scalar_union_hook(parts: UnionParts) -> _StructureHook:
    accepted, widen_int = scalar_union_rule(parts)
    names = " or ".join(t.__name__ for t in parts.members)

    def structure_scalar_union(data: Any, _: Any) -> Any:
        kind = type(data)
        if kind in accepted:
            return data
        if widen_int and kind is int:
            return float(data)
        raise TypeError(f"expected {names}, got {json_type(data)}")

    return structure_scalar_union


def _union_structure_factory(mode: Mode) -> Callable[[Any, cattrs.Converter], _StructureHook]:
    def factory(t: Any, conv: cattrs.Converter) -> _StructureHook:
        return _union_structure_hook(t, conv, mode)

    return factory


def _union_structure_hook(t: Any, conv: cattrs.Converter, mode: Mode) -> _StructureHook:
    parts = union_parts(t)
    allow_none, allow_str, objects = parts.allow_none, parts.allow_str, parts.objects
    key = frozenset(objects)
    if key in _TAGGED_BY_MEMBERS:
        return _tagged_structure_hook(
            conv,
            objects,
            _TAGGED_BY_MEMBERS[key],
            mode,
            allow_str=allow_str,
            allow_none=allow_none,
        )
    if all(a in SCALAR_TYPES for a in parts.members):
        if mode == "lenient":
            return _lenient.lenient_scalar_union_hook(parts, _scalar_union_hook(parts))
        return _scalar_union_hook(parts)
    if len(objects) == 1:
        inner = conv.get_structure_hook(objects[0])
        target = objects[0]

        def structure_optional(data: Any, _: Any) -> Any:
            if data is None and allow_none:
                return None
            if allow_str and isinstance(data, str):
                return data
            return inner(data, target)

        return structure_optional
    raise cattrs.StructureHandlerNotFoundError(f"no structuring rule for the union {t!r}", t)


_TAGGED_BY_MEMBERS: Final[dict[frozenset[Any], type | None]] = {
    frozenset(a for a in get_args(alias) if a is not str): fallback
    for alias, fallback in TAGGED_UNIONS
}


def _fast_compiler() -> FastCompiler:
    """A fast-path compiler that knows the tagged unions' members by tag, and the keys the spec
    requires of top-level objects."""
    return FastCompiler(
        {
            members: {tag_of(cls): cls for cls in members if cls is not fallback}
            for members, fallback in _TAGGED_BY_MEMBERS.items()
        },
        SPEC_REQUIRED,
    )


# --- unstructuring -----------------------------------------------------------------------------


def _unstructure_unknown(obj: Any) -> Any:
    return obj.raw


def _class_unstructure_factory(cls: type, conv: cattrs.Converter) -> _UnstructureHook:
    attrs.resolve_types(cls)
    fields = attrs.fields(cls)
    omit: dict[str, Any] = {
        a.name: override(omit_if_default=True)
        for a in fields
        if a.default is None or a.default is NOT_GIVEN
    }
    # What the SDK itself sets (``deviations``) is never sent.
    omit.update({a.name: override(omit=True) for a in fields if not a.init})
    fn: _UnstructureHook = make_dict_unstructure_fn(cls, conv, **omit)
    if not any(_mentions_not_given(a.type) for a in fields):
        return fn

    def unstructure_omitting_not_given(obj: Any) -> dict[str, Any]:
        return {k: v for k, v in fn(obj).items() if v is not NOT_GIVEN}

    return unstructure_omitting_not_given


def _union_unstructure_factory(t: Any, conv: cattrs.Converter) -> _UnstructureHook:
    if all(a in _SCALARS for a in get_args(t)):
        return _identity
    return conv.unstructure


def _identity(obj: Any) -> Any:
    return obj


#: Plain containers nested deeper than this are walked with an explicit stack instead of
#: recursion: free-form JSON from a server (a function's ``parameters``, an unknown member's
#: ``raw``) may nest as deep as orjson decodes (1024 levels), past what the Python stack allows
#: at two frames a level. Shallower data (all real data) takes the faster recursive walk.
_RECURSIVE_DEPTH: Final = 100


def _json_walker(conv: cattrs.Converter) -> _UnstructureHook:
    unstructure_member = conv.unstructure

    def walk(obj: Any, depth: int = _RECURSIVE_DEPTH) -> Any:
        cls = obj.__class__
        if cls in _SCALARS:
            return obj
        if not depth:
            return walk_deep(obj)
        depth -= 1
        scalars = _SCALARS
        if isinstance(obj, Mapping):
            return {
                k: v if v.__class__ in scalars else walk(v, depth)
                for k, v in obj.items()
                if v is not NOT_GIVEN
            }
        if cls is list or cls is tuple:
            return [v if v.__class__ in scalars else walk(v, depth) for v in obj]
        return unstructure_member(obj)

    def walk_deep(obj: Any) -> Any:
        pending: list[tuple[Any, Any]] = []

        def enter(value: Any) -> Any:
            if value.__class__ in _SCALARS:
                return value
            if isinstance(value, Mapping):
                target: Any = {}
            elif value.__class__ is list or value.__class__ is tuple:
                target = []
            else:
                return unstructure_member(value)
            pending.append((value, target))
            return target

        root = enter(obj)
        while pending:
            source, target = pending.pop()
            if target.__class__ is dict:
                target.update({k: enter(v) for k, v in source.items() if v is not NOT_GIVEN})
            else:
                target.extend([enter(v) for v in source])
        return root

    return walk


def _is_plain_container(t: Any) -> bool:
    if _is_dict_type(t) or (isinstance(t, type) and issubclass(t, Mapping)):
        return True
    if t is list or t is tuple:
        return True
    return get_origin(t) in (list, tuple) and all(a is Any or a is ... for a in get_args(t))


# --- the converter -----------------------------------------------------------------------------


def make_converter(
    *,
    mode: Mode = "check",
    fast: bool = True,
    spec_keys: bool = True,
    compiler: FastCompiler | None = None,
) -> cattrs.Converter:
    """Build a converter for ``mode`` (see ``Mode``).

    ``fast`` adds the compiled fast path (``fastpath``) for models and lists of models; strict
    mode never has it (it does not check unknown keys). ``spec_keys=False`` drops strict mode's
    check that top-level objects carry every key the spec requires (the spec's own examples
    leave some out).
    """
    strict = mode == "strict"
    conv = _make_json_converter(forbid_extra_keys=strict, detailed_validation=True)

    # Later registrations take precedence over cattrs' own (and the JSON preconf's) hooks.
    for scalar, scalar_hook in _SCALAR_HOOKS.items():
        if mode == "lenient":
            scalar_hook = _lenient.lenient_scalar_hook(scalar, scalar_hook)
        conv.register_structure_hook(scalar, scalar_hook)
    if not fast or strict:
        compiler = None
    elif compiler is None:
        compiler = _fast_compiler()
    conv.register_structure_hook_factory(
        attrs.has, _class_structure_factory(compiler, mode, spec_keys)
    )
    conv.register_structure_hook_factory(_is_list_type, _list_structure_factory(compiler, mode))
    conv.register_structure_hook_factory(_is_dict_type, _dict_structure_factory)
    conv.register_structure_hook_factory(is_union, _union_structure_factory(mode))

    walk = _json_walker(conv)
    conv.register_unstructure_hook(NotGiven, _identity)
    conv.register_unstructure_hook_factory(attrs.has, _class_unstructure_factory)
    conv.register_unstructure_hook_factory(is_union, _union_unstructure_factory)
    conv.register_unstructure_hook_factory(_is_plain_container, lambda _: walk)

    for unknown in _UNKNOWN_CLASSES:
        conv.register_structure_hook(unknown, _unknown_structure_hook(unknown))
        conv.register_unstructure_hook(unknown, _unstructure_unknown)
    return conv


#: The compiled fast path, shared by the converters that have one and by ``reader``.
fast_compiler: Final = _fast_compiler()
converter: Final = make_converter(compiler=fast_compiler)
lenient_converter: Final = make_converter(mode="lenient", compiler=fast_compiler)
strict_converter: Final = make_converter(mode="strict")
