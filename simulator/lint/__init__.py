"""``drillsim lint``: the plan checked for gaps, overlaps and contradictions; a scenario's injects that never fire."""

from .check import CODES, lint, render_findings
from .injects import lint_scenarios

__all__ = ["CODES", "lint", "lint_scenarios", "render_findings"]
