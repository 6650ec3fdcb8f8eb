"""``drillsim join``: the seat app against a real host, driven with Textual's Pilot."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from pathlib import Path

import aiohttp
import pytest
from textual.pilot import Pilot
from textual.widgets import Checkbox, Input, OptionList, RadioButton, Select, Static

from simulator.cli.main import build_parser
from simulator.drill import read_evaluation, read_journal
from simulator.host import Room
from simulator.host.cli import open_room, open_site
from simulator.model import UserError
from tui.join import JoinApp, check_url
from tui.screens.forms import ConfirmScreen, ContentsForm, LevelForm
from tui.screens.rating import RatingForm
from tui.widgets.feedlog import FeedLog

REPORT_AT = 2161.0
"""A minute after the refund surge's incident report (第2天 12:01)."""


def url(room: Room, port: int, name: str, token: str | None = None) -> str:
    token = token or next(s.token for s in room.seats if s.name == name)
    return f"ws://127.0.0.1:{port}/ws?token={token}"


async def until(pilot: Pilot[None], cond: Callable[[], bool], what: str) -> None:
    for _ in range(200):
        if cond():
            return
        await pilot.pause(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def feed_text(app: JoinApp) -> str:
    return "\n".join(line.text for line in app.query_one(FeedLog).lines)


def clock_text(app: JoinApp) -> str:
    return str(app.query_one("#clock", Static).render())


def hosted(tmp_path: Path, body: Callable[[Room, int], object], seats: tuple[str, ...] = ("ann:duty", "bo:pr")) -> None:
    argv = ["host", "refund_surge", *(a for seat in seats for a in ("--seat", seat)), "--folder", str(tmp_path / "s")]
    room = open_room(build_parser().parse_args([*argv, "--db", str(tmp_path / "r.db")]))

    async def main() -> None:
        runner, port = await open_site(room, "127.0.0.1", 0)
        clock = asyncio.create_task(room.run_clock())
        try:
            await asyncio.wait_for(body(room, port), 60)  # type: ignore[arg-type]
        finally:
            clock.cancel()
            await runner.cleanup()
            if room.ended is None:
                room.session.suspend()

    asyncio.run(main())


def test_a_player_sees_the_clock_and_its_decision_is_acked(tmp_path: Path) -> None:
    async def body(room: Room, port: int) -> None:
        async with aiohttp.ClientSession() as http, http.ws_connect(url(room, port, "facilitator")) as fac:
            app = JoinApp(url(room, port, "ann"))
            async with app.run_test(size=(140, 45)) as pilot:
                await until(pilot, lambda: "第1天 00:00" in clock_text(app), "the clock")
                await fac.send_json({"type": "control", "op": "jump", "value": REPORT_AT})
                await until(pilot, lambda: "第2天 12:01" in clock_text(app), "the clock after the jump")
                assert "★" in feed_text(app)  # the incident report is addressed to the duty officer

                actions = app.query_one("#actions", OptionList)
                ids = [actions.get_option_at_index(i).id for i in range(actions.option_count)]
                assert "register_report" in ids and all(room.session.plan.actions[i].role == "duty" for i in ids)
                actions.focus()
                actions.highlighted = ids.index("register_report")
                await pilot.press("enter")  # the console's own form asks which elements the report carries
                await until(pilot, lambda: isinstance(app.screen, ContentsForm), "the report's form")
                assert "INTAKE-1" in str(app.screen.query_one(".note", Static).render())
                for element in ("time", "place", "contact"):
                    app.screen.query_one(f"#c-{element}", Checkbox).value = True
                await pilot.press("ctrl+s")  # the same warning as in play: elements left out, no text
                await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the incomplete-document warning")
                await pilot.press("y")
                await until(pilot, lambda: "ann 作出决策" in feed_text(app), "the ack in the feed")
                assert room.session.plan.actions["register_report"].name.zh in feed_text(app)

                decisions = read_journal(room.session.folder).decisions
                taken = [(d.action, d.actor, d.t, d.contents) for d in decisions]
                assert taken == [("register_report", "ann", REPORT_AT, ("time", "place", "contact"))]
                while (msg := json.loads(await fac.receive_str()))["type"] != "ack":
                    pass
                assert msg["seat"] == "ann" and msg["ref"] is None

                await pilot.press("n")  # a player has no clock keys
                await pilot.pause(0.2)
                assert room.session.now == REPORT_AT

    hosted(tmp_path, body)


def test_the_facilitator_drives_the_clock_from_the_keys(tmp_path: Path) -> None:
    async def body(room: Room, port: int) -> None:
        app = JoinApp(url(room, port, "facilitator"), "en")
        async with app.run_test(size=(140, 45)) as pilot:
            await until(pilot, lambda: "Day 1 00:00" in clock_text(app), "the clock")
            await pilot.press("n")
            await until(pilot, lambda: room.session.now == 10.0, "a step")
            await until(pilot, lambda: "Day 1 00:10" in clock_text(app), "the stepped clock")
            await pilot.press("f", "s")
            await until(pilot, lambda: room.running and room.speed == 2.0, "the clock running at twice the speed")
            await pilot.press("p")
            await until(pilot, lambda: not room.running, "the pause")
            await pilot.press("e", "e")
            await until(pilot, lambda: app.ended is not None, "the end")
            assert "The drill has ended" in feed_text(app)
            assert "ann:" in feed_text(app) and "bo:" in feed_text(app)
            assert room.session.result is not None

    hosted(tmp_path, body)


def test_a_dropped_seat_reconnects_and_catches_up(tmp_path: Path) -> None:
    async def body(room: Room, port: int) -> None:
        room.session.advance(REPORT_AT)
        app = JoinApp(url(room, port, "bo"))
        async with app.run_test(size=(140, 45)) as pilot, aiohttp.ClientSession() as http:
            await until(pilot, lambda: "第2天 12:01" in clock_text(app), "the clock")
            before = feed_text(app)
            assert before
            stolen = await http.ws_connect(url(room, port, "bo"))  # replaces the app's socket
            await until(pilot, lambda: "重试" in clock_text(app), "the app to see the drop")
            await stolen.close()
            await until(pilot, lambda: room.links.get("bo") is not None and "重试" not in clock_text(app), "the reconnect")
            await until(pilot, lambda: feed_text(app) == before, f"the whole feed again: {before!r} {feed_text(app)!r}")

    hosted(tmp_path, body)


def test_a_refused_token_is_said_and_not_retried(tmp_path: Path) -> None:
    async def body(room: Room, port: int) -> None:
        app = JoinApp(url(room, port, "ann", token="forged"), "en")
        async with app.run_test() as pilot:
            await until(pilot, lambda: "refused" in clock_text(app), "the refusal")
            await pilot.pause(1.0)
            assert "retrying" not in clock_text(app)

    hosted(tmp_path, body)


@pytest.mark.parametrize(
    "bad",
    [
        "http://127.0.0.1:1/ws?token=x",
        "ws://127.0.0.1:1/ws",
        "nonsense",
        "ws://127.0.0.1:99999/ws?token=x",
        "ws://127.0.0.1:0/ws?token=x",
        "ws://127.0.0.1:port/ws?token=x",
    ],
)
def test_a_bad_url_is_a_message(bad: str) -> None:
    with pytest.raises(UserError, match="ws://HOST:PORT"):
        check_url(bad)


def test_a_level_is_declared_through_the_level_form_and_its_confirmation(tmp_path: Path) -> None:
    async def body(room: Room, port: int) -> None:
        app = JoinApp(url(room, port, "cy"), "en")
        async with app.run_test(size=(120, 36)) as pilot:
            await until(pilot, lambda: app.view is not None, "the view")
            actions = app.query_one("#actions", OptionList)
            ids = [actions.get_option_at_index(i).id for i in range(actions.option_count)]
            actions.highlighted = ids.index("declare_level")
            await pilot.press("enter")
            await until(pilot, lambda: isinstance(app.screen, LevelForm), "the level form")
            app.screen.query_one("#lv-L2", RadioButton).value = True
            await pilot.press("ctrl+s")
            await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the confirmation")
            assert "ADJUST-3" in str(app.screen.query_one("#question", Static).render())
            await pilot.press("y")
            await until(pilot, lambda: "cy took declare or change the response level" in feed_text(app), "the ack")
            decisions = read_journal(room.session.folder).decisions
            assert [(d.action, dict(d.params)) for d in decisions] == [("declare_level", {"level": "L2"})]

    hosted(tmp_path, body, seats=("cy:command",))


def test_each_seat_switches_its_own_language(tmp_path: Path) -> None:
    async def body(room: Room, port: int) -> None:
        room.session.advance(REPORT_AT)
        app = JoinApp(url(room, port, "ann"))
        async with app.run_test(size=(120, 36)) as pilot:
            await until(pilot, lambda: "第2天 12:01" in clock_text(app), "the clock")
            side = str(app.query_one("#state", Static).render())
            assert "值班热线" in side and "hotline" not in side and "growth_pct" not in side
            zh_feed = feed_text(app)
            await pilot.press("L")
            await until(pilot, lambda: "Day 2 12:01" in clock_text(app), "the clock in English")
            side = str(app.query_one("#state", Static).render())
            assert "duty hotline" in side and "growth_pct" not in side
            en_feed = feed_text(app)
            assert en_feed.count("Day 2") == zh_feed.count("第2天") > 0 and "★" in en_feed and "第2天" not in en_feed
            actions = app.query_one("#actions", OptionList)
            prompts = [str(actions.get_option_at_index(i).prompt) for i in range(actions.option_count)]
            assert "register an incoming report · duty officer" in prompts
            assert room.lang == "zh"  # the host and the other seats keep theirs
            # the host's own messages to this seat follow it, and so does a reconnect's link
            link = next(link for link in room.links.values() if link.seat.name == "ann")
            await until(pilot, lambda: link.lang == "en", "the host to speak English to ann")
            assert "lang=en" in app.url and "token=" in app.url

    hosted(tmp_path, body)


def test_the_facilitator_types_commands_and_sees_what_each_seat_owes(tmp_path: Path) -> None:
    async def body(room: Room, port: int) -> None:
        app = JoinApp(url(room, port, "facilitator"), "en")
        async with aiohttp.ClientSession() as http, http.ws_connect(url(room, port, "ann")), app.run_test(size=(80, 24)) as pilot:
            await until(pilot, lambda: "Day 1 00:00" in clock_text(app), "the clock")
            await pilot.press("slash", *"jump 2161")  # no Tab first
            assert app.query_one(Input).value == "/jump 2161"
            await pilot.press("enter")
            await until(pilot, lambda: room.session.now == REPORT_AT, f"the jump {app.focused} {app.query_one(Input).value!r}")
            await until(pilot, lambda: "INTAKE-1" in str(app.query_one("#room", Static).render()), "ann's duty")
            panel = str(app.query_one("#room", Static).render())
            assert "● ann" in panel and "○ bo" in panel and "● facilitator" in panel
            ann_part = panel.split("● ann", 1)[1].split("○ bo", 1)[0]
            assert "INTAKE-1" in ann_part and "+0:" in ann_part
            await pilot.press("escape", "n")  # out of the text line, the clock keys work again
            await until(pilot, lambda: room.session.now == REPORT_AT + 10, "a step")
            await pilot.press("m", *"hello", "enter")
            await until(pilot, lambda: "facilitator: hello" in feed_text(app), "the message")

    hosted(tmp_path, body)


def test_the_evaluator_rates_a_capability_from_its_seat(tmp_path: Path) -> None:
    async def body(room: Room, port: int) -> None:
        app = JoinApp(url(room, port, "evaluator"), "en")
        async with app.run_test(size=(120, 36)) as pilot:
            await until(pilot, lambda: app.view is not None, "the view")
            assert "Receiving and reporting information" in str(app.query_one("#ratings", Static).render())
            await pilot.press("r")
            await until(pilot, lambda: isinstance(app.screen, RatingForm), "the rating form")
            app.screen.query_one("#cap", Select).value = 3
            app.screen.query_one("#r-S", RadioButton).value = True
            app.screen.query_one("#note", Input).value = "report registered late"
            await pilot.press("ctrl+s")
            await until(pilot, lambda: 3 in app.ratings, "the rating kept")
            assert "report registered late" in str(app.query_one("#ratings", Static).render())
            assert [(r.chapter, r.letter) for r in read_evaluation(room.session.folder).ratings] == [(3, "S")]
            await pilot.press("m", *"ann hesitated", "enter")
            await until(pilot, lambda: "evaluator: ann hesitated" in feed_text(app), "the note echoed")

    hosted(tmp_path, body)
