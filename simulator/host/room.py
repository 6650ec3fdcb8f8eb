"""The room: one drill session, its seats and their live connections, and the clock that runs it.

Everything happens in the event loop's thread: the session's calls are fast (a decision is one
journal line and its fsync), so the room is the session's one writer with no other lock. A
decision is journaled (by :meth:`DrillSession.decide`) before any seat hears of it.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from aiohttp import WSCloseCode, web
from pydantic import ValidationError

from ..drill import (
    CUE_REFUSALS,
    CueRefused,
    DrillSession,
    DrillView,
    Observation,
    Rating,
    catalog,
    only_required,
    read_evaluation,
    record,
    required_elements,
)
from ..model import Lang, Request, Text, UserError, Written, first_problem
from .protocol import (
    CLIENT,
    Ack,
    Control,
    Cued,
    CueInject,
    Decide,
    Ended,
    Error,
    Inject,
    Message,
    Msel,
    Needs,
    Note,
    Observe,
    Rate,
    Rated,
    Say,
    SeatInfo,
    Seats,
    SeatScore,
    SetLang,
    ViewUpdate,
    Welcome,
    WriteInject,
)
from .seats import Seat

TICK_S = 0.1
"""Wall seconds between clock slices while the clock runs."""
MAX_SLICE_S = 0.5
"""A late slice advances at most this many wall seconds' worth of simulated time."""
REPLACED = 4000
"""Close code of a connection replaced by a newer one of the same seat."""

STRINGS: dict[str, tuple[str, str]] = {
    "bad": ("消息无效:{why}", "invalid message: {why}"),
    "not_player": ("席位“{seat}”不能作决策", "seat '{seat}' takes no decisions"),
    "not_yours": ("角色“{role}”不属于席位“{seat}”(其角色:{roles})", "role '{role}' is not seat '{seat}''s (its roles: {roles})"),
    "not_facilitator": (
        "只有导调席位能控制时钟、注入和发消息",
        "only the facilitator seat controls the clock and the injects and sends messages",
    ),
    "not_evaluator": ("只有评估席位能记录观察和评级", "only the evaluator seat records observations and ratings"),
    "not_tested": (
        "第 {chapter} 章不是本次演练检验的能力(可评:{chapters})",
        "chapter {chapter} is not a capability this drill tests (rated: {chapters})",
    ),
    "back": ("不能跳回 {to:g} 分钟:时钟已在 {now:g} 分钟", "cannot jump back to minute {to:g}: the clock is at minute {now:g}"),
    "over": ("演练已结束", "the drill is over"),
}
CUE_ZH = {
    "cue.unknown": "情景事件清单中没有注入 {index}",
    "cue.fired": "注入 {index} 已发出",
    "cue.held": "注入 {index} 已在暂缓中",
    "cue.skipped": "注入 {index} 已跳过",
    "cue.not_held": "注入 {index} 未被暂缓",
    "cue.empty": "临时注入需要类型和内容",
    "cue.kind": "未知的注入类型“{kind}”;已知:{known}",
    "cue.role": "未知的角色“{role}”;预案的角色:{known}",
    "cue.indicator": "注入不能设定“{name}”;可设定:{known}",
    "cue.value": "{value} 不是“{name}”的取值",
}
"""The refusals of a cue in Chinese (the drill gives them in English)."""
STRINGS |= {code: (CUE_ZH[code], en) for code, en in CUE_REFUSALS.items()}
INJECT_RECORDS = {"InjectFired", "InjectCued", "InjectWritten"}
"""Records after which the facilitator's MSEL is sent again."""


def say(key: str, lang: str, **values: object) -> str:
    """A host message in the session's language."""
    zh, en = STRINGS[key]
    return (zh if lang == "zh" else en).format(**values)


@dataclass(eq=False)
class Link:
    """A seat's live connection and how far its feed has gone."""

    seat: Seat
    ws: web.WebSocketResponse
    cursor: int = 0
    lang: str | None = None
    """The language the seat's link asks for (``lang=zh|en``); None: the session's."""


class Room:
    """A drill session shared by its seats."""

    def __init__(self, session: DrillSession, seats: Sequence[Seat], *, speed: float = 1.0) -> None:
        self.session = session
        self.seats = list(seats)
        self._by_token = {s.token: s for s in seats}
        self.links: dict[str, Link] = {}
        """Seat name → its live connection."""
        self.running = False
        self.speed = speed
        """Simulated minutes per wall second."""
        self.ended: Ended | None = None
        self.done = asyncio.Event()
        """Set once the drill has ended and every seat has been told."""
        self.catalog = catalog(session.plan)
        self._unapplied: list[Ack] = []

    def seat_for(self, token: str) -> Seat | None:
        """The seat a token opens, if any."""
        return self._by_token.get(token)

    @property
    def lang(self) -> Lang:
        """The session's language, which the host's own messages use unless a seat asks for another."""
        return self.session.lang

    def lang_of(self, link: Link) -> str:
        """The language of the host's messages to a seat."""
        return link.lang or self.lang

    # connections

    async def attach(self, seat: Seat, ws: web.WebSocketResponse, lang: str | None = None) -> Link:
        """Make ``ws`` the seat's connection (closing the one it had) and send it who it is and the whole drill.

        The host's messages to it are in ``lang`` (default: the session's language).
        """
        link = Link(seat, ws, lang=lang)
        old = self.links.get(seat.name)
        self.links[seat.name] = link
        if old is not None:
            await old.ws.close(code=REPLACED, message=b"replaced by a newer connection of this seat")
        await self._send(link, self._welcome(seat))
        await self._send_view(link)
        for ack in self._still_unapplied():
            await self._send(link, ack)
        if seat.kind == "evaluator":
            await self._send_evaluation(link)
        if self.ended is not None:
            await self._send(link, self.ended)
        await self._broadcast(self._seats())
        return link

    def _welcome(self, seat: Seat) -> Welcome:
        return Welcome(
            seat=seat.name,
            kind=seat.kind,
            roles=list(seat.roles),
            lang=self.lang,
            title=self.session.scenario.title,
            **dict(self.catalog),
        )

    async def detach(self, link: Link) -> None:
        """Forget a connection that closed (unless a newer one of its seat replaced it)."""
        if self.links.get(link.seat.name) is link:
            del self.links[link.seat.name]
            await self._broadcast(self._seats())

    # messages

    async def receive(self, link: Link, text: str | bytes) -> None:
        """Handle one text frame from a seat: anything wrong is an ``error`` to that seat."""
        try:
            msg = CLIENT.validate_json(text)
        except ValidationError as exc:
            await self._send(link, Error(ref=None, message=say("bad", self.lang_of(link), why=first_problem(exc))))
            return
        if isinstance(msg, SetLang):  # a seat's own language, whatever the drill's state
            link.lang = msg.lang
        elif self.ended is not None:
            await self._send(link, Error(ref=getattr(msg, "ref", None), message=say("over", self.lang_of(link))))
        elif isinstance(msg, Decide):
            await self._decide(link, msg)
        elif isinstance(msg, Control | Say):
            await self._facilitate(link, msg)
        elif isinstance(msg, CueInject | WriteInject):
            await self._cue(link, msg)
        else:
            await self._evaluate(link, msg)

    async def _decide(self, link: Link, msg: Decide) -> None:
        seat = link.seat
        refused = None
        if not seat.roles:  # a player, or the one seat of ``drillsim serve``: a facilitator holding the trainee's roles
            refused = say("not_player", self.lang_of(link), seat=seat.name)
        elif msg.role not in seat.roles:
            refused = say("not_yours", self.lang_of(link), role=msg.role, seat=seat.name, roles=", ".join(seat.roles))
        if refused is None:
            text = {str(k): v for k, v in msg.text.items()}
            request = Request(msg.action, msg.role, dict(msg.params), tuple(msg.contents), text)
            try:
                seq = self.session.decide(request, actor=seat.name)
            except UserError as exc:
                refused = str(exc)
        if refused is not None:
            await self._send(link, Error(ref=msg.ref, message=refused))
            return
        t = self.session.now
        ack = Ack(ref=None, seq=seq, t=t, seat=seat.name, action=msg.action, role=msg.role)
        for other in list(self.links.values()):
            await self._send(other, ack.model_copy(update={"ref": msg.ref}) if other is link else ack)
        self._unapplied = [*self._still_unapplied(), ack]
        await self.broadcast_views()

    def _still_unapplied(self) -> list[Ack]:
        """The decisions acknowledged at the clock's current instant, which no view has yet.

        The engine applies a decision once the clock moves on; a seat that joins before then hears
        of it as an acknowledgement.
        """
        return [ack for ack in self._unapplied if ack.t == self.session.now and not self.session.finished]

    async def _facilitate(self, link: Link, msg: Control | Say) -> None:
        if link.seat.kind != "facilitator":
            await self._send(link, Error(ref=None, message=say("not_facilitator", self.lang_of(link))))
        elif isinstance(msg, Say):
            await self._broadcast(Note(seat=link.seat.name, t=self.session.now, text=msg.text))
        elif msg.op == "end":
            await self.end()
        else:
            await self._control(link, msg)

    async def _control(self, link: Link, msg: Control) -> None:
        now = self.session.now
        if msg.op == "start":
            self.running = True
        elif msg.op == "pause":
            self.running = False
        elif msg.op == "speed":
            assert msg.value is not None  # Control checks that speed, step and jump have a value
            self.speed = msg.value
        else:
            assert msg.value is not None
            to = now + msg.value if msg.op == "step" else msg.value
            if to < now:
                await self._send(link, Error(ref=None, message=say("back", self.lang_of(link), to=to, now=now)))
                return
            self.session.advance(to)
        await self.broadcast_views()
        if self.session.finished:
            await self.end()

    async def _cue(self, link: Link, msg: CueInject | WriteInject) -> None:
        """The facilitator's act on the MSEL: journaled by the session before any seat hears of it."""
        if link.seat.kind != "facilitator":
            await self._send(link, Error(ref=msg.ref, message=say("not_facilitator", self.lang_of(link))))
            return
        try:
            if isinstance(msg, WriteInject):
                written = Written(msg.kind, msg.text(), tuple(msg.roles), tuple(msg.set.items()))
                index = self.session.cue("write", link.seat.name, written=written)
            else:
                index = self.session.cue(msg.op, link.seat.name, index=msg.index)
        except CueRefused as exc:
            await self._send(link, Error(ref=msg.ref, message=say(exc.code, self.lang_of(link), **exc.args_)))
            return
        op = "write" if isinstance(msg, WriteInject) else msg.op
        await self._send(link, Cued(ref=msg.ref, op=op, index=index, t=self.session.now))
        await self.broadcast_views()

    async def _evaluate(self, link: Link, msg: Observe | Rate) -> None:
        """Keep an evaluator's observation or rating on disk, then tell its seat."""
        seat, now = link.seat, self.session.now
        if seat.kind != "evaluator":
            await self._send(link, Error(ref=None, message=say("not_evaluator", self.lang_of(link))))
            return
        if isinstance(msg, Observe):
            record(self.session.folder, Observation(seat=seat.name, t=now, text=msg.text))
            await self._send(link, Note(seat=seat.name, t=now, text=msg.text))
            return
        tested = [c.chapter for c in self.catalog.capabilities]
        if msg.chapter not in tested:
            chapters = ", ".join(map(str, tested))
            refused = say("not_tested", self.lang_of(link), chapter=msg.chapter, chapters=chapters)
            await self._send(link, Error(ref=None, message=refused))
            return
        record(self.session.folder, Rating(seat=seat.name, t=now, chapter=msg.chapter, letter=msg.letter, note=msg.note))
        await self._send(link, Rated(seat=seat.name, t=now, chapter=msg.chapter, letter=msg.letter, note=msg.note))

    async def _send_evaluation(self, link: Link) -> None:
        """An evaluator's seat gets back what it has kept (after a reconnect or a resumed host)."""
        kept = read_evaluation(self.session.folder)
        for obs in kept.observations:
            if obs.seat == link.seat.name:
                await self._send(link, Note(seat=obs.seat, t=obs.t, text=obs.text))
        for r in kept.ratings:
            if r.seat == link.seat.name:
                await self._send(link, Rated(seat=r.seat, t=r.t, chapter=r.chapter, letter=r.letter, note=r.note))

    # the clock and the end

    async def run_clock(self) -> None:
        """Advance the running clock by ``speed`` × elapsed wall time every :data:`TICK_S`, until the drill ends."""
        loop = asyncio.get_running_loop()
        last = loop.time()
        while self.ended is None:
            await asyncio.sleep(TICK_S)
            wall = loop.time()
            elapsed, last = min(wall - last, MAX_SLICE_S), wall
            if not self.running:
                continue
            self.session.advance(self.session.now + self.speed * elapsed)
            await self.broadcast_views()
            if self.session.finished:
                await self.end()

    async def end(self) -> None:
        """Finish the session, tell every seat each player's duties, close the connections."""
        self.running = False
        result = self.session.finish()
        by_trainee = self.session.trainee_scores(result)
        scores = {name: SeatScore(met=s.met, late=s.late, missed=s.missed) for name, s in by_trainee.items()}
        self.ended = Ended(scores=scores)
        await self.broadcast_views()
        await self._broadcast(self.ended)
        await self.hang_up(b"the drill has ended")
        self.done.set()

    async def hang_up(self, reason: bytes = b"the host is stopping") -> None:
        """Close every seat's connection (a stopped host's seats retry until it is back)."""
        await asyncio.gather(*(link.ws.close(code=WSCloseCode.GOING_AWAY, message=reason) for link in list(self.links.values())))

    # sending

    async def broadcast_views(self) -> None:
        """Send every seat the drill since its cursor."""
        for link in list(self.links.values()):
            await self._send_view(link)

    def _needs(self, link: Link, view: DrillView) -> dict[str, Needs]:
        """What each document the seat's roles may write must carry at the view's instant."""
        plan = self.session.plan
        mine = [a for a, spec in plan.actions.items() if spec.role in link.seat.roles and spec.contents]
        return {a: Needs(required=list(required_elements(plan, view, a)), only=only_required(plan, view, a)) for a in mine}

    async def _send_view(self, link: Link) -> None:
        view = self.session.view(link.cursor)
        link.cursor = view.cursor
        await self._send(link, ViewUpdate(view=view, running=self.running, speed=self.speed, documents=self._needs(link, view)))
        injects = self.session.scenario.injects
        written: dict[int, dict[str, Any]] = {}
        for rec in view.feed:
            if rec["type"] == "InjectWritten":
                written[rec["index"]] = rec
            elif rec["type"] == "InjectFired" and rec["index"] in written:
                new = written[rec["index"]]
                text, roles = Text(zh=new["zh"], en=new["en"]), list(new["roles"])
                kind, player = new["kind"], next(iter(roles), None)
                await self._send(link, Inject(index=rec["index"], t=rec["t"], kind=kind, text=text, player=player, roles=roles))
            elif rec["type"] == "InjectFired":
                inj = injects[rec["index"]]
                roles = [inj.player] if inj.player is not None else []
                await self._send(
                    link, Inject(index=rec["index"], t=rec["t"], kind=inj.kind, text=inj.text, player=inj.player, roles=roles)
                )
        if link.seat.kind == "facilitator" and (view.since == 0 or any(rec["type"] in INJECT_RECORDS for rec in view.feed)):
            await self._send(link, Msel(injects=self.session.msel()))

    def _seats(self) -> Seats:
        roster = [SeatInfo(name=s.name, kind=s.kind, roles=list(s.roles)) for s in self.seats]
        return Seats(connected=[s.name for s in self.seats if s.name in self.links], roster=roster)

    async def _broadcast(self, msg: Message) -> None:
        for link in list(self.links.values()):
            await self._send(link, msg)

    async def _send(self, link: Link, msg: Message) -> None:
        if link.ws.closed:
            return
        with contextlib.suppress(ConnectionResetError):  # the seat went away mid-send; its handler detaches it
            await link.ws.send_str(msg.model_dump_json(by_alias=True))
