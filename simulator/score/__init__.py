"""Scoring from the event log: duties and decisions by rule, the run summary, roles, team targets."""
