"""The MSEL (master scenario events list) as CSV and XLSX, to and from a scenario."""

from .reader import read_msel
from .table import COLUMNS, write_msel
from .writer import write_injects

__all__ = ["COLUMNS", "read_msel", "write_injects", "write_msel"]
