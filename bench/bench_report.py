"""Benchmark: a full after-action report (charts, HTML, Markdown) for a 200,000-complaint run.

The run is the bundled refund-surge scenario scaled up (baseline and the hotline and
customer-communication teams six times larger) so that about 200,000 complaints arrive in its
ten days. The run folder is made once (``--work DIR`` keeps it between invocations); the timed
part is ``make_report`` — load, score, summarise, draw and save every chart as PNG and SVG, write
the self-contained HTML and the Markdown — for one language, then for both, then with one
what-if re-run. The cases alternate, round by round, and each reports its median. Results are
printed as a Markdown table (``--record FILE`` writes it too).

    python bench/bench_report.py [--work DIR] [--rounds N] [--record bench/results/report.md]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

from reports.aar import build_report
from reports.build import chart_keys, make_report
from reports.chartkit import save
from reports.figures import CHARTS
from reports.inputs import load
from reports.render_html import render_html
from reports.render_md import render_md
from simulator.batch import RunInfo, run
from simulator.load import load_plan, load_scenario, resolve_scenario

SCALE = 6
TARGET_S = 15.0


def make_run(work: Path) -> Path:
    """Write the scaled scenario and run it once; return the run folder."""
    folder = work / "run"
    if (folder / "events.jsonl").exists():
        return folder
    plan = load_plan(None)
    base = load_scenario(resolve_scenario(None), plan)
    data = base.model_dump(mode="json", by_alias=True, exclude_none=True)
    data["id"] = f"{base.id}_x{SCALE}"
    data["complaints"]["baseline_per_day"] *= SCALE
    for team in ("hotline", "comms"):
        setup = data["teams"][team]
        setup["staff"] *= SCALE
        for shift in setup.get("shifts", []):
            shift["staff"] *= SCALE
    data["backup_hotline_staff"] *= SCALE
    work.mkdir(parents=True, exist_ok=True)
    path = work / "scaled.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    scenario = load_scenario(path, plan)
    t0 = time.perf_counter()
    result = run(plan, scenario)
    print(f"made the run in {time.perf_counter() - t0:.1f} s: {len(result.log.complaints):,} complaints")
    result.write(folder, RunInfo(str(path.resolve()), None, result.log.meta.seed))
    return folder


def timed(folder: Path, out: Path, **kwargs: Any) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one ``make_report``."""
    wall, cpu = time.perf_counter(), time.process_time()
    make_report(folder, out, **kwargs)
    return time.perf_counter() - wall, time.process_time() - cpu


def phases(folder: Path, out: Path) -> list[tuple[str, float, float]]:
    """Wall and CPU seconds of each part of one Chinese report: load, charts, HTML, Markdown."""
    marks: list[tuple[str, float, float]] = []
    wall, cpu = time.perf_counter(), time.process_time()

    def mark(name: str) -> None:
        nonlocal wall, cpu
        marks.append((name, time.perf_counter() - wall, time.process_time() - cpu))
        wall, cpu = time.perf_counter(), time.process_time()

    inp = load(folder)
    mark("read the log, score, summarise")
    report = build_report(inp, [], "zh")
    pngs = {key: save(CHARTS[key](inp, [], "zh"), out / "charts" / f"{key}.zh")[0] for key in chart_keys(report)}
    mark(f"{len(pngs)} charts, PNG + SVG")
    (out / "aar.zh.html").write_text(render_html(report, pngs), encoding="utf-8")
    mark("HTML (font subset, embedded charts)")
    (out / "aar.zh.md").write_text(render_md(report, {k: str(p) for k, p in pngs.items()}), encoding="utf-8")
    mark("Markdown")
    return marks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, help="folder for the scaled scenario and its run (kept)")
    parser.add_argument("--record", type=Path, help="also write the results table to this file")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of all cases (medians are reported)")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="drillsim-bench-report-"))
    folder = make_run(work)
    complaints = sum(1 for line in (folder / "events.jsonl").open(encoding="utf-8") if line.startswith('{"type":"Complaint"'))
    cases: list[tuple[str, dict[str, Any]]] = [
        ("full report, zh (html+md, 7 charts PNG+SVG)", {"langs": ["zh"]}),
        ("full report, en", {"langs": ["en"]}),
        ("full report, zh + en", {"langs": ["zh", "en"]}),
        ("full report, zh, with --what-if comms=72 (one more run)", {"langs": ["zh"], "what_if": [{"comms": 72}]}),
    ]
    times: dict[str, list[tuple[float, float, float]]] = {label: [] for label, _ in cases}
    for r in range(args.rounds):
        for label, kwargs in cases:
            busy = os.getloadavg()[0]
            wall, cpu = timed(folder, work / "report", **kwargs)
            times[label].append((wall, cpu, busy))
            print(f"round {r + 1}, {label}: {wall:.2f} s wall, {cpu:.2f} s CPU (load {busy:.1f})", flush=True)
    rows = [(label, len(t), *(statistics.median(x[i] for x in t) for i in range(3))) for label, t in times.items()]
    table = [
        "# Report benchmark",
        "",
        f"Run: refund_surge scaled x{SCALE}, {complaints:,} complaints, seed {RunInfo.read(folder).seed}. "
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}. "
        f"Target: full report under {TARGET_S:g} s. Wall time counts other work on the machine (see its "
        "load average when the case started); CPU time is this process's own. Medians of alternating rounds.",
        "",
        "| case | rounds | wall s | CPU s | load avg | under target (wall) |",
        "|---|---:|---:|---:|---:|---|",
    ]
    table += [
        f"| {label} | {n} | {wall:.2f} | {cpu:.2f} | {busy:.1f} | {'yes' if wall < TARGET_S else 'no'} |"
        for label, n, wall, cpu, busy in rows
    ]
    table += ["", "Where the time of one Chinese report goes:", "", "| part | wall s | CPU s |", "|---|---:|---:|"]
    table += [f"| {name} | {wall:.2f} | {cpu:.2f} |" for name, wall, cpu in phases(folder, work / "phases")]
    text = "\n".join(table) + "\n"
    print(text)
    if args.record:
        args.record.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
