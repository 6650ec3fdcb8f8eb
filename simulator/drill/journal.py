"""The journal of a drill session: every decision on disk before the trainee sees it taken.

A journal is a JSON Lines file in the session folder. The first line is the session header
(scenario, plan, seed, trainees); then come decision lines, each written, flushed and
``fsync``-ed before :meth:`Journal.append` returns; cue lines (the facilitator's acts on the MSEL),
likewise on disk before :meth:`Journal.cue` returns; clock lines, flushed only, that say how far
the simulated clock had run; and an end line when the session finished. Replaying the decisions
of a journal against the same scenario and seed gives the same event log.

After a crash the last line may be torn (written in part): readers ignore an incomplete final
line, and :meth:`Journal.reopen` cuts it off before appending. Any other unreadable line is an
error naming the file and line.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO, Annotated, Any, Literal

from pydantic import Field, TypeAdapter, ValidationError

from ..model import Cue, CueOp, Decision, Lang, Seed, SimTime, Strict, Text, UserError, Written, first_problem, read_input
from .trainees import Trainee

JOURNAL = "journal.jsonl"
"""The journal's file name inside a session folder."""
MAX_JOURNAL = 256 * 2**20
"""The largest journal read: far beyond a day's drill (a decision or clock line is ~200 bytes)."""
Time = Annotated[float, Field(ge=0)]
"""A simulated time as a journal line holds it: finite (the strict base refuses NaN and ±inf), not negative."""


def encode_line(rec: dict[str, Any]) -> str:
    """A journal line's JSON text, as compact as it is written."""
    return json.dumps(rec, ensure_ascii=False, separators=(",", ":"))


def wall_now() -> str:
    """The wall-clock time now, ISO 8601 with the local offset."""
    return datetime.now().astimezone().isoformat(timespec="milliseconds")


@dataclass(frozen=True)
class SessionHeader:
    """What a session is a drill of: enough to rebuild its engine."""

    scenario: str
    """Path of the scenario file: relative paths are inside the session folder (its own copy)."""
    plan: str | None
    """Path of the plan file, likewise; None for the bundled plan."""
    seed: int
    trainees: tuple[Trainee, ...]
    lang: Lang
    """The language the session's texts are shown in (``zh`` or ``en``)."""
    started: str
    """Wall-clock start, ISO 8601."""
    digests: tuple[str | None, str | None] = (None, None)
    """SHA-256 of the scenario and the plan file as they were at the start (None: the bundled plan)."""

    def files(self, folder: Path) -> tuple[Path, Path | None]:
        """The scenario and plan files of the session in ``folder`` (None: the bundled plan)."""
        return folder / self.scenario, None if self.plan is None else folder / self.plan

    def line(self) -> str:
        """The journal's first line, this header, without its line break."""
        return encode_line({"kind": "header", **self.to_json()})

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "scenario": self.scenario,
            "plan": self.plan,
            "seed": self.seed,
            "trainees": [t.to_json() for t in self.trainees],
            "lang": self.lang,
            "started": self.started,
            "scenario_sha256": self.digests[0],
            "plan_sha256": self.digests[1],
        }


class _TraineeLine(Strict):
    name: Annotated[str, Field(min_length=1)]
    roles: tuple[str, ...]


class _HeaderLine(Strict):
    kind: Literal["header"]
    scenario: Annotated[str, Field(min_length=1)]
    plan: Annotated[str, Field(min_length=1)] | None
    seed: Seed
    trainees: tuple[_TraineeLine, ...]
    lang: Lang
    started: str
    scenario_sha256: str | None = None
    plan_sha256: str | None = None

    def header(self) -> SessionHeader:
        trainees = tuple(Trainee(t.name, t.roles) for t in self.trainees)
        digests = (self.scenario_sha256, self.plan_sha256)
        return SessionHeader(self.scenario, self.plan, self.seed, trainees, self.lang, self.started, digests)


class _DecisionLine(Strict):
    kind: Literal["decision"]
    t: Time
    action: str
    role: str
    actor: str
    params: dict[str, str]
    contents: tuple[str, ...]
    wall: str
    text: dict[str, str] = Field(default_factory=dict)
    """The document's text by field; journals from before documents had text have none."""

    def decision(self) -> Decision:
        return Decision(self.t, self.action, self.role, self.actor, dict(self.params), self.contents, dict(self.text))


class _TextLine(Strict):
    zh: str
    en: str


class _WrittenLine(Strict):
    kind: str
    text: _TextLine
    roles: tuple[str, ...]
    set: dict[str, bool | float | str]

    def written(self) -> Written:
        return Written(self.kind, Text(zh=self.text.zh, en=self.text.en), self.roles, tuple(self.set.items()))


class _CueLine(Strict):
    kind: Literal["cue"]
    t: Time
    op: CueOp
    by: str
    index: int
    written: _WrittenLine | None = None
    wall: str

    def cue(self) -> Cue:
        return Cue(self.t, self.op, self.by, self.index, self.written.written() if self.written is not None else None)


class _ClockLine(Strict):
    kind: Literal["clock"]
    t: Time


class _EndLine(Strict):
    kind: Literal["end"]
    ended: str


_LINE: TypeAdapter[_HeaderLine | _DecisionLine | _CueLine | _ClockLine | _EndLine] = TypeAdapter(
    Annotated[_HeaderLine | _DecisionLine | _CueLine | _ClockLine | _EndLine, Field(discriminator="kind")]
)


@dataclass(frozen=True)
class JournalContents:
    """What a journal holds."""

    header: SessionHeader
    decisions: list[Decision] = field(default_factory=list)
    """The trainees' decisions, in the order they were taken."""
    cues: list[Cue] = field(default_factory=list)
    """The facilitator's acts on the MSEL, in the order they were taken."""
    clock: SimTime = 0.0
    """The last simulated time the journal recorded (clock or decision line)."""
    ended: bool = False
    """Whether the session finished."""
    lines: list[int] = field(default_factory=list)
    """The line number of each decision."""
    clock_line: int = 1
    """The line that took the clock to :attr:`clock` (the header's, 1, while it is 0)."""


class Journal:
    """An open journal file, appended to line by line."""

    def __init__(self, path: Path, out: IO[str]) -> None:
        self.path = path
        self._out = out

    @classmethod
    def create(cls, folder: Path, header: SessionHeader) -> Journal:
        """Start a new journal in ``folder`` (created if needed) with ``header`` as its first line."""
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / JOURNAL
        try:
            out = path.open("x", encoding="utf-8", newline="\n")
        except FileExistsError:
            raise UserError(f"{path}: a session already lives in this folder; resume it or choose another") from None
        journal = cls(path, out)
        journal._write_line(header.line(), sync=True)
        sync_dir(folder)
        return journal

    @classmethod
    def reopen(cls, folder: Path) -> tuple[Journal, JournalContents]:
        """Open an unfinished session's journal for appending, cutting off a torn last line."""
        contents = read_journal(folder)
        path = folder / JOURNAL
        if contents.ended:
            raise UserError(f"{path}: this session has finished; its results are in {folder}")
        with path.open("r+b") as raw:
            data = raw.read()
            raw.truncate(data.rfind(b"\n") + 1)
        return cls(path, path.open("a", encoding="utf-8", newline="\n")), contents

    def _write(self, rec: dict[str, Any], *, sync: bool) -> None:
        self._write_line(encode_line(rec), sync=sync)

    def _write_line(self, line: str, *, sync: bool) -> None:
        self._out.write(line + "\n")
        self._out.flush()
        if sync:
            os.fsync(self._out.fileno())

    def append(self, decision: Decision) -> None:
        """Record a decision; it is on disk (fsync) when this returns."""
        self._write({"kind": "decision", **decision.to_json(), "wall": wall_now()}, sync=True)

    def cue(self, cue: Cue) -> None:
        """Record a facilitator's act on the MSEL; it is on disk (fsync) when this returns."""
        self._write({"kind": "cue", **cue.to_json(), "wall": wall_now()}, sync=True)

    def clock(self, t: SimTime, *, sync: bool = False) -> None:
        """Record that the simulated clock has reached ``t`` (flushed; fsync-ed only when asked)."""
        self._write({"kind": "clock", "t": t}, sync=sync)

    def close(self, ended: str) -> None:
        """Write the end line (wall-clock ``ended``, ISO 8601) and close the file."""
        self._write({"kind": "end", "ended": ended}, sync=True)
        self._out.close()

    def detach(self) -> None:
        """Close the file without ending the session, so that it can be resumed."""
        self._out.close()


def sync_dir(folder: Path) -> None:
    """Make a new file's directory entry durable (POSIX; elsewhere the file system does it)."""
    if os.name == "posix":
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def read_journal(folder: Path) -> JournalContents:
    """Read the journal of the session in ``folder``.

    An incomplete last line (a write cut short by a crash) is left out; any other line that is not
    a valid journal line is an error naming the file and line, and the file is not changed.
    """
    path = folder / JOURNAL
    if not path.exists() and not path.is_symlink():
        raise UserError(f"{folder}: not a drill-session folder (no {JOURNAL})")
    data = read_input(path, MAX_JOURNAL)
    complete = data[: data.rfind(b"\n") + 1]
    header: SessionHeader | None = None
    decisions: list[Decision] = []
    cues: list[Cue] = []
    lines: list[int] = []
    clock, clock_line = 0.0, 1
    ended = False
    for number, raw in enumerate(complete.splitlines(), start=1):
        try:
            line = _LINE.validate_json(raw)
        except ValidationError as exc:
            raise UserError(f"{path}:{number}: not a journal line ({_first_problem(exc)})") from None
        problem = None
        if header is None:
            if not isinstance(line, _HeaderLine):
                problem = "the first line is not the session header"
            else:
                header = line.header()
        elif isinstance(line, _HeaderLine):
            problem = "a second session header"
        elif ended:
            problem = "a line after the session's end"
        elif isinstance(line, _DecisionLine | _CueLine):
            if line.t < clock:
                problem = f"a {line.kind} at {line.t} after the clock had reached {clock}"
            if isinstance(line, _DecisionLine):
                decisions.append(line.decision())
                lines.append(number)
            else:
                cues.append(line.cue())
            clock, clock_line = line.t, number
        elif isinstance(line, _ClockLine):
            if line.t > clock:
                clock, clock_line = line.t, number
        else:
            ended = True
        if problem is not None:
            raise UserError(f"{path}:{number}: not a journal line ({problem})")
    if header is None:
        raise UserError(f"{path}: no session header; the session never started")
    return JournalContents(header, decisions, cues, clock, ended, lines, clock_line)


def cues_of(folder: Path) -> list[Cue]:
    """The facilitator's cues journaled in ``folder``; none where there is no journal (a batch run's folder)."""
    path = folder / JOURNAL
    return read_journal(folder).cues if path.exists() or path.is_symlink() else []


def _first_problem(exc: ValidationError) -> str:
    """The first thing wrong with a line, with the field it is in."""
    error = exc.errors(include_url=False)[0]
    if error["type"] == "union_tag_invalid":
        return f"unknown line kind {error['input'].get('kind')!r}"
    if error["type"] == "union_tag_not_found":
        return "no line kind"
    return first_problem(exc)
