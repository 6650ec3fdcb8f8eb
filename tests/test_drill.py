"""Drill sessions: roles, journal-first decisions, resume after a quit or a SIGKILL, replay, per-role scores."""

from __future__ import annotations

import itertools
import json
import os
import re
import signal
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

import simulator.drill.session as drill_mod
from simulator.batch import RunInfo, RunResult, run
from simulator.drill import Records
from simulator.drill.journal import JOURNAL, read_journal
from simulator.drill.session import DrillSession, Trainee, parse_trainee, unfinished_sessions
from simulator.load import load_plan, load_scenario, scenarios_dir
from simulator.model import Decision, MetByAction, Request, UserError
from simulator.record import DecisionMade
from simulator.score.roles import TEAM_ROLES, duty_role

ROOT = Path(__file__).resolve().parents[1]
PLAN = load_plan(None)
TRAINEES = (Trainee("张三", ("duty",)), Trainee("Li", ("pr",)))
FULL = {
    "register_report": ("time", "place", "parties", "description", "contact"),
    "warning_notice": ("risk_nature", "scope_of_impact", "first_advice", "official_contact"),
    "publish_bulletin": ("status", "measures", "spokesperson"),
}


def decision(t: float, action: str, role: str) -> Decision:
    return Decision(t, action, role, contents=FULL.get(action, ()))


# The short refund surge (fixed step durations): the incident report comes in at 36 h (2160 min,
# INTAKE-1 due 15 min later), the warning starts at 2175 (WARN-2 due 2 h later) and Level 2 some
# hours on; the duty officer reports to the GM 5 minutes after it starts (NOTIFY-1 due 30 min
# after). Two decisions share a time on purpose; the second backup-hotline call is refused.
AT_L2 = -1.0
"""Placeholder time: five minutes after Level 2 starts."""
PLANNED = (
    decision(2161.0, "register_report", "duty"),
    decision(2200.0, "warning_notice", "pr"),
    decision(2200.0, "open_backup_hotline", "duty"),
    decision(AT_L2, "notify_gm", "duty"),
    decision(3000.0, "open_backup_hotline", "duty"),
    decision(3500.0, "publish_bulletin", "pr"),
)


@pytest.fixture(scope="module")
def scenario_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled refund surge cut to three days at a lower baseline, with fixed step durations."""
    text = (scenarios_dir() / "refund_surge.yaml").read_text(encoding="utf-8")
    for old, new in (("horizon_days: 10\n", "horizon_days: 3\n"), ("baseline_per_day: 1000\n", "baseline_per_day: 400\n")):
        assert old in text
        text = text.replace(old, new)
    data = yaml.safe_load(re.sub(r"(?m)^step_cv: .*$", "step_cv: 0.0", text))
    data["injects"] = [inject for inject in data["injects"] if inject["at_h"] <= 3 * 24]  # the rest would never fire
    path = tmp_path_factory.mktemp("scenario") / "short.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def drive(session: DrillSession, decisions: Sequence[Decision], slice_min: float | None = None) -> list[int]:
    """Advance to each decision's time (in slices if given) and take it."""
    seqs = []
    for d in decisions:
        while slice_min is not None and session.now < d.t:
            session.advance(min(d.t, session.now + slice_min))
        session.advance(d.t)
        seqs.append(session.decide(d.request()))
    return seqs


@dataclass
class Straight:
    """A session run straight through with every decision."""

    session: DrillSession
    result: RunResult
    db: Path
    decisions: list[Decision]
    """The decisions as taken (journaled), at their times."""


@pytest.fixture(scope="module")
def straight(scenario_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Straight:
    base = tmp_path_factory.mktemp("straight")
    session = DrillSession.start(scenario_path, None, TRAINEES, folder=base / "s", db=base / "records.sqlite3")
    for d in PLANNED:
        if d.t == AT_L2:
            while session.engine.level == "none":
                session.advance(session.now + 1.0)
            session.advance(session.now + 5.0)
        session.advance(d.t)
        session.decide(d.request())
    assert not session.finished
    decisions = read_journal(session.folder).decisions
    return Straight(session, session.finish(), base / "records.sqlite3", decisions)


def events(folder: Path) -> bytes:
    return (folder / "events.jsonl").read_bytes()


# -- trainees and roles --------------------------------------------------------------------


def test_parse_trainee() -> None:
    assert parse_trainee("张三", PLAN) == Trainee("张三", ("duty",))
    assert parse_trainee(" Li : command, pr,command", PLAN) == Trainee("Li", ("command", "pr"))
    with pytest.raises(UserError, match=r"unknown role 'boss'; the plan's roles are: duty, command"):
        parse_trainee("Li:boss", PLAN)
    with pytest.raises(UserError, match="the name is empty"):
        parse_trainee(":duty", PLAN)
    for text in ("张三:", "张三: ,"):  # a colon and nothing after it: the roles were forgotten, not declined
        with pytest.raises(UserError, match=rf"^trainee '{text}': no role after ':'; give NAME alone for the duty officer"):
            parse_trainee(text, PLAN)


@pytest.mark.parametrize(
    ("trainees", "message"),
    [
        ((Trainee("A", ("duty",)), Trainee("B", ("pr", "duty"))), "'duty' is held by both 'A' and 'B'"),
        ((Trainee("A", ("duty",)), Trainee("A", ("pr",))), "'A' is taken twice"),
        ((Trainee("auto", ("duty",)),), "'auto' is reserved"),
        ((Trainee("A", ("chef",)),), "unknown role 'chef'"),
        ((Trainee("A", ()),), "holds no role"),
    ],
)
def test_bad_trainees(scenario_path: Path, tmp_path: Path, trainees: tuple[Trainee, ...], message: str) -> None:
    with pytest.raises(UserError, match=message):
        DrillSession.start(scenario_path, None, trainees, folder=tmp_path / "s", db=tmp_path / "r.db")
    assert not (tmp_path / "s").exists()


def test_auto_responder_acts_for_the_roles_no_trainee_holds(straight: Straight) -> None:
    session = straight.session
    assert session.held_roles == {"duty", "pr"}
    assert session.auto.roles == set(PLAN.roles) - {"duty", "pr"}
    actors = {(d.role, d.actor) for d in straight.result.log.of(DecisionMade)}
    assert {a for r, a in actors if r == "duty"} == {"张三"}
    assert {a for r, a in actors if r == "pr"} == {"Li"}
    assert {a for r, a in actors if r not in ("duty", "pr")} == {"auto"}


def test_decide_checks_role_action_and_actor(scenario_path: Path, tmp_path: Path) -> None:
    session = DrillSession.start(scenario_path, None, TRAINEES, folder=tmp_path / "s", db=tmp_path / "r.db")
    session.advance(100.0)
    with pytest.raises(UserError, match="role 'command' is not held by a trainee of this session"):
        session.decide(Request("declare_level", "command", params={"level": "L2"}))
    with pytest.raises(UserError, match="'warning_notice' is a decision of the 'pr' role, not of 'duty'"):
        session.decide(Request("warning_notice", "duty"))
    with pytest.raises(UserError, match="'Li' does not hold the 'duty' role; '张三' does"):
        session.decide(Request("notify_gm", "duty"), actor="Li")
    with pytest.raises(UserError, match="unknown action 'panic'"):
        session.decide(Request("panic", "duty"))
    assert read_journal(session.folder).decisions == []
    session.decide(Request("notify_gm", "duty"))  # the time is the clock's, the actor the holder's
    assert read_journal(session.folder).decisions == [Decision(100.0, "notify_gm", "duty", "张三")]
    session.suspend()
    with pytest.raises(UserError, match="is closed"):
        session.advance(200.0)


def test_a_decision_is_on_disk_before_the_engine_takes_it(
    scenario_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = DrillSession.start(scenario_path, None, TRAINEES, folder=tmp_path / "s", db=tmp_path / "r.db")
    seen: list[int] = []
    submit = session.engine.submit

    def spy(d: Decision) -> int:
        seen.append(len(read_journal(session.folder).decisions))
        return submit(d)

    monkeypatch.setattr(session.engine, "submit", spy)
    session.advance(30.0)
    assert session.decide(Request("notify_gm", "duty")) == 0
    assert seen == [1]
    session.suspend()


# -- journal, resume, replay -----------------------------------------------------------------


def test_finish_writes_the_session_folder_and_the_records(straight: Straight) -> None:
    session, folder = straight.session, straight.session.folder
    assert session.finished
    assert {p.name for p in folder.iterdir()} >= {JOURNAL, "events.jsonl", "summary.json", "run.json"}
    info = RunInfo.read(folder)
    assert info.kind == "drill" and info.seed == session.header.seed
    assert info.trainees == [{"name": "张三", "roles": ["duty"]}, {"name": "Li", "roles": ["pr"]}]
    contents = read_journal(folder)
    assert contents.ended and [d.action for d in contents.decisions] == [d.action for d in PLANNED]
    with Records(straight.db) as records:
        (rec,) = records.sessions()
        trend = records.trend("张三")
    assert rec.folder == str(folder.resolve()) and rec.started == session.header.started
    assert rec.compliance_pct == straight.result.score.compliance_pct
    assert {r.rule: (r.met, r.late, r.missed) for r in rec.rules} == {
        r.rule: (r.met, r.late, r.missed) for r in straight.result.score.rules.values()
    }
    assert [t.name for t in rec.trainees] == ["张三", "Li"]
    assert trend[0].compliance_pct == session.trainee_scores(straight.result)["张三"].compliance_pct
    with pytest.raises(UserError, match="has finished"):
        DrillSession.resume(folder, db=straight.db)


def test_replaying_the_journal_gives_the_same_log(straight: Straight, tmp_path: Path) -> None:
    session = straight.session
    scenario = load_scenario(session.header.files(session.folder)[0], PLAN)
    auto = [r for r in PLAN.roles if r not in session.held_roles]
    replayed = run(PLAN, scenario, seed=session.header.seed, decisions=read_journal(session.folder).decisions, auto_roles=auto)
    replayed.write(tmp_path)
    assert events(tmp_path) == events(session.folder)
    assert replayed.summary == straight.result.summary


def test_quit_and_resume_in_slices_gives_the_same_log(
    straight: Straight, scenario_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(drill_mod, "CLOCK_EVERY_S", 1e9)  # only the simulated-time rule writes clock lines
    folder, db = tmp_path / "s", tmp_path / "r.db"
    first = DrillSession.start(scenario_path, None, TRAINEES, folder=folder, db=db)
    drive(first, straight.decisions[:3], slice_min=7.0)
    first.advance(2500.0)
    quit_at = first.now
    first.suspend()
    clock_lines = [json.loads(x) for x in (folder / JOURNAL).read_text(encoding="utf-8").splitlines() if '"clock"' in x]
    assert clock_lines[-1]["t"] == quit_at
    gaps = [b["t"] - a["t"] for a, b in itertools.pairwise(clock_lines[:-1])]
    assert gaps and min(gaps) >= drill_mod.CLOCK_EVERY_MIN

    second = DrillSession.resume(folder, db=db)
    assert second.now == quit_at
    assert second.trainees == TRAINEES and second.held_roles == {"duty", "pr"}
    drive(second, straight.decisions[3:], slice_min=45.0)
    result = second.finish()
    assert events(folder) == events(straight.session.folder)
    assert result.score == straight.result.score


def _journal_lines(folder: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in (folder / JOURNAL).read_text(encoding="utf-8").splitlines()]


def _rewrite(folder: Path, lines: list[dict[str, object]]) -> bytes:
    data = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines).encode()
    (folder / JOURNAL).write_bytes(data)
    return data


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda lines: lines[2].update(action="launch_rocket"),
            r":3: a decision this session could not have taken \(unknown action 'launch_rocket'; the plan's actions are: ",
        ),
        (
            lambda lines: lines[2].update(action="declare_level", role="command"),
            r":3: a decision this session could not have taken \(role 'command' is not held by a trainee of this session"
            r" \(held: duty, pr\)\)",
        ),
        (
            lambda lines: lines[2].update(actor="Li"),
            r":3: a decision this session could not have taken \('Li' does not hold the 'duty' role; '张三' does\)",
        ),
        (
            lambda lines: lines[0]["trainees"][0].update(roles=["janitor"]),  # type: ignore[index]
            r":1: the session's trainees do not fit the plan \(trainee '张三': unknown role 'janitor'; ",
        ),
        (
            lambda lines: lines.append({"kind": "clock", "t": 1e308}),
            r":5: the clock at 1e\+308 min is past the scenario's end \(4320 min\)",
        ),
    ],
)
def test_resume_refuses_a_journal_its_session_could_not_have_written(
    change: Callable[[list[dict[str, object]]], None], message: str, scenario_path: Path, tmp_path: Path
) -> None:
    """Such a line is named and the session left as it was: replay would take what decide() refuses, or run past the end."""
    folder = tmp_path / "s"
    session = DrillSession.start(scenario_path, None, TRAINEES, folder=folder, db=tmp_path / "r.db")
    session.advance(100.0)
    session.decide(Request("notify_gm", "duty"))
    session.suspend()
    sound = (folder / JOURNAL).read_bytes()
    lines = _journal_lines(folder)
    assert [line["kind"] for line in lines] == ["header", "clock", "decision", "clock"]
    change(lines)
    data = _rewrite(folder, lines)
    with pytest.raises(UserError, match=re.escape(str(folder / JOURNAL)) + message):
        DrillSession.resume(folder, db=tmp_path / "r.db")
    assert (folder / JOURNAL).read_bytes() == data
    (folder / JOURNAL).write_bytes(sound)  # the refusal let go of the session: the sound journal resumes
    DrillSession.resume(folder, db=tmp_path / "r.db").suspend()


CHILD = """
import json, sys
from pathlib import Path
from simulator.model.decisions import Decision
from simulator.drill.session import DrillSession, Trainee

folder, scenario, db, trainees, decisions = sys.argv[1:]
session = DrillSession.start(
    Path(scenario), None, [Trainee(t["name"], tuple(t["roles"])) for t in json.loads(trainees)],
    folder=Path(folder), db=Path(db),
)
for rec in json.loads(decisions):
    if sys.stdin.readline() != "go\\n":
        break
    session.advance(rec["t"])
    seq = session.decide(Decision.from_json(rec).request())
    print(f"ack {seq} {session.now}", flush=True)
sys.stdin.readline()
"""


def test_sigkill_mid_drill_then_resume(straight: Straight, scenario_path: Path, tmp_path: Path) -> None:
    acked = 2  # the kill races the third decision, taken at the same time as the second
    folder, db = tmp_path / "s", tmp_path / "r.db"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DRILLSIM_DB": str(db)}
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            CHILD,
            str(folder),
            str(scenario_path),
            str(db),
            json.dumps([t.to_json() for t in TRAINEES]),
            json.dumps([d.to_json() for d in straight.decisions]),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert child.stdin is not None and child.stdout is not None
    acks = []
    try:
        for _ in range(acked):
            child.stdin.write("go\n")
            child.stdin.flush()
            acks.append(child.stdout.readline().split())
        child.stdin.write("go\n")  # the next decision races with the kill
        child.stdin.flush()
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        child.stdin.close()
        child.stdout.close()
    assert child.returncode == -signal.SIGKILL
    assert [a[0] for a in acks] == ["ack"] * acked

    journaled = read_journal(folder).decisions
    assert acked <= len(journaled) <= acked + 1
    for d, want, ack in zip(journaled, straight.decisions, acks, strict=False):
        assert (d.t, d.action, d.role, d.contents) == (want.t, want.action, want.role, want.contents)
        assert d.t == float(ack[2])

    resumed = DrillSession.resume(folder, db=db)
    rest = straight.decisions[len(journaled) :]
    assert resumed.now <= rest[0].t
    drive(resumed, rest)
    result = resumed.finish()
    assert events(folder) == events(straight.session.folder)
    assert result.score.compliance_pct == straight.result.score.compliance_pct
    assert result.summary == straight.result.summary


# -- scores per role ---------------------------------------------------------------------------


def test_role_scores(straight: Straight) -> None:
    session, result = straight.session, straight.result
    split = session.parts(result)
    scores = split.roles
    assert list(scores) == list(PLAN.roles)
    # every duty of the default plan goes to exactly one role
    assert sum(len(s.duties) for s in scores.values()) == len(result.score.duties)
    rules = {role: {d.rule for d in s.duties} for role, s in scores.items()}
    assert rules["duty"] == {"INTAKE-1", "NOTIFY-1"}
    assert rules["pr"] == {"WARN-2", "RESP-3"}
    assert rules["qa"] == {"TEAM-VERIFY"}
    assert rules["cs"] == {"TEAM-COMMS", "WARN-1"}
    duty = scores["duty"]
    assert (duty.met, duty.late, duty.missed, duty.compliance_pct) == (2, 0, 0, 100.0)
    # the second backup-hotline call was refused: the duty officer's one judged decision, wrong
    assert (duty.correct, duty.incorrect) == (0, 1)
    assert scores["leadership"].correct >= 1  # the auto-responder started the warning
    trainee = session.trainee_scores(result)
    assert trainee["张三"].duties == duty.duties and trainee["Li"].duties == scores["pr"].duties
    # the trainees' part and the auto-responder's: every duty in one of them, decisions by who took them
    mine, auto = {d.oid for d in split.trainee.duties}, {d.oid for d in split.auto.duties}
    assert not mine & auto and mine | auto == {d.oid for d in result.score.duties}
    assert mine == {d.oid for role in ("duty", "pr") for d in scores[role].duties}
    assert {j.actor for j in split.trainee.decisions} <= {"张三", "Li"}
    assert {j.actor for j in split.auto.decisions} == {"auto"} and split.auto.decisions
    assert len(split.trainee.decisions) + len(split.auto.decisions) == len(result.score.decisions)


def test_idle_duty_officer_misses_and_is_late(scenario_path: Path, tmp_path: Path) -> None:
    session = DrillSession.start(scenario_path, None, [Trainee("王五", ("duty",))], folder=tmp_path / "s", db=tmp_path / "r.db")
    drive(session, [decision(2200.0, "register_report", "duty")])  # a 10-minute step; due 2175
    duty = session.parts(session.finish()).roles["duty"]
    by_rule = {d.rule: d for d in duty.duties}
    assert by_rule["INTAKE-1"].status == "late" and by_rule["INTAKE-1"].late_by == 2210.0 - 2175.0
    assert by_rule["NOTIFY-1"].status == "missed"
    assert duty.compliance_pct == 0.0
    assert session.trainee_scores(session.result)["王五"].compliance_pct == 0.0  # type: ignore[arg-type]


def test_every_duty_of_the_plan_has_a_role() -> None:
    for ob in PLAN.obligations:
        role = duty_role(PLAN, ob)
        assert role in PLAN.roles, ob.rule
        if isinstance(ob.met_by, MetByAction):
            assert role == PLAN.actions[ob.met_by.action[0]].role
    assert set(TEAM_ROLES) == set(PLAN.teams)


# -- session folders -----------------------------------------------------------------------------


def test_default_folder_is_under_the_data_dir(scenario_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(drill_mod, "data_dir", lambda: tmp_path)
    a = DrillSession.start(scenario_path, None, TRAINEES, db=tmp_path / "r.db")
    b = DrillSession.start(scenario_path, None, TRAINEES, db=tmp_path / "r.db")
    for s in (a, b):
        assert s.folder.parent == tmp_path / "sessions" and "-refund_surge" in s.folder.name
        s.suspend()
    assert a.folder != b.folder
    assert {folder for folder, _ in unfinished_sessions()} == {a.folder, b.folder}
    DrillSession.resume(a.folder, db=tmp_path / "r.db").finish()
    (tmp_path / "sessions" / "broken").mkdir()
    (tmp_path / "sessions" / "broken" / JOURNAL).write_text("{}\n", encoding="utf-8")
    [(unfinished, contents), (broken, problem)] = unfinished_sessions()
    assert unfinished == b.folder and not isinstance(contents, UserError) and contents.header == b.header
    assert broken.name == "broken" and isinstance(problem, UserError) and "no line kind" in str(problem)
    assert unfinished_sessions(tmp_path / "nowhere") == []
    with pytest.raises(UserError, match="language 'fr'"):
        DrillSession.start(scenario_path, None, TRAINEES, lang="fr", db=tmp_path / "r.db")
