"""One service per resource; each method states its path, parameters and return type."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._lazy import lazy_names
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

__getattr__ = lazy_names(_LAZY, __name__, globals())


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
