"""Run simulation: drives a run through its statuses, steps and messages, tick by tick.

A simulation is a generator of ticks. Each tick mutates the store and reports stream events
through an ``Emit`` callback (which renders them at once, since objects keep changing). Who
calls :meth:`RunSimulation.advance` decides the clock: all at once on create (``instant``), one
tick per GET of the run (``per_poll``), a background task with delays (``real``), or a stream.

A ``file_search`` phase without scripted hits searches the run's files (``run_candidates``:
the assistant's and the thread's vector stores, message attachments) for the last user
message; the run's next reply cites the hits (``file_citation`` annotations on markers like
``【0:1†notes.txt】`` appended to its text). Files a ``code_interpreter`` phase writes are
stored and cited the same way (``file_path`` annotations on ``sandbox:/mnt/data/<name>``).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Generator
from typing import Any

from ._errors import ApiError
from ._ids import new_id, now
from ._objects import file_object, message_object, step_object
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
    ReplyText,
    RunScript,
    SubmittedToolOutput,
    default_reply,
)
from ._search import rank
from ._store import Store
from ._vector_stores import run_candidates

__all__ = ["ACTIVE_STATUSES", "Emit", "RunSimulation", "split_words"]

JSONDict = dict[str, Any]
#: ``emit(event_name, kind, payload)``: ``kind`` says how to render ``payload``
#: (``run``, ``step``, ``message``, ``thread``) or ``raw`` for deltas.
Emit = Callable[[str, str, JSONDict], None]

ACTIVE_STATUSES = frozenset({"queued", "in_progress", "requires_action", "cancelling"})
_CANCELLABLE = frozenset({"queued", "in_progress", "requires_action"})
#: file_search's ``max_num_results`` when the tool does not set it.
_FILE_SEARCH_RESULTS = 20
_DEFAULT_RANKING: JSONDict = {"ranker": "default_2024_08_21", "score_threshold": 0.0}


def _no_emit(event: str, kind: str, payload: JSONDict) -> None:
    """Drop events nobody streams."""


def split_words(text: str) -> list[str]:
    """Split text into stream chunks: each word keeps the whitespace that follows it."""
    return re.findall(r"\s*\S+\s*", text) or [text]


def _chunks(text: str, size: int = 8) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), size)] or [""]


def _tokens(text: str) -> int:
    return len(text.split())


class RunSimulation:
    """The live state of one run: its script, position and pending tool calls."""

    def __init__(self, store: Store, run: JSONDict, script: RunScript) -> None:
        self.store = store
        self.run = run
        self.script = script
        self._outputs: list[SubmittedToolOutput] = []
        self._pending_calls: list[JSONDict] = []
        self._pending_step: JSONDict | None = None
        self._usage = {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0}
        #: What the next reply cites: ``(annotation type, file id, marker or filename)``.
        self._citations: list[tuple[str, str, str]] = []
        self._searches = 0
        self._emit: Emit = _no_emit
        self._ticks = self._script_ticks()

    # Public control ---------------------------------------------------------------------------

    @property
    def status(self) -> str:
        """The run's status."""
        return str(self.run["status"])

    @property
    def can_advance(self) -> bool:
        """Whether a tick would change anything (not finished, not waiting for outputs)."""
        return self.status in ("queued", "in_progress", "cancelling")

    def advance(self, emit: Emit = _no_emit) -> bool:
        """Perform one tick; return whether one was performed."""
        if not self.can_advance:
            return False
        self._emit = emit
        try:
            if self.status == "cancelling":
                self._finish_cancel()
            else:
                next(self._ticks, None)
        finally:
            self._emit = _no_emit
        return True

    def advance_until_blocked(self, emit: Emit = _no_emit) -> None:
        """Tick until the run waits for tool outputs or ends."""
        while self.advance(emit):
            pass

    def announce_created(self, emit: Emit) -> None:
        """Emit the events of a just-created run."""
        emit("thread.run.created", "run", self.run)
        emit("thread.run.queued", "run", self.run)

    def cancel(self) -> None:
        """Start cancelling: the run shows ``cancelling`` until the next tick."""
        if self.status not in _CANCELLABLE:
            raise ApiError(400, f"Cannot cancel run with status '{self.status}'.")
        self.run["status"] = "cancelling"

    def submit_tool_outputs(self, outputs: list[JSONDict], emit: Emit = _no_emit) -> None:
        """Record outputs for the pending calls and put the run back in the queue."""
        if self.status != "requires_action":
            raise ApiError(
                400,
                f'Runs in status "{self.status}" do not accept tool outputs.',
                param="tool_outputs",
            )
        expected = [call["id"] for call in self._pending_calls]
        given = [str(item.get("tool_call_id")) for item in outputs]
        if sorted(expected) != sorted(given):
            raise ApiError(
                400,
                f"Expected tool outputs for call_ids {expected}, got {given}",
                param="tool_outputs",
            )
        by_id = {item["tool_call_id"]: str(item.get("output", "")) for item in outputs}
        step = self._pending_step
        assert step is not None
        for call in step["step_details"]["tool_calls"]:
            function = call["function"]
            function["output"] = by_id[call["id"]]
            self._outputs.append(
                SubmittedToolOutput(
                    call["id"], function["name"], function["arguments"], function["output"]
                )
            )
        self._complete_step(step, emit)
        self._pending_calls, self._pending_step = [], None
        self.run["required_action"] = None
        self.run["status"] = "queued"
        emit("thread.run.queued", "run", self.run)

    # The ticks --------------------------------------------------------------------------------

    def _script_ticks(self) -> Generator[None, None, None]:
        self._set_in_progress()
        yield
        for phase in self.script.phases:
            if isinstance(phase, Reply):
                self._write_message(phase.text)
            elif isinstance(phase, CallTools):
                self._call_tools(phase)
                yield  # waiting in requires_action; resumed after outputs, from queued
                self._set_in_progress()
            elif isinstance(phase, CodeInterpreter):
                self._code_interpreter(phase)
            elif isinstance(phase, FileSearch):
                self._file_search(phase)
            elif isinstance(phase, Fail):
                self._end("failed", last_error={"code": phase.code, "message": phase.message})
                return
            elif isinstance(phase, Incomplete):
                self._write_message(phase.text, incomplete=True)
                self._end("incomplete", incomplete_details={"reason": phase.reason})
                return
            elif isinstance(phase, Expire):
                self._end("expired")
                return
            yield
        self._end("completed")

    # Tick parts -------------------------------------------------------------------------------

    def _set_in_progress(self) -> None:
        self.run["status"] = "in_progress"
        if self.run["started_at"] is None:
            self.run["started_at"] = now()
        self._emit("thread.run.in_progress", "run", self.run)

    def _thread_text_tokens(self) -> int:
        messages = self.store.messages(self.run["thread_id"])
        return _tokens(str(self.run["instructions"])) + sum(
            _tokens(part["text"]["value"])
            for message in messages
            for part in message["content"]
            if part["type"] == "text"
        )

    def _new_step(self, details: JSONDict, started: JSONDict | None = None) -> JSONDict:
        step = step_object(self.run, details)
        self.store.steps(self.run["id"]).add(step)
        created = dict(step, step_details=started) if started is not None else step
        self._emit("thread.run.step.created", "step", created)
        self._emit("thread.run.step.in_progress", "step", created)
        return step

    def _complete_step(self, step: JSONDict, emit: Emit, completion_tokens: int = 0) -> None:
        prompt = self._thread_text_tokens()
        usage = {
            "prompt_tokens": prompt,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt + completion_tokens,
        }
        for key, value in usage.items():
            self._usage[key] += value
        step.update(status="completed", completed_at=now(), usage=usage)
        emit("thread.run.step.completed", "step", step)

    def _reply_text(self, text: ReplyText) -> str:
        context = ReplyContext(
            messages=[copy.deepcopy(m) for m in self.store.messages(self.run["thread_id"])],
            tool_outputs=list(self._outputs),
            run=copy.deepcopy(self.run),
        )
        if text is None:
            return default_reply(context)
        return text if isinstance(text, str) else text(context)

    def _cite(self, value: str) -> tuple[str, list[JSONDict], list[JSONDict]]:
        """Append what the reply cites to ``value``: the text, annotations and attachments."""
        annotations: list[JSONDict] = []
        attachments: list[JSONDict] = []
        for kind, file_id, label in self._citations:
            if kind == "file_citation":
                start = len(value)
                value += label
                annotations.append(
                    {
                        "type": "file_citation",
                        "text": label,
                        "start_index": start,
                        "end_index": len(value),
                        "file_citation": {"file_id": file_id},
                    }
                )
            else:
                path = f"sandbox:/mnt/data/{label}"
                value += f"\n[{label}]("
                start = len(value)
                value += path + ")"
                annotations.append(
                    {
                        "type": "file_path",
                        "text": path,
                        "start_index": start,
                        "end_index": start + len(path),
                        "file_path": {"file_id": file_id},
                    }
                )
                attachments.append({"file_id": file_id, "tools": [{"type": "code_interpreter"}]})
        self._citations = []
        return value, annotations, attachments

    def _write_message(self, text: ReplyText, *, incomplete: bool = False) -> None:
        value = self._reply_text(text)
        if incomplete and text is None:
            value = " ".join(value.split()[: max(1, len(value.split()) // 2)])
        plain = value
        value, annotations, attachments = self._cite(value)
        message = message_object(
            thread_id=self.run["thread_id"],
            content=[],
            role="assistant",
            assistant_id=self.run["assistant_id"],
            run_id=self.run["id"],
            status="in_progress",
            attachments=attachments,
        )
        step = self._new_step(
            {"type": "message_creation", "message_creation": {"message_id": message["id"]}}
        )
        self.store.add_message(message)
        self._emit("thread.message.created", "message", message)
        self._emit("thread.message.in_progress", "message", message)
        deltas: list[JSONDict] = []
        for index, word in enumerate(split_words(plain)):
            text_delta: JSONDict = {"value": word}
            if index == 0:
                text_delta["annotations"] = []
            deltas.append(text_delta)
        if annotations:
            deltas.append(
                {
                    "value": value[len(plain) :],
                    "annotations": [
                        {"index": index, **copy.deepcopy(annotation)}
                        for index, annotation in enumerate(annotations)
                    ],
                }
            )
        for text_delta in deltas:
            self._emit(
                "thread.message.delta",
                "raw",
                {
                    "id": message["id"],
                    "object": "thread.message.delta",
                    "delta": {"content": [{"index": 0, "type": "text", "text": text_delta}]},
                },
            )
        message["content"] = [
            {"type": "text", "text": {"value": value, "annotations": annotations}}
        ]
        if incomplete:
            message.update(
                status="incomplete",
                incomplete_at=now(),
                incomplete_details={"reason": "max_tokens"},
            )
            self._emit("thread.message.incomplete", "message", message)
        else:
            message.update(status="completed", completed_at=now())
            self._emit("thread.message.completed", "message", message)
        self._complete_step(step, self._emit, _tokens(value))

    def _step_delta(self, step: JSONDict, call_delta: JSONDict) -> None:
        self._emit(
            "thread.run.step.delta",
            "raw",
            {
                "id": step["id"],
                "object": "thread.run.step.delta",
                "delta": {"step_details": {"type": "tool_calls", "tool_calls": [call_delta]}},
            },
        )

    def _tool_step(self, calls: list[JSONDict]) -> JSONDict:
        return self._new_step(
            {"type": "tool_calls", "tool_calls": calls}, {"type": "tool_calls", "tool_calls": []}
        )

    def _call_tools(self, phase: CallTools) -> None:
        calls: list[JSONDict] = [
            {
                "id": new_id("call"),
                "type": "function",
                "function": {"name": spec.name, "arguments": spec.arguments_json(), "output": None},
            }
            for spec in phase.calls
        ]
        step = self._tool_step(calls)
        for index, call in enumerate(calls):
            function = call["function"]
            self._step_delta(
                step,
                {
                    "index": index,
                    "id": call["id"],
                    "type": "function",
                    "function": {"name": function["name"], "arguments": "", "output": None},
                },
            )
            for chunk in _chunks(function["arguments"]):
                self._step_delta(
                    step, {"index": index, "type": "function", "function": {"arguments": chunk}}
                )
        self._pending_calls = [
            {
                "id": call["id"],
                "type": "function",
                "function": {k: call["function"][k] for k in ("name", "arguments")},
            }
            for call in calls
        ]
        self._pending_step = step
        self.run["status"] = "requires_action"
        self.run["required_action"] = {
            "type": "submit_tool_outputs",
            "submit_tool_outputs": {"tool_calls": copy.deepcopy(self._pending_calls)},
        }
        self._emit("thread.run.requires_action", "run", self.run)

    def _code_interpreter(self, phase: CodeInterpreter) -> None:
        call: JSONDict = {
            "id": new_id("call"),
            "type": "code_interpreter",
            "code_interpreter": {"input": phase.input, "outputs": []},
        }
        step = self._tool_step([call])
        self._step_delta(
            step,
            {
                "index": 0,
                "id": call["id"],
                "type": "code_interpreter",
                "code_interpreter": {"input": "", "outputs": []},
            },
        )
        for chunk in _chunks(phase.input):
            self._step_delta(
                step, {"index": 0, "type": "code_interpreter", "code_interpreter": {"input": chunk}}
            )
        outputs: list[JSONDict] = []
        if phase.logs:
            outputs.append({"type": "logs", "logs": phase.logs})
        for image in phase.images:
            file_id = image if isinstance(image, str) else self._store_output(image)
            outputs.append({"type": "image", "image": {"file_id": file_id}})
        if outputs:
            call["code_interpreter"]["outputs"] = outputs
            self._step_delta(
                step,
                {
                    "index": 0,
                    "type": "code_interpreter",
                    "code_interpreter": {
                        "outputs": [
                            {"index": index, **copy.deepcopy(output)}
                            for index, output in enumerate(outputs)
                        ]
                    },
                },
            )
        for generated in phase.files:
            self._citations.append(("file_path", self._store_output(generated), generated.filename))
        self._complete_step(step, self._emit, _tokens(phase.input))

    def _store_output(self, generated: GeneratedFile) -> str:
        """Store a file the code interpreter wrote; return its id."""
        data = generated.data
        file = file_object(filename=generated.filename, purpose="assistants_output", size=len(data))
        return str(self.store.add_file(file, data)["id"])

    def _last_user_text(self) -> str:
        for message in reversed(list(self.store.messages(self.run["thread_id"]))):
            if message["role"] == "user":
                return " ".join(
                    part["text"]["value"] for part in message["content"] if part["type"] == "text"
                )
        return ""

    def _file_search_options(self) -> tuple[int, JSONDict]:
        """The run's file_search tool settings: ``max_num_results`` and ``ranking_options``."""
        for tool in self.run.get("tools") or []:
            if tool.get("type") == "file_search":
                options = tool.get("file_search") or {}
                ranking = {**_DEFAULT_RANKING, **(options.get("ranking_options") or {})}
                return options.get("max_num_results") or _FILE_SEARCH_RESULTS, ranking
        return _FILE_SEARCH_RESULTS, dict(_DEFAULT_RANKING)

    def _search_attached_files(self, max_results: int, ranking: JSONDict) -> list[FileSearchHit]:
        hits = rank(
            run_candidates(self.store, self.run),
            self._last_user_text(),
            max_results=max_results,
            score_threshold=ranking.get("score_threshold", 0.0),
        )
        return [
            FileSearchHit(hit.file_id, hit.filename, hit.score, hit.chunks[0] if hit.chunks else "")
            for hit in hits
        ]

    def _file_search(self, phase: FileSearch) -> None:
        results = list(phase.results)
        ranking = dict(_DEFAULT_RANKING)
        if not results:
            max_results, ranking = self._file_search_options()
            results = self._search_attached_files(max_results, ranking)
            search = self._searches
            self._searches += 1
            self._citations += [
                ("file_citation", result.file_id, f"【{search}:{index}†{result.file_name}】")
                for index, result in enumerate(results)
            ]
        call: JSONDict = {
            "id": new_id("call"),
            "type": "file_search",
            "file_search": {
                "ranking_options": ranking,
                "results": [
                    {
                        "file_id": result.file_id,
                        "file_name": result.file_name,
                        "score": result.score,
                        "content": [{"type": "text", "text": result.content}],
                    }
                    for result in results
                ],
            },
        }
        step = self._tool_step([call])
        self._step_delta(
            step, {"index": 0, "id": call["id"], "type": "file_search", "file_search": {}}
        )
        self._complete_step(step, self._emit)

    def _end(self, status: str, **fields: Any) -> None:
        self._close_open_steps("expired" if status == "expired" else "failed", status)
        self.run.update(status=status, expires_at=None, **fields)
        timestamp = {"completed": "completed_at", "failed": "failed_at"}.get(status)
        if timestamp:
            self.run[timestamp] = now()
        self.run["usage"] = dict(self._usage)
        self._emit(f"thread.run.{status}", "run", self.run)

    def _close_open_steps(self, step_status: str, run_status: str) -> None:
        """Mark steps and messages still open when the run ends abnormally."""
        if run_status in ("completed", "incomplete"):
            return
        stamp = {"expired": "expired_at", "failed": "failed_at", "cancelled": "cancelled_at"}
        for step in self.store.steps(self.run["id"]):
            if step["status"] == "in_progress":
                step.update(status=step_status, **{stamp[step_status]: now()})
                self._emit(f"thread.run.step.{step_status}", "step", step)
        reason = {"failed": "run_failed", "expired": "run_expired", "cancelled": "run_cancelled"}
        for message in self.store.run_messages(self.run["id"]):
            if message["status"] == "in_progress":
                message.update(
                    status="incomplete",
                    incomplete_at=now(),
                    incomplete_details={"reason": reason[run_status]},
                )
        self._pending_calls, self._pending_step = [], None
        self.run["required_action"] = None

    def _finish_cancel(self) -> None:
        self._ticks.close()
        self._close_open_steps("cancelled", "cancelled")
        self.run.update(status="cancelled", cancelled_at=now(), expires_at=None)
        self.run["usage"] = dict(self._usage)
        self._emit("thread.run.cancelled", "run", self.run)
