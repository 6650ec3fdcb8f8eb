"""The end screen's decisions: selecting one shows its whole verdict, wrapped, at a trainee's terminal size."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from test_tui_drill import end_drill
from textual.widgets import DataTable, Static, TabbedContent
from tuihelpers import INCIDENT, key_of, run_async, settings

from simulator.drill import DrillSession
from simulator.model import Lang
from tui.app import make_app
from tui.screens.console import ConsoleScreen
from tui.screens.end import EndScreen
from tui.screens.forms import ConfirmScreen

SIZES = [(80, 24), (120, 36)]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("size", SIZES)
@run_async
async def test_selecting_a_decision_shows_its_whole_verdict(
    write_scenario: Callable[..., Path], start_session: Callable[..., DrillSession], lang: Lang, size: tuple[int, int]
) -> None:
    """王 starts the warning state at 00:10, before the incident is reported (01:00): judged wrong, with
    every condition that did not hold. The auto-responder's own judged decisions follow it in the table."""
    scenario = write_scenario(horizon_days=0.5, injects=[INCIDENT])
    session = start_session(scenario, ["王:leadership"], lang=lang)
    app = make_app(session, settings(lang))
    async with app.run_test(size=size) as pilot:
        await pilot.press("enter", "n")
        await pilot.pause()
        assert isinstance(app.screen, ConsoleScreen)
        await pilot.press(key_of(session, "issue_warning"))
        await pilot.pause()
        if isinstance(app.screen, ConfirmScreen):
            await pilot.press("y")
            await pilot.pause()
        await end_drill(pilot, app)
        screen = app.screen
        assert isinstance(screen, EndScreen) and app.result is not None
        await pilot.press("right_square_bracket", "right_square_bracket", "right_square_bracket")
        await pilot.pause()
        assert screen.query_one(TabbedContent).active == "tab-decisions"

        table = screen.query_one("#decisions", DataTable)
        pane = screen.query_one("#verdict", Static)
        scroll = screen.query_one("#verdict-pane")
        judged = {str(j.seq): j for j in app.result.score.decisions}
        mine = [j for j in judged.values() if j.actor == "王"]
        assert len(mine) == 1 and not mine[0].correct and len(judged) > 1
        assert table.has_focus
        seen = []
        for row in range(table.row_count):
            table.move_cursor(row=row)
            await pilot.pause()
            j = judged[str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)]
            shown = str(pane.render())
            why = j.why.say(lang, session.plan)
            assert why in shown and j.rule in shown
            assert ("✓" in shown) is j.correct and ("✗" in shown) is not j.correct
            # wrapped inside the screen, every line of it in view
            assert scroll.virtual_size.width <= scroll.size.width and scroll.virtual_size.height <= scroll.size.height
            seen.append(j.seq)
        assert seen[0] == mine[0].seq and sorted(seen) == sorted(j.seq for j in judged.values())
        # the trainee's wrong verdict names the conditions that did not hold, with their values
        first = judged[str(mine[0].seq)].why.say(lang, session.plan)
        assert ("不成立" if lang == "zh" else "not held") in first
