"""Speed of a hosted drill: ten seats on one ``drillsim host`` at the top speed, on localhost.

The host is a real ``drillsim host`` process on the largest bundled scenario with ten seats: a
player for each of the plan's eight roles, the facilitator and the evaluator. Nine seats are raw
aiohttp clients in this process; the tenth (a player) is the real ``drillsim join`` app running
headless (Textual's ``run_test``), which reads every frame as a seat does. The facilitator puts
the clock at the surge's peak and runs it at the top speed (60 simulated minutes per wall second,
``drillsim play``'s fastest), so views stream to every seat while decisions are taken:

1. round trip: a player submits a decision; the time until every one of the ten seats has its
   acknowledgement (the host journals it, with fsync, before it acknowledges); ``N`` decisions one
   after another, from four players in turn. Median and p95. Aim: median under 50 ms.
2. host CPU: the host process's user + system CPU time (``/proc``) over the run, per simulated
   hour the clock advanced.
3. seat tick: the time the join app takes to read a frame and apply it (parse the view, redraw
   the clock, the side panels and the feed: ``JoinApp.receive``), per view update after the first
   (which carries the whole drill). Median, p95 and max. Aim: under 33 ms.

Run from the repository root::

    python -m bench.bench_host               # writes bench/results/host.md
    python -m bench.bench_host --decisions 100 --no-write

The figures depend on the machine and on what else runs on it; the load average is recorded.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp

from bench.bench_tui import largest
from simulator.load import load_plan
from simulator.model import MINUTES_PER_HOUR
from tui.join import JoinApp

RESULTS = Path(__file__).parent / "results" / "host.md"
ROOT = Path(__file__).resolve().parents[1]
SPEED = 60.0
"""Simulated minutes per wall second: ``drillsim play``'s top speed (3600×)."""
DECIDERS: dict[str, tuple[str, list[str]]] = {
    "duty": ("notify_gm", []),
    "qa": ("national_filing", []),
    "command": ("request_upgrade", []),
    "pr": ("warning_notice", ["risk_nature", "scope_of_impact"]),
}
"""The players who take the decisions, each with an action of its role and the elements it carries."""
APP_SEAT = "p-legal"
"""The seat the real join app holds."""


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def pct(values: list[float], p: int) -> float:
    """The p-th percentile."""
    return statistics.quantiles(values, n=100)[p - 1]


@dataclass
class Seat:
    """A raw seat: its socket and when each acknowledgement reached it."""

    name: str
    ws: aiohttp.ClientWebSocketResponse
    acks: list[float] = field(default_factory=list)
    """When each acknowledgement arrived (one decision is in flight at a time: the i-th is the i-th decision's)."""
    t: float = 0.0
    """The clock of the last view."""


async def read(seat: Seat) -> None:
    """Note each acknowledgement's arrival; keep the clock; skip the rest unparsed."""
    async for msg in seat.ws:
        if msg.type is not aiohttp.WSMsgType.TEXT:
            continue
        now = time.perf_counter()
        data: str = msg.data
        if data.startswith('{"type":"ack"'):
            seat.acks.append(now)
        elif data.startswith('{"type":"view"'):
            seat.t = float(re.search(r'"t":([0-9.eE+-]+)', data).group(1))  # type: ignore[union-attr]


class TimedJoin(JoinApp):
    """The join app, timing each frame it takes in."""

    def __init__(self, url: str) -> None:
        super().__init__(url, "zh")
        self.ticks: list[float] = []
        self.acks: list[float] = []
        """When each acknowledgement was taken in."""

    def receive(self, text: str) -> None:
        """Time reading and applying a view update (the first, the whole drill, is left out)."""
        start = time.perf_counter()
        super().receive(text)
        end = time.perf_counter()
        if text.startswith('{"type":"view"') and self.view is not None and self.view.since > 0:
            self.ticks.append(end - start)
        elif text.startswith('{"type":"ack"'):
            self.acks.append(end)


def start_host(folder: Path, scenario: str, roles: list[str]) -> tuple[subprocess.Popen[str], dict[str, str]]:
    """``drillsim host`` with a player per role; its seats' links."""
    seats = [a for r in roles for a in ("--seat", f"p-{r}:{r}")]
    argv = [sys.executable, "-m", "simulator.cli", "host", scenario, *seats, "--folder", str(folder / "s"), "--port", "0"]
    argv += ["--db", str(folder / "r.db")]
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True, cwd=ROOT)
    assert proc.stdout is not None
    links: dict[str, str] = {}
    name = ""
    while len(links) < len(roles) + 2:
        line = proc.stdout.readline()
        assert line, "the host stopped"
        if line.startswith("  drillsim join "):
            links[name] = line.split()[-1]
        elif " (" in line:
            name = line.split(" (", 1)[0]
    return proc, links


async def measure(decisions: int) -> dict[str, Any]:
    """Run the host, the seats and the decisions; return the figures."""
    plan = load_plan()
    path, total, peak_h = largest(plan)
    roles = list(plan.roles)
    with tempfile.TemporaryDirectory() as tmp:
        proc, links = start_host(Path(tmp), str(path), roles)
        try:
            async with aiohttp.ClientSession() as http:
                seats = [Seat(n, await http.ws_connect(u, max_msg_size=0)) for n, u in links.items() if n != APP_SEAT]
                readers = [asyncio.create_task(read(s)) for s in seats]
                app = TimedJoin(links[APP_SEAT])
                async with app.run_test(size=(120, 36)) as pilot:
                    while app.view is None:
                        await pilot.pause(0.05)
                    by_name = {s.name: s for s in seats}
                    fac = by_name["facilitator"]
                    start = peak_h * MINUTES_PER_HOUR - 120
                    await fac.ws.send_json({"type": "control", "op": "jump", "value": start})
                    await fac.ws.send_json({"type": "control", "op": "speed", "value": SPEED})
                    while fac.t < start:
                        await asyncio.sleep(0.01)
                    cpu0, wall0, t0 = cpu_seconds(proc.pid), time.perf_counter(), fac.t
                    await fac.ws.send_json({"type": "control", "op": "start"})
                    trips: list[float] = []
                    deciders = [(by_name[f"p-{r}"], r, *DECIDERS[r]) for r in DECIDERS]
                    for i in range(decisions):
                        seat, role, action, contents = deciders[i % len(deciders)]
                        ref = f"d{i}"
                        sent = time.perf_counter()
                        decide = {"type": "decide", "ref": ref, "action": action, "role": role, "contents": contents}
                        await seat.ws.send_json(decide)
                        while len(app.acks) <= i or not all(len(s.acks) > i for s in seats):
                            await asyncio.sleep(0.0005)
                        trips.append(max(app.acks[i], *(s.acks[i] for s in seats)) - sent)
                        await asyncio.sleep(0.02)
                    await fac.ws.send_json({"type": "control", "op": "pause"})
                    cpu, wall, sim = cpu_seconds(proc.pid) - cpu0, time.perf_counter() - wall0, fac.t - t0
                    ticks = list(app.ticks)
                for r in readers:
                    r.cancel()
        finally:
            proc.terminate()
            proc.wait(30)
    return {
        "scenario": path.stem,
        "complaints": total,
        "peak_h": peak_h,
        "trip_median_ms": 1000 * statistics.median(trips),
        "trip_p95_ms": 1000 * pct(trips, 95),
        "trip_max_ms": 1000 * max(trips),
        "decisions": len(trips),
        "cpu_s": cpu,
        "wall_s": wall,
        "sim_h": sim / MINUTES_PER_HOUR,
        "tick_median_ms": 1000 * statistics.median(ticks),
        "tick_p95_ms": 1000 * pct(ticks, 95),
        "tick_max_ms": 1000 * max(ticks),
        "ticks": len(ticks),
    }


def main() -> None:
    """Run the measurement, print it and write the results file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--decisions", type=int, default=200)
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()
    f = asyncio.run(measure(args.decisions))
    cpu_per_h = f["cpu_s"] / f["sim_h"]
    lines = [
        f"scenario {f['scenario']} (~{f['complaints']:,.0f} complaints) from hour {f['peak_h'] - 2:g}, 10 seats, "
        f"{SPEED:g} sim-min/s",
        f"round trip (submit → fsync → ack at all 10 seats): median {f['trip_median_ms']:.1f} ms, "
        f"p95 {f['trip_p95_ms']:.1f} ms, max {f['trip_max_ms']:.1f} ms over {f['decisions']} decisions",
        f"host CPU: {f['cpu_s']:.2f} s over {f['wall_s']:.1f} s wall and {f['sim_h']:.1f} simulated hours "
        f"= {cpu_per_h:.2f} CPU s per simulated hour",
        f"seat tick (join app reads and applies a view): median {f['tick_median_ms']:.1f} ms, "
        f"p95 {f['tick_p95_ms']:.1f} ms, max {f['tick_max_ms']:.1f} ms over {f['ticks']} views",
    ]
    print("\n".join(lines))
    if args.no_write:
        return
    load = os.getloadavg()
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        "\n".join(
            [
                "# Hosted drill: ten seats on one host",
                "",
                "`python -m bench.bench_host` — a real `drillsim host` process, ten seats on localhost (nine aiohttp "
                "clients and one headless `drillsim join` app, all in the bench's process), the clock running at the top "
                f"speed ({SPEED:g} simulated minutes per second) while players take decisions one after another.",
                "",
                f"- when: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; machine: {platform.machine()}, {os.cpu_count()} CPUs, "
                f"Python {platform.python_version()}; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}",
                f"- scenario: `{f['scenario']}` (the largest bundled: ~{f['complaints']:,.0f} complaints), from two hours "
                f"before its surge peak (hour {f['peak_h']:g}); {f['decisions']} decisions, 20 ms apart",
                "",
                "| measure | value | aim |",
                "|---|---|---|",
                f"| round trip (submit → journal fsync → ack at all 10 seats), median | {f['trip_median_ms']:.1f} ms | < 50 ms |",
                f"| round trip, p95 | {f['trip_p95_ms']:.1f} ms | |",
                f"| round trip, max | {f['trip_max_ms']:.1f} ms | |",
                f"| host CPU per simulated hour | {cpu_per_h:.2f} s ({f['cpu_s']:.1f} s CPU, {f['sim_h']:.1f} h simulated, "
                f"{f['wall_s']:.0f} s wall) | |",
                f"| seat tick (join app: parse + apply a view), median | {f['tick_median_ms']:.1f} ms | < 33 ms |",
                f"| seat tick, p95 | {f['tick_p95_ms']:.1f} ms | |",
                f"| seat tick, max | {f['tick_max_ms']:.1f} ms | |",
                "",
            ]
        ),
        encoding="utf-8",
    )
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
