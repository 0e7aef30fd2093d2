"""One service per resource; each method states its path, parameters and return type."""

from ._base import Service, WithResponse
from .assistants import Assistants
from .files import AssistantFiles, MessageFiles
from .messages import Messages
from .runs import Runs, RunSteps
from .threads import Threads

__all__ = [
    "Service",
    "WithResponse",
    "Assistants",
    "Threads",
    "Messages",
    "Runs",
    "RunSteps",
    "AssistantFiles",
    "MessageFiles",
]
