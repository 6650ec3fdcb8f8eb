"""Drill sessions: trainees, the journal, the session, the training records."""

from .documents import DocumentCheck, check_document, required_elements
from .journal import read_journal
from .records import ENV_DB, Records, SessionRecord, TrendPoint, default_db_path
from .session import DrillSession, sessions_dir, unfinished_sessions
from .trainees import AUTO_ACTOR, Trainee, check_trainees, parse_trainee
from .view import DrillView, DutyView, TeamView

__all__ = [
    "AUTO_ACTOR",
    "ENV_DB",
    "DocumentCheck",
    "DrillSession",
    "DrillView",
    "DutyView",
    "Records",
    "SessionRecord",
    "TeamView",
    "Trainee",
    "TrendPoint",
    "check_document",
    "check_trainees",
    "default_db_path",
    "parse_trainee",
    "read_journal",
    "required_elements",
    "sessions_dir",
    "unfinished_sessions",
]
