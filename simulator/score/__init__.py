"""Scoring from the event log: duties and decisions by rule, the run summary, roles, team targets."""

from .roles import RoleScore, duty_role, role_scores
from .scoring import DutyResult, Score, score
from .summary import summarize
from .targets import Target, evaluate, select, team_targets

__all__ = [
    "DutyResult",
    "RoleScore",
    "Score",
    "Target",
    "duty_role",
    "evaluate",
    "role_scores",
    "score",
    "select",
    "summarize",
    "team_targets",
]
