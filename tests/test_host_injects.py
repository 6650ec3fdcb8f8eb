"""The facilitator's injects in a hosted drill: a real host on an ephemeral port, a facilitator and two players."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import aiohttp
from test_host import Host, hosted, next_of, step_to

from simulator.batch import run
from simulator.drill import DrillSession, read_journal
from simulator.host import HOST, Msel
from simulator.record import InjectFired

WRITTEN = {
    "type": "write",
    "ref": "w1",
    "kind": "incident_report",
    "zh": "门店来电:一位顾客被热饮烫伤",
    "en": "A store calls: a customer was scalded by a hot drink",
    "roles": ["duty"],
    "set": {"injuries": "minor"},
}
AT = 60.0


async def msel_of(fac: aiohttp.ClientWebSocketResponse) -> dict[int, tuple[str, float | None]]:
    """The next MSEL the facilitator is sent: status and fire time by index."""
    msg = HOST.validate_json(json.dumps(await next_of(fac, "msel")))
    assert isinstance(msg, Msel)
    return {e.index: (e.status, e.fired) for e in msg.injects}


async def inject_of(ws: aiohttp.ClientWebSocketResponse, index: int) -> dict[str, Any]:
    while (msg := await next_of(ws, "inject"))["index"] != index:
        pass
    return msg


async def cue(fac: aiohttp.ClientWebSocketResponse, ref: str, op: str, index: int) -> dict[str, Any]:
    await fac.send_json({"type": "cue", "ref": ref, "op": op, "index": index})
    while True:
        msg = await next_of(fac, "cued")
        if msg["ref"] == ref:
            return msg


def test_facilitator_injects_reach_every_seat_open_duties_and_replay(tmp_path: Path) -> None:
    async def body(host: Host) -> None:
        fac, ann, bo = await host.join("fay"), await host.join("ann"), await host.join("bo")
        assert set(await msel_of(fac)) == set(range(5))  # the scenario's five injects, on joining
        await step_to(fac, AT)

        await fac.send_json(WRITTEN)
        cued = await next_of(fac, "cued")
        assert (cued["ref"], cued["op"], cued["index"], cued["t"]) == ("w1", "write", 5, AT)
        view = (await next_of(ann, "view"))["view"]
        while "InjectWritten" not in {rec["type"] for rec in view["feed"]}:  # the view with it comes first, then its text
            view = (await next_of(ann, "view"))["view"]
        assert ("INTAKE-1", "duty", AT) in {(d["rule"], d["role"], d["opened"]) for d in view["duties"]}
        for ws in (fac, ann, bo):
            seen = await inject_of(ws, 5)
            assert seen["text"]["zh"] == WRITTEN["zh"] and seen["roles"] == ["duty"] and seen["kind"] == "incident_report"
        assert (await msel_of(fac))[5] == ("fired", AT)

        for ws, message in ((ann, {"type": "cue", "ref": "a1", "op": "hold", "index": 1}), (bo, {**WRITTEN, "ref": "b1"})):
            await ws.send_json(message)
            error = await next_of(ws, "error")
            assert error["ref"] == message["ref"] and "导调" in error["message"]
        async with host.http.ws_connect(host.url("evaluator") + "&lang=en") as ev_en:  # a seat may ask for English
            await ev_en.send_json({"type": "cue", "ref": "e1", "op": "skip", "index": 1})
            assert (await next_of(ev_en, "error"))["message"].startswith("only the facilitator seat")
        await fac.send_json({**WRITTEN, "ref": "w2", "roles": ["nobody"]})
        assert "nobody" in (await next_of(fac, "error"))["message"]

        # 1 (34 h) held, 2 (60 h) skipped, 3 (130 h) fired now; then 1 released at 35 h
        assert (await cue(fac, "c1", "hold", 1))["index"] == 1
        await cue(fac, "c2", "skip", 2)
        await cue(fac, "c3", "fire", 3)
        status = await msel_of(fac)
        assert status[1] == ("held", None) and status[2] == ("skipped", None) and status[3] == ("fired", AT)
        assert (await inject_of(bo, 3))["t"] == AT
        await fac.send_json({"type": "cue", "ref": "c4", "op": "hold", "index": 3})
        assert "已发出" in (await next_of(fac, "error"))["message"]
        await step_to(fac, 35 * 60.0)
        await cue(fac, "c5", "release", 1)
        assert (await msel_of(fac))[1] == ("fired", 35 * 60.0)
        assert (await inject_of(ann, 1))["t"] == 35 * 60.0
        await step_to(fac, 61 * 60.0)

    async def main() -> None:
        async with hosted(tmp_path) as host:
            await asyncio.wait_for(body(host), 60)

    asyncio.run(main())
    folder, db = tmp_path / "s", tmp_path / "r.db"
    journal = read_journal(folder)
    assert [(c.op, c.index, c.by) for c in journal.cues] == [
        ("write", -1, "fay"), ("hold", 1, "fay"), ("skip", 2, "fay"), ("fire", 3, "fay"), ("release", 1, "fay")]  # fmt: skip
    resumed = DrillSession.resume(folder, db=db)  # the host stopped: resume replays the journal
    assert [e.status for e in resumed.msel()][:6] == ["fired", "fired", "skipped", "fired", "pending", "fired"]
    end = 3 * 24 * 60.0
    resumed.finish(until=end)
    auto = [r for r in resumed.plan.roles if r not in resumed.held_roles]
    again = run(resumed.plan, resumed.scenario, decisions=journal.decisions, cues=journal.cues, auto_roles=auto, until=end)
    again.write(tmp_path / "replayed")
    assert (tmp_path / "replayed" / "events.jsonl").read_bytes() == (folder / "events.jsonl").read_bytes()
    fired = [e.index for e in again.log.of(InjectFired)]
    assert fired[:4] == [5, 3, 1, 0] and 2 not in fired  # written, fired now, released, then 0 at its hour


BAD_CUES = [
    {"type": "cue", "ref": "x", "op": "explode", "index": 1},
    {"type": "cue", "ref": "x", "op": "hold", "index": -1},
    {"type": "cue", "ref": "x", "op": "hold", "index": 10**9},
    {"type": "cue", "ref": "x", "op": "hold", "index": "1"},
    {**WRITTEN, "zh": "", "en": " "},
    {**WRITTEN, "zh": "长" * 5000},
    {**WRITTEN, "kind": "k" * 100},
    {**WRITTEN, "roles": ["duty"] * 17},
    {**WRITTEN, "set": {f"x{i}": True for i in range(17)}},
    {**WRITTEN, "set": {"injuries": ["minor"]}},
    {**WRITTEN, "loud": True},
]


def test_bad_cues_are_refused_and_the_host_goes_on(tmp_path: Path) -> None:
    async def body(host: Host) -> None:
        fac = await host.join("fay")
        for message in BAD_CUES:
            await fac.send_json(message)
            assert (await next_of(fac, "error"))["message"].startswith("消息无效"), message
        await fac.send_json({"type": "cue", "ref": "ok", "op": "skip", "index": 2})
        assert (await next_of(fac, "cued"))["ref"] == "ok"
        assert [(c.op, c.index) for c in read_journal(host.room.session.folder).cues] == [("skip", 2)]

    async def main() -> None:
        async with hosted(tmp_path) as host:
            await asyncio.wait_for(body(host), 60)

    asyncio.run(main())
