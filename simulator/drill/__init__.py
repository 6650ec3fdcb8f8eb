"""Drill sessions: trainees, the journal, the session, the training records, the view and catalog clients draw from."""

from .catalog import Catalog, catalog
from .consequences import LATER_MIN, OUTCOMES, RELATIVE, ActionUse, Difference, Disclosure, Moved, Outcome, Side, differences
from .cues import ENGLISH as CUE_REFUSALS
from .cues import CueRefused, MselEntry
from .documents import DocumentCheck, check_document, only_required, required_elements
from .evaluation import EVALUATION, MAX_NOTE, Evaluation, Letter, Observation, Rating, read_evaluation, record
from .hotwash import HOTWASH, HotWash, Item, Note, read_hotwash, save_hotwash
from .journal import JOURNAL, SessionHeader, cues_of, read_journal
from .parts import Parts, RuleTally, parts
from .records import ENV_DB, Improvement, Records, RulePoint, SessionRecord, TrendPoint, default_db_path
from .session import DrillSession, sessions_dir, unfinished_sessions
from .trainees import AUTO_ACTOR, Trainee, check_trainees, parse_trainee
from .view import DrillView, DutyView, TeamView

__all__ = [
    "AUTO_ACTOR",
    "CUE_REFUSALS",
    "ENV_DB",
    "EVALUATION",
    "HOTWASH",
    "JOURNAL",
    "LATER_MIN",
    "MAX_NOTE",
    "OUTCOMES",
    "RELATIVE",
    "ActionUse",
    "Catalog",
    "CueRefused",
    "Difference",
    "Disclosure",
    "DocumentCheck",
    "DrillSession",
    "DrillView",
    "DutyView",
    "Evaluation",
    "HotWash",
    "Improvement",
    "Item",
    "Letter",
    "Moved",
    "MselEntry",
    "Note",
    "Observation",
    "Outcome",
    "Parts",
    "Rating",
    "Records",
    "RulePoint",
    "RuleTally",
    "SessionHeader",
    "SessionRecord",
    "Side",
    "TeamView",
    "Trainee",
    "TrendPoint",
    "catalog",
    "check_document",
    "check_trainees",
    "cues_of",
    "default_db_path",
    "differences",
    "only_required",
    "parse_trainee",
    "parts",
    "read_evaluation",
    "read_hotwash",
    "read_journal",
    "record",
    "required_elements",
    "save_hotwash",
    "sessions_dir",
    "unfinished_sessions",
]
