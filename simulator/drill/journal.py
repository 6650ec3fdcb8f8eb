"""The journal of a drill session: every decision on disk before the trainee sees it taken.

A journal is a JSON Lines file in the session folder. The first line is the session header
(scenario, plan, seed, trainees); then come decision lines, each written, flushed and
``fsync``-ed before :meth:`Journal.append` returns; clock lines, flushed only, that say how far
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
from typing import IO, Any

from ..model import Decision, SimTime, UserError
from .trainees import Trainee

JOURNAL = "journal.jsonl"
"""The journal's file name inside a session folder."""


def wall_now() -> str:
    """The wall-clock time now, ISO 8601 with the local offset."""
    return datetime.now().astimezone().isoformat(timespec="milliseconds")


@dataclass(frozen=True)
class SessionHeader:
    """What a session is a drill of: enough to rebuild its engine."""

    scenario: str
    """Path of the scenario file."""
    plan: str | None
    """Path of the plan file; None for the bundled plan."""
    seed: int
    trainees: tuple[Trainee, ...]
    lang: str
    """The language the session's texts are shown in (``zh`` or ``en``)."""
    started: str
    """Wall-clock start, ISO 8601."""

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "scenario": self.scenario,
            "plan": self.plan,
            "seed": self.seed,
            "trainees": [t.to_json() for t in self.trainees],
            "lang": self.lang,
            "started": self.started,
        }

    @classmethod
    def from_json(cls, rec: dict[str, Any]) -> SessionHeader:
        """The inverse of :meth:`to_json`."""
        plan = rec["plan"]
        return cls(
            scenario=str(rec["scenario"]),
            plan=None if plan is None else str(plan),
            seed=int(rec["seed"]),
            trainees=tuple(Trainee.from_json(t) for t in rec["trainees"]),
            lang=str(rec["lang"]),
            started=str(rec["started"]),
        )


@dataclass(frozen=True)
class JournalContents:
    """What a journal holds."""

    header: SessionHeader
    decisions: list[Decision] = field(default_factory=list)
    """The trainees' decisions, in the order they were taken."""
    clock: SimTime = 0.0
    """The last simulated time the journal recorded (clock or decision line)."""
    ended: bool = False
    """Whether the session finished."""


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
        journal._write({"kind": "header", **header.to_json()}, sync=True)
        _sync_dir(folder)
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
        self._out.write(json.dumps(rec, ensure_ascii=False, separators=(",", ":")) + "\n")
        self._out.flush()
        if sync:
            os.fsync(self._out.fileno())

    def append(self, decision: Decision) -> None:
        """Record a decision; it is on disk (fsync) when this returns."""
        self._write({"kind": "decision", **decision.to_json(), "wall": wall_now()}, sync=True)

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


def _sync_dir(folder: Path) -> None:
    """Make a new file's directory entry durable (POSIX; elsewhere the file system does it)."""
    if os.name == "posix":
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def read_journal(folder: Path) -> JournalContents:
    """Read the journal of the session in ``folder``."""
    path = folder / JOURNAL
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise UserError(f"{folder}: not a drill-session folder (no {JOURNAL})") from None
    complete = data[: data.rfind(b"\n") + 1]
    header: SessionHeader | None = None
    decisions: list[Decision] = []
    clock = 0.0
    ended = False
    for number, line in enumerate(complete.splitlines(), start=1):
        try:
            rec = json.loads(line.decode("utf-8"))
            kind = rec["kind"]
            if header is None:
                if kind != "header":
                    raise ValueError("the first line is not the session header")
                header = SessionHeader.from_json(rec)
            elif kind == "decision":
                decision = Decision.from_json(rec)
                if decision.t < clock:
                    raise ValueError(f"decision at {decision.t} after the clock had reached {clock}")
                decisions.append(decision)
                clock = decision.t
            elif kind == "clock":
                clock = max(clock, float(rec["t"]))
            elif kind == "end":
                ended = True
            else:
                raise ValueError(f"unknown line kind {kind!r}")
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise UserError(f"{path}:{number}: not a journal line ({exc})") from None
    if header is None:
        raise UserError(f"{path}: no session header; the session never started")
    return JournalContents(header, decisions, clock, ended)
