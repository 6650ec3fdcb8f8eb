"""Consequences and the trainee first, through real drill sessions: report, records, history, hot wash.

The drills are played through ``DrillSession`` on the report tests' small refund surge (its
backup hotline adds two people to a one-person hotline). Every figure a test expects is counted
here from the event logs (the session's, and the auto-responder's run on the same seed written
to disk and read back), never taken from the code under test.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from test_reports_numbers import md_table, shown
from test_reports_support import small_scenario

from reports.build import make_report
from reports.inputs import load, variants
from simulator.batch import RunInfo, run
from simulator.cli.history import history
from simulator.drill import (
    RELATIVE,
    DrillSession,
    HotWash,
    Item,
    Note,
    Outcome,
    Records,
    Side,
    Trainee,
    differences,
    read_hotwash,
    save_hotwash,
)
from simulator.drill.consequences import is_large
from simulator.model import Text, UserError, Written
from simulator.record import ABANDONED, ActionDone, DecisionMade, EventLog, InjectFired, InjectWritten, ObligationOpened, columns
from simulator.score import duty_role, score

pytest_plugins = ("test_reports_support",)

SEED = 7


def play(folder: Path, scenario: Path, trainees: list[Trainee], db: Path, *, until_h: float | None = None) -> DrillSession:
    """A drill in which the trainees take no decision at all: the clock runs in slices to the end."""
    session = DrillSession.start(scenario, None, trainees, seed=SEED, folder=folder, lang="zh", db=db)
    end = session.engine.horizon if until_h is None else until_h * 60
    t = 0.0
    while t < end:
        t = min(end, t + 240.0)
        session.advance(t)
    session.finish(end if until_h is not None else None)
    return session


def abandoned(log: EventLog) -> int:
    """Complaints that gave up waiting on the hotline, counted from a log's complaint records."""
    return int((columns(log.complaints)["outcome"] == ABANDONED).sum())


@pytest.fixture(scope="module")
def hotline_drill(tmp_path_factory: pytest.TempPathFactory) -> tuple[DrillSession, Path]:
    """李雷 holds the duty officer's role — who opens the backup hotline — and never does; a report is made."""
    base = tmp_path_factory.mktemp("hotline")
    scenario = small_scenario(base)
    session = play(base / "session", scenario, [Trainee("李雷", ("duty",))], base / "records.sqlite3")
    make_report(session.folder, base / "report", langs=("zh", "en"))
    return session, base


def auto_log(session: DrillSession, folder: Path) -> EventLog:
    """The auto-responder alone on the drill's scenario and seed, written to disk and read back."""
    info = RunInfo.read(session.folder)
    plan, scenario = info.load()
    run(plan, scenario, seed=info.seed).write(folder)
    return EventLog.read(folder / "events.jsonl")


def test_the_report_names_the_abandoned_calls_and_the_hotline_never_opened(
    hotline_drill: tuple[DrillSession, Path], tmp_path: Path
) -> None:
    session, base = hotline_drill
    drill = EventLog.read(session.folder / "events.jsonl")
    auto = auto_log(session, tmp_path)
    assert "open_backup_hotline" not in {e.action for e in drill.of(DecisionMade)}
    opened = next(e for e in auto.of(ActionDone) if e.action == "open_backup_hotline")
    ours, theirs = abandoned(drill), abandoned(auto)
    assert ours - theirs >= max(20, RELATIVE * theirs)  # a large difference by the report's own rule

    for lang, heading, label, said in (
        ("en", "### Consequences", "Abandoned hotline calls", '"open the backup hotline" (duty officer: 李雷) was never done'),
        ("zh", "### 后果", "热线放弃来电", "“开放备用热线”(总值班室值班员:李雷)在演练中从未执行"),
    ):
        md = (base / "report" / f"aar.{lang}.md").read_text(encoding="utf-8")
        rows = {row[0]: row for row in md_table(md, heading)}
        _, drill_cell, auto_cell, causes = rows[label]
        assert shown("int", drill_cell) == ours and shown("int", auto_cell) == theirs
        assert said in causes
        when = re.search(r"(D\d+ \d\d:\d\d|第\d+天 \d\d:\d\d)", causes)
        assert when is not None and abs(shown("clock", when.group(1)) - opened.t) <= 0.5

    # the lesson follows: an area for improvement and a corrective action for the duty officer
    md = (base / "report" / "aar.en.md").read_text(encoding="utf-8")
    areas = md[md.index("## 5. Areas for improvement") : md.index("## 6. Improvement plan")]
    said = f'Consequence: "open the backup hotline" left undone; Abandoned hotline calls {ours:,}'
    assert f"{said} (auto-responder {theirs:,})" in areas
    plan_rows = md_table(md, "## 6. Improvement plan")
    fix = [row for row in plan_rows if '"open the backup hotline"' in row[1]]
    assert len(fix) == 1 and fix[0][2] == "duty officer" and fix[0][3] == "**high**"


def test_a_run_beside_itself_has_no_consequence(hotline_drill: tuple[DrillSession, Path]) -> None:
    session, _ = hotline_drill
    result = session.result
    assert result is not None
    side = Side(result.log, result.score, result.summary)
    assert differences(side, side, session.plan, session.scenario) == []


def test_the_comparison_runs_replay_the_facilitators_written_inject(tmp_path: Path) -> None:
    """A written incident report with national media coverage at 06:00 is the exercise's world: the comparison has it too.

    韩梅梅 holds legal, whose inaction changes no outcome the report compares; everything else is the auto-responder's.
    """
    at = 6 * 60.0
    trainees = [Trainee("韩梅梅", ("legal",))]
    scenario = small_scenario(tmp_path)
    session = DrillSession.start(scenario, None, trainees, seed=SEED, folder=tmp_path / "s", lang="en", db=tmp_path / "r.sqlite3")
    session.advance(at)
    text = Text(zh="央视报道退款迟迟不到账。", en="National TV reports that refunds stall.")
    written = Written("incident_report", text, ("duty",), (("media", "national"),))
    index = session.cue("write", "fay", written=written)
    t = at
    while t < session.engine.horizon:
        t = min(session.engine.horizon, t + 240.0)
        session.advance(t)
    session.finish()

    inp = load(session.folder)
    assert [(c.op, c.t, c.written) for c in inp.cues] == [("write", at, written)]
    auto, whatif = (v.result for v in variants(inp, [{"hotline": 3}]))
    for log in (auto.log, whatif.log):
        assert [(e.t, e.index, e.kind, e.en, e.values, e.by) for e in log.of(InjectWritten)] == [
            (at, index, "incident_report", text.en, (("media", "national"),), "fay")
        ]
        assert (at, index) in {(e.t, e.index) for e in log.of(InjectFired)}
    opened = {(e.t, e.rule) for e in inp.log.of(ObligationOpened) if e.t == at}
    assert opened and opened <= {(e.t, e.rule) for e in auto.log.of(ObligationOpened)}  # the duties it opens, at once in both
    assert auto.log.events == variants(inp)[0].result.log.events  # deterministic

    drill = Side(inp.log, inp.score, inp.summary)
    assert differences(drill, Side(auto.log, auto.score, auto.summary), inp.plan, inp.scenario) == []
    # the inject alone makes large differences: a comparison run without it would put them down to the drill
    bare = run(inp.plan, inp.scenario, seed=SEED, until=inp.log.meta.horizon)
    assert differences(drill, Side(bare.log, bare.score, bare.summary), inp.plan, inp.scenario) != []

    make_report(session.folder, tmp_path / "report", langs=("en",))
    md = (tmp_path / "report" / "aar.en.md").read_text(encoding="utf-8")
    section = md[md.index("### Consequences") :]
    assert "No large difference between the drill and the auto-responder." in section.split("\n#")[0]


def test_a_folder_without_a_journal_has_no_cues(aar_run_folder: Path, aar_drill_folder: Path) -> None:
    for folder in (aar_run_folder, aar_drill_folder):
        assert not (folder / "journal.jsonl").exists()
        assert load(folder).cues == ()


@pytest.mark.parametrize(
    ("drill", "auto", "large"),
    [
        (216 + 20, 216, False),  # above the floor, below 25% of 216 (54)
        (216 + 54, 216, True),
        (25, 0, True),  # nothing in the auto-responder's run: the floor decides
        (19, 0, False),
        (0, 100, True),  # fewer counts as well
    ],
)
def test_large_is_the_floor_and_a_quarter_of_the_auto_responder(drill: float, auto: float, large: bool) -> None:
    assert is_large(Outcome("abandoned", "complaints.abandoned", "int", 20, "hotline"), drill, auto) is large


def test_the_report_leads_with_the_trainee(hotline_drill: tuple[DrillSession, Path]) -> None:
    """The trainee's on-time rate differs from the whole run's; the report's first sentence is the trainee's."""
    session, base = hotline_drill
    log = EventLog.read(session.folder / "events.jsonl")
    result = score(log, session.plan)
    index = {e.oid: e.index for e in log.of(ObligationOpened)}
    theirs = [d for d in result.duties if duty_role(session.plan, session.plan.obligations[index[d.oid]]) == "duty"]
    scored = [d for d in theirs if d.status in ("met", "late", "missed")]
    own = 100.0 * sum(d.status == "met" for d in scored) / len(scored)
    whole = result.compliance_pct
    assert whole is not None and f"{own:.1f}" != f"{whole:.1f}"
    md = (base / "report" / "aar.en.md").read_text(encoding="utf-8")
    first = md.split("## 1. Exercise overview\n\n")[1].split("\n")[0]
    assert first.startswith(f"The trainees' own part: duty score {own:.1f}% ")
    assert f"{whole:.1f}%" not in first
    # strengths and areas are the trainee's: no rule of another role is listed
    areas = md[md.index("## 5. Areas for improvement") : md.index("## 6. Improvement plan")]
    listed = set(re.findall(r"^\d+\. ([A-Z]+-[\dA-Z]+)", areas, re.M))
    assert listed and listed <= {d.rule for d in theirs}


def test_hot_wash_notes_are_printed_in_the_report(hotline_drill: tuple[DrillSession, Path], tmp_path: Path) -> None:
    session, _ = hotline_drill
    guide = session.scenario.guide
    assert guide is not None and len(guide.questions) >= 2
    notes = [Note(question=guide.questions[0], note="两者口径不同,按预案取较严者"), Note(question=guide.questions[1], note="")]
    item = Item(what="值班清单加入备用热线", owner="李雷", due="2030-01-31", rule="WARN-3")
    save_hotwash(session.folder, HotWash(notes=notes, items=[item]), session.db)
    make_report(session.folder, tmp_path, langs=("zh", "en"), formats=("md",))
    zh = (tmp_path / "aar.zh.md").read_text(encoding="utf-8")
    rows = dict((q, n) for q, n in md_table(zh, "### 复盘讨论"))
    assert rows[guide.questions[0].zh] == "两者口径不同,按预案取较严者"
    assert rows[guide.questions[1].zh] == "(未记录)"
    assert "| 值班清单加入备用热线 | 李雷 | 2030-01-31 | WARN-3 |" in zh
    en = (tmp_path / "aar.en.md").read_text(encoding="utf-8")
    assert guide.questions[0].en in en and guide.expected_path.en in en
    with Records(session.db, read_only=True) as records:
        (recorded,) = [s for s in records.sessions() if s.folder == str(session.folder.resolve())]
    kept = [(i.what, i.owner, i.due, i.rule) for i in recorded.improvements]
    assert kept == [("值班清单加入备用热线", "李雷", "2030-01-31", "WARN-3")]


def test_a_damaged_hot_wash_file_is_named(tmp_path: Path) -> None:
    (tmp_path / "hotwash.json").write_text('{"notes": [{"note": 3}]}', encoding="utf-8")
    with pytest.raises(UserError, match=r"hotwash\.json: not a hot-wash file \(notes\[0\]\.question"):
        read_hotwash(tmp_path)
    with pytest.raises(ValueError, match=r"month must be in 1\.\.12"):
        Item(what="x", owner="y", due="2030-13-01")


def test_rules_that_keep_failing_show_per_trainee_across_sessions(tmp_path: Path) -> None:
    """Two sessions of 李雷 as duty officer, doing nothing: history shows each duty rule failing in both."""
    scenario = small_scenario(tmp_path)
    db = tmp_path / "records.sqlite3"
    sessions = [
        play(tmp_path / f"s{i}", scenario, [Trainee("李雷", ("duty",)), Trainee("Ann", ("pr",))], db, until_h=48) for i in (1, 2)
    ]
    expected: dict[str, int] = {}
    ann: list[float] = []
    for s in sessions:
        log = EventLog.read(s.folder / "events.jsonl")
        result = score(log, s.plan)
        index = {e.oid: e.index for e in log.of(ObligationOpened)}
        role = {d.oid: duty_role(s.plan, s.plan.obligations[index[d.oid]]) for d in result.duties}
        for rule in {d.rule for d in result.duties if role[d.oid] == "duty" and d.status in ("late", "missed")}:
            expected[rule] = expected.get(rule, 0) + 1
        pr = [d for d in result.duties if role[d.oid] == "pr" and d.status in ("met", "late", "missed")]
        ann.append(100.0 * sum(d.status == "met" for d in pr) / len(pr))
    assert expected and set(expected.values()) == {2}
    save_hotwash(sessions[1].folder, HotWash(items=[Item(what="rehearse intake", owner="李雷", due="2030-03-01")]), db)

    with Records(db, read_only=True) as records:
        out = history(records, "en", "李雷")
        zh = history(records, "zh")
    table = out.split("Rules that keep failing, per trainee\n")[1].split("\n\n")[0]
    rows = [re.split(r"\s{2,}", line) for line in table.splitlines()[2:]]
    assert {r[1]: (r[3], r[4], r[5]) for r in rows if r[0] == "李雷"} == {rule: ("2 of 2", "0 of 2", "✗ ✗") for rule in expected}
    assert "rehearse intake" in out.split("Improvement items (hot wash)")[1]
    assert "反复未达标的规则(按学员)" in zh and "总值班室值班员" in zh
    # Ann's rows lead with her own on-time rate (PR's duties), not the run's
    rows = [re.split(r"\s{2,}", line) for line in zh.split("学员成绩走势")[0].splitlines() if "Ann(" in line]
    assert [r[4] for r in rows] == [f"{x:.1f}%" for x in ann]
    assert all(r[3] == "Ann(公关部)" for r in rows)


def test_an_older_records_file_is_migrated_with_a_backup(tmp_path: Path) -> None:
    """A file of schema 1 with a session in it: opened for writing, it is backed up, migrated, and still read."""
    import sqlite3

    from simulator.drill import schema

    db = tmp_path / "records.sqlite3"
    con = sqlite3.connect(db)
    schema.apply(con, 0, 1)
    con.execute(
        "INSERT INTO session (folder, scenario, plan_id, plan_version, seed, lang, started, ended, compliance_pct,"
        " decision_pct) VALUES ('/s/old', 'refund_surge', 'complaint-plan', 'v', 1, 'zh', '2024-01-01', '2024-01-01', 90, 50)"
    )
    con.commit()
    con.close()
    with Records(db) as records:
        assert records.version == len(schema.MIGRATIONS)
        (old,) = records.sessions()
        assert (old.folder, old.compliance_pct, old.auto_compliance_pct, old.improvements) == ("/s/old", 90.0, None, ())
        assert records.rule_trend("anyone") == []
    backup = sqlite3.connect(db.with_name(f"{db.name}.bak-v1"))
    assert backup.execute("PRAGMA user_version").fetchone()[0] == 1
    backup.close()


def test_the_hot_wash_is_written_by_one_writer(tmp_path: Path) -> None:
    """While the session is open (its lock held), the hot wash is refused and nothing is written."""
    scenario = small_scenario(tmp_path)
    session = DrillSession.start(
        scenario, None, [Trainee("李雷", ("duty",))], seed=SEED, folder=tmp_path / "s", db=tmp_path / "r.db"
    )
    with pytest.raises(UserError, match="this session is open in another drillsim"):
        save_hotwash(session.folder, HotWash(items=[Item(what="x", owner="y", due="2030-01-01")]), session.db)
    assert read_hotwash(session.folder) is None
    session.finish(60.0)
    kept = save_hotwash(session.folder, HotWash(items=[Item(what="x", owner="y", due="2030-01-01")]), session.db)
    assert read_hotwash(session.folder) == kept and kept.saved
    assert not list(session.folder.glob(".*.tmp"))
