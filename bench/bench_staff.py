"""Wall time of ``drillsim staff refund_surge`` against raw SimPy, measured side by side in one run.

    python -m bench.bench_staff [--rounds 5] [--before DIR] [--record bench/results/staff.md]

1. The whole command (a new process: start-up, the search, the joint check, the report) as a ratio to
   a raw SimPy M/M/30 run of 200,000 customers at utilisation 0.9 (``bench/raw_simpy.py``), timed in
   the same rounds. With ``--before DIR`` (a copy of an earlier tree, e.g. ``git archive main``), that
   tree's command is timed in the same rounds too. Each command runs once untimed first, so that
   Numba's cache of the queue loop is there, as it is for a user after the first run.
2. The kernel's replication rate as a share of the numpy floor for an M/M/30 queue: drawing the
   arrivals and handling times with numpy and running the compiled queue recursion on them, the
   least any replication of that queue must do, against a whole kernel replication of the same
   queue as a drillsim scenario (arrivals by the hour, mix, log, scoring).

Rounds alternate the things compared; figures are medians, with the load average around each round.
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
from collections.abc import Callable
from pathlib import Path

import numpy as np

from bench.raw_simpy import run_mmc
from simulator.kernel import run_kernel
from simulator.kernel.fcfs import serve
from simulator.load import load_plan
from simulator.load.stationary import stationary_scenario
from simulator.score import evaluate, team_targets

ROOT = Path(__file__).resolve().parents[1]
SERVERS, RHO, CUSTOMERS = 30, 0.9, 200_000
COMMAND = ["staff", "refund_surge"]


def staff_seconds(tree: Path, out: Path) -> float:
    """Wall time of the whole ``drillsim staff refund_surge`` in a new process of ``tree``'s code."""
    env = {**os.environ, "PYTHONPATH": str(tree), "XDG_DATA_HOME": str(out / "data")}
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "simulator.cli", *COMMAND, "--out", str(out / "staff")],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{tree}: drillsim staff failed:\n{done.stderr}")
    return seconds


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def whole_command(trees: dict[str, Path], rounds: int) -> tuple[list[str], dict[str, list[float]]]:
    """Rounds of raw SimPy and each tree's command, alternating; the table's lines and every time."""
    with tempfile.TemporaryDirectory() as tmp:
        for name, tree in trees.items():  # untimed: fills Numba's cache of that tree
            staff_seconds(tree, Path(tmp) / f"warm-{name}")
        times: dict[str, list[float]] = {"raw": [], **{name: [] for name in trees}}
        loads: list[float] = []
        for r in range(rounds):
            loads.append(os.getloadavg()[0])
            times["raw"].append(run_mmc(SERVERS, RHO, CUSTOMERS, seed=1 + r).wall_seconds)
            for name, tree in trees.items():
                times[name].append(staff_seconds(tree, Path(tmp) / f"r{r}-{name}"))
            loads.append(os.getloadavg()[0])
    raw = statistics.median(times["raw"])
    lines = [
        "## 1. `drillsim staff refund_surge`, the whole command, against raw SimPy",
        "",
        f"{rounds} alternating rounds; seconds are medians; × raw SimPy is the median of the per-round ratios. "
        f"Load average (1 min) around the rounds: {min(loads):.1f} to {max(loads):.1f}, median {statistics.median(loads):.1f}.",
        "",
        "| run | seconds | × raw SimPy |",
        "|---|---:|---:|",
        f"| raw SimPy M/M/30 at 0.9, {CUSTOMERS:,} customers | {raw:.2f} | 1.0 |",
    ]
    for name in trees:
        ratio = statistics.median(t / r for t, r in zip(times[name], times["raw"], strict=True))
        lines.append(f"| `drillsim staff refund_surge`, {name} | {statistics.median(times[name]):.2f} | {ratio:.1f} |")
    lines += ["", "All runs, seconds: " + "; ".join(f"{k} " + ", ".join(f"{t:.2f}" for t in v) for k, v in times.items())]
    return lines, times


def floor_share(rounds: int) -> list[str]:
    """Customers per second of the numpy floor and of a kernel replication, alternating."""
    plan = load_plan()
    sc = stationary_scenario(SERVERS, RHO, mean_service_min=10.0, customers=CUSTOMERS)
    targets = team_targets(plan)
    customers = len(run_kernel(plan, sc, seed=1).log.complaints)

    def floor(seed: int) -> None:
        rng = np.random.default_rng(seed)
        arrive = np.cumsum(rng.exponential(10.0 / (RHO * SERVERS), customers))
        serve(arrive, rng.exponential(10.0, customers), None, SERVERS, [])

    def replication(seed: int) -> None:
        evaluate(run_kernel(plan, sc, seed=seed).log, plan, targets)

    floor(0)
    times: dict[str, list[float]] = {"floor": [], "kernel": []}
    for r in range(rounds):
        times["floor"].append(timed(lambda r=r: floor(1 + r)))
        times["kernel"].append(timed(lambda r=r: replication(1 + r)))
    f, k = (statistics.median(times[n]) for n in ("floor", "kernel"))
    share = statistics.median(a / b for a, b in zip(times["floor"], times["kernel"], strict=True))
    return [
        "## 2. A kernel replication against the numpy floor (M/M/30 at 0.9, one core)",
        "",
        f"{rounds} alternating rounds, medians. Floor: numpy draws of arrivals and handling times, then the compiled "
        "queue recursion (`fcfs.serve`); kernel: `run_kernel` on the same queue as a stationary scenario, "
        "with the team targets scored.",
        "",
        "| run | customers | seconds | customers/s |",
        "|---|---:|---:|---:|",
        f"| numpy floor | {customers:,} | {f:.4f} | {customers / f:,.0f} |",
        f"| kernel replication + scoring | {customers:,} | {k:.4f} | {customers / k:,.0f} |",
        "",
        f"The kernel replicates at **{100 * share:.0f}%** of the floor's rate (median of per-round ratios).",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--before", type=Path, help="an earlier tree of the project to time in the same rounds")
    parser.add_argument("--record", type=Path, help="write the figures to this Markdown file")
    args = parser.parse_args()
    trees = {"this tree": ROOT} if args.before is None else {"before": args.before, "this tree": ROOT}
    head = [
        "# Minimum-staff search: measured figures",
        "",
        f"Machine: {os.cpu_count()} cores, Python {platform.python_version()}; "
        f"produced by `python -m bench.bench_staff --rounds {args.rounds}"
        + (" --before DIR`." if args.before else "`."),
        "",
    ]
    lines, _ = whole_command(trees, args.rounds)
    text = "\n".join([*head, *lines, "", *floor_share(max(args.rounds, 5))]) + "\n"
    print(text)
    if args.record:
        args.record.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
