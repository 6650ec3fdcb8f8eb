"""Same seed and same decisions give the same event log, byte for byte."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import pytest

from simulator.batch import RunResult, run
from simulator.model import Decision, Plan, Scenario
from simulator.record import DecisionMade, EventLog


def log_bytes(result: RunResult, folder: Path) -> bytes:
    """The bytes of the ``events.jsonl`` that ``RunResult.write`` puts in ``folder``."""
    result.write(folder)
    return (folder / "events.jsonl").read_bytes()


def recorded(log: EventLog, roles: Iterable[str] | None = None) -> list[Decision]:
    """The decisions a log records (of ``roles`` only, when given), as a replayable list."""
    keep = None if roles is None else set(roles)
    return [
        Decision(e.t, e.action, e.role, e.actor, dict(e.params), e.contents)
        for e in log.of(DecisionMade)
        if keep is None or e.role in keep
    ]


@pytest.fixture(scope="module")
def battery(bundled: Callable[[str], tuple[Scenario, RunResult]]) -> tuple[Scenario, RunResult]:
    """The battery-fires scenario (injects, two levels, many decisions) and its auto run."""
    return bundled("battery_fires")


def test_same_seed_same_bytes(plan: Plan, battery: tuple[Scenario, RunResult], tmp_path: Path) -> None:
    scenario, first = battery
    again = run(plan, scenario)
    assert log_bytes(first, tmp_path / "a") == log_bytes(again, tmp_path / "b")


def test_other_seed_other_log(plan: Plan, battery: tuple[Scenario, RunResult], tmp_path: Path) -> None:
    scenario, first = battery
    other = run(plan, scenario, seed=scenario.seed + 1)
    assert other.log.meta.seed == scenario.seed + 1
    assert log_bytes(first, tmp_path / "a") != log_bytes(other, tmp_path / "b")


def test_replayed_decisions_twice_same_bytes(plan: Plan, battery: tuple[Scenario, RunResult], tmp_path: Path) -> None:
    scenario, auto = battery
    decisions = recorded(auto.log)
    assert len(decisions) > 10
    first = run(plan, scenario, decisions=decisions, auto_roles=[])
    again = run(plan, scenario, decisions=decisions, auto_roles=[])
    assert sum(1 for _ in first.log.of(DecisionMade)) == len(decisions)
    assert log_bytes(first, tmp_path / "a") == log_bytes(again, tmp_path / "b")


def test_replay_with_some_roles_automatic_twice_same_bytes(
    plan: Plan, battery: tuple[Scenario, RunResult], tmp_path: Path
) -> None:
    scenario, auto = battery
    trainee = {"command", "pr"}
    assert trainee <= set(plan.roles)
    decisions = [Decision(d.t, d.action, d.role, "trainee", d.params, d.contents) for d in recorded(auto.log, trainee)]
    others = sorted(set(plan.roles) - trainee)
    first = run(plan, scenario, decisions=decisions, auto_roles=others)
    again = run(plan, scenario, decisions=decisions, auto_roles=others)
    made = list(first.log.of(DecisionMade))
    assert {e.role for e in made if e.actor == "trainee"} == trainee
    assert {e.role for e in made if e.actor == "auto"} <= set(others)
    assert log_bytes(first, tmp_path / "a") == log_bytes(again, tmp_path / "b")


def test_staff_override_is_deterministic_and_changes_the_run(
    plan: Plan, bundled: Callable[[str], tuple[Scenario, RunResult]], tmp_path: Path
) -> None:
    scenario, first = bundled("manual_error")
    staffed = run(plan, scenario, staff={"comms": 2})
    again = run(plan, scenario, staff={"comms": 2})
    assert dict(staffed.log.meta.staff)["comms"] == 2
    assert log_bytes(staffed, tmp_path / "a") == log_bytes(again, tmp_path / "b")
    assert log_bytes(staffed, tmp_path / "a") != log_bytes(first, tmp_path / "c")
