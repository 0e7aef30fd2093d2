"""The benchmark harness at tiny sizes, so it never rots.

It runs every scenario for all three clients (one round, a handful of calls, one process per
client) and draws the chart into a temporary directory. It checks the structure of the result
only: timings on a shared machine prove nothing, so no assertion looks at one.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

# The harness lives next to the package; pytest's ``pythonpath`` puts the repository root on
# sys.path.
from benchmarks import data
from benchmarks.clients import CLIENT_NAMES
from benchmarks.report import PAIRS, TARGETS, format_table
from benchmarks.run import IMPORTS, Options, run
from benchmarks.scenarios import Sizes, build_jobs
from benchmarks.server import ThreadStore

#: Seconds, not milliseconds (a server and a process per client): not in the ``-m "not slow"`` loop.
pytestmark = pytest.mark.slow

RATIO_NAMES = {f"{a}/{b}" for a, b in PAIRS}


def _positive(summary: dict[str, Any]) -> bool:
    return all(summary[key] > 0 for key in ("median", "min", "max"))


def test_every_scenario_and_client_is_measured(tmp_path: Path) -> None:
    log: list[str] = []
    sizes = Sizes.tiny()
    result = run(Options(sizes=sizes, out_dir=tmp_path, batch=True, log=log.append))

    assert result["errors"] == [], result["errors"]
    assert [s["id"] for s in result["scenarios"]] == [j.scenario for j in build_jobs(sizes)]
    for scenario in result["scenarios"]:
        assert scenario["na"] in ([], ["openai"])
        for metric in scenario["metrics"]:
            assert set(metric["ratios"]) == RATIO_NAMES
            for client in CLIENT_NAMES:
                value = metric["values"][client]
                if client in scenario["na"]:
                    assert value is None
                elif metric["name"] == "server_cpu_share":
                    assert value["median"] >= 0
                else:
                    assert _positive(value), (scenario["id"], metric["name"], client)
            for name, ratio in metric["ratios"].items():
                if not set(name.split("/")) & set(scenario["na"]):
                    assert ratio is not None, (scenario["id"], metric["name"], name)
                    if metric["name"] != "server_cpu_share":
                        assert _positive(ratio)

    scaling = result["scaling"]
    assert set(scaling["throughput_by_concurrency"]) == {str(n) for n in sizes.scaling_levels}
    assert set(scaling["list_time_by_size"]) == {str(n) for n in sizes.scaling_lists}
    for point in [*scaling["throughput_by_concurrency"].values()]:
        assert all(_positive(point["calls_per_s"][c]) for c in CLIENT_NAMES)
    assert set(result["imports"]) == set(IMPORTS)
    for entry in result["imports"].values():
        assert _positive(entry["total_ms"])
    assert all(_positive(result["rss"]["peak_mib"][c]) for c in CLIENT_NAMES)
    assert set(result["rss"]["ratios"]) == RATIO_NAMES
    assert result["server"]["cpu_share"]["median"] >= 0
    assert result["prefetch_speedup"]["openai"] is None
    assert _positive(result["prefetch_speedup"]["floor"])

    assert [t["name"] for t in result["targets"]] == [t.name for t in TARGETS]
    for target in result["targets"]:
        assert target["status"] in ("PASS", "FAIL", "n/a")
        assert {"measured", "min", "max", "goal", "score"} <= set(target)
        if target["status"] != "n/a":
            assert isinstance(target["measured"], float)

    written = json.loads((tmp_path / "latest.json").read_text())
    assert written["targets"] == result["targets"]
    png = (tmp_path / "latest.png").read_bytes()
    assert png.startswith(b"\x89PNG")
    assert len(png) > 1000
    table = format_table(result)
    for scenario in result["scenarios"]:
        assert scenario["title"] in table
    assert "load server CPU" in table
    assert any("round 1/1" in line for line in log)


def test_load_server_cursors_walk_both_ways() -> None:
    thread_id = data.list_thread_id(25)
    store = ThreadStore(thread_id, 25)
    ids = [data.message(thread_id, i)["id"] for i in range(25)]

    def page(**query: str) -> dict[str, Any]:
        head, _, body = store.page(query).partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 200")
        parsed: dict[str, Any] = json.loads(body)
        return parsed

    first = page(limit="10", order="asc")
    assert [m["id"] for m in first["data"]] == ids[:10]
    assert (first["first_id"], first["last_id"], first["has_more"]) == (ids[0], ids[9], True)
    last = page(limit="10", order="asc", after=ids[19])
    assert [m["id"] for m in last["data"]] == ids[20:]
    assert last["has_more"] is False
    newest = page(limit="10")  # desc by default
    assert [m["id"] for m in newest["data"]] == ids[::-1][:10]
    back = page(limit="10", order="asc", before=ids[5])
    assert [m["id"] for m in back["data"]] == ids[:5]
    assert back["has_more"] is False
    older = page(limit="3", order="desc", after=ids[10])
    assert [m["id"] for m in older["data"]] == [ids[9], ids[8], ids[7]]
    assert store.page({"after": "msg_nope"}).startswith(b"HTTP/1.1 400")


def test_the_batch_benchmark_measures_both_sides(tmp_path: Path) -> None:
    from benchmarks import batch

    sizes = ["--rate", "200", "--calls", "120", "--concurrency", "30", "--items", "500"]
    batch.main([*sizes, "--out", str(tmp_path)])
    result = json.loads((tmp_path / "batch.json").read_text())
    on, off = result["rate_limit"]["runs"]
    assert (on["coordinator"], off["coordinator"]) == ("on", "off")
    assert on["failed"] == 0
    assert all(run["requests"] >= 120 for run in (on, off))
    mapped, gathered = result["admission"]
    assert (mapped["runner"], gathered["runner"]) == ("batch.map", "asyncio.gather")
    assert (mapped["most_in_flight"], gathered["most_in_flight"]) == (50, 500)
