"""The API's error shape, in one place: ``{"error": {message, type, param, code}}``."""

from __future__ import annotations

from typing import Any

__all__ = ["ApiError", "error_body", "invalid_url", "not_found"]


def error_body(
    message: str,
    *,
    type: str = "invalid_request_error",
    param: str | None = None,
    code: str | None = None,
) -> dict[str, Any]:
    """Build the JSON body every error response carries."""
    return {"error": {"message": message, "type": type, "param": param, "code": code}}


class ApiError(Exception):
    """An error the fake answers with; raised anywhere below a handler."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        type: str = "invalid_request_error",
        param: str | None = None,
        code: str | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.type = type
        self.param = param
        self.code = code

    def body(self) -> dict[str, Any]:
        """Return the JSON body for this error."""
        return error_body(self.message, type=self.type, param=self.param, code=self.code)


#: How the API names each kind of object in its "No ... found" messages.
_KIND_NAMES = {
    "asst": "assistant",
    "thread": "thread",
    "msg": "message",
    "run": "run",
    "step": "run step",
    "file": "file",
    "upload": "upload",
    "vs": "vector store",
    "vsfb": "vector store file batch",
}


def not_found(kind: str, object_id: str) -> ApiError:
    """Return the 404 for an unknown id (``kind`` is the id prefix, e.g. ``asst``)."""
    return ApiError(404, f"No {_KIND_NAMES.get(kind, kind)} found with id '{object_id}'.")


def invalid_url(method: str, path: str) -> ApiError:
    """Return the 404 the API gives for a path or method it does not serve."""
    return ApiError(404, f"Invalid URL ({method} {path})")
