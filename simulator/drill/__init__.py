"""Drill sessions: trainees, the journal, the session, the training records, the view and catalog clients draw from."""

from .catalog import Catalog, catalog
from .journal import read_journal
from .records import ENV_DB, Records, SessionRecord, TrendPoint, default_db_path
from .session import DrillSession, sessions_dir, unfinished_sessions
from .trainees import AUTO_ACTOR, Trainee, check_trainees, parse_trainee
from .view import DrillView, DutyView, TeamView

__all__ = [
    "AUTO_ACTOR",
    "ENV_DB",
    "Catalog",
    "DrillSession",
    "DrillView",
    "DutyView",
    "Records",
    "SessionRecord",
    "TeamView",
    "Trainee",
    "TrendPoint",
    "catalog",
    "check_trainees",
    "default_db_path",
    "parse_trainee",
    "read_journal",
    "sessions_dir",
    "unfinished_sessions",
]
