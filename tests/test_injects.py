"""Branching injects (conditions, delays after injects and decisions) and the facilitator's cues, in both engines."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from scipy import stats
from test_kernel import scaled

from simulator.batch import run
from simulator.cli.main import main
from simulator.drill import CueRefused, DrillSession, Trainee, read_journal
from simulator.engine import AutoResponder, Engine
from simulator.kernel.core import run_kernel
from simulator.lint import lint_scenarios
from simulator.load import load_scenario, load_yaml, scenarios_dir
from simulator.model import Cue, Decision, Plan, Request, Scenario, Text, UserError, ValidationFailed, Written
from simulator.msel import read_msel, write_msel
from simulator.record import InjectCued, InjectFired, InjectWritten, ObligationOpened
from simulator.sweep.grid import rep_seed

BRANCHING = Path(__file__).parent / "inject_scenarios" / "branching.yaml"
COLLAPSE, FOLLOW_UP, REGULATOR = 2, 3, 4
"""Indexes of the branching scenario's injects: the hotline collapse (when the backup hotline is not
open at 5 h), its follow-up (2 h after it) and the regulator's call (once a warning or L2 holds)."""


@pytest.fixture(scope="module")
def branching(plan: Plan) -> Scenario:
    return load_scenario(BRANCHING, plan)


def fired(log: Any) -> list[tuple[float, int]]:
    return [(e.t, e.index) for e in log.of(InjectFired)]


def drill(tmp_path: Path, name: str, *, open_backup_at: float | None) -> list[tuple[float, int]]:
    """A drill of the branching scenario with a duty officer who opens the backup hotline at a time, or never."""
    session = DrillSession.start(BRANCHING, None, [Trainee("ann", ("duty",))], folder=tmp_path / name, db=tmp_path / "r.db")
    if open_backup_at is not None:
        session.advance(open_backup_at)
        session.decide(Request("open_backup_hotline", "duty"))
    return fired(session.finish().log)


def test_the_hotline_collapses_only_in_the_drill_that_left_the_backup_closed(tmp_path: Path) -> None:
    opened = drill(tmp_path, "opened", open_backup_at=180.0)
    closed = drill(tmp_path, "closed", open_backup_at=None)
    assert [i for _, i in opened] == [0, 1, REGULATOR]
    # 5 h: the collapse; its follow-up 2 h later; the regulator calls when the media report raises L2 at 2 h
    assert closed == [(60.0, 0), (120.0, 1), (120.0, REGULATOR), (300.0, COLLAPSE), (420.0, FOLLOW_UP)]
    late = drill(tmp_path, "late", open_backup_at=301.0)  # opened after the collapse: too late to stop it
    assert COLLAPSE in [i for _, i in late]


def with_injects(scenario: Scenario, injects: list[dict[str, Any]]) -> Scenario:
    return Scenario.model_validate({**scenario.model_dump(by_alias=True, exclude={"injects"}), "injects": injects})


def text(name: str) -> dict[str, str]:
    return {"zh": name, "en": name}


DECLARED = {"decision": "declare_level"}
NOT_NATIONAL = {"indicator": "media", "ne": "national"}


def test_both_engines_fire_conditional_and_relative_injects_at_the_same_times(plan: Plan, branching: Scenario) -> None:
    """The injects wait only for what both engines decide alike: inject-set indicators, levels, the warning,
    and, under a plan whose passive trigger is a decision, the auto-responder's declare_level."""
    decided = plan.model_copy(update={"choices": plan.choices.model_copy(update={"passive_trigger": "decision"})})
    injects = [
        {"id": "report", "at_h": 1, "kind": "incident_report", "text": text("report"), "set": {"event_open": True}},
        {"id": "media", "at_h": 2.5, "kind": "media", "text": text("media"), "set": {"media": "regional"}},
        {"kind": "info", "text": text("on L2"), "when": {"indicator": "level", "ge": "L2"}},
        {"kind": "info", "text": text("after media"), "after": {"inject": "media", "delay_h": 1.25}},
        {"at_h": 4, "kind": "info", "text": text("from 4 h, regional"), "when": {"indicator": "media", "ge": "regional"}},
        {"kind": "info", "text": text("declared"), "after": {"decision": "declare_level", "delay_h": 0.5}},
        {"kind": "info", "text": text("declared, media not national"), "when": {"all": [DECLARED, NOT_NATIONAL]}},
        {"kind": "info", "text": text("never"), "when": {"indicator": "media", "eq": "national"}},
    ]
    scenario = with_injects(branching, injects)
    for p in (plan, decided):
        engine = {e.index: e.t for e in run(p, scenario).log.of(InjectFired)}
        kernel = run_kernel(p, scenario).timeline.fired
        assert engine == kernel
        assert 7 not in engine and engine[3] == 150.0 + 75.0 and engine[4] == 240.0
    engine = {e.index: e.t for e in run(decided, scenario).log.of(InjectFired)}
    # L3 declared 20 min (the responder's latency) after the report at 1 h, L2 20 min after the media at 2.5 h
    assert (engine[6], engine[5], engine[2]) == (80.0, 110.0, 170.0)


def test_the_kernel_refuses_injects_waiting_for_what_it_does_not_follow(plan: Plan, branching: Scenario) -> None:
    with pytest.raises(UserError, match=r"open_backup_hotline.*--engine simpy"):
        run_kernel(plan, branching)
    overdue = with_injects(branching, [{"kind": "info", "text": text("x"), "when": {"duty": "INTAKE-1", "is": "overdue"}}])
    with pytest.raises(UserError, match="duty's outcome"):
        run_kernel(plan, overdue)


def test_an_inject_follows_a_duty_outcome(plan: Plan, branching: Scenario) -> None:
    """The regulator asks when the intake record is overdue; it does not when the record was made in time."""
    injects = [
        {"at_h": 1, "kind": "incident_report", "text": text("report"), "set": {"event_open": True}},
        {"kind": "regulator_letter", "text": text("late"), "when": {"duty": "INTAKE-1", "is": "overdue"}},
        {"kind": "info", "text": text("in time"), "when": {"duty": "INTAKE-1", "is": "met"}},
    ]
    scenario = with_injects(branching, injects)
    idle = run(plan, scenario, auto_roles=[r for r in plan.roles if r != "duty"]).log
    due = next(e.due for e in idle.of(ObligationOpened) if e.rule == "INTAKE-1")
    assert fired(idle) == [(60.0, 0), (due, 1)]
    spec = plan.actions["register_report"]
    done = Decision(60.0, "register_report", "duty", "ann", {}, tuple(spec.contents))
    diligent = run(plan, scenario, decisions=[done], auto_roles=[r for r in plan.roles if r != "duty"]).log
    assert [i for _, i in fired(diligent)] == [0, 2]


def cue(t: float, op: str, index: int = -1, written: Written | None = None) -> Cue:
    return Cue(t, op, "fay", index, written)  # type: ignore[arg-type]


def test_hold_release_skip_and_fire_now(plan: Plan, branching: Scenario) -> None:
    engine = Engine(plan, branching)
    AutoResponder(engine)
    for c in (cue(30.0, "hold", 1), cue(30.0, "skip", 0), cue(90.0, "fire", 0)):
        engine.advance(c.t)
        assert engine.msel.refusal(c.op, c.index) is None
        engine.cue(c)
    engine.advance(190.0)
    assert engine.msel.status[:2] == ["fired", "held"]
    assert engine.msel.refusal("fire", 0) == "fired" and engine.msel.refusal("release", 0) == "not_held"
    engine.advance(200.0)
    engine.cue(cue(200.0, "release", 1))
    log = engine.finish()
    assert fired(log)[:3] == [(90.0, 0), (200.0, 1), (200.0, REGULATOR)]  # 1 held past 2 h, released at 200
    assert [(e.t, e.index, e.op) for e in log.of(InjectCued)] == [
        (30.0, 1, "hold"), (30.0, 0, "skip"), (90.0, 0, "fire"), (200.0, 1, "release")]  # fmt: skip


def test_a_hold_at_the_injects_own_instant_stops_it(plan: Plan, branching: Scenario) -> None:
    engine = Engine(plan, branching)
    engine.advance(120.0)
    engine.cue(cue(120.0, "hold", 1))
    assert 1 not in [i for _, i in fired(engine.finish())]


def test_written_injects_fire_as_their_kind_and_replay(plan: Plan, branching: Scenario, tmp_path: Path) -> None:
    """A written incident report opens the intake duty as the scenario's would; the journal replays to the same bytes."""
    session = DrillSession.start(BRANCHING, None, [Trainee("ann", ("duty",))], folder=tmp_path / "s", db=tmp_path / "r.db")
    session.advance(30.0)
    report = Written("incident_report", Text(zh="门店来电投诉", en="A store calls"), ("duty",), (("safety_hazard", True),))
    assert session.cue("write", "fay", written=report) == len(branching.injects)
    with pytest.raises(CueRefused, match="inject 9"):
        session.cue("hold", "fay", index=9)
    with pytest.raises(CueRefused, match="kind"):
        session.cue("write", "fay", written=Written("rumour", Text(zh="谣言", en="rumour")))
    with pytest.raises(CueRefused, match="growth_pct"):
        session.cue("write", "fay", written=Written("info", Text(zh="x", en="x"), (), (("growth_pct", 3.0),)))
    session.advance(31.0)
    log = session.engine.log
    assert [(e.t, e.index, e.roles, e.by) for e in log.of(InjectWritten)] == [(30.0, 5, ("duty",), "fay")]
    assert fired(log) == [(30.0, 5)]
    assert "INTAKE-1" in [e.rule for e in log.of(ObligationOpened) if e.t == 30.0]
    assert session.msel()[5].status == "fired" and session.msel()[5].zh == "门店来电投诉"
    session.cue("skip", "fay", index=COLLAPSE)
    result = session.finish()
    journal = read_journal(tmp_path / "s")
    assert [(c.op, c.index) for c in journal.cues] == [("write", -1), ("skip", COLLAPSE)]
    auto = [r for r in plan.roles if r != "duty"]
    again = run(plan, branching, decisions=journal.decisions, cues=journal.cues, auto_roles=auto)
    again.write(tmp_path / "again")
    assert (tmp_path / "again" / "events.jsonl").read_bytes() == (tmp_path / "s" / "events.jsonl").read_bytes()
    assert COLLAPSE not in [i for _, i in fired(result.log)]
    assert main(["report", str(tmp_path / "s"), "--out", str(tmp_path / "aar"), "--format", "md", "--lang", "en"]) == 0
    assert "A store calls" in next((tmp_path / "aar").glob("*.md")).read_text(encoding="utf-8")  # in the report's MSEL


def test_lint_names_each_inject_that_can_never_fire_with_its_line(capsys: pytest.CaptureFixture[str]) -> None:
    path = Path(__file__).parent / "inject_scenarios" / "never.yaml"
    doc = load_yaml(path)
    found = {f.message.en.split()[0]: f for f in lint_scenarios(None, [path])}
    # injects[1] asks for tests_clear, which nothing sets; [2] contradicts itself; [3] waits for [1];
    # [4] comes 30 h after a 2 h inject in a 24 h scenario; [6] asks for national media, set nowhere
    assert sorted(found) == ["injects[1]", "injects[2]", "injects[3]", "injects[4]", "injects[6]"]
    for name, part in [("injects[1]", "when"), ("injects[2]", "when"), ("injects[3]", "after"), ("injects[6]", "when")]:
        index = int(name[8:-1])
        assert found[name].lines == (doc.locate(("injects", index, part)).line,)
    assert "tests_clear ∈ {false}" in found["injects[1]"].message.en and "contradicts itself" in found["injects[2]"].message.en
    assert "32 h" in found["injects[4]"].message.en and "永远不会发出" in found["injects[3]"].message.zh
    assert main(["lint", "--scenario", str(path)]) == 1
    assert f"never.yaml:{found['injects[2]'].lines[0]}: INJECT-NEVER" in capsys.readouterr().out
    assert main(["lint", "--scenario", str(BRANCHING)]) == 0


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_msel_export_and_import_keep_conditions_and_relative_timing(
    plan: Plan, branching: Scenario, tmp_path: Path, suffix: str
) -> None:
    path = tmp_path / f"msel{suffix}"
    write_msel(branching.injects, path, plan)
    assert read_msel(path, plan, branching) == branching.injects
    assert [inj.when is not None or inj.after is not None for inj in branching.injects].count(True) == 3


def test_msel_import_locates_a_bad_condition_cell(plan: Plan, branching: Scenario, tmp_path: Path) -> None:
    path = tmp_path / "msel.csv"
    write_msel(branching.injects, path, plan)
    text = path.read_text(encoding="utf-8-sig").replace("open_backup_hotline", "open_backup_hotlin")
    path.write_text(text.replace("{inject: collapse", "{inject: colapse"), encoding="utf-8-sig")
    with pytest.raises(ValidationFailed) as failed:
        read_msel(path, plan, branching)
    header = next(iter(csv.reader(io.StringIO(text))))
    when, after = (1 + [h.split()[0] for h in header].index(key) for key in ("when", "after"))
    where = {(p.location.line, p.location.column): p.message for p in failed.value.problems}
    assert "open_backup_hotline" in where[(4, when)] and "collapse" in where[(5, after)]


def test_an_inject_on_complaint_growth_fires_alike_in_both_engines(plan: Plan) -> None:
    """Growth comes from each engine's own random arrivals, so the fire times are compared as samples:
    30 kernel and 30 engine replications of the refund surge at a tenth of its volume (KS test, medians)."""
    refund = load_scenario(scenarios_dir() / "refund_surge.yaml", plan)
    surge = {"id": "surge", "kind": "info", "text": text("surge"), "when": {"indicator": "growth_pct", "ge": 300}}
    later = {"kind": "info", "text": text("later"), "after": {"inject": "surge", "delay_h": 3}}
    data = refund.model_dump(by_alias=True)
    scenario = scaled(Scenario.model_validate({**data, "horizon_days": 4, "injects": [*data["injects"], surge, later]}), 0.1)
    kernel = [run_kernel(plan, scenario, seed=rep_seed(5, r)).timeline.fired for r in range(30)]
    engine = [{e.index: e.t for e in run(plan, scenario, seed=rep_seed(6, r)).log.of(InjectFired)} for r in range(30)]
    for fired_at in (*kernel, *engine):
        assert fired_at[6] == fired_at[5] + 180.0
    k, s = [f[5] for f in kernel], [f[5] for f in engine]
    assert stats.ks_2samp(k, s).pvalue > 0.01, (k, s)
    assert abs(float(np.median(k)) - float(np.median(s))) <= 60.0


def test_a_taken_inject_id_is_located(plan: Plan, tmp_path: Path) -> None:
    text = BRANCHING.read_text(encoding="utf-8").replace("  - id: follow_up", "  - id: collapse")
    path = tmp_path / "twice.yaml"
    path.write_text(text, encoding="utf-8")
    line = [n for n, row in enumerate(text.splitlines(), start=1) if row == "  - id: collapse"][1]  # the second
    with pytest.raises(ValidationFailed) as failed:
        load_scenario(path, plan)
    [problem] = failed.value.problems
    assert (problem.location.line, problem.location.column) == (line, 9) and "injects[2]" in problem.message
