"""Import an MSEL as a scenario's injects, every bad cell reported by row and column.

Each row becomes an inject; a column is read by what its mapping says it fills (see
:mod:`simulator.msel.mapping`: drillsim's own headers, a preset's, a user's), and a column no mapping
names is kept in the inject's notes, with a warning. Rows are checked one by one as injects, then
against the plan as the injects of the target scenario, so every problem of every row is reported
at once, located as ``file:row:column`` with the column's letter and key (for a JSON MSEL: its line
and column, with the item and the column's name).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import yaml

from ..load import Data, LocPath, Mark, SourceDoc, check_scenario, validate
from ..model import Inject, Location, Plan, Problem, Scenario, Strict, ValidationFailed
from .mapping import KEEP, REPEATABLE, SKIP, TEXT, ColumnMap, guess
from .table import Cell, Table, derived_synopsis, num_text, read_table
from .times import FORMS, StartNeeded, parse_time
from .vocab import SEPARATORS, Vocab

_TRUE, _FALSE = {"true", "yes", "是"}, {"false", "no", "否"}
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
"""A Chinese character: a one-language text holding one is Chinese."""


def _blank(cell: Cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _verbatim(cell: Cell) -> str:
    """A text cell as written (numbers as the export writes them)."""
    if cell is None:
        return ""
    return num_text(cell) if isinstance(cell, float) else str(cell)


def _text(cell: Cell) -> str:
    return _verbatim(cell).strip()


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


@dataclass(frozen=True)
class _Header:
    """What each column of a sheet fills."""

    columns: dict[str, int]
    """Key (or ``text``) → its column, 0-based."""
    kept: list[int]
    """Columns kept in the notes as ``Header: value``."""
    skipped: list[int]
    """Columns read by no one."""

    def key(self, col: int) -> str:
        """The key a column fills, ``keep``, ``skip`` or ``""``."""
        if col in self.kept:
            return KEEP
        return SKIP if col in self.skipped else next((k for k, c in self.columns.items() if c == col), "")


def _header(table: Table, cm: ColumnMap, problems: list[Problem], warnings: list[Problem]) -> _Header:
    columns: dict[str, int] = {}
    kept: list[int] = []
    skipped: list[int] = []
    for i, cell in enumerate(table.rows[0]):
        text = _text(cell)
        if not text:
            continue
        where, _ = table.locate(1, i, "")
        target = cm.target(text)
        if target is None:
            kept.append(i)
            warnings.append(Problem(where, f"unknown column '{text}': kept in each inject's notes", "header"))
        elif target == KEEP:
            kept.append(i)
        elif target == SKIP:
            skipped.append(i)
        elif target in columns and target not in REPEATABLE:
            _, first = table.locate(1, columns[target], "")
            problems.append(Problem(where, f"column '{target}' appears twice (first in {first.partition(', ')[2]})", "header"))
        else:
            columns[target] = i
    file = str(table.path)
    if "at_h" not in columns:
        problems.append(Problem(Location(file, 1), "missing column 'at_h' (场景时间, the scenario time)", "header"))
    if "kind" not in columns and cm.kind is None:
        problems.append(Problem(Location(file, 1), "missing column 'kind' (注入类型); or give a default kind (--kind)", "header"))
    texts = [k for k in (TEXT, "text_zh", "text_en") if k in columns]
    if not texts:
        problems.append(Problem(Location(file, 1), "missing column 'text_zh' or 'text_en' (the inject's text)", "header"))
    elif TEXT in texts and len(texts) > 1:
        problems.append(Problem(Location(file, 1), f"columns {' and '.join(texts)} both give the inject's text", "header"))
    return _Header(columns, kept, skipped)


@dataclass
class _Sheet:
    """An MSEL table being turned into inject data with a mark for every cell."""

    plan: Plan
    table: Table
    head: _Header
    mapping: ColumnMap
    vocab: Vocab
    data: list[dict[str, Any]] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)
    """The sheet row of each inject in ``data``."""
    marks: list[dict[LocPath, Mark]] = field(default_factory=list)
    """Per inject, the (row, column) of each key path inside it."""
    problems: list[Problem] = field(default_factory=list)

    def cell_problem(self, row: int, col: int, message: str) -> None:
        self.problems.append(self.located(row, col, message))

    def located(self, row: int, col: int, message: str) -> Problem:
        """A problem at the cell of sheet ``row`` and 0-based ``col``."""
        where, name = self.table.locate(row, col, self.head.key(col))
        return Problem(where, message, name)

    def add(self, row: int, cells: Sequence[Cell]) -> None:
        col = self.head.columns
        get = {key: (cells[c] if c < len(cells) else None) for key, c in col.items()}
        marks: dict[LocPath, Mark] = {(): (row, 1)}
        for key, c in col.items():
            marks[(key,)] = (row, c + 1)
        item: dict[str, Any] = {"text": self._text(row, get, marks)}
        if item["text"] is None:
            return
        hours = self._time(row, get.get("at_h"))
        item["at_h"] = hours if hours is not None else 0.0
        if synopsis := _verbatim(get.get("synopsis")):
            item["synopsis"] = synopsis
        item["kind"] = self._kind(row, get.get("kind"))
        if player := _text(get.get("player")):
            item["player"] = self.vocab.roles.read(player)
        if expected := [self.vocab.actions.read(a) for a in SEPARATORS.split(_text(get.get("expected"))) if a.strip()]:
            item["expected"] = expected
            for j in range(len(expected)):
                marks[("expected", j)] = (row, col["expected"] + 1)
        if "set" in col and (values := self._set(row, _text(get.get("set")))):
            item["set"] = values
            for name in values:
                marks[("set", name)] = (row, col["set"] + 1)
        if inject_id := _text(get.get("id")):
            item["id"] = inject_id
        for key in ("when", "after"):
            if key in col and (text := _text(get.get(key))):
                item[key] = self._flow(row, col[key], text)
        if notes := self._notes(cells, get.get("notes")):
            item["notes"] = notes
        if item.get("synopsis") in (derived_synopsis(item["text"]["zh"]), derived_synopsis(item["text"]["en"])):
            item.pop("synopsis")  # as the export fills an empty synopsis in
        self.data.append(item)
        self.rows.append(row)
        self.marks.append(marks)

    def _text(self, row: int, get: dict[str, Cell], marks: dict[LocPath, Mark]) -> dict[str, str] | None:
        """The inject's text in both languages, one possibly empty; None (and a problem) when both are."""
        col = self.head.columns
        text = {"zh": _verbatim(get.get("text_zh")), "en": _verbatim(get.get("text_en"))}
        first = col.get(TEXT, col.get("text_zh", col.get("text_en", 0)))
        if TEXT in col:
            one = _verbatim(get.get(TEXT))
            text["zh" if _CJK.search(one) else "en"] = one
        marks[("text",)] = (row, first + 1)
        for lang in ("zh", "en"):
            marks[("text", lang)] = (row, col.get(TEXT, col.get(f"text_{lang}", first)) + 1)
        if not (text["zh"].strip() or text["en"].strip()):
            self.cell_problem(row, first, "the inject needs its text in Chinese or English (the other may stay empty)")
            return None
        return text

    def _time(self, row: int, cell: Cell) -> float | None:
        col = self.head.columns["at_h"]
        try:
            hours = parse_time(cell, self.mapping.start)
        except StartNeeded:
            written = _text(cell)
            message = f"'{written}' counts from the exercise start: give it (--start 2026-03-02 09:00, or 'start:' in a mapping)"
            self.cell_problem(row, col, message)
            return None
        if hours is None:
            self.cell_problem(row, col, f"'{_text(cell)}' is not a time: write {FORMS}")
        return hours

    def _kind(self, row: int, cell: Cell) -> str:
        if not _blank(cell):
            return self.vocab.kinds.read(_text(cell))
        if self.mapping.kind is not None:
            return self.mapping.kind
        self.cell_problem(row, self.head.columns["kind"], "'kind' must not be empty")
        return ""

    def _notes(self, cells: Sequence[Cell], own: Cell) -> str:
        """The notes cell as written, then each kept column as ``Header: value``."""
        header = self.table.rows[0]
        lines = [_verbatim(own)] if not _blank(own) else []
        for c in self.head.kept:
            if c < len(cells) and not _blank(cells[c]):
                lines.append(f"{_text(header[c])}: {_verbatim(cells[c])}")
        return "\n".join(lines)

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
                self.cell_problem(row, self.head.columns["set"], f"'{part}' is not NAME=VALUE")
                continue
            try:
                out[name] = _set_value(self.plan, name, value)
            except ValueError:
                kind = self.plan.indicators[name].kind
                self.cell_problem(row, self.head.columns["set"], f"'{value}' is not a valid {kind} value for '{name}'")
        return out

    def relocate(self, p: Problem) -> Problem:
        """Name a problem's place as row and column (the doc's marks are sheet rows and columns)."""
        loc = p.location
        if loc.line is None or loc.column is None:
            return p
        return self.located(loc.line, loc.column - 1, p.message)


def read_msel(
    path: Path,
    plan: Plan,
    base: Scenario,
    columns: ColumnMap | None = None,
    warnings: list[Problem] | None = None,
    kind: str | None = None,
    start: dt.datetime | None = None,
) -> list[Inject]:
    """The injects of an MSEL file, checked as the injects of ``base`` under ``plan``.

    ``columns`` says what each column fills (default: the preset that names most of the header);
    ``kind`` and ``start``, where given, replace its default kind and exercise start.
    Columns kept in the notes unasked are added to ``warnings``. Raises ValidationFailed listing every
    bad cell by row and column.
    """
    table = read_table(path)
    file = str(path)
    if not table.rows:
        raise ValidationFailed([Problem(Location(file), "the file is empty; the first row must name the columns")])
    problems: list[Problem] = []
    found: list[Problem] = []
    cm = (columns or guess([_text(c) for c in table.rows[0]])).with_options(kind, start)
    head = _header(table, cm, problems, found)
    if problems:
        raise ValidationFailed(problems)
    if warnings is not None:
        warnings += found
    sheet = _Sheet(plan, table, head, cm, Vocab.of(plan), problems=problems)
    named = {i for i, c in enumerate(table.rows[0]) if not _blank(c)}
    for r, cells in enumerate(table.rows[1:], start=2):
        stray = [i for i, c in enumerate(cells) if i not in named and not _blank(c)]
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
            problems += [sheet.relocate(p) for p in exc.problems]
    checked = base.model_copy(update={"injects": injects})
    problems += [sheet.relocate(p) for p in check_scenario(checked, plan, sheet.doc(path, valid))]
    if problems:
        raise ValidationFailed(problems)
    return injects


class _Injects(Strict):
    """Only the injects of a scenario (for validating an MSEL on its own)."""

    injects: list[Inject]
