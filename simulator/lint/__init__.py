"""``drillsim lint``: the plan checked for gaps, overlaps and contradictions."""

from .base import Finding
from .check import CODES, lint

__all__ = ["CODES", "Finding", "lint"]
