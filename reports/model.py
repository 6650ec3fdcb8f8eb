"""The report as data: sections of blocks whose numbers remember where they came from.

Every number a report shows is a :class:`Val` that names its source — a path into the run's
``summary.json``, a total over its rules, or a record of the event log — so that a test can
check each one against the source. Renderers (HTML, Markdown) only lay these blocks out.

Sources:

- ``summary:a.b.0.c`` — a value of ``summary.json`` (dotted path; list items by position);
- ``total:FIELD`` / ``chapter:N.FIELD`` — the sum of ``summary.json`` ``rules[*][FIELD]`` over all
  rules, or over the rules whose section lies in the plan's chapter N (``scored`` is
  met + late + missed);
- ``log:decision.SEQ`` / ``log:done.SEQ`` / ``log:inject.INDEX`` — the time of a decision, of
  its action's completion, of an inject, in the event log;
- ``variant:K/SOURCE`` — SOURCE in the K-th comparison run (auto-responder or what-if).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from simulator.model import Lang

Kind = Literal["int", "plain", "pct", "share", "hours", "minutes", "clock", "days", "str"]
"""How a value is shown: a count, an ID-like integer, a percentage, a fraction shown as a
percentage, hours, minutes (in hours from ``LONG_MINUTES``), a simulated clock time (value in minutes from the start), a span in
days (value in minutes), a verbatim text."""


LONG_MINUTES = 120
"""Durations from this many minutes up are shown in hours."""


@dataclass(frozen=True)
class Val:
    """A value shown in a report, with its source."""

    value: float | int | str | None
    src: str
    kind: Kind = "int"


@dataclass(frozen=True)
class Mark:
    """A styled token: a rating letter, a duty status, a rule ID, a date (``cls`` says which)."""

    text: str
    cls: str


Piece = str | Val | Mark
Frag = tuple[Piece, ...]
"""A run of text, values and marks."""


@dataclass(frozen=True)
class Para:
    """A paragraph."""

    frag: Frag


@dataclass(frozen=True)
class Item:
    """A list item, with its own sub-items."""

    frag: Frag
    sub: tuple[Frag, ...] = ()


@dataclass(frozen=True)
class Bullets:
    """A list; numbered for areas for improvement."""

    items: tuple[Item, ...]
    numbered: bool = False


@dataclass(frozen=True)
class Table:
    """A table; ``numeric`` columns are right-aligned."""

    head: tuple[str, ...]
    rows: tuple[tuple[Frag, ...], ...]
    numeric: frozenset[int] = frozenset()
    keyed: bool = False
    """A two-column table of items and values (the first column kept on one line)."""


@dataclass(frozen=True)
class Chart:
    """A chart by key (its files are ``charts/KEY.LANG.png`` and ``.svg``)."""

    key: str
    caption: str


Block = Para | Bullets | Table | Chart


@dataclass(frozen=True)
class Section:
    """A titled part of the report; ``sub`` are its subsections."""

    id: str
    title: str
    blocks: tuple[Block, ...] = ()
    sub: tuple[Section, ...] = field(default=())


@dataclass(frozen=True)
class Report:
    """A whole after-action report."""

    lang: Lang
    title: str
    subtitle: str
    sections: tuple[Section, ...]


def fmt(v: Val, lang: Lang) -> str:
    """The text a value is shown as."""
    x = v.value
    if x is None:
        return "—"
    if v.kind == "str" or isinstance(x, str):
        return str(x)
    zh = lang == "zh"
    if v.kind == "int":
        return f"{round(x):,}"
    if v.kind == "plain":
        return str(round(x))
    if v.kind == "pct":
        return f"{x:.1f}%"
    if v.kind == "share":
        return f"{100 * x:.1f}%"
    if v.kind == "hours":
        return f"{x:.1f}小时" if zh else f"{x:.1f} h"
    if v.kind == "minutes" and x >= LONG_MINUTES:
        return f"{x / 60:.1f}小时" if zh else f"{x / 60:.1f} h"
    if v.kind == "minutes":
        return f"{x:.0f}分钟" if zh else f"{x:.0f} min"
    if v.kind == "days":
        return f"{x / 1440:g}天" if zh else f"{x / 1440:g} days"
    return clock(x, lang)


def clock(minutes: float, lang: Lang) -> str:
    """A simulated time as day and clock: ``D3 00:30`` / ``第3天 00:30`` (day 1 is the first)."""
    total = round(minutes)
    day, rest = divmod(total, 1440)
    hh, mm = divmod(rest, 60)
    return f"第{day + 1}天 {hh:02d}:{mm:02d}" if lang == "zh" else f"D{day + 1} {hh:02d}:{mm:02d}"
