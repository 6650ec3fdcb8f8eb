"""Monte-Carlo staffing sweeps, the minimum-staff search, executors and queueing theory."""

from ..kernel import kernel_refusal
from .executors import open_executor
from .grid import ENGINES, RESULTS, Context, aggregate, grid, parse_vary, run_sweep, summary, write_summary
from .staffing import TeamAnswer, criteria, default_range, search

__all__ = [
    "ENGINES",
    "RESULTS",
    "Context",
    "TeamAnswer",
    "aggregate",
    "criteria",
    "default_range",
    "grid",
    "kernel_refusal",
    "open_executor",
    "parse_vary",
    "run_sweep",
    "search",
    "summary",
    "write_summary",
]
