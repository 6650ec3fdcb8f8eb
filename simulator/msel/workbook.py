"""The MSEL as an XLSX workbook a planner can edit safely: drop-down lists for kind, role and actions.

The lists are names in the export's language, kept on a hidden sheet ``lists`` (a list typed into the
validation itself may hold at most 255 characters). A role must come from its list; a kind may be
another (with a warning: scenarios may name their own kinds), and the expected actions' list offers
one action where a cell may hold several separated by ``;`` (also with a warning only).
openpyxl is imported only here, when a workbook is written.
"""

from __future__ import annotations

from pathlib import Path

from ..model import Lang
from .table import COLUMNS, column_letter
from .vocab import Sort, Vocab

WIDTHS = {
    **{"at_h": 12, "synopsis": 28, "kind": 18, "player": 16, "expected": 34, "text_zh": 50, "text_en": 60},
    **{"set": 36, "id": 14, "when": 40, "after": 30},
}
"""Column widths in characters (others: 30)."""
EDIT_ROWS = 500
"""Rows below the injects that still offer the drop-down lists, for injects a planner adds."""


def write_xlsx(table: list[list[str | float]], path: Path, vocab: Vocab, lang: Lang) -> None:
    """Write ``table`` (header first) to the sheet ``MSEL`` of a new workbook, with drop-down lists."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.datavalidation import DataValidation

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
    lists = book.create_sheet("lists")
    lists.sheet_state = "hidden"
    last = len(table) + EDIT_ROWS
    offered: list[tuple[str, Sort, bool]] = [("kind", vocab.kinds, False), ("player", vocab.roles, True)]
    offered.append(("expected", vocab.actions, False))
    for n, (key, sort, strict) in enumerate(offered):
        names = [sort.write(ident, lang) for ident in sort.names]
        letter = column_letter(n)
        for r, name in enumerate(names, start=1):
            lists.cell(row=r, column=n + 1, value=name).data_type = "s"
        rule = DataValidation(
            type="list",
            formula1=f"lists!${letter}$1:${letter}${len(names)}",
            allow_blank=True,
            errorStyle="stop" if strict else "warning",
            showErrorMessage=True,
        )
        rule.error = "Choose from the list" if lang == "en" else "请从列表中选择"
        sheet.add_data_validation(rule)
        col = column_letter([c.key for c in COLUMNS].index(key))
        rule.add(f"{col}2:{col}{last}")
    for c, spec in enumerate(COLUMNS):
        sheet.column_dimensions[column_letter(c)].width = WIDTHS.get(spec.key, 30)
    sheet.freeze_panes = "A2"
    book.save(path)
