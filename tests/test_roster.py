"""Staff per hour and the roster optimiser (``drillsim roster``): the integer programme, the shifts block, the command."""

from __future__ import annotations

import json
from collections.abc import Iterator
from itertools import product
from pathlib import Path

import numpy as np
import pytest
import yaml

from simulator.cli.main import main
from simulator.load import load_scenario, resolve_scenario
from simulator.model import Plan, Scenario
from simulator.rules import expected_by_hour, roster
from simulator.score import team_targets
from simulator.sweep import Goals, criteria, fewest_reps, open_executor
from simulator.sweep.rostering import (
    TRIM_STEPS,
    Check,
    Pattern,
    cheapest,
    clock_need,
    ladder,
    need_by_hour,
    on_duty,
    patterns,
    shifts_yaml,
    staff_hours,
    team_demand,
    tightest,
    trim,
    with_rosters,
)


def brute_force(need: list[int], allowed: list[Pattern]) -> int:
    """The fewest staff-hours over every roster of up to max(need) people per shift that covers ``need``."""
    best = None
    for people in product(range(max(need) + 1), repeat=len(allowed)):
        chosen = dict(zip(allowed, people, strict=True))
        if all(d >= n for d, n in zip(on_duty(chosen), need, strict=True)):
            cost = staff_hours(chosen)
            best = cost if best is None else min(best, cost)
    assert best is not None
    return best


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_cheapest_roster_is_optimal_on_tiny_cases(seed: int) -> None:
    # Eight shifts (starts 0, 6, 12, 18; 6 or 12 hours) and needs of 0 to 2 people: every roster of
    # at most 2 people per shift (3^8 of them) is tried, enough since no shift needs more people than
    # the largest need of an hour.
    rng = np.random.default_rng(seed)
    need = rng.integers(0, 3, 24).tolist()
    allowed = patterns([0, 6, 12, 18], [6, 12])
    chosen = cheapest(need, allowed)
    assert all(d >= n for d, n in zip(on_duty(chosen), need, strict=True))
    assert staff_hours(chosen) == brute_force(need, allowed)


def test_cheapest_roster_on_a_hand_checked_case() -> None:
    # Need 2 from 08 to 16 and 1 otherwise, with 8-hour shifts starting at 0, 8 or 16: one person on
    # each shift plus one more from 08 is the only way to 32 staff-hours (24 hours need one person,
    # and the day shift's eight hours a second).
    need = [2 if 8 <= h < 16 else 1 for h in range(24)]
    chosen = cheapest(need, patterns([0, 8, 16], [8]))
    assert chosen == {Pattern(0, 8): 1, Pattern(8, 8): 2, Pattern(16, 8): 1}


def test_repair_adds_to_the_tightest_hours_that_need_people() -> None:
    need = [0] * 6 + [3] * 12 + [0] * 6
    duty = [1] * 6 + [3] * 6 + [4] * 6 + [1] * 6  # no spare 06-11, one spare 12-17; 00-05 need nobody
    assert tightest(need, duty) == [0] * 6 + [4] * 6 + [3] * 6 + [0] * 6
    assert tightest([0] * 24, [0] * 24) == [1] * 24


def test_an_hour_no_shift_covers_is_refused() -> None:
    with pytest.raises(ValueError, match="hour 2,"):
        cheapest([1] * 24, patterns([6], [20]))


def test_need_follows_the_scenario_rate_and_covers_every_day(plan: Plan) -> None:
    scenario = load_scenario(resolve_scenario("refund_surge"), plan)
    goals = Goals(service=(0.8, 30.0), max_abandon=0.05)
    need = need_by_hour(scenario, "hotline", goals)
    counts = expected_by_hour(scenario)
    assert len(need) == counts.size
    peak = int(np.argmax(counts))
    # 06 + 20 h wraps to 02: hours 02 to 05 are bare.
    # The peak hour's need is the calculator's for the peak hour's hotline share, and it is the largest.
    assert need[peak] == max(need) > 0
    demand = team_demand(scenario, "hotline", float(counts[peak]))
    assert demand.calls_per_s == pytest.approx(counts[peak] * 0.3 / 3600)  # refund_surge: hotline 30% of complaints
    by_clock = clock_need(need)
    assert all(by_clock[h] == max(need[h::24]) for h in range(24))
    chosen = cheapest(by_clock, patterns(range(24), [8, 10]))
    assert all(d >= n for d, n in zip(on_duty(chosen), by_clock, strict=True))


def test_shifts_block_loads_into_the_scenario(plan: Plan, tmp_path: Path) -> None:
    chosen = {
        "hotline": {Pattern(6, 8): 3, Pattern(20, 8): 1, Pattern(16, 8): 2},
        "comms": {Pattern(0, 12): 4, Pattern(12, 12): 5},
    }
    source = resolve_scenario("refund_surge")
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    for team, setup in yaml.safe_load(shifts_yaml(chosen))["teams"].items():
        data["teams"][team].update(setup)
    path = tmp_path / "refund_surge.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    scenario = load_scenario(path, plan)
    for team, shifts in chosen.items():
        assert roster(plan, scenario, None, team) == on_duty(shifts)


@pytest.mark.parametrize(
    ("argv", "named"),
    [
        (["--starts", "25"], "--starts"),
        (["--starts", "9-3"], "--starts"),
        (["--shift-lengths", "0"], "--shift-lengths"),
        (["--shift-lengths", "8,x"], "--shift-lengths"),
        (["--starts", "10-12"], "--starts"),
        (["--max-occupancy", "0"], "--max-occupancy"),
        (["--service", "hotline:0.5"], "--service"),
    ],
)
def test_bad_arguments_are_named(capsys: pytest.CaptureFixture[str], argv: list[str], named: str) -> None:
    try:
        code = main(["roster", "refund_surge", "--no-check", *argv])
    except SystemExit as exit_:  # argparse's refusal
        code = int(exit_.code or 0)
    err = capsys.readouterr().err
    assert code == 2 and named in err and "Traceback" not in err


def test_ladder_steps_up_in_cost_to_the_need_itself() -> None:
    need = [2] * 6 + [9] * 12 + [4] * 6
    allowed = patterns(range(24), [8, 10])
    steps = ladder(need, allowed)
    costs = [staff_hours(chosen) for _, chosen in steps]
    assert costs == sorted(set(costs)) and len(steps) <= TRIM_STEPS
    assert [a for a, _ in steps] == sorted(a for a, _ in steps)
    assert steps[-1] == (1.0, cheapest(need, allowed))
    for alpha, chosen in steps:  # each step covers its scaled need, rounded up
        assert all(d >= -(-round(alpha * TRIM_STEPS) * n // TRIM_STEPS) for d, n in zip(on_duty(chosen), need, strict=True))


@pytest.fixture
def surge(plan: Plan, tmp_path: Path) -> Iterator[tuple[Scenario, dict[str, list[int]], Check]]:
    """refund_surge's need per clock hour and its simulated check as ``drillsim roster`` builds them.

    Hotline: 80% of calls answered in 30 s, at most 5% hang up; comms: the occupancy cap alone.
    The check runs at most the fewest replications that can show 95% (73), one worker.
    """
    scenario = load_scenario(resolve_scenario("refund_surge"), plan)
    goals = {"hotline": Goals((0.8, 30.0), None, 0.85, 0.05), "comms": Goals(None, None, 0.85)}
    need = {team: clock_need(need_by_hour(scenario, team, g)) for team, g in goals.items()}
    targets = team_targets(plan)
    crits = criteria(targets, list(plan.teams), {"hotline": [(0.5, 0.8)]}, 0.05)
    with open_executor(1, None) as ex:
        yield scenario, need, Check(plan, crits, targets, "kernel", scenario.seed, (("hotline", 0.5),), 73, 0.95, ex, tmp_path)


def test_trimming_an_over_staffed_roster(surge: tuple[Scenario, dict[str, list[int]], Check]) -> None:
    scenario, need, check = surge
    allowed = patterns(range(24), [8, 10])
    analytic = {team: cheapest(n, allowed) for team, n in need.items()}
    assert check.run(with_rosters(scenario, analytic))["ok"]  # the analytic roster holds: trimming may start
    trimmed = trim(scenario, need, allowed, check)
    assert sum(map(staff_hours, trimmed.rosters.values())) < sum(map(staff_hours, analytic.values()))
    assert len(trimmed.tried) <= len(need) * (TRIM_STEPS + 1).bit_length()  # bisection: a bounded number of checks
    # The trimmed roster holds at 95%: every requirement's interval wholly on the right side.
    kept = check.run(with_rosters(scenario, trimmed.rosters))
    assert kept["ok"] and all(c["ok"] for c in kept["requirements"].values())
    assert kept["requirements"]["all"]["lo"] >= 0.95 and kept["requirements"]["hotline:0.5"]["lo"] >= 0.8
    assert kept["requirements"]["abandon"]["hi"] <= 0.05
    for team in need:
        steps = ladder(need[team], allowed)
        i = [alpha for alpha, _ in steps].index(trimmed.alpha[team])
        assert steps[i][1] == trimmed.rosters[team]
        if trimmed.floor[team]:  # the lowest scale held: the search's bound, said so
            assert i == 0
            continue
        # One step cheaper for this team, the others as trimmed, does not hold.
        cheaper = {**trimmed.rosters, team: steps[i - 1][1]}
        assert not check.run(with_rosters(scenario, cheaper))["ok"]


def test_refund_surge_roster_against_its_own(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    argv = ["roster", "refund_surge", "--shift-lengths", "8,10", "--service", "hotline:0.5:0.8", "--max-abandon", "0.05"]
    reps = fewest_reps(0.95)  # the fewest replications that can show a target holds with 95% confidence
    argv += ["--workers", "1", "--reps", str(reps), "--out", str(tmp_path / "out"), "--json"]
    assert main(argv) == 0
    report = json.loads(capsys.readouterr().out)
    # refund_surge rosters the hotline at 10 from 08 to 20 and 3 otherwise: 12·10 + 12·3 staff-hours a day.
    assert report["own_staff_hours"]["hotline"] == 156
    assert report["checks"][-1]["staff_hours"] == report["analytic_staff_hours"]
    assert report["own_check"]["ok"]
    # Never dearer than the scenario's own roster when that one holds.
    assert sum(report["staff_hours"].values()) <= sum(report["own_staff_hours"].values())
    assert sum(report["trimmed_staff_hours"].values()) < sum(report["analytic_staff_hours"].values())
    assert report["answer"] == "new" and report["staff_hours"] == report["trimmed_staff_hours"]  # trimmed below today
    assert all(sum(hours) == report["staff_hours"][t] for t, hours in report["by_hour"].items())
    for team, cut in report["trim"].items():
        assert cut["floor"] or cut["below"] < cut["kept"] == report["trimmed_staff_hours"][team]
    for check in (report["own_check"], *report["checks"], *report["trims"]):
        assert {"all", "hotline:0.5", "abandon"} <= check["requirements"].keys() and 0 < check["reps"] <= reps
        assert all(c["lo"] <= c["p"] <= c["hi"] for c in check["requirements"].values())
    assert (tmp_path / "out" / "roster.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"  # the chart registered by reports/
    text = (tmp_path / "out" / "shifts.yaml").read_text(encoding="utf-8")
    assert yaml.safe_load(text)["teams"].keys() == report["need"].keys()
    assert main([*argv[:-1], "--lang", "zh"]) == 0  # replications resumed from the results files
    zh = capsys.readouterr().out
    assert "现排班" in zh and "新排班" in zh and "全部目标同时达标" in zh and "hotline:0.5" in zh and "精简" in zh


def test_the_own_roster_is_the_answer_when_it_holds_for_less(
    plan: Plan, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # Only 12-hour shifts starting at 00 or 12: trimmed, refund_surge needs 744 staff-hours a day
    # against its own roster's 708, which holds.
    argv = ["roster", "refund_surge", "--starts", "0,12", "--shift-lengths", "12", "--service", "hotline:0.5:0.8"]
    argv += ["--max-abandon", "0.05", "--workers", "1", "--reps", str(fewest_reps(0.95)), "--out", str(tmp_path), "--json"]
    assert main(argv) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["own_check"]["ok"] and report["answer"] == "own"
    assert sum(report["own_staff_hours"].values()) <= sum(report["trimmed_staff_hours"].values())
    assert report["staff_hours"] == report["own_staff_hours"] and report["by_hour"] == report["own"]
    data = yaml.safe_load(resolve_scenario("refund_surge").read_text(encoding="utf-8"))
    for team, setup in yaml.safe_load((tmp_path / "shifts.yaml").read_text(encoding="utf-8"))["teams"].items():
        data["teams"][team].update(setup)
    path = tmp_path / "refund_surge.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    scenario = load_scenario(path, plan)
    assert all(roster(plan, scenario, None, team) == report["own"][team] for team in report["own"])
    assert main([*argv[:-1], "--lang", "en"]) == 0
    assert "it is the answer, no worse than what you have" in capsys.readouterr().out
