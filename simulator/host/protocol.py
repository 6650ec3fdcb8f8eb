"""The messages of a hosted drill, both ways, as strict pydantic models (JSON text frames).

Every message is one JSON object with a ``type``; each direction is a union discriminated on it
(:data:`CLIENT`, :data:`HOST`). Unknown fields, wrong types and unknown types are refused.
A frame is at most :data:`MAX_MESSAGE` bytes: the server gives the same bound to aiohttp, which
closes a socket that sends more (code 1009).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, model_validator

from ..drill import MAX_NOTE, Catalog, DrillView, Letter, MselEntry
from ..model import DocumentField, Lang, Text

MAX_MESSAGE = 64 * 1024
"""The largest frame a seat may send, in bytes."""
MAX_TEXT = MAX_NOTE
"""The longest ``say`` or ``observe`` text, in characters."""
MAX_REF = 64
"""The longest client ``ref``."""
MAX_NAME = 64
"""The longest name of a role, an indicator, an inject kind or an indicator's value in a written inject."""
MAX_INJECT_INDEX = 10_000
"""The largest inject index a cue may name (an MSEL has at most this many rows)."""
MAX_ROLES = 16
"""The most roles a written inject is addressed to."""
MAX_SET = 16
"""The most indicator values a written inject sets."""
Name = Annotated[str, Field(min_length=1, max_length=MAX_NAME)]
Finite = Annotated[float, Field(allow_inf_nan=False)]

Kind = Literal["player", "facilitator", "evaluator"]
Op = Literal["start", "pause", "speed", "step", "jump", "end"]


class Message(BaseModel):
    """A message: strict types, no unknown fields, not changed once made."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


# client → host


class Decide(Message):
    """A player takes a decision for one of its roles."""

    type: Literal["decide"] = "decide"
    ref: str = Field(max_length=MAX_REF)
    """The client's name for the request, echoed in its ``ack`` or ``error``."""
    action: str
    role: str
    params: dict[str, str] = {}
    contents: list[str] = []
    text: dict[DocumentField, Annotated[str, Field(max_length=MAX_TEXT)]] = {}
    """The document's text by field (``title``, ``body``)."""


class Control(Message):
    """The facilitator drives the clock: ``speed`` N sim-minutes per wall second, ``step`` N ≥ 1 minutes, ``jump`` to minute N."""

    type: Literal["control"] = "control"
    op: Op
    value: float | None = None

    @model_validator(mode="after")
    def _value_fits(self) -> Control:
        needs = {"speed": 0.0, "step": 1.0, "jump": 0.0}
        if self.op not in needs:
            if self.value is not None:
                raise ValueError(f"'{self.op}' takes no value")
            return self
        low = needs[self.op]
        if self.value is None or not (low <= self.value < float("inf")) or (self.op == "speed" and self.value <= 0):
            bound = "> 0" if self.op == "speed" else f">= {low:g}"
            raise ValueError(f"'{self.op}' needs a finite value {bound}")
        return self


class CueInject(Message):
    """The facilitator fires a scenario inject now, holds it, releases it or skips it."""

    type: Literal["cue"] = "cue"
    ref: str = Field(max_length=MAX_REF)
    op: Literal["fire", "hold", "release", "skip"]
    index: int = Field(ge=0, le=MAX_INJECT_INDEX)


class WriteInject(Message):
    """The facilitator writes an inject: it fires at once and is journaled and scored like the scenario's."""

    type: Literal["write"] = "write"
    ref: str = Field(max_length=MAX_REF)
    kind: Name
    zh: str = Field(default="", max_length=MAX_TEXT)
    en: str = Field(default="", max_length=MAX_TEXT)
    """Its text in Chinese and in English; one of them may be left empty (it then reads the other)."""
    roles: list[Name] = Field(default=[], max_length=MAX_ROLES)
    set: dict[Name, bool | Finite | Name] = Field(default={}, max_length=MAX_SET)

    @model_validator(mode="after")
    def _some_text(self) -> WriteInject:
        if not (self.zh.strip() or self.en.strip()):
            raise ValueError("an inject needs its text in Chinese or English")
        return self

    def text(self) -> Text:
        """Both texts, the missing one as the other."""
        return Text(zh=self.zh.strip() or self.en.strip(), en=self.en.strip() or self.zh.strip())


class Say(Message):
    """The facilitator's message to every seat."""

    type: Literal["say"] = "say"
    text: str = Field(min_length=1, max_length=MAX_TEXT)


class SetLang(Message):
    """A seat switches its language: the host's own messages to it (refusals, errors) follow."""

    type: Literal["lang"] = "lang"
    lang: Lang


class Observe(Message):
    """The evaluator's note, kept in the session folder."""

    type: Literal["observe"] = "observe"
    text: str = Field(min_length=1, max_length=MAX_TEXT)


class Rate(Message):
    """The evaluator rates a capability (a plan chapter the drill tests), with a note."""

    type: Literal["rate"] = "rate"
    chapter: int
    letter: Letter
    note: str = Field(default="", max_length=MAX_TEXT)


ClientMessage = Annotated[
    Decide | Control | CueInject | WriteInject | Say | Observe | Rate | SetLang, Field(discriminator="type")
]
CLIENT: TypeAdapter[ClientMessage] = TypeAdapter(ClientMessage)


# host → client


class Welcome(Message, Catalog):
    """Sent first on every connection: who this seat is, and the plan's decisions and names its client shows."""

    type: Literal["welcome"] = "welcome"
    seat: str
    kind: Kind
    roles: list[str]
    lang: Lang
    """The session's language: the client's default."""
    title: Text
    """The scenario's title."""


class Needs(Message):
    """What a document the seat may write must carry now (the host works it out; a browser's form reads it)."""

    required: list[str]
    """The elements it must carry, in the action's order."""
    only: bool
    """It may name nothing else (an announcement's channels at a level the plan gives them)."""


class ViewUpdate(Message):
    """The drill since the seat's cursor (from 0 on a new connection: the whole feed)."""

    type: Literal["view"] = "view"
    view: DrillView
    running: bool
    speed: float
    documents: dict[str, Needs] = {}
    """By action, each document the seat's roles may write, as it stands at the view's instant."""


class Inject(Message):
    """An inject that fired (sent after the view whose feed has it), with its text."""

    type: Literal["inject"] = "inject"
    index: int
    t: float
    kind: str
    text: Text
    player: str | None
    """The role it is addressed to, if any (of several: the first)."""
    roles: list[str] = []
    """Every role it is addressed to (none: the whole room)."""


class Ack(Message):
    """A decision taken (journaled): sent to every seat."""

    type: Literal["ack"] = "ack"
    ref: str | None
    """The deciding seat's ref (None for the other seats)."""
    seq: int
    t: float
    seat: str
    action: str
    role: str


class Cued(Message):
    """The facilitator's cue taken (journaled): sent to the facilitator."""

    type: Literal["cued"] = "cued"
    ref: str
    op: str
    index: int
    """The inject acted on; for a written one, its new index."""
    t: float


class Msel(Message):
    """The MSEL with each inject's status and time: sent to the facilitator only."""

    type: Literal["msel"] = "msel"
    injects: list[MselEntry]


class Error(Message):
    """A message of this seat that was refused."""

    type: Literal["error"] = "error"
    ref: str | None
    message: str


class Note(Message):
    """A message from the facilitator to every seat, or an evaluator's note echoed to its seat."""

    type: Literal["message"] = "message"
    seat: str
    t: float
    text: str


class SeatInfo(Message):
    """A seat of the room and the roles it holds."""

    name: str
    kind: Kind
    roles: list[str]


class Seats(Message):
    """Who is connected, of every seat of the room."""

    type: Literal["seats"] = "seats"
    connected: list[str]
    roster: list[SeatInfo]
    """Every seat, connected or not: the facilitator sees what each owes."""


class Rated(Message):
    """An evaluator's rating, kept (echoed to its seat, and sent again when it reconnects)."""

    type: Literal["rated"] = "rated"
    seat: str
    t: float
    chapter: int
    letter: Letter
    note: str


class SeatScore(Message):
    """A seat's duties at the end."""

    met: int
    late: int
    missed: int


class Ended(Message):
    """The drill is over: each player seat's duties met, late and missed."""

    type: Literal["ended"] = "ended"
    scores: dict[str, SeatScore]


HostMessage = Annotated[
    Welcome | ViewUpdate | Inject | Ack | Cued | Msel | Error | Note | Seats | Rated | Ended, Field(discriminator="type")
]
HOST: TypeAdapter[HostMessage] = TypeAdapter(HostMessage)
