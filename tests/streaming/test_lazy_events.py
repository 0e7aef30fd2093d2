"""Lenient streams build an event's model on first access: that must never change what the event
holds or whether it is handed out at all (the equivalence this speed rests on)."""

from __future__ import annotations

from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support.hostile import almost_valid, json_for, random_json

from openai_assistants import ResponseValidationError
from openai_assistants._streaming.events import (
    EVENT_CLASSES,
    EVENT_MODELS,
    deferred_event,
    make_event,
    typed,
)
from openai_assistants.models import Run


@st.composite
def event_and_json(draw: st.DrawFn) -> tuple[str, Any]:
    name = draw(st.sampled_from(sorted(EVENT_MODELS)))
    model = EVENT_MODELS[name]
    data = draw(json_for(model) | almost_valid(model) | random_json)
    return name, data


@settings(max_examples=400)
@given(case=event_and_json())
def test_a_deferred_event_holds_what_reading_it_at_once_gives(case: tuple[str, Any]) -> None:
    name, raw = case
    try:
        eager = typed(name, raw, "req_1")
    except ResponseValidationError:
        eager = None  # the stream leaves such an event out, and records why
    lazy = deferred_event(name, raw, "req_1", "run_1")
    if lazy is None:
        return  # read at once, as before
    assert eager is not None, "a deferred event must be one that lenient reading always reads"
    assert type(lazy) is EVENT_CLASSES[name]
    assert lazy.data == eager
    assert lazy.data.deviations == eager.deviations
    assert lazy == make_event(name, eager, "run_1")


def test_deferred_events_read_once_and_stay_frozen() -> None:
    raw = {"id": "run_1", "object": "thread.run", "status": "queued"}
    event = deferred_event("thread.run.queued", raw, None, "run_1")
    assert event is not None
    assert event.event == "thread.run.queued"
    first = event.data
    assert isinstance(first, Run)
    assert event.data is first  # built once
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        event.run_id = "other"  # type: ignore[misc]
    assert repr(event).startswith("RunEvent(event='thread.run.queued', data=Run(id='run_1'")


@pytest.mark.parametrize(
    "raw",
    [{"object": "thread.run"}, {"id": None}, ["not", "an", "object"], "text", {"id": [1]}],
    ids=["no-id", "null-id", "list", "text", "list-id"],
)
def test_data_that_may_not_be_readable_is_read_at_once(raw: Any) -> None:
    assert deferred_event("thread.run.created", raw, None, None) is None
    assert deferred_event("vendor.event", {"id": "x"}, None, None) is None  # unknown: as is
