"""The scenarios: their sizes (default, ``--quick``, the smoke test's) and the jobs they become.

A job is one timed operation in one fresh client process. Scenario (g)'s points at 1 and 64
tasks are jobs (a) and (b), and its 10k-message point is job (c): the same measurement, not
measured twice. Plain dataclasses, not attrs: the floor's process must not import attrs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from . import data

__all__ = ["Job", "Sizes", "build_jobs", "concurrency_scenario", "list_scenario"]

Op = Literal["retrieve", "create", "list", "list_prefetch", "stream_text", "stream_events"]


@dataclass(frozen=True, kw_only=True)
class Sizes:
    """How much work each scenario does, and how many rounds."""

    rounds: int = 5
    sequential: int = 2000  # (a) retrieves, (e) creates
    concurrent: int = 10_000  # (b) retrieves
    concurrency: int = 64  # (b)
    list_size: int = 10_000  # (c), (f)
    page_size: int = 100
    stream_runs: int = 20  # (d)
    deltas: int = 2000  # message deltas per streamed run
    list_delay_ms: float = 20.0  # (f): how late each page arrives
    consume_us: float = 200.0  # (f): the consumer's time per item
    scaling_levels: tuple[int, ...] = (1, 8, 64, 512)  # (g) concurrent tasks
    scaling_calls: int = 2000  # (g) retrieves at each level other than (a)'s and (b)'s
    scaling_lists: tuple[int, ...] = (1000, 10_000, 100_000)  # (g) thread sizes
    import_samples: int = 7
    import_warmups: int = 1  # unmeasured runs first: bytecode compiled, files in the page cache

    @classmethod
    def quick(cls) -> Sizes:
        """A few seconds per client: a first look, not a result."""
        return cls(
            rounds=2,
            sequential=300,
            concurrent=1000,
            scaling_calls=500,
            list_size=2000,
            stream_runs=3,
            scaling_lists=(1000, 2000, 10_000),
            import_samples=3,
        )

    @classmethod
    def tiny(cls) -> Sizes:
        """The smoke test's: every code path once, in seconds."""
        return cls(
            rounds=1,
            sequential=5,
            concurrent=8,
            concurrency=4,
            list_size=30,
            page_size=10,
            stream_runs=1,
            deltas=20,
            list_delay_ms=2.0,
            consume_us=20.0,
            scaling_levels=(1, 2, 4, 6),
            scaling_calls=8,
            scaling_lists=(20, 30, 40),
            import_samples=1,
            import_warmups=0,
        )

    def thread_sizes(self) -> list[int]:
        """The threads the server must hold."""
        return sorted({self.list_size, *self.scaling_lists})


@dataclass(frozen=True, kw_only=True)
class Job:
    """One timed operation of one scenario; ``expect`` is the count it must produce."""

    scenario: str  # "a", "b", "c", "d-high", "d-low", "e", "f-off", "f-on", "g-c8", "g-l1000"
    op: Op
    n: int  # calls (retrieve, create), runs (stream) or 1 (list)
    expect: int
    concurrency: int = 1
    thread_id: str = ""
    page_size: int = 100
    consume_us: float = 0.0
    slow: bool = False  # use the server's port that answers list pages late
    skip: tuple[str, ...] = ()  # clients that do not run it (reported as n/a)


def concurrency_scenario(level: int, concurrency: int) -> str:
    """The job measuring (g)'s ``level`` concurrent tasks: (a) at 1, (b) at ``concurrency``."""
    return "a" if level == 1 else "b" if level == concurrency else f"g-c{level}"


def list_scenario(size: int, list_size: int) -> str:
    """The job measuring (g)'s ``size``-message thread: (c) at ``list_size``."""
    return "c" if size == list_size else f"g-l{size}"


def build_jobs(sizes: Sizes) -> list[Job]:
    """Every job of one round, in the order they run."""
    list_thread = data.list_thread_id(sizes.list_size)
    jobs = [
        Job(scenario="a", op="retrieve", n=sizes.sequential, expect=sizes.sequential),
        Job(
            scenario="b",
            op="retrieve",
            n=sizes.concurrent,
            expect=sizes.concurrent,
            concurrency=sizes.concurrency,
        ),
        Job(
            scenario="c",
            op="list",
            n=1,
            expect=sizes.list_size,
            thread_id=list_thread,
            page_size=sizes.page_size,
        ),
        Job(
            scenario="d-high",
            op="stream_text",
            n=sizes.stream_runs,
            expect=sizes.stream_runs * sizes.deltas,
        ),
        Job(
            scenario="d-low",
            op="stream_events",
            n=sizes.stream_runs,
            expect=sizes.stream_runs * sizes.deltas,
        ),
        Job(scenario="e", op="create", n=sizes.sequential, expect=sizes.sequential),
    ]
    prefetch_jobs: tuple[tuple[str, Op], ...] = (("f-off", "list"), ("f-on", "list_prefetch"))
    for scenario, op in prefetch_jobs:
        jobs.append(
            Job(
                scenario=scenario,
                op=op,
                n=1,
                expect=sizes.list_size,
                thread_id=list_thread,
                page_size=sizes.page_size,
                consume_us=sizes.consume_us,
                slow=True,
                # (f) compares prefetch on and off within one client; openai has no prefetch.
                skip=("openai",),
            )
        )
    for level in sizes.scaling_levels:
        scenario = concurrency_scenario(level, sizes.concurrency)
        if scenario.startswith("g-"):  # else the point is (a) or (b)
            jobs.append(
                Job(
                    scenario=scenario,
                    op="retrieve",
                    n=sizes.scaling_calls,
                    expect=sizes.scaling_calls,
                    concurrency=level,
                )
            )
    for size in sizes.scaling_lists:
        scenario = list_scenario(size, sizes.list_size)
        if scenario.startswith("g-"):  # else the point is (c)
            jobs.append(
                Job(
                    scenario=scenario,
                    op="list",
                    n=1,
                    expect=size,
                    thread_id=data.list_thread_id(size),
                    page_size=sizes.page_size,
                )
            )
    return jobs
