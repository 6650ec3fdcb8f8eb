"""Speed of the sweep kernel and executors, measured side by side in one run.

    python bench/bench_sweep.py [--record bench/results/sweep.md] [--agreement]

1. Customers per second on one core: raw SimPy M/M/30 at utilisation 0.9 (``bench/raw_simpy.py``)
   against the kernel's queue recursion on the same model, and against whole kernel replications
   of the same queue as a drillsim scenario (arrivals, mix, log, scoring included).
2. The one-off cost of the compiled queue loop in a new process: loading it from Numba's cache,
   and compiling it with no cache.
3. One replication of the bundled refund surge: the SimPy engine against the kernel.
4. A sweep of 200 kernel replications of the refund surge: one worker against two local workers.
5. The fixed cost of a local Dask cluster (two worker processes): start-up, a small sweep and
   shut-down, against the same small sweep in a local process pool.
6. With ``--agreement``: for every bundled scenario, 20 replications by the kernel and by the
   SimPy engine: how often each team target held, and the mean answer-time p90.

Every timing alternates the things compared, round by round, and reports medians: the machine is
shared, and other work comes and goes.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.raw_simpy import run_mmc
from simulator.batch import run
from simulator.kernel import kernel_refusal, run_kernel
from simulator.kernel.fcfs import serve
from simulator.load import load_plan, load_scenario, scenarios_dir
from simulator.load.stationary import stationary_scenario
from simulator.score import score
from simulator.sweep import Context, grid, open_executor, run_sweep, summary

SERVERS, RHO, CUSTOMERS = 30, 0.9, 200_000


ROOT = Path(__file__).resolve().parents[1]


def timed(fn) -> float:  # type: ignore[no-untyped-def]
    """The wall time of one call."""
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def per_core(lines: list[str], rounds: int = 5) -> None:
    """Raw SimPy and the kernel side by side, alternating; medians of each and of the per-round ratios."""
    rng = np.random.default_rng(1)
    arrive = np.cumsum(rng.exponential(1 / (RHO * SERVERS), CUSTOMERS))
    work = rng.exponential(1.0, CUSTOMERS)
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
        f"| kernel queue recursion (`fcfs.serve`, compiled) | {CUSTOMERS:,} | {recursion:.3f} | {r_rec:,.0f} "
        f"| {ratio['recursion']:.1f} |",
        f"| kernel replication (`run_kernel`, stationary scenario) | {n:,} | {replication:.3f} | {r_rep:,.0f} "
        f"| {ratio['replication']:.1f} |",
        f"| kernel replication + scoring of the team targets | {n:,} | {scored:.3f} | {r_sc:,.0f} | {ratio['scored']:.1f} |",
        "",
    ]


def _fresh(code: str, env: dict[str, str] | None = None) -> float:
    """Wall time of a new interpreter running ``code`` in the project folder."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={**os.environ, **(env or {})}, check=True)
    return time.perf_counter() - start


def compiled_loop(lines: list[str], rounds: int = 3) -> None:
    times: dict[str, list[float]] = {"numpy": [], "cached": [], "cold": []}
    for _ in range(rounds):
        times["numpy"].append(_fresh("import numpy"))
        times["cached"].append(_fresh("import simulator.kernel.fcfs"))
        with tempfile.TemporaryDirectory() as empty:
            times["cold"].append(_fresh("import simulator.kernel.fcfs", {"NUMBA_CACHE_DIR": empty}))
    med = {k: statistics.median(v) for k, v in times.items()}
    lines += [
        "## 2. One-off cost of the compiled queue loop in a new process",
        "",
        f"Median of {rounds} alternating rounds, each a new interpreter; the kernel loads the loop when it first queues",
        "someone, so this is paid once per process (a forked worker inherits it loaded).",
        "",
        "| new process runs | seconds | added to `import numpy` |",
        "|---|---:|---:|",
        f"| `import numpy` | {med['numpy']:.2f} | |",
        f"| `import simulator.kernel.fcfs`, loop loaded from Numba's cache | {med['cached']:.2f} "
        f"| {med['cached'] - med['numpy']:.2f} |",
        f"| `import simulator.kernel.fcfs`, no cache: compiled | {med['cold']:.2f} | {med['cold'] - med['numpy']:.2f} |",
        "",
    ]


def surge_replication(lines: list[str], rounds: int = 5) -> None:
    plan = load_plan()
    sc = load_scenario(None, plan)
    times: dict[str, list[float]] = {"engine": [], "kernel": []}
    for r in range(rounds):
        times["engine"].append(timed(lambda r=r: run(plan, sc, seed=3 + r)))
        times["kernel"].append(timed(lambda r=r: score(run_kernel(plan, sc, seed=3 + r).log, plan)))
    engine, kernel = statistics.median(times["engine"]), statistics.median(times["kernel"])
    n = len(run_kernel(plan, sc, seed=3).log.complaints)
    lines += [
        "## 3. One replication of the bundled refund surge (about " + f"{n:,} complaints)",
        "",
        f"Medians of {rounds} alternating rounds (seeds 3 to {2 + rounds}).",
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


def workers(lines: list[str], rounds: int = 9) -> None:
    plan = load_plan()
    ctx = Context(plan, load_scenario(None, plan))
    points = grid([("comms", [8, 12])])
    timings: dict[int, list[float]] = {1: [], 2: []}
    burn: dict[int, list[float]] = {1: [], 2: []}
    with ProcessPoolExecutor(2) as pool:
        for _ in range(rounds):
            for count in (1, 2):
                with tempfile.TemporaryDirectory() as tmp:
                    start = time.perf_counter()
                    with open_executor(count) as ex:
                        run_sweep(ctx, points, 100, ex, Path(tmp) / "r.jsonl")
                    timings[count].append(time.perf_counter() - start)
            burn[1].append(timed(lambda: [_burn(1_000_000) for _ in range(8)]))
            burn[2].append(timed(lambda: list(pool.map(_burn, [1_000_000] * 8))))
    one, two = statistics.median(timings[1]), statistics.median(timings[2])
    ratio = statistics.median(a / b for a, b in zip(timings[1], timings[2], strict=True))
    burn_ratio = statistics.median(a / b for a, b in zip(burn[1], burn[2], strict=True))
    lines += [
        "## 4. A sweep of 200 kernel replications (refund surge, comms = 8 and 12, 100 each)",
        "",
        f"{rounds} alternating rounds: seconds are medians, the speed-up is the median of the per-round ratios.",
        "The pool is started inside each timing, by a process that has the compiled loop loaded, which forked",
        "workers inherit; a new `drillsim sweep` adds section 2's one-off cost to both rows (with a pool, the",
        "workers pay it side by side).",
        "",
        "| workers | seconds | speed-up |",
        "|---|---:|---:|",
        f"| 1 (in-process) | {one:.2f} | 1.00 |",
        f"| 2 (local process pool) | {two:.2f} | {ratio:.2f} |",
        f"| reference: pure-Python CPU work in 2 processes, same rounds | | {burn_ratio:.2f} |",
        "",
        f"All runs, seconds: 1 worker {', '.join(f'{t:.2f}' for t in timings[1])}; "
        f"2 workers {', '.join(f'{t:.2f}' for t in timings[2])}.",
        "",
    ]


def dask_overhead(lines: list[str], rounds: int = 5) -> None:
    plan = load_plan()
    ctx = Context(plan, load_scenario(scenarios_dir() / "manual_error.yaml", plan))
    points = grid([("comms", [3, 6])])
    timings: dict[str, list[float]] = {"pool": [], "dask": []}
    results = {}
    for _ in range(rounds):
        for name, dask in (("pool", None), ("dask", "local")):
            with tempfile.TemporaryDirectory() as tmp:
                start = time.perf_counter()
                with open_executor(2, dask) as ex:
                    per_point = run_sweep(ctx, points, 10, ex, Path(tmp) / "r.jsonl")
                timings[name].append(time.perf_counter() - start)
                results[name] = summary(ctx, points, per_point)
            assert results.get("pool", results[name]) == results[name], "Dask gave other numbers than the pool"
    pool, dask_s = statistics.median(timings["pool"]), statistics.median(timings["dask"])
    added = statistics.median(d - p for p, d in zip(timings["pool"], timings["dask"], strict=True))
    lines += [
        "## 5. Fixed cost of a local Dask cluster (2 worker processes; 20 replications of manual_error)",
        "",
        f"{rounds} alternating rounds; medians (the added cost is the median of the per-round differences).",
        "",
        "| executor | seconds, start-up to shut-down |",
        "|---|---:|",
        f"| local process pool, 2 workers | {pool:.2f} |",
        f"| `--dask local`, 2 workers | {dask_s:.2f} |",
        f"| **added by Dask** | **{added:.2f}** |",
        "",
        f"All runs, seconds: pool {', '.join(f'{t:.2f}' for t in timings['pool'])}; "
        f"Dask {', '.join(f'{t:.2f}' for t in timings['dask'])}. Both gave identical statistics.",
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
        "## 6. Kernel against the SimPy engine on every bundled scenario (20 replications each, same base seed)",
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
            if kernel_refusal(sc) is not None:  # the kernel does not follow what one of its injects waits for
                lines.append(f"| {sc.id} | kernel refuses it (an inject waits for what it does not follow) | — |")
                continue
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
    for part in (per_core, compiled_loop, surge_replication, workers, dask_overhead, *((agreement,) if args.agreement else ())):
        done = len(lines)
        part(lines)
        print("\n".join(lines[done:]), flush=True)
    text = "\n".join(lines) + "\n"
    if args.record:
        args.record.parent.mkdir(parents=True, exist_ok=True)
        args.record.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
