"""Names a package re-exports but imports only on first use (PEP 562 ``__getattr__``).

Each of them is also imported under ``TYPE_CHECKING`` where it is re-exported, so type checkers
see it as a plain import.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["lazy_names"]


def lazy_names(
    table: Mapping[str, str], package: str, namespace: dict[str, Any]
) -> Callable[[str], Any]:
    """A module ``__getattr__`` importing ``name`` from the submodule ``table[name]`` (relative to
    ``package``) the first time it is asked for, then keeping it in ``namespace``."""

    def __getattr__(name: str) -> Any:
        module = table.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module, package), name)
        namespace[name] = value  # found directly from now on
        return value

    return __getattr__
