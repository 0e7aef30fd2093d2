"""How the converter reads the models' annotations: scalar types and the parts of a union.

Shared by the converter (``converters``) and its compiled fast path (``fastpath``), so both take a
union apart and accept scalars by the same rule.
"""

from __future__ import annotations

import types
from typing import Any, Final, NamedTuple, Union, get_args, get_origin

from .._types import NotGiven

__all__ = [
    "NONE_TYPE",
    "SCALAR_TYPES",
    "UnionParts",
    "is_union",
    "scalar_union_rule",
    "union_parts",
]

NONE_TYPE: Final = type(None)

#: What each scalar annotation accepts as is (``float`` also takes an ``int``, converted).
#: Exact types: ``bool`` is not an ``int`` here.
SCALAR_TYPES: Final[dict[Any, frozenset[type]]] = {
    str: frozenset({str}),
    int: frozenset({int}),
    float: frozenset({float}),
    bool: frozenset({bool}),
}


def is_union(t: Any) -> bool:
    return get_origin(t) in (Union, types.UnionType)


class UnionParts(NamedTuple):
    """A union annotation taken apart."""

    #: Every member but ``None`` (``str`` included), in order.
    members: tuple[Any, ...]
    #: Whether JSON ``null`` is a value of the union.
    allow_none: bool

    @property
    def allow_str(self) -> bool:
        return str in self.members

    @property
    def objects(self) -> tuple[Any, ...]:
        """The members other than ``str``: models, lists, dicts."""
        return tuple(a for a in self.members if a is not str)


def union_parts(t: Any) -> UnionParts:
    """``t``'s members; ``NotGiven`` is a request-side placeholder, never data, so it is left out
    (otherwise ``list[Tool] | NotGiven`` would lose the Tool dispatch)."""
    args = get_args(t)
    members = tuple(a for a in args if a is not NONE_TYPE and a is not NotGiven)
    return UnionParts(members, NONE_TYPE in args)


def scalar_union_rule(parts: UnionParts) -> tuple[frozenset[type], bool]:
    """For a union of scalars: the exact types taken as is, and whether an ``int`` is widened
    to ``float`` (a ``float`` member without an ``int`` one)."""
    accepted = frozenset().union(*(SCALAR_TYPES[t] for t in parts.members))
    if parts.allow_none:
        accepted |= {NONE_TYPE}
    return accepted, float in parts.members and int not in parts.members
