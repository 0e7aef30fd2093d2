"""Compiled structuring for well-formed responses: the converter's fast path.

cattrs' generated functions call one hook per field and one more per list and union level; for a
listed message that is some thirty Python calls. This module compiles, per attrs model, one
function that checks scalar fields inline (``v.__class__ is str``), loops over lists in place and
dispatches tagged unions through a dict, then calls the class. It accepts exactly what the
converter (``converters``) takes and builds the same objects, but it explains nothing: on anything
unusual (a missing key, a wrong type, a dict subclass, an unknown tag) it raises, and the
converter's hook runs cattrs' own function on the same data, which either builds the object
(lenient cases) or raises the detailed validation error. So the rules still live in ``converters``;
this is only a faster way through them for data that plainly follows them, and
``tests/models/test_fastpath.py`` checks both ways agree on valid, almost-valid and hostile JSON.

A type the compiler does not know makes ``function`` return ``None`` for it (and for any class
that contains it), which then always takes cattrs' function.
"""

from __future__ import annotations

import linecache
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Final, Literal, get_args, get_origin

import attrs

from .lenient import MILLISECONDS
from .typeforms import SCALAR_TYPES, is_union, scalar_union_rule, union_parts

__all__ = ["Slow", "FastCompiler"]

Fast = Callable[[Any], Any]


class Slow(Exception):
    """Raised by a compiled function: this data needs cattrs' function (and its error)."""


def _slow() -> Any:
    raise Slow


#: A key absent from the data (``None`` is a value).
_MISSING: Final = object()


class _Unsupported(Exception):
    """A type the compiler does not handle; the class keeps the slow path."""


class FastCompiler:
    """Compiles fast functions for model types, caching one per attrs class.

    ``tagged`` maps the member set of each tagged union to its ``tag -> class`` table. A member
    with any other tag takes the slow path, which builds the ``Unknown...`` object (and, reading
    leniently, records it). ``required`` names the keys a class's JSON must carry to stay on the
    fast path (the spec's required keys of top-level objects: lenient reading records those
    that are missing). So do keys the class does not have, a ``metadata`` value that is not a
    string and a timestamp (``*_at``) in milliseconds.
    """

    def __init__(
        self,
        tagged: Mapping[frozenset[Any], Mapping[str, type]],
        required: Mapping[type, Iterable[str]],
    ) -> None:
        self._tagged = tagged
        self._required = required
        self._classes: dict[type, Fast | None] = {}
        self._building: set[type] = set()

    def function(self, t: Any) -> Fast | None:
        """The fast function for the type ``t`` (a model, a list, ...), or ``None``."""
        try:
            return self._function(t)
        except _Unsupported:
            return None

    # --- per type: a function from raw JSON to the value (raises on anything unusual) ----------

    def _function(self, t: Any) -> Fast:
        if t is Any:
            return _as_is
        if t in SCALAR_TYPES:
            return _scalar_check(SCALAR_TYPES[t], widen_int=t is float)
        if attrs.has(t):
            return self._class(t)
        origin = get_origin(t)
        if origin is Literal:
            return _literal_check(frozenset(get_args(t)))
        if t is list or origin is list:
            return self._list(t)
        if t is dict or t is Mapping or origin in (dict, Mapping):
            return self._dict(t)
        if is_union(t):
            return self._union(t)
        raise _Unsupported(t)

    def _class(self, cls: type) -> Fast:
        if cls in self._building:
            # A cycle: look the finished function up when called.
            return lambda data: self._classes[cls](data)  # type: ignore[misc]
        if cls not in self._classes:
            self._building.add(cls)
            try:
                self._classes[cls] = self._compile(cls)
            except _Unsupported:
                self._classes[cls] = None
            finally:
                self._building.discard(cls)
        fn = self._classes[cls]
        if fn is None:
            raise _Unsupported(cls)
        return fn

    def _list(self, t: Any) -> Fast:
        args = get_args(t)
        item = args[0] if args else Any
        if item is Any:

            def plain_list(x: Any) -> Any:
                if x.__class__ is list:
                    return list(x)
                raise Slow

            return plain_list
        if item in SCALAR_TYPES and item is not float:
            kind = item

            def scalar_list(x: Any) -> Any:
                if x.__class__ is list:
                    for v in x:
                        if v.__class__ is not kind:
                            raise Slow
                    return list(x)
                raise Slow

            return scalar_list
        fn = self._function(item)

        def object_list(x: Any) -> Any:
            if x.__class__ is list:
                return [fn(v) for v in x]
            raise Slow

        return object_list

    def _dict(self, t: Any) -> Fast:
        args = get_args(t)
        if not args or args[1] is Any:

            def json_object(x: Any) -> Any:
                if x.__class__ is dict:
                    return x
                raise Slow

            return json_object
        if args[0] is not str or args[1] is not str:
            raise _Unsupported(t)

        def str_dict(x: Any) -> Any:
            if x.__class__ is dict:
                for v in x.values():
                    if v.__class__ is not str:
                        raise Slow
                return dict(x)
            raise Slow

        return str_dict

    def _union(self, t: Any) -> Fast:
        parts = union_parts(t)
        allow_none, allow_str, objects = parts.allow_none, parts.allow_str, parts.objects
        key = frozenset(objects)
        if key in self._tagged:
            return self._tagged_union(key, allow_str=allow_str, allow_none=allow_none)
        if all(a in SCALAR_TYPES for a in parts.members):
            accepted, widen_int = scalar_union_rule(parts)
            return _scalar_check(accepted, widen_int=widen_int)
        if len(objects) != 1:
            raise _Unsupported(t)
        inner = self._function(objects[0])

        def optional(x: Any) -> Any:
            if x is None:
                if allow_none:
                    return None
                raise Slow
            if allow_str and x.__class__ is str:
                return x
            return inner(x)

        return optional

    def _tagged_union(self, key: frozenset[Any], *, allow_str: bool, allow_none: bool) -> Fast:
        table = {tag: self._class(cls) for tag, cls in self._tagged[key].items()}

        def tagged(x: Any) -> Any:
            if x.__class__ is dict:
                tag = x.get("type")
                if tag.__class__ is str:
                    fn = table.get(tag)
                    if fn is not None:
                        return fn(x)
                raise Slow
            if x is None and allow_none:
                return None
            if allow_str and x.__class__ is str:
                return x
            raise Slow

        return tagged

    # --- per class: generated code ---------------------------------------------------------------

    def _compile(self, cls: type) -> Fast:
        attrs.resolve_types(cls)
        # Fields the SDK sets itself (``init=False``, e.g. ``deviations``) are not read.
        fields = [a for a in attrs.fields(cls) if a.init]
        if any(a.kw_only or a.alias != a.name for a in fields):
            raise _Unsupported(cls)
        scope: dict[str, Any] = {
            "_cls": cls,
            "_Slow": Slow,
            "_slow": _slow,
            "_MISSING": _MISSING,
            "_float": float,
        }
        # Keys are counted as they are read: a key the class does not have leaves the count short
        # of ``len(o)`` (the slow path records it). A key the spec requires that is missing goes
        # there too, from the branch that would have taken the default.
        required = frozenset(self._required.get(cls, ()))
        if not required <= {a.name for a in fields}:
            raise _Unsupported(cls)
        lines = [
            "def fast(o):",
            "    if o.__class__ is not dict:",
            "        raise _Slow",
            "    g = o.get",
            f"    n = {sum(a.default is attrs.NOTHING for a in fields)}",
        ]
        for i, a in enumerate(fields):
            v = f"v{i}"
            if a.default is attrs.NOTHING:
                lines.append(f"    {v} = o[{a.name!r}]")
                indent = "    "
            else:
                lines.append(f"    {v} = g({a.name!r}, _MISSING)")
                lines.append(f"    if {v} is _MISSING:")
                if a.name in required:
                    lines.append("        raise _Slow")
                elif isinstance(a.default, attrs.Factory):  # type: ignore[arg-type]
                    if a.default.takes_self:
                        raise _Unsupported(cls)
                    scope[f"_d{i}"] = a.default.factory
                    lines.append(f"        {v} = _d{i}()")
                else:
                    scope[f"_d{i}"] = a.default
                    lines.append(f"        {v} = _d{i}")
                lines.append("    else:")
                lines.append("        n += 1")
                indent = "        "
            code = self._field_code(a.type, v, i, scope) or ["pass"]
            if a.name.endswith("_at"):  # a timestamp in milliseconds needs the slow path
                code.append(f"if {v} is not None and {v} >= {MILLISECONDS}:")
                code.append("    raise _Slow")
            elif a.name == "metadata" and required:  # a value that is not a string, too
                code.append(f"if {v} is not None:")
                code.append(f"    for x in {v}.values():")
                code.append("        if x.__class__ is not str:")
                code.append("            raise _Slow")
            lines.extend(indent + line for line in code)
        lines += ["    if n != len(o):", "        raise _Slow"]
        # attrs' own __init__: as fast as setting the slots by hand, and it keeps any hook.
        lines.append(f"    return _cls({', '.join(f'v{i}' for i in range(len(fields)))})")
        source = "\n".join(lines) + "\n"
        filename = f"<fast structure {cls.__module__}.{cls.__qualname__}>"
        # Registered with linecache, so tracebacks and debuggers show the generated lines.
        linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
        exec(compile(source, filename, "exec"), scope)
        return scope["fast"]  # type: ignore[no-any-return]

    def _field_code(self, t: Any, v: str, i: int, scope: dict[str, Any]) -> list[str]:
        """Statements that check ``v`` (one field's raw value) in place and convert it.

        The common shapes are inlined (scalars, optional scalars, optional objects, lists of
        objects), which saves a call per field; anything else calls the type's function.
        """
        if t is Any:
            return []
        if t is float:
            return [
                f"if {v}.__class__ is not float:",
                f"    {v} = _float({v}) if {v}.__class__ is int else _slow()",
            ]
        if t in SCALAR_TYPES:
            return [f"if {v}.__class__ is not {t.__name__}:", "    raise _Slow"]
        if get_origin(t) is Literal:  # a tag: one of its values, exactly (``str`` values only)
            scope[f"_l{i}"] = frozenset(get_args(t))
            return [f"if {v}.__class__ is not str or {v} not in _l{i}:", "    raise _Slow"]
        if is_union(t):
            parts = union_parts(t)
            if parts.allow_none and len(parts.members) == 1:
                (member,) = parts.members
                if member in SCALAR_TYPES and member is not float:
                    # ``str | None``, ``int | None``, ``bool | None``
                    return [
                        f"if {v}.__class__ is not {member.__name__} and {v} is not None:",
                        "    raise _Slow",
                    ]
                # ``X | None`` for an object or a list: check only when not None
                scope[f"_c{i}"] = self._function(member)
                return [f"if {v} is not None:", f"    {v} = _c{i}({v})"]
        elif get_origin(t) is list and get_args(t)[0] not in SCALAR_TYPES:
            scope[f"_c{i}"] = self._function(get_args(t)[0])
            return [
                f"if {v}.__class__ is not list:",
                "    raise _Slow",
                f"{v} = [_c{i}(x) for x in {v}]",
            ]
        scope[f"_c{i}"] = self._function(t)
        return [f"{v} = _c{i}({v})"]


def _as_is(x: Any) -> Any:
    return x


def _literal_check(values: frozenset[Any]) -> Fast:
    """A function taking a string that is one of ``values``; anything else raises."""

    def literal(x: Any) -> Any:
        if x.__class__ is str and x in values:
            return x
        raise Slow

    return literal


def _scalar_check(accepted: frozenset[type], *, widen_int: bool) -> Fast:
    """A function taking a value whose exact type is in ``accepted`` (an ``int`` widened to
    ``float`` with ``widen_int``); anything else raises."""

    def scalar(x: Any) -> Any:
        if x.__class__ in accepted:
            return x
        if widen_int and x.__class__ is int:
            return float(x)
        raise Slow

    return scalar
