"""Messages, their content parts and annotations, message deltas and (v1) message files."""

from __future__ import annotations

from typing import Any, Literal, TypeAlias

import attrs

from .shared import Attachment, Deviation, IncompleteDetails

__all__ = [
    "FileCitation",
    "FileCitationAnnotation",
    "FilePath",
    "FilePathAnnotation",
    "UnknownAnnotation",
    "Annotation",
    "Text",
    "TextContent",
    "ImageFile",
    "ImageFileContent",
    "ImageURL",
    "ImageURLContent",
    "RefusalContent",
    "UnknownContent",
    "MessageContent",
    "TextContentParam",
    "ContentPartParam",
    "Message",
    "MessageFile",
    "FileCitationDelta",
    "FileCitationAnnotationDelta",
    "FilePathDelta",
    "FilePathAnnotationDelta",
    "UnknownAnnotationDelta",
    "AnnotationDelta",
    "TextDelta",
    "TextDeltaContent",
    "ImageFileDelta",
    "ImageFileDeltaContent",
    "ImageURLDelta",
    "ImageURLDeltaContent",
    "RefusalDeltaContent",
    "UnknownContentDelta",
    "MessageContentDelta",
    "MessageDeltaBody",
    "MessageDelta",
]


# --- annotations -------------------------------------------------------------------------------


@attrs.frozen
class FileCitation:
    """The cited file; ``quote`` is v1 only."""

    file_id: str
    quote: str | None = None


@attrs.frozen
class FileCitationAnnotation:
    """A citation of a file that ``file_search`` (v1: ``retrieval``) used."""

    file_citation: FileCitation
    text: str | None = None
    start_index: int | None = None
    end_index: int | None = None
    type: Literal["file_citation"] = "file_citation"


@attrs.frozen
class FilePath:
    """A file that ``code_interpreter`` generated."""

    file_id: str


@attrs.frozen
class FilePathAnnotation:
    """A link to a file that ``code_interpreter`` generated."""

    file_path: FilePath
    text: str | None = None
    start_index: int | None = None
    end_index: int | None = None
    type: Literal["file_path"] = "file_path"


@attrs.frozen
class UnknownAnnotation:
    """An annotation type this SDK does not know; ``raw`` is the complete original object.

    ``type`` is always ``"unknown"`` (so a check of ``type`` narrows the union); the
    server's own tag is ``raw["type"]``.
    """

    raw: dict[str, Any]
    type: Literal["unknown"] = "unknown"


Annotation: TypeAlias = FileCitationAnnotation | FilePathAnnotation | UnknownAnnotation


# --- content parts -----------------------------------------------------------------------------


@attrs.frozen
class Text:
    """Text and its annotations."""

    value: str
    annotations: list[Annotation] = attrs.Factory(list)


@attrs.frozen
class TextContent:
    """A ``text`` content part."""

    text: Text
    type: Literal["text"] = "text"


@attrs.frozen
class ImageFile:
    """An uploaded image file; ``detail`` is ``auto``, ``low`` or ``high``."""

    file_id: str
    detail: str | None = None


@attrs.frozen
class ImageFileContent:
    """An ``image_file`` content part (also accepted in requests)."""

    image_file: ImageFile
    type: Literal["image_file"] = "image_file"


@attrs.frozen
class ImageURL:
    """An external image URL; ``detail`` is ``auto``, ``low`` or ``high``."""

    url: str
    detail: str | None = None


@attrs.frozen
class ImageURLContent:
    """An ``image_url`` content part (v2; also accepted in requests)."""

    image_url: ImageURL
    type: Literal["image_url"] = "image_url"


@attrs.frozen
class RefusalContent:
    """A ``refusal`` content part (v2)."""

    refusal: str
    type: Literal["refusal"] = "refusal"


@attrs.frozen
class UnknownContent:
    """A content part type this SDK does not know; ``raw`` is the complete original object.

    ``type`` is always ``"unknown"`` (so a check of ``type`` narrows the union); the
    server's own tag is ``raw["type"]``.
    """

    raw: dict[str, Any]
    type: Literal["unknown"] = "unknown"


MessageContent: TypeAlias = (
    TextContent | ImageFileContent | ImageURLContent | RefusalContent | UnknownContent
)


@attrs.frozen
class TextContentParam:
    """A ``text`` part of a message to create (v2)."""

    text: str
    type: Literal["text"] = "text"


ContentPartParam: TypeAlias = TextContentParam | ImageFileContent | ImageURLContent


# --- messages ----------------------------------------------------------------------------------


@attrs.frozen
class Message:
    """A message in a thread; ``file_ids`` is v1 only, ``attachments`` v2 only."""

    id: str
    thread_id: str
    role: str
    object: str = "thread.message"
    created_at: int | None = None
    status: str | None = None
    incomplete_details: IncompleteDetails | None = None
    completed_at: int | None = None
    incomplete_at: int | None = None
    content: list[MessageContent] = attrs.Factory(list)
    assistant_id: str | None = None
    run_id: str | None = None
    attachments: list[Attachment] | None = None
    file_ids: list[str] | None = None
    #: As sent: the spec says strings, servers send any JSON (requests still take strings).
    metadata: dict[str, Any] | None = None
    #: How this object left the spec, as read (see ``Deviation``); never sent, never compared.
    deviations: tuple[Deviation, ...] = attrs.field(default=(), init=False, eq=False, repr=False)


@attrs.frozen
class MessageFile:
    """A file attached to a message (v1)."""

    id: str
    object: str = "thread.message.file"
    created_at: int | None = None
    message_id: str | None = None
    #: How this object left the spec, as read (see ``Deviation``); never sent, never compared.
    deviations: tuple[Deviation, ...] = attrs.field(default=(), init=False, eq=False, repr=False)


# --- deltas ------------------------------------------------------------------------------------


@attrs.frozen
class FileCitationDelta:
    """The part of a ``FileCitation`` that changed."""

    file_id: str | None = None
    quote: str | None = None


@attrs.frozen
class FileCitationAnnotationDelta:
    """A streamed ``file_citation`` annotation."""

    index: int
    text: str | None = None
    file_citation: FileCitationDelta | None = None
    start_index: int | None = None
    end_index: int | None = None
    type: Literal["file_citation"] = "file_citation"


@attrs.frozen
class FilePathDelta:
    """The part of a ``FilePath`` that changed."""

    file_id: str | None = None


@attrs.frozen
class FilePathAnnotationDelta:
    """A streamed ``file_path`` annotation."""

    index: int
    text: str | None = None
    file_path: FilePathDelta | None = None
    start_index: int | None = None
    end_index: int | None = None
    type: Literal["file_path"] = "file_path"


@attrs.frozen
class UnknownAnnotationDelta:
    """A streamed annotation of unknown type; ``raw`` is authoritative, ``index`` read from it.

    ``type`` is always ``"unknown"`` (so a check of ``type`` narrows the union); the
    server's own tag is ``raw["type"]``.
    """

    raw: dict[str, Any]
    type: Literal["unknown"] = "unknown"
    index: int | None = None


AnnotationDelta: TypeAlias = (
    FileCitationAnnotationDelta | FilePathAnnotationDelta | UnknownAnnotationDelta
)


@attrs.frozen
class TextDelta:
    """The next piece of a text part."""

    value: str | None = None
    annotations: list[AnnotationDelta] = attrs.Factory(list)


@attrs.frozen
class TextDeltaContent:
    """A streamed ``text`` part."""

    index: int
    text: TextDelta | None = None
    type: Literal["text"] = "text"


@attrs.frozen
class ImageFileDelta:
    """The part of an ``ImageFile`` that changed."""

    file_id: str | None = None
    detail: str | None = None


@attrs.frozen
class ImageFileDeltaContent:
    """A streamed ``image_file`` part."""

    index: int
    image_file: ImageFileDelta | None = None
    type: Literal["image_file"] = "image_file"


@attrs.frozen
class ImageURLDelta:
    """The part of an ``ImageURL`` that changed."""

    url: str | None = None
    detail: str | None = None


@attrs.frozen
class ImageURLDeltaContent:
    """A streamed ``image_url`` part (v2)."""

    index: int
    image_url: ImageURLDelta | None = None
    type: Literal["image_url"] = "image_url"


@attrs.frozen
class RefusalDeltaContent:
    """A streamed ``refusal`` part (v2)."""

    index: int
    refusal: str | None = None
    type: Literal["refusal"] = "refusal"


@attrs.frozen
class UnknownContentDelta:
    """A streamed part of unknown type; ``raw`` is authoritative, ``index`` read from it.

    ``type`` is always ``"unknown"`` (so a check of ``type`` narrows the union); the
    server's own tag is ``raw["type"]``.
    """

    raw: dict[str, Any]
    type: Literal["unknown"] = "unknown"
    index: int | None = None


MessageContentDelta: TypeAlias = (
    TextDeltaContent
    | ImageFileDeltaContent
    | ImageURLDeltaContent
    | RefusalDeltaContent
    | UnknownContentDelta
)


@attrs.frozen
class MessageDeltaBody:
    """What changed in a message; ``file_ids`` is v1 only."""

    role: str | None = None
    content: list[MessageContentDelta] = attrs.Factory(list)
    file_ids: list[str] | None = None


@attrs.frozen
class MessageDelta:
    """The ``thread.message.delta`` stream event payload."""

    id: str
    delta: MessageDeltaBody
    object: str = "thread.message.delta"
    #: How this object left the spec, as read (see ``Deviation``); never sent, never compared.
    deviations: tuple[Deviation, ...] = attrs.field(default=(), init=False, eq=False, repr=False)
