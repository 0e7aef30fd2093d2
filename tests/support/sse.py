"""SSE bytes through the real decoder in chunks, and a reference decoder to compare it with."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable

from openai_assistants._streaming.sse import ServerSentEvent, SSEDecoder

__all__ = ["decode", "reference_decode", "split_at"]


def decode(*chunks: bytes) -> list[ServerSentEvent]:
    """Every event a fresh decoder gives for these chunks, ``close()`` included."""
    decoder = SSEDecoder()
    events: list[ServerSentEvent] = []
    for chunk in chunks:
        events += decoder.feed(chunk)
    return events + decoder.close()


def split_at(data: bytes, cuts: Iterable[int]) -> list[bytes]:
    """``data`` cut at the (sorted) offsets ``cuts``; a repeated offset gives an empty chunk."""
    return [data[a:b] for a, b in itertools.pairwise([0, *cuts, len(data)])]


def reference_decode(stream: bytes) -> list[ServerSentEvent]:
    """A plain transcription of the WHATWG algorithm for a whole stream, for comparison."""
    text = stream.decode("utf-8", errors="replace")
    text = text.removeprefix("\ufeff")
    lines = re.split(r"\r\n|\r|\n", text)[:-1]  # the part after the last line ending is no line
    events: list[ServerSentEvent] = []
    name, data, last_id, retry = "", "", None, None
    for line in lines:
        if line == "":
            if data:
                events.append(
                    ServerSentEvent(name or "message", data.removesuffix("\n"), last_id, retry)
                )
            name, data = "", ""
            continue
        if line.startswith(":"):
            continue
        field, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if field == "event":
            name = value
        elif field == "data":
            data += value + "\n"
        elif field == "id" and "\0" not in value:
            last_id = value
        elif field == "retry" and re.fullmatch("[0-9]+", value):
            retry = int(value)
    return events
