"""The append-only event log of a run, kept compact and written as JSON Lines.

Discrete events are typed records (``events.py``). Complaints, which may number in the
millions, are kept column by column in typed arrays: one row per complaint, appended when the
complaint closes (answered or abandoned) or when the run ends with it still open.
"""

from __future__ import annotations

import json
import math
from array import array
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import IO, Any

import numpy as np

from ..model import CHANNELS, SEVERITIES, UserError, open_input
from .events import EVENT_TYPES, SPARSE, Event

OPEN, ANSWERED, ABANDONED = 0, 1, 2
OUTCOMES = ("open", "answered", "abandoned")
NAN = math.nan
_CHUNK = 1 << 16
"""Complaint rows formatted at a time when writing."""


@dataclass(frozen=True)
class Meta:
    """What a log is a log of."""

    plan_id: str
    plan_version: str
    scenario_id: str
    seed: int
    horizon: float
    teams: tuple[str, ...]
    """Team order used by ``Hourly.backlog``."""
    staff: tuple[tuple[str, int], ...]
    """Staff at the start, per team."""


@dataclass
class ComplaintTable:
    """Column store of complaint lifecycles; times in minutes, NaN where a stage never began."""

    arrive: array[float] = field(default_factory=lambda: array("d"))
    hotline_start: array[float] = field(default_factory=lambda: array("d"))
    queued: array[float] = field(default_factory=lambda: array("d"))
    """When the complaint joined the customer-communication queue."""
    comms_start: array[float] = field(default_factory=lambda: array("d"))
    done: array[float] = field(default_factory=lambda: array("d"))
    """Answered or abandoned at."""
    channel: array[int] = field(default_factory=lambda: array("B"))
    severity: array[int] = field(default_factory=lambda: array("B"))
    outcome: array[int] = field(default_factory=lambda: array("B"))

    def append(
        self,
        arrive: float,
        hotline_start: float,
        queued: float,
        comms_start: float,
        done: float,
        channel: int,
        severity: int,
        outcome: int,
    ) -> None:
        """Append one complaint's row."""
        self.arrive.append(arrive)
        self.hotline_start.append(hotline_start)
        self.queued.append(queued)
        self.comms_start.append(comms_start)
        self.done.append(done)
        self.channel.append(channel)
        self.severity.append(severity)
        self.outcome.append(outcome)

    def __len__(self) -> int:
        return len(self.arrive)

    def count(self, outcome: int) -> int:
        """How many complaints ended with ``outcome``."""
        return self.outcome.count(outcome)


def columns(table: ComplaintTable) -> dict[str, np.ndarray]:
    """The complaint table as numpy arrays (no copies)."""
    out: dict[str, np.ndarray] = {}
    for name in ("arrive", "hotline_start", "queued", "comms_start", "done"):
        out[name] = np.frombuffer(getattr(table, name), dtype=np.float64) if len(table) else np.zeros(0)
    for name in ("channel", "severity", "outcome"):
        out[name] = np.frombuffer(getattr(table, name), dtype=np.uint8) if len(table) else np.zeros(0, np.uint8)
    return out


def _unnum(x: float | None) -> float:
    return NAN if x is None else float(x)


@dataclass
class EventLog:
    """A run's records: meta, discrete events in the order they happened, complaint rows."""

    meta: Meta
    events: list[Event] = field(default_factory=list)
    complaints: ComplaintTable = field(default_factory=ComplaintTable)

    def append(self, event: Event) -> None:
        """Append a record."""
        self.events.append(event)

    def of(self, kind: type[Event]) -> Iterator[Any]:
        """The records of one type, in order."""
        return (e for e in self.events if type(e) is kind)

    def write(self, path: Path) -> None:
        """Write the log as JSON Lines: a meta line, the events, then one line per complaint."""
        with path.open("w", encoding="utf-8") as out:
            self._write(out)

    def _write(self, out: IO[str]) -> None:
        dump = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
        out.write(dump({"type": "Meta", **asdict(self.meta)}) + "\n")
        for ev in self.events:
            out.write(dump(event_record(ev)) + "\n")
        self._write_complaints(out, dump)

    def _write_complaints(self, out: IO[str], dump: Callable[[Any], str]) -> None:
        """One line per complaint, as ``json`` would write it, formatted many rows at a time.

        ``%r`` of a float is JSON's spelling of it; a NaN (a stage never reached) comes out as
        ``nan`` and becomes ``null`` — every time field is followed by a comma, and no name
        contains ``:nan,``.
        """
        c = self.complaints
        names = [[dump(name) for name in kind] for kind in (CHANNELS, SEVERITIES, OUTCOMES)]
        line = (
            '{"type":"Complaint","arrive":%r,"hotline_start":%r,"queued":%r,"comms_start":%r,"done":%r,'
            '"channel":%s,"severity":%s,"outcome":%s}\n'
        )
        for at in range(0, len(c), _CHUNK):
            part = slice(at, at + _CHUNK)
            rows = zip(
                c.arrive[part],
                c.hotline_start[part],
                c.queued[part],
                c.comms_start[part],
                c.done[part],
                map(names[0].__getitem__, c.channel[part]),
                map(names[1].__getitem__, c.severity[part]),
                map(names[2].__getitem__, c.outcome[part]),
                strict=True,
            )
            out.write("".join(map(line.__mod__, rows)).replace(":nan,", ":null,"))

    @classmethod
    def read(cls, path: Path) -> EventLog:
        """Read a log written by :meth:`write`.

        A line that is not UTF-8 JSON of a record, or that holds NaN or ±Infinity, is an error naming it.
        """
        with open_input(path) as lines:
            log: EventLog | None = None
            for number, line in enumerate(lines, start=1):
                try:
                    rec = json.loads(line, parse_constant=_no_constant)
                    kind = rec.pop("type")
                    if log is None:
                        if kind != "Meta":
                            raise ValueError("the first line is not the log's Meta record")
                        log = cls(_meta(rec))
                    elif kind == "Complaint":
                        _append_row(log.complaints, rec)
                    else:
                        log.events.append(_event(EVENT_TYPES[kind], rec))
                except (ValueError, KeyError, TypeError) as exc:
                    raise UserError(f"{path}:{number}: not an event-log line ({exc})") from None
        if log is None:
            raise UserError(f"{path}: empty event log")
        return log


def event_record(event: Event) -> dict[str, Any]:
    """An event as its line in the log: ``type`` and its fields, as JSON has them (tuples as lists)."""
    values = ((f.name, getattr(event, f.name)) for f in fields(event))
    return {"type": type(event).__name__, **{k: _plain(v) for k, v in values if v or k not in SPARSE}}


def _plain(value: Any) -> Any:
    return [_plain(v) for v in value] if isinstance(value, tuple) else value


def event_from_record(rec: dict[str, Any]) -> Event:
    """The inverse of :func:`event_record` (the record is not changed)."""
    rec = dict(rec)
    return _event(EVENT_TYPES[rec.pop("type")], rec)


def _no_constant(name: str) -> float:
    """Refuse JSON's NaN and ±Infinity: no record holds one (a complaint's stage never reached is null)."""
    raise ValueError(f"{name} is not a number a log holds")


def _meta(rec: dict[str, Any]) -> Meta:
    rec["teams"] = tuple(rec["teams"])
    rec["staff"] = tuple((k, v) for k, v in rec["staff"])
    return Meta(**rec)


def _event(cls: type[Event], rec: dict[str, Any]) -> Event:
    for f in fields(cls):
        value = rec.get(f.name)  # a field added since the log was written keeps its default
        if isinstance(value, list):
            rec[f.name] = tuple(tuple(v) if isinstance(v, list) else v for v in value)
    return cls(**rec)


def _append_row(table: ComplaintTable, rec: dict[str, Any]) -> None:
    table.append(
        float(rec["arrive"]),
        _unnum(rec["hotline_start"]),
        _unnum(rec["queued"]),
        _unnum(rec["comms_start"]),
        _unnum(rec["done"]),
        CHANNELS.index(rec["channel"]),
        SEVERITIES.index(rec["severity"]),
        OUTCOMES.index(rec["outcome"]),
    )
