"""The MSEL (master scenario events list) as CSV, XLSX and JSON, to and from a scenario."""

from .mapping import PRESETS, ColumnMap, mapping, parse_start
from .reader import read_msel
from .table import COLUMNS, write_msel
from .times import FORMS
from .writer import write_injects

__all__ = ["COLUMNS", "FORMS", "PRESETS", "ColumnMap", "mapping", "parse_start", "read_msel", "write_injects", "write_msel"]
