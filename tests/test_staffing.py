"""The minimum-staff search: agreement with Erlang C / Erlang A staffing, and bisection against the full grid."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
import yaml

from simulator.cli.args import resolve
from simulator.cli.main import build_parser
from simulator.load import load_scenario, scenarios_dir
from simulator.load.stationary import stationary_scenario
from simulator.model import Dist, Plan, Scenario, UserError
from simulator.score import select, team_targets
from simulator.sweep import Context, aggregate, criteria, grid, run_sweep, search
from simulator.sweep.executors import SerialExecutor
from simulator.sweep.queueing import erlang_a, erlang_c, min_servers_erlang_a, min_servers_mmc


def drillsim(*argv: str) -> int:
    p = build_parser()
    args = p.parse_args(list(argv))
    return int(resolve(args.handler)(args))


def scenario_file(scenario: Scenario, folder: Path) -> Path:
    path = folder / f"{scenario.id}.yaml"
    path.write_text(yaml.safe_dump(scenario.model_dump(mode="json"), allow_unicode=True), encoding="utf-8")
    return path


def test_staff_command_agrees_with_erlang_c(tmp_path: Path) -> None:
    """Fewest agents with 85% of customers waiting at most 10 min, offered load 10 Erlangs."""
    lam, mu, wait, share = 1.0, 0.1, 10.0, 0.85
    analytic = min_servers_mmc(lam, mu, max_wait=wait, target=share)
    level = [1 - erlang_c(c, lam, mu) * math.exp(-(c * mu - lam) * wait) for c in (analytic - 1, analytic)]
    assert level[0] < share - 0.05 and level[1] > share + 0.05  # the case has a clear answer
    path = scenario_file(stationary_scenario(12, lam / (12 * mu), mean_service_min=1 / mu, customers=8000), tmp_path)
    out = tmp_path / "out"
    argv = ["staff", str(path), "--service", f"comms:{wait:g}:{share}", "--range", "comms=8:20", "--reps", "6", "--workers", "1"]
    assert drillsim(*argv, "--out", str(out)) == 0
    (team,) = json.loads((out / "staffing.json").read_text())["teams"]
    assert team["team"] == "comms" and team["minimum"] == analytic
    assert len(team["tried"]) < 20 - 8 + 1


def test_staff_command_agrees_with_erlang_a(tmp_path: Path) -> None:
    """Fewest operators with at most 5.5% of callers hanging up (patience 5 min, service 10 min)."""
    lam, mu, theta, limit = 1.2, 0.1, 0.2, 0.055
    analytic = min_servers_erlang_a(lam, mu, theta, max_abandon=limit)
    assert (
        erlang_a(analytic - 1, lam, mu, theta).p_abandon
        > limit + 0.008
        > limit - 0.008
        > erlang_a(analytic, lam, mu, theta).p_abandon
    )
    scenario = stationary_scenario(
        12, lam / (12 * mu), mean_service_min=1 / mu, customers=8000, patience=Dist(kind="exponential", mean=1 / theta)
    )
    out = tmp_path / "out"
    argv = [
        "staff",
        str(scenario_file(scenario, tmp_path)),
        "--max-abandon",
        str(limit),
        "--range",
        "hotline=8:24",
        "--reps",
        "6",
    ]
    assert drillsim(*argv, "--workers", "1", "--out", str(out)) == 0
    (team,) = json.loads((out / "staffing.json").read_text())["teams"]
    assert team["team"] == "hotline" and team["minimum"] == analytic


def test_bisection_finds_the_first_passing_point_of_the_full_grid(plan: Plan, tmp_path: Path) -> None:
    scenario = load_scenario(scenarios_dir() / "cosmetics_allergy.yaml", plan)
    ctx = Context(plan, scenario)
    targets = team_targets(plan)
    crit = criteria(targets, list(plan.teams))["verify"]
    assert set(crit.targets) == {"TEAM-VERIFY/verify_preliminary", "TEAM-VERIFY/verify_facts"}
    answer = search(ctx, "verify", crit, (1, 8), 8, SerialExecutor(), tmp_path)
    points = grid([("verify", list(range(1, 9)))])
    per_point = run_sweep(ctx, points, 8, SerialExecutor(), tmp_path / "grid.jsonl")
    passing = [
        p["verify"] for p, recs in zip(points, per_point, strict=True) if crit.judge(aggregate(p, recs, targets), "verify", 0.95)
    ]
    assert answer.minimum is not None and answer.minimum == passing[0] > 1
    assert passing == list(range(passing[0], 9))  # monotone under common random numbers
    assert answer.tried[answer.minimum]["ok"] and not answer.tried[answer.minimum - 1]["ok"]
    assert len(answer.tried) < len(points)


def test_a_team_that_cannot_make_it_in_range_has_no_answer(plan: Plan, tmp_path: Path) -> None:
    scenario = load_scenario(scenarios_dir() / "cosmetics_allergy.yaml", plan)
    crit = criteria(team_targets(plan), list(plan.teams))["verify"]
    answer = search(Context(plan, scenario), "verify", crit, (1, 2), 4, SerialExecutor(), tmp_path)
    assert answer.minimum is None and list(answer.tried) == [2]


def test_target_selection_and_errors(plan: Plan) -> None:
    targets = team_targets(plan)
    assert {t.kind for t in targets} == {"task", "callbacks", "answered_fraction"}
    assert [t.key for t in select(targets, ["TEAM-VERIFY"])] == ["TEAM-VERIFY/verify_preliminary", "TEAM-VERIFY/verify_facts"]
    with pytest.raises(ValueError, match="no timed team target 'REPORT-1'"):
        select(targets, ["REPORT-1"])
    with pytest.raises(UserError, match="--target"):
        drillsim("staff", "cosmetics_allergy", "--target", "REPORT-1")
    with pytest.raises(UserError, match="--service"):
        drillsim("staff", "cosmetics_allergy", "--service", "comms:ten:0.8")
