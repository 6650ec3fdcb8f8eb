"""Engine speed and memory against the scale targets, side by side with raw SimPy.

Three measurements:

1. stationary: the one-team M/M/c scenario (c=30, utilisation 0.9, 200,000 customers) through
   ``Engine(...).finish()``, alternating with the raw-SimPy yardstick (``bench/raw_simpy.py``);
   customers per second of each, medians, and the median of the per-pair ratios;
2. surge: ``scenarios/refund_surge.yaml`` over 14 days with the complaint baseline and every
   staffing number scaled by ``SURGE_FACTOR`` (about 200,000 complaints), through the full
   ``runner.run`` pipeline (auto-responder, finish, scoring, summary), then writing the run folder;
3. memory: the same scenario scaled to about 10^6 complaints, run, scored, summarised and written
   in a child process, which reports its peak resident set size (``ru_maxrss``).

Run from the repository root::

    python -m bench.bench_engine            # all three, writes bench/results/engine.md
    python -m bench.bench_engine --reps 3   # fewer stationary pairs

The figures depend on the machine and on what else runs on it; the load average is recorded.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import simpy

from bench.raw_simpy import run_mmc
from simulator.batch import run
from simulator.engine import Engine
from simulator.load import load_plan, load_scenario, resolve_scenario
from simulator.load.stationary import stationary_scenario
from simulator.model import Plan, Scenario, TeamSetup
from simulator.record import ANSWERED, columns
from simulator.sweep.queueing import erlang_c, mmc_mean_wait

SERVERS, RHO, CUSTOMERS, MEAN_SERVICE = 30, 0.9, 200_000, 10.0
SURGE_DAYS = 14.0
SURGE_FACTOR = 5.0
"""Baseline and staff multiple giving about 200,000 complaints in 14 days."""
MEMORY_FACTOR = 27.5
"""Baseline and staff multiple giving about 10^6 complaints in 14 days."""
RESULTS = Path(__file__).parent / "results" / "engine.md"


def scaled_surge(plan: Plan, factor: float, days: float = SURGE_DAYS) -> Scenario:
    """``refund_surge`` over ``days`` with its baseline and every staffing number times ``factor``.

    Staff grow with the complaint volume, so the queues behave as in the bundled scenario.
    """
    base = load_scenario(resolve_scenario("refund_surge"), plan)

    def more(n: int) -> int:
        return math.ceil(n * factor)

    def team(setup: TeamSetup) -> TeamSetup:
        shifts = [s.model_copy(update={"staff": more(s.staff)}) for s in setup.shifts]
        return setup.model_copy(update={"staff": more(setup.staff), "shifts": shifts, "callback_crew": more(setup.callback_crew)})

    external = base.external.model_copy(update={"staff": more(base.external.staff)}) if base.external else None
    return base.model_copy(
        update={
            "id": f"{base.id}-x{factor:g}-{days:g}d",
            "horizon_days": days,
            "complaints": base.complaints.model_copy(update={"baseline_per_day": base.complaints.baseline_per_day * factor}),
            "teams": {name: team(setup) for name, setup in base.teams.items()},
            "backup_hotline_staff": more(base.backup_hotline_staff),
            "external": external,
        }
    )


def stationary(plan: Plan, reps: int) -> dict[str, Any]:
    """Alternate engine and raw-SimPy runs of the same M/M/c queue."""
    scenario = stationary_scenario(SERVERS, RHO, mean_service_min=MEAN_SERVICE, customers=CUSTOMERS)
    engine_rates, raw_rates, ratios = [], [], []
    for rep in range(reps):
        start = time.perf_counter()
        log = Engine(plan, scenario).finish()
        engine_rate = len(log.complaints) / (time.perf_counter() - start)
        raw = run_mmc(SERVERS, RHO, CUSTOMERS, seed=rep + 1, mean_service=MEAN_SERVICE)
        raw_rate = raw.customers / raw.wall_seconds
        engine_rates.append(engine_rate)
        raw_rates.append(raw_rate)
        ratios.append(engine_rate / raw_rate)
        print(f"  stationary pair {rep + 1}: engine {engine_rate:,.0f}/s  raw SimPy {raw_rate:,.0f}/s  ratio {ratios[-1]:.2f}")
    c = columns(log.complaints)
    served = c["outcome"] == ANSWERED
    waits = (c["comms_start"] - c["queued"])[served]
    lam, mu = RHO * SERVERS / MEAN_SERVICE, 1.0 / MEAN_SERVICE
    return {
        "engine": statistics.median(engine_rates),
        "raw": statistics.median(raw_rates),
        "ratio": statistics.median(ratios),
        "p_wait": float((waits > 0).mean()),
        "p_wait_raw": raw.p_wait,
        "p_wait_erlang": erlang_c(SERVERS, lam, mu),
        "mean_wait": float(waits.mean()),
        "mean_wait_raw": raw.mean_wait,
        "mean_wait_erlang": mmc_mean_wait(SERVERS, lam, mu),
    }


def surge(plan: Plan, reps: int) -> dict[str, Any]:
    """Time the full pipeline on the scaled surge, then writing its run folder."""
    scenario = scaled_surge(plan, SURGE_FACTOR)
    runs, writes = [], []
    for rep in range(reps):
        start = time.perf_counter()
        result = run(plan, scenario)
        runs.append(time.perf_counter() - start)
        with tempfile.TemporaryDirectory() as tmp:
            start = time.perf_counter()
            result.write(Path(tmp))
            writes.append(time.perf_counter() - start)
            size = (Path(tmp) / "events.jsonl").stat().st_size
        print(f"  surge run {rep + 1}: {len(result.log.complaints):,} complaints, run {runs[-1]:.2f} s, write {writes[-1]:.2f} s")
    return {
        "complaints": len(result.log.complaints),
        "outcomes": vars(result.summary.complaints),
        "run": statistics.median(runs),
        "write": statistics.median(writes),
        "mb": size / 2**20,
    }


def memory_child() -> None:
    """In a fresh process: run, score, summarise and write about 10^6 complaints; print peak RSS as JSON."""
    plan = load_plan(None)
    scenario = scaled_surge(plan, MEMORY_FACTOR)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    result = run(plan, scenario)
    with tempfile.TemporaryDirectory() as tmp:
        result.write(Path(tmp))
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"complaints": len(result.log.complaints), "before_kb": before, "peak_kb": peak, "seconds": seconds}))


def memory() -> dict[str, Any]:
    """Run :func:`memory_child` in a child process and read its report."""
    root = Path(__file__).resolve().parent.parent
    out = subprocess.run(
        [sys.executable, "-m", "bench.bench_engine", "--memory-child"], cwd=root, check=True, capture_output=True, text=True
    )
    rec: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    print(f"  memory: {rec['complaints']:,} complaints, peak RSS {rec['peak_kb'] / 1024:.0f} MB ({rec['seconds']:.1f} s)")
    return rec


def machine() -> str:
    """A one-line description of this machine and software."""
    lines = Path("/proc/cpuinfo").read_text().splitlines() if Path("/proc/cpuinfo").exists() else []
    model = next((line.split(":", 1)[1].strip() for line in lines if line.startswith("model name")), platform.processor())
    return (
        f"{model}, nproc {os.cpu_count()}, Python {platform.python_version()}, SimPy {simpy.__version__}, NumPy {np.__version__}"
    )


HEADER = """# Engine benchmark

Written by `bench/bench_engine.py`; each run replaces the section of its label and keeps the others.
"""


def section(label: str, st: dict[str, Any], su: dict[str, Any], mem: dict[str, Any], args: argparse.Namespace, load: str) -> str:
    """One run's section of the results file."""
    reps, surge_reps = args.reps, args.surge_reps
    rows = [
        (
            f"stationary M/M/{SERVERS} at {RHO}, {CUSTOMERS:,} customers: engine ≥ 0.5× raw SimPy (aim 0.8×)",
            f"median of {reps} alternating pairs",
            f"engine {st['engine']:,.0f}/s, raw SimPy {st['raw']:,.0f}/s, **ratio {st['ratio']:.2f}**",
        ),
        (
            "14-day surge, ~200,000 complaints, under 10 s",
            f"median of {surge_reps}, `runner.run` (engine, auto-responder, scoring, summary)",
            f"{su['complaints']:,} complaints, **{su['run']:.2f} s**",
        ),
        (
            "(writing that run folder: events.jsonl + summary.json)",
            f"median of {surge_reps}",
            f"{su['write']:.2f} s, events.jsonl {su['mb']:.0f} MB",
        ),
        (
            "peak memory for 10^6 complaints under 500 MB",
            "child process: run, score, summarise, write; `ru_maxrss`",
            f"{mem['complaints']:,} complaints, **{mem['peak_kb'] / 1024:.0f} MB** "
            f"(before the run {mem['before_kb'] / 1024:.0f} MB; {mem['seconds']:.0f} s)",
        ),
    ]
    table = "\n".join(f"| {a} | {b} | {c} |" for a, b, c in rows)
    return f"""## {label}

Recorded by `python -m bench.bench_engine --reps {reps} --surge-reps {surge_reps} --label '{label}'` on
{datetime.now(UTC):%Y-%m-%d %H:%M} UTC. Machine: {machine()}. Load average (1 min) at start / end:
{load}. Other work was running on the machine, so single runs vary; the figures are medians.

| target | figure | result |
|---|---|---|
{table}

Same queue, last pair (single runs, no confidence interval; `tests/test_erlang.py` does the statistics):
P(wait) engine {st["p_wait"]:.4f}, raw SimPy {st["p_wait_raw"]:.4f}, Erlang C {st["p_wait_erlang"]:.4f};
mean wait engine {st["mean_wait"]:.3f} min, raw SimPy {st["mean_wait_raw"]:.3f} min, Erlang C {st["mean_wait_erlang"]:.3f} min.

Scenarios: the stationary one is `simulator.load.stationary.stationary_scenario({SERVERS}, {RHO}, customers={CUSTOMERS})`
(mean service {MEAN_SERVICE:g} min, seed 1); raw SimPy is `bench.raw_simpy.run_mmc` with the same queue.
The surge is `scenarios/refund_surge.yaml` run for {SURGE_DAYS:g} days with its baseline, team staff, shifts,
callback crew, backup hotline and external support all × {SURGE_FACTOR:g} (memory run: × {MEMORY_FACTOR:g}),
so that the queues behave as in the bundled scenario; outcomes of the timed run: {su["outcomes"]}.
"""


def merge(text: str, label: str, body: str) -> str:
    """``text`` (a results file, maybe empty) with the section of ``label`` replaced by ``body``."""
    parts = text.split("\n## ") if text else [HEADER.rstrip("\n")]
    head, sections = parts[0], [f"## {p}" for p in parts[1:]]
    kept = [s.rstrip("\n") for s in sections if not s.startswith(f"## {label}\n")]
    return "\n\n".join([head.rstrip("\n"), *kept, body.rstrip("\n")]) + "\n"


def main() -> None:
    """Run the benchmarks, print the figures and write the results file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=5, help="stationary engine/raw-SimPy pairs (default 5)")
    parser.add_argument("--surge-reps", type=int, default=3, help="surge runs (default 3)")
    parser.add_argument("--out", type=Path, default=RESULTS, help="results file to update")
    parser.add_argument("--label", default="current engine", help="the section of the results file to replace")
    parser.add_argument("--memory-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_child:
        memory_child()
        return
    load_start = os.getloadavg()[0]
    plan = load_plan(None)
    print("stationary (engine vs raw SimPy, alternating):")
    st = stationary(plan, args.reps)
    print(f"  median: engine {st['engine']:,.0f}/s, raw {st['raw']:,.0f}/s, ratio {st['ratio']:.2f}")
    print("surge (full pipeline):")
    su = surge(plan, args.surge_reps)
    print(f"  median: run {su['run']:.2f} s, write {su['write']:.2f} s")
    print("memory (child process):")
    mem = memory()
    load = f"{load_start:.2f} / {os.getloadavg()[0]:.2f}"
    args.out.parent.mkdir(parents=True, exist_ok=True)
    old = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
    args.out.write_text(merge(old, args.label, section(args.label, st, su, mem, args, load)), encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
