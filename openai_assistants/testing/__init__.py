"""A faithful fake of the Assistants API for tests: ``async with FakeAssistantsServer() as s``.

The fake speaks v1 and v2 (by the ``OpenAI-Beta`` header), validates requests like the API,
paginates exactly, simulates runs with scripts (:class:`RunScript`), streams server-sent events,
injects faults (:class:`Fault`), and on demand answers like real servers that deviate from the
spec (``quirks``, from :data:`QUIRKS`). It also serves Files, Uploads and Vector stores (file
processing on the run clocks, failures by :meth:`FakeAssistantsServer.fail_processing`, keyword
search that runs' ``file_search`` steps use too). The pytest plugin provides
``fake_assistants_server``.
"""

from ._factories import Factories
from ._faults import AppliedFault, ArmedFault, Fault
from ._quirks import QUIRKS, Quirk
from ._scripts import (
    CallTools,
    CodeInterpreter,
    Expire,
    Fail,
    FileSearch,
    FileSearchHit,
    GeneratedFile,
    Incomplete,
    Reply,
    ReplyContext,
    RunScript,
    SubmittedToolOutput,
    ToolCallSpec,
    default_reply,
)
from ._server import FakeAssistantsServer
from ._state import RecordedRequest
from ._store import ReceivedPart
from ._vector_stores import ProcessingFailure

__all__ = [
    # the server
    "FakeAssistantsServer",
    "RecordedRequest",
    # run scripts
    "RunScript",
    "ToolCallSpec",
    "FileSearchHit",
    "GeneratedFile",
    "ReplyContext",
    "SubmittedToolOutput",
    "default_reply",
    "Reply",
    "CallTools",
    "CodeInterpreter",
    "FileSearch",
    "Fail",
    "Incomplete",
    "Expire",
    # files, uploads and vector stores
    "ReceivedPart",
    "ProcessingFailure",
    # faults
    "Fault",
    "ArmedFault",
    "AppliedFault",
    # real servers' deviations
    "Quirk",
    "QUIRKS",
    # factories
    "Factories",
]
