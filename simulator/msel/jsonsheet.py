"""A JSON MSEL (as T3SF and other tabletop runners keep it) read as a table.

The file is a list of objects, one per inject, each mapping a column's name to a text or a number
(``[{"#": 1, "Date": "Monday 9:30 AM", "Subject": ..., "Script": ...}, ...]``). The columns are the
keys in the order they first appear; an object without a key leaves that cell empty. It is read with
the project's YAML loader (JSON is YAML), so every value keeps its line and column and duplicate keys
are refused.
"""

from __future__ import annotations

from pathlib import Path

from ..load import load_yaml
from ..model import Location, Problem, ValidationFailed
from .table import Cell, Table, bounded


def read_json(path: Path) -> Table:
    """The table of a JSON MSEL; a value that is not a text, number or null is refused at its place."""
    doc = load_yaml(path)
    items = doc.data
    if not isinstance(items, list):
        raise ValidationFailed([Problem(doc.locate(()), "a JSON MSEL is a list of objects, one per inject")])
    header: dict[str, int] = {}
    marks: dict[tuple[int, int], tuple[int, int]] = {}
    problems: list[Problem] = []
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            problems.append(Problem(doc.locate((i,)), "an inject is an object of column names and values", f"item {i + 1}"))
            continue
        for key, value in item.items():
            if key not in header:
                header[key] = len(header)
                marks[(1, header[key])] = doc.key_marks[(i, key)]
            if isinstance(value, (dict, list)):
                problems.append(Problem(doc.locate((i, key)), "a value is a text, a number or null", f"item {i + 1}, '{key}'"))
    if problems:
        raise ValidationFailed(problems)
    rows: list[list[Cell]] = [list(header)]
    for i, item in enumerate(items):
        assert isinstance(item, dict)
        row: list[Cell] = [None] * len(header)
        marks[(i + 2, -1)] = doc.value_marks[(i,)]
        for key, value in item.items():
            assert not isinstance(value, (dict, list))
            row[header[key]] = value
            marks[(i + 2, header[key])] = doc.value_marks[(i, key)]
        rows.append(row)

    def place(r: int, c: int) -> str:
        line, col = marks.get((r, c - 1)) or (1, 1)
        return str(Location("", line, col)).removeprefix(":")

    return Table(path, bounded(path, rows, place), marks)
