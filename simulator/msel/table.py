"""The MSEL (master scenario events list) as a spreadsheet: CSV and XLSX import and export.

Trainers keep inject lists in spreadsheets. One row per inject, a header row first, columns:

==========  ====================  =====================================================
key         header (zh)           content
==========  ====================  =====================================================
at_h        场景时间(小时)        scenario time: hours (36, 36.5, 36h), 1d12h, or 36:30
synopsis    摘要                  a short title
kind        注入类型              incident_report, media, injury, regulator_letter, ...
player      接收角色              the plan role the inject is for (empty: none)
expected    预期行动              expected actions, separated by ``;``
text_zh     中文内容              the inject's text in Chinese
text_en     英文内容              the inject's text in English
set         设定指标              indicator values it sets: ``media=regional; event_open=true``
id          注入编号              the inject's id, for ``after`` of other injects
when        触发条件              its condition, in the scenario file's words:
                                  ``{decision: open_backup_hotline, taken: false}``
after       相对于                what it waits for: ``{inject: collapse, delay_h: 2}``
==========  ====================  =====================================================

A header cell may be the key, its Chinese or English header, or ``KEY 中文`` as exported.
Export then import (:func:`simulator.msel.reader.read_msel`) gives back the same injects, exactly.
XLSX support needs openpyxl, imported only when used. CSV is written as UTF-8 with BOM (for
Excel) and read as UTF-8, else as GB18030 as saved by Chinese Excel.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..model import Inject, Lang, Location, Plan, UserError, read_input
from .vocab import Vocab

Cell = str | int | float | bool | dt.datetime | dt.time | dt.timedelta | None
"""A spreadsheet cell as read (CSV cells are always text)."""


@dataclass(frozen=True)
class Column:
    """One column of the MSEL sheet."""

    key: str
    zh: str
    en: str
    required: bool = False


COLUMNS: tuple[Column, ...] = (
    Column("at_h", "场景时间(小时)", "scenario time (h)", True),
    Column("synopsis", "摘要", "synopsis"),
    Column("kind", "注入类型", "inject kind", True),
    Column("player", "接收角色", "intended player"),
    Column("expected", "预期行动", "expected actions"),
    Column("text_zh", "中文内容", "text (zh)", True),
    Column("text_en", "英文内容", "text (en)", True),
    Column("set", "设定指标", "indicator values set"),
    Column("id", "注入编号", "inject id"),
    Column("when", "触发条件", "condition"),
    Column("after", "相对于", "after"),
    Column("notes", "备注", "notes"),
)
FORMATS = (".csv", ".xlsx", ".json")
MAX_BYTES = 16 * 2**20
"""The largest MSEL file read."""
MAX_UNPACKED = 64 * 2**20
"""The most an XLSX workbook may unpack to, all its parts together, as its zip headers declare (a part
holding more than it declares fails its checksum as it is read)."""
MAX_ROWS = 10_000
"""The most rows an MSEL sheet may have, its header included."""
MAX_COLUMNS = 64
"""The most columns an MSEL sheet may have."""
MAX_CELL = 32_767
"""The most characters a cell may hold (Excel's own limit)."""


def column_letter(index: int) -> str:
    """Spreadsheet letters of a 0-based column index: 0 → A, 26 → AA."""
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


# -- export ------------------------------------------------------------------------------------


def num_text(x: float) -> str:
    """A number as the export writes it: whole numbers without a point, others exactly."""
    return str(int(x)) if float(x).is_integer() else repr(float(x))


def _value(v: bool | float | str) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    return num_text(v) if isinstance(v, (int, float)) else v


_SENTENCE = re.compile(r"[。！？!?]|\.(?:\s|$)")
SYNOPSIS_CHARS = 40
"""The longest synopsis the export fills in from an inject's text."""


def derived_synopsis(text: str) -> str:
    """The synopsis the export writes for an inject without one: its text's first sentence, shortened."""
    line = text.strip().split("\n", 1)[0].strip()
    if m := _SENTENCE.search(line):
        line = line[: m.start()]
    return line if len(line) <= SYNOPSIS_CHARS else line[: SYNOPSIS_CHARS - 1] + "…"


def flow(data: object) -> str:
    """Data as one line of YAML in flow style, as a scenario file may write it: ``{decision: x, taken: false}``."""
    return yaml.dump(data, default_flow_style=True, allow_unicode=True, sort_keys=False, width=MAX_CELL).strip()


def in_order(injects: Sequence[Inject]) -> list[Inject]:
    """The injects in order of time as a planner reads an MSEL.

    A fixed inject sits at its time; one after another inject at that one's place plus its delay; a
    conditional one (or one after a decision) no earlier than its ``at_h`` nor than the inject before
    it in the scenario, since it cannot be placed by a time of its own. Ties keep the scenario's order.
    """
    by_id = {inj.id: inj for inj in injects if inj.id is not None}
    place: dict[int, float] = {}

    def at(i: int, depth: int = 0) -> float:
        if i not in place:
            inj = injects[i]
            ref = inj.after.inject if inj.after is not None else None
            if ref in by_id and depth < len(injects):
                place[i] = at(injects.index(by_id[ref]), depth + 1) + (inj.after.delay_h if inj.after else 0.0)
            elif inj.when is not None or inj.after is not None:
                place[i] = max(inj.at_h, at(i - 1, depth + 1) if i > 0 and depth < len(injects) else 0.0)
            else:
                place[i] = inj.at_h
        return place[i]

    return [injects[i] for i in sorted(range(len(injects)), key=lambda i: (at(i), i))]


def header(lang: Lang) -> list[str]:
    """The header row: each column's key and its name in ``lang``."""
    return [f"{c.key} {c.zh if lang == 'zh' else c.en}" for c in COLUMNS]


def rows(injects: Sequence[Inject], plan: Plan, lang: Lang = "zh") -> list[list[str | float]]:
    """The MSEL table of ``injects`` in order of time (:func:`in_order`): a header row, then one row per inject.

    Times are numbers; roles, actions and the usual inject kinds are named in ``lang``; an empty
    synopsis is filled in from the text (and read back as empty).
    """
    vocab = Vocab.of(plan)
    out: list[list[str | float]] = [[*header(lang)]]
    for inj in in_order(injects):
        at: str | float = int(inj.at_h) if inj.at_h.is_integer() else inj.at_h
        cells = {
            "at_h": at,
            "synopsis": inj.synopsis or derived_synopsis(inj.text(lang)),
            "kind": vocab.kinds.write(inj.kind, lang),
            "player": "" if inj.player is None else vocab.roles.write(inj.player, lang),
            "expected": "; ".join(vocab.actions.write(a, lang) for a in inj.expected),
            "text_zh": inj.text.zh,
            "text_en": inj.text.en,
            "set": "; ".join(f"{k}={_value(v)}" for k, v in inj.set.items()),
            "id": inj.id or "",
            "when": flow(inj.when.model_dump(by_alias=True, exclude_defaults=True)) if inj.when is not None else "",
            "after": flow(inj.after.model_dump(exclude_defaults=True)) if inj.after is not None else "",
            "notes": inj.notes,
        }
        out.append([cells[c.key] for c in COLUMNS])
    return out


def write_msel(injects: Sequence[Inject], path: Path, plan: Plan, lang: Lang = "zh") -> None:
    """Write the MSEL of ``injects`` as CSV (UTF-8 with BOM, for Excel) or XLSX, by suffix."""
    table = rows(injects, plan, lang)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerows([[num_text(c) if isinstance(c, (int, float)) else c for c in row] for row in table])
        path.write_text(buf.getvalue(), encoding="utf-8-sig", newline="")
    elif suffix == ".xlsx":
        from .workbook import write_xlsx

        write_xlsx(table, path, Vocab.of(plan), lang)
    else:
        raise UserError(f"{path}: an MSEL file must end in .csv or .xlsx")


@dataclass(frozen=True)
class Table:
    """An MSEL as read: rows of cells, the first naming the columns, and where each cell is in its file."""

    path: Path
    rows: list[list[Cell]]
    marks: Mapping[tuple[int, int], tuple[int, int]] | None = None
    """For a JSON MSEL, the (line, column) in the file of each (row, 0-based column) of ``rows`` — column -1
    marks a row's object; a sheet's cells are their own place."""

    def locate(self, row: int, col: int, key: str) -> tuple[Location, str]:
        """Where the cell at sheet ``row`` (1-based) and ``col`` (0-based) is, and how to name it."""
        named = f" ({key})" if key else ""
        if self.marks is None:
            return Location(str(self.path), row, col + 1), f"row {row}, column {column_letter(col)}{named}"
        mark = self.marks.get((row, col)) or self.marks.get((row, -1))
        header = self.rows[0][col] if col < len(self.rows[0]) else ""
        where = Location(str(self.path), *mark) if mark else Location(str(self.path))
        return where, f"item {row - 1}, '{header}'{named}"


def read_table(path: Path) -> Table:
    """The rows of a CSV or XLSX file (the first sheet, or the one named MSEL), or of a JSON MSEL."""
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise UserError(f"{path}: an MSEL file must end in {' or '.join(FORMATS)}")
    if suffix == ".json":
        from .jsonsheet import read_json

        return read_json(path)
    raw = read_input(path, MAX_BYTES)
    if suffix == ".xlsx":
        return Table(path, _read_xlsx(path, raw))
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise UserError(f"{path}: not UTF-8 or GB18030 text; save the CSV as UTF-8")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        return Table(path, bounded(path, reader))
    except csv.Error as exc:  # a cell longer than the csv module's field limit, or a NUL byte
        raise UserError(f"{path}:{reader.line_num}: not a readable CSV row ({exc})") from None


_NON_PRINTABLE = yaml.reader.Reader.NON_PRINTABLE
"""The characters a YAML file may not hold, NUL among them: the injects go into a scenario file."""


def bounded(path: Path, rows: Iterable[Sequence[Cell]], place: Callable[[int, int], str] | None = None) -> list[list[Cell]]:
    """The rows, refused at a row past ``MAX_ROWS``, a column past ``MAX_COLUMNS``, a cell too long or unprintable.

    ``place(row, column)`` (both 1-based) names a cell's place after the file name: by default ``row:column``.
    """
    table: list[list[Cell]] = []
    for r, row in enumerate(rows, start=1):
        if r > MAX_ROWS:
            raise UserError(f"{path}:{r}: more than {MAX_ROWS} rows; an MSEL sheet may have at most {MAX_ROWS}")
        if len(row) > MAX_COLUMNS and any(not _empty(c) for c in row[MAX_COLUMNS:]):
            raise UserError(f"{path}:{r}: more than {MAX_COLUMNS} columns; an MSEL sheet may have at most {MAX_COLUMNS}")
        row = list(row[:MAX_COLUMNS])
        for c, cell in enumerate(row, start=1):
            if not isinstance(cell, str):
                continue
            where = f"{path}:{place(r, c) if place else f'{r}:{c}'}"
            if len(cell) > MAX_CELL:
                raise UserError(f"{where}: the cell holds {len(cell)} characters; a cell may hold at most {MAX_CELL}")
            if bad := _NON_PRINTABLE.search(cell):
                raise UserError(f"{where}: the cell holds the control character U+{ord(bad[0]):04X}, which no scenario file may")
        table.append(row)
    return table


def _empty(cell: Cell) -> bool:
    return cell is None or cell == ""


_MALFORMED = (KeyError, ValueError, TypeError)
"""What openpyxl raises for a part that is XML but not the XML it expects: it builds its objects from the
elements' attributes, so a missing one is a KeyError, an unknown one a TypeError, a bad value either or a
ValueError."""


def _read_xlsx(path: Path, raw: bytes) -> list[list[Cell]]:
    from xml.etree.ElementTree import ParseError
    from zipfile import BadZipFile, ZipFile
    from zlib import error as DeflateError

    from openpyxl import load_workbook

    try:
        unpacked = sum(item.file_size for item in ZipFile(io.BytesIO(raw)).infolist())
        if unpacked > MAX_UNPACKED:
            limit = f"{MAX_UNPACKED:,} bytes ({MAX_UNPACKED / 2**20:g} MiB)"
            raise UserError(f"{path}: the workbook unpacks to {unpacked:,} bytes; an MSEL workbook may unpack to at most {limit}")
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except (BadZipFile, DeflateError, OSError, ParseError, *_MALFORMED) as exc:  # OSError: no workbook part
        raise UserError(f"{path}: not a readable XLSX workbook ({exc})") from None
    if not book.worksheets:
        raise UserError(f"{path}: the workbook has no sheet")
    sheet = book["MSEL"] if "MSEL" in book.sheetnames else book.worksheets[0]
    # The size a sheet declares may be wrong either way, and openpyxl would stop reading at it: read the
    # cells really there (their number is bounded as they are read).
    sheet.reset_dimensions()
    try:
        table = bounded(path, ([_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)))
    except ParseError as exc:
        raise UserError(f"{path}: sheet '{sheet.title}' is not readable XML ({exc})") from None
    except _MALFORMED as exc:
        raise UserError(f"{path}: sheet '{sheet.title}' is not readable ({exc})") from None
    except IndexError:  # openpyxl looks a shared-string cell's number up in the workbook's table of strings
        raise UserError(f"{path}: sheet '{sheet.title}' has a cell naming a shared string the workbook does not hold") from None
    except (BadZipFile, DeflateError) as exc:  # a damaged part shows only as it is unpacked, row by row
        raise UserError(f"{path}: sheet '{sheet.title}' is damaged in the workbook file ({exc})") from None
    finally:
        book.close()
    return table


def _cell(value: object) -> Cell:
    """An XLSX cell value as one of the kinds the MSEL reader knows (others as text)."""
    if value is None or isinstance(value, (str, int, float, dt.datetime, dt.time, dt.timedelta)):
        return value
    return str(value)
