"""Import an MSEL spreadsheet as a scenario's injects, every bad cell reported by row and column.

Each row becomes an inject; a cell is read by its column's meaning (see :mod:`simulator.msel.table`).
Rows are checked one by one as injects, then against the plan as the injects of the target
scenario, so every problem of every row is reported at once, located as ``file:row:column``
with the column's letter and key.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import yaml

from ..load import Data, LocPath, Mark, SourceDoc, check_scenario, validate
from ..model import Inject, Location, Plan, Problem, Scenario, Strict, ValidationFailed
from .table import COLUMNS, Cell, column_letter, num_text, read_table

# Matched in full against stripped text: no space to spare at either end, so matching stays linear in the
# text's length (a trailing ``\s*`` after ``\s*h?`` took quadratic time on a cell of spaces).
_TIME = re.compile(r"(?:(\d+(?:\.\d+)?)\s*d)?\s*(?:(\d+(?:\.\d+)?)\s*h?)?", re.IGNORECASE)
_CLOCK = re.compile(r"(\d+):([0-5]\d)")
_SPLIT = re.compile(r"[;,;,、\n]")
_TRUE, _FALSE = {"true", "yes", "是"}, {"false", "no", "否"}


def _blank(cell: Cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _verbatim(cell: Cell) -> str:
    """A text cell as written (numbers as the export writes them)."""
    if cell is None:
        return ""
    return num_text(cell) if isinstance(cell, float) else str(cell)


def _text(cell: Cell) -> str:
    return _verbatim(cell).strip()


def _header(cells: Sequence[Cell], problems: list[Problem], file: str) -> dict[str, int]:
    names = {}
    for c in COLUMNS:
        for label in (c.key, c.zh, c.en, f"{c.key} {c.zh}"):
            names[label.casefold()] = c.key
    found: dict[str, int] = {}
    for i, cell in enumerate(cells):
        text = _text(cell)
        if not text:
            continue
        key = names.get(text.casefold()) or names.get(text.split()[0].casefold())
        where = Location(file, 1, i + 1)
        if key is None:
            problems.append(Problem(where, f"unknown column '{text}'; expected: {', '.join(c.key for c in COLUMNS)}", "header"))
        elif key in found:
            first = column_letter(found[key])
            problems.append(Problem(where, f"column '{key}' appears twice (first in column {first})", "header"))
        else:
            found[key] = i
    for c in COLUMNS:
        if c.required and c.key not in found:
            problems.append(Problem(Location(file, 1), f"missing column '{c.key}' ({c.zh})", "header"))
    return found


def parse_time(cell: Cell) -> float | None:
    """Hours from a time cell: 36, '36.5', '36h', '1d12h', '36:30' or a duration cell; None if unreadable."""
    if isinstance(cell, bool):
        return None
    if isinstance(cell, (int, float)):  # nan, ±inf and whole numbers beyond a float's range are no time
        return float(cell) if abs(cell) <= sys.float_info.max else None
    if isinstance(cell, dt.timedelta):
        return cell.total_seconds() / 3600
    if isinstance(cell, dt.time):
        return cell.hour + cell.minute / 60 + cell.second / 3600
    text = _text(cell)
    if m := _CLOCK.fullmatch(text):
        hours = float(m[1]) + int(m[2]) / 60
    elif (m := _TIME.fullmatch(text)) and (m[1] or m[2]):
        hours = float(m[1] or 0) * 24 + float(m[2] or 0)
    else:
        try:
            hours = float(text)
        except ValueError:
            return None
    return hours if math.isfinite(hours) else None


def _set_value(plan: Plan, name: str, text: str) -> bool | float | str:
    """An indicator value typed by the plan's indicator kind (guessed for unknown names)."""
    ind = plan.indicators.get(name)
    kind = ind.kind if ind is not None else None
    low = text.casefold()
    if kind in ("flag", None) and low in _TRUE | _FALSE:
        return low in _TRUE
    if kind in ("number", None):
        try:
            number = float(text)
        except ValueError:
            if kind == "number":
                raise
        else:
            if not math.isfinite(number):
                raise ValueError(text)
            return number
    if kind == "flag":
        raise ValueError(text)
    return text


@dataclass
class _Sheet:
    """An MSEL table being turned into inject data with a mark for every cell."""

    plan: Plan
    file: str
    columns: dict[str, int]
    data: list[dict[str, Any]] = field(default_factory=list)
    marks: list[dict[LocPath, Mark]] = field(default_factory=list)
    """Per inject, the (row, column) of each key path inside it."""
    problems: list[Problem] = field(default_factory=list)

    def cell_problem(self, row: int, col: int, message: str) -> None:
        key = next((k for k, c in self.columns.items() if c == col), "")
        self.problems.append(_located(self.file, row, col, message, key))

    def add(self, row: int, cells: Sequence[Cell]) -> None:
        col = self.columns
        get = {key: (cells[c] if c < len(cells) else None) for key, c in col.items()}
        loc: LocPath = ()
        marks: dict[LocPath, Mark] = {loc: (row, 1)}
        item: dict[str, Any] = {"text": {"zh": _verbatim(get.get("text_zh")), "en": _verbatim(get.get("text_en"))}}
        for key, c in col.items():
            marks[(*loc, key)] = (row, c + 1)
            if key in ("kind", "text_zh", "text_en") and _blank(get.get(key)):
                self.cell_problem(row, c, f"'{key}' must not be empty")
        marks[(*loc, "text")] = (row, col.get("text_zh", 0) + 1)
        marks[(*loc, "text", "zh")] = (row, col.get("text_zh", 0) + 1)
        marks[(*loc, "text", "en")] = (row, col.get("text_en", 0) + 1)
        hours = parse_time(get.get("at_h"))
        if hours is None:
            written = _text(get.get("at_h"))
            self.cell_problem(row, col["at_h"], f"'{written}' is not a time: write hours (36, 36.5, 36h), 1d12h or 36:30")
        item["at_h"] = hours if hours is not None else 0.0
        item["kind"] = _text(get.get("kind"))
        if synopsis := _verbatim(get.get("synopsis")):
            item["synopsis"] = synopsis
        if player := _text(get.get("player")):
            item["player"] = player
        if expected := [a.strip() for a in _SPLIT.split(_text(get.get("expected"))) if a.strip()]:
            item["expected"] = expected
            for j in range(len(expected)):
                marks[(*loc, "expected", j)] = (row, col["expected"] + 1)
        if "set" in col and (values := self._set(row, _text(get.get("set")))):
            item["set"] = values
            for name in values:
                marks[(*loc, "set", name)] = (row, col["set"] + 1)
        if inject_id := _text(get.get("id")):
            item["id"] = inject_id
        for key in ("when", "after"):
            if key in col and (text := _text(get.get(key))):
                item[key] = self._flow(row, col[key], text)
        self.data.append(item)
        self.marks.append(marks)

    def doc(self, path: Path, rows: Sequence[int]) -> SourceDoc:
        """A document of the injects at ``rows`` (indices into ``data``), marked by sheet row and column."""
        marks: dict[LocPath, Mark] = {(): (1, 1), ("injects",): (1, 1)}
        for k, i in enumerate(rows):
            marks.update({("injects", k, *rel): m for rel, m in self.marks[i].items()})
        return SourceDoc(cast("Data", {"injects": [self.data[i] for i in rows]}), path, marks, marks)

    def _flow(self, row: int, col: int, text: str) -> object:
        """A cell written as YAML in flow style (a condition, what an inject waits for); no anchors, aliases or tags."""
        if any(c in text for c in "&*!"):
            self.cell_problem(row, col, "write it as a plain mapping such as {decision: NAME}, without &, * or !")
            return None
        try:
            return yaml.safe_load(text)
        except yaml.YAMLError as exc:
            self.cell_problem(row, col, f"not readable as {{key: value, ...}} ({getattr(exc, 'problem', None) or exc})")
            return None

    def _set(self, row: int, text: str) -> dict[str, bool | float | str]:
        out: dict[str, bool | float | str] = {}
        for part in (p.strip() for p in re.split(r"[;;\n]", text)):
            name, sep, value = (x.strip() for x in part.partition("="))
            if not part:
                continue
            if not sep or not name or not value:
                self.cell_problem(row, self.columns["set"], f"'{part}' is not NAME=VALUE")
                continue
            try:
                out[name] = _set_value(self.plan, name, value)
            except ValueError:
                kind = self.plan.indicators[name].kind
                self.cell_problem(row, self.columns["set"], f"'{value}' is not a valid {kind} value for '{name}'")
        return out


def _located(file: str, row: int, col: int, message: str, key: str) -> Problem:
    """A problem at a cell: ``row`` as numbered in the sheet, ``col`` 0-based."""
    field = f"row {row}, column {column_letter(col)}" + (f" ({key})" if key else "")
    return Problem(Location(file, row, col + 1), message, field)


def read_msel(path: Path, plan: Plan, base: Scenario) -> list[Inject]:
    """The injects of an MSEL file, checked as the injects of ``base`` under ``plan``.

    Raises ValidationFailed listing every bad cell by row and column.
    """
    table = read_table(path)
    file = str(path)
    if not table:
        raise ValidationFailed([Problem(Location(file), "the file is empty; the first row must name the columns")])
    problems: list[Problem] = []
    columns = _header(table[0], problems, file)
    if problems:
        raise ValidationFailed(problems)
    sheet = _Sheet(plan, file, columns, problems=problems)
    known = set(columns.values())
    for r, cells in enumerate(table[1:], start=2):
        stray = [i for i, c in enumerate(cells) if i not in known and not _blank(c)]
        if stray:
            sheet.cell_problem(r, stray[0], "a value in a column with no known header")
        if not all(_blank(c) for c in cells):
            sheet.add(r, cells)
    valid: list[int] = []
    injects: list[Inject] = []
    for i in range(len(sheet.data)):
        try:
            injects += validate(_Injects, sheet.doc(path, [i])).injects
            valid.append(i)
        except ValidationFailed as exc:
            problems += [_relocate(p, columns) for p in exc.problems]
    checked = base.model_copy(update={"injects": injects})
    problems += [_relocate(p, columns) for p in check_scenario(checked, plan, sheet.doc(path, valid))]
    if problems:
        raise ValidationFailed(problems)
    return injects


def _relocate(p: Problem, columns: dict[str, int]) -> Problem:
    """Name a problem's place as row and column (the doc's marks are sheet rows and columns)."""
    loc = p.location
    if loc.line is None or loc.column is None:
        return p
    col = loc.column - 1
    key = next((k for k, c in columns.items() if c == col), "")
    return _located(loc.file, loc.line, col, p.message, key)


class _Injects(Strict):
    """Only the injects of a scenario (for validating an MSEL on its own)."""

    injects: list[Inject]
