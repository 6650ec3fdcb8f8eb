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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..model import Inject, UserError, read_input

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
)
FORMATS = (".csv", ".xlsx")
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


def flow(data: object) -> str:
    """Data as one line of YAML in flow style, as a scenario file may write it: ``{decision: x, taken: false}``."""
    return yaml.dump(data, default_flow_style=True, allow_unicode=True, sort_keys=False, width=MAX_CELL).strip()


def rows(injects: Sequence[Inject]) -> list[list[str | float]]:
    """The MSEL table of ``injects``: a header row, then one row per inject (times as numbers)."""
    out: list[list[str | float]] = [[f"{c.key} {c.zh}" for c in COLUMNS]]
    for inj in injects:
        at: str | float = int(inj.at_h) if inj.at_h.is_integer() else inj.at_h
        cells = {
            "at_h": at,
            "synopsis": inj.synopsis,
            "kind": inj.kind,
            "player": inj.player or "",
            "expected": "; ".join(inj.expected),
            "text_zh": inj.text.zh,
            "text_en": inj.text.en,
            "set": "; ".join(f"{k}={_value(v)}" for k, v in inj.set.items()),
            "id": inj.id or "",
            "when": flow(inj.when.model_dump(by_alias=True, exclude_defaults=True)) if inj.when is not None else "",
            "after": flow(inj.after.model_dump(exclude_defaults=True)) if inj.after is not None else "",
        }
        out.append([cells[c.key] for c in COLUMNS])
    return out


def write_msel(injects: Sequence[Inject], path: Path) -> None:
    """Write the MSEL of ``injects`` as CSV (UTF-8 with BOM, for Excel) or XLSX, by suffix."""
    table = rows(injects)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerows([[num_text(c) if isinstance(c, (int, float)) else c for c in row] for row in table])
        path.write_text(buf.getvalue(), encoding="utf-8-sig", newline="")
    elif suffix == ".xlsx":
        _write_xlsx(table, path)
    else:
        raise UserError(f"{path}: an MSEL file must end in {' or '.join(FORMATS)}")


def _write_xlsx(table: list[list[str | float]], path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "MSEL"
    for r, row in enumerate(table, start=1):
        for c, value in enumerate(row, start=1):
            if isinstance(value, float) and float(f"{value:.15g}") != value:
                value = repr(value)  # a number cell would round it
            cell = sheet.cell(row=r, column=c, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # text that starts with '=' stays text, not a formula
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if r == 1:
                cell.font = Font(bold=True)
    for c, width in enumerate((12, 28, 18, 14, 34, 50, 60, 36, 14, 40, 30), start=1):
        sheet.column_dimensions[column_letter(c - 1)].width = width
    sheet.freeze_panes = "A2"
    book.save(path)


def read_table(path: Path) -> list[list[Cell]]:
    """The rows of a CSV or XLSX file (the first sheet, or the one named MSEL)."""
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise UserError(f"{path}: an MSEL file must end in {' or '.join(FORMATS)}")
    raw = read_input(path, MAX_BYTES)
    if suffix == ".xlsx":
        return _read_xlsx(path, raw)
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
        return _bounded(path, reader)
    except csv.Error as exc:  # a cell longer than the csv module's field limit, or a NUL byte
        raise UserError(f"{path}:{reader.line_num}: not a readable CSV row ({exc})") from None


_NON_PRINTABLE = yaml.reader.Reader.NON_PRINTABLE
"""The characters a YAML file may not hold, NUL among them: the injects go into a scenario file."""


def _bounded(path: Path, rows: Iterable[Sequence[Cell]]) -> list[list[Cell]]:
    """The rows, refused at a row past ``MAX_ROWS``, a column past ``MAX_COLUMNS``, a cell too long or unprintable."""
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
            where = f"{path}:{r}:{c}"
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
        table = _bounded(path, ([_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)))
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
