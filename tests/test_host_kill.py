"""Kill tests with real processes: a ``drillsim host`` SIGKILLed mid-drill and resumed, a ``drillsim join`` killed and rejoined.

Nothing a seat saw acknowledged may be lost, every seat rejoins with its token and gets the whole
drill, and the event log of the finished drill equals, byte for byte, the batch runner's replay of
its journal (as ``test_exact_resume`` replays).
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from test_host import REPORT, REPORT_AT, ROOT, closed, decide, next_of

from simulator.batch import run
from simulator.drill import read_evaluation, read_journal
from simulator.load import load_plan, load_scenario

SEATS = ("ann:duty", "bo:pr")
NAMES = ("ann", "bo", "facilitator", "evaluator")


class HostProcess:
    """``drillsim host`` in a process of its own; its seats' links read from what it prints."""

    def __init__(self, argv: list[str]) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "simulator.cli", "host", *argv],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        self.port = 0
        self.links: dict[str, str] = {}
        assert self.proc.stdout is not None
        seat = ""
        while len(self.links) < len(NAMES):
            line = self.proc.stdout.readline()
            assert line, f"the host stopped: {self.proc.stderr.read() if self.proc.stderr else ''}"
            if m := re.search(r"(?: on port |,端口 )(\d+);", line):  # the session's language, zh by default
                self.port = int(m.group(1))
            elif line.startswith("  drillsim join "):
                self.links[seat] = line.split()[-1]
            else:
                seat = line.split(" (", 1)[0]

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        assert self.proc.wait(30) == -signal.SIGKILL

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            self.proc.wait(30)


def first_host(tmp_path: Path) -> HostProcess:
    seats = [a for s in SEATS for a in ("--seat", s)]
    return HostProcess(["refund_surge", *seats, "--folder", str(tmp_path / "s"), "--db", str(tmp_path / "r.db"), "--port", "0"])


def resumed_host(tmp_path: Path, port: int) -> HostProcess:
    return HostProcess(["--resume", str(tmp_path / "s"), "--db", str(tmp_path / "r.db"), "--port", str(port)])


Joined = dict[str, tuple[aiohttp.ClientWebSocketResponse, dict[str, Any]]]


async def join_all(http: aiohttp.ClientSession, host: HostProcess) -> Joined:
    """Every seat connected: its socket and the whole view it was sent first."""
    out = {}
    for name in NAMES:
        ws = await http.ws_connect(host.links[name])
        assert (await next_of(ws, "welcome"))["seat"] == name
        out[name] = (ws, (await next_of(ws, "view"))["view"])
    return out


def test_a_killed_host_resumes_and_loses_nothing_acknowledged(tmp_path: Path) -> None:
    folder = tmp_path / "s"
    host = first_host(tmp_path)

    async def before_the_kill() -> list[tuple[int, str]]:
        async with aiohttp.ClientSession() as http:
            seats = await join_all(http, host)
            fac, ann, bo, ev = (seats[name][0] for name in ("facilitator", "ann", "bo", "evaluator"))
            await fac.send_json({"type": "control", "op": "jump", "value": REPORT_AT})
            while (await next_of(ann, "view"))["view"]["t"] < REPORT_AT:
                pass
            await ann.send_json(decide("a1", "register_report", "duty", REPORT))
            await bo.send_json(decide("b1", "warning_notice", "pr", ["risk_nature", "scope_of_impact"]))
            heard = []
            for ws in (ann, bo, fac, ev):  # every seat hears both
                acks = [await next_of(ws, "ack"), await next_of(ws, "ack")]
                heard.append(sorted((a["seq"], a["action"]) for a in acks))
            assert all(h == heard[0] for h in heard)
            acked = heard[0]
            await fac.send_json({"type": "control", "op": "step", "value": 45.5})
            await ann.send_json(decide("a2", "notify_gm", "duty"))
            acked.append(((await next_of(ann, "ack"))["seq"], "notify_gm"))
            await ev.send_json({"type": "rate", "chapter": 3, "letter": "S", "note": "登记及时"})
            await next_of(ev, "rated")
            host.kill()  # mid-drill, the seats still connected
            assert await closed(ann) is not None
            return acked

    try:
        acked = asyncio.run(asyncio.wait_for(before_the_kill(), 90))
        assert [action for _, action in acked] == ["register_report", "warning_notice", "notify_gm"]
        assert [d.action for d in read_journal(folder).decisions] == [action for _, action in acked]  # all journaled
        again = resumed_host(tmp_path, host.port)
    finally:
        host.stop()
    assert again.port == host.port and again.links == host.links  # every seat's link still opens it

    last_seq: list[int] = []

    async def after_the_resume() -> None:
        async with aiohttp.ClientSession() as http:
            seats = await join_all(http, again)
            for _name, (_ws, view) in seats.items():
                assert view["since"] == 0 and view["cursor"] == len(view["feed"])
                made = [r for r in view["feed"] if r["type"] == "DecisionMade" and r["actor"] != "auto"]
                # the last one, taken at the clock's last instant, is applied when the clock next moves (as it was live)
                assert sorted((r["seq"], r["action"]) for r in made) == acked[:2]
                assert view["t"] == REPORT_AT + 45.5  # where the last decision was journaled
            ev = seats["evaluator"][0]
            assert ((await next_of(ev, "rated"))["chapter"], read_evaluation(folder).ratings[0].letter) == (3, "S")
            fac, bo = seats["facilitator"][0], seats["bo"][0]
            await fac.send_json({"type": "control", "op": "step", "value": 30})
            await bo.send_json(decide("b2", "publish_bulletin", "pr", ["status", "measures"]))
            last_seq.append((await next_of(bo, "ack"))["seq"])
            await fac.send_json({"type": "control", "op": "end"})
            await next_of(fac, "ended")

    try:
        asyncio.run(asyncio.wait_for(after_the_resume(), 120))
        assert again.proc.wait(60) == 0
    finally:
        again.stop()

    journal = read_journal(folder)
    assert [d.action for d in journal.decisions] == [*(action for _, action in acked), "publish_bulletin"]
    events = [json.loads(line) for line in (folder / "events.jsonl").read_text(encoding="utf-8").splitlines()]
    made = [(e["seq"], e["action"]) for e in events if e["type"] == "DecisionMade" and e["actor"] != "auto"]
    assert made == [*acked, (last_seq[0], "publish_bulletin")]  # every acknowledged decision is in the drill's log
    scenario_file, plan_file = journal.header.files(folder)  # the session's own copies
    plan = load_plan(plan_file)
    scenario = load_scenario(scenario_file, plan)
    auto = [r for r in plan.roles if r not in {"duty", "pr"}]
    replayed = run(plan, scenario, seed=journal.header.seed, decisions=journal.decisions, auto_roles=auto)
    replayed.write(tmp_path / "replayed")
    assert (tmp_path / "replayed" / "events.jsonl").read_bytes() == (folder / "events.jsonl").read_bytes()


@pytest.fixture
def tmux(tmp_path: Path) -> Iterator[str]:
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed")
    name = f"kill{os.getpid()}"
    yield name
    subprocess.run(["tmux", "kill-session", "-t", name], capture_output=True)


def screen(session: str) -> str:
    return subprocess.run(["tmux", "capture-pane", "-p", "-t", session], capture_output=True, text=True, check=True).stdout


def wait_screen(session: str, text: str, timeout: float = 30.0) -> str:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        shown = screen(session)
        if text in shown:
            return shown
        time.sleep(0.2)
    raise AssertionError(f"{text!r} not on the screen:\n{screen(session)}")


def test_a_killed_seat_rejoins_and_catches_up(tmp_path: Path, tmux: str) -> None:
    host = first_host(tmp_path)
    join = f"cd {ROOT} && exec {sys.executable} -m simulator.cli join '{host.links['ann']}' --lang en"
    try:
        subprocess.run(["tmux", "new", "-d", "-s", tmux, "-x", "120", "-y", "36", join], check=True)
        wait_screen(tmux, "Day 1 00:00")
        pid = int(subprocess.run(["tmux", "list-panes", "-t", tmux, "-F", "#{pane_pid}"], capture_output=True, text=True).stdout)

        async def while_it_is_gone(killed: int) -> None:
            async with aiohttp.ClientSession() as http:
                fac = await http.ws_connect(host.links["facilitator"])
                bo = await http.ws_connect(host.links["bo"])
                os.kill(killed, signal.SIGKILL)
                while (await next_of(fac, "seats"))["connected"] != ["bo", "facilitator"]:
                    pass  # the host saw ann go
                await fac.send_json({"type": "control", "op": "jump", "value": REPORT_AT})
                await next_of(bo, "view")
                await bo.send_json(decide("b1", "warning_notice", "pr", ["risk_nature"]))
                await next_of(bo, "ack")
                await fac.send_json({"type": "control", "op": "step", "value": 1})  # the decision applies as the clock moves
                while (await next_of(bo, "view"))["view"]["t"] < REPORT_AT + 1:
                    pass

        asyncio.run(asyncio.wait_for(while_it_is_gone(pid), 60))
        subprocess.run(["tmux", "kill-session", "-t", tmux], capture_output=True)
        subprocess.run(["tmux", "new", "-d", "-s", tmux, "-x", "120", "-y", "36", join], check=True)
        shown = wait_screen(tmux, "bo took")  # the decision taken while it was gone, from the whole view
        assert "Day 2 12:02" in shown and "#0" in shown
    finally:
        host.stop()


def test_a_host_stopped_with_sigterm_journals_the_clock_and_closes_its_seats(tmp_path: Path) -> None:
    host = first_host(tmp_path)
    moved = 7.0  # under a minute's note: only the stop journals where the clock stands

    async def stop_it() -> int | None:
        async with aiohttp.ClientSession() as http:
            ws = await http.ws_connect(host.links["facilitator"])
            await next_of(ws, "view")
            await ws.send_json({"type": "control", "op": "step", "value": moved})
            while (await next_of(ws, "view"))["view"]["t"] < moved:
                pass
            host.proc.send_signal(signal.SIGTERM)
            return await closed(ws)

    try:
        code = asyncio.run(asyncio.wait_for(stop_it(), 60))
        assert code == aiohttp.WSCloseCode.GOING_AWAY  # the seat was told, not left hanging
        assert host.proc.wait(20) == 0
        again = resumed_host(tmp_path, 0)  # the lock was released
    finally:
        host.stop()

    async def where() -> float:
        async with aiohttp.ClientSession() as http:
            ws = await http.ws_connect(again.links["facilitator"])
            return float((await next_of(ws, "view"))["view"]["t"])

    try:
        assert asyncio.run(asyncio.wait_for(where(), 60)) == moved
    finally:
        again.stop()


def pane_state(session: str) -> list[str]:
    """``[dead, status]`` of the session's pane; ``["1", "gone"]`` once the session itself is gone."""
    out = subprocess.run(
        ["tmux", "list-panes", "-t", session, "-F", "#{pane_dead} #{pane_dead_status}"], capture_output=True, text=True
    )
    return out.stdout.split() or ["1", "gone"]


def test_play_stopped_with_sigterm_journals_the_clock_and_exits_cleanly(tmp_path: Path, tmux: str) -> None:
    folder = tmp_path / "s"
    play = (
        f"cd {ROOT} && exec {sys.executable} -m simulator.cli play refund_surge --trainee ann:duty --lang en --speed 1 "
        f"--folder {folder} --db {tmp_path / 'r.db'}"
    )
    subprocess.run(["tmux", "new", "-d", "-s", tmux, "-x", "120", "-y", "36", play], check=True)
    subprocess.run(["tmux", "set", "-t", tmux, "remain-on-exit", "on"], check=True)
    wait_screen(tmux, "Briefing")
    subprocess.run(["tmux", "send-keys", "-t", tmux, "Enter"], check=True)
    wait_screen(tmux, "Day 1 00:00")
    subprocess.run(["tmux", "send-keys", "-t", tmux, "n"], check=True)
    wait_screen(tmux, "Day 1 00:10")
    subprocess.run(["tmux", "send-keys", "-t", tmux, "n"], check=True)  # well inside a clock note's 5 s
    wait_screen(tmux, "Day 1 00:20")
    pid = int(subprocess.run(["tmux", "list-panes", "-t", tmux, "-F", "#{pane_pid}"], capture_output=True, text=True).stdout)
    os.kill(pid, signal.SIGTERM)
    end = time.monotonic() + 20
    while (state := pane_state(tmux))[0] != "1":
        assert time.monotonic() < end, "play did not stop on SIGTERM"
        time.sleep(0.2)
    assert state == ["1", "0"], state  # exited with status 0, not killed by the signal
    shown = subprocess.run(["tmux", "capture-pane", "-p", "-J", "-S", "-100", "-t", tmux], capture_output=True, text=True).stdout
    assert f"drillsim play --resume {folder}" in shown.replace("\n", "")  # it said how to resume
    journal = read_journal(folder)
    assert journal.clock == 20.0 and not journal.ended
