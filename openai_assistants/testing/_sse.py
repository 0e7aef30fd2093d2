"""Server-sent event framing: ``event: NAME\\ndata: JSON\\n\\n``."""

from __future__ import annotations

import json
from typing import Any

__all__ = ["DONE_FRAME", "format_event"]


def format_event(name: str, data: Any) -> bytes:
    """Frame one event; ``data`` is JSON-encoded unless it is already a string."""
    payload = data if isinstance(data, str) else json.dumps(data, separators=(",", ":"))
    return f"event: {name}\ndata: {payload}\n\n".encode()


#: The frame that ends every complete stream.
DONE_FRAME = format_event("done", "[DONE]")
