"""The runner: ``python -m benchmarks [--quick] [--rounds N] [--uvloop] [--out DIR]``.

It starts the load server (pinned to one CPU), measures cold imports in fresh interpreters, then
runs every job of every round, one fresh client process per (job, client), pinned to another
CPU. The clients take turns: their order rotates each round. All processes import a copy of the
harness and the SDK taken when the run starts, so edits made meanwhile cannot mix versions. At
the end it prints the table and writes ``latest.json`` and ``latest.png`` into ``--out``. Every
process it starts is reaped, on errors and Ctrl-C too.
"""

from __future__ import annotations

import argparse
import compileall
import contextlib
import dataclasses
import datetime
import hashlib
import io
import json
import os
import platform
import select
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from . import report
from .clients import CLIENT_NAMES
from .scenarios import Job, Sizes, build_jobs

__all__ = ["Options", "main", "run"]

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT = Path(__file__).resolve().parent / "results"

#: Cold-import programs: (import statement, first-use statements), each timed on its own.
IMPORTS: dict[str, tuple[str, str]] = {
    "ours": (
        "import openai_assistants",
        "c = openai_assistants.AssistantsClient(api_key='sk-x', base_url='http://127.0.0.1:9/v1')\n"
        "c.assistants, c.threads, c.messages, c.runs, c.run_steps",
    ),
    "openai": (
        "import openai",
        "c = openai.AsyncOpenAI(api_key='sk-x', base_url='http://127.0.0.1:9/v1')\n"
        "c.beta.assistants, c.beta.threads, c.beta.threads.messages, c.beta.threads.runs, "
        "c.beta.threads.runs.steps",
    ),
    "floor": ("import aiohttp, orjson", "pass"),
    report.BASELINE: ("import aiohttp, attrs, cattrs", "pass"),
}

_IMPORT_PROGRAM = """\
import os, sys, time
cpu = {cpu!r}
if cpu is not None and hasattr(os, "sched_setaffinity"):
    os.sched_setaffinity(0, {{cpu}})
t0 = time.perf_counter()
{imports}
t1 = time.perf_counter()
{first_use}
t2 = time.perf_counter()
sys.stdout.write("%r %r\\n" % (t1 - t0, t2 - t1))
"""


@dataclasses.dataclass(frozen=True, kw_only=True)
class Options:
    """What to run and where to write it."""

    sizes: Sizes = dataclasses.field(default_factory=Sizes)
    clients: tuple[str, ...] = CLIENT_NAMES
    scenarios: tuple[str, ...] | None = None  # job ids to run (None: all)
    uvloop: bool = False
    out_dir: Path = DEFAULT_OUT
    #: One process per client per round running every job (the smoke test: fast, not precise).
    batch: bool = False
    #: Benchmark the SDK as committed at this git revision (default: the working tree).
    sdk_ref: str | None = None
    job_timeout: float = 900.0
    #: The command line, for the report's ``meta`` (``main`` passes the real one).
    command: str = "python -m benchmarks"
    log: Callable[[str], None] = lambda line: print(
        time.strftime("%H:%M:%S ") + line, file=sys.stderr, flush=True
    )


def _env(root: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(root), env.get("PYTHONPATH")) if p)
    env.pop("PYTHONWARNINGS", None)
    return env


def _cpus() -> tuple[int | None, int | None]:
    """(server CPU, client CPU): two different cores when there are two, else no pinning."""
    if not hasattr(os, "sched_getaffinity"):
        return None, None
    cpus = sorted(os.sched_getaffinity(0))
    return (cpus[0], cpus[1]) if len(cpus) >= 2 else (None, None)


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Ask, then insist: a process started here never outlives the runner."""
    if process.stdin is not None:
        with contextlib.suppress(OSError):
            process.stdin.close()
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    if process.stdout is not None:
        process.stdout.close()


@contextlib.contextmanager
def load_server(sizes: Sizes, cpu: int | None, root: Path = REPO) -> Iterator[dict[str, Any]]:
    """Start the load server; yield its ready line (URLs, start-up time); stop it on exit."""
    command = [
        sys.executable,
        "-m",
        "benchmarks.server",
        "--sizes",
        ",".join(str(n) for n in sizes.thread_sizes()),
        "--deltas",
        str(sizes.deltas),
        "--delay-ms",
        str(sizes.list_delay_ms),
        "--watch-stdin",
    ]
    if cpu is not None:
        command += ["--cpu", str(cpu)]
    process = subprocess.Popen(
        command, cwd=root, env=_env(root), stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )
    try:
        assert process.stdout is not None
        ready, _, _ = select.select([process.stdout], [], [], 120)
        line = process.stdout.readline() if ready else b""
        if not line:
            raise RuntimeError(f"the load server did not start (exit code {process.poll()})")
        yield json.loads(line)
    finally:
        _stop(process)


def measure_import(
    variant: str, cpu: int | None, sample: int = -1, root: Path = REPO
) -> dict[str, Any]:
    """One fresh interpreter: seconds to import, then to first use."""
    imports, first_use = IMPORTS[variant]
    program = _IMPORT_PROGRAM.format(cpu=cpu, imports=imports, first_use=first_use)
    done = subprocess.run(
        [sys.executable, "-c", program],
        cwd=root,
        env=_env(root),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    import_s, first_use_s = (float(x) for x in done.stdout.split())
    return {
        "variant": variant,
        "sample": sample,
        "import_s": import_s,
        "first_use_s": first_use_s,
    }


def run_client(
    client: str,
    jobs: Sequence[Job],
    server: dict[str, Any],
    *,
    cpu: int | None,
    uvloop: bool,
    timeout: float,
    root: Path = REPO,
) -> list[dict[str, Any]]:
    """One client process running ``jobs``; its records (an error record if it broke)."""
    command = [
        sys.executable,
        "-m",
        "benchmarks.client_main",
        "--client",
        client,
        "--base-url",
        server["base_url"],
        "--slow-base-url",
        server["slow_base_url"],
        "--stats-url",
        server["stats_url"],
    ]
    for job in jobs:
        command += ["--job", json.dumps(dataclasses.asdict(job))]
    if cpu is not None:
        command += ["--cpu", str(cpu)]
    if uvloop:
        command.append("--uvloop")
    try:
        done = subprocess.run(
            command, cwd=root, env=_env(root), capture_output=True, text=True, timeout=timeout
        )
    except subprocess.TimeoutExpired:  # run() has killed and reaped it
        return [{"client": client, "scenario": j.scenario, "error": "timed out"} for j in jobs]
    records = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    seen = {r["scenario"] for r in records}
    tail = done.stderr.strip().splitlines()[-3:]
    for job in jobs:
        if job.scenario not in seen:
            message = f"exit code {done.returncode}: {' | '.join(tail)}"
            records.append({"client": client, "scenario": job.scenario, "error": message})
    return records


def _git(*args: str) -> str | None:
    try:
        done = subprocess.run(["git", *args], cwd=REPO, capture_output=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    return done.stdout.decode().strip()


@contextlib.contextmanager
def snapshot(sdk_ref: str | None) -> Iterator[tuple[Path, dict[str, Any]]]:
    """A private copy of the harness and the SDK, and what it holds.

    Others may edit the SDK while a run takes its ten minutes; every process of the run imports
    this copy instead, so all figures come from one version. ``sdk_ref`` takes the SDK from that
    git revision instead of the working tree.
    """
    with tempfile.TemporaryDirectory(prefix="openai-assistants-bench-") as tmp:
        root = Path(tmp)
        skip = shutil.ignore_patterns("__pycache__", "results")
        shutil.copytree(REPO / "benchmarks", root / "benchmarks", ignore=skip)
        if sdk_ref is None:
            shutil.copytree(REPO / "openai_assistants", root / "openai_assistants", ignore=skip)
        else:
            archive = subprocess.run(
                ["git", "archive", sdk_ref, "openai_assistants"],
                cwd=REPO,
                capture_output=True,
                check=True,
            ).stdout
            with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
                if hasattr(tarfile, "data_filter"):
                    tar.extractall(root, filter="data")
                else:  # pragma: no cover - Python < 3.10.12 has no extraction filters
                    tar.extractall(root)  # our own repository's archive
        # Byte-compiled up front, as an installed package is: the imports then read .pyc files
        # like aiohttp's do, even where PYTHONDONTWRITEBYTECODE keeps Python from caching them.
        compileall.compile_dir(root, quiet=1)
        digest = hashlib.sha256()
        for path in sorted((root / "openai_assistants").rglob("*.py")):
            digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
        dirty = _git("status", "--porcelain", "--", "openai_assistants")
        info = {
            "source": "working tree" if sdk_ref is None else f"git {sdk_ref}",
            "commit": _git("rev-parse", sdk_ref or "HEAD"),
            "uncommitted_changes": bool(dirty) if sdk_ref is None else False,
            "sources_sha256": digest.hexdigest()[:16],
        }
        yield root, info


def _rotated(items: Sequence[str], by: int) -> list[str]:
    by %= len(items)
    return [*items[by:], *items[:by]]


def run(options: Options) -> dict[str, Any]:
    """Run the whole benchmark; write and return the report."""
    started = time.perf_counter()
    load_before = _load_average()
    with snapshot(options.sdk_ref) as (root, sdk):
        records, import_samples, cpus = _measure(options, root, sdk)
    meta = {
        "command": options.command,
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "duration_s": round(time.perf_counter() - started, 1),
        "rounds": options.sizes.rounds,
        "loop": "uvloop" if options.uvloop else "asyncio",
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "server_cpu": cpus[0],
        "client_cpu": cpus[1],
        "process_per_job": not options.batch,
        "versions": _versions(),
        "sdk": sdk,
        # Other work on the machine shows up here: 1-minute load average before and after.
        "load_average": [load_before, _load_average()],
    }
    result = report.build_report(
        records,
        import_samples,
        clients=options.clients,
        sizes=dataclasses.asdict(options.sizes),
        meta=meta,
    )
    options.out_dir.mkdir(parents=True, exist_ok=True)
    report.write_json(result, options.out_dir / "latest.json")
    report.draw_chart(result, options.out_dir / "latest.png")
    return result


def _measure(
    options: Options, root: Path, sdk: dict[str, Any]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], tuple[int | None, int | None]]:
    """Imports, then every job of every round: (job records, import samples, CPUs used)."""
    sizes, log = options.sizes, options.log
    jobs = [
        j for j in build_jobs(sizes) if options.scenarios is None or j.scenario in options.scenarios
    ]
    server_cpu, client_cpu = _cpus()
    records: list[dict[str, Any]] = []
    import_samples: list[dict[str, Any]] = []
    log(
        f"benchmark: {sizes.rounds} rounds, clients {', '.join(options.clients)}, "
        f"server on CPU {server_cpu}, clients on CPU {client_cpu}; SDK from the "
        f"{sdk['source']} at {str(sdk['commit'])[:10]}"
        f"{' + uncommitted changes' if sdk['uncommitted_changes'] else ''}"
    )
    variants = [v for v in IMPORTS if v in options.clients or v == report.BASELINE]
    for _ in range(sizes.import_warmups):
        for variant in variants:
            measure_import(variant, client_cpu, root=root)
    with load_server(sizes, server_cpu, root) as server:
        log(f"load server ready in {server['startup_s']}s at {server['base_url']}")
        for round_index in range(sizes.rounds):
            # The import samples are spread over the rounds, so one busy minute cannot skew all.
            first = round_index * sizes.import_samples // sizes.rounds
            last = (round_index + 1) * sizes.import_samples // sizes.rounds
            for sample in range(first, last):
                for variant in _rotated(variants, sample):
                    import_samples.append(measure_import(variant, client_cpu, sample, root))
            order = _rotated(options.clients, round_index)
            batches: list[tuple[str, list[Job]]] = (
                [(client, jobs) for client in order]
                if options.batch
                else [(client, [job]) for job in jobs for client in order]
            )
            for client, batch in batches:
                runnable = [job for job in batch if client not in job.skip]
                batch_records = [
                    {"client": client, "scenario": job.scenario, "op": job.op, "na": True}
                    for job in batch
                    if client in job.skip
                ]
                if runnable:
                    batch_records += run_client(
                        client,
                        runnable,
                        server,
                        cpu=client_cpu,
                        uvloop=options.uvloop,
                        timeout=options.job_timeout,
                        root=root,
                    )
                for record in batch_records:
                    record["round"] = round_index
                    records.append(record)
                    log(_progress(round_index, sizes.rounds, record))
    return records, import_samples, (server_cpu, client_cpu)


def _load_average() -> float | None:
    return round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None


def _progress(round_index: int, rounds: int, record: dict[str, Any]) -> str:
    where = f"round {round_index + 1}/{rounds} {record['scenario']:>7} {record['client']:<6}"
    if "error" in record:
        return f"{where} ERROR {record['error']}"
    if record.get("na"):
        return f"{where} n/a"
    return f"{where} wall {record['wall_s']:.3f}s cpu {record['cpu_s']:.3f}s"


def _versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    found = {}
    packages = ("openai-assistants", "openai", "aiohttp", "attrs", "cattrs", "orjson", "httpx2")
    for package in (*packages, "pydantic", "uvloop"):
        with contextlib.suppress(PackageNotFoundError):
            found[package] = version(package)
    return found


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Benchmark openai_assistants against the official openai client and bare "
        "aiohttp on a local load server.",
    )
    parser.add_argument("--quick", action="store_true", help="fewer rounds, smaller sizes")
    parser.add_argument("--rounds", type=int, help="rounds (default 5; --quick: 2)")
    parser.add_argument("--uvloop", action="store_true", help="run the clients on uvloop")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where latest.* go")
    parser.add_argument(
        "--clients",
        default=",".join(CLIENT_NAMES),
        help="comma-separated subset of ours,openai,floor",
    )
    parser.add_argument("--scenarios", help="comma-separated job ids (a,b,c,d-high,...)")
    parser.add_argument(
        "--sdk-ref",
        help="benchmark openai_assistants as committed at this git revision (default: the "
        "working tree, copied when the run starts)",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else list(argv)
    args = parse_args(argv)
    sizes = Sizes.quick() if args.quick else Sizes()
    if args.rounds is not None:
        if args.rounds < 1:
            raise SystemExit("--rounds must be at least 1")
        sizes = dataclasses.replace(sizes, rounds=args.rounds)
    clients = tuple(c for c in args.clients.split(",") if c)
    unknown = set(clients) - set(CLIENT_NAMES)
    if unknown:
        raise SystemExit(f"unknown clients: {', '.join(sorted(unknown))}")
    options = Options(
        sizes=sizes,
        clients=clients,
        scenarios=tuple(args.scenarios.split(",")) if args.scenarios else None,
        uvloop=args.uvloop,
        out_dir=args.out,
        sdk_ref=args.sdk_ref,
        command=" ".join(["python -m benchmarks", *argv]),
    )
    result = run(options)
    print(report.format_table(result))
    print(f"\nwrote {options.out_dir / 'latest.json'} and {options.out_dir / 'latest.png'}")
    if result["errors"]:
        sys.exit(1)
