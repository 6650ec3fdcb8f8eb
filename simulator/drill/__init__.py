"""Drill sessions: trainees, the journal, the session, the training records."""

from .cues import ENGLISH as CUE_REFUSALS
from .cues import CueRefused, MselEntry
from .journal import read_journal
from .records import ENV_DB, Records, SessionRecord, TrendPoint, default_db_path
from .session import DrillSession, sessions_dir, unfinished_sessions
from .trainees import AUTO_ACTOR, Trainee, check_trainees, parse_trainee
from .view import DrillView, DutyView, TeamView

__all__ = [
    "AUTO_ACTOR",
    "CUE_REFUSALS",
    "ENV_DB",
    "CueRefused",
    "DrillSession",
    "DrillView",
    "DutyView",
    "MselEntry",
    "Records",
    "SessionRecord",
    "TeamView",
    "Trainee",
    "TrendPoint",
    "check_trainees",
    "default_db_path",
    "parse_trainee",
    "read_journal",
    "sessions_dir",
    "unfinished_sessions",
]
