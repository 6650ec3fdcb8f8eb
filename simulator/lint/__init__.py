"""``drillsim lint``: the plan checked for gaps, overlaps and contradictions."""

from .check import CODES, lint, render_findings

__all__ = ["CODES", "lint", "render_findings"]
