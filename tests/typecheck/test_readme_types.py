"""Every Python example in the README passes ``mypy --strict`` and pyright.

A full program (the quickstart, the pytest example) is checked as it is. A snippet written with
top-level ``await`` becomes the body of ``async def snippet(...)`` whose parameters declare the
names the README leaves to the reader (``client``, ``thread``, ``assistant``, ...); its imports
move to the top, and the placeholders ``{...}`` and ``[...]`` read as empty.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from support.typecheck import ROOT, Report, mypy, pyright

README = (ROOT / "README.md").read_text(encoding="utf-8")
BLOCKS: list[str] = re.findall(r"```python\n(.*?)```", README, re.S)

PRELUDE = """\
from __future__ import annotations

from pathlib import Path

from openai_assistants import AssistantsClient
from openai_assistants.models import Assistant, Thread
"""
PARAMETERS = (
    "client: AssistantsClient, thread: Thread, assistant: Assistant, "
    "thread_ids: list[str], message_id: str"
)


def is_program(block: str) -> bool:
    return "asyncio.run(" in block or re.search(r"^async def test_", block, re.M) is not None


def as_module(block: str) -> str:
    if is_program(block):
        return block
    block = block.replace("{...}", "{}").replace("[...]", "[]")
    lines = block.splitlines()
    imports = [line for line in lines if line.startswith(("from ", "import "))]
    body = [line for line in lines if line not in imports]
    indented = "\n".join(f"    {line}" if line.strip() else "" for line in body)
    return (
        PRELUDE
        + "\n".join(imports)
        + f"\n\n\nasync def snippet({PARAMETERS}) -> None:  # noqa\n{indented}\n"
    )


@pytest.fixture(scope="module")
def modules(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("readme")
    paths = []
    for number, block in enumerate(BLOCKS):
        path = folder / f"readme_example_{number}.py"
        path.write_text(as_module(block))
        paths.append(path)
    return paths


def located(reports: list[Report], modules: list[Path]) -> list[str]:
    """Each error with its example: the first line of the block and the line that fails."""
    out = []
    for report in reports:
        if report.severity != "error":
            continue
        path = next(p for p in modules if p.name == report.file)
        line = path.read_text().splitlines()[report.line - 1].strip()
        out.append(f"{report.file}: {line!r}: {report.message}")
    return out


def test_the_readme_has_the_examples_this_checks() -> None:
    assert len(BLOCKS) >= 10
    assert sum(is_program(b) for b in BLOCKS) == 2


@pytest.mark.slow
def test_every_readme_example_passes_mypy_strict(modules: list[Path]) -> None:
    assert located(mypy(*modules), modules) == []


@pytest.mark.slow
def test_every_readme_example_passes_pyright(modules: list[Path]) -> None:
    assert located(pyright(*modules), modules) == []
