"""Column mappings: which column of a planner's MSEL fills which part of an inject.

A mapping names, by header text, the key each column fills — a key of
:data:`~simulator.msel.table.COLUMNS`; ``text`` for an inject's text in whichever language each cell
is written in; ``keep`` for a column kept in the inject's notes as ``Header: value``; ``skip`` for one
read by no one (an event number) — with the inject kind of rows that name none and the exercise start
that date-times are counted from. drillsim's own headers are always known; a column no mapping names
is kept in the notes, with a warning.

Built-in presets: ``drillsim`` (its own export), ``hseep`` (HSEEP-style MSEL headers) and ``t3sf``
(the JSON MSEL of T3SF). A user mapping is a YAML or JSON file::

    preset: hseep              # optional: start from a preset
    columns: {Inject Time: at_h, Message: text, Owner: keep}
    kind: info                 # for rows with no kind
    start: "2026-03-02 09:00"  # the exercise start, for date-times and weekday times
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import Field

from ..load import load_yaml, validate
from ..model import Problem, Strict, UserError, ValidationFailed
from .table import COLUMNS

TEXT, KEEP, SKIP = "text", "keep", "skip"
TARGETS: tuple[str, ...] = (*(c.key for c in COLUMNS), TEXT, KEEP, SKIP)
"""What a column may fill."""
REPEATABLE = frozenset({KEEP, SKIP})
"""Targets more than one column may have."""

PresetName = Literal["drillsim", "hseep", "t3sf"]


@dataclass(frozen=True)
class ColumnMap:
    """A mapping ready to read with: header texts (casefolded) to targets, default kind, exercise start."""

    name: str
    columns: Mapping[str, str] = field(default_factory=dict)
    kind: str | None = None
    start: dt.datetime | None = None

    def target(self, header: str) -> str | None:
        """The target of a column by its header text (drillsim's own headers included), or None."""
        text = header.strip().casefold()
        if text in self.columns:
            return self.columns[text]
        return _OWN.get(text) or _OWN.get(text.split()[0]) if text else None

    def known(self, headers: Sequence[str]) -> int:
        """How many of ``headers`` this mapping names (drillsim's own not counted)."""
        return sum(h.strip().casefold() in self.columns for h in headers)

    def with_options(self, kind: str | None, start: dt.datetime | None) -> ColumnMap:
        """The mapping with the command line's default kind and exercise start, where given."""
        return ColumnMap(self.name, self.columns, kind or self.kind, start or self.start)


def _own() -> dict[str, str]:
    names: dict[str, str] = {}
    for c in COLUMNS:
        for label in (c.key, c.zh, c.en, f"{c.key} {c.zh}", f"{c.key} {c.en}"):
            names[label.casefold()] = c.key
    return names


_OWN = _own()
"""drillsim's own headers: a key, its Chinese or English header, or ``KEY header`` as exported."""


def _preset(name: str, columns: dict[str, str], kind: str | None = None) -> ColumnMap:
    return ColumnMap(name, {k.casefold(): v for k, v in columns.items()}, kind)


PRESETS: dict[str, ColumnMap] = {
    "drillsim": _preset("drillsim", {}),
    "hseep": _preset(
        "hseep",
        {
            "Event #": SKIP,
            "Event No.": SKIP,
            "Scenario Time": "at_h",
            "Event Type": "kind",
            "Event Synopsis": TEXT,
            "Intended Player": "player",
            "Expected Action": "expected",
            "Expected Player Action": "expected",
            "Responsible Controller": KEEP,
            "Notes": "notes",
        },
        kind="info",
    ),
    "t3sf": _preset(
        "t3sf",
        {
            "#": SKIP,
            "Real Time": KEEP,
            "Date": "at_h",
            "Subject": "synopsis",
            "From": KEEP,
            "Player": "player",
            "Script": TEXT,
        },
        kind="info",
    ),
}
"""The built-in mappings by name."""


def guess(headers: Sequence[str]) -> ColumnMap:
    """The preset naming the most of ``headers`` (drillsim's own when none names any)."""
    return max(PRESETS.values(), key=lambda m: m.known(headers))


class _MappingFile(Strict):
    """A user's mapping file."""

    preset: PresetName | None = None
    """A preset whose columns and kind this mapping starts from."""
    columns: dict[str, str] = Field(default_factory=dict)
    """Header text → target."""
    kind: str | None = None
    """The inject kind of rows that name none."""
    start: str | None = None
    """The exercise start, ``YYYY-MM-DD HH:MM``."""


def parse_start(text: str) -> dt.datetime | None:
    """An exercise start (``2026-03-02 09:00`` or ``2026-03-02T09:00``), or None if unreadable."""
    try:
        return dt.datetime.fromisoformat(text.strip())
    except ValueError:
        return None


def load_mapping(path: Path) -> ColumnMap:
    """A user mapping file, every bad entry reported at its line and column."""
    doc = load_yaml(path)
    spec = validate(_MappingFile, doc)
    problems: list[Problem] = []
    for header, target in spec.columns.items():
        if target not in TARGETS:
            where = doc.locate(("columns", header))
            problems.append(Problem(where, f"'{target}' is not a column target; expected: {', '.join(TARGETS)}", "columns"))
    start = None
    if spec.start is not None and (start := parse_start(spec.start)) is None:
        problems.append(Problem(doc.locate(("start",)), f"'{spec.start}' is not a date-time such as 2026-03-02 09:00", "start"))
    if problems:
        raise ValidationFailed(problems)
    base = PRESETS[spec.preset] if spec.preset else PRESETS["drillsim"]
    columns = {**base.columns, **{k.strip().casefold(): v for k, v in spec.columns.items()}}
    return ColumnMap(str(path), columns, spec.kind or base.kind, start)


def mapping(name: str) -> ColumnMap:
    """A preset by name, or else a mapping file by path."""
    if name in PRESETS:
        return PRESETS[name]
    path = Path(name)
    if not path.is_file():
        raise UserError(f"--columns: '{name}' is neither a preset ({', '.join(PRESETS)}) nor a mapping file")
    return load_mapping(path)
