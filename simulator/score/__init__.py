"""Scoring from the event log: duties and decisions by rule, the run summary, roles, team targets."""

from .roles import RoleScore, duty_role, role_scores
from .scoring import SCORED, DutyResult, DutyStatus, Score, score
from .summary import RuleSummary, RunSummary, summarize
from .targets import Target, evaluate, select, team_targets
from .verdicts import DecisionResult, Judge

__all__ = [
    "SCORED",
    "DecisionResult",
    "DutyResult",
    "DutyStatus",
    "Judge",
    "RoleScore",
    "RuleSummary",
    "RunSummary",
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
