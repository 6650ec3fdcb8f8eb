"""Browser seats of a hosted drill in real headless Chromium: a real ``drillsim host`` process, three seats' pages.

Two player seats and the facilitator's page open one session: the facilitator's form moves the clock
and both players show the same clock; a player's decision reaches the other; a refresh rejoins the
same seat of the same session (the feed comes back, the facilitator still sees three seats, no
second session folder); a seat switches its own language; a second tab of a seat takes it over and
the first stops; every character is drawn by the font the host delivers (the DevTools protocol says
which fonts rendered each node).
"""

from __future__ import annotations

import asyncio
import base64
import io
import json
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from devtools import CHROMIUM, DevTools
from fontTools.ttLib import TTFont
from PIL import Image
from spawn import free_port, spawned

from simulator.drill import read_evaluation
from simulator.load import load_plan, load_scenario, scenarios_dir

ROOT = Path(__file__).resolve().parents[1]
FAMILY = "Drillsim Sans SC"
"""The page's name for the font it loads."""
FONT_NAME = "Noto Sans SC"
"""The name inside the font file, which DevTools reports (this machine's own CJK fonts are "Noto Sans CJK SC")."""
REPORT_AT = 2161
"""A minute after the refund surge's incident report comes in (the duty officer registers it)."""
SEAT_LINE = re.compile(r"^  (http://127\.0\.0\.1:\d+/seat/[A-Za-z0-9_-]+/)$")

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install -y chromium)")


@contextmanager
def hosted(tmp_path: Path, seats: list[str]) -> Iterator[dict[str, str]]:
    """A real ``drillsim host`` of refund_surge on an ephemeral port with these player seats (NAME:ROLES),
    a facilitator and an evaluator; each seat's page address by seat name."""
    argv = ["host", "refund_surge", *(a for seat in seats for a in ("--seat", seat)), "--lang", "zh", "--port", "0"]
    argv += ["--folder", str(tmp_path / "sessions" / "s1"), "--db", str(tmp_path / "r.db")]
    with spawned(argv) as child:
        pages: dict[str, str] = {}
        seat = ""
        while len(pages) < len(seats) + 2:
            line = child.line()
            if not line.startswith(" "):
                seat = line.split(" (")[0]
            elif match := SEAT_LINE.match(line):
                pages[seat] = match.group(1)
        yield pages


@pytest.fixture
def host(tmp_path: Path) -> Iterator[dict[str, str]]:
    with hosted(tmp_path, ["张三:duty", "Li:pr,legal"]) as pages:
        yield pages


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[DevTools]:
    assert CHROMIUM is not None
    chromium = DevTools(CHROMIUM, tmp_path / "profile")
    try:
        yield chromium
    finally:
        chromium.close()


def text_of(browser: DevTools, tab: str, selector: str) -> str:
    return str(browser.evaluate(tab, f"document.querySelector({json.dumps(selector)}).textContent"))


def feed_of(browser: DevTools, tab: str) -> list[str]:
    return list(browser.evaluate(tab, "[...document.querySelectorAll('#feed li')].map(li => li.textContent)"))


def submit(browser: DevTools, tab: str, text: str) -> None:
    """Type ``text`` into the seat's message box and send it with the form."""
    form = "document.getElementById('say')"
    browser.evaluate(tab, f"document.getElementById('text').value = {json.dumps(text)}, {form}.requestSubmit()")


def wait_feed(browser: DevTools, tab: str, ending: str) -> None:
    entries = "[...document.querySelectorAll('#feed li')]"
    browser.wait_until(tab, f"{entries}.some(li => li.textContent.endsWith({json.dumps(ending)}))")


def wait_seats(browser: DevTools, tab: str, names: list[str]) -> None:
    browser.wait_until(tab, f"document.getElementById('seats')?.textContent === {json.dumps(', '.join(names))}")


def register(browser: DevTools, tab: str) -> None:
    """Register the incoming report through the page's form: every element ticked, a title written."""
    browser.evaluate(tab, "document.querySelector('[data-action=register_report]').click()")
    browser.wait_until(tab, "document.getElementById('form').open")
    ticks = "document.querySelectorAll('#fields input[type=checkbox]').forEach(b => { b.checked = true; })"
    browser.evaluate(tab, f"{ticks}, document.getElementById('doc-title').value = '客户投诉登记'")
    browser.evaluate(tab, "document.getElementById('formbody').requestSubmit()")


def fonts_drawing(browser: DevTools, tab: str, selector: str) -> list[dict[str, Any]]:
    """The fonts that drew the text of every node ``selector`` finds (DevTools' CSS.getPlatformFontsForNode)."""
    browser.call("DOM.enable", session=tab)
    browser.call("CSS.enable", session=tab)
    root = browser.call("DOM.getDocument", {"depth": -1}, tab)["root"]["nodeId"]
    nodes = browser.call("DOM.querySelectorAll", {"nodeId": root, "selector": selector}, tab)["nodeIds"]
    assert nodes, selector
    return [f for node in nodes for f in browser.call("CSS.getPlatformFontsForNode", {"nodeId": node}, tab)["fonts"]]


def test_two_seats_share_the_clock_a_refresh_rejoins_and_the_font_is_the_hosts(
    host: dict[str, str], browser: DevTools, tmp_path: Path
) -> None:
    zhang, li, fac = (browser.open_page(host[name]) for name in ("张三", "Li", "facilitator"))
    for tab, name in ((zhang, "张三"), (li, "Li"), (fac, "facilitator")):
        browser.wait_until(tab, f"document.getElementById('who')?.textContent.startsWith({json.dumps(name)})")
    wait_seats(browser, fac, ["张三", "Li", "facilitator"])

    # the facilitator moves the clock with the page's own form; both players show the same clock
    submit(browser, fac, f"/jump {REPORT_AT}")
    for tab in (zhang, li):
        browser.wait_until(tab, f"document.getElementById('clock')?.dataset.t === '{REPORT_AT}'")
    assert text_of(browser, zhang, "#clock") == text_of(browser, li, "#clock") == "第2天 12:01"

    # 张三 registers the report with the page's button and its form; Li sees it
    register(browser, zhang)
    took = "张三 作出决策:接报登记(总值班室值班员)#0"
    wait_feed(browser, li, took)

    # the facilitator's page lists the injects to come; its button fires one now, and both players get it
    fire = """document.querySelector('#msel [data-cue^="fire:"]')"""
    browser.wait_until(fac, f"{fire} !== null")
    text = browser.evaluate(fac, f"{fire}.closest('tr').querySelector('.text').title")
    assert any("\u4e00" <= c <= "\u9fff" for c in text)
    assert browser.evaluate(zhang, "document.getElementById('mselbox').hidden") is True
    browser.evaluate(fac, f"{fire}.click()")
    for tab in (zhang, li):
        wait_feed(browser, tab, text)

    # a refresh rejoins the same seat of the same session (a minute on, so the decision is in the event log)
    submit(browser, fac, "/step 1")
    browser.wait_until(zhang, f"document.getElementById('clock')?.dataset.t === '{REPORT_AT + 1}'")
    before = feed_of(browser, zhang)
    assert any(e.endswith(took) for e in before)
    browser.events.clear()
    browser.call("Page.reload", {}, zhang)
    browser.wait_for("Page.loadEventFired")
    browser.wait_until(zhang, f"document.getElementById('clock')?.dataset.t === '{REPORT_AT + 1}'")
    wait_feed(browser, zhang, took)
    assert text_of(browser, zhang, "#who").startswith("张三")
    assert feed_of(browser, zhang) == before
    wait_seats(browser, fac, ["张三", "Li", "facilitator"])
    assert [p.name for p in (tmp_path / "sessions").iterdir()] == ["s1"]
    journal = (tmp_path / "sessions" / "s1" / "journal.jsonl").read_text(encoding="utf-8").splitlines()
    assert sum('"register_report"' in line for line in journal) == 1

    # every character on the page is drawn by the delivered font, none by a system font
    loaded = browser.evaluate(zhang, "document.fonts.ready.then(() => [...document.fonts].map(f => f.family + ':' + f.status))")
    assert [f.replace('"', "") for f in loaded] == [f"{FAMILY}:loaded"]
    shown = text_of(browser, zhang, "body")
    assert len({c for c in shown if "\u4e00" <= c <= "\u9fff"}) > 40
    assert browser.evaluate(zhang, f"document.fonts.check('16px \"{FAMILY}\"', {json.dumps(shown)})") is True
    drawn = fonts_drawing(browser, zhang, "#title, #who, #bar span, #feed span, #choices button, #duties td, #briefing, h2")
    assert {(f["familyName"], f["isCustomFont"]) for f in drawn} == {(FONT_NAME, True)}  # a web font: ours, the only one
    assert sum(f["glyphCount"] for f in drawn) > 300

    shot = base64.b64decode(browser.call("Page.captureScreenshot", {"format": "png"}, zhang)["data"])
    (tmp_path / "seat.png").write_bytes(shot)
    assert len(Image.open(io.BytesIO(shot)).convert("RGB").getcolors(maxcolors=1 << 20) or []) > 50

    # each seat chooses its language: the whole page and the feed switch, and stay switched after a reload
    browser.evaluate(zhang, "document.getElementById('lang').click()")
    assert text_of(browser, zhang, "#clock") == "Day 2 12:02"
    assert any(e.endswith("张三 took register an incoming report (duty officer) #0") for e in feed_of(browser, zhang))
    assert text_of(browser, li, "#clock") == "第2天 12:02"
    browser.events.clear()
    browser.call("Page.reload", {}, zhang)
    browser.wait_for("Page.loadEventFired")
    wait_feed(browser, zhang, "张三 took register an incoming report (duty officer) #0")

    # a second tab of a seat takes it over; the first says so and does not fight back
    again = browser.open_page(host["Li"])
    browser.wait_until(again, "document.getElementById('who')?.textContent.startsWith('Li')")
    browser.wait_until(li, "document.getElementById('status').classList.contains('alarm')")
    assert "另一个窗口" in text_of(browser, li, "#status")
    time.sleep(1.5)
    assert browser.evaluate(again, "document.getElementById('status').classList.contains('alarm')") is False
    wait_seats(browser, fac, ["张三", "Li", "facilitator"])


def test_the_served_font_covers_the_plan_the_scenario_and_the_page(host: dict[str, str]) -> None:
    async def fetch() -> bytes:
        async with aiohttp.ClientSession() as http, http.get(host["张三"] + "font.woff") as got:
            assert got.status == 200 and got.content_type == "font/woff"
            return await got.read()

    with TTFont(io.BytesIO(asyncio.run(fetch()))) as font:
        cmap = font.getBestCmap()
    plan = load_plan()
    scenario = load_scenario(scenarios_dir() / "refund_surge.yaml", plan)
    page = (ROOT / "simulator" / "host" / "web" / "seat.js").read_text(encoding="utf-8")
    text = plan.model_dump_json() + scenario.model_dump_json() + page + "张三"
    needed = {c for c in text if not c.isspace() and ord(c) >= 0x20}
    assert len([c for c in needed if ord(c) > 0x2E80]) > 300
    assert sorted(c for c in needed if ord(c) not in cmap) == []


def test_a_refresh_of_drillsim_serve_keeps_the_trainees_drill(browser: DevTools, tmp_path: Path) -> None:
    argv = ["serve", "refund_surge", "--trainee", "王伟:duty", "--lang", "zh", "--port", str(free_port())]
    argv += ["--folder", str(tmp_path / "sessions" / "s1"), "--db", str(tmp_path / "r.db")]
    with spawned(argv) as child:
        tab = browser.open_page(child.until(r"在浏览器中打开: (http://\S+)$").group(1))
        browser.wait_until(tab, "document.getElementById('who')?.textContent.startsWith('王伟')")
        assert browser.evaluate(tab, "document.getElementById('clockkeys').hidden") is False  # the trainee runs the clock
        assert browser.evaluate(tab, "document.getElementById('mselbox').hidden") is True  # and does not see the injects to come
        submit(browser, tab, f"/jump {REPORT_AT}")
        browser.wait_until(tab, f"document.getElementById('clock')?.dataset.t === '{REPORT_AT}'")
        register(browser, tab)
        took = "王伟 作出决策:接报登记(总值班室值班员)#0"
        wait_feed(browser, tab, took)
        browser.evaluate(tab, "document.getElementById('step').click()")
        browser.wait_until(tab, f"document.getElementById('clock')?.dataset.t === '{REPORT_AT + 10}'")

        browser.events.clear()
        browser.call("Page.reload", {}, tab)
        browser.wait_for("Page.loadEventFired")
        browser.wait_until(tab, f"document.getElementById('clock')?.dataset.t === '{REPORT_AT + 10}'")
        wait_feed(browser, tab, took)
        assert [p.name for p in (tmp_path / "sessions").iterdir()] == ["s1"]
        assert child.proc.poll() is None


def decisions(folder: Path) -> list[dict[str, Any]]:
    """The decisions a session's journal holds, in order."""
    lines = (folder / "journal.jsonl").read_text(encoding="utf-8").splitlines()
    return [rec for rec in map(json.loads, lines) if rec.get("action")]


def test_a_browser_seat_decides_through_the_same_forms_as_a_terminal_seat(browser: DevTools, tmp_path: Path) -> None:
    """A level, a staff move and a document are asked for in a form; a document carries what its author ticked;
    the facilitator's page writes an inject of its own, which reaches the role it is for; the evaluator's
    page rates a capability, kept with the session.

    The page's buttons once sent a document with every element the action may carry, so a browser
    player's notices were never incomplete, and a level or a staff move could not be given at all.
    """
    with hosted(tmp_path, ["王五:command,logistics"]) as pages:
        tab = browser.open_page(pages["王五"])
        browser.wait_until(tab, "document.getElementById('who')?.textContent.startsWith('王五')")
        browser.wait_until(tab, "document.getElementById('clock')?.dataset.t === '0'")
        browser.evaluate(tab, "window.asked = []; window.confirm = (q) => { window.asked.push(q); return true; }")
        submit_form = "document.getElementById('formbody').requestSubmit()"

        # a level: chosen among the plan's levels; the question cites the rule, as the terminal's does
        browser.evaluate(tab, "document.querySelector('[data-action=declare_level]').click()")
        browser.wait_until(tab, "document.getElementById('form').open")
        levels = browser.evaluate(tab, "[...document.querySelectorAll('#fields input[name=level]')].map(r => r.value)")
        assert levels == [lv.id for lv in load_plan().levels]
        browser.evaluate(tab, f"document.querySelector('#fields input[value={levels[-1]}]').checked = true, {submit_form}")
        wait_feed(browser, tab, "#0")
        assert "ADJUST-3" in browser.evaluate(tab, "window.asked[0]")

        # a staff move: refused by the form until it names two teams and a number
        browser.evaluate(tab, "document.querySelector('[data-action=move_staff]').click()")
        browser.wait_until(tab, "document.getElementById('form').open")
        browser.evaluate(tab, f"document.getElementById('staff-src').value = 'hotline', {submit_form}")
        assert browser.evaluate(tab, "document.getElementById('form').open") is True
        assert text_of(browser, tab, "#formerror") == "请选择两个不同的小组并填写正整数人数"
        fill = "document.getElementById('staff-dst').value = 'comms', document.getElementById('staff-n').value = '2'"
        browser.evaluate(tab, f"{fill}, {submit_form}")
        wait_feed(browser, tab, "#1")

        # a document: one element ticked of four, a title; the form names what is missing before sending
        browser.evaluate(tab, "document.querySelector('[data-action=regulator_report]').click()")
        browser.wait_until(tab, "document.getElementById('form').open")
        tick = "document.querySelector('#fields input[data-element=nature]').checked = true"
        browser.evaluate(tab, f"{tick}, document.getElementById('doc-title').value = '初步报告', {submit_form}")
        wait_feed(browser, tab, "#2")
        asked = browser.evaluate(tab, "window.asked[window.asked.length - 1]")
        assert asked.startswith("未包含预案要求的要素:") and asked.endswith("仍要发送吗?")

        # the facilitator writes an inject of its own for the command role: 王五 gets it as his
        fac = browser.open_page(pages["facilitator"])
        browser.wait_until(fac, "document.getElementById('who')?.textContent.startsWith('facilitator')")
        browser.wait_until(fac, "Object.keys(state.names.inject_kinds).length > 0")
        browser.evaluate(fac, "document.getElementById('write').click()")
        browser.wait_until(fac, "document.getElementById('form').open")
        browser.evaluate(fac, f"document.getElementById('write-kind').value = 'media', {submit_form}")
        assert text_of(browser, fac, "#formerror") == "请选择类型并填写中文或英文内容"  # no text yet
        write = "document.getElementById('write-zh').value = '导调:热线系统宕机'"
        to = "document.querySelector('#fields input[data-role=command]').checked = true"
        browser.evaluate(fac, f"{write}, {to}, {submit_form}")
        wait_feed(browser, tab, "导调:热线系统宕机")
        mine = "[...document.querySelectorAll('#feed li.mine')].map(li => li.textContent)"
        assert any(e.endswith("★ 【媒体报道】导调:热线系统宕机") for e in browser.evaluate(tab, mine))

        # the evaluator rates a capability from its page: kept with the session, echoed to its feed
        ev = browser.open_page(pages["evaluator"])
        browser.wait_until(ev, "document.getElementById('who')?.textContent.startsWith('evaluator')")
        assert browser.evaluate(tab, "document.getElementById('rate').hidden") is True  # a player does not rate
        browser.evaluate(ev, "document.getElementById('rate').click()")
        browser.wait_until(ev, "document.getElementById('form').open")
        chapter = browser.evaluate(ev, "document.querySelector('#rate-chapter option[value]:not([value=\"\"])').value")
        browser.evaluate(ev, f"document.getElementById('rate-chapter').value = '{chapter}', {submit_form}")
        assert text_of(browser, ev, "#formerror") == "请选择一项能力和一个评级"  # no letter yet
        letter = "document.querySelector('#fields input[name=letter][value=S]').checked = true"
        browser.evaluate(ev, f"{letter}, document.getElementById('rate-note').value = '分工清楚,报告略迟', {submit_form}")
        wait_feed(browser, ev, "S · 分工清楚,报告略迟")

    taken = {d["action"]: d for d in decisions(tmp_path / "sessions" / "s1")}
    rated = read_evaluation(tmp_path / "sessions" / "s1")
    assert [(r.chapter, r.letter, r.note) for r in rated.ratings] == [(int(chapter), "S", "分工清楚,报告略迟")]
    assert taken["declare_level"]["params"] == {"level": levels[-1]}
    assert taken["move_staff"]["params"] == {"src": "hotline", "dst": "comms", "n": "2"}
    assert taken["regulator_report"]["contents"] == ["nature"]
    assert taken["regulator_report"]["text"] == {"title": "初步报告"}
    journal = (tmp_path / "sessions" / "s1" / "journal.jsonl").read_text(encoding="utf-8")
    assert "导调:热线系统宕机" in journal  # the written inject is journaled with the session
