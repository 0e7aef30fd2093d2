"""Run scripts: what the fake assistant model does in a run, step by step.

A script is a tuple of phases built fluently::

    RunScript.call_tools(ToolCallSpec("get_weather", {"city": "Paris"})).then_reply()
    RunScript.reply("hi").with_poll_after_ms(50)
    RunScript.fail(code="server_error", message="boom")
    RunScript.file_search().then_reply()  # hits from the run's vector stores, cited in the reply
    RunScript.code_interpreter("plot()", images=[GeneratedFile("plot.png", png_bytes)])

A run without a script replies with :func:`default_reply`: ``You said: <last user text>``, or,
after tool outputs were submitted, ``Tool results: <name>: <output>; ...``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeAlias

import attrs

__all__ = [
    "CallTools",
    "CodeInterpreter",
    "Expire",
    "Fail",
    "FileSearch",
    "FileSearchHit",
    "GeneratedFile",
    "Incomplete",
    "Phase",
    "Reply",
    "ReplyContext",
    "RunScript",
    "ScriptSource",
    "ToolCallSpec",
    "SubmittedToolOutput",
    "default_reply",
]

JSONDict = dict[str, Any]


@attrs.frozen
class SubmittedToolOutput:
    """A function call of this run together with the output the client submitted."""

    tool_call_id: str
    name: str
    arguments: str
    output: str


@attrs.frozen
class ReplyContext:
    """What a reply callable sees: the thread (oldest first, v2 shape), outputs and the run."""

    messages: list[JSONDict]
    tool_outputs: list[SubmittedToolOutput]
    run: JSONDict

    @property
    def last_user_text(self) -> str | None:
        """Text of the newest user message, or ``None``."""
        for message in reversed(self.messages):
            if message["role"] == "user":
                return " ".join(
                    part["text"]["value"] for part in message["content"] if part["type"] == "text"
                )
        return None


def default_reply(context: ReplyContext) -> str:
    """The deterministic reply used when a script gives no text."""
    if context.tool_outputs:
        return "Tool results: " + "; ".join(
            f"{item.name}: {item.output}" for item in context.tool_outputs
        )
    text = context.last_user_text
    return f"You said: {text}" if text is not None else "Hello! How can I help you today?"


ReplyText: TypeAlias = "str | Callable[[ReplyContext], str] | None"


@attrs.frozen
class ToolCallSpec:
    """A function call the model makes; ``arguments`` is a mapping or a raw JSON string."""

    name: str
    arguments: Mapping[str, Any] | str = attrs.field(factory=dict)

    def arguments_json(self) -> str:
        """The arguments as the API carries them: a JSON string."""
        if isinstance(self.arguments, str):
            return self.arguments
        return json.dumps(dict(self.arguments))


@attrs.frozen
class FileSearchHit:
    """One file-search hit; ``content`` appears only when ``include[]`` asks for it."""

    file_id: str
    file_name: str
    score: float = 0.5
    content: str = ""


@attrs.frozen
class Reply:
    """Write an assistant message (``text`` may be a callable of :class:`ReplyContext`)."""

    text: ReplyText = None


@attrs.frozen
class CallTools:
    """Call function tools; the run waits in ``requires_action`` for their outputs."""

    calls: tuple[ToolCallSpec, ...]


@attrs.frozen
class GeneratedFile:
    """A file the code interpreter writes: stored as a File with ``purpose=assistants_output``.

    ``content`` may be text (stored as UTF-8).
    """

    filename: str
    content: bytes | str = b""

    @property
    def data(self) -> bytes:
        """The content as bytes."""
        return self.content.encode() if isinstance(self.content, str) else self.content


ImageSource: TypeAlias = "str | GeneratedFile"


def _generated(value: Any) -> GeneratedFile:
    if isinstance(value, GeneratedFile):
        return value
    if isinstance(value, Mapping):
        return GeneratedFile(**value)
    raise TypeError(f"expected a GeneratedFile (or its fields), got {value!r}")


def _images(values: Any) -> tuple[ImageSource, ...]:
    return tuple(value if isinstance(value, str) else _generated(value) for value in values)


def _files(values: Any) -> tuple[GeneratedFile, ...]:
    return tuple(_generated(value) for value in values)


@attrs.frozen
class CodeInterpreter:
    """Run code: a ``tool_calls`` step with a code_interpreter call, its logs and outputs.

    ``images`` become ``image`` outputs of the call: a File id (an uploaded file, e.g. one of
    ``tool_resources.code_interpreter.file_ids`` or a message attachment) or a
    :class:`GeneratedFile`, stored when the step runs. ``files`` are other files the code
    wrote: stored, attached to the next reply of the run (``attachments``) and cited in it by
    ``file_path`` annotations (``sandbox:/mnt/data/<filename>``).
    """

    input: str
    logs: str = ""
    images: tuple[ImageSource, ...] = attrs.field(default=(), converter=_images)
    files: tuple[GeneratedFile, ...] = attrs.field(default=(), converter=_files)


@attrs.frozen
class FileSearch:
    """Search files: a ``tool_calls`` step with a file_search call (v1: retrieval).

    Without ``results`` the hits are the files attached to the run's vector stores (the
    assistant's, the thread's; see ``_vector_stores.run_candidates``) that best match the last
    user message, and the run's next reply cites them with ``file_citation`` annotations.
    Explicit ``results`` are shown as given, without citations.
    """

    results: tuple[FileSearchHit, ...] = ()


@attrs.frozen
class Fail:
    """End the run ``failed`` with ``last_error``."""

    code: str = "server_error"
    message: str = "Sorry, something went wrong."


@attrs.frozen
class Incomplete:
    """End the run ``incomplete``; a partial reply (``text``) is written first."""

    reason: str = "max_completion_tokens"
    text: ReplyText = None


@attrs.frozen
class Expire:
    """End the run ``expired``."""


Phase: TypeAlias = "Reply | CallTools | CodeInterpreter | FileSearch | Fail | Incomplete | Expire"
_TERMINAL = (Fail, Incomplete, Expire)


@attrs.frozen
class RunScript:
    """An ordered list of phases for one run, plus per-run response options."""

    phases: tuple[Phase, ...] = ()
    poll_after_ms: int | None = None

    def __attrs_post_init__(self) -> None:
        for phase in self.phases[:-1]:
            if isinstance(phase, _TERMINAL):
                raise ValueError(f"{type(phase).__name__} must be the last phase of a script")

    # Starting points -------------------------------------------------------------------------

    @classmethod
    def reply(cls, text: ReplyText = None) -> RunScript:
        """Reply with ``text`` (default: :func:`default_reply`)."""
        return cls((Reply(text),))

    @classmethod
    def call_tools(cls, *calls: ToolCallSpec) -> RunScript:
        """Call function tools and wait for outputs."""
        return cls((CallTools(calls),))

    @classmethod
    def code_interpreter(
        cls,
        input: str,
        logs: str = "",
        *,
        images: Sequence[ImageSource] = (),
        files: Sequence[GeneratedFile] = (),
    ) -> RunScript:
        """Run code, then (unless more phases follow) complete without a message.

        ``images``: output images (File ids or :class:`GeneratedFile`); ``files``: files the
        code wrote, cited by the next reply (see :class:`CodeInterpreter`).
        """
        return cls((CodeInterpreter(input, logs, images, files),))

    @classmethod
    def file_search(cls, *results: FileSearchHit) -> RunScript:
        """Search files (no ``results``: the best matches among the run's attached files)."""
        return cls((FileSearch(results),))

    @classmethod
    def fail(
        cls, code: str = "server_error", message: str = "Sorry, something went wrong."
    ) -> RunScript:
        """Fail the run."""
        return cls((Fail(code, message),))

    @classmethod
    def incomplete(cls, reason: str = "max_completion_tokens", text: ReplyText = None) -> RunScript:
        """End the run incomplete."""
        return cls((Incomplete(reason, text),))

    @classmethod
    def expire(cls) -> RunScript:
        """Expire the run."""
        return cls((Expire(),))

    # Chaining ---------------------------------------------------------------------------------

    def then(self, *phases: Phase) -> RunScript:
        """Append phases."""
        return attrs.evolve(self, phases=self.phases + phases)

    def then_reply(self, text: ReplyText = None) -> RunScript:
        """Append a reply."""
        return self.then(Reply(text))

    def then_call_tools(self, *calls: ToolCallSpec) -> RunScript:
        """Append function calls."""
        return self.then(CallTools(calls))

    def then_code_interpreter(
        self,
        input: str,
        logs: str = "",
        *,
        images: Sequence[ImageSource] = (),
        files: Sequence[GeneratedFile] = (),
    ) -> RunScript:
        """Append a code_interpreter step."""
        return self.then(CodeInterpreter(input, logs, images, files))

    def then_file_search(self, *results: FileSearchHit) -> RunScript:
        """Append a file_search step."""
        return self.then(FileSearch(results))

    def then_fail(
        self, code: str = "server_error", message: str = "Sorry, something went wrong."
    ) -> RunScript:
        """End with a failure."""
        return self.then(Fail(code, message))

    def then_incomplete(
        self, reason: str = "max_completion_tokens", text: ReplyText = None
    ) -> RunScript:
        """End incomplete."""
        return self.then(Incomplete(reason, text))

    def then_expire(self) -> RunScript:
        """End expired."""
        return self.then(Expire())

    def with_poll_after_ms(self, milliseconds: int) -> RunScript:
        """Send this ``openai-poll-after-ms`` on this run's responses."""
        return attrs.evolve(self, poll_after_ms=milliseconds)


#: What ``server.script()`` accepts: a script, or a callable of the thread's messages
#: (oldest first) returning a script or the reply text.
ScriptSource: TypeAlias = "RunScript | Callable[[Sequence[JSONDict]], RunScript | str]"
