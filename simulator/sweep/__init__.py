"""Monte-Carlo staffing sweeps, the minimum-staff search, executors and queueing theory."""
