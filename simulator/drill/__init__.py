"""Drill sessions: trainees, the journal, the session, the training records, the view and catalog clients draw from."""

from .catalog import Catalog, catalog
from .evaluation import EVALUATION, MAX_NOTE, Evaluation, Letter, Observation, Rating, read_evaluation, record
from .journal import read_journal
from .records import ENV_DB, Records, SessionRecord, TrendPoint, default_db_path
from .session import DrillSession, sessions_dir, unfinished_sessions
from .trainees import AUTO_ACTOR, Trainee, check_trainees, parse_trainee
from .view import DrillView, DutyView, TeamView

__all__ = [
    "AUTO_ACTOR",
    "ENV_DB",
    "EVALUATION",
    "MAX_NOTE",
    "Catalog",
    "DrillSession",
    "DrillView",
    "DutyView",
    "Evaluation",
    "Letter",
    "Observation",
    "Rating",
    "Records",
    "SessionRecord",
    "TeamView",
    "Trainee",
    "TrendPoint",
    "catalog",
    "check_trainees",
    "default_db_path",
    "parse_trainee",
    "read_evaluation",
    "read_journal",
    "record",
    "sessions_dir",
    "unfinished_sessions",
]
