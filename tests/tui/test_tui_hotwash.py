"""The hot wash on the end screen: the guide is shown, notes and items are kept in the session and the records."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static, TabbedContent
from tuihelpers import INCIDENT, run_async, settings, statics_text

from simulator.drill import HOTWASH, DrillSession, Records, read_hotwash
from tui.app import DrillApp, make_app
from tui.screens.console import ConsoleScreen
from tui.screens.end import EndScreen

SIZE = (120, 36)
GUIDE = {
    "tests": {"zh": "二级响应的时限", "en": "Level 2's time limits"},
    "expected_path": {"zh": "接报 → 二级 → 1小时内报告监管", "en": "report → Level 2 → regulator within 1 h"},
    "questions": [
        {"zh": "监管报告为何迟了?", "en": "Why was the regulator report late?"},
        {"zh": "谁应开通备用热线?", "en": "Who should open the backup hotline?"},
    ],
}


async def to_hotwash(pilot: Pilot[None], app: DrillApp) -> None:
    """Begin, end the drill at once, and open the hot-wash tab."""
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, ConsoleScreen)
    await pilot.press("e")
    await pilot.pause()
    await pilot.press("y")
    await app.workers.wait_for_complete()
    await pilot.pause()
    assert isinstance(app.screen, EndScreen)
    app.screen.query_one(TabbedContent).active = "tab-hotwash"
    await pilot.pause()


async def type_into(pilot: Pilot[None], app: DrillApp, selector: str, text: str) -> None:
    """Focus a field, type ``text`` and press Enter."""
    app.screen.query_one(selector, Input).focus()
    await pilot.pause()
    await pilot.press(*text, "enter")
    await pilot.pause()


@pytest.mark.parametrize("lang", ["en", "zh"])
@run_async
async def test_guide_notes_and_items_are_kept(
    lang: str, write_scenario: Callable[..., Path], start_session: Callable[..., DrillSession]
) -> None:
    scenario = write_scenario(horizon_days=0.25, injects=[INCIDENT], guide=GUIDE)
    session = start_session(scenario, ["Wang:command"], lang=lang)
    app = make_app(session, settings(lang))
    async with app.run_test(size=SIZE) as pilot:
        await to_hotwash(pilot, app)
        shown = statics_text(app.screen)
        for key in ("tests", "expected_path"):
            assert GUIDE[key][lang] in shown  # type: ignore[index]
        labels = " ".join(str(w.render()) for w in app.screen.query(".hw-question"))
        for q in GUIDE["questions"]:
            assert q[lang] in labels  # type: ignore[index]

        await type_into(pilot, app, "#hw-note-1", "duty")
        await type_into(pilot, app, "#hw-owner", "Wang")
        app.screen.query_one("#hw-due", Input).value = "2030-02-30"  # no such day
        await type_into(pilot, app, "#hw-what", "drill")
        assert "YYYY-MM-DD" in str(app.screen.query_one("#hw-status", Static).render())
        assert app.screen.query_one("#hw-items", DataTable).row_count == 0
        app.screen.query_one("#hw-due", Input).value = "2030-02-28"
        await type_into(pilot, app, "#hw-rule", "REPORT-1")
        assert app.screen.query_one("#hw-items", DataTable).row_count == 1

    kept = json.loads((session.folder / HOTWASH).read_text(encoding="utf-8"))
    assert [n["note"] for n in kept["notes"]] == ["", "duty"]
    assert kept["notes"][1]["question"] == GUIDE["questions"][1]  # type: ignore[index]
    assert kept["items"] == [{"what": "drill", "owner": "Wang", "due": "2030-02-28", "rule": "REPORT-1"}]
    with Records(session.db, read_only=True) as records:
        (recorded,) = records.sessions()
    assert [(i.what, i.owner, i.due, i.rule) for i in recorded.improvements] == [("drill", "Wang", "2030-02-28", "REPORT-1")]

    # a second look at the end screen shows what was kept
    again = read_hotwash(session.folder)
    assert again is not None and again.notes[1].note == "duty"
