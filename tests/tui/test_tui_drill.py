"""Short drills played by keypresses and forms; the end screen must name every duty's outcome by rule."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Checkbox, DataTable, Label, Static, TabbedContent
from tuihelpers import INCIDENT, feed_entries, key_of, run_async, settings, statics_text

from reports.aar import build_report
from reports.build import chart_keys
from reports.inputs import load
from reports.render_md import render_md
from simulator.drill import DrillSession, read_journal
from simulator.model import Credit, Obligation
from simulator.record import ObligationOpened
from simulator.score import DutyResult, duty_role
from tui.app import DrillApp, make_app
from tui.screens.console import ConsoleScreen
from tui.screens.end import EndScreen
from tui.screens.forms import ConfirmScreen, ContentsForm, LevelForm, StaffForm
from tui.screens.help import HelpScreen

SIZE = (100, 30)


async def step(pilot: Pilot[None], times: int) -> None:
    """Press the step key ``times`` times (10 simulated minutes each)."""
    for _ in range(times):
        await pilot.press("n")
    await pilot.pause()


def keys(text: str) -> list[str]:
    """The keys that type ``text``."""
    return ["space" if ch == " " else ch for ch in text]


async def write(pilot: Pilot[None], title: str, body: str, *boxes: bool) -> None:
    """Fill a document form as a trainee does: type the title (it has the focus), tab, type the text,
    tab to the first box; space ticks a box, tab moves to the next; then submit."""
    await pilot.press(*keys(title), "tab", *keys(body), "tab")
    for n, on in enumerate(boxes):
        if on:
            await pilot.press("space")
        if n < len(boxes) - 1:
            await pilot.press("tab")
    await pilot.press("ctrl+s")
    await pilot.pause()


async def end_drill(pilot: Pilot[None], app: DrillApp) -> None:
    """End the drill from the console and wait for the scored end screen."""
    await pilot.press("e")
    await pilot.pause()
    assert isinstance(app.screen, ConfirmScreen)
    await pilot.press("y")
    await app.workers.wait_for_complete()
    await pilot.pause()
    assert isinstance(app.screen, EndScreen)


def table_rows(app: DrillApp, table_id: str) -> list[list[str]]:
    """The rows of one of the end screen's tables, as plain text."""
    table = app.screen.query_one(f"#{table_id}", DataTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


def ob_of(session: DrillSession, oid: int) -> Obligation:
    """The plan obligation behind an obligation instance of the session's log."""
    return session.plan.obligations[next(e.index for e in session.engine.log.of(ObligationOpened) if e.oid == oid)]


def duty_score(duties: list[DutyResult], credit: Credit) -> float | None:
    """The credit earned over the duties scored, in percent, computed here on its own from the plan's ``credit:``."""
    share = {"met": 1.0, "incomplete": credit.incomplete, "missed": 0.0}
    scored = [d for d in duties if d.status in ("met", "incomplete", "late", "missed")]
    earned = sum(share.get(d.status, credit.late_incomplete if d.missing else credit.late) for d in scored)
    return 100.0 * earned / len(scored) if scored else None


def by_rule(app: DrillApp) -> dict[str, tuple[int, int, int]]:
    """Rule ID → (met, late, missed), read from the end screen (columns: met, incomplete, late, missed ...)."""
    return {row[0]: (int(row[2]), int(row[4]), int(row[5])) for row in table_rows(app, "rules")}


def incomplete_by_rule(app: DrillApp) -> dict[str, int]:
    """Rule ID → incomplete duties, read from the end screen."""
    return {row[0]: int(row[3]) for row in table_rows(app, "rules")}


@run_async
async def test_level_and_report_chain(
    write_scenario: Callable[..., Path], decision_plan: Path, start_session: Callable[..., DrillSession]
) -> None:
    """Declare Level 2 by form and confirmation, send the regulator report through its review chain.

    Timeline (the scenario has no variability): the incident at 01:00 calls for L2; the command
    centre declares L2 at 01:10 and starts the report at 01:20. Draft (command centre, 30 min)
    ends 01:50 — REPORT-2 (draft within 2 h) met; legal review (20 min) and the deputy GM's
    signature (10 min) end at 02:20, ten minutes after REPORT-1's 60-minute limit for L2 — late.
    The command centre does nothing else: its other duties that fall due within the 12-hour
    drill are missed. The auto-responder meets the duty officer's, PR's and customer service's.
    """
    scenario = write_scenario(horizon_days=0.5, injects=[INCIDENT], expected_levels=["L2"])
    session = start_session(scenario, ["Wang:command"], plan=decision_plan)
    app = make_app(session, settings())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConsoleScreen)
        await step(pilot, 7)
        assert session.now == 70
        assert session.engine.implied == "L2"

        await pilot.press(key_of(session, "declare_level"))
        await pilot.pause()
        assert isinstance(app.screen, LevelForm)
        await pilot.press("down", "enter", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "ADJUST-3" in str(app.screen.text)
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, ConsoleScreen)

        await step(pilot, 1)
        assert session.engine.level == "L2"
        await pilot.press(key_of(session, "regulator_report"))
        await pilot.pause()
        assert isinstance(app.screen, ContentsForm)
        await write(pilot, "Refund surge report", "Nature: refund complaints; measures taken.", True, True, True, True)
        await end_drill(pilot, app)

        rules = by_rule(app)
        assert app.result is not None
        assert rules == {r: (s.met, s.late, s.missed) for r, s in app.result.score.rules.items()}
        assert rules["REPORT-2"] == (1, 0, 0)
        assert rules["REPORT-1"] == (0, 1, 0)
        for rule in ("NOTIFY-2", "ACTIVATE-3", "ADJUST-1", "RESP-1", "RESP-2"):
            assert rules[rule] == (0, 0, 1), rule
        assert rules["REPORT-3"] == (0, 0, 2)
        for rule in ("INTAKE-1", "NOTIFY-1", "RESP-3"):
            assert rules[rule] == (1, 0, 0), rule
        assert {r for r, (met, late, missed) in rules.items() if late} == {"REPORT-1"}

        duties = table_rows(app, "duties")
        late = [row for row in duties if row[0] == "REPORT-1"]
        assert [row[4] for row in late] == ["late by 10 min"]

        roles = table_rows(app, "roles")
        assert roles[0][:6] == ["Wang", "command centre", "1", "0", "1", "7"]  # the trainee leads
        assert roles[1][0] == "auto-responder (other roles)"
        assert {row[1] for row in roles[2:]} == {"duty officer", "leadership group", "PR", "legal"} | {
            "customer service",
            "quality assurance",
            "logistics",
        }

        # The headline is the trainee's own: the command centre's duties, not the whole run's
        result = app.result
        mine = [d for d in result.score.duties if duty_role(session.plan, ob_of(session, d.oid)) == "command"]
        others = [d for d in result.score.duties if duty_role(session.plan, ob_of(session, d.oid)) not in (None, "command")]
        credit = session.plan.credit
        own, theirs, whole = duty_score(mine, credit), duty_score(others, credit), result.score.compliance_pct
        assert whole is not None and own is not None and theirs is not None
        assert f"{own:.0f}%" != f"{whole:.0f}%"
        summary = str(app.screen.query_one("#summary", Static).render())
        assert summary.startswith("Trainees: duty score") and f"{own:.0f}%" in summary
        assert f"{whole:.0f}%" not in summary
        auto_line = str(app.screen.query_one("#auto-part", Static).render())
        assert "Auto-responder's part" in auto_line and f"{theirs:.0f}%" in auto_line

        decisions = table_rows(app, "decisions")
        assert len(decisions) == 1
        assert decisions[0][2] == "Wang" and "correct" in decisions[0][4] and decisions[0][5] == "LEVEL-2"
        assert f"drillsim report {session.folder}" in statics_text(app.screen)
        await pilot.press("right_square_bracket", "right_square_bracket")
        assert app.screen.query_one(TabbedContent).active == "tab-duties"
        await pilot.press("left_square_bracket", "left_square_bracket")
        assert app.screen.query_one(TabbedContent).active == "tab-roles"

    journal = read_journal(session.folder)
    assert journal.ended
    assert [(d.t, d.action, d.params) for d in journal.decisions] == [
        (70.0, "declare_level", {"level": "L2"}),
        (80.0, "regulator_report", {}),
    ]
    assert journal.decisions[1].contents == ("nature", "measures", "impact", "controls")


NOTICE_TITLE = "Situation notice"
NOTICE_TEXT = "Complaints about batch 12 are being verified. Stop using it."


async def warning_then(pilot: Pilot[None], session: DrillSession, steps: int) -> None:
    """Begin; at 00:10 the trainee's leadership starts the warning; then ``steps`` more steps."""
    await pilot.press("enter")
    await step(pilot, 1)
    await pilot.press(key_of(session, "issue_warning"))
    await step(pilot, steps)
    assert session.engine.warning_since == 10


def report_md(session: DrillSession) -> str:
    """The session's after-action report in English, as Markdown (no comparison runs)."""
    report = build_report(load(session.folder), [], "en")
    return render_md(report, {key: f"{key}.png" for key in chart_keys(report)})


def plan_row(md: str, rule: str) -> str:
    """The improvement plan's row for a rule (exactly one)."""
    section = md[md.index("## 6. Improvement plan") : md.index("## Appendix A")]
    (row,) = [line for line in section.splitlines() if line.startswith(f"| {rule} ")]
    return row


@run_async
async def test_a_notice_without_an_element_is_warned_about_then_scored_incomplete(
    write_scenario: Callable[..., Path], start_session: Callable[..., DrillSession]
) -> None:
    """WARN-2 (§5.1): the notice must carry risk nature, scope of impact, first advice and official contact.

    The leadership starts the warning at 00:10 (WARN-2 due 02:10); PR writes the notice at 00:20 and
    leaves the official contact unticked. The form names it and asks to send anyway; sent, the
    notice is out at 01:00 (review 30 min, publishing 10 min) — on time, incomplete. The report
    quotes it, names the element, and its corrective action is a checklist covering that element.
    """
    session = start_session(write_scenario(horizon_days=0.25), ["Li:pr,leadership"])
    app = make_app(session, settings())
    async with app.run_test(size=SIZE) as pilot:
        await warning_then(pilot, session, 1)
        # The feed judges the warning as it is taken, naming the condition that did not hold and its value.
        (verdict,) = [line for line in feed_entries(app.screen) if "WARN-1 judged wrong" in line]
        assert "called for no response" in verdict and "not held: complaint event reported = false (needs true)" in verdict
        await pilot.press(key_of(session, "warning_notice"))
        await pilot.pause()
        assert isinstance(app.screen, ContentsForm)
        form = app.screen
        await write(pilot, NOTICE_TITLE, NOTICE_TEXT, True, True, True, False)
        boxes = [str(box.render()).strip() for box in form.query(Checkbox)]
        assert boxes == ["☑ risk nature", "☑ scope of impact", "☑ first advice", "☐ official contact"]
        warning = app.screen
        assert isinstance(warning, ConfirmScreen)
        assert "Missing what the plan requires: official contact" in str(warning.text)
        assert "risk nature" not in str(warning.text)
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, ConsoleScreen)
        assert read_journal(session.folder).decisions[-1].text == {"title": NOTICE_TITLE, "body": NOTICE_TEXT}
        await step(pilot, 5)
        assert any("WARN-2" in line and "has no official contact: incomplete" in line for line in feed_entries(app.screen))
        await end_drill(pilot, app)
        assert incomplete_by_rule(app)["WARN-2"] == 1 and by_rule(app)["WARN-2"] == (0, 0, 0)
        (row,) = [r for r in table_rows(app, "duties") if r[0] == "WARN-2"]
        assert row[4] == "incomplete: no official contact"
        assert app.result is not None
        (duty,) = [d for d in app.result.score.duties if d.rule == "WARN-2"]
        assert (duty.status, duty.missing, duty.done) == ("incomplete", ("official_contact",), 60.0)

    md = report_md(session)
    action = plan_row(md, "WARN-2")
    assert "checklist" in action and "official contact" in action
    assert "lead time" not in action
    improvements = md[md.index("## 5.") : md.index("## 6.")]
    assert f"“{NOTICE_TITLE} — {NOTICE_TEXT}”" in improvements and "without official contact" in improvements


@run_async
async def test_a_complete_but_late_notice_is_scored_late(
    write_scenario: Callable[..., Path], start_session: Callable[..., DrillSession]
) -> None:
    """The warning starts at 00:10 (WARN-2 due 02:10); PR writes a complete notice at 01:40: out at 02:20, late by 10 min."""
    session = start_session(write_scenario(horizon_days=0.25), ["Li:pr,leadership"])
    app = make_app(session, settings())
    async with app.run_test(size=SIZE) as pilot:
        await warning_then(pilot, session, 9)
        assert session.now == 100
        await pilot.press(key_of(session, "warning_notice"))
        await pilot.pause()
        await write(pilot, NOTICE_TITLE, NOTICE_TEXT, True, True, True, True)
        assert isinstance(app.screen, ConsoleScreen), "a complete notice is sent without a warning"
        await end_drill(pilot, app)
        assert by_rule(app)["WARN-2"] == (0, 1, 0) and incomplete_by_rule(app)["WARN-2"] == 0
        (row,) = [r for r in table_rows(app, "duties") if r[0] == "WARN-2"]
        assert row[4] == "late by 10 min"

    action = plan_row(report_md(session), "WARN-2")
    assert "lead time" in action and "10 min" in action and "checklist" not in action


@run_async
async def test_auto_role_key_takes_no_decision(
    write_scenario: Callable[..., Path], start_session: Callable[..., DrillSession]
) -> None:
    """A decision of a role no trainee holds is the auto-responder's: its key journals nothing."""
    session = start_session(write_scenario(), ["Li:pr"])
    app = make_app(session, settings())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", key_of(session, "declare_level"))
        await pilot.pause()
        assert isinstance(app.screen, ConsoleScreen)
        assert read_journal(session.folder).decisions == []


@run_async
async def test_cancelled_form_takes_no_decision(
    write_scenario: Callable[..., Path], start_session: Callable[..., DrillSession]
) -> None:
    """Escape leaves a form without deciding."""
    session = start_session(write_scenario(), ["Li:pr"])
    app = make_app(session, settings())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", key_of(session, "warning_notice"))
        await pilot.pause()
        assert isinstance(app.screen, ContentsForm)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConsoleScreen)
        assert read_journal(session.folder).decisions == []


@run_async
async def test_clock_runs_pauses_and_changes_speed(
    write_scenario: Callable[..., Path], start_session: Callable[..., DrillSession]
) -> None:
    """Space runs the clock, + and - change speed, an inject pauses it at the inject's time."""
    session = start_session(write_scenario(injects=[INCIDENT]), ["Wang:command"])
    app = make_app(session, settings(speed=3600))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        console = app.screen
        assert isinstance(console, ConsoleScreen)
        await pilot.press("-", "+", "+")
        assert app.driver.speed == 3600
        await pilot.press("space")
        assert app.driver.running
        while app.driver.running:
            console.tick()
            await pilot.pause()
        assert 60 < session.now < 60.001
        feed = "\n".join(feed_entries(console))
        assert "The hotline reports a product fault" in feed
        assert "clock paused: a new inject" in feed


@run_async
async def test_help_lists_bindings(write_scenario: Callable[..., Path], start_session: Callable[..., DrillSession]) -> None:
    """The help screen lists the registry's bindings and the decision keys, and closes again."""
    session = start_session(write_scenario(), ["Wang:command"])
    app = make_app(session, settings(lang="zh"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = statics_text(app.screen)
        assert "console.pause" in text and "action.declare_level" in text and "暂停/继续" in text
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConsoleScreen)


@run_async
async def test_quit_suspends_and_resume_restores(
    write_scenario: Callable[..., Path], decision_plan: Path, start_session: Callable[..., DrillSession], tmp_path: Path
) -> None:
    """Quitting mid-drill leaves a resumable journal; the resumed app starts where it stopped."""
    session = start_session(write_scenario(injects=[INCIDENT]), ["Wang:command"], plan=decision_plan)
    app = make_app(session, settings())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await step(pilot, 7)
        await pilot.press(key_of(session, "notify_departments"))
        await step(pilot, 1)
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
    assert not read_journal(session.folder).ended

    resumed = DrillSession.resume(session.folder, db=tmp_path / "records.sqlite3")
    assert resumed.now >= 70
    app = make_app(resumed, settings())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "Session resumed; the clock is at Day 1 01:20" in statics_text(app.screen)
        await pilot.press("enter")
        await pilot.pause()
        feed = "\n".join(feed_entries(app.screen))
        assert "#1 journaled: notify the departments concerned" in feed
        assert "The hotline reports a product fault" in feed


@run_async
async def test_staff_move_form(write_scenario: Callable[..., Path], start_session: Callable[..., DrillSession]) -> None:
    """Move 2 people from customer communication to the duty hotline; the same team twice is refused in the form."""
    session = start_session(write_scenario(), ["Lo:logistics"])
    teams = list(session.engine.teams)
    app = make_app(session, settings())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", key_of(session, "move_staff"))
        await pilot.pause()
        form = app.screen
        assert isinstance(form, StaffForm)
        comms = ["down"] * (teams.index("comms") + 1)  # the list opens on its blank first line
        await pilot.press("enter", *comms, "enter", "tab")
        await pilot.press("enter", *comms, "enter", "tab", "2", "ctrl+s")
        await pilot.pause()
        assert app.screen is form
        assert "two different teams" in str(form.query_one("#error", Label).render())
        await pilot.press("shift+tab", "enter", *["up"] * (teams.index("comms") - teams.index("hotline")), "enter", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ConsoleScreen)
        await step(pilot, 1)
    assert [(d.action, d.params) for d in read_journal(session.folder).decisions] == [
        ("move_staff", {"src": "comms", "dst": "hotline", "n": "2"})
    ]
    assert (session.engine.teams["comms"].staff, session.engine.teams["hotline"].staff) == (4 - 2, 3 + 2)


@run_async
async def test_keymap_rebinds_keys(write_scenario: Callable[..., Path], start_session: Callable[..., DrillSession]) -> None:
    """A keymap moves the step command to x and a decision to g; the old step key does nothing."""
    session = start_session(write_scenario(), ["Wang:command"])
    app = make_app(session, settings(keymap={"console.step": "x", "action.notify_departments": "g"}))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "x")
        assert session.now == 10
        await pilot.press("n", "g")
        await pilot.pause()
        assert session.now == 10
    assert [d.action for d in read_journal(session.folder).decisions] == ["notify_departments"]


@run_async
async def test_ending_the_drill_at_the_current_time(
    write_scenario: Callable[..., Path], start_session: Callable[..., DrillSession]
) -> None:
    """``E`` ends the drill at the current time: the run stops there, duties not yet due stay open.

    The plain end key's question names it; answering no to either question leaves the drill running.
    """
    scenario = write_scenario(horizon_days=0.5, injects=[INCIDENT], expected_levels=["L2"])
    session = start_session(scenario, ["Wang:command"])
    app = make_app(session, settings())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await step(pilot, 9)
        assert session.now == 90
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "ends it at the current time instead" in str(app.screen.text)
        await pilot.press("n")
        await pilot.pause()
        await pilot.press("E")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "(Day 1 01:30)" in str(app.screen.text)
        await pilot.press("y")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, EndScreen)

    assert app.result is not None
    log = app.result.log
    assert log.meta.horizon == 90 and max(e.t for e in log.events) == 90
    statuses = Counter(o.status for o in app.result.summary.obligations)
    assert statuses["open"] > 0, statuses
    # nothing was due after the end, and what was still running is open, not missed
    assert all(o.due <= 90 for o in app.result.summary.obligations if o.status == "missed")


@run_async
async def test_switching_the_language_mid_drill(
    write_scenario: Callable[..., Path], start_session: Callable[..., DrillSession]
) -> None:
    """``L`` switches every panel and the whole feed between English and Chinese; the end screen follows."""
    session = start_session(write_scenario(horizon_days=0.5, injects=[INCIDENT]), ["Wang:command"])
    app = make_app(session, settings())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await step(pilot, 9)

        def feed() -> str:
            return "\n".join(feed_entries(app.screen))

        before = feed()
        assert "The hotline reports a product fault" in before and "热线接报" not in before
        await pilot.press("L")
        await pilot.pause()
        assert isinstance(app.screen, ConsoleScreen) and app.screen.lang == "zh"
        after = feed()
        assert "热线接报:产品问题引发地方媒体报道。" in after and "The hotline reports" not in after
        # the same entries, each once: an entry's first line starts with its clock time
        assert sum(x.startswith("第1天") for x in after.splitlines()) == sum(x.startswith("Day 1") for x in before.splitlines())
        assert "第1天 01:30" in statics_text(app.screen)
        assert app.settings.lang == "zh"
        await step(pilot, 1)
        assert session.now == 100
        await end_drill(pilot, app)
        assert "演练结果" in statics_text(app.screen)
        await pilot.press("q")
