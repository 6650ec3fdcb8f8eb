"""Scoring is traceable: small cases with explicit decisions, and exactly which duties are met, late or missed.

Scenarios here have fixed step durations (``step_cv: 0``) and free teams, so every completion
time follows from the plan's step minutes; due times come from the plan via ``due_offset``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest

from simulator.batch import RunResult, run
from simulator.model import (
    MINUTES_PER_HOUR,
    Decision,
    MetByAction,
    MetByAnswered,
    MetByCallbacks,
    MetByTask,
    Obligation,
    Plan,
    Scenario,
)
from simulator.record import ANSWERED, ObligationOpened, WarningChanged, columns
from simulator.score import DutyResult

SmallScenario = Callable[..., Scenario]
INJURY_AT_H = 1.0


def act(plan: Plan, t: float, action: str, contents: Iterable[str] | None = None, **params: str) -> Decision:
    """A trainee's decision, taken by the role the plan gives the action, carrying every element by default."""
    spec = plan.actions[action]
    return Decision(t, action, spec.role, "trainee", dict(params), tuple(spec.contents if contents is None else contents))


def chain(plan: Plan, action: str, upto: str | None = None) -> float:
    """Nominal minutes of an action's steps (up to and including the step by team ``upto``)."""
    total = 0.0
    for step in plan.actions[action].steps:
        total += step.minutes
        if step.team == upto:
            break
    return total


def due_offset(plan: Plan, ob: Obligation, level: str) -> float:
    """Minutes from trigger to due, as the plan sets them (the plan must set them)."""
    offset = plan.due_offset(ob, level)
    assert offset is not None
    return offset


def duties(result: RunResult, rule: str) -> list[DutyResult]:
    """The duties of one rule, in the order they opened."""
    return [d for d in result.score.duties if d.rule == rule]


def index_of(result: RunResult) -> dict[int, int]:
    """Obligation instance id → position of its obligation in the plan."""
    return {e.oid: e.index for e in result.log.of(ObligationOpened)}


def only(found: list[DutyResult]) -> DutyResult:
    """The single duty of a list."""
    assert len(found) == 1, found
    return found[0]


# -- a Level 2 response where a trainee holds every role -------------------------------------


@pytest.fixture(scope="module")
def level2(plan: Plan, small: SmallScenario) -> tuple[RunResult, dict[str, float]]:
    """A minor injury at 1 h starts L2; nobody acts but a trainee who registers, notifies and reports late."""
    scenario = small(
        horizon_days=0.6,
        injects=[
            {
                "at_h": INJURY_AT_H,
                "kind": "incident_report",
                "text": {"zh": "用户轻伤", "en": "a user has a minor injury"},
                "set": {"event_open": True, "injuries": "minor"},
            }
        ],
    )
    t0 = INJURY_AT_H * MINUTES_PER_HOUR
    times = {"level": t0, "register": t0 + 2, "notify": t0 + 10, "report": t0 + 30}
    decisions = [
        act(plan, times["register"], "register_report"),
        act(plan, times["notify"], "notify_gm"),
        act(plan, times["report"], "regulator_report"),
    ]
    return run(plan, scenario, decisions=decisions, auto_roles=[]), times


def test_level2_duties_done_by_the_trainee(plan: Plan, level2: tuple[RunResult, dict[str, float]]) -> None:
    result, t = level2
    assert [(lv.dst, lv.by, lv.rule) for lv in result.summary.levels] == [("L2", "auto", "ACTIVATE-1")]
    intake = only(duties(result, "INTAKE-1"))
    assert (intake.status, intake.opened, intake.done) == ("met", t["level"], t["register"] + chain(plan, "register_report"))
    notify = only(duties(result, "NOTIFY-1"))
    assert (notify.status, notify.done) == ("met", t["notify"] + chain(plan, "notify_gm"))
    drafted = only(duties(result, "REPORT-2"))
    assert (drafted.status, drafted.done) == ("met", t["report"] + chain(plan, "regulator_report", upto="command"))


def test_summary_json_says_what_the_typed_summary_says(
    plan: Plan, level2: tuple[RunResult, dict[str, float]], tmp_path: Path
) -> None:
    result, _ = level2
    result.write(tmp_path)
    written = json.loads((tmp_path / "summary.json").read_text(encoding="utf-8"))
    summary = result.summary
    assert written["plan"] == {"id": plan.id, "version": plan.version}
    assert [(lv["from"], lv["to"]) for lv in written["levels"]] == [(lv.src, lv.dst) for lv in summary.levels]
    for field in ("met", "late", "missed", "cancelled", "open"):
        assert summary.total(field) == sum(r[field] for r in written["rules"].values())
    assert [o["status"] for o in written["obligations"]] == [o.status for o in summary.obligations]


def test_late_report_is_late_by_done_minus_due(plan: Plan, level2: tuple[RunResult, dict[str, float]]) -> None:
    """REPORT-1: L2 within 60 min; the draft → legal → sign chain started 30 min in ends 30 min late."""
    result, t = level2
    report = only(duties(result, "REPORT-1"))
    ob = plan.obligations[index_of(result)[report.oid]]
    assert report.due == t["level"] + due_offset(plan, ob, "L2")
    assert report.done == t["report"] + chain(plan, "regulator_report")
    assert report.status == "late"
    assert report.late_by == pytest.approx(report.done - report.due)


def test_duties_nobody_acted_on(plan: Plan, level2: tuple[RunResult, dict[str, float]]) -> None:
    """Every other action duty is missed when due before the end, else still open; team work is scored by itself."""
    result, _ = level2
    horizon = result.log.meta.horizon
    acted = {"INTAKE-1", "NOTIFY-1", "REPORT-1", "REPORT-2"}
    index = index_of(result)
    seen: set[str] = set()
    for d in result.score.duties:
        met_by = plan.obligations[index[d.oid]].met_by
        if d.rule in acted:
            continue
        seen.add(d.rule)
        if isinstance(met_by, MetByAction):
            assert d.status == ("missed" if d.due <= horizon else "open"), d
        elif isinstance(met_by, MetByTask):
            # Tasks take fixed effort/crew hours: the preliminary report (12 h) is done in time, the rest run past the end.
            assert d.status == ("met" if met_by.task == "verify_preliminary" else "open"), d
        elif isinstance(met_by, MetByCallbacks):
            assert d.status == "met", d
        elif isinstance(met_by, MetByAnswered):
            assert d.due > horizon and d.status == "open", d
    assert {"RESP-1", "RESP-2", "NOTIFY-2", "ACTIVATE-3", "REPORT-3", "ADJUST-1", "RESP-3"} <= seen
    missed = {d.rule for d in result.score.duties if d.status == "missed"}
    assert {"RESP-1", "RESP-2", "NOTIFY-2", "ACTIVATE-3", "REPORT-3", "ADJUST-1", "RESP-3"} <= missed
    rules = result.score.rules
    assert (rules["INTAKE-1"].met, rules["REPORT-1"].late, rules["RESP-1"].missed) == (1, 1, 1)


def test_answered_share_is_not_met_before_it_is_assured(plan: Plan, small: SmallScenario) -> None:
    """TEAM-COMMS (§2.2(3)): '90% answered within 7 days' is met only once the share is assured.

    One overworked comms agent: at the end of a short run half the complaints are still waiting,
    inside their 7-day window; the duty, due days after the end, is still open.
    """
    scenario = small(
        horizon_days=0.6,
        teams={
            "hotline": {"staff": 3, "handling": {"kind": "exponential", "mean": 5}},
            "comms": {"staff": 1, "handling": {"kind": "fixed", "mean": 30}, "callback": {"kind": "fixed", "mean": 2}},
        },
        injects=[
            {
                "at_h": INJURY_AT_H,
                "kind": "incident_report",
                "text": {"zh": "用户轻伤", "en": "a user has a minor injury"},
                "set": {"event_open": True, "injuries": "minor"},
            }
        ],
    )
    result = run(plan, scenario, auto_roles=[])
    index = index_of(result)
    (duty,) = [d for d in result.score.duties if isinstance(plan.obligations[index[d.oid]].met_by, MetByAnswered)]
    met_by = plan.obligations[index[duty.oid]].met_by
    assert isinstance(met_by, MetByAnswered)
    assert duty.due > result.log.meta.horizon
    c = columns(result.log.complaints)
    since = c["arrive"] >= duty.opened
    in_time = since & (c["outcome"] == ANSWERED) & (c["done"] - c["arrive"] <= met_by.within_h * MINUTES_PER_HOUR)
    # Not assured: counting the complaints still waiting as failures, the share is below target.
    assert in_time.sum() < met_by.answered_fraction * since.sum()
    assert duty.status == "open", duty


# -- the warning notice, with PR left to the trainee ----------------------------------------


def warning_scenario(small: SmallScenario) -> Scenario:
    """Complaints at 2.5× baseline from the start; the event is reported at 12.5 h, when growth is past +50%.

    (Not on the hour: an inject at the very minute an hour closes sees the growth of the hour before.)
    """
    return small(
        complaints={
            "baseline_per_day": 96,
            "hourly_profile": [1.0] * 24,
            "surge": [{"day": 0, "factor": 2.5}, {"day": 2, "factor": 2.5}],
            "channels": {"hotline": 0.5, "ecommerce": 0.5},
            "severity": {"normal": 1.0},
        },
        injects=[
            {
                "at_h": 12.5,
                "kind": "incident_report",
                "text": {"zh": "投诉增多", "en": "complaints are rising"},
                "set": {"event_open": True},
            }
        ],
    )


@pytest.fixture(scope="module")
def warning_runs(plan: Plan, small: SmallScenario) -> Callable[[list[Decision]], RunResult]:
    """``runs(decisions)``: the warning scenario with every role automatic but PR, plus the PR decisions given."""
    scenario = warning_scenario(small)
    roles = sorted(set(plan.roles) - {"pr"})

    def runs(decisions: list[Decision]) -> RunResult:
        return run(plan, scenario, decisions=decisions, auto_roles=roles)

    return runs


@pytest.fixture(scope="module")
def warning_start(warning_runs: Callable[[list[Decision]], RunResult]) -> float:
    """When the automatic leadership started the warning (decisions made later cannot move it)."""
    starts = [e for e in warning_runs([]).log.of(WarningChanged) if e.active]
    assert len(starts) == 1 and starts[0].by == "leadership"
    return float(starts[0].t)


NOTICE = ("risk_nature", "scope_of_impact", "first_advice", "official_contact")


@pytest.mark.parametrize(
    ("after", "contents", "status", "missing"),
    [
        (None, (), "missed", ()),
        (10.0, NOTICE, "met", ()),
        (10.0, NOTICE[:-1], "incomplete", ("official_contact",)),
        (100.0, NOTICE, "late", ()),
        (100.0, NOTICE[1:], "late", ("risk_nature",)),
    ],
    ids=["no-notice", "complete", "no-official-contact", "complete-but-late", "late-and-no-risk-nature"],
)
def test_warning_notice(
    plan: Plan,
    warning_runs: Callable[[list[Decision]], RunResult],
    warning_start: float,
    after: float | None,
    contents: tuple[str, ...],
    status: str,
    missing: tuple[str, ...],
) -> None:
    """WARN-2 (§5.1): the notice must carry risk nature, scope of impact, first advice and official contact.

    A notice without one of them is incomplete, naming it, and earns the plan's partial credit.
    """
    decisions = [] if after is None else [act(plan, warning_start + after, "warning_notice", contents)]
    result = warning_runs(decisions)
    notice = only(duties(result, "WARN-2"))
    ob = plan.obligations[index_of(result)[notice.oid]]
    assert isinstance(ob.met_by, MetByAction) and set(ob.met_by.contents) == set(NOTICE)
    assert notice.opened == warning_start
    assert notice.due == warning_start + due_offset(plan, ob, "none")
    assert (notice.status, notice.missing) == (status, missing)
    credit = {"met": 1.0, "missed": 0.0, "incomplete": plan.credit.incomplete}
    credit["late"] = plan.credit.late_incomplete if missing else plan.credit.late
    assert notice.credit == credit[status]
    if after is not None:
        assert notice.done == warning_start + after + chain(plan, "warning_notice")
        assert notice.late_by == pytest.approx(max(0.0, notice.done - notice.due))
    else:
        assert notice.done is None
    # The rest of the warning is the automatic roles' and the engine's work.
    assert only(duties(result, "WARN-1")).status == "met"
    assert only(duties(result, "WARN-4")).status == "met"
    judged = [(d.action, d.correct, d.rule) for d in result.score.decisions]
    assert judged == [("issue_warning", True, "WARN-1")]


# -- decision correctness --------------------------------------------------------------------


def test_level_declarations_judged_against_the_conditions(plan: Plan, small: SmallScenario) -> None:
    """With the passive trigger left to decision: L2 when the conditions imply L2 is right; L1 then is wrong."""
    by_decision = plan.model_copy(update={"choices": plan.choices.model_copy(update={"passive_trigger": "decision"})})
    scenario = small(
        horizon_days=0.25,
        injects=[
            {
                "at_h": INJURY_AT_H,
                "kind": "injury",
                "text": {"zh": "用户轻伤", "en": "a user has a minor injury"},
                "set": {"event_open": True, "injuries": "minor"},
            }
        ],
    )
    t0 = INJURY_AT_H * MINUTES_PER_HOUR
    decisions = [
        act(by_decision, t0 - 30, "declare_level", level="L3"),
        act(by_decision, t0 + 10, "declare_level", level="L2"),
        act(by_decision, t0 + 20, "declare_level", level="L1"),
        act(by_decision, t0 + 30, "stand_down"),
    ]
    result = run(by_decision, scenario, decisions=decisions, auto_roles=[])
    judged = [(d.t, d.action, d.correct, d.rule) for d in result.score.decisions]
    assert judged == [
        (t0 - 30, "declare_level", False, "LEVEL-3"),
        (t0 + 10, "declare_level", True, "LEVEL-2"),
        (t0 + 20, "declare_level", False, "LEVEL-1"),
        (t0 + 30, "stand_down", False, "ADJUST-4"),
    ]
    assert "called for none" in result.score.decisions[0].reason
    assert "called for L2" in result.score.decisions[2].reason
    # Wrong but allowed decisions are still carried out: scoring judges, the engine obeys the transitions.
    path = [(lv.src, lv.dst, lv.by) for lv in result.summary.levels]
    assert path == [("none", "L3", "command"), ("L3", "L2", "command"), ("L2", "L1", "command"), ("L1", "none", "leadership")]
    assert result.summary.decisions.correct_pct == 25.0


def test_rejected_decisions_are_incorrect_with_their_rule(plan: Plan, small: SmallScenario) -> None:
    decisions = [
        act(plan, 10, "lift_warning"),
        act(plan, 20, "declare_level", level="L9"),
        act(plan, 30, "move_staff", src="comms", dst="hotline", n="99"),
    ]
    result = run(plan, small(horizon_days=0.1), decisions=decisions, auto_roles=[])
    judged = [(d.action, d.correct, d.rule) for d in result.score.decisions]
    assert judged == [("lift_warning", False, "WARN-4"), ("declare_level", False, "ADJUST-3"), ("move_staff", False, "TEAM-LOGI")]
    written = result.summary.to_json()["decisions"]
    assert [(d["action"], d["correct"], d["rule"], d["reason_code"]) for d in written["list"]] == [
        (d.action, d.correct, d.rule, d.why.code) for d in result.score.decisions
    ]
    assert written["judged"] == 3 and written["correct"] == 0
