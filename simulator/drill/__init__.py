"""Drill sessions: trainees, the journal, the session, the training records."""

from .consequences import LATER_MIN, OUTCOMES, RELATIVE, ActionUse, Difference, Disclosure, Moved, Outcome, Side, differences
from .cues import ENGLISH as CUE_REFUSALS
from .cues import CueRefused, MselEntry
from .documents import DocumentCheck, check_document, required_elements
from .hotwash import HOTWASH, HotWash, Item, Note, read_hotwash, save_hotwash
from .journal import read_journal
from .parts import Parts, RuleTally, parts
from .records import ENV_DB, Improvement, Records, RulePoint, SessionRecord, TrendPoint, default_db_path
from .session import DrillSession, sessions_dir, unfinished_sessions
from .trainees import AUTO_ACTOR, Trainee, check_trainees, parse_trainee
from .view import DrillView, DutyView, TeamView

__all__ = [
    "AUTO_ACTOR",
    "CUE_REFUSALS",
    "ENV_DB",
    "HOTWASH",
    "LATER_MIN",
    "OUTCOMES",
    "RELATIVE",
    "ActionUse",
    "CueRefused",
    "Difference",
    "Disclosure",
    "DocumentCheck",
    "DrillSession",
    "DrillView",
    "DutyView",
    "HotWash",
    "Improvement",
    "Item",
    "Moved",
    "MselEntry",
    "Note",
    "Outcome",
    "Parts",
    "Records",
    "RulePoint",
    "RuleTally",
    "SessionRecord",
    "Side",
    "TeamView",
    "Trainee",
    "TrendPoint",
    "check_document",
    "check_trainees",
    "default_db_path",
    "differences",
    "parse_trainee",
    "parts",
    "read_hotwash",
    "read_journal",
    "required_elements",
    "save_hotwash",
    "sessions_dir",
    "unfinished_sessions",
]
