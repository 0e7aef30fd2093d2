"""Function tools built from Python functions: names, docstrings, types, strict mode, wire JSON."""

from __future__ import annotations

import dataclasses
import enum
import functools
import math
from collections.abc import Callable, Mapping, Sequence
from typing import Annotated, Any, Literal, Optional

import attrs
import jsonschema
import pytest
from support.serde import unstructure
from typing_extensions import NotRequired, Required, TypedDict

from openai_assistants import function_tool
from openai_assistants._runs.function_schema import function_parameters

# --- functions and classes under test ----------------------------------------------------------


def get_weather(
    city: str, units: Literal["celsius", "fahrenheit"] = "celsius", days: int = 1
) -> str:
    """Get the current weather
    for a city.

    Looks the city up first.

    Args:
        city (str): The city, e.g.
            "Paris".
        units: Temperature units.
        days: How many days
            to forecast.

    Returns:
        A sentence.
    """
    return f"{city}: sunny for {days} days ({units})"


GET_WEATHER = {
    "type": "object",
    "properties": {
        "city": {"type": "string", "description": 'The city, e.g. "Paris".'},
        "units": {
            "type": "string",
            "enum": ["celsius", "fahrenheit"],
            "description": "Temperature units.",
            "default": "celsius",
        },
        "days": {"type": "integer", "description": "How many days to forecast.", "default": 1},
    },
    "required": ["city"],
    "additionalProperties": False,
}


def search(query: str, limit: int = 10, *, tags: list[str] | None = None) -> list[str]:
    """Search the catalogue.

    :param query: Words to look for.
    :param int limit: At most this many
        results.
    :param tags: Only items with all these tags.
    :type query: str
    :returns: Matching ids.
    """
    return []


def move(x: float, y: float, speed: float = 1.0) -> None:
    """Move the robot.

    Parameters
    ----------
    x, y : float
        Target coordinates,
        in metres.
    speed : float, optional
        Metres per second.

    Returns
    -------
    None
    """


class Color(enum.Enum):
    RED = "red"
    GREEN = "green"


class Level(enum.IntEnum):
    LOW = 1
    HIGH = 2


@attrs.frozen
class Address:
    street: str
    city: str
    country: str = "FR"


class _ItemBase(TypedDict):
    sku: str


class Item(_ItemBase, total=False):
    quantity: int


class Hotel(TypedDict):
    name: str
    stars: NotRequired[int]


class Room(TypedDict, total=False):
    number: Required[int]
    view: str


@dataclasses.dataclass
class Order:
    address: Address
    items: list[Item]
    note: str | None = None
    tags: list[str] = dataclasses.field(default_factory=list)


def place_order(order: Order, express: bool = False) -> str:
    """Place an order."""
    return "ok"


ADDRESS = {
    "type": "object",
    "properties": {
        "street": {"type": "string"},
        "city": {"type": "string"},
        "country": {"type": "string", "default": "FR"},
    },
    "required": ["street", "city"],
    "additionalProperties": False,
}
ITEM = {
    "type": "object",
    "properties": {"sku": {"type": "string"}, "quantity": {"type": "integer"}},
    "required": ["sku"],
    "additionalProperties": False,
}
PLACE_ORDER = {
    "type": "object",
    "properties": {
        "order": {
            "type": "object",
            "properties": {
                "address": ADDRESS,
                "items": {"type": "array", "items": ITEM},
                "note": {"type": ["string", "null"], "default": None},
                "tags": {"type": "array", "items": {"type": "string"}},
            },
            "required": ["address", "items"],
            "additionalProperties": False,
        },
        "express": {"type": "boolean", "default": False},
    },
    "required": ["order"],
    "additionalProperties": False,
}
PLACE_ORDER_STRICT = {
    "type": "object",
    "properties": {
        "order": {
            "type": "object",
            "properties": {
                "address": {
                    **ADDRESS,
                    "properties": {
                        "street": {"type": "string"},
                        "city": {"type": "string"},
                        "country": {"type": ["string", "null"], "default": "FR"},
                    },
                    "required": ["street", "city", "country"],
                },
                "items": {
                    "type": "array",
                    "items": {
                        **ITEM,
                        "properties": {
                            "sku": {"type": "string"},
                            "quantity": {"type": ["integer", "null"]},
                        },
                        "required": ["sku", "quantity"],
                    },
                },
                "note": {"type": ["string", "null"], "default": None},
                "tags": {
                    "anyOf": [{"type": "array", "items": {"type": "string"}}, {"type": "null"}]
                },
            },
            "required": ["address", "items", "note", "tags"],
            "additionalProperties": False,
        },
        "express": {"type": ["boolean", "null"], "default": False},
    },
    "required": ["order", "express"],
    "additionalProperties": False,
}


def log(message: str, *args: Any, **fields: Any) -> None:
    """Log a message."""


async def fetch(url: str, timeout: float = 5.0) -> str:
    """Fetch a page."""
    return f"<html>{url}</html>"


def convert(amount: float, currency: str, *, rounding: int = 2) -> str:
    """Convert an amount."""
    return f"{round(amount, rounding)} {currency}"


class Shop:
    def __init__(self, name: str) -> None:
        self.name = name

    def price(self, sku: str, quantity: int = 1) -> float:
        """Price some items."""
        return 2.5 * quantity

    @classmethod
    def open(cls, name: str) -> Shop:
        """Open a shop."""
        return cls(name)


class Plain:
    pass


@dataclasses.dataclass
class Box:
    content: Plain


@dataclasses.dataclass
class Node:
    children: list[Node]


def schema_of(annotation: object, *, strict: bool = False) -> Any:
    """The schema of a lone parameter ``x`` annotated with ``annotation``."""

    def tool(x: Any) -> None: ...

    tool.__annotations__ = {"x": annotation}
    return function_parameters(tool, strict=strict)["properties"]["x"]


# --- docstrings --------------------------------------------------------------------------------


def test_google_docstring() -> None:
    tool = function_tool(get_weather)
    assert tool.function.name == "get_weather"
    assert tool.function.description == "Get the current weather for a city."
    assert tool.function.parameters == GET_WEATHER
    assert tool.function.strict is None


def test_rest_docstring() -> None:
    assert function_tool(search).function.parameters == {
        "type": "object",
        "properties": {
            "query": {"type": "string", "description": "Words to look for."},
            "limit": {
                "type": "integer",
                "description": "At most this many results.",
                "default": 10,
            },
            "tags": {
                "anyOf": [{"type": "array", "items": {"type": "string"}}, {"type": "null"}],
                "description": "Only items with all these tags.",
                "default": None,
            },
        },
        "required": ["query"],
        "additionalProperties": False,
    }


def test_numpy_docstring() -> None:
    tool = function_tool(move)
    assert tool.function.description == "Move the robot."
    coordinates = {"type": "number", "description": "Target coordinates, in metres."}
    assert tool.function.parameters == {
        "type": "object",
        "properties": {
            "x": coordinates,
            "y": coordinates,
            "speed": {"type": "number", "description": "Metres per second.", "default": 1.0},
        },
        "required": ["x", "y"],
        "additionalProperties": False,
    }


@pytest.mark.parametrize(
    ("doc", "summary", "x_doc"),
    [
        (None, None, None),
        ("One line.", "One line.", None),
        ("Two\n    lines.\n\n    More.", "Two lines.", None),
        ("\n    Args:\n        x: The x.\n    ", None, "The x."),
        ("Summary.\n    Args:\n        x: The x.", "Summary.", "The x."),
        ("Summary.\n    :param x: The x.", "Summary.", "The x."),
        ("Summary.\n    Parameters\n    ----------\n    x\n        The x.", "Summary.", "The x."),
        ("Summary.\n\n    Args:\n        x:\n        y: Not a parameter.", "Summary.", None),
    ],
    ids=["none", "one-line", "paragraph", "no-summary", "google", "rest", "numpy", "empty"],
)
def test_summary_and_parameter_docs(
    doc: str | None, summary: str | None, x_doc: str | None
) -> None:
    def tool(x: int) -> None: ...

    tool.__doc__ = doc
    function = function_tool(tool).function
    assert function.description == summary
    expected = {"type": "integer"} if x_doc is None else {"type": "integer", "description": x_doc}
    assert function.parameters is not None
    assert function.parameters["properties"]["x"] == expected


def test_name_and_description_given() -> None:
    tool = function_tool(get_weather, name="weather", description="Weather, now.")
    assert (tool.function.name, tool.function.description) == ("weather", "Weather, now.")
    assert function_tool(lambda: None, name="noop").function.name == "noop"


def test_a_lambda_needs_a_name() -> None:
    with pytest.raises(ValueError, match="'<lambda>'"):
        function_tool(lambda: None)


# --- types -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("annotation", "schema"),
    [
        (str, {"type": "string"}),
        (int, {"type": "integer"}),
        (float, {"type": "number"}),
        (bool, {"type": "boolean"}),
        (None, {"type": "null"}),
        (type(None), {"type": "null"}),
        (Any, {}),
        (list, {"type": "array"}),
        (list[int], {"type": "array", "items": {"type": "integer"}}),
        (Sequence[str], {"type": "array", "items": {"type": "string"}}),
        (tuple[int, ...], {"type": "array", "items": {"type": "integer"}}),
        (
            tuple[int, str],
            {
                "type": "array",
                "prefixItems": [{"type": "integer"}, {"type": "string"}],
                "minItems": 2,
                "maxItems": 2,
            },
        ),
        (set[str], {"type": "array", "uniqueItems": True, "items": {"type": "string"}}),
        (frozenset[int], {"type": "array", "uniqueItems": True, "items": {"type": "integer"}}),
        (dict, {"type": "object"}),
        (dict[str, float], {"type": "object", "additionalProperties": {"type": "number"}}),
        (
            Mapping[str, list[int]],
            {
                "type": "object",
                "additionalProperties": {"type": "array", "items": {"type": "integer"}},
            },
        ),
        (Literal["a", "b"], {"type": "string", "enum": ["a", "b"]}),
        (Literal[1, 2], {"type": "integer", "enum": [1, 2]}),
        (Literal[True], {"type": "boolean", "enum": [True]}),
        (Literal[1, "a"], {"enum": [1, "a"]}),
        (Literal[Color.RED], {"type": "string", "enum": ["red"]}),
        (Color, {"type": "string", "enum": ["red", "green"]}),
        (Level, {"type": "integer", "enum": [1, 2]}),
        (Optional[int], {"type": ["integer", "null"]}),  # noqa: UP045 - the spelling under test
        (int | None, {"type": ["integer", "null"]}),
        (
            Literal["a", "b"] | None,
            {"type": ["string", "null"], "enum": ["a", "b", None]},
        ),
        (
            list[int] | None,
            {"anyOf": [{"type": "array", "items": {"type": "integer"}}, {"type": "null"}]},
        ),
        (int | str, {"anyOf": [{"type": "integer"}, {"type": "string"}]}),
        (
            int | str | None,
            {"anyOf": [{"type": "integer"}, {"type": "string"}, {"type": "null"}]},
        ),
        (Annotated[int, "A count."], {"type": "integer", "description": "A count."}),
        (
            Annotated[int, 3, "First text.", "Second."],
            {"type": "integer", "description": "First text."},
        ),
        (Annotated[int, 3], {"type": "integer"}),
        (
            Annotated[str | None, "Maybe."],
            {"type": ["string", "null"], "description": "Maybe."},
        ),
        (
            list[Annotated[str, "A tag."]],
            {"type": "array", "items": {"type": "string", "description": "A tag."}},
        ),
        (Address, ADDRESS),
        (Item, ITEM),
        (
            Hotel,
            {
                "type": "object",
                "properties": {"name": {"type": "string"}, "stars": {"type": "integer"}},
                "required": ["name"],
                "additionalProperties": False,
            },
        ),
        (
            Room,
            {
                "type": "object",
                "properties": {"number": {"type": "integer"}, "view": {"type": "string"}},
                "required": ["number"],
                "additionalProperties": False,
            },
        ),
        (Optional[Address], {"anyOf": [ADDRESS, {"type": "null"}]}),  # noqa: UP045
    ],
    ids=repr,
)
def test_type_rules(annotation: object, schema: dict[str, Any]) -> None:
    assert schema_of(annotation) == schema


def test_missing_annotation_is_any() -> None:
    def tool(x, y: int):  # type: ignore[no-untyped-def]  # no annotation is the point
        """Do it."""

    assert function_parameters(tool) == {
        "type": "object",
        "properties": {"x": {}, "y": {"type": "integer"}},
        "required": ["x", "y"],
        "additionalProperties": False,
    }


def test_nested_attrs_dataclass_and_typeddict() -> None:
    tool = function_tool(place_order)
    assert tool.function.parameters == PLACE_ORDER


_SENTINEL = object()


def paint(
    color: Color = Color.RED,
    level: Level = Level.HIGH,
    size: tuple[int, int] = (1, 2),
    ratio: float = 0.5,
    scale: float = math.nan,
    label: str | None = None,
    token: Any = _SENTINEL,
    options: dict[str, int] | None = None,
) -> None:
    """Paint."""


def test_defaults() -> None:
    pair = {
        "type": "array",
        "prefixItems": [{"type": "integer"}, {"type": "integer"}],
        "minItems": 2,
        "maxItems": 2,
    }
    options = {"type": "object", "additionalProperties": {"type": "integer"}}
    assert function_parameters(paint) == {
        "type": "object",
        "properties": {
            "color": {"type": "string", "enum": ["red", "green"], "default": "red"},
            "level": {"type": "integer", "enum": [1, 2], "default": 2},
            "size": {**pair, "default": [1, 2]},
            "ratio": {"type": "number", "default": 0.5},
            "scale": {"type": "number"},  # NaN is not JSON
            "label": {"type": ["string", "null"], "default": None},
            "token": {},  # neither a JSON value nor required
            "options": {"anyOf": [options, {"type": "null"}], "default": None},
        },
        "required": [],
        "additionalProperties": False,
    }


def test_a_none_default_makes_the_type_nullable() -> None:
    # The sloppy spelling is the point. Python 3.10's get_type_hints adds the Optional itself and
    # 3.11 does not; the schema is the same on both.
    def tool(x: int = None) -> None:  # type: ignore[assignment]  # noqa: RUF013
        """Do it."""

    assert function_parameters(tool)["properties"]["x"] == {
        "type": ["integer", "null"],
        "default": None,
    }


def test_annotated_description_wins_over_the_docstring() -> None:
    def book(room: Annotated[str, "Room code."], nights: int = 1) -> None:
        """Book a room.

        Args:
            room: Not this.
            nights: How many nights.
        """

    assert function_parameters(book)["properties"] == {
        "room": {"type": "string", "description": "Room code."},
        "nights": {"type": "integer", "description": "How many nights.", "default": 1},
    }


# --- strict mode -------------------------------------------------------------------------------


def test_strict_mode() -> None:
    tool = function_tool(place_order, strict=True)
    assert tool.function.strict is True
    assert tool.function.parameters == PLACE_ORDER_STRICT


def test_strict_false_is_sent_but_changes_nothing() -> None:
    tool = function_tool(place_order, strict=False)
    assert tool.function.strict is False
    assert tool.function.parameters == PLACE_ORDER


def test_strict_enum_and_union_become_nullable() -> None:
    def pick(mode: Literal["a", "b"] = "a", n: int | str = 1) -> None:
        """Pick."""

    assert function_parameters(pick, strict=True)["properties"] == {
        "mode": {"type": ["string", "null"], "enum": ["a", "b", None], "default": "a"},
        "n": {"anyOf": [{"type": "integer"}, {"type": "string"}, {"type": "null"}], "default": 1},
    }


def test_strict_mode_cannot_describe_a_mapping() -> None:
    with pytest.raises(TypeError, match=r"parameter 'x' of .*: strict mode .* mapping"):
        schema_of(dict[str, int], strict=True)


# --- kinds of callables ------------------------------------------------------------------------


def test_partial_drops_bound_arguments() -> None:
    bound = functools.partial(functools.partial(convert, 10.0), rounding=0)
    tool = function_tool(bound)
    assert tool.function.name == "convert"
    assert tool.function.description == "Convert an amount."
    assert tool.function.parameters == {
        "type": "object",
        "properties": {"currency": {"type": "string"}},
        "required": ["currency"],
        "additionalProperties": False,
    }
    arguments: dict[str, Any] = {"currency": "EUR"}
    assert bound(**arguments) == "10.0 EUR"


def test_bound_method_and_classmethod() -> None:
    tool = function_tool(Shop("corner").price)
    assert (tool.function.name, tool.function.description) == ("price", "Price some items.")
    assert tool.function.parameters == {
        "type": "object",
        "properties": {"sku": {"type": "string"}, "quantity": {"type": "integer", "default": 1}},
        "required": ["sku"],
        "additionalProperties": False,
    }
    assert function_tool(Shop.open).function.parameters == {
        "type": "object",
        "properties": {"name": {"type": "string"}},
        "required": ["name"],
        "additionalProperties": False,
    }


async def test_async_function() -> None:
    tool = function_tool(fetch)
    assert (tool.function.name, tool.function.description) == ("fetch", "Fetch a page.")
    assert tool.function.parameters == {
        "type": "object",
        "properties": {
            "url": {"type": "string"},
            "timeout": {"type": "number", "default": 5.0},
        },
        "required": ["url"],
        "additionalProperties": False,
    }
    arguments: dict[str, Any] = {"url": "https://example.test"}
    assert await fetch(**arguments) == "<html>https://example.test</html>"


def test_var_keyword_leaves_the_object_open() -> None:
    open_schema = {
        "type": "object",
        "properties": {"message": {"type": "string"}},
        "required": ["message"],
    }
    assert function_parameters(log) == open_schema
    # Strict mode closes every object; the named parameters still work.
    assert function_parameters(log, strict=True) == {**open_schema, "additionalProperties": False}


# --- errors ------------------------------------------------------------------------------------


def test_unsupported_type_names_the_parameter_and_the_type() -> None:
    def tool(city: str, thing: Plain) -> None: ...

    with pytest.raises(TypeError, match=r"^parameter 'thing' of .*tool: unsupported type Plain;"):
        function_parameters(tool)


@pytest.mark.parametrize(
    ("annotation", "message"),
    [
        (Box, r"parameter 'x' of .*: field 'content' of Box: unsupported type Plain"),
        (list[Plain], r"parameter 'x' of .*: unsupported type Plain"),
        (Node, r"field 'children' of Node: recursive type Node"),
        (dict[int, str], r"parameter 'x' of .*: JSON object keys are strings, not int"),
        (Literal[b"x"], r"enum values must be JSON scalars"),
    ],
    ids=["nested", "item", "recursive", "int-keys", "bytes-literal"],
)
def test_unsupported_types(annotation: object, message: str) -> None:
    with pytest.raises(TypeError, match=message):
        schema_of(annotation)


def test_positional_only_parameters_are_refused() -> None:
    # The tool-call loop passes arguments by keyword.
    def tool(x: int, /) -> None: ...

    with pytest.raises(TypeError, match=r"parameter 'x' of .*tool is positional-only"):
        function_parameters(tool)


# --- the wire and JSON Schema ------------------------------------------------------------------


def test_unstructures_to_the_api_json() -> None:
    assert unstructure(function_tool(get_weather)) == {
        "type": "function",
        "function": {
            "name": "get_weather",
            "description": "Get the current weather for a city.",
            "parameters": GET_WEATHER,
        },
    }
    assert unstructure(function_tool(place_order, strict=True)) == {
        "type": "function",
        "function": {
            "name": "place_order",
            "description": "Place an order.",
            "parameters": PLACE_ORDER_STRICT,
            "strict": True,
        },
    }


def test_unstructures_without_a_docstring() -> None:
    def ping() -> None: ...

    assert unstructure(function_tool(ping)) == {
        "type": "function",
        "function": {
            "name": "ping",
            "parameters": {
                "type": "object",
                "properties": {},
                "required": [],
                "additionalProperties": False,
            },
        },
    }


ORDER = {"address": {"street": "1 rue", "city": "Lyon"}, "items": [{"sku": "a1"}]}
STRICT_ORDER = {
    "address": {"street": "1 rue", "city": "Lyon", "country": None},
    "items": [{"sku": "a1", "quantity": None}],
    "note": None,
    "tags": None,
}


@pytest.mark.parametrize(
    ("fn", "strict", "arguments", "valid"),
    [
        (get_weather, False, {"city": "Paris"}, True),
        (get_weather, False, {"city": "Paris", "units": "fahrenheit", "days": 3}, True),
        (get_weather, False, {}, False),
        (get_weather, False, {"city": 1}, False),
        (get_weather, False, {"city": "Paris", "units": "kelvin"}, False),
        (get_weather, False, {"city": "Paris", "days": True}, False),
        (get_weather, False, {"city": "Paris", "country": "FR"}, False),
        (search, False, {"query": "q", "tags": None}, True),
        (search, False, {"query": "q", "tags": ["a", "b"]}, True),
        (search, False, {"query": "q", "tags": "a"}, False),
        (move, False, {"x": 1, "y": 2.5}, True),
        (paint, False, {"size": [3, 4], "options": {"a": 1}}, True),
        (paint, False, {"size": [3, 4, 5]}, False),
        (paint, False, {"color": "blue"}, False),
        (log, False, {"message": "hi", "user": "ann"}, True),
        (log, True, {"message": "hi", "user": "ann"}, False),
        (place_order, False, {"order": ORDER}, True),
        (place_order, False, {"order": {**ORDER, "items": [{"quantity": 1}]}}, False),
        (place_order, False, {"order": {**ORDER, "address": {"street": "x"}}}, False),
        (place_order, False, {"order": {**ORDER, "extra": 1}}, False),
        (place_order, True, {"order": STRICT_ORDER, "express": None}, True),
        (place_order, True, {"order": STRICT_ORDER}, False),
        (place_order, True, {"order": ORDER, "express": True}, False),
    ],
)
def test_schema_validates_arguments(
    fn: Callable[..., Any], strict: bool, arguments: dict[str, Any], valid: bool
) -> None:
    schema = function_parameters(fn, strict=strict)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert jsonschema.Draft202012Validator(schema).is_valid(arguments) is valid


def test_valid_arguments_call_the_function() -> None:
    arguments: dict[str, Any] = {"city": "Paris", "units": "fahrenheit"}
    jsonschema.Draft202012Validator(function_parameters(get_weather)).validate(arguments)
    assert get_weather(**arguments) == "Paris: sunny for 1 days (fahrenheit)"
