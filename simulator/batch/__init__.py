"""Batch runs: one scenario, one seed, a set of decision makers, to a scored log."""

from .runner import RunInfo, RunResult, run

__all__ = ["RunInfo", "RunResult", "run"]
