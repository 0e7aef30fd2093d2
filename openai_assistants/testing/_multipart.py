"""``multipart/form-data`` bodies (createFile, addUploadPart), read once from the stream.

aiohttp's ``request.post()`` would hold the body within ``client_max_size`` (1 MB by default) and
spool files to disk; ``request.read()`` has the same limit. Here each part is read chunk by
chunk from the request's stream and kept as one ``bytes``, up to the route's per-part limit (the
rest of an oversized part is read and dropped, so the client still gets its answer).
"""

from __future__ import annotations

from collections.abc import Iterator

import attrs
from aiohttp import BodyPartReader, hdrs, web

__all__ = ["Form", "FormPart", "read_form"]

#: How much of a part is read from the stream at a time.
_CHUNK = 1024 * 1024


@attrs.frozen
class FormPart:
    """One part of a ``multipart/form-data`` body: a text field or a file.

    ``size`` is what was sent; ``data`` holds it unless the part went over the route's limit
    (then ``too_large`` is set and ``data`` is empty).
    """

    name: str
    filename: str | None
    content_type: str | None
    data: bytes = attrs.field(repr=lambda data: f"<{len(data)} bytes>")
    size: int = 0
    too_large: bool = False

    @property
    def text(self) -> str:
        """The part as text (UTF-8; undecodable bytes replaced)."""
        return self.data.decode("utf-8", errors="replace")

    @property
    def is_file(self) -> bool:
        """Whether the part was sent as a file (its ``Content-Disposition`` names a filename)."""
        return self.filename is not None


@attrs.frozen
class Form:
    """A parsed ``multipart/form-data`` body, or why it could not be parsed (``problem``)."""

    parts: tuple[FormPart, ...] = ()
    problem: str | None = None

    def __iter__(self) -> Iterator[FormPart]:
        return iter(self.parts)

    def get(self, name: str) -> FormPart | None:
        """The first part called ``name``, or ``None``."""
        return next((part for part in self.parts if part.name == name), None)

    def summary(self) -> dict[str, object]:
        """The parts for a log: text fields as text, files as
        ``{filename, content_type, bytes}``."""
        out: dict[str, object] = {}
        for part in self.parts:
            if part.is_file or part.too_large:
                out[part.name] = {
                    "filename": part.filename,
                    "content_type": part.content_type,
                    "bytes": part.size,
                }
            else:
                out[part.name] = part.text
        return out


async def _read_part(part: BodyPartReader, limit: int) -> FormPart:
    chunks: list[bytes] = []
    size = 0
    while True:
        chunk = await part.read_chunk(_CHUNK)
        if not chunk:
            break
        size += len(chunk)
        if size <= limit:
            chunks.append(chunk)
        elif chunks:
            chunks.clear()  # over the limit: keep reading (and counting), keep nothing
    too_large = size > limit
    return FormPart(
        name=part.name or "",
        filename=part.filename,
        content_type=part.headers.get(hdrs.CONTENT_TYPE),
        data=b"" if too_large else b"".join(chunks),
        size=size,
        too_large=too_large,
    )


async def read_form(request: web.Request, limit: int) -> Form:
    """Read every part of the request's ``multipart/form-data`` body, each up to ``limit`` bytes."""
    parts: list[FormPart] = []
    try:
        reader = await request.multipart()
        while True:
            part = await reader.next()
            if part is None:
                break
            if not isinstance(part, BodyPartReader):
                await part.release()
                return Form(tuple(parts), "Nested multipart bodies are not supported.")
            parts.append(await _read_part(part, limit))
    except (ValueError, AssertionError, LookupError, web.HTTPException) as exc:
        detail = str(exc) or type(exc).__name__
        return Form(tuple(parts), f"Could not parse the multipart form-data body: {detail}.")
    return Form(tuple(parts))
