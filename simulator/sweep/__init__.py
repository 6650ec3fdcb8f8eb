"""Monte-Carlo staffing sweeps, the minimum-staff search, executors, queueing theory and the Erlang calculator."""

from ..kernel import kernel_refusal
from .calculator import Demand, Figures, Goals, fewest_agents, figures_for, shortfalls
from .executors import open_executor
from .grid import ENGINES, RESULTS, Context, aggregate, grid, parse_vary, run_sweep, summary, write_summary
from .staffing import TeamAnswer, criteria, default_range, fewest_reps, search, together

__all__ = [
    "ENGINES",
    "RESULTS",
    "Context",
    "Demand",
    "Figures",
    "Goals",
    "TeamAnswer",
    "aggregate",
    "criteria",
    "default_range",
    "fewest_agents",
    "fewest_reps",
    "figures_for",
    "grid",
    "kernel_refusal",
    "open_executor",
    "parse_vary",
    "run_sweep",
    "search",
    "shortfalls",
    "summary",
    "together",
    "write_summary",
]
