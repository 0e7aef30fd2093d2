"""One client process: run jobs against the load server, print one JSON line per job.

    python -m benchmarks.client_main --client ours --base-url http://127.0.0.1:PORT/v1 \\
        --stats-url http://127.0.0.1:PORT/__stats --job '{"scenario": "a", "op": "retrieve", ...}'

The runner starts one such process per (client, job, round), so every figure comes from a fresh
interpreter; the smoke test passes all jobs to one process. Each job is warmed up first (the
same operation, a few times: connections, lazy imports and caches), then timed: wall clock
(``perf_counter``) and this process's CPU (``process_time``). The server's CPU over the timed
part is read from its ``/__stats`` before and after; ``rss_kib`` is the process's peak RSS
(``ru_maxrss``) when the job ends. The count a job produces (calls, items, deltas) is checked
against what the server sent. Only the chosen client's stack is imported (no attrs here: the
floor's figures must not carry another client's imports).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import resource
import socket
import sys
import time
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from . import data
from .clients import CLIENTS, BenchClient, Consume, Target, open_client
from .scenarios import Job

__all__ = ["main", "run_jobs"]


def server_cpu(stats_url: str) -> float:
    """The load server's CPU seconds so far (a raw HTTP/1.0 GET: no imports to skew RSS)."""
    url = urlsplit(stats_url)
    with socket.create_connection((url.hostname or "127.0.0.1", url.port or 80), timeout=10) as s:
        s.sendall(f"GET {url.path} HTTP/1.0\r\nHost: {url.netloc}\r\n\r\n".encode())
        chunks = []
        while chunk := s.recv(65536):
            chunks.append(chunk)
    _head, _, body = b"".join(chunks).partition(b"\r\n\r\n")
    cpu: float = json.loads(body)["cpu"]
    return cpu


def consumer(micros: float) -> Consume:
    """A consumer that works ``micros`` of CPU on each item, then lets the loop run."""
    seconds = micros / 1e6

    async def consume() -> None:
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            pass
        await asyncio.sleep(0)

    return consume


async def retrieve_many(client: BenchClient, n: int, concurrency: int) -> int:
    """``n`` retrieves: a plain loop for one task, else ``concurrency`` workers sharing them."""
    if concurrency <= 1:
        for _ in range(n):
            await client.retrieve()
        return n
    remaining = n

    async def worker() -> int:
        nonlocal remaining
        done = 0
        while remaining > 0:
            remaining -= 1
            await client.retrieve()
            done += 1
        return done

    return sum(await asyncio.gather(*(worker() for _ in range(concurrency))))


async def _operate(client: BenchClient, job: Job, *, warmup: bool) -> int:
    """Run the job's operation (or its warm-up); the count it produced."""
    if job.op == "retrieve":
        if warmup:
            if await client.retrieve() != data.ASSISTANT_ID:
                raise AssertionError("retrieve returned another assistant")
            return await retrieve_many(client, max(20, job.concurrency), job.concurrency)
        return await retrieve_many(client, job.n, job.concurrency)
    if job.op == "create":
        calls = 20 if warmup else job.n
        for _ in range(calls):
            await client.create()
        return calls
    if job.op == "list" or (job.op == "list_prefetch" and warmup):
        if warmup:  # one page
            return await client.list_items(job.thread_id, job.page_size, None, job.page_size)
        consume = consumer(job.consume_us) if job.consume_us else None
        return await client.list_items(job.thread_id, job.page_size, consume, None)
    if job.op == "list_prefetch":
        return await client.list_items_prefetch(
            job.thread_id, job.page_size, consumer(job.consume_us)
        )
    stream = client.stream_text if job.op == "stream_text" else client.stream_events
    total = 0
    for _ in range(1 if warmup else job.n):
        total += await stream()
    return total


async def run_job(name: str, job: Job, target: Target, stats_url: str) -> dict[str, Any]:
    """Warm up, time one job, and describe it as a JSON-able dict."""
    record: dict[str, Any] = {"client": name, "scenario": job.scenario, "op": job.op}
    client = await open_client(name, target, max_connections=job.concurrency)
    try:
        await _operate(client, job, warmup=True)
        server_before = server_cpu(stats_url)
        wall0, cpu0 = time.perf_counter(), time.process_time()
        count = await _operate(client, job, warmup=False)
        wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
        server_after = server_cpu(stats_url)
    finally:
        await client.aclose()
    if count != job.expect:
        raise AssertionError(f"{name} {job.scenario}: counted {count}, expected {job.expect}")
    return {
        **record,
        "wall_s": wall,
        "cpu_s": cpu,
        "count": count,
        "server_cpu_s": server_after - server_before,
        "rss_kib": peak_rss_kib(),
    }


def peak_rss_kib() -> int:
    """This process's peak RSS in KiB (``ru_maxrss`` counts bytes on macOS, KiB elsewhere)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak // 1024 if sys.platform == "darwin" else peak


async def run_jobs(name: str, jobs: Sequence[Job], urls: dict[str, str]) -> int:
    """Run the jobs in order, printing one JSON line each; the number that failed."""
    failures = 0
    for job in jobs:
        target = Target(
            base_url=urls["slow_base_url" if job.slow else "base_url"],
            api_key=data.API_KEY,
            assistant_id=data.ASSISTANT_ID,
            create_thread_id=data.CREATE_THREAD_ID,
            stream_thread_id=data.STREAM_THREAD_ID,
        )
        try:
            record = await run_job(name, job, target, urls["stats_url"])
        except Exception as exc:  # reported, and the other jobs still run
            failures += 1
            record = {
                "client": name,
                "scenario": job.scenario,
                "error": f"{type(exc).__name__}: {exc}",
            }
        print(json.dumps(record), flush=True)
    return failures


def pin(cpu: int | None) -> None:
    """Run on one CPU only (when the OS allows it)."""
    if cpu is not None and hasattr(os, "sched_setaffinity"):
        with contextlib.suppress(OSError):
            os.sched_setaffinity(0, {cpu})


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.client_main", description=__doc__)
    parser.add_argument("--client", required=True, choices=sorted(CLIENTS))
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--slow-base-url", help="the port that delays list pages (default: same)")
    parser.add_argument("--stats-url", required=True)
    parser.add_argument("--job", action="append", required=True, help="a Job as JSON; repeatable")
    parser.add_argument("--uvloop", action="store_true", help="run on uvloop")
    parser.add_argument("--cpu", type=int, help="pin this process to one CPU")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    pin(args.cpu)
    jobs = [Job(**json.loads(text)) for text in args.job]
    urls = {
        "base_url": args.base_url,
        "slow_base_url": args.slow_base_url or args.base_url,
        "stats_url": args.stats_url,
    }
    if args.uvloop:
        import uvloop

        failures = uvloop.run(run_jobs(args.client, jobs, urls))
    else:
        failures = asyncio.run(run_jobs(args.client, jobs, urls))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
