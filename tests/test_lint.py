"""``drillsim lint``: the default plan's holes (RULES.md §9) are found by analysis, a mended plan is
clean, new holes are found; line numbers are computed from the plan files' marks."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from simulator.cli import main as cli
from simulator.lint.base import Context
from simulator.lint.check import CODES, Finding, lint
from simulator.lint.space import Space, boxes
from simulator.load import DEFAULT_PLAN, SourceDoc, iter_atoms, load_plan, load_yaml, scenarios_dir
from simulator.model import Plan, Situation

PLANS = Path(__file__).parent / "lint_plans"
DEFAULT = scenarios_dir() / DEFAULT_PLAN
Loc = tuple[str | int, ...]


class PlanFile:
    """A plan file, its model and marks, and helpers to find the line of a part of it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.plan: Plan = load_plan(path)
        self.doc: SourceDoc = load_yaml(path)

    def line(self, *loc: str | int) -> int:
        line = self.doc.locate(loc).line
        assert line is not None
        return line

    def level(self, level_id: str) -> int:
        return next(i for i, lv in enumerate(self.plan.levels) if lv.id == level_id)

    def atom(self, level_id: str, indicator: str, op: str) -> int:
        """Line of the comparison ``indicator op ...`` in a level's condition."""
        i = self.level(level_id)
        found = iter_atoms(self.plan.levels[i].when, ("levels", i, "when"))
        return self.line(*next(loc for loc, a in found if (a.indicator, a.op) == (indicator, op)))

    def obligation(self, rule: str, **trigger: object) -> int:
        """Index of the obligation with this rule (and these trigger fields)."""
        return next(
            i
            for i, ob in enumerate(self.plan.obligations)
            if ob.rule == rule and all(getattr(ob.trigger, k) == v for k, v in trigger.items())
        )

    def transition(self, src: str, dst: str) -> int:
        return self.line("transitions", next(i for i, t in enumerate(self.plan.transitions) if (t.from_, t.to) == (src, dst)))


def having(findings: list[Finding], code: str, line: int, rules: set[str] | None = None) -> Finding:
    """The finding with this code that cites this line (and these rules)."""
    for f in findings:
        if f.code == code and line in f.lines and (rules is None or rules <= set(f.rules)):
            return f
    raise AssertionError(f"no {code} finding at line {line}: {[(f.code, f.lines) for f in findings]}")


@pytest.fixture(scope="module")
def default() -> tuple[PlanFile, list[Finding]]:
    return PlanFile(DEFAULT), lint(DEFAULT)


def test_gap_1_growth_between_50_and_200_fits_no_level(default: tuple[PlanFile, list[Finding]]) -> None:
    pf, findings = default
    gap = having(findings, "LEVEL-GAP", pf.atom("L3", "growth_pct", "lt"))
    assert pf.atom("L2", "growth_pct", "gt") in gap.lines
    situation = Situation(pf.plan)
    gaps = [f for f in findings if f.code == "LEVEL-GAP"]
    examples = [e for f in gaps for e in f.examples]
    for values in examples:
        for name, value in values.items():
            situation.set(name, value)
        assert not any(situation.holds(lv.when) for lv in pf.plan.levels), values
    assert any(e["injuries"] == "none" and e["media"] == "none" and 50 <= float(e["growth_pct"]) <= 200 for e in examples)


def test_gap_2_levels_grade_events_outside_the_scope(default: tuple[PlanFile, list[Finding]]) -> None:
    pf, findings = default
    for level in ("L2", "L3"):
        f = having(findings, "SCOPE-LEVEL", pf.line("scope"), {pf.plan.scope_rule, pf.plan.levels[pf.level(level)].rule})
        assert pf.line("levels", pf.level(level), "when") in f.lines
        situation = Situation(pf.plan)
        for values in f.examples:
            for name, value in values.items():
                situation.set(name, value)
            assert situation.implied() == level and not situation.holds(pf.plan.scope)


def test_gap_3_five_hundred_percent_reads_two_ways(default: tuple[PlanFile, list[Finding]]) -> None:
    pf, findings = default
    f = having(findings, "THRESHOLD-READING", pf.atom("L1", "growth_pct", "gt"), {"LEVEL-1"})
    assert pf.line("choices", "l1_growth_reading") in f.lines
    assert "6×" in f.message.en and "5×" in f.message.en


def test_gap_4_draft_legal_sign_chain_misses_the_report_deadlines(default: tuple[PlanFile, list[Finding]]) -> None:
    pf, findings = default
    report1 = pf.obligation("REPORT-1")
    report2 = pf.obligation("REPORT-2")
    having(findings, "CHAIN-DEADLINE", pf.line("obligations", report1, "due_by_level", "L1"), {"REPORT-1"})
    f = having(findings, "DEADLINE-CONFLICT", pf.line("obligations", report2, "due_min"), {"REPORT-2", "REPORT-1"})
    assert pf.line("obligations", report1, "due_by_level", "L2") in f.lines


def test_gap_5_immediately_has_no_minutes(default: tuple[PlanFile, list[Finding]]) -> None:
    pf, findings = default
    uses = [
        (i, ob)
        for i, ob in enumerate(pf.plan.obligations)
        if ob.due_min == "immediately" or "immediately" in (ob.due_by_level or {}).values()
    ]
    assert uses
    for i, ob in uses:
        loc: Loc = ("obligations", i, "due_min")
        if ob.due_by_level is not None:
            loc = ("obligations", i, "due_by_level", next(k for k, v in ob.due_by_level.items() if v == "immediately"))
        f = having(findings, "UNDEFINED-TERM", pf.line(*loc), {ob.rule})
        assert pf.line("choices", "immediately_min") in f.lines


def test_gap_6_two_cadences_for_regulator_updates(default: tuple[PlanFile, list[Finding]]) -> None:
    pf, findings = default
    report3 = pf.obligation("REPORT-3")
    resp2 = next(i for i, ob in enumerate(pf.plan.obligations) if ob.rule == "RESP-2" and ob.every_min)
    assert pf.plan.obligations[resp2].every_min != pf.plan.obligations[report3].every_min
    f = having(findings, "CADENCE-CONFLICT", pf.line("obligations", report3, "every_min"), {"REPORT-3", "RESP-2"})
    assert pf.line("obligations", resp2, "every_min") in f.lines


def test_gap_7_observation_days_against_lifting_hours(default: tuple[PlanFile, list[Finding]]) -> None:
    pf, findings = default
    f = having(findings, "DURATION-CONFLICT", pf.line("warning", "observation_days"))
    assert pf.line("warning", "lift_after_h") in f.lines


def test_gap_8_a_downgrade_under_the_upgrade_rule(default: tuple[PlanFile, list[Finding]]) -> None:
    pf, findings = default
    f = having(findings, "TRANSITION-DIRECTION", pf.transition("L2", "L3"), {"ADJUST-3"})
    assert pf.transition("L3", "L2") in f.lines


def test_gap_9_the_warning_ends_when_a_response_starts(default: tuple[PlanFile, list[Finding]]) -> None:
    pf, findings = default
    having(findings, "WARNING-ENDS-ON-RESPONSE", pf.line("warning", "ends_on_response_start"), {pf.plan.warning.lift_rule})


def test_every_finding_is_well_formed(default: tuple[PlanFile, list[Finding]]) -> None:
    pf, findings = default
    length = len(pf.path.read_text(encoding="utf-8").splitlines())
    for f in findings:
        assert f.code in CODES and f.rules and f.message.zh and f.message.en
        assert f.lines and all(1 <= n <= length for n in f.lines)


def test_mended_plan_is_clean() -> None:
    assert lint(PLANS / "mended.yaml") == []


def test_new_holes_are_found() -> None:
    pf = PlanFile(PLANS / "new_holes.yaml")
    findings = lint(pf.path)
    notify1 = pf.obligation("NOTIFY-1")
    report2 = pf.obligation("REPORT-2")
    announce_l1 = pf.obligation("ACTIVATE-3", levels=["L1"])
    adjust2 = pf.obligation("ADJUST-2")
    opinion = pf.obligation("TEAM-OPINION")
    trigger_when = pf.plan.obligations[adjust2].trigger.when
    assert trigger_when is not None
    atoms = iter_atoms(trigger_when, ("obligations", adjust2, "trigger", "when"))
    dod = next(loc for loc, a in atoms if a.indicator == "day_over_day_pct")
    having(findings, "LEVEL-GAP", pf.atom("L3", "complaint_ratio", "lt"))
    having(findings, "LEVEL-OVERLAP", pf.line("levels", pf.level("L2S"), "rank"), {"LEVEL-2", "LEVEL-2S"})
    having(findings, "TRANSITION-DIRECTION", pf.transition("L1", "L2"), {"ADJUST-3"})
    having(findings, "DURATION-CONFLICT", pf.line("warning", "observation_days"))
    having(findings, "CHAIN-DEADLINE", pf.line("obligations", notify1, "due_min"), {"NOTIFY-1"})
    having(findings, "DEADLINE-CONFLICT", pf.line("obligations", report2, "due_min"), {"REPORT-2"})
    having(findings, "UNDEFINED-TERM", pf.line("obligations", announce_l1, "due_min"), {"ACTIVATE-3"})
    having(findings, "THRESHOLD-READING", pf.line(*dod), {"ADJUST-2"})
    having(findings, "CADENCE-CONFLICT", pf.line("obligations", opinion, "every_min"), {"TEAM-OPINION", "RESP-3"})


def test_gap_moves_when_the_threshold_moves(tmp_path: Path) -> None:
    text = DEFAULT.read_text(encoding="utf-8")
    assert text.count("{indicator: growth_pct, gt: 200}") == 1
    moved = tmp_path / "moved.yaml"
    moved.write_text(text.replace("{indicator: growth_pct, gt: 200}", "{indicator: growth_pct, gt: 120}"), encoding="utf-8")
    examples = [e for f in lint(moved) if f.code == "LEVEL-GAP" for e in f.examples]
    with_spread = [float(e["growth_pct"]) for e in examples if e["spread_risk"] is True]
    assert with_spread and max(with_spread) <= 120 and min(with_spread) >= 50


def test_boxes_cover_exactly_the_cells() -> None:
    pf = PlanFile(DEFAULT)
    space = Space(Context(pf.plan, pf.doc))
    cells = [c.coords for c in space.cells if not c.holding]
    found = boxes(cells, space.dims)
    covered = {cell for box in found for cell in _product(box)}
    assert covered == set(cells)
    assert sum(len(list(_product(b))) for b in found) == len(cells)


def _product(box: tuple[frozenset[object], ...]) -> Iterator[tuple[object, ...]]:
    return itertools.product(*(sorted(s, key=repr) for s in box))


@pytest.fixture
def drillsim() -> Callable[..., int]:
    return lambda *argv: cli.main(list(argv))


def test_lint_command_exit_status(tmp_path: Path, drillsim: Callable[..., int], capsys: pytest.CaptureFixture[str]) -> None:
    assert drillsim("lint") == 1
    assert "LEVEL-GAP" in capsys.readouterr().out
    assert drillsim("lint", str(PLANS / "mended.yaml")) == 0
    assert "clean" in capsys.readouterr().out
    assert drillsim("lint", str(PLANS / "new_holes.yaml"), "--json") == 1
    data = json.loads(capsys.readouterr().out)
    assert data["count"] == len(data["findings"]) > 0
    broken = tmp_path / "broken.yaml"
    broken.write_text(DEFAULT.read_text(encoding="utf-8").replace("rank: 3", "rank: high"), encoding="utf-8")
    assert drillsim("lint", str(broken)) == 2
    assert "broken.yaml:" in capsys.readouterr().err


def test_announcement_channels_against_their_duty_and_credit_order(tmp_path: Path) -> None:
    """ACTIVATE-3: the channels the plan gives L2 must be those the L2 announcement duty requires;
    a late-and-incomplete duty must not earn more than a late or an incomplete one."""
    text = DEFAULT.read_text(encoding="utf-8")
    assert text.count("L2: [internal, regulator_copy]") == 1 and text.count("late_incomplete: 0\n") == 1
    changed = tmp_path / "channels.yaml"
    changed.write_text(
        text.replace("L2: [internal, regulator_copy]", "L2: [internal, website]").replace(
            "late_incomplete: 0\n", "late_incomplete: 0.9\n"
        ),
        encoding="utf-8",
    )
    pf, findings = PlanFile(changed), lint(changed)
    assert {"CHANNELS-CONFLICT", "CREDIT-ORDER"}.isdisjoint(f.code for f in lint(DEFAULT))
    l2 = pf.obligation("ACTIVATE-3", levels=["L2"])
    conflict = having(findings, "CHANNELS-CONFLICT", pf.line("obligations", l2, "met_by", "contents"), {"ACTIVATE-3"})
    assert pf.line("actions", "announce", "channels", "by_level", "L2") in conflict.lines
    assert "internal, website" in conflict.message.en
    assert [f.code for f in findings if f.code == "CHANNELS-CONFLICT"] == ["CHANNELS-CONFLICT"]
    having(findings, "CREDIT-ORDER", pf.line("credit", "late_incomplete"))


def test_a_duty_finding_names_actions_and_teams_as_the_plan_does() -> None:
    """What a person reads names the plan's actions and teams by their names, not their IDs, in each language."""
    pf = PlanFile(PLANS / "new_holes.yaml")
    chain = having(lint(pf.path), "CHAIN-DEADLINE", pf.line("obligations", pf.obligation("NOTIFY-1"), "due_min"))
    action = pf.plan.actions["notify_gm"]
    team = pf.plan.teams[action.steps[0].team]
    for lang in ("zh", "en"):
        said = chain.message.zh if lang == "zh" else chain.message.en
        assert action.name(lang) in said and team.name(lang) in said, said
        step = action.steps[0]
        assert "notify_gm" not in said and f"({step.team} {step.minutes:g})" not in said, said
