"""Reading a response body into models: lenient by default, strict on demand.

Every response (a body, a list page's items, a stream event's data, a stream snapshot) is read
here. Lenient reading (``lenient``) returns every readable field and records each deviation on
the object; strict reading (``AssistantsClient(strict=True)``) raises
``ResponseValidationError`` with the JSON path for each. Either way, what cannot be used at all
(a body that is not JSON, an object without an ``id``) raises.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import cattrs
from cattrs.v import format_exception

from .._errors import ResponseValidationError
from . import json as _json
from .converters import fast_compiler, lenient_converter, strict_converter
from .lenient import Unusable, reading

__all__ = ["decode_json", "read"]


def decode_json(content: bytes, headers: Mapping[str, str]) -> Any:
    """The JSON value of a successful body, or a ``ResponseValidationError``."""
    try:
        return _json.loads(content)
    except ValueError:
        text = content.decode("utf-8", "replace")
        raise ResponseValidationError(
            f"the response body is not JSON: {text[:200]!r}",
            errors=["not JSON @ $"],
            body=text,
            request_id=headers.get("x-request-id"),
        ) from None


#: How the converter's own checks word their failures (see ``converters``): kept as they are.
_OWN_WORDS = ("expected ", "unknown type ", "metadata values ")


def _problem(exc: BaseException, type_: type | None) -> str:
    """One failure in words: the converter's own message, else cattrs' wording."""
    if isinstance(exc, (TypeError, ValueError)) and str(exc).startswith(_OWN_WORDS):
        return str(exc)
    return format_exception(exc, type_)


#: The compiled function of each type read so far (``None``: it has none).
_FAST: dict[Any, Callable[[Any], Any] | None] = {}


def read(data: Any, cast_to: Any, *, strict: bool, request_id: str | None, path: str = "$") -> Any:
    """Read decoded JSON as ``cast_to`` (``None``: as is); failures name their JSON paths.

    Leniently, data that plainly fits goes straight through the type's compiled function: it
    cannot deviate from the spec, so it needs no record of deviations (nor the converter's
    dispatch). Anything else, and every strict read, takes the converter.
    """
    if cast_to is None:
        return data
    if not strict:
        try:
            fast = _FAST[cast_to]
        except KeyError:
            fast = _FAST[cast_to] = fast_compiler.function(cast_to)
        except TypeError:  # an unhashable type form: no cache, the converter reads it
            fast = None
        if fast is not None:
            try:
                return fast(data)
            except Exception:  # unusual data: the converter reads it, or explains what is wrong
                pass
    try:
        if strict:
            return strict_converter.structure(data, cast_to)
        with reading():
            return lenient_converter.structure(data, cast_to)
    except Unusable as exc:
        name = getattr(cast_to, "__name__", str(cast_to))
        error = f"{exc.problem} @ {path}{exc.path[1:]}"
        raise ResponseValidationError(
            f"the response does not fit {name}: {error}",
            errors=[error],
            body=data,
            request_id=request_id,
        ) from exc
    except (cattrs.BaseValidationError, ValueError, TypeError, KeyError) as exc:
        name = getattr(cast_to, "__name__", str(cast_to))
        errors = (
            cattrs.transform_error(exc, path=path, format_exception=_problem)
            if isinstance(exc, cattrs.BaseValidationError)
            else [f"{exc} @ {path}"]
        )
        raise ResponseValidationError(
            f"the response does not fit {name}: {'; '.join(errors[:5])}",
            errors=errors,
            body=data,
            request_id=request_id,
        ) from exc
