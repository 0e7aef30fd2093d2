"""One service per resource; each method states its path, parameters and return type."""

from ._base import ResponseView, Service
from .assistants import Assistants
from .files import AssistantFiles, MessageFiles
from .messages import Messages
from .runs import Runs, RunSteps
from .threads import Threads

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
]
