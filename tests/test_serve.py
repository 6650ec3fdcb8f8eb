"""``drillsim serve``: one trainee's drill in a browser, as a hosted session with one seat.

A foreign Origin (or a page reached by another name) is refused before the seat is touched, sockets
past the bound are refused, a refresh rejoins the same seat of the same session, no token reaches a
log; and the real command prints the page's address and serves it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from spawn import free_port, spawned
from test_host import WAIT_S, next_of

from simulator.cli.main import build_parser, main
from simulator.host import Room, Seat, open_site, warn_if_open
from tui.serve import MAX_SOCKETS, one_seat_room
from tui.session import open_session

REPORT = ["time", "place", "parties", "description", "contact"]
REPORT_AT = 2161.0
"""A minute after the refund surge's incident report comes in (the duty officer registers it)."""


@dataclass
class Served:
    room: Room
    port: int
    http: aiohttp.ClientSession
    folder: Path

    @property
    def token(self) -> str:
        return self.room.seats[0].token

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def page(self) -> str:
        return f"{self.origin}/seat/{self.token}/"

    async def connect(self, origin: str | None = None, token: str | None = None) -> aiohttp.ClientWebSocketResponse:
        url = f"ws://127.0.0.1:{self.port}/ws?token={token or self.token}"
        return await self.http.ws_connect(url, headers={"Origin": origin or self.origin})


@contextlib.asynccontextmanager
async def served(tmp_path: Path) -> AsyncIterator[Served]:
    folder = tmp_path / "sessions"
    argv = ["serve", "refund_surge", "--trainee", "张三:duty", "--folder", str(folder / "s1"), "--db", str(tmp_path / "r.db")]
    args = build_parser().parse_args(argv)
    room = one_seat_room(open_session(args, "zh"), args.speed / 60)
    runner, port = await open_site(room, "127.0.0.1", 0, MAX_SOCKETS)
    clock = asyncio.create_task(room.run_clock())
    try:
        async with aiohttp.ClientSession() as http:
            yield Served(room, port, http, folder)
    finally:
        clock.cancel()
        await runner.cleanup()
        if room.ended is None:
            room.session.suspend()


def run(tmp_path: Path, body: Callable[[Served], Awaitable[None]]) -> None:
    async def main() -> None:
        async with served(tmp_path) as s:
            await asyncio.wait_for(body(s), 60)

    asyncio.run(main())


async def refused(s: Served, **kw: Any) -> int:
    with pytest.raises(aiohttp.WSServerHandshakeError) as err:
        await s.connect(**kw)
    return err.value.status


def test_a_foreign_origin_is_refused_before_the_seat_is_touched(tmp_path: Path) -> None:
    async def body(s: Served) -> None:
        for origin in ("http://evil.example", "null", f"http://127.0.0.1:{s.port + 1}", f"https://127.0.0.1:{s.port}"):
            assert await refused(s, origin=origin) == 403, origin
        assert await refused(s, origin="http://evil.example", token="forged") == 403
        assert s.room.links == {}
        async with s.http.get(s.page(), headers={"Host": f"evil.example:{s.port}"}) as page:
            assert page.status == 403  # a name rebound to this machine does not get the page
        for origin in (s.origin, f"http://localhost:{s.port}"):
            ws = await s.connect(origin=origin)
            welcome = await next_of(ws, "welcome")
            assert (welcome["seat"], welcome["kind"], welcome["roles"]) == ("张三", "facilitator", ["duty"])
            await ws.close()
        assert [p.name for p in s.folder.iterdir()] == ["s1"]

    run(tmp_path, body)


def test_sockets_past_the_bound_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    gate = asyncio.Event()
    attach = Room.attach

    async def held(room: Room, seat: Seat, ws: web.WebSocketResponse, lang: str | None = None) -> Any:
        await gate.wait()  # sockets stay open, upgraded and counted, until the test lets them join
        return await attach(room, seat, ws, lang)

    monkeypatch.setattr(Room, "attach", held)

    async def body(s: Served) -> None:
        sockets = [await s.connect() for _ in range(MAX_SOCKETS)]
        assert await refused(s) == 503
        gate.set()
        assert (await next_of(sockets[-1], "welcome"))["seat"] == "张三"
        for ws in sockets:
            await ws.close()
        later = await s.connect()  # the bound counts open sockets: closed ones make room
        assert (await next_of(later, "welcome"))["seat"] == "张三"
        await later.close()

    run(tmp_path, body)


def test_a_refresh_rejoins_the_same_seat_of_the_same_session(tmp_path: Path) -> None:
    async def body(s: Served) -> None:
        first = await s.connect()
        await next_of(first, "welcome")
        await first.send_json({"type": "control", "op": "jump", "value": REPORT_AT})
        while (await next_of(first, "view"))["view"]["t"] < REPORT_AT:
            pass
        await first.send_json({"type": "decide", "ref": "r1", "action": "register_report", "role": "duty", "contents": REPORT})
        assert (await next_of(first, "ack"))["ref"] == "r1"
        await first.send_json({"type": "control", "op": "step", "value": 1})
        while (await next_of(first, "view"))["view"]["t"] < REPORT_AT + 1:
            pass

        again = await s.connect()  # the page reloaded: the same token
        assert (await next_of(again, "welcome"))["seat"] == "张三"
        view = (await next_of(again, "view"))["view"]
        assert view["since"] == 0 and view["t"] == REPORT_AT + 1
        taken = [r for r in view["feed"] if r["type"] == "DecisionMade" and r["actor"] == "张三"]
        assert [r["action"] for r in taken] == ["register_report"]
        closing = await asyncio.wait_for(first.receive(), WAIT_S)
        assert closing.type is aiohttp.WSMsgType.CLOSE and closing.data == 4000
        assert list(s.room.links) == ["张三"] and s.room.links["张三"].ws is not None
        assert [p.name for p in s.folder.iterdir()] == ["s1"]
        await first.close()
        await again.close()

    run(tmp_path, body)


def test_no_token_reaches_a_log(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    async def body(s: Served) -> None:
        async with s.http.get(s.page()) as page:
            assert page.status == 200 and page.headers["Referrer-Policy"] == "no-referrer"
        async with s.http.get(s.page() + "font.woff") as font:
            assert font.status == 200
        async with s.http.get(s.page().replace(s.token, s.token[:-1])) as wrong:
            assert wrong.status == 404
        assert await refused(s, origin="http://evil.example") == 403
        ws = await s.connect()
        await next_of(ws, "welcome")
        await ws.send_str("{not json")
        await next_of(ws, "error")
        await ws.close()
        assert s.token not in caplog.text and s.token[:-1] not in caplog.text

    with caplog.at_level(logging.DEBUG):
        run(tmp_path, body)


def test_a_bind_beyond_this_machine_is_warned_of(capsys: pytest.CaptureFixture[str]) -> None:
    warn_if_open("127.0.0.1", "en")
    assert capsys.readouterr().err == ""
    warn_if_open("0.0.0.0", "en")
    assert "warning: listening on 0.0.0.0" in capsys.readouterr().err
    warn_if_open("0.0.0.0", "zh")
    assert (
        capsys.readouterr().err
        == "drillsim: 警告: 正在 0.0.0.0 上监听: 能访问该地址且持有席位链接的任何人都能加入,且链接以明文传输\n"
    )


def test_the_serve_command_prints_the_page_and_serves_it(tmp_path: Path) -> None:
    port = free_port()
    argv = ["serve", "manual_error", "--lang", "en", "--trainee", "Wang:command", "--port", str(port)]
    argv += ["--folder", str(tmp_path / "s"), "--db", str(tmp_path / "r.db")]
    with spawned(argv) as child:
        found = child.until(r"open in a browser: (http://127\.0\.0\.1:\d+/seat/([A-Za-z0-9_-]+)/)$")
        page, token = found.group(1), found.group(2)

        async def visit() -> None:
            async with aiohttp.ClientSession() as http:
                async with http.get(page) as got:
                    assert got.status == 200 and "seat.js" in await got.text()
                url = f"ws://127.0.0.1:{port}/ws?token={token}"
                with pytest.raises(aiohttp.WSServerHandshakeError):
                    await http.ws_connect(url, headers={"Origin": "http://evil.example"})
                async with http.ws_connect(url, headers={"Origin": f"http://127.0.0.1:{port}"}) as ws:
                    welcome = await next_of(ws, "welcome")
                    assert welcome["seat"] == "Wang"
                    assert welcome["title"]["en"] == "An isolated complaint about an appliance manual error"

        asyncio.run(asyncio.wait_for(visit(), 60))
    assert [p.name for p in tmp_path.iterdir() if p.is_dir()] == ["s"]


def test_a_bind_that_is_not_an_address_is_a_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--bind", "nowhere.invalid", "--folder", str(tmp_path / "s")]) == 2
    assert capsys.readouterr().err.startswith("drillsim: --bind: 'nowhere.invalid' is not an address of this machine (")
    assert not (tmp_path / "s").exists()


def test_a_bind_to_every_address_asks_for_the_name_the_page_is_reached_by(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A page link naming 0.0.0.0 reaches nobody: serve asks for --address before it makes a session."""
    assert main(["serve", "--bind", "0.0.0.0", "--lang", "en", "--folder", str(tmp_path / "s")]) == 2
    err = capsys.readouterr().err
    assert "--bind 0.0.0.0 listens on every address of this machine: give --address" in err
    assert not (tmp_path / "s").exists()
