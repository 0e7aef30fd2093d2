"""The service layer's shape: typed parameters shared where they repeat, bound methods that look
like methods, request options checked by name, and a package without import cycles."""

from __future__ import annotations

import ast
import inspect
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from aioresponses import aioresponses
from support import BASE

import openai_assistants
from openai_assistants import APIResponse, AssistantsClient, ListParams, RequestOptions
from openai_assistants.models import Assistant, Run
from openai_assistants.resources import (
    AssistantFiles,
    Assistants,
    MessageFiles,
    Messages,
    Runs,
    RunSteps,
    Threads,
)
from openai_assistants.resources._inputs import RunCreateParams, ThreadRunCreateParams

PACKAGE = Path(openai_assistants.__file__).parent


def keys(typed_dict: Any) -> set[str]:
    return set(typed_dict.__required_keys__ | typed_dict.__optional_keys__)


def keyword_parameters(function: Any) -> set[str]:
    parameters = inspect.signature(function).parameters.values()
    return {p.name for p in parameters if p.kind is inspect.Parameter.KEYWORD_ONLY}


@pytest.mark.parametrize(
    ("params", "create"),
    [(RunCreateParams, Runs.create.build), (ThreadRunCreateParams, Threads.create_and_run.build)],
    ids=["runs.create", "threads.create_and_run"],
)
def test_the_tool_loops_take_exactly_the_create_parameters(params: Any, create: Any) -> None:
    """The TypedDicts the tool loops unpack cannot drift from the methods they call."""
    expected = keyword_parameters(create) - {"assistant_id"} | keys(RequestOptions)
    assert keys(params) == expected


@pytest.mark.parametrize(
    "service", [Assistants, Messages, Runs, RunSteps, AssistantFiles, MessageFiles]
)
def test_every_list_shares_the_paging_parameters(service: Any) -> None:
    parameters = inspect.signature(service.list).parameters
    params = parameters["params"]
    assert params.kind is inspect.Parameter.VAR_KEYWORD
    assert params.annotation == "Unpack[ListParams]"
    assert not {"limit", "order", "after", "before", "max_items"} & set(parameters)
    assert {"limit", "order", "after", "before", "max_items", "prefetch"} <= keys(ListParams)


async def test_bound_methods_have_the_name_docs_and_signature_of_the_method() -> None:
    async with AssistantsClient(api_key="k", base_url=BASE) as client:
        retrieve = client.assistants.retrieve
        assert client.assistants.retrieve is retrieve  # bound once per service, then kept
        assert retrieve.__name__ == "retrieve"
        assert retrieve.__doc__ is not None
        assert "getAssistant" in retrieve.__doc__
        assert inspect.iscoroutinefunction(retrieve)
        signature = inspect.signature(retrieve)
        assert list(signature.parameters) == ["assistant_id", "options"]
        assert signature.return_annotation == "Assistant"
        assert client.runs.create_stream.__name__ == "create_stream"
        assert client.runs.stream.__name__ == "create_stream"  # the official client's name
        assert client.runs.create_and_poll.__name__ == "create_and_poll"
        assert client.threads.create_and_run_poll.__qualname__ == "Threads.create_and_run_poll"
        stream_signature = inspect.signature(client.runs.create_stream)
        assert stream_signature.return_annotation == "AssistantStream"
        assert list(stream_signature.parameters)[:2] == ["thread_id", "assistant_id"]


async def test_with_response_returns_the_response_and_the_plain_method_the_model(
    client: AssistantsClient, mocked: aioresponses
) -> None:
    body = {"id": "asst_1", "object": "assistant", "created_at": 1, "model": "m", "tools": []}
    headers = {"x-request-id": "req_1"}
    mocked.get(f"{BASE}/assistants/asst_1", payload=body, headers=headers, repeat=True)
    plain = await client.assistants.retrieve("asst_1")
    response = await client.assistants.with_response.retrieve("asst_1")
    assert type(plain) is Assistant
    assert isinstance(response, APIResponse)
    assert response.data == plain
    assert response.request_id == "req_1"


@pytest.mark.parametrize("typo", ["timout", "max_retry", "idempotency"])
async def test_a_misspelt_request_option_is_a_type_error_before_sending(
    client: AssistantsClient, mocked: aioresponses, typo: str
) -> None:
    misspelt: dict[str, Any] = {typo: 1}
    with pytest.raises(TypeError, match=f"unexpected keyword argument '{typo}'"):
        await client.assistants.retrieve("asst_1", **misspelt)
    with pytest.raises(TypeError, match=f"unexpected keyword argument '{typo}'"):
        client.messages.list("thread_1", **misspelt)
    with pytest.raises(TypeError, match=f"unexpected keyword argument '{typo}'"):
        await client.runs.create_and_poll("thread_1", assistant_id="a", **misspelt)
    assert not mocked.requests


def test_a_run_returned_by_every_run_method_is_a_run() -> None:
    """The annotations say ``Run``; the endpoints' calls say they read a ``Run``."""
    for name in ("create", "retrieve", "update", "cancel", "submit_tool_outputs"):
        assert inspect.signature(getattr(Runs, name).build).return_annotation == "Call[Run]"
    assert Run is not None


# --- imports -----------------------------------------------------------------------------------


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path, modules: set[str]) -> set[str]:
    """The package's modules ``path`` imports, at load time or inside a function (a lazy import
    that dodges a cycle is still one), leaving out ``if TYPE_CHECKING`` blocks."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()

    def visit(nodes: list[ast.stmt]) -> None:
        for node in nodes:
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                continue
            if isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                    base = ".".join([*anchor, *([base] if base else [])])
                for alias in node.names:
                    candidate = f"{base}.{alias.name}"
                    found.add(candidate if candidate in modules else base)
            elif isinstance(node, ast.Import):
                found.update(a.name for a in node.names)
            else:
                visit([n for n in ast.iter_child_nodes(node) if isinstance(n, ast.stmt)])

    visit(ast.parse(path.read_text()).body)
    return {m for m in found if m in modules and m != name}


def test_the_package_has_no_import_cycle() -> None:
    files = sorted(PACKAGE.rglob("*.py"))
    modules = {module_name(f) for f in files}
    graph = {module_name(f): imports_of(f, modules) for f in files}
    # A package imports its parent package first: that is no cycle, so leave parents out.
    graph = {m: {d for d in deps if not m.startswith(d + ".")} for m, deps in graph.items()}
    state: dict[str, int] = {}
    cycle: list[str] = []

    def visit(module: str, trail: list[str]) -> bool:
        state[module] = 1
        for dep in sorted(graph[module]):
            if state.get(dep) == 1:
                cycle.extend([*trail[trail.index(dep) :], dep] if dep in trail else [dep])
                return True
            if dep not in state and visit(dep, [*trail, dep]):
                return True
        state[module] = 2
        return False

    for module in sorted(graph):
        if module not in state and visit(module, [module]):
            break
    assert cycle == []
    assert "openai_assistants._http.transport" not in graph["openai_assistants._streaming.events"]


def test_the_files_and_vector_store_part_loads_on_first_use() -> None:
    """``import openai_assistants`` and a client do not import it; using it, or importing one of
    its documented names, does."""
    program = """
import sys
import openai_assistants
from openai_assistants import AssistantsClient
client = AssistantsClient(api_key="k", base_url="http://127.0.0.1:9/v1")
lazy = ("openai_assistants.models.files", "openai_assistants.models.vector_stores",
        "openai_assistants.resources.files", "openai_assistants.resources.vector_stores",
        "openai_assistants._http.multipart", "openai_assistants.resources._transfers")
assert not [m for m in lazy if m in sys.modules], [m for m in lazy if m in sys.modules]
assert type(client.vector_stores).__name__ == "VectorStores"
assert client.vector_stores is client.vector_stores
from openai_assistants import ByteStream, FileBatchResult
from openai_assistants.models import FileObject, VectorStore
from openai_assistants.resources import Files
assert all(m in sys.modules for m in lazy)
"""
    done = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
