"""Benchmark: what starting ``drillsim`` costs — ``drillsim --help`` and ``import simulator.cli`` — before and after.

Two installs are compared side by side, each given as the ``bin`` folder of a virtual environment
where drillsim is installed (``--before`` and ``--after``; the default ``--after`` is this
interpreter's). Round by round, alternating the two, it times the whole command a user runs,
``BIN/drillsim --help``: wall time, and the child's CPU time (user + system) and peak memory from
``wait4``; and ``BIN/python -X importtime -c "import simulator.cli"``: the import time it reports
(the root modules' cumulative sum) and the heaviest modules. Medians, with the load average
at the start. ``--record FILE`` writes the Markdown table too.

    python bench/bench_startup.py --before /path/to/old-venv/bin [--rounds 9] [--record bench/results/startup.md]
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
from pathlib import Path

NEUTRAL = tempfile.gettempdir()
"""The working folder of the measured commands."""


def run_help(bin_dir: Path) -> tuple[float, float, float]:
    """(wall s, CPU s, peak RSS MB) of ``drillsim --help``."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [str(bin_dir / "drillsim"), "--help"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=NEUTRAL
    )
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{bin_dir}/drillsim --help exited {proc.returncode}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def import_time(bin_dir: Path) -> tuple[float, list[tuple[str, float]]]:
    """(total import s, the five heaviest top-level packages with their cumulative s) of ``import simulator.cli``."""
    out = subprocess.run(
        [str(bin_dir / "python"), "-X", "importtime", "-c", "import simulator.cli"],
        capture_output=True,
        text=True,
        check=True,
        cwd=NEUTRAL,  # not a checkout: ``-c`` puts the working folder first on sys.path
    )
    total = 0.0
    packages: dict[str, float] = {}
    for line in out.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        _, cumulative_us, name = line.removeprefix("import time:").split("|", 2)
        if not name.startswith("  "):  # one space after the bar: a module imported at the top level
            total += int(cumulative_us) / 1e6
        top = name.strip().split(".")[0]
        if name.strip() == top:
            packages[top] = max(packages.get(top, 0.0), int(cumulative_us) / 1e6)
    heaviest = sorted(packages.items(), key=lambda kv: -kv[1])[:5]
    return total, heaviest


def main() -> None:
    """Measure both installs in alternating rounds and print (and record) the medians."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--before", type=Path, required=True, help="bin folder of the venv with the old drillsim")
    ap.add_argument("--after", type=Path, default=Path(sys.executable).parent, help="bin folder of the venv with the new one")
    ap.add_argument("--rounds", type=int, default=9)
    ap.add_argument("--record", type=Path, help="also write the table to this file")
    args = ap.parse_args()
    installs = {"before": args.before, "after": args.after}
    load = os.getloadavg()[0]
    runs: dict[str, list[tuple[float, float, float]]] = {k: [] for k in installs}
    imports: dict[str, list[float]] = {k: [] for k in installs}
    heaviest: dict[str, list[tuple[str, float]]] = {}
    for _ in range(args.rounds):
        for name, bin_dir in installs.items():
            runs[name].append(run_help(bin_dir))
            total, top = import_time(bin_dir)
            imports[name].append(total)
            heaviest[name] = top
    lines = [
        "# Start-up benchmark",
        "",
        f"`drillsim --help` and `import simulator.cli`, before and after, {args.rounds} alternating rounds, medians.\n"
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
        f"load average {load:.2f} at the start.",
        "",
        "| install | --help wall s | --help CPU s | --help peak MB | import simulator.cli s | heaviest imports (cumulative s) |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for name in installs:
        wall, cpu, rss = (statistics.median(x[i] for x in runs[name]) for i in range(3))
        top = ", ".join(f"{m} {s:.2f}" for m, s in heaviest[name])
        lines.append(f"| {name} | {wall:.3f} | {cpu:.3f} | {rss:.0f} | {statistics.median(imports[name]):.3f} | {top} |")
    ratio = statistics.median(x[1] for x in runs["before"]) / statistics.median(x[1] for x in runs["after"])
    lines += ["", f"CPU time of `drillsim --help`: {ratio:.0f}× less after.", ""]
    text = "\n".join(lines)
    print(text)
    if args.record:
        args.record.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
