"""Hand-written request validation following the spec's request schemas (v1 and v2).

The schemas are restated here as small rule objects (the spec files are not shipped); each rule
raises :class:`ApiError` with the API's message, ``param`` path (``tools[0].type``) and ``code``.
Objects the spec closes with ``additionalProperties: false`` are closed here; nested objects the
spec leaves open stay open.
"""

from __future__ import annotations

import abc
from collections.abc import Mapping
from typing import Any, Literal

import attrs
from multidict import MultiMapping

from ._errors import ApiError

__all__ = [
    "FILE_SEARCH_CONTENT",
    "ListQuery",
    "Version",
    "parse_include",
    "parse_list_query",
    "request_rules",
]

Version = Literal["v1", "v2"]

#: The only value ``include[]`` accepts.
FILE_SEARCH_CONTENT = "step_details.tool_calls[*].file_search.results[*].content"


def _describe(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


def _type_error(path: str, expected: str, value: object) -> ApiError:
    return ApiError(
        400,
        f"Invalid type for '{path}': expected {expected}, but got {_describe(value)} instead.",
        param=path,
        code="invalid_type",
    )


def _quote_list(values: tuple[str, ...]) -> str:
    quoted = [f"'{value}'" for value in values]
    if len(quoted) <= 2:
        return " and ".join(quoted)
    return ", ".join(quoted[:-1]) + f", and {quoted[-1]}"


def _invalid_value(path: str, value: object, allowed: tuple[str, ...]) -> ApiError:
    return ApiError(
        400,
        f"Invalid value: '{value}'. Supported values are: {_quote_list(allowed)}.",
        param=path,
        code="invalid_value",
    )


def _bound_error(path: str, what: str, side: str, bound: object, got: object) -> ApiError:
    above = side == "max"
    relation = "above maximum value" if above else "below minimum value"
    op = "<=" if above else ">="
    kind = "integer" if what == "integer" else "decimal"
    return ApiError(
        400,
        f"Invalid '{path}': {what} {relation}. Expected a value {op} {bound}, "
        f"but got {got} instead.",
        param=path,
        code=f"{kind}_{'above_max' if above else 'below_min'}_value",
    )


def _length_error(path: str, what: str, side: str, bound: int, got: int) -> ApiError:
    above = side == "max"
    article = "an" if what == "array" else "a"
    return ApiError(
        400,
        f"Invalid '{path}': {what} {'too long' if above else 'too short'}. Expected "
        f"{article} {what} with {'maximum' if above else 'minimum'} length {bound}, but got "
        f"{article} {what} with length {got} instead.",
        param=path,
        code=f"{what}_{'above_max' if above else 'below_min'}_length",
    )


class Rule(abc.ABC):
    """A check on one JSON value at ``path``."""

    @abc.abstractmethod
    def check(self, value: Any, path: str) -> None:
        """Raise :class:`ApiError` unless ``value`` satisfies the rule."""


@attrs.frozen
class AnyValue(Rule):
    """Accepts any JSON value."""

    def check(self, value: Any, path: str) -> None:
        """Accept everything."""


@attrs.frozen
class Str(Rule):
    """A string with optional length bounds."""

    min_len: int | None = None
    max_len: int | None = None

    def check(self, value: Any, path: str) -> None:
        """Check type and length."""
        if not isinstance(value, str):
            raise _type_error(path, "a string", value)
        if self.max_len is not None and len(value) > self.max_len:
            raise _length_error(path, "string", "max", self.max_len, len(value))
        if self.min_len is not None and len(value) < self.min_len:
            raise _length_error(path, "string", "min", self.min_len, len(value))


@attrs.frozen
class Enum(Rule):
    """A string from a fixed set."""

    values: tuple[str, ...]

    def check(self, value: Any, path: str) -> None:
        """Check membership."""
        if not isinstance(value, str):
            raise _type_error(path, "one of " + _quote_list(self.values), value)
        if value not in self.values:
            raise _invalid_value(path, value, self.values)


@attrs.frozen
class Num(Rule):
    """An integer (``integer=True``) or any number, with optional bounds."""

    minimum: float | None = None
    maximum: float | None = None
    integer: bool = False

    def check(self, value: Any, path: str) -> None:
        """Check type and range."""
        wanted = int if self.integer else (int, float)
        if isinstance(value, bool) or not isinstance(value, wanted):
            raise _type_error(path, "an integer" if self.integer else "a number", value)
        what = "integer" if self.integer else "number"
        if self.minimum is not None and value < self.minimum:
            raise _bound_error(path, what, "min", self.minimum, value)
        if self.maximum is not None and value > self.maximum:
            raise _bound_error(path, what, "max", self.maximum, value)


def Int(minimum: int | None = None, maximum: int | None = None) -> Num:
    """An integer rule (a constructor named like the other rules)."""
    return Num(minimum, maximum, integer=True)


@attrs.frozen
class Bool(Rule):
    """A boolean."""

    def check(self, value: Any, path: str) -> None:
        """Check type."""
        if not isinstance(value, bool):
            raise _type_error(path, "a boolean", value)


@attrs.frozen
class Nullable(Rule):
    """``null`` or the inner rule."""

    inner: Rule

    def check(self, value: Any, path: str) -> None:
        """Accept null, else defer."""
        if value is not None:
            self.inner.check(value, path)


@attrs.frozen
class Arr(Rule):
    """An array of items with optional length bounds."""

    item: Rule
    min_items: int | None = None
    max_items: int | None = None

    def check(self, value: Any, path: str) -> None:
        """Check type, length and every item."""
        if not isinstance(value, list):
            raise _type_error(path, "an array", value)
        if self.max_items is not None and len(value) > self.max_items:
            raise _length_error(path, "array", "max", self.max_items, len(value))
        if self.min_items is not None and len(value) < self.min_items:
            raise _length_error(path, "array", "min", self.min_items, len(value))
        for index, item in enumerate(value):
            self.item.check(item, f"{path}[{index}]")


@attrs.frozen
class Obj(Rule):
    """An object with known properties; ``closed`` rejects unknown ones."""

    props: Mapping[str, Rule]
    required: tuple[str, ...] = ()
    closed: bool = False
    exactly_one_of: tuple[str, ...] = ()

    def check(self, value: Any, path: str) -> None:
        """Check type, required and unknown keys, then every known property."""
        if not isinstance(value, dict):
            raise _type_error(path, "an object", value)
        prefix = f"{path}." if path else ""
        for name in self.required:
            if name not in value:
                raise ApiError(
                    400,
                    f"Missing required parameter: '{prefix}{name}'.",
                    param=prefix + name,
                    code="missing_required_parameter",
                )
        for name, item in value.items():
            rule = self.props.get(name)
            if rule is None:
                if self.closed:
                    raise ApiError(
                        400,
                        f"Unknown parameter: '{prefix}{name}'.",
                        param=prefix + name,
                        code="unknown_parameter",
                    )
                continue
            rule.check(item, prefix + name)
        if self.exactly_one_of and sum(name in value for name in self.exactly_one_of) != 1:
            raise ApiError(
                400,
                f"Invalid '{path}': provide exactly one of {_quote_list(self.exactly_one_of)}.",
                param=path,
                code="invalid_value",
            )


@attrs.frozen
class StrMap(Rule):
    """An object of string values (``metadata``): at most 16 keys of <=64 chars, values <=512."""

    max_props: int = 16
    key_max: int = 64
    value_max: int = 512

    def check(self, value: Any, path: str) -> None:
        """Check type, size and every entry."""
        if not isinstance(value, dict):
            raise _type_error(path, "an object", value)
        if len(value) > self.max_props:
            raise ApiError(
                400,
                f"Invalid '{path}': too many properties. Expected an object with at most "
                f"{self.max_props} properties, but got an object with {len(value)} properties "
                "instead.",
                param=path,
                code="object_above_max_properties",
            )
        for key, item in value.items():
            if len(key) > self.key_max:
                raise ApiError(
                    400,
                    f"Invalid '{path}': metadata key '{key}' is longer than {self.key_max} "
                    "characters.",
                    param=path,
                    code="invalid_value",
                )
            Str(max_len=self.value_max).check(item, f"{path}.{key}")


@attrs.frozen
class Tagged(Rule):
    """A ``oneOf`` of objects dispatched on their ``type`` tag."""

    variants: Mapping[str, Obj]

    def check(self, value: Any, path: str) -> None:
        """Check the tag, then the chosen variant."""
        if not isinstance(value, dict):
            raise _type_error(path, "an object", value)
        prefix = f"{path}." if path else ""
        if "type" not in value:
            raise ApiError(
                400,
                f"Missing required parameter: '{prefix}type'.",
                param=prefix + "type",
                code="missing_required_parameter",
            )
        Enum(tuple(self.variants)).check(value["type"], prefix + "type")
        self.variants[value["type"]].check(value, path)


@attrs.frozen
class StrOr(Rule):
    """A string-or-object union: strings go to ``text``, everything else to ``other``."""

    text: Rule
    other: Rule

    def check(self, value: Any, path: str) -> None:
        """Dispatch on the JSON type."""
        (self.text if isinstance(value, str) else self.other).check(value, path)


# --- the request schemas --------------------------------------------------------------------

_TYPE = Str()  # the tag itself; Tagged already checked its value


def _tag_only(*names: str) -> dict[str, Obj]:
    return {name: Obj({"type": _TYPE}, required=("type",)) for name in names}


def _tools(version: Version) -> Tagged:
    function: dict[str, Rule] = {
        "name": Str(),
        "description": Str(),
        "parameters": Obj({}),
    }
    if version == "v2":
        function["strict"] = Nullable(Bool())
    variants = {
        "function": Obj(
            {"type": _TYPE, "function": Obj(function, required=("name",))},
            required=("type", "function"),
        ),
        **_tag_only("code_interpreter"),
    }
    if version == "v2":
        ranking = Obj(
            {
                "ranker": Enum(("auto", "default_2024_08_21")),
                "score_threshold": Num(0, 1),
            },
            required=("score_threshold",),
        )
        variants["file_search"] = Obj(
            {
                "type": _TYPE,
                "file_search": Obj({"max_num_results": Int(1, 50), "ranking_options": ranking}),
            },
            required=("type",),
        )
    else:
        variants.update(_tag_only("retrieval"))
    return Tagged(variants)


def _tool_resources(*, vector_store_helper: bool) -> Nullable:
    file_search: dict[str, Rule] = {"vector_store_ids": Arr(Str(), max_items=1)}
    one_of: tuple[str, ...] = ()
    if vector_store_helper:
        chunking = Tagged(
            {
                "auto": Obj({"type": _TYPE}, required=("type",), closed=True),
                "static": Obj(
                    {
                        "type": _TYPE,
                        "static": Obj(
                            {
                                "max_chunk_size_tokens": Int(100, 4096),
                                "chunk_overlap_tokens": Int(),
                            },
                            required=("max_chunk_size_tokens", "chunk_overlap_tokens"),
                            closed=True,
                        ),
                    },
                    required=("type", "static"),
                    closed=True,
                ),
            }
        )
        file_search["vector_stores"] = Arr(
            Obj(
                {
                    "file_ids": Arr(Str()),
                    "chunking_strategy": chunking,
                    "metadata": Nullable(StrMap()),
                }
            ),
            max_items=1,
        )
        one_of = ("vector_store_ids", "vector_stores")
    return Nullable(
        Obj(
            {
                "code_interpreter": Obj({"file_ids": Arr(Str(), max_items=20)}),
                "file_search": Obj(file_search, exactly_one_of=one_of),
            }
        )
    )


def _response_format(version: Version) -> Nullable:
    if version == "v1":
        return Nullable(StrOr(Enum(("none", "auto")), Obj({"type": Enum(("text", "json_object"))})))
    json_schema = Obj(
        {
            "description": Str(),
            "name": Str(),
            "schema": Obj({}),
            "strict": Nullable(Bool()),
        },
        required=("name",),
    )
    return Nullable(
        StrOr(
            Enum(("auto",)),
            Tagged(
                {
                    **_tag_only("text", "json_object"),
                    "json_schema": Obj(
                        {"type": _TYPE, "json_schema": json_schema},
                        required=("type", "json_schema"),
                    ),
                }
            ),
        )
    )


def _tool_choice(version: Version) -> Nullable:
    modes = ("none", "auto") if version == "v1" else ("none", "auto", "required")
    named = ("function", "code_interpreter", "retrieval" if version == "v1" else "file_search")
    return Nullable(
        StrOr(
            Enum(modes),
            Obj(
                {
                    "type": Enum(named),
                    "function": Obj({"name": Str()}, required=("name",)),
                },
                required=("type",),
            ),
        )
    )


_METADATA = Nullable(StrMap())
_DETAIL = Enum(("auto", "low", "high"))
_REASONING_EFFORT = Nullable(Enum(("none", "minimal", "low", "medium", "high", "xhigh", "max")))


def _create_message(version: Version) -> Obj:
    props: dict[str, Rule] = {"role": Enum(("user", "assistant")), "metadata": _METADATA}
    if version == "v1":
        props["content"] = Str(min_len=1, max_len=256000)
        props["file_ids"] = Arr(Str(), max_items=10)
    else:
        parts = Tagged(
            {
                "image_file": Obj(
                    {
                        "type": _TYPE,
                        "image_file": Obj(
                            {"file_id": Str(), "detail": _DETAIL}, required=("file_id",)
                        ),
                    },
                    required=("type", "image_file"),
                ),
                "image_url": Obj(
                    {
                        "type": _TYPE,
                        "image_url": Obj({"url": Str(), "detail": _DETAIL}, required=("url",)),
                    },
                    required=("type", "image_url"),
                ),
                "text": Obj({"type": _TYPE, "text": Str()}, required=("type", "text")),
            }
        )
        props["content"] = StrOr(Str(), Arr(parts, min_items=1))
        props["attachments"] = Nullable(
            Arr(
                Obj(
                    {
                        "file_id": Str(),
                        "tools": Arr(Tagged(_tag_only("code_interpreter", "file_search"))),
                    },
                    required=("file_id", "tools"),
                )
            )
        )
    return Obj(props, required=("role", "content"), closed=True)


def _assistant(version: Version, *, create: bool) -> Obj:
    props: dict[str, Rule] = {
        "model": Str(),
        "name": Nullable(Str(max_len=256)),
        "description": Nullable(Str(max_len=512)),
        "instructions": Nullable(Str(max_len=256000)),
        "tools": Arr(_tools(version), max_items=128),
        "metadata": _METADATA,
        "temperature": Nullable(Num(0, 2)),
        "top_p": Nullable(Num(0, 1)),
        "response_format": _response_format(version),
    }
    if version == "v1":
        props["file_ids"] = Arr(Str(), max_items=20)
    else:
        props["reasoning_effort"] = _REASONING_EFFORT
        props["tool_resources"] = _tool_resources(vector_store_helper=create)
    return Obj(props, required=("model",) if create else (), closed=True)


def _create_thread(version: Version) -> Obj:
    props: dict[str, Rule] = {
        "messages": Arr(_create_message(version)),
        "metadata": _METADATA,
    }
    if version == "v2":
        props["tool_resources"] = _tool_resources(vector_store_helper=True)
    return Obj(props, closed=True)


def _run_options(version: Version) -> dict[str, Rule]:
    """Properties CreateRun and CreateThreadAndRun share."""
    props: dict[str, Rule] = {
        "assistant_id": Str(),
        "model": Nullable(Str()),
        "instructions": Nullable(Str()),
        "tools": Nullable(Arr(_tools(version), max_items=20)),
        "metadata": _METADATA,
        "temperature": Nullable(Num(0, 2)),
        "top_p": Nullable(Num(0, 1)),
        "stream": Nullable(Bool()),
        "max_prompt_tokens": Nullable(Int(256)),
        "max_completion_tokens": Nullable(Int(256)),
        "truncation_strategy": Nullable(
            Obj(
                {
                    "type": Enum(("auto", "last_messages")),
                    "last_messages": Nullable(Int(1)),
                },
                required=("type",),
            )
        ),
        "tool_choice": _tool_choice(version),
        "response_format": _response_format(version),
    }
    if version == "v2":
        props["parallel_tool_calls"] = Bool()
    return props


def _create_run(version: Version) -> Obj:
    props = _run_options(version)
    props["additional_instructions"] = Nullable(Str())
    props["additional_messages"] = Nullable(Arr(_create_message(version)))
    if version == "v2":
        props["reasoning_effort"] = _REASONING_EFFORT
    return Obj(props, required=("assistant_id",), closed=True)


def _create_thread_and_run(version: Version) -> Obj:
    props = _run_options(version)
    props["thread"] = _create_thread(version)
    if version == "v2":
        props["tool_resources"] = _tool_resources(vector_store_helper=False)
    return Obj(props, required=("assistant_id",), closed=True)


def _modify_thread(version: Version) -> Obj:
    props: dict[str, Rule] = {"metadata": _METADATA}
    if version == "v2":
        props["tool_resources"] = _tool_resources(vector_store_helper=False)
    return Obj(props, closed=True)


def _build(version: Version) -> dict[str, Obj]:
    metadata_only = Obj({"metadata": _METADATA}, closed=True)
    return {
        "CreateAssistantRequest": _assistant(version, create=True),
        "ModifyAssistantRequest": _assistant(version, create=False),
        "CreateThreadRequest": _create_thread(version),
        "ModifyThreadRequest": _modify_thread(version),
        "CreateMessageRequest": _create_message(version),
        "ModifyMessageRequest": metadata_only,
        "CreateRunRequest": _create_run(version),
        "CreateThreadAndRunRequest": _create_thread_and_run(version),
        "ModifyRunRequest": metadata_only,
        "SubmitToolOutputsRunRequest": Obj(
            {
                "tool_outputs": Arr(Obj({"tool_call_id": Str(), "output": Str()})),
                "stream": Nullable(Bool()),
            },
            required=("tool_outputs",),
            closed=True,
        ),
        "CreateAssistantFileRequest": Obj({"file_id": Str()}, required=("file_id",), closed=True),
    }


_RULES: dict[Version, dict[str, Obj]] = {"v1": _build("v1"), "v2": _build("v2")}


def request_rules(version: Version, schema: str) -> Obj:
    """Return the rule for the spec's request schema ``schema`` in ``version``."""
    return _RULES[version][schema]


# --- query parameters -----------------------------------------------------------------------


@attrs.frozen
class ListQuery:
    """Validated list parameters."""

    limit: int = 20
    order: Literal["asc", "desc"] = "desc"
    after: str | None = None
    before: str | None = None
    run_id: str | None = None


def parse_list_query(query: MultiMapping[str], *, with_run_id: bool = False) -> ListQuery:
    """Validate ``limit`` (1..100), ``order``, ``after``, ``before`` (and ``run_id``)."""
    limit = 20
    raw_limit = query.get("limit")
    if raw_limit is not None:
        try:
            limit = int(raw_limit)
        except ValueError:
            raise _type_error("limit", "an integer", raw_limit) from None
        Int(1, 100).check(limit, "limit")
    order = query.get("order", "desc")
    Enum(("asc", "desc")).check(order, "order")
    return ListQuery(
        limit=limit,
        order="asc" if order == "asc" else "desc",
        after=query.get("after"),
        before=query.get("before"),
        run_id=query.get("run_id") if with_run_id else None,
    )


def parse_include(query: MultiMapping[str], version: Version) -> bool:
    """Validate ``include[]``; return whether file-search result content was asked for."""
    values = query.getall("include[]", [])
    if not values:
        return False
    if version == "v1":
        raise ApiError(
            400, "Unknown parameter: 'include[]'.", param="include[]", code="unknown_parameter"
        )
    for value in values:
        Enum((FILE_SEARCH_CONTENT,)).check(value, "include[]")
    return True
