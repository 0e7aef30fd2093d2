"""``structure``/``unstructure`` with the SDK's converter, for tests that check its rules.

The SDK itself reads responses through ``_serde.reader.read``; these are the converter's plain
operations, with a top-level failure wrapped like cattrs wraps nested ones.
"""

from __future__ import annotations

from typing import Any, TypeVar, overload

import cattrs
from cattrs.errors import ClassValidationError

from openai_assistants._serde.converters import converter

_T = TypeVar("_T")


@overload
def structure(data: Any, cl: type[_T]) -> _T: ...
@overload
def structure(data: Any, cl: Any) -> Any: ...
def structure(data: Any, cl: Any) -> Any:
    """Structure decoded JSON into ``cl`` with ``converter``; failures are cattrs error groups."""
    try:
        return converter.structure(data, cl)
    except cattrs.BaseValidationError:
        raise
    except (TypeError, ValueError, KeyError) as exc:
        raise ClassValidationError(f"While structuring {cl!r}", [exc], cl) from None


def unstructure(obj: Any) -> Any:
    """Unstructure ``obj`` (a model, a union member, or plain JSON holding models) to JSON."""
    return converter.unstructure(obj)
