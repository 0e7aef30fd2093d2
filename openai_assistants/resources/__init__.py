"""One service per resource; each method states its path, parameters and return type."""

from ._base import ResponseView, Service
from .assistant_files import AssistantFiles, MessageFiles
from .assistants import Assistants
from .files import Files, Uploads
from .messages import Messages
from .runs import Runs, RunSteps
from .threads import Threads
from .vector_stores import (
    FileBatchResult,
    VectorStoreFileBatches,
    VectorStoreFiles,
    VectorStores,
)

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
