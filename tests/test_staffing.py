"""The minimum-staff search: agreement with Erlang C / Erlang A staffing, and bisection against the full grid."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
import yaml

from simulator.cli.args import resolve
from simulator.cli.main import build_parser
from simulator.load import load_plan, load_scenario, scenarios_dir
from simulator.load.stationary import stationary_scenario
from simulator.model import Dist, Plan, Scenario, UserError
from simulator.score import select, team_targets
from simulator.sweep import Context, criteria, fewest_reps, search
from simulator.sweep.executors import SerialExecutor
from simulator.sweep.grid import aggregate, run_sweep, wilson
from simulator.sweep.queueing import erlang_a, erlang_c, min_servers_erlang_a, min_servers_mmc
from simulator.sweep.staffing import FIRST_LOOK, Criterion, looks, settle


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


def test_the_search_finds_the_first_passing_point_of_the_full_grid(plan: Plan, tmp_path: Path) -> None:
    scenario = load_scenario(scenarios_dir() / "cosmetics_allergy.yaml", plan)
    ctx = Context(plan, scenario)
    targets = team_targets(plan)
    crit = criteria(targets, list(plan.teams))["verify"]
    assert set(crit.targets) == {"TEAM-VERIFY/verify_preliminary", "TEAM-VERIFY/verify_facts"}
    answer = search(ctx, "verify", crit, (1, 8), 100, SerialExecutor(), tmp_path, targets)
    owned = [t for t in targets if t.key in crit.targets]
    full = {n: settle(ctx, {"verify": n}, crit, owned, 100, SerialExecutor(), tmp_path / "grid.jsonl", 0.95) for n in range(1, 9)}
    passing = [n for n, stats in full.items() if stats["ok"]]
    assert answer.minimum is not None and answer.minimum == passing[0] > 1
    assert passing == list(range(passing[0], 9))  # monotone under common random numbers
    assert answer.tried[answer.minimum]["ok"] and not answer.tried[answer.minimum - 1]["ok"]
    assert len(answer.tried) < len(full)
    grid = tmp_path / "grid.jsonl"
    firsts = {n: settle(ctx, {"verify": n}, crit, owned, 100, SerialExecutor(), grid, 0.95, first=True) for n in full}
    for n, stats in answer.tried.items():  # the same replications as the full grid's, number for number
        assert stats["requirements"] == (firsts if stats["ok"] is None else full)[n]["requirements"]
    # Only the staffings next to the answer got more replications than the first look's.
    assert {n for n, stats in answer.tried.items() if stats["reps"] > FIRST_LOOK} <= {answer.minimum - 1, answer.minimum}


def test_a_team_that_cannot_make_it_in_range_has_no_answer(plan: Plan, tmp_path: Path) -> None:
    scenario = load_scenario(scenarios_dir() / "cosmetics_allergy.yaml", plan)
    targets = team_targets(plan)
    crit = criteria(targets, list(plan.teams))["verify"]
    answer = search(Context(plan, scenario), "verify", crit, (1, 2), 100, SerialExecutor(), tmp_path, targets)
    assert answer.minimum is None and sorted(answer.tried) == [2]  # the top of the range fails: nothing below is tried


def stats_of(met: int, counted: int, reps: int, within: tuple[float, float, float] | None = None) -> dict[str, Any]:
    """The statistics of a staffing point where one target held in ``met`` of ``counted`` replications."""
    lo, hi = wilson(met, counted)
    target = {"met": met, "counted": counted, "p": met / counted if counted else None, "lo": lo, "hi": hi}
    out: dict[str, Any] = {"reps": reps, "targets": {"T": target}, "all_targets": target, "within": {}}
    if within is not None:
        out["within"]["comms:10"] = dict(zip(("mean", "lo", "hi"), within, strict=True))
    return out


def test_confidence_applies_to_every_requirement() -> None:
    """A target met in 96% of 200 replications is not shown to hold at 95% (its lower bound is below); nor a
    service level whose mean clears its share but whose lower bound does not."""
    crit = Criterion(("T",))
    assert crit.verdict(stats_of(192, 200, 200), 0.95) is None
    assert crit.verdict(stats_of(200, 200, 200), 0.95) is True
    assert crit.verdict(stats_of(180, 200, 200), 0.95) is False
    assert crit.verdict(stats_of(72, 72, 72), 0.95) is None and crit.verdict(stats_of(73, 73, 73), 0.95) is True
    assert fewest_reps(0.95) == 73
    # A target that came due in 30 of 200 replications and was met each time did not fail in any.
    assert crit.verdict(stats_of(30, 30, 200), 0.95) is True
    level = Criterion(service=(("comms", 10.0, 0.8),))
    assert level.verdict(stats_of(1, 1, 50, (0.81, 0.79, 0.83)), 0.95) is None
    assert level.verdict(stats_of(1, 1, 50, (0.85, 0.82, 0.88)), 0.95) is True
    assert level.verdict(stats_of(1, 1, 50, (0.75, 0.72, 0.78)), 0.95) is False


def test_a_target_that_cannot_clear_at_any_later_look_is_futile() -> None:
    """146 replications with 4 misses: even holding in the 54 left, 196 of 200 has a Wilson lower bound
    below 95%, so the point fails now; with 3 misses, 197 of 200 would clear, so it stays open."""
    crit = Criterion(("T",))
    assert wilson(196, 200)[0] < 0.95 <= wilson(197, 200)[0]
    assert looks(0.95, 200) == [25, 73, 146, 200]
    assert crit.verdict(stats_of(142, 146, 146), 0.95) is None
    assert crit.verdict(stats_of(142, 146, 146), 0.95, [200]) is False
    assert crit.checks(stats_of(142, 146, 146), 0.95, [200])["T"]["futile"]
    assert crit.verdict(stats_of(143, 146, 146), 0.95, [200]) is None
    # Misses early weigh the same: 4 in the first 25 cannot clear at any later look, 3 still can (at 200).
    assert crit.verdict(stats_of(21, 25, 25), 0.95, [73, 146, 200]) is False
    assert crit.verdict(stats_of(22, 25, 25), 0.95, [73, 146, 200]) is None


def test_a_point_stopped_for_futility_could_not_have_cleared(plan: Plan, tmp_path: Path) -> None:
    """Verify at 4 on the refund surge (its own seed, as ``drillsim staff`` runs it) sits on the 95% line:
    the search stops it early for futility, and the same replications run on to every later look never
    show it to hold."""
    scenario = load_scenario(scenarios_dir() / "refund_surge.yaml", plan)
    ctx, targets = Context(plan, scenario, base_seed=scenario.seed), team_targets(plan)
    crit = criteria(targets, list(plan.teams))["verify"]
    owned = [t for t in targets if t.key in crit.targets]
    point, path = {"verify": 4}, tmp_path / "a.jsonl"
    stopped = settle(ctx, point, crit, owned, 200, SerialExecutor(), path, 0.95)
    assert not stopped["ok"] and stopped["reps"] < 200
    assert any(c.get("futile") for c in stopped["requirements"].values())
    for n in (n for n in looks(0.95, 200) if n > stopped["reps"]):
        stats = aggregate(point, run_sweep(ctx, [point], n, SerialExecutor(), path)[0], owned, 0.95)
        assert crit.verdict(stats, 0.95) is not True


def test_a_point_gets_more_replications_only_while_undecided(plan: Plan, tmp_path: Path) -> None:
    scenario = load_scenario(scenarios_dir() / "cosmetics_allergy.yaml", plan)
    ctx, targets = Context(plan, scenario), team_targets(plan)
    crit = criteria(targets, list(plan.teams))["verify"]
    owned = [t for t in targets if t.key in crit.targets]
    far_short = settle(ctx, {"verify": 1}, crit, owned, 400, SerialExecutor(), tmp_path / "a.jsonl", 0.95)
    ample = settle(ctx, {"verify": 20}, crit, owned, 400, SerialExecutor(), tmp_path / "a.jsonl", 0.95)
    assert not far_short["ok"] and far_short["reps"] == 25
    assert ample["ok"] and ample["reps"] == fewest_reps(0.95)


def test_staff_answer_holds_together_beside_the_roster(tmp_path: Path) -> None:
    """The answer for the refund surge: every target together clears 95%, and each team is shown with its roster."""
    out = tmp_path / "out"
    assert drillsim("staff", "refund_surge", "--workers", "1", "--out", str(out)) == 0
    report = json.loads((out / "staffing.json").read_text())
    last = report["joint"][-1]
    assert last["ok"] and last["requirements"]["all"]["lo"] >= 0.95
    assert {t["team"] for t in report["teams"]} == set(last["staff"])
    for team in report["teams"]:
        assert len(team["roster"]) == 24
        below = team["tried"].get(str(team["minimum"] - 1))
        assert below is None or not below["ok"]
        assert all(name in {"all", "abandon"} or name.startswith(f"TEAM-{team['team'].upper()}") or "/" in name
                   for name in team["tried"][str(team["minimum"])]["requirements"])


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


@pytest.mark.parametrize(
    ("leans_from", "holds_from", "settled"),
    [
        (5, 7, (5, 6, 8, 7)),  # the first look was hopeful: up from 5 (5 short, 6 short, 8 holds), then 7 between
        (9, 7, (9, 8, 6, 7)),  # it was wary: down from 9 (8 holds, 6 short), then 7 between
        (7, 7, (7, 6)),  # it was right: 7 holds and 6 does not
        (40, 7, (12, 11, 9, 5, 7, 6)),  # nothing leaned: the top of the range holds, down to 5 (short), then bisected
    ],
)
def test_the_second_stage_walks_from_the_first_looks_guess(
    plan: Plan, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, leans_from: int, holds_from: int, settled: set[int]
) -> None:
    """Whatever the first look guessed, the answer is the fewest that holds once settled, the one below it not."""
    runs: list[tuple[int, bool]] = []

    def fake_settle(context: Any, point: dict[str, int], *args: Any, first: bool = False, **kwargs: Any) -> dict[str, Any]:
        (n,) = point.values()
        runs.append((n, first))
        leans = n >= leans_from
        ok = (n >= holds_from) if not first else None
        reps = FIRST_LOOK if first else 73
        return {"staff": point, "reps": reps, "ok": ok, "requirements": {"T": {"leans": leans, "ok": ok}}}

    monkeypatch.setattr("simulator.sweep.staffing.settle", fake_settle)
    scenario = load_scenario(scenarios_dir() / "cosmetics_allergy.yaml", plan)
    crit = Criterion(("T",))
    answer = search(Context(plan, scenario), "verify", crit, (1, 12), 200, SerialExecutor(), tmp_path, [])
    assert answer.minimum == holds_from
    assert [n for n, first in runs if not first] == list(settled)


def test_the_answer_says_whom_the_auto_responder_brings_in(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Every replication counts the backup hotline and external support: the answer says so, as the scenario sizes them."""
    argv = ["staff", "refund_surge", "--range", "supply=2:2", "--reps", "2", "--workers", "1", "--lang", "en"]
    assert drillsim(*argv, "--out", str(tmp_path / "out")) == 0
    out = capsys.readouterr().out
    scenario = load_scenario(scenarios_dir() / "refund_surge.yaml", load_plan())
    ext = scenario.external
    assert ext is not None and ext.team == "comms"
    said = (
        f"every replication counts the people the auto-responder brings in: duty hotline +{scenario.backup_hotline_staff}"
        f" (open the backup hotline), customer communication +{ext.staff} (request external support, {ext.delay_h:g} h after"
    )
    assert said in out
    report = json.loads((tmp_path / "out" / "staffing.json").read_text())
    assert [b["action"] for b in report["brought_in"]] == ["open_backup_hotline", "request_external_support"]
