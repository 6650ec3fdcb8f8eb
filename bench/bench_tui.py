"""Speed of the drill UI's clock tick at the top speed on the largest bundled scenario.

The largest scenario is the one with the most expected complaints (baseline × the surge curve
integrated over the horizon). The app runs headless at 100×30 with one trainee (command centre);
the clock is put at the surge's peak, then:

1. tick: ``N`` ticks at the top speed, each timed from the engine's advance to the last widget
   update (what the console's ``ClockTicked`` handler does: ``Driver.tick`` + ``drain`` +
   ``ConsoleScreen.show``); median, p90 and max. Target: median under 50 ms.
2. paced: the real timer for ``SECONDS`` wall seconds at the top speed (painting included):
   the simulated time reached against what the nominal speed asks.

Run from the repository root::

    python -m bench.bench_tui               # writes bench/results/tui.md
    python -m bench.bench_tui --ticks 100

The figures depend on the machine and on what else runs on it; the load average is recorded.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from simulator.drill import DrillSession, parse_trainee
from simulator.engine import Engine
from simulator.load import DEFAULT_PLAN, load_plan, load_scenario, scenarios_dir
from simulator.model import MINUTES_PER_DAY, MINUTES_PER_HOUR, Plan, Scenario
from tui.app import make_app
from tui.screens.console import ConsoleScreen
from tui.settings import SPEEDS, Settings

RESULTS = Path(__file__).parent / "results" / "tui.md"
SIZE = (100, 30)
SECONDS = 10.0


def expected_load(plan: Plan, scenario: Scenario) -> tuple[float, float]:
    """(expected complaints over the horizon, hour of the peak surge) of a scenario."""
    engine = Engine(plan, scenario)
    hours = int(scenario.horizon_days * 24)
    factors = [engine.surge(h * MINUTES_PER_HOUR) for h in range(hours)]
    total = scenario.complaints.baseline_per_day / 24 * sum(factors)
    return total, float(max(range(hours), key=factors.__getitem__))


def largest(plan: Plan) -> tuple[Path, float, float]:
    """The bundled scenario with the most expected complaints, its expected count and peak hour."""
    best: tuple[Path, float, float] | None = None
    for path in sorted(scenarios_dir().glob("*.yaml")):
        if path.name == DEFAULT_PLAN:
            continue
        total, peak = expected_load(plan, load_scenario(path, plan))
        if best is None or total > best[1]:
            best = (path, total, peak)
    assert best is not None
    return best


async def measure(path: Path, peak_h: float, ticks: int, live: bool) -> dict[str, Any]:
    """Time ``ticks`` UI ticks (or, ``live``, run the real timer) from the surge's peak."""
    plan = load_plan()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        session = DrillSession.start(path, None, [parse_trainee("bench:command", plan)], folder=folder / "s", db=folder / "db")
        settings = Settings(lang="zh", speed=max(SPEEDS), live=live, auto_pause=False)
        app = make_app(session, settings)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("enter")
            await pilot.pause()
            console = app.screen
            assert isinstance(console, ConsoleScreen)
            driver = app.driver
            start = min(peak_h * MINUTES_PER_HOUR, session.engine.horizon - MINUTES_PER_DAY)
            session.advance(start)
            console.show(driver.drain())
            await pilot.pause()
            driver.running = True
            if live:
                t0, w0 = session.now, time.perf_counter()
                await asyncio.sleep(SECONDS)
                wall = time.perf_counter() - w0
                driver.running = False
                reached = session.now - t0
                nominal = max(SPEEDS) * wall / 60.0
                return {"wall_s": wall, "sim_min": reached, "nominal_min": nominal, "pace": reached / nominal}
            times = []
            for _ in range(ticks):
                t = time.perf_counter()
                driver.tick()
                console.show(driver.drain())
                times.append(time.perf_counter() - t)
                await pilot.pause(0)
            return {
                "sim_min": session.now - start,
                "median_ms": 1000 * statistics.median(times),
                "p90_ms": 1000 * statistics.quantiles(times, n=10)[-1],
                "max_ms": 1000 * max(times),
            }


def main() -> None:
    """Run both measurements, print them and write the results file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ticks", type=int, default=300)
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()
    plan = load_plan()
    path, total, peak_h = largest(plan)
    print(f"largest bundled scenario: {path.stem} (~{total:,.0f} complaints; surge peak at hour {peak_h:g})")
    tick = asyncio.run(measure(path, peak_h, args.ticks, live=False))
    print(
        f"tick at {max(SPEEDS)}x: median {tick['median_ms']:.1f} ms, p90 {tick['p90_ms']:.1f} ms, "
        f"max {tick['max_ms']:.1f} ms over {args.ticks} ticks ({tick['sim_min']:.0f} simulated minutes)"
    )
    paced = asyncio.run(measure(path, peak_h, 0, live=True))
    print(
        f"paced by the timer for {paced['wall_s']:.1f} s: {paced['sim_min']:.0f} simulated minutes of "
        f"{paced['nominal_min']:.0f} asked ({100 * paced['pace']:.0f}% of nominal speed)"
    )
    if args.no_write:
        return
    load = os.getloadavg()
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        "\n".join(
            [
                "# Drill UI tick speed",
                "",
                "`python -m bench.bench_tui` — one UI tick = advance the engine one slice at the top speed, "
                "then refresh the clock, dashboard, duties and feed (the console's tick handler).",
                "",
                f"- when: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; machine: {platform.machine()}, {os.cpu_count()} CPUs, "
                f"Python {platform.python_version()}; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}",
                f"- scenario: `{path.stem}` (the largest bundled: ~{total:,.0f} complaints), from its surge peak "
                f"(hour {peak_h:g}); terminal 100×30; speed {max(SPEEDS)}× (slice = 6 simulated minutes)",
                "",
                "| measure | value | target |",
                "|---|---|---|",
                f"| tick, median | {tick['median_ms']:.1f} ms | < 50 ms |",
                f"| tick, p90 | {tick['p90_ms']:.1f} ms | |",
                f"| tick, max | {tick['max_ms']:.1f} ms | |",
                f"| paced run ({paced['wall_s']:.0f} s wall, painting included) | "
                f"{100 * paced['pace']:.0f}% of nominal speed | |",
                "",
            ]
        ),
        encoding="utf-8",
    )
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
