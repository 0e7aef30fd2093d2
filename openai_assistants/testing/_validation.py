"""Hand-written request validation following the spec's request schemas (v1 and v2).

The schemas are restated here as small rule objects (the spec files are not shipped); each rule
raises :class:`ApiError` with the API's message, ``param`` path (``tools[0].type``) and ``code``.
Objects the spec closes with ``additionalProperties: false`` are closed here; nested objects the
spec leaves open stay open.
"""

from __future__ import annotations

import abc
import json
from collections.abc import Mapping
from typing import Any, Literal

import attrs
from multidict import MultiMapping

from ._errors import ApiError
from ._multipart import Form, FormPart

__all__ = [
    "FILE_PURPOSES",
    "FILE_SEARCH_CONTENT",
    "UPLOAD_PURPOSES",
    "VECTOR_STORE_FILE_STATUSES",
    "CreateFileForm",
    "ListQuery",
    "Version",
    "check_create_file_form",
    "check_jsonl",
    "check_upload_part_form",
    "parse_include",
    "parse_list_query",
    "parse_status_filter",
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
    #: ``anyOf`` of ``required``: at least one of these must be present.
    any_of: tuple[str, ...] = ()

    def check(self, value: Any, path: str) -> None:
        """Check type, required and unknown keys, then every known property."""
        if not isinstance(value, dict):
            raise _type_error(path, "an object", value)
        prefix = f"{path}." if path else ""
        if self.any_of and not any(name in value for name in self.any_of):
            wanted = " or ".join(f"'{prefix}{name}'" for name in self.any_of)
            raise ApiError(
                400,
                f"Missing required parameter: {wanted}.",
                param=prefix + self.any_of[0],
                code="missing_required_parameter",
            )
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
    #: What a key is called in error messages.
    key_name: str = "metadata"

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
                    f"Invalid '{path}': {self.key_name} key '{key}' is longer than "
                    f"{self.key_max} characters.",
                    param=path,
                    code="invalid_value",
                )
            self.check_value(item, f"{path}.{key}")

    def check_value(self, item: Any, path: str) -> None:
        """One value: a string of at most ``value_max`` characters."""
        Str(max_len=self.value_max).check(item, path)


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


@attrs.frozen
class AttributeMap(StrMap):
    """VectorStoreFileAttributes: ``StrMap``'s limits, but a value may also be a number or a
    boolean."""

    key_name: str = "attribute"

    def check_value(self, item: Any, path: str) -> None:
        """A string of at most ``value_max`` characters, a number or a boolean."""
        if isinstance(item, str):
            Str(max_len=self.value_max).check(item, path)
        elif not isinstance(item, (bool, int, float)):
            raise _type_error(path, "a string, number or boolean", item)


@attrs.frozen
class StaticChunking(Rule):
    """The ``static`` object of a static chunking strategy, with the description's rule that
    the overlap is at most half of the chunk size (and, naturally, not negative)."""

    def check(self, value: Any, path: str) -> None:
        """Check the object, then the overlap against the size."""
        Obj(
            {"max_chunk_size_tokens": Int(100, 4096), "chunk_overlap_tokens": Int()},
            required=("max_chunk_size_tokens", "chunk_overlap_tokens"),
            closed=True,
        ).check(value, path)
        size, overlap = value["max_chunk_size_tokens"], value["chunk_overlap_tokens"]
        if overlap < 0 or overlap > size // 2:
            raise ApiError(
                400,
                f"Invalid '{path}.chunk_overlap_tokens': it must be between 0 and half of "
                f"max_chunk_size_tokens ({size // 2}), but got {overlap} instead.",
                param=f"{path}.chunk_overlap_tokens",
                code="invalid_value",
            )


@attrs.frozen
class FilterValue(Rule):
    """A ComparisonFilter's value: a string, number, boolean, or an array of strings and
    numbers."""

    def check(self, value: Any, path: str) -> None:
        """Check the JSON type."""
        if isinstance(value, (str, bool, int, float)):
            return
        if isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, bool) or not isinstance(item, (str, int, float)):
                    raise _type_error(f"{path}[{index}]", "a string or a number", item)
            return
        raise _type_error(path, "a string, number, boolean or array", value)


_COMPARISON_TYPES = ("eq", "ne", "gt", "gte", "lt", "lte", "in", "nin")


@attrs.frozen
class SearchFilter(Rule):
    """ComparisonFilter or CompoundFilter (which nests either), dispatched on ``type``."""

    def check(self, value: Any, path: str) -> None:
        """Check the tag, then the variant (recursively for compound filters)."""
        comparison = Obj(
            {"type": _TYPE, "key": Str(), "value": FilterValue()},
            required=("type", "key", "value"),
            closed=True,
        )
        compound = Obj(
            {"type": _TYPE, "filters": Arr(SearchFilter())},
            required=("type", "filters"),
            closed=True,
        )
        variants = dict.fromkeys(_COMPARISON_TYPES, comparison)
        Tagged({**variants, "and": compound, "or": compound}).check(value, path)


# --- the request schemas --------------------------------------------------------------------

_TYPE = Str()  # the tag itself; Tagged already checked its value

_CHUNKING = Tagged(
    {
        "auto": Obj({"type": _TYPE}, required=("type",), closed=True),
        "static": Obj(
            {"type": _TYPE, "static": StaticChunking()},
            required=("type", "static"),
            closed=True,
        ),
    }
)


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
        chunking = _CHUNKING
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


#: createFile's purposes; createUpload takes only the first four.
FILE_PURPOSES = ("assistants", "batch", "fine-tune", "vision", "user_data", "evals")
UPLOAD_PURPOSES = FILE_PURPOSES[:4]
#: An Upload holds at most 8 GB.
MAX_UPLOAD_BYTES = 8 * 1024**3
VECTOR_STORE_FILE_STATUSES = ("in_progress", "completed", "failed", "cancelled")

_FILE_EXPIRATION = Obj(
    {"anchor": Enum(("created_at",)), "seconds": Int(3600, 2592000)},
    required=("anchor", "seconds"),
)
_VECTOR_STORE_EXPIRATION = Obj(
    {"anchor": Enum(("last_active_at",)), "days": Int(1, 365)},
    required=("anchor", "days"),
)
_ATTRIBUTES = Nullable(AttributeMap())
_CREATE_VECTOR_STORE_FILE = Obj(
    {"file_id": Str(), "chunking_strategy": _CHUNKING, "attributes": _ATTRIBUTES},
    required=("file_id",),
    closed=True,
)

#: The Files, Uploads and Vector stores request schemas: the same whatever ``OpenAI-Beta`` says.
_FILE_RULES: dict[str, Obj] = {
    "CreateUploadRequest": Obj(
        {
            "filename": Str(),
            "purpose": Enum(UPLOAD_PURPOSES),
            "bytes": Int(0, MAX_UPLOAD_BYTES),
            "mime_type": Str(),
            "expires_after": _FILE_EXPIRATION,
        },
        required=("filename", "purpose", "bytes", "mime_type"),
        closed=True,
    ),
    "CompleteUploadRequest": Obj(
        {"part_ids": Arr(Str()), "md5": Str()}, required=("part_ids",), closed=True
    ),
    "CreateVectorStoreRequest": Obj(
        {
            "file_ids": Arr(Str(), max_items=500),
            "name": Str(),
            "description": Str(),
            "expires_after": _VECTOR_STORE_EXPIRATION,
            "chunking_strategy": _CHUNKING,
            "metadata": _METADATA,
        },
        closed=True,
    ),
    "UpdateVectorStoreRequest": Obj(
        {
            "name": Nullable(Str()),
            "expires_after": Nullable(_VECTOR_STORE_EXPIRATION),
            "metadata": _METADATA,
        },
        closed=True,
    ),
    "CreateVectorStoreFileRequest": _CREATE_VECTOR_STORE_FILE,
    "CreateVectorStoreFileBatchRequest": Obj(
        {
            "file_ids": Arr(Str(), min_items=1, max_items=2000),
            "files": Arr(_CREATE_VECTOR_STORE_FILE, min_items=1, max_items=2000),
            "chunking_strategy": _CHUNKING,
            "attributes": _ATTRIBUTES,
        },
        closed=True,
        any_of=("file_ids", "files"),
    ),
    "UpdateVectorStoreFileAttributesRequest": Obj(
        {"attributes": _ATTRIBUTES}, required=("attributes",), closed=True
    ),
    "VectorStoreSearchRequest": Obj(
        {
            "query": StrOr(Str(), Arr(Str())),
            "rewrite_query": Bool(),
            "max_num_results": Int(1, 50),
            "filters": SearchFilter(),
            "ranking_options": Obj(
                {
                    "ranker": Enum(("none", "auto", "default-2024-11-15")),
                    "score_threshold": Num(0, 1),
                },
                closed=True,
            ),
        },
        required=("query",),
        closed=True,
    ),
}


def _build(version: Version) -> dict[str, Obj]:
    metadata_only = Obj({"metadata": _METADATA}, closed=True)
    return {
        **_FILE_RULES,
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


def parse_list_query(
    query: MultiMapping[str],
    *,
    with_run_id: bool = False,
    default_limit: int = 20,
    max_limit: int = 100,
    with_before: bool = True,
) -> ListQuery:
    """Validate ``limit`` (1..``max_limit``), ``order``, ``after``, ``before`` (and ``run_id``).

    Without ``with_before`` (listFiles) a ``before`` is ignored, as the API ignores unknown
    query parameters.
    """
    limit = default_limit
    raw_limit = query.get("limit")
    if raw_limit is not None:
        try:
            limit = int(raw_limit)
        except ValueError:
            raise _type_error("limit", "an integer", raw_limit) from None
        Int(1, max_limit).check(limit, "limit")
    order = query.get("order", "desc")
    Enum(("asc", "desc")).check(order, "order")
    return ListQuery(
        limit=limit,
        order="asc" if order == "asc" else "desc",
        after=query.get("after"),
        before=query.get("before") if with_before else None,
        run_id=query.get("run_id") if with_run_id else None,
    )


def parse_status_filter(query: MultiMapping[str]) -> str | None:
    """Validate the ``filter`` of vector store file lists (a file status)."""
    value = query.get("filter")
    if value is not None:
        Enum(VECTOR_STORE_FILE_STATUSES).check(value, "filter")
    return value


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


# --- multipart bodies -------------------------------------------------------------------------


def _missing(name: str) -> ApiError:
    return ApiError(
        400,
        f"Missing required parameter: '{name}'.",
        param=name,
        code="missing_required_parameter",
    )


def _unknown(name: str) -> ApiError:
    return ApiError(400, f"Unknown parameter: '{name}'.", param=name, code="unknown_parameter")


def _not_a_file(name: str) -> ApiError:
    return ApiError(
        400,
        f"Invalid type for '{name}': expected a file, but got a string instead. Send it as a "
        "file part (with a filename in its Content-Disposition).",
        param=name,
        code="invalid_type",
    )


def _too_large(name: str, limit: int, got: int, what: str) -> ApiError:
    return ApiError(
        400,
        f"Invalid '{name}': {what} can be at most {limit} bytes, but got {got} bytes instead.",
        param=name,
        code="file_too_large",
    )


_JSONL_APIS = {"batch": "Batch API", "fine-tune": "Fine-Tuning API"}


def check_jsonl(purpose: str, filename: str, param: str) -> None:
    """Batch input and fine-tuning files must be ``.jsonl``."""
    api = _JSONL_APIS.get(purpose)
    if api is not None and not filename.lower().endswith(".jsonl"):
        raise ApiError(400, f"Invalid file format for {api}. Must be .jsonl", param=param)


@attrs.frozen
class CreateFileForm:
    """A validated createFile body."""

    file: FormPart
    filename: str
    purpose: str
    expires_after_seconds: int | None


def _bracketed(name: str) -> tuple[str, str | None]:
    """``expires_after[seconds]`` -> ``("expires_after", "seconds")``."""
    if name.endswith("]") and "[" in name:
        head, _, key = name[:-1].partition("[")
        return head, key
    return name, None


def _expires_after(parts: list[tuple[str | None, FormPart]]) -> dict[str, Any]:
    """FileExpirationAfter from bracketed text fields (or one field holding JSON)."""
    out: dict[str, Any] = {}
    for key, part in parts:
        if key is None:  # a single part: JSON, as OpenAPI's default encoding would send it
            try:
                value = json.loads(part.text)
            except ValueError:
                raise _type_error("expires_after", "an object", part.text) from None
            if not isinstance(value, dict):
                raise _type_error("expires_after", "an object", value)
            out.update(value)
        elif key == "seconds":
            try:
                out[key] = int(part.text)
            except ValueError:
                raise _type_error("expires_after.seconds", "an integer", part.text) from None
        else:
            out[key] = part.text
    return out


def check_create_file_form(form: Form, max_bytes: int) -> CreateFileForm:
    """Validate a createFile body (CreateFileRequest as form fields)."""
    fields: dict[str, FormPart] = {}
    expiration: list[tuple[str | None, FormPart]] = []
    for part in form:
        head, key = _bracketed(part.name)
        if head == "expires_after":
            expiration.append((key, part))
        elif head in ("file", "purpose") and key is None:
            fields.setdefault(head, part)
        else:
            raise _unknown(part.name)
    file = fields.get("file")
    if file is None:
        raise _missing("file")
    if file.too_large:
        raise _too_large("file", max_bytes, file.size, "a file")
    if file.filename is None:
        raise _not_a_file("file")
    purpose_part = fields.get("purpose")
    if purpose_part is None:
        raise _missing("purpose")
    purpose = purpose_part.text
    Enum(FILE_PURPOSES).check(purpose, "purpose")
    seconds = None
    if expiration:
        expires_after = _expires_after(expiration)
        _FILE_EXPIRATION.check(expires_after, "expires_after")
        seconds = int(expires_after["seconds"])
    filename = file.filename or "file"
    check_jsonl(purpose, filename, "file")
    return CreateFileForm(file, filename, purpose, seconds)


def check_upload_part_form(form: Form, max_bytes: int) -> FormPart:
    """Validate an addUploadPart body (AddUploadPartRequest: one ``data`` part).

    ``data`` may come as a file or as a text field (the curl example's ``-F data=...``); its
    bytes are the part, taken as sent (nothing says base64).
    """
    data = None
    for part in form:
        if part.name != "data":
            raise _unknown(part.name)
        data = data or part
    if data is None:
        raise _missing("data")
    if data.too_large:
        raise _too_large("data", max_bytes, data.size, "a part")
    return data
