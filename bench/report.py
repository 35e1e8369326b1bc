"""Write the measured tables of docs/benchmarks.md from bench/results.json.

The text around the tables is written by hand; this replaces what lies between
the `<!-- results -->` and `<!-- /results -->` markers.

    python -m bench.report
"""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results.json"
STORM = ROOT / "bench" / "vote_storm.json"
DOC = ROOT / "docs" / "benchmarks.md"
START, END = "<!-- results -->", "<!-- /results -->"
KEEP_AT_X10 = 0.9


def _mark(ok: bool) -> str:
    return "yes" if ok else "**no**"


def run_table(name: str, run: dict, targets: dict) -> list[str]:
    floor = run["floor"]
    lines = [
        f"### {name}",
        "",
        f"Run {run.get('date', 'on the date above')}"
        + (f" at commit `{run['commit']}`" if run.get("commit") else "")
        + f". Seeded in {run['seed_seconds']} s; `flask audit verify` over every chain "
        f"{run['audit_verify_seconds']} s. Floor: {floor['throughput']} requests/s, "
        f"p95 {floor['p95_ms']} ms (mean of before and after the pages: "
        f"{floor['before']['throughput']} and {floor['after']['throughput']}/s).",
        "",
        "| page | path | req/s | p95 ms | × floor req/s | × floor p95 | errors | target met |",
        "|---|---|---:|---:|---:|---:|---:|---|",
    ]
    for page, figures in run["pages"].items():
        lines.append(
            f"| {page} | `{figures['path']}` | {figures['throughput']} | {figures['p95_ms']} | "
            f"{figures['throughput_ratio']:.2f} | {figures['p95_ratio']:.2f} | "
            f"{figures['errors']} | {_mark(figures['meets_target'])} |"
        )
    met = sum(figures["meets_target"] for figures in run["pages"].values())
    lines += [
        "",
        f"{met} of {len(run['pages'])} pages meet both targets "
        f"(≥ {targets['throughput_ratio_min']} × the floor's throughput, "
        f"≤ {targets['p95_ratio_max']} × its p95).",
        "",
    ]
    return lines


def scale_table(backend: str, regional: dict, x10: dict) -> list[str]:
    lines = [
        f"### {backend}: x10 against regional",
        "",
        "| page | × floor at regional | × floor at x10 | kept | ≥ 0.9 kept |",
        "|---|---:|---:|---:|---|",
    ]
    for page, figures in regional["pages"].items():
        large = x10["pages"].get(page)
        if large is None:
            continue
        kept = large["throughput_ratio"] / figures["throughput_ratio"]
        lines.append(
            f"| {page} | {figures['throughput_ratio']:.2f} | {large['throughput_ratio']:.2f} | "
            f"{kept:.2f} | {_mark(kept >= KEEP_AT_X10)} |"
        )
    return [*lines, ""]


def storm_table() -> list[str]:
    if not STORM.exists():
        return []
    storm = json.loads(STORM.read_text())
    lines = [
        "### Vote storm (`python -m bench.vote_storm`)",
        "",
        "| database | voters | votes counted | most votes of one organisation | "
        "wall s | p50 ms | p95 ms | max ms |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for backend, figures in storm.items():
        lines.append(
            f"| {backend} | {figures['voters']} | {figures['votes_counted']} | "
            f"{figures['most_votes_of_one_organisation']} | {figures['wall_seconds']} | "
            f"{figures['p50_ms']} | {figures['p95_ms']} | {figures['max_ms']} |"
        )
    return [*lines, ""]


def tables(report: dict) -> str:
    machine = report["machine"]
    settings = report["settings"]
    lines = [
        f"Machine: {machine['platform']}, {machine['cpus']} CPUs, Python {machine['python']}, "
        f"load by {machine['load_tool']}; last run {machine['date']}. "
        f"{settings['concurrency']} connections for {settings['seconds']:g} s per page, "
        f"gunicorn with {settings['gunicorn_workers']} workers.",
        "",
    ]
    runs = report["runs"]
    for name in sorted(runs):
        lines += run_table(name, runs[name], settings["targets"])
    for backend in ("sqlite", "postgresql"):
        if f"{backend}/regional" in runs and f"{backend}/x10" in runs:
            lines += scale_table(backend, runs[f"{backend}/regional"], runs[f"{backend}/x10"])
    lines += storm_table()
    return "\n".join(lines)


def main() -> None:
    report = json.loads(RESULTS.read_text())
    text = DOC.read_text(encoding="utf-8")
    before, rest = text.split(START, 1)
    _, after = rest.split(END, 1)
    DOC.write_text(f"{before}{START}\n{tables(report)}\n{END}{after}", encoding="utf-8")
    print(f"written {DOC}")


if __name__ == "__main__":
    main()
