"""Files and Uploads: stored files, and the multi-part uploads that build large ones."""

from __future__ import annotations

from typing import Literal, TypeAlias

import attrs

from .shared import Deviation

__all__ = ["FileExpiresAfter", "FileObject", "FilePurpose", "Upload", "UploadPart"]

#: What ``files.create`` accepts as ``purpose`` (a server may answer with others, such as
#: ``assistants_output``: responses read any string).
FilePurpose: TypeAlias = Literal["assistants", "batch", "fine-tune", "vision", "user_data", "evals"]


@attrs.frozen
class FileExpiresAfter:
    """When a file expires: ``seconds`` (3600..2592000) after it was created."""

    seconds: int
    anchor: Literal["created_at"] = "created_at"


@attrs.frozen
class FileObject:
    """A stored file (``OpenAIFile``). ``status`` is deprecated upstream and often absent."""

    id: str
    object: str = "file"
    bytes: int | None = None
    created_at: int | None = None
    filename: str | None = None
    purpose: str | None = None
    status: str | None = None
    status_details: str | None = None
    expires_at: int | None = None
    #: How this object left the spec, as read (see ``Deviation``); never sent, never compared.
    deviations: tuple[Deviation, ...] = attrs.field(default=(), init=False, eq=False, repr=False)


@attrs.frozen
class Upload:
    """A multi-part upload: ``pending`` until completed (``file`` is then the stored file),
    ``cancelled`` or ``expired`` (an hour after it was created)."""

    id: str
    object: str = "upload"
    bytes: int | None = None
    created_at: int | None = None
    filename: str | None = None
    purpose: str | None = None
    status: str | None = None
    expires_at: int | None = None
    file: FileObject | None = None
    #: How this object left the spec, as read (see ``Deviation``); never sent, never compared.
    deviations: tuple[Deviation, ...] = attrs.field(default=(), init=False, eq=False, repr=False)


@attrs.frozen
class UploadPart:
    """One part of an upload; ``complete`` takes the parts' ids in byte order."""

    id: str
    object: str = "upload.part"
    created_at: int | None = None
    upload_id: str | None = None
    #: How this object left the spec, as read (see ``Deviation``); never sent, never compared.
    deviations: tuple[Deviation, ...] = attrs.field(default=(), init=False, eq=False, repr=False)
