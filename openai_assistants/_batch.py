"""The batch runner: ``await client.batch.map(fn, items, concurrency=50)``.

Like ``asyncio.gather(*(fn(item) for item in items), return_exceptions=True)``, but bounded:
``concurrency`` workers take the items one by one as they finish the last (no task per item up
front, so 100,000 items cost 50 tasks), results come back in input order with each failure in
its place, and progress is reported as it goes. Cancelling the awaiting task cancels the whole
batch: the items in flight are cancelled and nothing more starts.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import time
from collections.abc import Awaitable, Callable, Iterable, Iterator, Sequence
from typing import Any, Generic, TypeVar, overload

import attrs

__all__ = ["Batch", "BatchProgress", "BatchResults"]

T = TypeVar("T")
R = TypeVar("R")

logger = logging.getLogger("openai_assistants")

#: Seconds between the log lines of a batch without a progress bar.
LOG_EVERY = 10.0


@attrs.frozen
class BatchProgress:
    """Where a batch stands: handed to ``on_progress`` after each item."""

    done: int
    failed: int
    #: ``None`` when the items were an iterator of unknown length.
    total: int | None
    elapsed: float


class BatchResults(Sequence["R | BaseException"], Generic[R]):
    """The results in input order: each item's value, or the exception it raised."""

    def __init__(self, results: list[R | BaseException]) -> None:
        self._results = results

    @overload
    def __getitem__(self, index: int) -> R | BaseException: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[R | BaseException]: ...
    def __getitem__(self, index: int | slice) -> Any:
        return self._results[index]

    def __len__(self) -> int:
        return len(self._results)

    def __repr__(self) -> str:
        return f"<BatchResults {len(self)} items, {len(self.errors)} failed>"

    @property
    def errors(self) -> list[tuple[int, BaseException]]:
        """``(index, exception)`` of each item that failed."""
        return [(i, r) for i, r in enumerate(self._results) if isinstance(r, BaseException)]

    def values(self) -> list[R]:
        """The values, if every item succeeded; else the first failure is raised."""
        for _, error in self.errors[:1]:
            raise error
        return list(self._results)  # type: ignore[arg-type]  # no exception left in it


class Batch:
    """``client.batch``: run a coroutine function over many items, a bounded number at a time."""

    async def map(
        self,
        fn: Callable[[T], Awaitable[R]],
        items: Iterable[T],
        *,
        concurrency: int = 50,
        on_progress: Callable[[BatchProgress], None] | None = None,
        progress_bar: bool | None = None,
        stop_on_error: bool = False,
    ) -> BatchResults[R]:
        """Run ``fn(item)`` for each item, at most ``concurrency`` at once.

        Failures are kept in place (``results.errors``); ``stop_on_error=True`` cancels the rest
        at the first one and raises it. ``on_progress`` is called after each item.
        ``progress_bar``: a ``tqdm`` bar (the ``progress`` extra) when ``True``, none when
        ``False``; by default one when ``tqdm`` is installed and stderr is a terminal. Without a
        bar, a line is logged (INFO, the ``openai_assistants`` logger) every 10 seconds.
        """
        if isinstance(concurrency, bool) or not isinstance(concurrency, int) or concurrency < 1:
            raise ValueError(f"concurrency must be an int >= 1, got {concurrency!r}")
        if not callable(fn):
            raise TypeError(f"fn must be a coroutine function, got {type(fn).__name__}")
        total = len(items) if isinstance(items, Sequence) else None
        results: list[R | BaseException] = []
        source: Iterator[tuple[int, T]] = enumerate(items)
        report = _Reporter(total, on_progress, progress_bar)
        first_error: list[BaseException] = []

        async def work() -> None:
            for index, item in source:  # shared: each worker takes the next item
                while len(results) <= index:
                    results.append(_PENDING)
                try:
                    results[index] = await fn(item)
                except Exception as exc:
                    results[index] = exc
                    report.failed += 1
                    if stop_on_error:
                        first_error.append(exc)
                        raise
                report.advance()

        workers = [asyncio.ensure_future(work()) for _ in range(concurrency)]
        try:
            await asyncio.gather(*workers)
        except BaseException:
            for worker in workers:
                worker.cancel()
            await asyncio.gather(*workers, return_exceptions=True)
            if first_error:
                raise first_error[0] from None
            raise
        finally:
            report.close()
        return BatchResults(results)


_PENDING: Any = object()


class _Reporter:
    """Progress: the callback, a tqdm bar or periodic log lines."""

    def __init__(
        self,
        total: int | None,
        callback: Callable[[BatchProgress], None] | None,
        bar: bool | None,
    ) -> None:
        self.total = total
        self.done = 0
        self.failed = 0
        self._callback = callback
        self._started = self._logged = time.monotonic()
        self._bar: Any = None
        if bar is None:
            bar = sys.stderr.isatty() and _tqdm_installed()
        if bar:
            from tqdm.auto import tqdm  # the optional "progress" extra

            self._bar = tqdm(total=total, unit="item")

    def advance(self) -> None:
        self.done += 1
        now = time.monotonic()
        if self._callback is not None:
            self._callback(BatchProgress(self.done, self.failed, self.total, now - self._started))
        if self._bar is not None:
            self._bar.update(1)
            if self.failed:
                self._bar.set_postfix(failed=self.failed, refresh=False)
        elif now - self._logged >= LOG_EVERY:
            self._logged = now
            of = f"/{self.total}" if self.total is not None else ""
            logger.info("batch: %d%s done, %d failed", self.done, of, self.failed)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()


def _tqdm_installed() -> bool:
    import importlib.util

    return importlib.util.find_spec("tqdm") is not None
