"""Exact resume and replay: a drill killed and resumed, and its journal replayed, give its very log.

Decisions are taken at fractional times after clock slices of fractional length, as a user
interface takes them; the clock must stop exactly at the time it was asked for, so that a decision
journaled there is replayed at the identical instant.
"""

from __future__ import annotations

import math
import multiprocessing
import os
import signal
from collections.abc import Sequence
from dataclasses import dataclass
from multiprocessing.synchronize import Event as Synchronized
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.batch import run
from simulator.drill.journal import read_journal
from simulator.drill.session import DrillSession, Trainee
from simulator.engine import Engine
from simulator.load import load_plan, load_scenario, scenarios_dir
from simulator.model import Request, UserError

PLAN = load_plan(None)
TRAINEES = (Trainee("张三", ("duty",)), Trainee("Li", ("pr",)))
START = 2100.0
"""An hour before the short surge's incident report (2160)."""
ACTIONS = (
    Request("register_report", "duty", {}, ("time", "place", "parties", "description", "contact")),
    Request("notify_gm", "duty"),
    Request("open_backup_hotline", "duty"),
    Request("warning_notice", "pr", {}, ("risk_nature", "scope_of_impact")),
    Request("publish_bulletin", "pr", {}, ("status", "measures", "spokesperson")),
)


@pytest.fixture(scope="module")
def scenario_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled refund surge cut to two days at a lower baseline."""
    data = yaml.safe_load((scenarios_dir() / "refund_surge.yaml").read_text(encoding="utf-8"))
    data["horizon_days"] = 2
    data["complaints"]["baseline_per_day"] = 300
    data["injects"] = [inject for inject in data["injects"] if inject["at_h"] <= 2 * 24]
    path = tmp_path_factory.mktemp("scenario") / "short.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@dataclass(frozen=True)
class Step:
    """Run the clock to ``t``, then (maybe) take one decision there."""

    t: float
    request: Request | None


STEPS = st.lists(
    st.tuples(st.floats(0.5, 2800.0, allow_nan=False, allow_infinity=False), st.none() | st.sampled_from(ACTIONS)),
    min_size=2,
    max_size=14,
    unique_by=lambda part: part[0],
)


def schedule(parts: Sequence[tuple[float, Request | None]]) -> list[Step]:
    """Steps in time order: clock stops at fractional times, from minutes apart to a day apart."""
    return [Step(t, request) for t, request in sorted(parts, key=lambda part: part[0])]


def play(session: DrillSession, steps: Sequence[Step]) -> None:
    for step in steps:
        session.advance(step.t)
        if step.request is not None:
            session.decide(step.request)


def _killed_child(folder: Path, scenario: Path, db: Path, steps: Sequence[Step], ready: Synchronized) -> None:
    session = DrillSession.start(scenario, None, TRAINEES, folder=folder, db=db)
    play(session, steps)
    ready.set()
    signal.pause()  # SIGKILLed here, its journal as the steps left it


def kill_after(folder: Path, scenario: Path, db: Path, steps: Sequence[Step]) -> None:
    """Play ``steps`` in another process and SIGKILL it there."""
    ctx = multiprocessing.get_context("fork")
    ready = ctx.Event()
    child = ctx.Process(target=_killed_child, args=(folder, scenario, db, steps, ready))
    child.start()
    try:
        assert ready.wait(60), "the drill process did not get through its steps"
    finally:
        assert child.pid is not None
        os.kill(child.pid, signal.SIGKILL)
        child.join(30)
    assert child.exitcode == -signal.SIGKILL


@given(parts=STEPS, kill=st.integers(0, 13))
@settings(
    max_examples=12, deadline=None, database=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_killed_resumed_and_replayed_drills_log_the_same_bytes(
    parts: list[tuple[float, Request | None]], kill: int, scenario_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    steps = schedule(parts)
    end = min(steps[-1].t + 30.0, 2880.0)
    base = tmp_path_factory.mktemp("drill")

    straight = DrillSession.start(scenario_path, None, TRAINEES, folder=base / "straight", db=base / "r.db")
    play(straight, steps)
    straight.finish(end)
    want = (base / "straight" / "events.jsonl").read_bytes()

    cut = min(kill, len(steps) - 1)
    kill_after(base / "killed", scenario_path, base / "r.db", steps[:cut])
    resumed = DrillSession.resume(base / "killed", db=base / "r.db")
    assert resumed.now <= (steps[cut - 1].t if cut else 0.0)
    play(resumed, steps[cut:])
    resumed.finish(end)
    assert (base / "killed" / "events.jsonl").read_bytes() == want

    journal = read_journal(base / "straight")
    assert [d.t for d in journal.decisions] == [s.t for s in steps if s.request is not None]
    auto = [r for r in PLAN.roles if r not in {"duty", "pr"}]
    scenario = load_scenario(scenario_path, PLAN)
    replayed = run(PLAN, scenario, seed=journal.header.seed, decisions=journal.decisions, auto_roles=auto, until=end)
    replayed.write(base / "replayed")
    assert (base / "replayed" / "events.jsonl").read_bytes() == want


def test_the_clock_stops_exactly_where_it_was_asked(scenario_path: Path) -> None:
    # SimPy's own run(until=t) would stop at now + (t - now); here no delay added to now gives t.
    engine = Engine(PLAN, load_scenario(scenario_path, PLAN))
    engine.advance(901.427)
    t = 2024.4719864
    assert 901.427 + (t - 901.427) != t
    assert not any(901.427 + (t - 901.427 + k * math.ulp(t - 901.427)) == t for k in range(-8, 9))
    engine.advance(t)
    assert engine.now == t


def test_a_live_session_has_one_writer(scenario_path: Path, tmp_path: Path) -> None:
    session = DrillSession.start(scenario_path, None, TRAINEES, folder=tmp_path / "s", db=tmp_path / "r.db")
    session.advance(100.0)
    with pytest.raises(UserError, match=rf"open in another drillsim \(process {os.getpid()} on "):
        DrillSession.resume(tmp_path / "s", db=tmp_path / "r.db")
    with pytest.raises(UserError, match="open in another drillsim"):
        DrillSession.start(scenario_path, None, TRAINEES, folder=tmp_path / "s", db=tmp_path / "r.db")
    session.suspend()
    again = DrillSession.resume(tmp_path / "s", db=tmp_path / "r.db")
    assert again.now == 100.0
    again.suspend()


def test_a_killed_writer_leaves_no_stale_lock(scenario_path: Path, tmp_path: Path) -> None:
    kill_after(tmp_path / "s", scenario_path, tmp_path / "r.db", [Step(START + 0.5, ACTIONS[1])])
    resumed = DrillSession.resume(tmp_path / "s", db=tmp_path / "r.db")
    assert [d.t for d in read_journal(tmp_path / "s").decisions] == [START + 0.5]
    resumed.suspend()


def test_resume_uses_the_sessions_own_copy_and_refuses_it_changed(scenario_path: Path, tmp_path: Path) -> None:
    scenario = tmp_path / "mine.yaml"
    scenario.write_bytes(scenario_path.read_bytes())
    DrillSession.start(scenario, None, TRAINEES, folder=tmp_path / "s", db=tmp_path / "r.db").suspend()
    scenario.unlink()  # the session resumes from its own copy, wherever the original went
    DrillSession.resume(tmp_path / "s", db=tmp_path / "r.db").suspend()
    copy = tmp_path / "s" / "inputs" / "scenario" / "mine.yaml"
    copy.write_bytes(scenario_path.read_bytes() + b"# edited\n")
    with pytest.raises(UserError, match=r"mine\.yaml: the scenario file has changed since the session started"):
        DrillSession.resume(tmp_path / "s", db=tmp_path / "r.db")
    copy.unlink()
    with pytest.raises(UserError, match=r"mine\.yaml: the session's scenario file cannot be read"):
        DrillSession.resume(tmp_path / "s", db=tmp_path / "r.db")
