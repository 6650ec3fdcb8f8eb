"""``drillsim host``: a real host on an ephemeral port, seats as aiohttp WebSocket clients."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import signal
import stat
import subprocess
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import pytest

import simulator.host.server as server_mod
from simulator.cli.main import build_parser
from simulator.drill import EVALUATION, read_evaluation, read_journal
from simulator.host import MAX_MESSAGE, SEATS_FILE, Room
from simulator.host.cli import open_room, open_site

ROOT = Path(__file__).resolve().parents[1]
REPORT = ["time", "place", "parties", "description", "contact"]
REPORT_AT = 2161.0
"""A minute after the refund surge's incident report comes in (INTAKE-1 is due at once)."""
WAIT_S = 10.0


@dataclass
class Host:
    room: Room
    port: int
    http: aiohttp.ClientSession

    def url(self, name: str) -> str:
        token = next(s.token for s in self.room.seats if s.name == name)
        return f"ws://127.0.0.1:{self.port}/ws?token={token}"

    async def join(self, name: str, **kw: Any) -> aiohttp.ClientWebSocketResponse:
        ws = await self.http.ws_connect(self.url(name), **kw)
        welcome = await next_of(ws, "welcome")
        assert welcome["seat"] == name
        return ws


def host_args(tmp_path: Path, *extra: str) -> list[str]:
    seats = ["--seat", "ann:duty", "--seat", "bo:pr", "--facilitator", "fay"]
    return ["host", "refund_surge", *seats, "--folder", str(tmp_path / "s"), "--db", str(tmp_path / "r.db"), *extra]


@contextlib.asynccontextmanager
async def hosted(tmp_path: Path) -> AsyncIterator[Host]:
    room = open_room(build_parser().parse_args(host_args(tmp_path)))
    runner, port = await open_site(room, "127.0.0.1", 0)
    clock = asyncio.create_task(room.run_clock())
    try:
        async with aiohttp.ClientSession() as http:
            yield Host(room, port, http)
    finally:
        clock.cancel()
        await runner.cleanup()
        if room.ended is None:
            room.session.suspend()


def run(tmp_path: Path, body: Callable[[Host], Awaitable[None]]) -> None:
    async def main() -> None:
        async with hosted(tmp_path) as host:
            await asyncio.wait_for(body(host), 60)

    asyncio.run(main())


async def next_of(ws: aiohttp.ClientWebSocketResponse, kind: str) -> dict[str, Any]:
    """The next message of type ``kind`` (others are skipped)."""
    while True:
        msg = await asyncio.wait_for(ws.receive(), WAIT_S)
        assert msg.type is aiohttp.WSMsgType.TEXT, (msg.type, msg.data, kind)
        data: dict[str, Any] = json.loads(msg.data)
        if data["type"] == kind:
            return data


async def closed(ws: aiohttp.ClientWebSocketResponse) -> int | None:
    """Read until the socket closes; the close code the host sent (or the client's, if none came)."""
    while True:
        msg = await asyncio.wait_for(ws.receive(), WAIT_S)
        if msg.type is aiohttp.WSMsgType.CLOSE:
            return int(msg.data)
        if msg.type in (aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR):
            return ws.close_code


async def step_to(fac: aiohttp.ClientWebSocketResponse, t: float) -> None:
    await fac.send_json({"type": "control", "op": "jump", "value": t})
    while (await next_of(fac, "view"))["view"]["t"] < t:
        pass


def decide(ref: str, action: str, role: str, contents: list[str] | None = None) -> dict[str, Any]:
    return {"type": "decide", "ref": ref, "action": action, "role": role, "contents": contents or []}


def test_three_seats_step_decide_refuse_and_end(tmp_path: Path) -> None:
    async def body(host: Host) -> None:
        fac, ann, bo = await host.join("fay"), await host.join("ann"), await host.join("bo")
        assert (await next_of(bo, "seats"))["connected"] == ["ann", "bo", "fay"]
        await fac.send_json({"type": "control", "op": "step", "value": REPORT_AT})
        while (view := await next_of(fac, "view"))["view"]["t"] == 0:
            pass
        assert view["view"]["t"] == REPORT_AT

        await ann.send_json(decide("r1", "register_report", "duty", REPORT))
        acks = [await next_of(ws, "ack") for ws in (ann, bo, fac)]
        assert [a["ref"] for a in acks] == ["r1", None, None]
        assert {(a["seq"], a["t"], a["seat"], a["action"]) for a in acks} == {(0, REPORT_AT, "ann", "register_report")}

        await ann.send_json(decide("r2", "warning_notice", "pr"))  # bo's role
        error = await next_of(ann, "error")
        assert error["ref"] == "r2" and "pr" in error["message"] and "ann" in error["message"]
        await ann.send_json(decide("r3", "warning_notice", "duty"))  # the session's own check: not duty's action
        assert (await next_of(ann, "error"))["ref"] == "r3"
        await bo.send_json({"type": "control", "op": "start"})
        assert (await next_of(bo, "error"))["ref"] is None
        await ann.send_json({"type": "observe", "text": "mine"})
        await next_of(ann, "error")

        await bo.send_json(decide("b1", "warning_notice", "pr"))  # the host went on
        assert (await next_of(bo, "ack"))["seq"] == 1
        await fac.send_json({"type": "say", "text": "十分钟后复盘"})
        assert (await next_of(ann, "message"))["text"] == "十分钟后复盘"
        evaluator = await host.join("evaluator")
        await evaluator.send_json({"type": "observe", "text": "ann registered at once"})
        assert (await next_of(evaluator, "message"))["text"] == "ann registered at once"

        await fac.send_json({"type": "control", "op": "end"})
        ended = [await next_of(ws, "ended") for ws in (fac, ann, bo)]
        assert ended[0] == ended[1] == ended[2]
        scores = ended[0]["scores"]
        assert set(scores) == {"ann", "bo"}
        assert scores["ann"]["met"] >= 1  # INTAKE-1, registered a minute after the report
        assert all(set(s) == {"met", "late", "missed"} for s in scores.values())
        assert [await closed(ws) for ws in (fac, ann, bo)] == [aiohttp.WSCloseCode.GOING_AWAY] * 3

        folder = host.room.session.folder
        taken = [(d.t, d.action, d.role, d.actor) for d in read_journal(folder).decisions]
        assert taken == [(REPORT_AT, "register_report", "duty", "ann"), (REPORT_AT, "warning_notice", "pr", "bo")]
        notes = [json.loads(line) for line in (folder / EVALUATION).read_text(encoding="utf-8").splitlines()]
        assert [(n["seat"], n["text"]) for n in notes] == [("evaluator", "ann registered at once")]
        assert stat.S_IMODE(os.stat(folder / SEATS_FILE).st_mode) == 0o600

    run(tmp_path, body)


def test_the_evaluator_rates_capabilities_kept_on_disk_and_given_back(tmp_path: Path) -> None:
    async def body(host: Host) -> None:
        ev, ann = await host.join("evaluator"), await host.join("ann")
        roster = (await next_of(ann, "seats"))["roster"]
        seats = {(s["name"], s["kind"], tuple(s["roles"])) for s in roster}
        assert seats >= {("ann", "player", ("duty",)), ("fay", "facilitator", ())}
        await ev.send_json({"type": "rate", "chapter": 3, "letter": "S", "note": "登记及时,通报稍慢"})
        assert (await next_of(ev, "rated"))["letter"] == "S"
        await ev.send_json({"type": "rate", "chapter": 3, "letter": "P", "note": "on second look"})
        await next_of(ev, "rated")
        await ev.send_json({"type": "rate", "chapter": 9, "letter": "P"})  # the plan has no duty in chapter 9
        assert "9" in (await next_of(ev, "error"))["message"]
        await ev.send_json({"type": "rate", "chapter": 3, "letter": "X"})
        await next_of(ev, "error")
        await ann.send_json({"type": "rate", "chapter": 3, "letter": "U"})  # only the evaluator rates
        await next_of(ann, "error")
        await ev.send_json({"type": "observe", "text": "ann asked the PR seat first"})
        await next_of(ev, "message")

        kept = read_evaluation(host.room.session.folder)
        assert [(r.chapter, r.letter, r.note, r.seat) for r in kept.ratings] == [(3, "P", "on second look", "evaluator")]
        assert [o.text for o in kept.observations] == ["ann asked the PR seat first"]

        again = await host.join("evaluator")  # a reconnect: what it kept comes back
        assert (await next_of(again, "message"))["text"] == "ann asked the PR seat first"
        rated = await next_of(again, "rated")
        assert (rated["chapter"], rated["letter"]) == (3, "P")

    run(tmp_path, body)


def test_the_running_clock_advances_at_its_speed(tmp_path: Path) -> None:
    async def body(host: Host) -> None:
        fac = await host.join("fay")
        await fac.send_json({"type": "control", "op": "speed", "value": 600})
        await fac.send_json({"type": "control", "op": "start"})
        loop = asyncio.get_running_loop()
        start = loop.time()
        while (view := await next_of(fac, "view"))["view"]["t"] < 600:
            pass
        assert view["running"] and view["speed"] == 600
        assert loop.time() - start >= 0.9  # 600 sim-minutes at 600 per second: not before a second
        await fac.send_json({"type": "control", "op": "pause"})
        while (await next_of(fac, "view"))["running"]:
            pass
        paused_at = host.room.session.now
        await asyncio.sleep(0.3)
        assert host.room.session.now == paused_at
        await fac.send_json({"type": "control", "op": "jump", "value": 10})
        assert "10" in (await next_of(fac, "error"))["message"]

    run(tmp_path, body)


BAD = [
    "not json at all",
    "[1, 2]",
    json.dumps({"type": "teleport"}),
    json.dumps({"type": "decide", "ref": 7, "action": "register_report", "role": "duty"}),
    json.dumps({"type": "decide", "ref": "x", "action": "register_report", "role": "duty", "params": {"n": 3}}),
    json.dumps({"type": "say", "text": "hi", "loud": True}),
    json.dumps({"type": "control", "op": "step", "value": 0}),
    json.dumps({"type": "control", "op": "speed", "value": "fast"}),
    json.dumps({"type": "control", "op": "start", "value": 3}),
    json.dumps({"type": "say", "text": "x" * 5000}),
]


def test_bad_messages_are_errors_and_the_host_goes_on(tmp_path: Path) -> None:
    async def body(host: Host) -> None:
        fac, ann = await host.join("fay"), await host.join("ann")
        for text in BAD:
            await fac.send_str(text)
            error = await next_of(fac, "error")
            assert error["message"].startswith("消息无效"), text
        await fac.send_bytes(b"\xff\xfe")
        await next_of(fac, "error")

        with contextlib.suppress(ConnectionError):  # over MAX_MESSAGE: the host drops that socket, maybe mid-send
            await ann.send_str("x" * (10 * 1024 * 1024))
        assert await closed(ann) in (aiohttp.WSCloseCode.MESSAGE_TOO_BIG, aiohttp.WSCloseCode.ABNORMAL_CLOSURE)
        assert len(json.dumps(decide("big", "register_report", "duty", ["x" * (MAX_MESSAGE // 2)]))) < MAX_MESSAGE

        for bad_url, headers in [
            (host.url("ann").replace("token=", "token=forged"), {}),
            (f"ws://127.0.0.1:{host.port}/ws", {}),
            (host.url("ann"), {"Origin": "http://evil.example"}),
            (host.url("ann"), {"Origin": f"http://127.0.0.1:{host.port + 1}"}),
        ]:
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await host.http.ws_connect(bad_url, headers=headers)
            assert refused.value.status == 403, bad_url

        ann = await host.join("ann", headers={"Origin": f"http://127.0.0.1:{host.port}"})
        await step_to(fac, REPORT_AT)
        await ann.send_json(decide("r1", "register_report", "duty", REPORT))
        assert (await next_of(fac, "ack"))["seat"] == "ann"
        assert (await next_of(ann, "ack"))["ref"] == "r1"

    run(tmp_path, body)


def test_connections_are_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(server_mod, "MAX_CONNECTIONS", 2)

    async def body(host: Host) -> None:
        live = [await host.join("fay"), await host.join("ann")]
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await host.http.ws_connect(host.url("bo"))
        assert refused.value.status == 503
        await live[1].close()
        assert not live[0].closed
        while True:  # a place is free again once the host has seen ann go
            with contextlib.suppress(aiohttp.WSServerHandshakeError):
                await host.join("bo")
                break
            await asyncio.sleep(0.05)

    run(tmp_path, body)


def test_a_reconnect_gets_the_whole_view_and_closes_the_old_socket(tmp_path: Path) -> None:
    async def body(host: Host) -> None:
        fac, ann = await host.join("fay"), await host.join("ann")
        await step_to(fac, REPORT_AT)
        while (await next_of(ann, "view"))["view"]["t"] < REPORT_AT:
            pass
        again = await host.http.ws_connect(host.url("ann"))
        welcome = await next_of(again, "welcome")
        assert welcome["seat"] == "ann" and welcome["roles"] == ["duty"]
        assert welcome["actions"]["register_report"]["role"] == "duty"
        assert welcome["actions"]["register_report"]["contents"] == REPORT
        assert welcome["role_names"]["pr"]["en"] == "PR"
        view = (await next_of(again, "view"))["view"]
        assert view["since"] == 0 and view["t"] == REPORT_AT
        assert len(view["feed"]) == view["cursor"] == len(host.room.session.view().feed) > 0
        fired = [rec["index"] for rec in view["feed"] if rec["type"] == "InjectFired"]
        injects = host.room.session.scenario.injects
        assert fired and all(injects[i].at_h * 60 <= REPORT_AT for i in fired)
        for index in fired:
            inject = await next_of(again, "inject")
            assert inject["index"] == index and inject["text"]["zh"] == injects[index].text.zh
        assert await closed(ann) == 4000
        await again.send_json(decide("r1", "register_report", "duty", REPORT))
        assert (await next_of(again, "ack"))["ref"] == "r1"
        late = await host.join("bo")  # joins before the clock moves on: no view has the decision yet
        view = (await next_of(late, "view"))["view"]
        assert not [rec for rec in view["feed"] if rec["type"] == "DecisionMade" and rec["actor"] == "ann"]
        ack = await next_of(late, "ack")
        assert (ack["seat"], ack["action"], ack["ref"]) == ("ann", "register_report", None)
        assert (await next_of(fac, "seats"))["connected"] == ["ann", "fay"]
        await step_to(fac, REPORT_AT + 1)
        again_bo = await host.join("bo")  # once it moved, the view has it and no ack is repeated
        view = (await next_of(again_bo, "view"))["view"]
        assert [rec["seq"] for rec in view["feed"] if rec["type"] == "DecisionMade" and rec["actor"] == "ann"] == [ack["seq"]]
        await again_bo.send_json({"type": "say", "text": "x"})  # refused: a mark after which nothing else comes
        kinds = []
        while not kinds or kinds[-1] != "error":
            kinds.append(json.loads(await asyncio.wait_for(again_bo.receive_str(), WAIT_S))["type"])
        assert "ack" not in kinds

    run(tmp_path, body)


def drillsim(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "simulator.cli", *argv], capture_output=True, text=True, cwd=ROOT, timeout=60)


def links_of(proc: subprocess.Popen[str]) -> list[str]:
    """The join commands a host prints, read until the last seat's."""
    assert proc.stdout is not None
    links: list[str] = []
    while len(links) < 4:
        line = proc.stdout.readline()
        assert line, "the host stopped before printing its seats"
        if "drillsim join" in line:
            links.append(line.strip())
    return links


def test_host_command_resume_is_refused_while_live_and_keeps_the_tokens(tmp_path: Path) -> None:
    argv = [*host_args(tmp_path)[:-4], "--folder", str(tmp_path / "s"), "--db", str(tmp_path / "r.db")]
    first = subprocess.Popen([sys.executable, "-m", "simulator.cli", *argv], stdout=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        links = links_of(first)
        assert all(link.startswith("drillsim join ws://127.0.0.1:") for link in links)
        refused = drillsim("host", "--resume", str(tmp_path / "s"), "--db", str(tmp_path / "r.db"))
        assert refused.returncode == 2
        assert "Traceback" not in refused.stderr and str(tmp_path / "s") in refused.stderr
    finally:
        first.send_signal(signal.SIGINT)
        first.wait(30)
    second = subprocess.Popen(
        [sys.executable, "-m", "simulator.cli", "host", "--resume", str(tmp_path / "s"), "--db", str(tmp_path / "r.db")],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        again = links_of(second)
    finally:
        second.send_signal(signal.SIGINT)
        second.wait(30)
    token = [link.partition("token=")[2] for link in links]
    assert [link.partition("token=")[2] for link in again] == token and len(set(token)) == 4


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--seat", "ann:nosuch"], "unknown role 'nosuch'"),
        (["--seat", "ann:duty", "--seat", "ann:pr"], "'ann'"),
        (["--seat", "ann:duty", "--facilitator", "ann"], "'ann' is taken twice"),
        ([], "--seat"),
        (["--seat", "ann:duty", "--port", "70000"], "--port"),
        (["--seat", "ann:duty", "--bind", "0.0.0.0"], "give --address"),  # links naming 0.0.0.0 reach nobody
        (["--seat", "ann:duty", "--address", "no such/host"], "--address"),
    ],
)
def test_host_command_errors_are_messages(tmp_path: Path, argv: list[str], message: str) -> None:
    out = drillsim("host", "refund_surge", *argv, "--folder", str(tmp_path / "s"), "--db", str(tmp_path / "r.db"))
    assert out.returncode == 2 and message in out.stderr and "Traceback" not in out.stderr
    assert not (tmp_path / "s").exists()


def test_a_seat_switching_its_language_gets_the_hosts_messages_in_it(tmp_path: Path) -> None:
    """The host's refusals follow the language a seat switches to, not the one its link asked for."""

    async def body(host: Host) -> None:
        ann = await host.join("ann")
        await ann.send_json(decide("z1", "warning_notice", "pr"))  # bo's role: refused, in the session's Chinese
        said = (await next_of(ann, "error"))["message"]
        assert re.search(r"[\u4e00-\u9fff]", said)
        await ann.send_json({"type": "lang", "lang": "en"})
        await ann.send_json(decide("e1", "warning_notice", "pr"))
        said = (await next_of(ann, "error"))["message"]
        assert said.isascii() and "pr" in said and "ann" in said
        await ann.send_json({"type": "lang", "lang": "fr"})  # not a language of the host's
        assert "lang" in (await next_of(ann, "error"))["message"]

    run(tmp_path, body)


def test_links_name_the_address_the_seats_reach_the_host_by(tmp_path: Path) -> None:
    """With --address a real host's links name it, and a page served under that name may open its seat's socket."""
    argv = [*host_args(tmp_path), "--address", "drill.example"]
    proc = subprocess.Popen([sys.executable, "-m", "simulator.cli", *argv], stdout=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        links = links_of(proc)
        assert all(link.startswith("drillsim join ws://drill.example:") for link in links), links
        found = re.search(r"ws://drill\.example:(\d+)/ws\?token=(\S+)", links[0])
        assert found is not None
        port, token = found.groups()
        url = f"ws://127.0.0.1:{port}/ws?token={token}"

        async def connect() -> None:
            async with aiohttp.ClientSession() as http:
                async with http.ws_connect(url, headers={"Origin": f"http://drill.example:{port}"}) as ws:
                    assert (await next_of(ws, "welcome"))["type"] == "welcome"
                with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                    await http.ws_connect(url, headers={"Origin": f"http://elsewhere.example:{port}"})
                assert refused.value.status == 403

        asyncio.run(asyncio.wait_for(connect(), 60))
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=60)
