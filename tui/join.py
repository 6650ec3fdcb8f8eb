"""``drillsim join URL``: one seat of a hosted drill (``drillsim host``) in the terminal.

The app reads the drill only from the host's messages (:mod:`simulator.host`): the plan's
decisions and names from the ``welcome`` (a :class:`~simulator.drill.Catalog`), the clock, level,
warning, indicators, teams and open duties from each ``view``; the feed from the view's events,
the injects (those addressed to the seat's roles stand out), every seat's decisions (``ack``) and
the facilitator's messages. A player picks one of its roles' actions and fills in the same form as
in ``drillsim play`` (:func:`tui.decide.form_for`); the facilitator has keys for the clock, types
messages and commands, and sees the room (who is connected, what each seat owes); the evaluator
types notes and rates the capabilities; the facilitator also has a panel for the MSEL
(:mod:`tui.widgets.msel`) and its commands. ``L`` switches this seat's language. A lost connection is
retried with back-off, and the host sends the whole drill again on the new one.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
from pathlib import Path
from typing import ClassVar
from urllib.parse import parse_qs, parse_qsl, urlencode, urlsplit, urlunsplit

import aiohttp
from rich.text import Text
from textual import events, work
from textual.app import App, ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Input, OptionList, Static
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
    Rate,
    Rated,
    Say,
    Seats,
    SetLang,
    ViewUpdate,
    Welcome,
)
from simulator.model import DOCUMENT_FIELDS, Lang, UserError, inject_kind

from .bindings import bindings
from .decide import confirmation, form_for
from .feed import Entry
from .i18n import clock, default_lang, tr
from .room import capability_name, duties_panel, ratings_panel, room_panel, state_panel
from .screens.forms import ConfirmScreen, Draft
from .screens.rating import RatingForm
from .widgets.feedlog import FeedLog
from .widgets.keybar import KeyBar
from .widgets.msel import MselPanel, cue_message
from .widgets.msel import say as msel_say

BACKOFF_S = (0.5, 1.0, 2.0, 4.0, 8.0)
"""Waits before each new try to reach the host; the last repeats."""
MAX_VIEW = 64 * 1024 * 1024
"""The largest message the client reads: the whole drill on a reconnect."""
STEP_MIN = 10.0
"""Minutes the facilitator's step key advances."""

FACILITATOR_ACTIONS = {"start", "pause", "faster", "slower", "step", "end"}
SCOPES = {"player": "seat", "facilitator": "facilitator", "evaluator": "evaluator"}
"""The key bar each kind of seat shows."""

Told = Message | tuple[dict[str, object], bool]
"""What the feed shows a line of: a host message, or an event record of a view (and whether it came on a catch-up)."""


class JoinApp(App[None]):
    """A seat's view of a hosted drill."""

    CSS_PATH = Path(__file__).with_name("drill.tcss")
    ENABLE_COMMAND_PALETTE = False
    CSS = """
    #side { width: 40%; max-width: 48; min-width: 30; border-right: vkey $primary-background; }
    #state, #duties, #room, #ratings { height: auto; padding: 0 1; margin-bottom: 1; }
    #feed { height: 1fr; min-height: 6; }
    #actions { height: auto; max-height: 10; border: none; }
    #text { height: 3; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [*bindings("seat"), *bindings("facilitator"), *bindings("evaluator")]

    def __init__(self, url: str, lang: Lang | None = None) -> None:
        super().__init__()
        self.url = url if lang is None else set_lang(url, lang)  # the host's messages in the seat's language
        self.lang: Lang = lang or default_lang()
        self._lang_given = lang is not None
        self.welcome: Welcome | None = None
        self.view: DrillView | None = None
        self.seats: Seats | None = None
        self.ratings: dict[int, Rated] = {}
        self.msel: Msel | None = None
        """The facilitator's last MSEL."""
        """The evaluator's ratings so far, by chapter."""
        self.told: list[Told] = []
        """Everything the feed shows, to show it again in the other language."""
        self.running = False
        self.speed = 1.0
        self.ws: aiohttp.ClientWebSocketResponse | None = None
        self.ended: Ended | None = None
        self._refs = itertools.count(1)
        self._end_armed = False

    def compose(self) -> ComposeResult:
        """The clock across the top, the drill's state on the left, the feed and the seat's controls on the right."""
        yield Static(tr("join.connecting", self.lang), id="clock")
        with Horizontal(id="main"):
            with VerticalScroll(id="side"):
                yield Static(id="room")
                yield Static(id="ratings")
                yield Static(id="duties")
                yield Static(id="state")
            with Vertical(id="right"):
                yield MselPanel(id="msel")
                yield FeedLog(self.lang, id="feed")
                yield OptionList(id="actions")
                yield Input(id="text", select_on_focus=False)
        yield KeyBar(SCOPES["player"], self.lang, {}, id="keys")

    def on_mount(self) -> None:
        """Connect to the host."""
        self._controls()
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
                                self.receive(msg.data)
                except aiohttp.WSServerHandshakeError as exc:
                    if exc.status in (403, 404):
                        self._status(tr("join.refused", self.lang, status=exc.status))
                        return
                except (aiohttp.ClientError, OSError):
                    pass  # the host is not there (yet): try again below
                self.ws = None
                if self.ended is not None:
                    return
                wait = BACKOFF_S[min(tries, len(BACKOFF_S) - 1)]
                tries += 1
                self._status(tr("join.lost", self.lang, s=wait))
                await asyncio.sleep(wait)

    async def send(self, msg: Message) -> None:
        """Send a message to the host, or say that there is no connection."""
        if self.ws is None or self.ws.closed:
            self.notify(tr("join.offline", self.lang), severity="warning")
            return
        await self.ws.send_str(msg.model_dump_json(by_alias=True))

    # what the host says

    def receive(self, text: str) -> None:
        """Read one frame of the host and take it in: a seat's tick."""
        self.handle(HOST.validate_json(text))

    def handle(self, msg: Message) -> None:
        """Take in one message of the host and show it."""
        if isinstance(msg, Welcome):
            self._welcomed(msg)
        elif isinstance(msg, ViewUpdate):
            self._viewed(msg)
        elif isinstance(msg, Seats):
            self.seats = msg
            self._panels()
        elif isinstance(msg, Msel):
            self.msel = msg
            self.query_one(MselPanel).show(msg.injects, self.lang)
        elif isinstance(msg, Rated):
            self.ratings[msg.chapter] = msg
            self._panels()
            self._tell(msg)
        elif isinstance(msg, Inject | Ack | Cued | Error | Note | Ended):
            if isinstance(msg, Ended):
                self.ended = msg
                self.refresh_bindings()
            self._tell(msg)

    def _welcomed(self, msg: Welcome) -> None:
        self.welcome = msg
        if not self._lang_given:
            self.lang = msg.lang
        self.title = f"{tr('app.title', self.lang)} · {msg.title(self.lang)}"
        self.told = []  # the host sends the whole drill again on every connection
        self.ratings = {}
        self._redraw()
        self.refresh_bindings()

    def _viewed(self, msg: ViewUpdate) -> None:
        self.view = msg.view
        self.running, self.speed = msg.running, msg.speed
        self._status()
        self._panels()
        for rec in msg.view.feed:
            self._tell((rec, msg.view.since == 0))

    def _tell(self, item: Told) -> None:
        """Keep a feed item and show its line, if it has one."""
        self.told.append(item)
        self.query_one(FeedLog).add(self._entries(item))

    def _entries(self, item: Told) -> list[Entry]:
        """The feed lines of an item in the seat's language."""
        lang, now = self.lang, self._now()
        if isinstance(item, tuple):
            entry = self._record(*item)
            return [] if entry is None else [entry]
        if isinstance(item, Inject):
            mine = self.welcome is not None and bool(set(item.roles) & set(self.welcome.roles))
            text = tr("feed.inject", lang, kind=inject_kind(item.kind, lang), text=item.text(lang))
            return [Entry(item.t, "soon" if mine else "inject", (tr("join.mine", lang) if mine else "") + text)]
        if isinstance(item, Ack):
            return [Entry(item.t, "ack", self._took(item.seat, item.action, item.role, item.seq))]
        if isinstance(item, Cued):
            return [Entry(item.t, "ack", msel_say("cued", lang, op=msel_say(f"op.{item.op}", lang), index=item.index))]
        if isinstance(item, Error):
            return [Entry(now, "reject", tr("join.error", lang, message=item.message))]
        if isinstance(item, Note):
            return [Entry(item.t, "info", tr("join.says", lang, seat=item.seat, text=item.text))]
        if isinstance(item, Rated) and self.welcome is not None:
            cap = capability_name(self.welcome, item.chapter, lang)
            return [Entry(item.t, "info", tr("join.rated", lang, seat=item.seat, cap=cap, letter=item.letter, note=item.note))]
        if isinstance(item, Ended):
            scores = [Entry(now, "met", tr("join.score", lang, seat=seat, **s.model_dump())) for seat, s in item.scores.items()]
            return [Entry(now, "level", tr("join.ended", lang)), *scores]
        return []

    def _record(self, rec: dict[str, object], catch_up: bool) -> Entry | None:
        """A feed line for an event record the host sent (injects and decisions come as their own messages)."""
        book = self.welcome
        if book is None:
            return None
        t = float(rec["t"])  # type: ignore[arg-type]
        kind, lang = rec["type"], self.lang
        if kind == "LevelChanged":
            src, dst = book.level(str(rec["src"]), lang), book.level(str(rec["dst"]), lang)
            by = book.role(str(rec["by"]), lang)
            return Entry(t, "level", tr("feed.level", lang, src=src, dst=dst, by=by, rule=rec["rule"]))
        if kind == "WarningChanged":
            key = "feed.warning_on" if rec["active"] else "feed.warning_off"
            return Entry(t, "level", tr(key, lang, by=book.role(str(rec["by"]), lang), rule=rec["rule"]))
        if kind == "DecisionMade" and rec["actor"] == "auto":
            action, role = book.action(str(rec["action"]), lang), book.role(str(rec["role"]), lang)
            return Entry(t, "auto", tr("feed.auto", lang, role=role, action=action))
        if kind == "DecisionMade" and catch_up:  # decisions acked before this connection
            return Entry(t, "ack", self._took(str(rec["actor"]), str(rec["action"]), str(rec["role"]), rec["seq"]))
        if kind == "DecisionRejected":
            action, rule = book.action(str(rec["action"]), lang), rec["rule"] or "—"
            return Entry(t, "reject", tr("feed.rejected", lang, seq=rec["seq"], action=action, reason=rec["reason"], rule=rule))
        return None

    def _took(self, seat: str, action: str, role: str, seq: object) -> str:
        assert self.welcome is not None
        book, lang = self.welcome, self.lang
        return tr("join.took", lang, seat=seat, action=book.action(action, lang), role=book.role(role, lang), seq=seq)

    # drawing

    def _redraw(self) -> None:
        """Draw everything again in the seat's language: the whole feed, the controls, the panels."""
        feed = self.query_one(FeedLog)
        feed.lang = self.lang
        feed.clear()
        for item in self.told:
            feed.add(self._entries(item))
        self._controls()
        self._status()
        self._panels()
        self.call_later(self._rekey)

    async def _rekey(self) -> None:
        """The key bar of this kind of seat, in its language."""
        await self.query_one(KeyBar).remove()
        await self.mount(KeyBar(SCOPES[self.welcome.kind if self.welcome else "player"], self.lang, {}, id="keys"))

    def _controls(self) -> None:
        """The seat's controls: a player's actions, the facilitator's and the evaluator's text line."""
        actions = self.query_one("#actions", OptionList)
        text = self.query_one("#text", Input)
        w, lang = self.welcome, self.lang
        mine = [(key, a) for key, a in w.actions.items() if a.role in w.roles] if w is not None else []
        actions.clear_options()
        actions.add_options([Option(f"{a.name(lang)} · {w.role(a.role, lang)}", id=key) for key, a in mine if w is not None])
        actions.display = bool(mine)
        text.display = w is not None and w.kind != "player"
        msel = self.query_one(MselPanel)
        msel.display = w is not None and w.kind == "facilitator"
        if self.msel is not None:
            msel.show(self.msel.injects, lang)
        text.placeholder = tr("join.say_hint" if w is not None and w.kind == "facilitator" else "join.note_hint", lang)
        if mine:
            actions.focus()
        else:
            self.query_one(FeedLog).focus()

    def _panels(self) -> None:
        """The side panels from the last view, seats and ratings."""
        w, view, lang = self.welcome, self.view, self.lang
        if w is None:
            return
        room = self.query_one("#room", Static)
        room.display = self.seats is not None
        if self.seats is not None:
            online = tr("join.online", lang, names=", ".join(self.seats.connected))
            room.update(room_panel(self.seats, view, w, lang) if w.kind == "facilitator" else online)
        ratings = self.query_one("#ratings", Static)
        ratings.display = w.kind == "evaluator"
        if w.kind == "evaluator":
            ratings.update(ratings_panel(self.ratings, w, lang))
        if view is not None:
            self.query_one("#state", Static).update(state_panel(view, w, lang))
            self.query_one("#duties", Static).update(duties_panel(view, w, w.roles, lang))

    def _now(self) -> float:
        return self.view.t if self.view is not None else 0.0

    def _status(self, note: str | None = None) -> None:
        bar = self.query_one("#clock", Static)
        if self.view is None or self.welcome is None:
            if note is not None:
                bar.update(note)
            return
        lang, view, w = self.lang, self.view, self.welcome
        run = "▶ " + tr("clock.running", lang) if self.running else "‖ " + tr("clock.paused", lang)
        warning = (
            tr("clock.warning_on", lang, since=clock(view.warning_since, lang))
            if view.warning_since is not None
            else tr("clock.warning_off", lang)
        )
        top = Text.assemble((clock(view.t, lang), "bold"), "  ", run, "  ", tr("clock.speed", lang, speed=f"{self.speed:g}"))
        who = tr("join.connected", lang, seat=w.seat, kind=tr(f"join.kind.{w.kind}", lang))
        bottom = f"{tr('clock.level', lang, level=w.level(view.level, lang))}  │  {warning}  │  {who}"
        bar.update(Text.assemble(top, "  ", note or "", "\n", bottom))

    # the seat's controls

    async def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """A player chose one of its roles' actions: ask for its details."""
        if event.option.id is not None:
            self.choose(event.option.id)

    @work(exclusive=True, group="decide")
    async def choose(self, action: str) -> None:
        """The action's form (the console's) and confirmation, then the decision to the host."""
        w, view, lang = self.welcome, self.view, self.lang
        if w is None or view is None or self.ended is not None:
            return
        form = form_for(w, view, action, lang, {})
        draft = Draft() if form is None else await self.push_screen_wait(form)
        if draft is None:
            return
        question = confirmation(w, view, action, draft, lang)
        if question is not None and not await self.push_screen_wait(ConfirmScreen(tr("confirm.title", lang), question, lang, {})):
            return
        ref, role = f"r{next(self._refs)}", w.actions[action].role
        text = {f: draft.text[f] for f in DOCUMENT_FIELDS if f in draft.text}
        await self.send(Decide(ref=ref, action=action, role=role, params=draft.params, contents=list(draft.contents), text=text))

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
                self.notify(tr("join.bad_command", self.lang), severity="warning")
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
        """The clock keys are the facilitator's, the rating key the evaluator's, the text line theirs."""
        kind = self.welcome.kind if self.welcome is not None else None
        if action in FACILITATOR_ACTIONS:
            return kind == "facilitator" and self.ended is None
        if action == "rate":
            return kind == "evaluator" and self.ended is None
        if action == "type":
            return kind in ("facilitator", "evaluator") and self.ended is None
        return True

    def action_type(self, start: str) -> None:
        """Go to the text line, with ``start`` typed (``/`` for a command)."""
        text = self.query_one("#text", Input)
        text.value = start
        text.focus()
        text.cursor_position = len(start)

    def on_key(self, event: events.Key) -> None:
        """Escape leaves the text line."""
        if event.key == "escape" and self.query_one("#text", Input).has_focus:
            self.query_one(FeedLog).focus()

    async def action_switch_lang(self) -> None:
        """Switch this seat between Chinese and English: every panel, the whole feed and the host's messages."""
        self.lang = "en" if self.lang == "zh" else "zh"
        self._lang_given = True  # a new welcome (a reconnect) keeps the seat's choice
        self.url = set_lang(self.url, self.lang)
        self._redraw()
        if self.ws is not None and not self.ws.closed:
            await self.send(SetLang(lang=self.lang))

    @work(exclusive=True, group="rate")
    async def action_rate(self) -> None:
        """Rate a capability, then send it to the host (which keeps it and echoes it)."""
        if self.welcome is None:
            return
        draft = await self.push_screen_wait(RatingForm(self.welcome, self.lang, self.ratings))
        if draft is not None:
            await self.send(Rate(chapter=draft.chapter, letter=draft.letter, note=draft.note))

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
            self.notify(tr("join.end_again", self.lang))
            self.set_timer(3.0, lambda: setattr(self, "_end_armed", False))
            return
        await self.send(Control(op="end"))


def set_lang(url: str, lang: Lang) -> str:
    """A seat's link asking for the host's messages in ``lang``."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k != "lang"] + [("lang", lang)]
    return urlunsplit(parts._replace(query=urlencode(query)))


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
