"""An incremental server-sent-events decoder (WHATWG rules), pure and socket-free.

Feed it bytes exactly as they arrive, split anywhere (even inside a UTF-8 sequence or between the
``\\r`` and ``\\n`` of one line ending); it returns the events completed so far. Lines end with
``\\r\\n``, ``\\n`` or ``\\r``; ``:`` lines are comments; several ``data:`` lines join with
``\\n``; one space after the colon is dropped; an event without data is not dispatched; an event
cut off by the end of the stream is discarded. Invalid UTF-8 is replaced, never raised.
"""

from __future__ import annotations

import codecs
import re
from typing import Final

__all__ = ["ServerSentEvent", "SSEDecoder"]

_LINE_END: Final = re.compile(r"\r\n|\r|\n")


class ServerSentEvent:
    """One dispatched event: its type (``message`` when unnamed), data, id and retry."""

    __slots__ = ("data", "event", "id", "retry")

    def __init__(
        self, event: str, data: str, id: str | None = None, retry: int | None = None
    ) -> None:
        self.event = event
        self.data = data
        self.id = id
        self.retry = retry

    def __repr__(self) -> str:
        return f"ServerSentEvent(event={self.event!r}, data={self.data!r}, id={self.id!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ServerSentEvent):
            return NotImplemented
        return (self.event, self.data, self.id, self.retry) == (
            other.event,
            other.data,
            other.id,
            other.retry,
        )

    __hash__ = None  # type: ignore[assignment]  # mutable-looking value object: not hashable


class SSEDecoder:
    """Turns a byte stream into ``ServerSentEvent`` objects, chunk by chunk."""

    __slots__ = (
        "_buffer",
        "_data",
        "_decoder",
        "_event",
        "_last_id",
        "_retry",
        "_skip_lf",
        "_started",
    )

    def __init__(self) -> None:
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._buffer = ""
        self._started = False
        self._skip_lf = False
        self._event = ""
        self._data: list[str] = []
        self._last_id: str | None = None
        self._retry: int | None = None

    def feed(self, chunk: bytes) -> list[ServerSentEvent]:
        """Decode one chunk; return the events it completed."""
        return self._text(self._decoder.decode(chunk))

    def close(self) -> list[ServerSentEvent]:
        """End of stream: flush the decoder; a last line without its ending still counts."""
        events = self._text(self._decoder.decode(b"", final=True))
        if self._buffer:
            # A final line with no terminator is a complete line; the event it belongs to is
            # still cut off (no blank line), so it is discarded like the spec says.
            line, self._buffer = self._buffer, ""
            self._line(line)
        self._event, self._data, self._skip_lf = "", [], False
        return events

    @property
    def pending(self) -> bool:
        """Whether part of an event has been read but not yet dispatched."""
        return bool(self._data or self._buffer)

    def _text(self, text: str) -> list[ServerSentEvent]:
        if not text:
            return []
        if not self._started:
            self._started = True
            if text[0] == "\ufeff":
                text = text[1:]
        if self._skip_lf:
            # The last chunk ended with "\r", which already ended its line: a "\n" now is the
            # second half of that "\r\n", not another (blank) line.
            self._skip_lf = False
            if text[0] == "\n":
                text = text[1:]
        text = self._buffer + text
        self._skip_lf = text.endswith("\r")
        lines = _LINE_END.split(text) if "\r" in text else text.split("\n")
        self._buffer = lines.pop()
        events: list[ServerSentEvent] = []
        # Blank lines (dispatch) and the two field lines almost every event consists of
        # (``event:`` and ``data:``) are handled inline: this runs once per line of every stream.
        data, event = self._data, self._event
        for line in lines:
            if not line:
                if data:
                    events.append(
                        ServerSentEvent(
                            event or "message", "\n".join(data), self._last_id, self._retry
                        )
                    )
                    data = []
                event = ""
            elif line.startswith("data:"):
                data.append(line[6:] if line[5:6] == " " else line[5:])
            elif line.startswith("event:"):
                event = line[7:] if line[6:7] == " " else line[6:]
            else:
                self._data, self._event = data, event
                self._line(line)
                data, event = self._data, self._event
        self._data, self._event = data, event
        return events

    def _line(self, line: str) -> None:
        """A field line (never blank: blank lines dispatch, in ``_text``), or a comment."""
        if line[0] == ":":
            return
        name, colon, value = line.partition(":")
        if colon and value[:1] == " ":
            value = value[1:]
        if name == "data":
            self._data.append(value)
        elif name == "event":
            self._event = value
        elif name == "id":
            if "\0" not in value:
                self._last_id = value
        elif name == "retry" and value.isascii() and value.isdigit():
            self._retry = int(value)
