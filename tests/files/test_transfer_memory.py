"""A 200 MB upload (through the Uploads API, in parts) and download keep the client's memory flat.

The fake server runs in this process and keeps the bytes; the client runs in a child process
that reports its own resident memory before the transfers and at its peak. The peak is the
kernel's high-water mark of the child's own address space (``VmHWM``): ``ru_maxrss`` would not
do, as Linux carries it over from the parent through ``fork`` and ``exec``, and the parent here
holds the 200 MB the fake server stored.
"""

from __future__ import annotations

import asyncio
import json
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from openai_assistants.testing import FakeAssistantsServer

SIZE = 200 * 1024 * 1024
LIMIT = 60 * 1024 * 1024

CHILD = textwrap.dedent(
    """
    import asyncio, json, resource, sys
    from pathlib import Path
    from openai_assistants import AssistantsClient

    def rss() -> int:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * resource.getpagesize()

    def high_water_mark() -> int:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
        raise RuntimeError("no VmHWM")

    async def main(base_url, api_key, source, target):
        async with AssistantsClient(api_key=api_key, base_url=base_url) as client:
            await client.vector_stores.list().to_list()  # warm: session, pool, models
            before = rss()
            file = await client.files.upload(Path(source), purpose="assistants")
            after_upload = high_water_mark()
            await client.files.download(file.id, target)
            peak = high_water_mark()
        print(json.dumps({"before": before, "after_upload": after_upload, "peak": peak,
                          "file_id": file.id, "bytes": file.bytes}))

    asyncio.run(main(*sys.argv[1:]))
    """
)


@pytest.mark.slow
async def test_a_200_mb_upload_and_download_stay_under_60_mib_of_extra_memory(
    tmp_path: Path, record_figures: Callable[[str, dict[str, Any]], Path]
) -> None:
    source = tmp_path / "big.bin"
    with source.open("wb") as writer:  # varied bytes, written a MiB at a time
        block = bytes(range(256)) * 4096
        for index in range(SIZE // len(block)):
            writer.write(block[index % 256 :] + block[: index % 256])
    target = tmp_path / "copy.bin"
    async with FakeAssistantsServer() as server:
        child = await asyncio.create_subprocess_exec(
            sys.executable,
            "-c",
            CHILD,
            server.base_url,
            server.api_key,
            str(source),
            str(target),
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        out, err = await asyncio.wait_for(child.communicate(), timeout=300)
        assert child.returncode == 0, err.decode()
        report = json.loads(out.decode().splitlines()[-1])
        parts = server.state.store.upload_parts_received()
    assert report["bytes"] == SIZE
    assert target.stat().st_size == SIZE
    assert target.read_bytes() == source.read_bytes()
    assert parts >= SIZE // (16 * 1024 * 1024)  # it went through the Uploads API, in parts
    upload_extra = report["after_upload"] - report["before"]
    extra = report["peak"] - report["before"]
    assert upload_extra < LIMIT, f"upload: {upload_extra / 2**20:.1f} MiB, over the budget"
    assert extra < LIMIT, f"{extra / 2**20:.1f} MiB over the {LIMIT / 2**20:.0f} MiB budget"
    record_figures(
        "transfer_memory",
        {
            "bytes": SIZE,
            "extra_rss_after_upload_mib": round(upload_extra / 2**20, 1),
            "extra_rss_peak_mib": round(extra / 2**20, 1),
            "budget_mib": LIMIT / 2**20,
            "upload_parts": parts,
        },
    )
