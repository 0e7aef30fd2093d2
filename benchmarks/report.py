"""From raw job records to figures: medians with min-max, paired ratios, targets, table, chart.

Every figure is the median over rounds with its min and max. A ratio between two clients is
paired by round (the clients ran back to back in the same round) and is likewise summarized as
median with min-max, so a slow stretch of the machine hits both sides of a ratio.
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from .scenarios import concurrency_scenario, list_scenario

__all__ = [
    "PAIRS",
    "TARGETS",
    "build_report",
    "draw_chart",
    "format_markdown",
    "format_table",
    "main",
    "write_json",
]

Better = Literal["lower", "higher"]
#: (name, unit, better) of one metric.
Metric = tuple[str, str, Better]

PAIRS: tuple[tuple[str, str], ...] = (("ours", "floor"), ("ours", "openai"), ("openai", "floor"))

#: The cold-import baseline the import target is measured against.
BASELINE = "aiohttp+attrs+cattrs"

# The metrics each operation yields; the first is its headline (the chart's and the Markdown's).
_CALL_METRICS: tuple[Metric, ...] = (
    ("cpu_per_call_us", "us", "lower"),
    ("wall_per_call_us", "us", "lower"),
    ("calls_per_s", "1/s", "higher"),
)
_LIST_METRICS: tuple[Metric, ...] = (
    ("items_per_s", "1/s", "higher"),
    ("wall_s", "s", "lower"),
    ("cpu_per_item_us", "us", "lower"),
)
_STREAM_METRICS: tuple[Metric, ...] = (
    ("deltas_per_s", "1/s", "higher"),
    ("cpu_per_delta_us", "us", "lower"),
)
_COMMON_METRICS: tuple[Metric, ...] = (
    ("rss_mib", "MiB", "lower"),
    ("server_cpu_share", "", "lower"),
)
METRICS: dict[str, tuple[Metric, ...]] = {
    "retrieve": _CALL_METRICS,
    "create": _CALL_METRICS,
    "list": _LIST_METRICS,
    "list_prefetch": _LIST_METRICS,
    "stream_text": _STREAM_METRICS,
    "stream_events": _STREAM_METRICS,
}
#: How the Markdown table names each headline metric.
_HEADLINE_LABELS = {
    "cpu_per_call_us": "CPU per call [us]",
    "items_per_s": "items/s",
    "deltas_per_s": "deltas/s",
}


def _headline(op: str) -> str:
    """The metric that stands for an operation in the chart and the Markdown table."""
    return METRICS[op][0][0]


def metric_values(record: Mapping[str, Any]) -> dict[str, float]:
    """The metrics of one job record (count, wall and CPU turned into rates and unit costs)."""
    count, wall, cpu = record["count"], record["wall_s"], record["cpu_s"]
    values = {
        "rss_mib": record["rss_kib"] / 1024,
        "server_cpu_share": record["server_cpu_s"] / wall,
    }
    op = record["op"]
    if op in ("retrieve", "create"):
        values |= {
            "cpu_per_call_us": cpu / count * 1e6,
            "wall_per_call_us": wall / count * 1e6,
            "calls_per_s": count / wall,
        }
    elif op in ("list", "list_prefetch"):
        values |= {
            "items_per_s": count / wall,
            "wall_s": wall,
            "cpu_per_item_us": cpu / count * 1e6,
        }
    else:
        values |= {"deltas_per_s": count / wall, "cpu_per_delta_us": cpu / count * 1e6}
    return values


def summarize(samples: Sequence[float]) -> dict[str, Any]:
    """Median, min, max (and the samples) of a non-empty sequence."""
    return {
        "median": statistics.median(samples),
        "min": min(samples),
        "max": max(samples),
        "samples": list(samples),
    }


def paired_ratio(left: Mapping[int, float], right: Mapping[int, float]) -> dict[str, Any] | None:
    """``left / right`` round by round (rounds both have), summarized; None without a pair."""
    ratios = [left[r] / right[r] for r in sorted(left) if r in right and right[r] > 0]
    return summarize(ratios) if ratios else None


@dataclass(frozen=True)
class TargetSpec:
    """One row of the issue's target table."""

    name: str
    kind: Literal["ratio", "prefetch", "import", "rss"]
    scenario: str = ""
    metric: str = ""
    pair: tuple[str, str] = ("ours", "floor")
    op: Literal["<=", ">="] = "<="
    goal: float = 1.0


def _cpu_targets(scenario: str) -> list[TargetSpec]:
    label = f"({scenario}) client CPU per request"
    metric = "cpu_per_call_us"
    return [
        TargetSpec(
            f"{label}: ours / floor", "ratio", scenario, metric, ("ours", "floor"), "<=", 1.15
        ),
        TargetSpec(
            f"{label}: openai / ours", "ratio", scenario, metric, ("openai", "ours"), ">=", 6
        ),
    ]


_HIGH = "(d) stream deltas/s, high-level"
_LOW = "(d) stream deltas/s, event iterator"
#: The goals of the second speed round (issue 14); the first round's were looser.
TARGETS: tuple[TargetSpec, ...] = (
    *_cpu_targets("a"),
    *_cpu_targets("b"),
    *_cpu_targets("e"),
    TargetSpec("(c) list items/s: ours / floor", "ratio", "c", "items_per_s", op=">=", goal=0.6),
    TargetSpec(
        "(c) list items/s: ours / openai", "ratio", "c", "items_per_s", ("ours", "openai"), ">=", 12
    ),
    TargetSpec(f"{_HIGH}: ours / floor", "ratio", "d-high", "deltas_per_s", op=">=", goal=0.75),
    TargetSpec(
        f"{_HIGH}: ours / openai", "ratio", "d-high", "deltas_per_s", ("ours", "openai"), ">=", 20
    ),
    TargetSpec(f"{_LOW}: ours / floor", "ratio", "d-low", "deltas_per_s", op=">=", goal=0.6),
    TargetSpec(
        "(g) 512 concurrent tasks, calls/s: ours / floor",
        "ratio",
        "g-c512",
        "calls_per_s",
        op=">=",
        goal=0.95,
    ),
    TargetSpec(
        "(g) list 100,000 messages, time: ours / floor",
        "ratio",
        "g-l100000",
        "wall_s",
        op="<=",
        goal=1.6,
    ),
    TargetSpec("(f) ours: prefetch off time / on time", "prefetch", op=">=", goal=1.8),
    TargetSpec(f"import: ours - ({BASELINE}) [ms]", "import", op="<=", goal=35.0),
    TargetSpec("peak RSS: ours / floor", "rss", op="<=", goal=1.1),
)


def _by_round(
    records: Iterable[Mapping[str, Any]], scenario: str, client: str, metric: str
) -> dict[int, float]:
    return {
        r["round"]: metric_values(r)[metric]
        for r in records
        if r["scenario"] == scenario and r["client"] == client and "wall_s" in r
    }


def _scenario_report(
    records: Sequence[Mapping[str, Any]],
    scenario: str,
    clients: Sequence[str],
    sizes: Mapping[str, Any],
) -> dict[str, Any]:
    mine = [r for r in records if r["scenario"] == scenario]
    op = next(r["op"] for r in mine if "op" in r)
    metrics = []
    for name, unit, better in (*METRICS[op], *_COMMON_METRICS):
        per_client = {c: _by_round(mine, scenario, c, name) for c in clients}
        metrics.append(
            {
                "name": name,
                "unit": unit,
                "better": better,
                "values": _summaries(per_client),
                "ratios": _ratios(per_client),
            }
        )
    na = sorted({r["client"] for r in mine if r.get("na")})
    title = _title(scenario, sizes)
    return {"id": scenario, "title": title, "op": op, "metrics": metrics, "na": na}


def _title(scenario: str, sizes: Mapping[str, Any]) -> str:
    """A scenario's title, with the sizes it ran at."""
    slow = "(f) list, slow pages + busy consumer"
    titles = {
        "a": "(a) sequential retrieves",
        "b": f"(b) retrieves, {sizes['concurrency']} concurrent tasks",
        "c": f"(c) list all messages, page size {sizes['page_size']}",
        "d-high": "(d) streamed runs, high-level API",
        "d-low": "(d) streamed runs, low-level event iterator",
        "e": "(e) sequential message creates",
        "f-off": f"{slow}, prefetch off",
        "f-on": f"{slow}, prefetch on",
    }
    if scenario in titles:
        return titles[scenario]
    if scenario.startswith("g-c"):
        return f"(g) retrieves, {scenario[3:]} concurrent tasks"
    return f"(g) list all of a {int(scenario[3:]):,}-message thread"


def _summaries(per_client: Mapping[str, Mapping[int, float]]) -> dict[str, Any]:
    return {c: summarize(list(v.values())) if v else None for c, v in per_client.items()}


def _ratios(per_client: Mapping[str, Mapping[int, float]]) -> dict[str, Any]:
    return {
        f"{a}/{b}": paired_ratio(per_client[a], per_client[b])
        for a, b in PAIRS
        if a in per_client and b in per_client
    }


def _scaling(
    records: Sequence[Mapping[str, Any]], sizes: Mapping[str, Any], clients: Sequence[str]
) -> dict[str, Any]:
    """Scenario (g) gathered: throughput by concurrency, list time by thread size."""
    concurrency: dict[str, Any] = {}
    for level in sizes["scaling_levels"]:
        scenario = concurrency_scenario(level, sizes["concurrency"])
        per_client = {c: _by_round(records, scenario, c, "calls_per_s") for c in clients}
        concurrency[str(level)] = {
            "scenario": scenario,
            "calls_per_s": _summaries(per_client),
            "ratios": _ratios(per_client),
        }
    lists: dict[str, Any] = {}
    for size in sizes["scaling_lists"]:
        scenario = list_scenario(size, sizes["list_size"])
        per_client = {c: _by_round(records, scenario, c, "wall_s") for c in clients}
        lists[str(size)] = {
            "scenario": scenario,
            "wall_s": _summaries(per_client),
            "ratios": _ratios(per_client),
        }
    return {"throughput_by_concurrency": concurrency, "list_time_by_size": lists}


def _prefetch(records: Sequence[Mapping[str, Any]], clients: Sequence[str]) -> dict[str, Any]:
    """Scenario (f): off time / on time per client, paired by round (None: no prefetch)."""
    result: dict[str, Any] = {}
    for client in clients:
        off = _by_round(records, "f-off", client, "wall_s")
        on = _by_round(records, "f-on", client, "wall_s")
        result[client] = paired_ratio(off, on)
    return result


def _imports(samples: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    variants: dict[str, dict[str, list[float]]] = {}
    for sample in samples:
        entry = variants.setdefault(
            sample["variant"], {"total_ms": [], "import_ms": [], "first_use_ms": []}
        )
        entry["import_ms"].append(sample["import_s"] * 1000)
        entry["first_use_ms"].append(sample["first_use_s"] * 1000)
        entry["total_ms"].append((sample["import_s"] + sample["first_use_s"]) * 1000)
    return {
        name: {key: summarize(values) for key, values in entry.items()}
        for name, entry in variants.items()
    }


def _import_totals(samples: Sequence[Mapping[str, Any]]) -> dict[str, dict[int, float]]:
    """Import + first use in seconds: variant -> {sample index: seconds}."""
    totals: dict[str, dict[int, float]] = {}
    for sample in samples:
        by_sample = totals.setdefault(sample["variant"], {})
        by_sample[sample["sample"]] = sample["import_s"] + sample["first_use_s"]
    return totals


def _import_ratios(samples: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Import + first use, ``a / b``, paired by sample (the variants ran back to back)."""
    totals = _import_totals(samples)
    pairs = [*PAIRS, ("ours", BASELINE)]
    return {
        f"{a}/{b}": paired_ratio(totals[a], totals[b])
        for a, b in pairs
        if a in totals and b in totals
    }


def _rss(records: Sequence[Mapping[str, Any]], clients: Sequence[str]) -> dict[str, Any]:
    """Peak RSS per client: the largest of its job processes, per round."""
    per_client: dict[str, dict[int, float]] = {}
    for client in clients:
        rounds: dict[int, float] = {}
        for r in records:
            if r["client"] == client and "rss_kib" in r:
                rounds[r["round"]] = max(rounds.get(r["round"], 0.0), r["rss_kib"] / 1024)
        per_client[client] = rounds
    return {"peak_mib": _summaries(per_client), "ratios": _ratios(per_client)}


def _server(records: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    shares: list[float] = []
    by_scenario: dict[str, float] = {}
    for r in records:
        if "wall_s" in r:
            share = r["server_cpu_s"] / r["wall_s"]
            shares.append(share)
            by_scenario[r["scenario"]] = max(by_scenario.get(r["scenario"], 0.0), share)
    return {
        "cpu_share": summarize(shares) if shares else None,
        "max_cpu_share_by_scenario": by_scenario,
    }


def _judge(
    spec: TargetSpec,
    report: Mapping[str, Any],
    records: Sequence[Mapping[str, Any]],
    import_samples: Sequence[Mapping[str, Any]],
) -> dict[str, Any]:
    """Measure one target; ``score`` >= 1 means it is met (for the chart)."""
    measured: dict[str, Any] | None = None
    base_ms = 0.0  # import: the baseline's median import + first use
    if spec.kind == "ratio":
        left = _by_round(records, spec.scenario, spec.pair[0], spec.metric)
        right = _by_round(records, spec.scenario, spec.pair[1], spec.metric)
        measured = paired_ratio(left, right)
    elif spec.kind == "prefetch":
        measured = report["prefetch_speedup"].get("ours")
    elif spec.kind == "import":
        # Paired by sample like the ratios: the variants ran back to back.
        totals = _import_totals(import_samples)
        ours, base = totals.get("ours", {}), totals.get(BASELINE, {})
        differences = [(ours[s] - base[s]) * 1000 for s in sorted(ours) if s in base]
        if differences:
            measured = summarize(differences)
            base_ms = statistics.median(base.values()) * 1000
    else:
        measured = report["rss"]["ratios"].get("ours/floor")
    row: dict[str, Any] = {"name": spec.name, "goal": f"{spec.op} {spec.goal:g}"}
    if measured is None:
        return {**row, "measured": None, "min": None, "max": None, "score": None, "status": "n/a"}
    value = measured["median"]
    ok = value <= spec.goal if spec.op == "<=" else value >= spec.goal
    if spec.kind == "import":  # totals, not the difference: the allowed total / the measured
        score = (base_ms + spec.goal) / (base_ms + value)
    elif spec.op == ">=":
        score = value / spec.goal
    else:
        score = spec.goal / value if value > 0 else math.inf
    return {
        **row,
        "measured": value,
        "min": measured["min"],
        "max": measured["max"],
        "score": score,
        "status": "PASS" if ok else "FAIL",
    }


def build_report(
    records: Sequence[Mapping[str, Any]],
    import_samples: Sequence[Mapping[str, Any]],
    *,
    clients: Sequence[str],
    sizes: Mapping[str, Any],
    meta: Mapping[str, Any],
) -> dict[str, Any]:
    """The whole result: per scenario, imports, RSS, the server's share, and the targets."""
    ok = [r for r in records if "error" not in r]
    order: list[str] = []
    for r in ok:
        if r["scenario"] not in order and "op" in r:
            order.append(r["scenario"])
    report: dict[str, Any] = {
        "meta": dict(meta),
        "sizes": dict(sizes),
        "clients": list(clients),
        "scenarios": [_scenario_report(ok, s, clients, sizes) for s in order],
        "scaling": _scaling(ok, sizes, clients),
        "prefetch_speedup": _prefetch(ok, clients),
        "imports": _imports(import_samples),
        "import_ratios": _import_ratios(import_samples),
        "rss": _rss(ok, clients),
        "server": _server(ok),
        "errors": [r for r in records if "error" in r],
        "records": list(records),
        "import_samples": list(import_samples),
    }
    report["targets"] = [_judge(spec, report, ok, import_samples) for spec in TARGETS]
    return report


# -- output -------------------------------------------------------------------------------------


def _num(value: float | None) -> str:
    if value is None or math.isnan(value):
        return "-"
    magnitude = abs(value)
    if magnitude >= 1000:
        return f"{value:,.0f}"
    if magnitude >= 100:
        return f"{value:.0f}"
    if magnitude >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def _spread(summary: Mapping[str, Any] | None) -> str:
    if summary is None:
        return "n/a"
    return f"{_num(summary['median'])} ({_num(summary['min'])}-{_num(summary['max'])})"


def _ratio(summary: Mapping[str, Any] | None) -> str:
    return "n/a" if summary is None else f"{summary['median']:.2f}x"


def _scaling_rows(
    report: Mapping[str, Any], clients: Sequence[str], pairs: Sequence[str]
) -> list[tuple[str, str, list[str]]]:
    """Scenario (g)'s points: (label, unit, cells)."""
    scaling = report["scaling"]
    rows = []
    for level, point in scaling["throughput_by_concurrency"].items():
        cells = [_spread(point["calls_per_s"].get(c)) for c in clients]
        cells += [_ratio(point["ratios"].get(p)) for p in pairs]
        rows.append((f"throughput, {level} task{'s' if int(level) != 1 else ''}", "calls/s", cells))
    for size, point in scaling["list_time_by_size"].items():
        cells = [_spread(point["wall_s"].get(c)) for c in clients]
        cells += [_ratio(point["ratios"].get(p)) for p in pairs]
        rows.append((f"list {int(size):,} messages", "s", cells))
    return rows


def _measured(target: Mapping[str, Any]) -> str:
    """A target's measured median and its min-max."""
    if target["measured"] is None:
        return "n/a"
    return f"{_num(target['measured'])} ({_num(target['min'])}-{_num(target['max'])})"


def _sdk_line(meta: Mapping[str, Any]) -> str:
    sdk = meta.get("sdk") or {}
    changes = " + uncommitted changes" if sdk.get("uncommitted_changes") else ""
    load = meta.get("load_average") or [None, None]
    return (
        f"openai_assistants from the {sdk.get('source', '?')} at {sdk.get('commit')}{changes} "
        f"(sources {sdk.get('sources_sha256')}); {meta.get('rounds')} rounds, "
        f"{meta.get('loop')} loop, {meta.get('date')}; load average {load[0]} before, "
        f"{load[1]} after"
    )


def format_table(report: Mapping[str, Any]) -> str:
    """The printed result: every figure, its ratios, the targets, the server's CPU share."""
    clients: list[str] = report["clients"]
    pairs = [f"{a}/{b}" for a, b in PAIRS if a in clients and b in clients]
    header = ["metric", *clients, *pairs]
    rows: list[list[str]] = []
    sections: list[tuple[str, list[list[str]]]] = []
    for scenario in report["scenarios"]:
        rows = []
        for metric in scenario["metrics"]:
            unit = f" [{metric['unit']}]" if metric["unit"] else ""
            rows.append(
                [
                    f"{metric['name']}{unit}",
                    *(_spread(metric["values"].get(c)) for c in clients),
                    *(_ratio(metric["ratios"].get(p)) for p in pairs),
                ]
            )
        sections.append((scenario["title"], rows))
    imports, import_ratios = report["imports"], report["import_ratios"]
    rows = [
        [
            f"{label} [ms]",
            *(_spread(imports[c][key]) if c in imports else "n/a" for c in clients),
            *(_ratio(import_ratios.get(p)) if key == "total_ms" else "" for p in pairs),
        ]
        for key, label in (
            ("total_ms", "import + first use"),
            ("import_ms", "import alone"),
            ("first_use_ms", "first use alone"),
        )
    ]
    if BASELINE in imports:
        rows.append(
            [
                f"  baseline {BASELINE} alone: {_spread(imports[BASELINE]['total_ms'])} ms; "
                f"ours / baseline {_ratio(import_ratios.get(f'ours/{BASELINE}'))}"
            ]
        )
    sections.append(("cold import (fresh interpreters; floor = aiohttp + orjson)", rows))
    scaling_rows = [
        [f"{label} [{unit}]", *cells]
        for label, unit, cells in _scaling_rows(report, clients, pairs)
    ]
    concurrency = report["sizes"]["concurrency"]
    sections.append(
        (f"(g) scaling (the points at 1 and {concurrency} tasks are (a) and (b))", scaling_rows)
    )
    rss = report["rss"]
    sections.append(
        (
            "peak RSS of a client process [MiB]",
            [
                [
                    "peak RSS",
                    *(_spread(rss["peak_mib"].get(c)) for c in clients),
                    *(_ratio(rss["ratios"].get(p)) for p in pairs),
                ]
            ],
        )
    )
    speedups = report["prefetch_speedup"]
    sections.append(
        (
            "(f) prefetch speed-up: off time / on time",
            [["speed-up", *(_ratio(speedups.get(c)) for c in clients)]],
        )
    )
    widths = [max(len(header[0]), *(len(r[0]) for _, rs in sections for r in rs if len(r) > 1))]
    for i in range(1, len(header)):
        cells = [r[i] for _, rs in sections for r in rs if len(r) > i]
        widths.append(max(len(header[i]), *(len(c) for c in cells)) if cells else len(header[i]))
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))]
    for title, section_rows in sections:
        lines.append("")
        lines.append(title)
        for row in section_rows:
            lines.append("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=False)))
    lines += ["", "targets (ratios paired by round: median (min-max))"]
    name_width = max(len(t["name"]) for t in report["targets"])
    for target in report["targets"]:
        lines.append(
            f"  {target['name'].ljust(name_width)}  {_measured(target).ljust(22)}  "
            f"goal {target['goal'].ljust(8)}  {target['status']}"
        )
    server = report["server"]["cpu_share"]
    if server is not None:
        worst = max(report["server"]["max_cpu_share_by_scenario"].items(), key=lambda kv: kv[1])
        lines += [
            "",
            f"load server CPU (share of one core while a client was timed): median "
            f"{server['median']:.0%}, max {server['max']:.0%} (in {worst[0]})",
        ]
    lines.append(_sdk_line(report["meta"]))
    for error in report["errors"]:
        lines.append(f"ERROR {error['client']} {error['scenario']}: {error['error']}")
    return "\n".join(lines)


def write_json(report: Mapping[str, Any], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=1, sort_keys=False) + "\n")


def _speed(metric: Mapping[str, Any], client: str) -> float | None:
    """How many times faster than the floor ``client`` is on this metric (1 = the floor)."""
    ratio = metric["ratios"].get(f"{client}/floor")
    if ratio is None:
        return None
    value: float = ratio["median"]
    return value if metric["better"] == "higher" else 1 / value


def _label_bars(
    axes: Any, positions: Sequence[float], values: Sequence[float], shift: float
) -> None:
    for position, value in zip(positions, values, strict=True):
        if math.isfinite(value):
            axes.annotate(
                f"{value:.2g}x",
                (value, position + shift),
                xytext=(3, 0),
                textcoords="offset points",
                va="center",
                fontsize=7,
            )


def draw_chart(report: Mapping[str, Any], path: Path) -> None:
    """Two panels: speed relative to the floor per scenario, and each target against its goal."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib import ticker

    labels: list[str] = []
    ours: list[float] = []
    official: list[float] = []
    for scenario in report["scenarios"]:
        wanted = _headline(scenario["op"])
        metric = next(m for m in scenario["metrics"] if m["name"] == wanted)
        labels.append(f"{scenario['id']}: {wanted}")
        ours.append(_speed(metric, "ours") or math.nan)
        official.append(_speed(metric, "openai") or math.nan)
    targets = [t for t in report["targets"] if t["measured"] is not None]
    figure, (left, right) = plt.subplots(
        1, 2, figsize=(14, max(5.0, 0.42 * max(len(labels), len(targets)) + 1.5))
    )
    positions = list(range(len(labels)))
    height = 0.4
    left.barh([p - height / 2 for p in positions], ours, height, label="ours", color="#2a7ab9")
    left.barh(
        [p + height / 2 for p in positions], official, height, label="openai", color="#d9822b"
    )
    left.axvline(1.0, color="black", linewidth=1)
    left.set_xscale("log")
    _label_bars(left, positions, ours, -height / 2)
    _label_bars(left, positions, official, height / 2)
    left.set_yticks(positions, labels, fontsize=8)
    left.invert_yaxis()
    left.set_xlabel("speed relative to the floor (bare aiohttp + orjson = 1; higher is faster)")
    left.set_title("Each client against the floor, same run")
    left.legend(loc="lower right")
    names = [t["name"] for t in targets]
    scores = [t["score"] for t in targets]
    colors = ["#3a9b4a" if t["status"] == "PASS" else "#c8423b" for t in targets]
    right.barh(range(len(names)), scores, color=colors)
    right.axvline(1.0, color="black", linewidth=1, linestyle="--")
    right.set_xscale("log")
    for position, (score, target) in enumerate(zip(scores, targets, strict=True)):
        right.annotate(
            f"{_num(target['measured'])} (goal {target['goal']})",
            (score, position),
            xytext=(3, 0),
            textcoords="offset points",
            va="center",
            fontsize=7,
        )
    right.set_yticks(
        range(len(names)),
        [f"{name}  [{t['status']}]" for name, t in zip(names, targets, strict=True)],
        fontsize=8,
    )
    right.invert_yaxis()
    right.set_xlabel("measured against goal, oriented so that >= 1 meets it (log)")
    right.set_title("Targets of the issue")
    meta = report["meta"]
    sdk = meta.get("sdk") or {}
    commit = str(sdk.get("commit") or "?")[:10] + ("+" if sdk.get("uncommitted_changes") else "")
    figure.suptitle(
        f"openai-assistants benchmark ({meta.get('rounds')} rounds, loop {meta.get('loop')}, "
        f"{meta.get('date', '')}, SDK {commit})"
    )
    for axes in (left, right):
        axes.xaxis.set_major_locator(ticker.LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
        axes.xaxis.set_major_formatter(ticker.FuncFormatter(lambda v, _: f"{v:g}x"))
        axes.xaxis.set_minor_formatter(ticker.NullFormatter())
        axes.margins(x=0.25)
    finite = [score for score in scores if math.isfinite(score) and score > 0]
    if finite:  # room on the right for the labels
        right.set_xlim(min(min(finite), 1.0) / 1.3, max(max(finite), 1.0) * 2.8)
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=110)
    plt.close(figure)


def format_markdown(report: Mapping[str, Any]) -> str:
    """The headline figure of each scenario and the targets, as Markdown tables."""
    clients: list[str] = report["clients"]
    pairs = [f"{a}/{b}" for a, b in PAIRS if a in clients and b in clients]
    lines = [
        "| scenario | metric | " + " | ".join(clients) + " | " + " | ".join(pairs) + " |",
        "|---|---|" + "---:|" * (len(clients) + len(pairs)),
    ]
    for scenario in report["scenarios"]:
        if scenario["id"].startswith("g-"):
            continue  # gathered below
        name = _headline(scenario["op"])
        metric = next(m for m in scenario["metrics"] if m["name"] == name)
        cells = [_spread(metric["values"].get(c)) for c in clients]
        cells += [_ratio(metric["ratios"].get(p)) for p in pairs]
        label = _HEADLINE_LABELS[name]
        lines.append(f"| {scenario['title']} | {label} | " + " | ".join(cells) + " |")
    for label, unit, cells in _scaling_rows(report, clients, pairs):
        lines.append(f"| (g) {label} | {unit} | " + " | ".join(cells) + " |")
    imports, import_ratios = report["imports"], report["import_ratios"]
    cells = [_spread(imports[c]["total_ms"]) if c in imports else "n/a" for c in clients]
    cells += [_ratio(import_ratios.get(p)) for p in pairs]
    lines.append("| cold import + first use | ms | " + " | ".join(cells) + " |")
    rss = report["rss"]
    cells = [_spread(rss["peak_mib"].get(c)) for c in clients]
    cells += [_ratio(rss["ratios"].get(p)) for p in pairs]
    lines.append("| peak RSS (largest job process) | MiB | " + " | ".join(cells) + " |")
    lines += ["", "| target | measured (min-max) | goal | result |", "|---|---:|---|---|"]
    for target in report["targets"]:
        lines.append(
            f"| {target['name']} | {_measured(target)} | {target['goal']} | {target['status']} |"
        )
    server = report["server"]["cpu_share"]
    if server is not None:
        lines += [
            "",
            f"Load server CPU while a client was timed: median {server['median']:.0%} of one "
            f"core, max {server['max']:.0%}.",
        ]
    lines += ["", _sdk_line(report["meta"]) + "."]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    """``python -m benchmarks.report latest.json``: print a saved run again."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.report", description=main.__doc__)
    parser.add_argument("json", type=Path, help="a latest.json written by python -m benchmarks")
    parser.add_argument("--markdown", action="store_true", help="the headline Markdown tables")
    parser.add_argument("--chart", type=Path, help="also redraw the chart into this PNG")
    args = parser.parse_args(argv)
    saved = json.loads(args.json.read_text())
    print(format_markdown(saved) if args.markdown else format_table(saved))
    if args.chart is not None:
        draw_chart(saved, args.chart)


if __name__ == "__main__":
    main()
