"""Realistic Assistants v2 objects for the load server, shaped like the API's own responses.

The shapes follow the ``x-oaiMeta`` examples of the v2 spec, filled in the way the hosted API
filled them (every field present, ids of the API's length, tools and instructions copied onto
runs). Everything is deterministic: the same sizes give the same bytes.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, Final

__all__ = [
    "API_KEY",
    "ASSISTANT_ID",
    "CREATE_THREAD_ID",
    "STREAM_THREAD_ID",
    "assistant",
    "created_message",
    "delta_texts",
    "dumps",
    "list_thread_id",
    "message",
    "object_id",
    "stream_events",
]

API_KEY: Final = "sk-bench-0123456789abcdef"
_T0: Final = 1_718_000_000  # created_at of the first object
_ALPHABET: Final = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def object_id(prefix: str, seed: str) -> str:
    """An id with the API's shape (prefix + 24 alphanumerics), derived from ``seed``."""
    digest = hashlib.blake2b(seed.encode(), digest_size=24).digest()
    return prefix + "_" + "".join([_ALPHABET[byte % 62] for byte in digest])


ASSISTANT_ID: Final = object_id("asst", "support-assistant")
CREATE_THREAD_ID: Final = object_id("thread", "create-target")
STREAM_THREAD_ID: Final = object_id("thread", "stream-target")
_VECTOR_STORE_ID: Final = object_id("vs", "policies")
_FILE_IDS: Final = [object_id("file", f"kb-{i}") for i in range(3)]


def list_thread_id(size: int) -> str:
    """The id of the stored thread holding ``size`` messages."""
    return object_id("thread", f"list-{size}")


def dumps(value: Any) -> bytes:
    """Compact JSON, as the API sends it."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()


_INSTRUCTIONS: Final = (
    "You are the customer-support assistant of Northwind Outfitters. Answer questions about "
    "orders, shipping, returns and warranty using the policy documents in file search; cite the "
    "document you used. When a customer asks about a specific order, call get_order_status with "
    "the order number before answering. Use the code interpreter only for calculations such as "
    "refund amounts or delivery estimates. Never invent order details."
)

_TOOLS: Final[list[dict[str, Any]]] = [
    {"type": "code_interpreter"},
    {
        "type": "file_search",
        "file_search": {
            "max_num_results": 20,
            "ranking_options": {"ranker": "default_2024_08_21", "score_threshold": 0.0},
        },
    },
    {
        "type": "function",
        "function": {
            "name": "get_order_status",
            "description": "Look up the shipping status of a customer order by its number.",
            "parameters": {
                "type": "object",
                "properties": {
                    "order_number": {
                        "type": "string",
                        "description": "The order number, e.g. NW-102938",
                    },
                    "include_items": {
                        "type": "boolean",
                        "description": "Whether to list the items of the order",
                    },
                },
                "required": ["order_number"],
                "additionalProperties": False,
            },
            "strict": False,
        },
    },
]


def assistant() -> dict[str, Any]:
    """The assistant that ``retrieve`` returns (about 1.5 KB of JSON)."""
    return {
        "id": ASSISTANT_ID,
        "object": "assistant",
        "created_at": _T0,
        "name": "Northwind Support",
        "description": "Answers order, shipping and returns questions for Northwind Outfitters.",
        "model": "gpt-4o-2024-08-06",
        "instructions": _INSTRUCTIONS,
        "tools": _TOOLS,
        "tool_resources": {
            "code_interpreter": {"file_ids": _FILE_IDS[:1]},
            "file_search": {"vector_store_ids": [_VECTOR_STORE_ID]},
        },
        "metadata": {"team": "support", "environment": "production", "revision": "42"},
        "top_p": 1.0,
        "temperature": 0.7,
        "reasoning_effort": None,
        "response_format": "auto",
    }


_QUESTIONS: Final = [
    "Hi! I ordered a rain jacket last week (order NW-102938) and it still says processing. "
    "When will it ship?",
    "Can I return hiking boots that I have worn outside once? They are a size too small.",
    "What is your warranty on backpacks? The zipper on mine broke after four months.",
    "Do you ship to Canada, and if so how long does it usually take and what does it cost?",
    "I was charged twice for order NW-118204. Can you check and refund the duplicate payment?",
    "Is the Summit 2 tent waterproof enough for a week of camping in Scotland in October?",
    "How do I change the delivery address of an order that has not shipped yet?",
    "My discount code SPRING15 did not apply at checkout. Can you still give me the discount?",
]

_ANSWERS: Final = [
    "Thanks for your patience! Order NW-102938 was packed this morning and will be handed to "
    "the carrier today. Standard shipping takes 3-5 business days, so you can expect it by "
    "Friday. You will get an email with the tracking number as soon as the carrier scans the "
    "parcel. Is there anything else I can help you with?",
    "Yes, you can return them. Our policy accepts returns within 60 days as long as the boots "
    "are in resellable condition, and light outdoor wear is fine for footwear bought in the "
    "last 30 days【4:0†returns-policy.pdf】. Start the return from your account page, choose "
    "'exchange for another size', and we will ship the new pair as soon as the return is "
    "scanned.",
    "All our backpacks carry a two-year warranty against defects in materials and "
    "workmanship, zippers included【4:2†warranty.pdf】. Please send us a photo of the broken "
    "zipper and your order number; we will either repair the pack free of charge or send you "
    "a replacement if a repair is not possible.",
    "We do ship to Canada. Orders usually arrive in 5-8 business days; shipping is a flat "
    "CA$14.95 and free above CA$150. Duties and taxes are included in the price shown at "
    "checkout, so there is nothing extra to pay on delivery【4:1†shipping-policy.pdf】.",
    "I am sorry about that. I can see two authorisations of $129.00 for order NW-118204; the "
    "second one is a pending hold that your bank will release within 3-5 business days, so "
    "no money has actually been taken twice. If it is still on your statement after that, "
    "reply here and I will escalate it to our billing team right away.",
]


def message(thread_id: str, index: int) -> dict[str, Any]:
    """The ``index``-th message of a stored thread: user and assistant turns alternate."""
    created_at = _T0 + 30 * index
    message_id = object_id("msg", f"{thread_id}-{index}")
    if index % 2 == 0:
        text = _QUESTIONS[(index // 2) % len(_QUESTIONS)]
        attachments = (
            [{"file_id": _FILE_IDS[2], "tools": [{"type": "file_search"}]}]
            if index % 10 == 0
            else []
        )
        return {
            "id": message_id,
            "object": "thread.message",
            "created_at": created_at,
            "assistant_id": None,
            "thread_id": thread_id,
            "run_id": None,
            "status": "completed",
            "incomplete_details": None,
            "completed_at": created_at,
            "incomplete_at": None,
            "role": "user",
            "content": [{"type": "text", "text": {"value": text, "annotations": []}}],
            "attachments": attachments,
            "metadata": {"channel": "web", "locale": "en-GB"} if index % 4 == 0 else {},
        }
    text = _ANSWERS[(index // 2) % len(_ANSWERS)]
    marker = text.find("【")
    annotations = (
        [
            {
                "type": "file_citation",
                "text": text[marker : text.index("】", marker) + 1],
                "start_index": marker,
                "end_index": text.index("】", marker) + 1,
                "file_citation": {"file_id": _FILE_IDS[1]},
            }
        ]
        if marker >= 0
        else []
    )
    return {
        "id": message_id,
        "object": "thread.message",
        "created_at": created_at,
        "assistant_id": ASSISTANT_ID,
        "thread_id": thread_id,
        "run_id": object_id("run", f"{thread_id}-{index}"),
        "status": "completed",
        "incomplete_details": None,
        "completed_at": created_at + 4,
        "incomplete_at": None,
        "role": "assistant",
        "content": [{"type": "text", "text": {"value": text, "annotations": annotations}}],
        "attachments": [],
        "metadata": {},
    }


def created_message(thread_id: str) -> dict[str, Any]:
    """What ``createMessage`` answers (the same object every time: the store does not grow)."""
    return {
        "id": object_id("msg", "created"),
        "object": "thread.message",
        "created_at": _T0,
        "assistant_id": None,
        "thread_id": thread_id,
        "run_id": None,
        "status": "completed",
        "incomplete_details": None,
        "completed_at": _T0,
        "incomplete_at": None,
        "role": "user",
        "content": [{"type": "text", "text": {"value": _QUESTIONS[0], "annotations": []}}],
        "attachments": [],
        "metadata": {},
    }


# -- a streamed run -------------------------------------------------------------------------------

_SENTENCE: Final = (
    "Your order has been packed and will leave our warehouse today . The carrier usually "
    "delivers within three to five business days , and you will receive a tracking link by "
    "email as soon as the parcel is scanned . If anything looks wrong , just reply here and "
    "I will check it for you ."
)
_WORDS: Final = _SENTENCE.split()


def _run(run_id: str, thread_id: str, status: str, step: int) -> dict[str, Any]:
    started = _T0 + 1 if step > 0 else None
    done = status == "completed"
    return {
        "id": run_id,
        "object": "thread.run",
        "created_at": _T0,
        "assistant_id": ASSISTANT_ID,
        "thread_id": thread_id,
        "status": status,
        "started_at": started,
        "expires_at": None if done else _T0 + 600,
        "cancelled_at": None,
        "failed_at": None,
        "completed_at": _T0 + 9 if done else None,
        "required_action": None,
        "last_error": None,
        "model": "gpt-4o-2024-08-06",
        "instructions": _INSTRUCTIONS,
        "tools": _TOOLS,
        "tool_resources": {},
        "metadata": {},
        "temperature": 0.7,
        "top_p": 1.0,
        "max_completion_tokens": None,
        "max_prompt_tokens": None,
        "truncation_strategy": {"type": "auto", "last_messages": None},
        "incomplete_details": None,
        "usage": (
            {"prompt_tokens": 1423, "completion_tokens": 2000, "total_tokens": 3423}
            if done
            else None
        ),
        "response_format": "auto",
        "tool_choice": "auto",
        "parallel_tool_calls": True,
    }


def _step(step_id: str, run_id: str, thread_id: str, message_id: str, done: bool) -> dict[str, Any]:
    return {
        "id": step_id,
        "object": "thread.run.step",
        "created_at": _T0 + 1,
        "run_id": run_id,
        "assistant_id": ASSISTANT_ID,
        "thread_id": thread_id,
        "type": "message_creation",
        "status": "completed" if done else "in_progress",
        "cancelled_at": None,
        "completed_at": _T0 + 9 if done else None,
        "expires_at": _T0 + 600,
        "failed_at": None,
        "last_error": None,
        "step_details": {
            "type": "message_creation",
            "message_creation": {"message_id": message_id},
        },
        "usage": (
            {"prompt_tokens": 1423, "completion_tokens": 2000, "total_tokens": 3423}
            if done
            else None
        ),
    }


def _streamed_message(
    message_id: str, run_id: str, thread_id: str, text: str | None
) -> dict[str, Any]:
    done = text is not None
    return {
        "id": message_id,
        "object": "thread.message",
        "created_at": _T0 + 1,
        "assistant_id": ASSISTANT_ID,
        "thread_id": thread_id,
        "run_id": run_id,
        "status": "completed" if done else "in_progress",
        "incomplete_details": None,
        "incomplete_at": None,
        "completed_at": _T0 + 9 if done else None,
        "role": "assistant",
        "content": [{"type": "text", "text": {"value": text, "annotations": []}}] if done else [],
        "attachments": [],
        "metadata": {},
    }


def delta_texts(n_deltas: int) -> list[str]:
    """The text of each ``thread.message.delta``: one word (a token) each, like the API."""
    texts = []
    for i in range(n_deltas):
        word = _WORDS[i % len(_WORDS)]
        texts.append(word if i == 0 or word in {",", "."} else " " + word)
    return texts


def stream_events(thread_id: str, n_deltas: int) -> list[tuple[str, bytes]]:
    """The (event name, JSON data) of one streamed run with ``n_deltas`` text deltas."""
    run_id = object_id("run", "streamed")
    step_id = object_id("step", "streamed")
    message_id = object_id("msg", "streamed")
    texts = delta_texts(n_deltas)
    events: list[tuple[str, Any]] = [
        ("thread.run.created", _run(run_id, thread_id, "queued", 0)),
        ("thread.run.queued", _run(run_id, thread_id, "queued", 0)),
        ("thread.run.in_progress", _run(run_id, thread_id, "in_progress", 1)),
        ("thread.run.step.created", _step(step_id, run_id, thread_id, message_id, False)),
        ("thread.run.step.in_progress", _step(step_id, run_id, thread_id, message_id, False)),
        ("thread.message.created", _streamed_message(message_id, run_id, thread_id, None)),
        ("thread.message.in_progress", _streamed_message(message_id, run_id, thread_id, None)),
    ]
    for i, value in enumerate(texts):
        text: dict[str, Any] = {"value": value, "annotations": []} if i == 0 else {"value": value}
        part = {"index": 0, "type": "text", "text": text}
        delta = {"id": message_id, "object": "thread.message.delta", "delta": {"content": [part]}}
        events.append(("thread.message.delta", delta))
    full = "".join(texts)
    events += [
        ("thread.message.completed", _streamed_message(message_id, run_id, thread_id, full)),
        ("thread.run.step.completed", _step(step_id, run_id, thread_id, message_id, True)),
        ("thread.run.completed", _run(run_id, thread_id, "completed", 2)),
    ]
    return [(name, dumps(data)) for name, data in events]
