"""Run mypy (and pyright, when it runs here) on files and read back what they report."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple, NoReturn

import pytest

ROOT = Path(__file__).resolve().parents[2]

#: ``openai_assistants.models.assistants.Assistant`` -> ``Assistant``; ``builtins.str`` -> ``str``.
_QUALIFIED = re.compile(r"\b(?:[A-Za-z_]\w*\.)+([A-Za-z_]\w*)")


class Report(NamedTuple):
    file: str  # the file's name
    line: int
    severity: str  # "error", "note" (mypy's reveal_type) or "information" (pyright's)
    message: str


def plain(type_text: str) -> str:
    """A revealed type without module paths, as the programs' ``# expect:`` comments write it."""
    return _QUALIFIED.sub(r"\1", type_text).replace("typing.", "")


def mypy(*paths: Path) -> list[Report]:
    """``mypy --strict`` on files, with the project's configuration."""
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--show-error-codes",
            "--no-pretty",
            *map(str, paths),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    reports = []
    for line in done.stdout.splitlines():
        match = re.match(r"(.*?):(\d+): (error|note): (.*)", line)
        names = {path.name for path in paths}
        if match and Path(match[1]).name in names:
            reports.append(Report(Path(match[1]).name, int(match[2]), match[3], match[4]))
    assert done.returncode in (0, 1), done.stdout + done.stderr
    return reports


def revealed(reports: list[Report]) -> dict[int, str]:
    """mypy's ``Revealed type is "X"`` notes, by line, as plain types."""
    out = {}
    for report in reports:
        match = re.fullmatch(r'Revealed type is "(.*)"', report.message)
        if match:
            out[report.line] = plain(match[1])
    return out


def _unavailable(reason: str) -> NoReturn:
    """Skip on a developer's machine without pyright; in CI (``CI`` set) it must run."""
    if os.environ.get("CI"):
        pytest.fail(f"pyright must run in CI: {reason}")
    pytest.skip(reason)


def pyright(*paths: Path) -> list[Report]:
    """pyright on files; skips the test when pyright cannot start here (fails in CI)."""
    executable = shutil.which("pyright", path=str(Path(sys.executable).parent))
    if executable is None:
        _unavailable("pyright is not installed (it is in the test extra)")
    try:
        done = subprocess.run(
            [executable, "--outputjson", "--pythonpath", sys.executable, *map(str, paths)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        result = json.loads(done.stdout)
    except (OSError, ValueError, subprocess.TimeoutExpired) as exc:
        _unavailable(f"pyright could not run here: {exc}")
    return [
        Report(Path(d["file"]).name, d["range"]["start"]["line"] + 1, d["severity"], d["message"])
        for d in result["generalDiagnostics"]
    ]


def pyright_revealed(reports: list[Report]) -> dict[int, str]:
    out = {}
    for report in reports:
        match = re.fullmatch(r'Type of ".*" is "(.*)"', report.message, re.S)
        if match:
            out[report.line] = plain(match[1])
    return out


def expected(path: Path) -> dict[int, str]:
    """The ``# expect: T`` comments of a program, by line."""
    out = {}
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        match = re.search(r"reveal_type\(.*# expect: (.*)$", line)
        if match:
            out[number] = match[1].strip()
    return out
