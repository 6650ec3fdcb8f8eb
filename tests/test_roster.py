"""Staff per hour and the roster optimiser (``drillsim roster``): the integer programme, the shifts block, the command."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from itertools import product
from pathlib import Path

import numpy as np
import pytest
import yaml

from simulator.cli.main import main
from simulator.load import load_scenario, resolve_scenario
from simulator.model import Plan, Scenario, ShiftPattern
from simulator.rules import expected_by_hour, roster
from simulator.score import team_targets
from simulator.sweep import Goals, criteria, fewest_reps, open_executor
from simulator.sweep.rostering import (
    TRIM_STEPS,
    Check,
    Pattern,
    allowed_by,
    cheapest,
    clock_need,
    ladder,
    need_by_hour,
    on_duty,
    shifts_yaml,
    staff_hours,
    team_demand,
    tightest,
    trim,
    with_rosters,
)


def patterns(starts: Iterable[int], lengths: Iterable[int]) -> list[Pattern]:
    """Every shift of each start and each length, no breaks: the command line's --starts and --shift-lengths."""
    return allowed_by([ShiftPattern(starts=sorted(set(starts)), hours=h) for h in sorted(set(lengths))])


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
        (["--shift", "6-10"], "--shift"),
        (["--shift", "6-10:9:5-3"], "--shift"),
        (["--shift", "6:9:8"], "--shift"),  # a break ending as the shift does
        (["--shift", "6:24"], "--shift"),
        (["--shift", "6:9:x"], "--shift"),
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
    trimmed = trim(scenario, need, dict.fromkeys(need, allowed), check)
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


def test_a_shift_with_a_break_is_on_duty_either_side_of_it() -> None:
    # 9 hours from 22:00 with a 1-hour break 4 hours in: on duty 22-02 and 03-07, off at 02:00.
    night = Pattern(22, 9, break_at=4, break_hours=1)
    assert [h for h in range(24) if night.covers(h)] == [0, 1, 3, 4, 5, 6, 22, 23]
    assert night.paid == 8 and staff_hours({night: 3}) == 24
    assert night.spans() == [(22, 26), (27, 31)]


def test_patterns_allow_each_start_and_each_hour_a_break_may_begin() -> None:
    spec = ShiftPattern.model_validate({"starts": [8, 9], "hours": 9, "break": {"earliest": 3, "latest": 5}})
    assert allowed_by([spec, ShiftPattern(starts=[22], hours=8)]) == [
        Pattern(8, 9, 3, 1),
        Pattern(8, 9, 4, 1),
        Pattern(8, 9, 5, 1),
        Pattern(9, 9, 3, 1),
        Pattern(9, 9, 4, 1),
        Pattern(9, 9, 5, 1),
        Pattern(22, 8),
    ]


def test_cheapest_roster_with_breaks_is_optimal_on_tiny_cases() -> None:
    """Breaks make a day need two overlapping shifts: the programme finds the brute-force optimum."""
    need = [0] * 8 + [2, 2, 2, 2, 3, 3, 2, 2, 2, 1] + [0] * 6
    spec = ShiftPattern.model_validate({"starts": [8, 9, 10], "hours": 8, "break": {"earliest": 3, "latest": 4}})
    allowed = allowed_by([spec])
    chosen = cheapest(need, allowed)
    assert all(d >= n for d, n in zip(on_duty(chosen), need, strict=True))
    assert staff_hours(chosen) == brute_force(need, allowed)


def test_a_hand_checked_roster_with_breaks() -> None:
    # Need 1 from 08 to 17 (9 hours). One 9-hour shift from 08 with a break leaves its break hour
    # bare; two staggered ones cover every hour at 16 staff-hours, while a 9-hour shift and a 1-hour
    # cover are not allowed. With breaks beginning 3 or 4 hours in, the two shifts take their breaks
    # in different hours.
    need = [1 if 8 <= h < 17 else 0 for h in range(24)]
    spec = ShiftPattern.model_validate({"starts": [8], "hours": 9, "break": {"earliest": 3, "latest": 4}})
    chosen = cheapest(need, allowed_by([spec]))
    assert chosen == {Pattern(8, 9, 3, 1): 1, Pattern(8, 9, 4, 1): 1}
    assert staff_hours(chosen) == 16 and on_duty(chosen)[11] == 1 and on_duty(chosen)[12] == 1


def test_shifts_with_breaks_load_into_the_scenario(plan: Plan, tmp_path: Path) -> None:
    chosen = {"comms": {Pattern(8, 9, 4, 1): 5, Pattern(20, 12, 5, 2): 2, Pattern(10, 8): 1}}
    text = shifts_yaml(chosen)
    assert "# 08:00-17:00, break/休息 12:00-13:00" in text and "# 20:00-08:00, break/休息 01:00-03:00" in text
    source = resolve_scenario("refund_surge")
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    data["teams"]["comms"].update(yaml.safe_load(text)["teams"]["comms"])
    path = tmp_path / "refund_surge.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    scenario = load_scenario(path, plan)
    assert roster(plan, scenario, None, "comms") == on_duty(chosen["comms"])


def scenario_with_patterns(tmp_path: Path, patterns_yaml: str) -> Path:
    """refund_surge with ``patterns:`` for comms, written as a user would (YAML text appended to the team)."""
    text = resolve_scenario("refund_surge").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    data["teams"]["comms"]["patterns"] = yaml.safe_load(patterns_yaml)
    path = tmp_path / "refund_surge.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_the_roster_uses_a_teams_own_patterns(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    day = "{starts: [7, 8, 9, 10, 11, 12, 13, 14], hours: 9, break: {earliest: 3, latest: 5}}"
    path = scenario_with_patterns(tmp_path, f"[{day}, {{starts: [22], hours: 10}}]")
    assert main(["roster", str(path), "--no-check", "--json", "--lang", "en"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["patterns_from"] == {"hotline": "default", "comms": "scenario"}
    assert report["patterns"]["comms"][0]["break"] == {"earliest": 3, "latest": 5, "hours": 1}
    assert "break/休息" in report["shifts_yaml"]
    comms = yaml.safe_load(report["shifts_yaml"])["teams"]["comms"]["shifts"]
    resumed = {start + at + 1 for start in range(7, 15) for at in (3, 4, 5)}  # back from a break
    assert {s["from_hour"] for s in comms} <= set(range(7, 15)) | {22} | resumed
    assert all(d >= n for d, n in zip(report["by_hour"]["comms"], report["need"]["comms"], strict=True))
    # --shift on the command line takes over from the scenario's patterns, for every team.
    assert main(["roster", str(path), "--no-check", "--json", "--shift", "0-23:8"]) == 0
    assert json.loads(capsys.readouterr().out)["patterns_from"]["comms"] == "--shift/--starts/--shift-lengths"


def test_patterns_that_leave_an_hour_bare_are_located_in_the_scenario(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = scenario_with_patterns(tmp_path, "[{starts: [8], hours: 9, break: {earliest: 4, latest: 4}}]")
    line = next(i for i, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text.strip() == "patterns:")
    assert main(["roster", str(path), "--no-check", "--lang", "en"]) != 0
    err = capsys.readouterr().err
    assert f"{path}:{line}:5: teams.comms.patterns: no allowed shift covers hour 0, which needs" in err
    assert "Traceback" not in err


def test_a_bad_pattern_in_the_scenario_is_located(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = scenario_with_patterns(tmp_path, "[{starts: [8], hours: 9, break: {earliest: 5, latest: 8}}]")
    code = main(["validate", str(path), "--lang", "en"])
    err = capsys.readouterr().err
    assert code != 0 and f"{path}:" in err and "leaves no work after it in a 9 h shift" in err and "Traceback" not in err
