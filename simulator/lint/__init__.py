"""``drillsim lint``: the plan checked for gaps, overlaps and contradictions; a scenario's injects that never fire."""

from .base import Finding
from .check import CODES, lint
from .injects import lint_scenarios

__all__ = ["CODES", "Finding", "lint", "lint_scenarios"]
