"""Speed of the sweep kernel and executors, measured side by side in one run.

    python bench/bench_sweep.py [--record bench/results/sweep.md] [--agreement]

1. Customers per second on one core: raw SimPy M/M/30 at utilisation 0.9 (``bench/raw_simpy.py``)
   against the kernel's queue recursion on the same model, and against whole kernel replications
   of the same queue as a drillsim scenario (arrivals, mix, log, scoring included).
2. One replication of the bundled refund surge: the SimPy engine against the kernel.
3. A sweep of 200 kernel replications of the refund surge: one worker against two local workers.
4. The fixed cost of a local Dask cluster (two worker processes): start-up, a small sweep and
   shut-down, against the same small sweep in a local process pool.
5. With ``--agreement``: for every bundled scenario, 20 replications by the kernel and by the
   SimPy engine: how often each team target held, and the mean answer-time p90.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.raw_simpy import run_mmc
from simulator.executors import open_executor
from simulator.fcfs import serve
from simulator.kernel import run_kernel
from simulator.loader import load_plan, load_scenario, scenarios_dir
from simulator.runner import run
from simulator.scoring import score
from simulator.stationary import stationary_scenario
from simulator.sweep import Context, grid, run_sweep, summary

SERVERS, RHO, CUSTOMERS = 30, 0.9, 200_000


def best(fn, repeat: int = 3) -> float:  # type: ignore[no-untyped-def]
    """The best wall time of ``repeat`` calls."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def timed(fn) -> float:  # type: ignore[no-untyped-def]
    """The wall time of one call."""
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def per_core(lines: list[str], rounds: int = 5) -> None:
    """Raw SimPy and the kernel side by side, alternating; medians of each and of the per-round ratios."""
    rng = np.random.default_rng(1)
    arrive = np.cumsum(rng.exponential(1 / (RHO * SERVERS), CUSTOMERS)).tolist()
    work = rng.exponential(1.0, CUSTOMERS).tolist()
    plan = load_plan()
    sc = stationary_scenario(SERVERS, RHO, mean_service_min=10.0, customers=CUSTOMERS)
    n = len(run_kernel(plan, sc, seed=1).log.complaints)
    times: dict[str, list[float]] = {"raw": [], "recursion": [], "replication": [], "scored": []}
    for r in range(rounds):
        times["raw"].append(run_mmc(SERVERS, RHO, CUSTOMERS, seed=r + 1).wall_seconds)
        times["recursion"].append(timed(lambda: serve(arrive, work, None, SERVERS, [])))
        times["replication"].append(timed(lambda: run_kernel(plan, sc, seed=1)))
        times["scored"].append(timed(lambda: score(run_kernel(plan, sc, seed=1).log, plan)))
    med = {k: float(np.median(v)) for k, v in times.items()}
    ratio = {
        k: float(np.median([(count / t) / (CUSTOMERS / raw) for raw, t in zip(times["raw"], times[k], strict=True)]))
        for k, count in (("recursion", CUSTOMERS), ("replication", n), ("scored", n))
    }
    raw, recursion, replication, scored = med["raw"], med["recursion"], med["replication"], med["scored"]
    r_raw, r_rec, r_rep, r_sc = CUSTOMERS / raw, CUSTOMERS / recursion, n / replication, n / scored
    lines += [
        f"## 1. Customers per second, one core (M/M/{SERVERS}, utilisation {RHO})",
        "",
        f"{rounds} alternating rounds; seconds are medians; × raw SimPy is the median of the per-round ratios.",
        "",
        "| model | customers | seconds | customers/s | × raw SimPy |",
        "|---|---:|---:|---:|---:|",
        f"| raw SimPy (`bench/raw_simpy.py`) | {CUSTOMERS:,} | {raw:.2f} | {r_raw:,.0f} | 1.0 |",
        f"| kernel queue recursion (`kernel.serve`) | {CUSTOMERS:,} | {recursion:.3f} | {r_rec:,.0f} "
        f"| {ratio['recursion']:.1f} |",
        f"| kernel replication (`run_kernel`, stationary scenario) | {n:,} | {replication:.3f} | {r_rep:,.0f} "
        f"| {ratio['replication']:.1f} |",
        f"| kernel replication + scoring of the team targets | {n:,} | {scored:.3f} | {r_sc:,.0f} | {ratio['scored']:.1f} |",
        "",
    ]


def surge_replication(lines: list[str]) -> None:
    plan = load_plan()
    sc = load_scenario(None, plan)
    engine = best(lambda: run(plan, sc, seed=3), 2)
    kernel = best(lambda: score(run_kernel(plan, sc, seed=3).log, plan), 3)
    n = len(run_kernel(plan, sc, seed=3).log.complaints)
    lines += [
        "## 2. One replication of the bundled refund surge (about " + f"{n:,} complaints)",
        "",
        "| engine | seconds | × |",
        "|---|---:|---:|",
        f"| SimPy engine with auto-responder and scoring (`runner.run`) | {engine:.2f} | 1.0 |",
        f"| kernel replication with target scoring | {kernel:.3f} | {engine / kernel:.1f} |",
        "",
    ]


def _burn(n: int) -> int:
    """Pure CPU work, the reference for what two processes can gain on this machine right now."""
    total = 0
    for i in range(n):
        total += i * i
    return total


def workers(lines: list[str]) -> None:
    plan = load_plan()
    ctx = Context(plan, load_scenario(None, plan))
    points = grid([("comms", [8, 12])])
    timings: dict[int, list[float]] = {1: [], 2: []}
    for _ in range(3):  # alternate, best of three: other work on the machine comes and goes
        for count in (1, 2):
            with tempfile.TemporaryDirectory() as tmp:
                start = time.perf_counter()
                with open_executor(count) as ex:
                    run_sweep(ctx, points, 100, ex, Path(tmp) / "r.jsonl")
                timings[count].append(time.perf_counter() - start)
    one, two = min(timings[1]), min(timings[2])
    burn_one = best(lambda: [_burn(2_000_000) for _ in range(8)], 2)
    with ProcessPoolExecutor(2) as pool:
        burn_two = best(lambda: list(pool.map(_burn, [2_000_000] * 8)), 2)
    lines += [
        "## 3. A sweep of 200 kernel replications (refund surge, comms = 8 and 12, 100 each)",
        "",
        "Best of three alternating runs each.",
        "",
        "| workers | seconds | speed-up |",
        "|---|---:|---:|",
        f"| 1 (in-process) | {one:.1f} | 1.00 |",
        f"| 2 (local process pool) | {two:.1f} | {one / two:.2f} |",
        f"| reference: pure-Python CPU work in 2 processes, same moment | | {burn_one / burn_two:.2f} |",
        "",
        f"All runs, seconds: 1 worker {', '.join(f'{t:.1f}' for t in timings[1])}; "
        f"2 workers {', '.join(f'{t:.1f}' for t in timings[2])}.",
        "",
    ]


def dask_overhead(lines: list[str]) -> None:
    plan = load_plan()
    ctx = Context(plan, load_scenario(scenarios_dir() / "manual_error.yaml", plan))
    points = grid([("comms", [3, 6])])
    timings = {}
    results = {}
    for name, dask in (("pool", None), ("dask", "local")):
        with tempfile.TemporaryDirectory() as tmp:
            start = time.perf_counter()
            with open_executor(2, dask) as ex:
                per_point = run_sweep(ctx, points, 10, ex, Path(tmp) / "r.jsonl")
            timings[name] = time.perf_counter() - start
            results[name] = summary(ctx, points, per_point)
    assert results["pool"] == results["dask"], "Dask gave other numbers than the pool"
    lines += [
        "## 4. Fixed cost of a local Dask cluster (2 worker processes; 20 replications of manual_error)",
        "",
        "| executor | seconds, start-up to shut-down |",
        "|---|---:|",
        f"| local process pool, 2 workers | {timings['pool']:.2f} |",
        f"| `--dask local`, 2 workers | {timings['dask']:.2f} |",
        f"| **added by Dask** | **{timings['dask'] - timings['pool']:.2f}** |",
        "",
        "Both gave identical statistics.",
        "",
    ]


def _rates(per_point: list[list[dict]]) -> tuple[dict[str, float | None], float]:  # type: ignore[type-arg]
    recs = per_point[0]
    out: dict[str, float | None] = {}
    for key in recs[0]["targets"]:
        counted = [r["targets"][key] for r in recs if r["targets"][key] is not None]
        out[key] = sum(counted) / len(counted) if counted else None
    return out, statistics.mean(r["answer_h"]["p90"] for r in recs)


def agreement(lines: list[str]) -> None:
    plan = load_plan()
    lines += [
        "## 5. Kernel against the SimPy engine on every bundled scenario (20 replications each, same base seed)",
        "",
        "Target columns: share of replications in which the target held (k = kernel, s = SimPy); — = never due.",
        "",
        "| scenario | answer p90 h k / s | targets held k / s |",
        "|---|---:|---|",
    ]
    with ProcessPoolExecutor(2) as pool, tempfile.TemporaryDirectory() as tmp:
        for path in sorted(scenarios_dir().glob("*.yaml")):
            if path.name == "plan.yaml":
                continue
            sc = load_scenario(path, plan)
            got = {}
            for engine in ("kernel", "simpy"):
                per_point = run_sweep(Context(plan, sc, engine), [{}], 20, pool, Path(tmp) / f"{sc.id}-{engine}.jsonl")
                got[engine] = _rates(per_point)
            (rk, pk), (rs, ps) = got["kernel"], got["simpy"]
            cells = [f"{k.split('/')[0]} {_pct(rk[k])}/{_pct(rs[k])}" for k in rk if rk[k] is not None or rs[k] is not None]
            lines.append(f"| {sc.id} | {pk:.2f} / {ps:.2f} | {'; '.join(cells)} |")
    lines.append("")


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{x:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--record", type=Path, help="also write the figures to this markdown file")
    parser.add_argument("--agreement", action="store_true", help="also compare kernel and engine on every bundled scenario")
    args = parser.parse_args()
    load = os.getloadavg()
    lines = [
        "# Sweep kernel and executors: measured figures",
        "",
        f"Machine: {os.cpu_count()} cores, Python {platform.python_version()}; load average at start "
        f"{load[0]:.1f}. Produced by `python bench/bench_sweep.py{' --agreement' if args.agreement else ''}`.",
        "",
    ]
    print("\n".join(lines), flush=True)
    for part in (per_core, surge_replication, workers, dask_overhead, *((agreement,) if args.agreement else ())):
        done = len(lines)
        part(lines)
        print("\n".join(lines[done:]), flush=True)
    text = "\n".join(lines) + "\n"
    if args.record:
        args.record.parent.mkdir(parents=True, exist_ok=True)
        args.record.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
