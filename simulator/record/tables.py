"""The event log as plain tables: one CSV per record type, for spreadsheets and analysis tools.

``write_tables(log, folder)`` writes ``Meta.csv`` (one row), ``Complaint.csv`` (one row per
complaint) and ``TYPE.csv`` for each event type the log holds (``InjectFired.csv``,
``DecisionMade.csv``, ...). Columns are the record's fields in order, ``t`` first; times are minutes
from the scenario's start; a stage never reached is an empty cell. A list of pairs is written
``key=value; key=value``, a list ``a; b``; ``Hourly``'s per-team lists become one column per team
(``backlog_hotline``, ``staff_hotline``, ``busy_hotline``, ...). Every column is described in
``docs/event-tables.md``. Files are UTF-8 with a BOM (so that Excel reads the Chinese) and CRLF rows.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterator, Sequence
from dataclasses import fields
from pathlib import Path
from typing import Any

from ..model import CHANNELS, SEVERITIES
from .events import EVENT_TYPES, Event, Hourly
from .log import OUTCOMES, EventLog

PER_TEAM = ("backlog", "staff", "busy")
"""``Hourly`` fields holding one value per team (in the order of ``Meta.teams``)."""
COMPLAINT_TIMES = ("arrive", "hotline_start", "queued", "comms_start", "done")
COMPLAINT_NAMES = (("channel", CHANNELS), ("severity", SEVERITIES), ("outcome", OUTCOMES))

Table = tuple[list[str], list[list[str]]]
"""A header and its rows, as text."""


def cell(value: Any) -> str:
    """A value as a CSV cell: numbers as JSON writes them, NaN empty, booleans true/false, lists joined."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return "" if math.isnan(value) else repr(value)
    if isinstance(value, tuple):
        return "; ".join(f"{v[0]}={v[1]}" if isinstance(v, tuple) else cell(v) for v in value)
    return str(value)


def event_header(kind: type[Event], teams: Sequence[str]) -> list[str]:
    """The columns of a record type's table."""
    names = [f.name for f in fields(kind)]
    if kind is Hourly:
        return [n for name in names for n in ([f"{name}_{team}" for team in teams] if name in PER_TEAM else [name])]
    return names


def _event_row(event: Event) -> list[str]:
    row: list[str] = []
    for f in fields(event):
        value = getattr(event, f.name)
        row += [cell(v) for v in value] if isinstance(event, Hourly) and f.name in PER_TEAM else [cell(value)]
    return row


def tables(log: EventLog) -> Iterator[tuple[str, Table]]:
    """Each table of ``log`` by name: Meta, Complaint, then each event type the log holds, in the log's order."""
    meta = log.meta
    yield "Meta", ([f.name for f in fields(meta)], [[cell(getattr(meta, f.name)) for f in fields(meta)]])
    c = log.complaints
    columns = [getattr(c, name) for name in COMPLAINT_TIMES]
    coded = [(getattr(c, name), names) for name, names in COMPLAINT_NAMES]
    rows = [[cell(col[i]) for col in columns] + [names[codes[i]] for codes, names in coded] for i in range(len(c))]
    yield "Complaint", ([*COMPLAINT_TIMES, *(name for name, _ in COMPLAINT_NAMES)], rows)
    by_kind: dict[str, list[list[str]]] = {}
    for event in log.events:
        by_kind.setdefault(type(event).__name__, []).append(_event_row(event))
    for name, rows in by_kind.items():
        yield name, (event_header(EVENT_TYPES[name], meta.teams), rows)


def write_tables(log: EventLog, folder: Path) -> list[Path]:
    """Write every table of ``log`` as ``folder/NAME.csv``; the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, (header, rows) in tables(log):
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(rows)
        path = folder / f"{name}.csv"
        path.write_text(buf.getvalue(), encoding="utf-8-sig", newline="")
        written.append(path)
    return written
