"""The plan and the scenario as validated data: levels, conditions, teams, injects, decisions; the error types."""
