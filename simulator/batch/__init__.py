"""Batch runs: one scenario, one seed, a set of decision makers, to a scored log."""
