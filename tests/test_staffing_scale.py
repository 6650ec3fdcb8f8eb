"""What-ifs that scale a team's own roster (``--what-if comms=x1.2``) beside the flat ``comms=20``; one rule for ``TEAM=N``."""

from __future__ import annotations

import math
from fractions import Fraction
from pathlib import Path

import pytest

from reports.inputs import load, variants
from simulator.batch import run
from simulator.cli.main import main
from simulator.load import load_plan, load_scenario, resolve_scenario
from simulator.model import Scale, UserError, parse_staffing, scale_roster, scaled
from simulator.rules import roster

pytest_plugins = ("test_reports_support",)


def test_a_scaled_roster_keeps_its_shape_each_hour_rounded_up() -> None:
    plan = load_plan(None)
    scenario = load_scenario(resolve_scenario("refund_surge"), plan)
    before = roster(plan, scenario, None, "comms")
    assert len(set(before)) > 1  # the bundled roster has a night and a day
    after = roster(plan, scale_roster(plan, scenario, {"comms": Scale(Fraction(6, 5), "1.2")}, "--what-if"), None, "comms")
    assert after == [math.ceil(n * 6 / 5 - 1e-9) for n in before]  # every hour ×1.2, rounded up
    assert scaled(10, Fraction("1.2")) == 12  # exact: 10 × 1.2 in floating point is 12.000000000000002
    assert roster(plan, scale_roster(plan, scenario, {"comms": Scale(Fraction(1), "1")}, "--what-if"), None, "comms") == before


def test_a_scaled_what_if_runs_the_scaled_shifts_not_a_flat_staff(aar_run_folder: Path) -> None:
    inp = load(aar_run_folder)
    [scaled_run] = variants(inp, [{"comms": Scale(Fraction("1.2"), "1.2")}])
    # the small scenario's comms: 4 at base, 14 on its shift; ×1.2 rounded up is 5 and 17 (16.8)
    comms = inp.scenario.teams["comms"]
    assert (comms.staff, comms.shifts[0].staff) == (4, 14)
    by_hand = comms.model_copy(update={"staff": 5, "shifts": [comms.shifts[0].model_copy(update={"staff": 17})]})
    scenario = inp.scenario.model_copy(update={"teams": {**inp.scenario.teams, "comms": by_hand}})
    seed, until = inp.log.meta.seed, inp.log.meta.horizon
    expected = run(inp.plan, scenario, seed=seed, until=until)
    flat = run(inp.plan, inp.scenario, seed=seed, staff={"comms": 5}, until=until)
    assert scaled_run.result.log.events == expected.log.events
    assert scaled_run.result.log.events != flat.log.events


@pytest.mark.parametrize("factor", ["x0", "x-1", "x1.2.3", "xabc", "x", "x1e3", "×0.0"])
def test_a_bad_factor_is_a_message_naming_the_argument(factor: str) -> None:
    expected = rf"^--what-if: expected TEAM=xF with F a factor above 0 such as x1\.2, got 'comms={factor}'$"
    with pytest.raises(UserError, match=expected):
        parse_staffing(f"comms={factor}", "--what-if")


def test_the_same_rule_everywhere_and_factors_only_where_they_scale_a_roster(
    aar_run_folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert parse_staffing("comms=20", "--what-if") == ("comms", 20)
    assert parse_staffing("comms=X1.5", "--what-if") == ("comms", Scale(Fraction(3, 2), "1.5"))
    assert main(["report", str(aar_run_folder), "--what-if", "comms=x0", "--lang", "en"]) == 2
    assert "drillsim: --what-if: expected TEAM=xF with F a factor above 0" in capsys.readouterr().err
    assert main(["report", str(aar_run_folder), "--what-if", "comms=x0", "--lang", "zh"]) == 2
    assert "drillsim: --what-if: 需要 TEAM=xF,F 为大于 0 的倍数" in capsys.readouterr().err
    assert main(["report", str(aar_run_folder), "--what-if", "comms=x20000", "--lang", "en"]) == 2
    assert "--what-if: comms ×20000 goes beyond 10000 people" in capsys.readouterr().err
    assert main(["run", "refund_surge", "--staff", "comms=x1.2", "--lang", "en"]) == 2
    assert "--staff: 'comms=x1.2' scales a roster; --staff takes a whole number of people (TEAM=N)" in capsys.readouterr().err
    assert main(["run", "refund_surge", "--staff", "comms=x1.2", "--lang", "zh"]) == 2
    assert "--staff 只接受整数人数" in capsys.readouterr().err
    assert main(["sweep", "refund_surge", "--vary", "comms=x1.2", "--lang", "en"]) == 2
    assert "--vary: 'comms=x1.2' scales a roster; --vary takes whole numbers of people" in capsys.readouterr().err
