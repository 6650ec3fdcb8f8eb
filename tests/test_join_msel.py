"""The facilitator's MSEL panel and inject commands in ``drillsim join``, against a real host (Pilot)."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_join import clock_text, feed_text, hosted, until, url
from textual.widgets import Input

from simulator.drill import read_journal
from simulator.host import CueInject, Room, WriteInject
from tui.join import JoinApp
from tui.widgets.msel import MselPanel, cue_message


def panel_text(app: JoinApp) -> str:
    return str(app.query_one(MselPanel).render())


async def type_line(pilot: object, app: JoinApp, line: str) -> None:
    box = app.query_one("#text", Input)
    box.focus()
    box.value = line
    await pilot.press("enter")  # type: ignore[attr-defined]


def test_the_facilitator_holds_and_writes_injects_and_sees_the_msel(tmp_path: Path) -> None:
    async def body(room: Room, port: int) -> None:
        app = JoinApp(url(room, port, "facilitator"), "en")
        async with app.run_test(size=(140, 45)) as pilot:
            await until(pilot, lambda: "Day 1 00:00" in clock_text(app), "the clock")
            assert app.query_one(MselPanel).display
            await until(pilot, lambda: "○  1 pending" in panel_text(app) or "○ 1 pending" in panel_text(app), "the MSEL")
            await type_line(pilot, app, "/hold 1")
            await until(pilot, lambda: "1 held" in panel_text(app), "inject 1 held")
            await type_line(pilot, app, "/inject media @pr media=regional A TV crew is at the gate")
            await until(pilot, lambda: "5 fired" in panel_text(app), "the written inject fired")
            assert "A TV crew is at the gate" in feed_text(app)
            await type_line(pilot, app, "/hold x")
            await pilot.pause(0.2)
            cues = read_journal(room.session.folder).cues
            assert [(c.op, c.index) for c in cues] == [("hold", 1), ("write", -1)]
            assert cues[1].written is not None and cues[1].written.text.en == "A TV crew is at the gate"
            assert cues[1].written.values == (("media", "regional"),) and cues[1].written.roles == ("pr",)

    hosted(tmp_path, body)


def test_a_player_has_no_msel_panel(tmp_path: Path) -> None:
    async def body(room: Room, port: int) -> None:
        app = JoinApp(url(room, port, "ann"), "en")
        async with app.run_test(size=(140, 45)) as pilot:
            await until(pilot, lambda: "Day 1 00:00" in clock_text(app), "the clock")
            assert not app.query_one(MselPanel).display and "pending" not in panel_text(app)

    hosted(tmp_path, body)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("/fire 3", CueInject(ref="r", op="fire", index=3)),
        ("/skip 0", CueInject(ref="r", op="skip", index=0)),
        ("/release x", "bad_cue"),
        ("/inject", "bad_inject"),
        ("/inject info @pr,legal", "bad_inject"),
        (
            "/inject info 热线瘫痪 | The hotline is down",
            WriteInject(ref="r", kind="info", zh="热线瘫痪", en="The hotline is down"),
        ),
        (
            "/inject injury injuries=minor safety_hazard=true 顾客受伤",
            WriteInject(ref="r", kind="injury", zh="顾客受伤", set={"injuries": "minor", "safety_hazard": True}),
        ),
        ("/step 10", ""),
    ],
)
def test_cue_commands(line: str, expected: object) -> None:
    assert cue_message(line, "r", "zh") == expected
