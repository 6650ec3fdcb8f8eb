"""Batch runs: one scenario, one seed, a set of decision makers, to a scored log."""

from .runner import RUN_INFO, RunInfo, RunResult, run

__all__ = ["RUN_INFO", "RunInfo", "RunResult", "run"]
