"""``drillsim join URL``: one seat of a hosted drill (``drillsim host``) in the terminal.

The app reads the drill only from the host's messages (:mod:`simulator.host`): the clock, level,
warning, indicators, teams and open duties from each ``view``; the feed from the view's events,
the injects (those addressed to the seat's roles stand out), every seat's decisions (``ack``) and
the facilitator's messages. A player picks one of its roles' actions; the facilitator has keys for
the clock and commands and a panel for the MSEL (:mod:`tui.widgets.msel`); the evaluator types
notes. A lost connection is retried with back-off, and the host sends the whole drill again on the
new one.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
from typing import ClassVar
from urllib.parse import parse_qs, urlsplit

import aiohttp
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from simulator.drill import DrillView
from simulator.host import (
    HOST,
    Ack,
    Control,
    Cued,
    Decide,
    Ended,
    Error,
    Inject,
    Message,
    Msel,
    Note,
    Observe,
    Say,
    Seats,
    ViewUpdate,
    Welcome,
)
from simulator.model import Lang, UserError, inject_kind

from .feed import Entry
from .i18n import clock, countdown, default_lang, tr, value_label
from .widgets.feedlog import FeedLog
from .widgets.msel import MselPanel, cue_message
from .widgets.msel import say as msel_say

BACKOFF_S = (0.5, 1.0, 2.0, 4.0, 8.0)
"""Waits before each new try to reach the host; the last repeats."""
MAX_VIEW = 64 * 1024 * 1024
"""The largest message the client reads: the whole drill on a reconnect."""
STEP_MIN = 10.0
"""Minutes the facilitator's step key advances."""

STRINGS: dict[str, tuple[str, str]] = {
    "connecting": ("正在连接主持端…", "connecting to the host…"),
    "connected": ("已连接:{seat}({kind})", "connected: {seat} ({kind})"),
    "lost": ("与主持端的连接已断开,{s:g} 秒后重试", "lost the host; retrying in {s:g} s"),
    "refused": ("主持端拒绝了此席位链接({status}):请核对令牌", "the host refused this seat's link ({status}): check the token"),
    "offline": ("未连接主持端", "not connected to the host"),
    "took": ("{seat} 作出决策:{action}({role})#{seq}", "{seat} took {action} ({role}) #{seq}"),
    "mine": ("★ ", "★ "),
    "error": ("✗ {message}", "✗ {message}"),
    "says": ("{seat}:{text}", "{seat}: {text}"),
    "ended": ("演练结束", "The drill has ended"),
    "score": ("{seat}:按时 {met},迟延 {late},未完成 {missed}", "{seat}: {met} met, {late} late, {missed} missed"),
    "seats": ("在线:{names}", "online: {names}"),
    "end_again": ("再按一次 e 结束演练", "press e again to end the drill"),
    "say_hint": ("发给全体的消息,或 /step 分钟、/jump 分钟", "a message to every seat, or /step MIN, /jump MIN"),
    "note_hint": ("观察记录(回车保存)", "an observation (Enter keeps it)"),
    "bad_command": ("命令格式:/step 分钟 或 /jump 分钟", "expected /step MIN or /jump MIN"),
    "kind.player": ("受训席位", "player"),
    "kind.facilitator": ("导调席位", "facilitator"),
    "kind.evaluator": ("评估席位", "evaluator"),
}
FACILITATOR_ACTIONS = {"start", "pause", "faster", "slower", "step", "end"}


def say(key: str, lang: Lang, /, **values: object) -> str:
    """A string of this app in ``lang``."""
    zh, en = STRINGS[key]
    return (zh if lang == "zh" else en).format(**values)


class JoinApp(App[None]):
    """A seat's view of a hosted drill."""

    ENABLE_COMMAND_PALETTE = False
    CSS = """
    #clock { height: 2; background: $boost; padding: 0 1; }
    #side { width: 44; }
    #state, #teams, #duties, #seats { height: auto; padding: 0 1; margin-bottom: 1; }
    #feed { height: 1fr; }
    #actions { height: auto; max-height: 12; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "start", "start"),
        Binding("p", "pause", "pause"),
        Binding("f", "faster", "faster"),
        Binding("d", "slower", "slower"),
        Binding("n", "step", "step"),
        Binding("e", "end", "end"),
        Binding("q", "quit", "quit"),
    ]

    def __init__(self, url: str, lang: Lang | None = None) -> None:
        super().__init__()
        self.url = url if lang is None else f"{url}&lang={lang}"  # the host's messages in the seat's language
        self.lang: Lang = lang or default_lang()
        self._lang_given = lang is not None
        self.welcome: Welcome | None = None
        self.view: DrillView | None = None
        self.running = False
        self.speed = 1.0
        self.ws: aiohttp.ClientWebSocketResponse | None = None
        self.ended: Ended | None = None
        self._refs = itertools.count(1)
        self._end_armed = False

    def compose(self) -> ComposeResult:
        """The clock across the top, the drill's state on the left, the feed and the seat's controls on the right."""
        yield Static(say("connecting", self.lang), id="clock")
        with Horizontal():
            with Vertical(id="side"):
                yield Static(id="state")
                yield Static(id="teams")
                yield Static(id="duties")
                yield Static(id="seats")
            with Vertical():
                yield MselPanel(id="msel")
                yield FeedLog(self.lang, id="feed")
                yield OptionList(id="actions")
                yield Input(id="text")
        yield Footer()

    def on_mount(self) -> None:
        """Hide the controls until the host says who this seat is, and connect."""
        self.query_one("#actions").display = False
        self.query_one("#text").display = False
        self.query_one(MselPanel).display = False
        self.run_worker(self.connect(), exclusive=True, group="host")

    # the connection

    async def connect(self) -> None:
        """Stay connected to the host until the drill ends; retry with back-off when the link drops."""
        tries = 0
        async with aiohttp.ClientSession() as http:
            while self.ended is None:
                try:
                    async with http.ws_connect(self.url, max_msg_size=MAX_VIEW, heartbeat=30.0) as ws:
                        self.ws = ws
                        tries = 0
                        async for msg in ws:
                            if msg.type is aiohttp.WSMsgType.TEXT:
                                self.handle(HOST.validate_json(msg.data))
                except aiohttp.WSServerHandshakeError as exc:
                    if exc.status in (403, 404):
                        self._status(say("refused", self.lang, status=exc.status))
                        return
                except (aiohttp.ClientError, OSError):
                    pass  # the host is not there (yet): try again below
                self.ws = None
                if self.ended is not None:
                    return
                wait = BACKOFF_S[min(tries, len(BACKOFF_S) - 1)]
                tries += 1
                self._status(say("lost", self.lang, s=wait))
                await asyncio.sleep(wait)

    async def send(self, msg: Message) -> None:
        """Send a message to the host, or say that there is no connection."""
        if self.ws is None or self.ws.closed:
            self.notify(say("offline", self.lang), severity="warning")
            return
        await self.ws.send_str(msg.model_dump_json())

    # what the host says

    def handle(self, msg: Message) -> None:
        """Show one message of the host."""
        if isinstance(msg, Welcome):
            self._welcomed(msg)
        elif isinstance(msg, ViewUpdate):
            self._viewed(msg)
        elif isinstance(msg, Inject):
            mine = self.welcome is not None and bool(set(msg.roles) & set(self.welcome.roles))
            text = tr("feed.inject", self.lang, kind=inject_kind(msg.kind, self.lang), text=msg.text(self.lang))
            self._feed(Entry(msg.t, "soon" if mine else "inject", (say("mine", self.lang) if mine else "") + text))
        elif isinstance(msg, Ack):
            text = say("took", self.lang, seat=msg.seat, action=self._action(msg.action), role=self._role(msg.role), seq=msg.seq)
            self._feed(Entry(msg.t, "ack", text))
        elif isinstance(msg, Error):
            self._feed(Entry(self._now(), "reject", say("error", self.lang, message=msg.message)))
        elif isinstance(msg, Note):
            self._feed(Entry(msg.t, "info", say("says", self.lang, seat=msg.seat, text=msg.text)))
        elif isinstance(msg, Msel):
            self.query_one(MselPanel).show(msg.injects, self.lang)
        elif isinstance(msg, Cued):
            op = msel_say(f"op.{msg.op}", self.lang)
            self._feed(Entry(msg.t, "ack", msel_say("cued", self.lang, op=op, index=msg.index)))
        elif isinstance(msg, Seats):
            self.query_one("#seats", Static).update(say("seats", self.lang, names=", ".join(msg.connected)))
        elif isinstance(msg, Ended):
            self.ended = msg
            self._feed(Entry(self._now(), "level", say("ended", self.lang)))
            for seat, s in msg.scores.items():
                self._feed(Entry(self._now(), "met", say("score", self.lang, seat=seat, met=s.met, late=s.late, missed=s.missed)))

    def _welcomed(self, msg: Welcome) -> None:
        self.welcome = msg
        if not self._lang_given:
            self.lang = "zh" if msg.lang == "zh" else "en"
            self.query_one(FeedLog).lang = self.lang
        self.title = f"{tr('app.title', self.lang)} · {msg.title(self.lang)}"
        self.query_one(FeedLog).clear()  # the host sends the whole drill again on every connection
        self._status(say("connected", self.lang, seat=msg.seat, kind=say(f"kind.{msg.kind}", self.lang)))
        actions = self.query_one("#actions", OptionList)
        actions.clear_options()
        mine = [(key, a) for key, a in msg.actions.items() if a.role in msg.roles]
        actions.add_options([Option(f"{a.name(self.lang)} · {self._role(a.role)}", id=key) for key, a in mine])
        actions.display = bool(mine)
        text = self.query_one("#text", Input)
        text.display = msg.kind != "player"
        self.query_one(MselPanel).display = msg.kind == "facilitator"
        text.placeholder = say("say_hint" if msg.kind == "facilitator" else "note_hint", self.lang)
        if mine:
            actions.focus()
        elif msg.kind == "evaluator":
            text.focus()
        self.refresh_bindings()

    def _viewed(self, msg: ViewUpdate) -> None:
        view = self.view = msg.view
        self.running, self.speed = msg.running, msg.speed
        self._status()
        lang = self.lang
        ind = "\n".join(f"{k}: {value_label(v, lang)}" for k, v in view.indicators.items())
        self.query_one("#state", Static).update(ind)
        teams = [f"{tr('col.team', lang)} · {tr('col.staff', lang)} · {tr('col.backlog', lang)}"]
        teams += [f"{t.name}  {t.staff}  {t.backlog}" for t in view.teams]
        self.query_one("#teams", Static).update("\n".join(teams))
        roles = self.welcome.roles if self.welcome is not None else []
        duties = Text()
        for d in view.duties[:12]:
            style = "bold yellow" if d.role in roles else ""
            mark = "★" if d.role in roles else " "
            duties.append(f"{mark} {d.rule}  {self._role(d.role or d.owner)}  {countdown(d.due - view.t)}\n", style)
        self.query_one("#duties", Static).update(duties)
        for rec in view.feed:
            entry = self._record(rec, catch_up=view.since == 0)
            if entry is not None:
                self._feed(entry)

    def _record(self, rec: dict[str, object], *, catch_up: bool) -> Entry | None:
        """A feed line for an event record the host sent (injects and decisions come as their own messages)."""
        t = float(rec["t"])  # type: ignore[arg-type]
        kind, lang = rec["type"], self.lang
        if kind == "LevelChanged":
            src, dst = self._level(str(rec["src"])), self._level(str(rec["dst"]))
            return Entry(t, "level", tr("feed.level", lang, src=src, dst=dst, by=self._role(str(rec["by"])), rule=rec["rule"]))
        if kind == "WarningChanged":
            key = "feed.warning_on" if rec["active"] else "feed.warning_off"
            return Entry(t, "level", tr(key, lang, by=self._role(str(rec["by"])), rule=rec["rule"]))
        if kind == "DecisionMade" and rec["actor"] == "auto":
            action, role = self._action(str(rec["action"])), self._role(str(rec["role"]))
            return Entry(t, "auto", tr("feed.auto", lang, role=role, action=action))
        if kind == "DecisionMade" and catch_up:  # decisions acked before this connection
            action, role = self._action(str(rec["action"])), self._role(str(rec["role"]))
            return Entry(t, "ack", say("took", lang, seat=rec["actor"], action=action, role=role, seq=rec["seq"]))
        if kind == "DecisionRejected":
            action, rule = self._action(str(rec["action"])), rec["rule"] or "—"
            return Entry(t, "reject", tr("feed.rejected", lang, seq=rec["seq"], action=action, reason=rec["reason"], rule=rule))
        return None

    # names

    def _action(self, key: str) -> str:
        info = self.welcome.actions.get(key) if self.welcome is not None else None
        return key if info is None else info.name(self.lang)

    def _role(self, key: str) -> str:
        name = self.welcome.role_names.get(key) if self.welcome is not None else None
        return key if name is None else str(name(self.lang))

    def _level(self, key: str) -> str:
        name = self.welcome.level_names.get(key) if self.welcome is not None else None
        return key if name is None else name(self.lang)

    def _now(self) -> float:
        return self.view.t if self.view is not None else 0.0

    def _feed(self, entry: Entry) -> None:
        self.query_one(FeedLog).add([entry])

    def _status(self, note: str | None = None) -> None:
        bar = self.query_one("#clock", Static)
        if self.view is None:
            bar.update(note or "")
            return
        lang, view = self.lang, self.view
        run = "▶ " + tr("clock.running", lang) if self.running else "‖ " + tr("clock.paused", lang)
        warning = (
            tr("clock.warning_on", lang, since=clock(view.warning_since, lang))
            if view.warning_since is not None
            else tr("clock.warning_off", lang)
        )
        top = Text.assemble((clock(view.t, lang), "bold"), "  ", run, "  ", tr("clock.speed", lang, speed=f"{self.speed:g}"))
        bottom = f"{tr('clock.level', lang, level=self._level(view.level))}  │  {warning}"
        bar.update(Text.assemble(top, "  ", note or "", "\n", bottom))

    # the seat's controls

    async def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """A player takes the chosen action for its role, with every element the action can carry."""
        assert self.welcome is not None and event.option.id is not None
        info = self.welcome.actions[event.option.id]
        ref = f"r{next(self._refs)}"
        await self.send(Decide(ref=ref, action=event.option.id, role=info.role, contents=list(info.contents)))

    async def on_input_submitted(self, event: Input.Submitted) -> None:
        """The facilitator's message or /step, /jump; the evaluator's note."""
        text = event.value.strip()
        if not text or self.welcome is None:
            return
        event.input.value = ""
        if self.welcome.kind == "evaluator":
            await self.send(Observe(text=text))
        elif text.startswith("/") and await self._cue(text):
            return
        elif text.startswith("/"):
            op, _, arg = text[1:].partition(" ")
            try:
                value = float(arg)
            except ValueError:
                value = -1.0
            if op not in ("step", "jump") or value < 0:
                self.notify(say("bad_command", self.lang), severity="warning")
                return
            await self.send(Control(op="step" if op == "step" else "jump", value=value))
        else:
            await self.send(Say(text=text))

    async def _cue(self, text: str) -> bool:
        """A facilitator's MSEL command (/fire, /hold, /release, /skip N; /inject ...): whether it was one."""
        cue = cue_message(text, f"c{next(self._refs)}", self.lang)
        if isinstance(cue, Message):
            await self.send(cue)
        elif cue:
            self.notify(msel_say(cue, self.lang), severity="warning")
        return bool(cue)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The clock keys are the facilitator's only."""
        if action in FACILITATOR_ACTIONS:
            return self.welcome is not None and self.welcome.kind == "facilitator" and self.ended is None
        return True

    async def action_start(self) -> None:
        """Run the clock."""
        await self.send(Control(op="start"))

    async def action_pause(self) -> None:
        """Stop the clock."""
        await self.send(Control(op="pause"))

    async def action_faster(self) -> None:
        """Double the clock's speed."""
        await self.send(Control(op="speed", value=self.speed * 2))

    async def action_slower(self) -> None:
        """Halve the clock's speed."""
        await self.send(Control(op="speed", value=self.speed / 2))

    async def action_step(self) -> None:
        """Advance the clock by a step."""
        await self.send(Control(op="step", value=STEP_MIN))

    async def action_end(self) -> None:
        """End the drill: the key twice."""
        if not self._end_armed:
            self._end_armed = True
            self.notify(say("end_again", self.lang))
            self.set_timer(3.0, lambda: setattr(self, "_end_armed", False))
            return
        await self.send(Control(op="end"))


def check_url(url: str) -> str:
    """Refuse a link that is not a seat's ``ws://HOST:PORT/ws?token=...``, before the app starts."""
    parts = urlsplit(url)
    try:
        port_ok = parts.port != 0
    except ValueError:  # beyond 65535, or not a number: the app would start and retry it for ever
        port_ok = False
    if parts.scheme not in ("ws", "wss") or not parts.hostname or not port_ok or not parse_qs(parts.query).get("token"):
        raise UserError(f"URL '{url}': expected a seat's link as the host prints it, ws://HOST:PORT/ws?token=...")
    return url


def cmd_join(args: argparse.Namespace) -> int:
    """Join a hosted drill as the seat the URL's token opens."""
    JoinApp(check_url(args.url), args.lang).run()
    return 0
