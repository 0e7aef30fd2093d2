"""One service per resource; each method states its path, parameters and return type."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._base import ResponseView, Service
from .assistant_files import AssistantFiles, MessageFiles
from .assistants import Assistants
from .messages import Messages
from .runs import Runs, RunSteps
from .threads import Threads

if TYPE_CHECKING:  # imported on first use (see ``__getattr__``)
    from .files import Files, Uploads
    from .vector_stores import (
        FileBatchResult,
        VectorStoreFileBatches,
        VectorStoreFiles,
        VectorStores,
    )

#: The files and vector-store services, each imported from its module on first use.
_LAZY: dict[str, str] = {
    "Files": ".files",
    "Uploads": ".files",
    "FileBatchResult": ".vector_stores",
    "VectorStoreFileBatches": ".vector_stores",
    "VectorStoreFiles": ".vector_stores",
    "VectorStores": ".vector_stores",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value  # found directly from now on
    return value


__all__ = [
    "Service",
    "ResponseView",
    "Assistants",
    "Threads",
    "Messages",
    "Runs",
    "RunSteps",
    "AssistantFiles",
    "MessageFiles",
    "Files",
    "Uploads",
    "VectorStores",
    "VectorStoreFiles",
    "VectorStoreFileBatches",
    "FileBatchResult",
]
