"""Monte-Carlo staffing sweeps, the minimum-staff search, the roster optimiser, executors, queueing and the Erlang calculator."""

from ..kernel import kernel_refusal
from .calculator import Demand, Figures, Goals, fewest_agents, figures_for, shortfalls
from .executors import open_executor
from .grid import ENGINES, RESULTS, Context, aggregate, grid, parse_vary, run_sweep, summary, write_summary
from .rostering import (
    Check,
    allowed_by,
    cheapest,
    clock_need,
    need_by_hour,
    on_duty,
    repair,
    shifts_yaml,
    staff_hours,
    teams_yaml,
    today,
    trim,
)
from .staffing import TeamAnswer, brought_in, criteria, default_range, fewest_reps, search, together

__all__ = [
    "ENGINES",
    "RESULTS",
    "Check",
    "Context",
    "Demand",
    "Figures",
    "Goals",
    "TeamAnswer",
    "aggregate",
    "allowed_by",
    "brought_in",
    "cheapest",
    "clock_need",
    "criteria",
    "default_range",
    "fewest_agents",
    "fewest_reps",
    "figures_for",
    "grid",
    "kernel_refusal",
    "need_by_hour",
    "on_duty",
    "open_executor",
    "parse_vary",
    "repair",
    "run_sweep",
    "search",
    "shifts_yaml",
    "shortfalls",
    "staff_hours",
    "summary",
    "teams_yaml",
    "today",
    "together",
    "trim",
    "write_summary",
]
