"""A drill session: trainees take the plan's decisions for their roles against a live scenario.

The session owns an engine, an auto-responder for every role no trainee holds, and a journal.
A user interface advances the clock in slices (:meth:`DrillSession.advance`) and hands in the
trainees' decisions (:meth:`DrillSession.decide`, the one way in), and reads the drill through
:meth:`DrillSession.view`, each of which is on disk before the call
returns; the clock and the decisions take turns under one lock, so a worker thread may run the
clock while the interface thread decides. :meth:`DrillSession.resume` rebuilds a session from its journal after a quit or a crash;
:meth:`DrillSession.finish` writes the run folder (``events.jsonl``, ``summary.json``,
``run.json``) and records the session in the training records.

The same decisions at the same simulated times give a byte-identical ``events.jsonl`` whether
the session ran straight through, was resumed, or its journal was replayed with
``runner.run(..., decisions=..., auto_roles=...)``.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from ..batch import RunInfo, RunResult
from ..engine import AutoResponder, Engine, replay
from ..load import DEFAULT_PLAN, load_plan, load_scenario, scenarios_dir
from ..model import Cue, CueOp, Lang, Plan, Request, Scenario, SimTime, UserError, Written
from ..score import RoleScore, score, summarize
from .cues import CueRefused, MselEntry, cue_refusal, msel_of
from .journal import JOURNAL, Journal, JournalContents, SessionHeader, read_journal, wall_now
from .lock import SessionLock
from .parts import Parts, parts
from .records import Records, RuleResult, SessionRecord, TraineeResult, data_dir, default_db_path
from .trainees import Trainee, check_trainees, parse_trainee
from .view import DrillView, view_of

__all__ = ["CLOCK_EVERY_MIN", "CLOCK_EVERY_S", "DrillSession", "Trainee", "parse_trainee", "sessions_dir", "unfinished_sessions"]

CLOCK_EVERY_S = 5.0
"""Wall seconds between clock lines in the journal (at most one per this many, once the clock moved)."""
CLOCK_EVERY_MIN = 60.0
"""Simulated minutes after which a clock line is written whatever the wall time."""
LANGS = ("zh", "en")


class DrillSession:
    """A running drill: engine, auto-responder for the roles no trainee holds, journal."""

    def __init__(
        self, plan: Plan, scenario: Scenario, header: SessionHeader, journal: Journal, lock: SessionLock, folder: Path, db: Path
    ) -> None:
        self.plan = plan
        self.scenario = scenario
        self.header = header
        self.trainees: tuple[Trainee, ...] = header.trainees
        self.folder = folder
        self.db = db
        """The training-records file the session is recorded in when it finishes."""
        self._holder = check_trainees(header.trainees, plan)
        self.held_roles: frozenset[str] = frozenset(self._holder)
        """The roles trainees hold; the auto-responder acts for the others."""
        self.engine = Engine(plan, scenario, seed=header.seed)
        self.auto = AutoResponder(self.engine, [r for r in plan.roles if r not in self.held_roles])
        self.result: RunResult | None = None
        """The finished run, once :meth:`finish` has been called."""
        self._journal = journal
        self._writer = lock
        """The session folder's lock: this process is its one writer."""
        self._lock = threading.RLock()
        self._open = True
        self._clock_mark = (self.engine.now, time.monotonic())

    @classmethod
    def start(
        cls,
        scenario_path: Path,
        plan_path: Path | None,
        trainees: Sequence[Trainee],
        *,
        seed: int | None = None,
        folder: Path | None = None,
        lang: Lang = "zh",
        db: Path | None = None,
    ) -> DrillSession:
        """Start a new session in ``folder`` (default: ``sessions/<time>-<scenario>`` under the data folder)."""
        if lang not in LANGS:
            raise UserError(f"language '{lang}': expected one of {', '.join(LANGS)}")
        plan = load_plan(plan_path)
        scenario = load_scenario(scenario_path, plan)
        check_trainees(trainees, plan)
        folder = folder if folder is not None else _new_folder(scenario.id)
        lock = SessionLock.take(folder)
        try:
            kept = keep_inputs(folder, scenario_path, plan_path or scenarios_dir() / DEFAULT_PLAN)
            header = SessionHeader(
                scenario=kept[0].as_posix(),
                plan=kept[1].as_posix(),
                seed=scenario.seed if seed is None else seed,
                trainees=tuple(trainees),
                lang=lang,
                started=wall_now(),
                digests=(_digest(folder / kept[0]), _digest(folder / kept[1])),
            )
            journal = Journal.create(folder, header)
        except BaseException:
            lock.release()
            raise
        return cls(plan, scenario, header, journal, lock, folder, db if db is not None else default_db_path())

    @classmethod
    def resume(cls, folder: Path, *, db: Path | None = None) -> DrillSession:
        """Continue an unfinished session: replay its journal's decisions, then run to its last clock time.

        The session's lock is taken first (a session open elsewhere is refused), and the scenario
        and plan files must be the ones it started with: its own copies in ``inputs/`` (a session
        journaled before it kept copies names the files where they were).
        """
        contents = read_journal(folder)
        header = contents.header
        lock = SessionLock.take(folder)
        try:
            scenario_path, plan_path = header.files(folder)
            _check_unchanged(scenario_path, header.digests[0], "scenario")
            _check_unchanged(plan_path or scenarios_dir() / DEFAULT_PLAN, header.digests[1], "plan")
            plan = load_plan(plan_path)
            scenario = load_scenario(scenario_path, plan)
            _check_replayable(contents, plan, scenario, folder / JOURNAL)
            journal, contents = Journal.reopen(folder)
        except BaseException:
            lock.release()
            raise
        session = cls(plan, scenario, header, journal, lock, folder, db if db is not None else default_db_path())
        replay(session.engine, contents.decisions, contents.cues)
        session.engine.advance(contents.clock)
        session._clock_mark = (session.engine.now, time.monotonic())
        return session

    @property
    def now(self) -> SimTime:
        """The simulated time in minutes."""
        return self.engine.now

    @property
    def lang(self) -> Lang:
        """The session's language."""
        return self.header.lang

    @property
    def finished(self) -> bool:
        """Whether the clock has reached the horizon or the session has been finished."""
        return self.result is not None or self.engine.now >= self.engine.horizon

    def _check_open(self) -> None:
        if not self._open:
            raise UserError(f"the drill session in {self.folder} is closed")

    def advance(self, until: SimTime) -> None:
        """Run the clock to ``until`` (at most the horizon), noting the time in the journal now and then."""
        with self._lock:
            self._check_open()
            self.engine.advance(until)
            now, wall = self.engine.now, time.monotonic()
            last_t, last_wall = self._clock_mark
            if now > last_t and (now - last_t >= CLOCK_EVERY_MIN or wall - last_wall >= CLOCK_EVERY_S):
                self._journal.clock(now)
                self._clock_mark = (now, wall)

    def view(self, since: int = 0) -> DrillView:
        """The drill as it stands, with the events logged from index ``since`` on (see :class:`DrillView`)."""
        with self._lock:
            return view_of(self.engine, self._holder, since, finished=self.finished)

    def decide(self, request: Request, actor: str | None = None) -> int:
        """Take a trainee's decision now: journal it (on disk), then hand it to the engine; return its seq.

        This is the one way in for a person's decision, and the one place its time is set: the
        engine's clock. Its actor is the trainee holding the role; the role must be held by a
        trainee (by ``actor``, when given) and be the one that takes the action.
        """
        with self._lock:
            self._check_open()
            why = refusal(self.plan, self._holder, request.action, request.role, actor)
            if why is not None:
                raise UserError(why)
            taken = request.taken(self.engine.now, self._holder[request.role])
            self._journal.append(taken)
            self._clock_mark = (taken.t, time.monotonic())
            return self.engine.submit(taken)

    def cue(self, op: CueOp, by: str, *, index: int = -1, written: Written | None = None) -> int:
        """Take the facilitator's act on the MSEL now: journal it (on disk), then hand it to the engine.

        Return the inject's index (a written inject's new one). It takes effect at once, before the
        injects due at this instant. A cue the drill cannot take raises :class:`CueRefused`.
        """
        with self._lock:
            self._check_open()
            if written is not None:  # a whole number set by a seat is the float a replayed journal reads
                values = tuple((k, float(v) if type(v) is int else v) for k, v in written.values)
                written = replace(written, values=values)
            refused = cue_refusal(self.engine, op, index, written)
            if refused is not None:
                raise CueRefused(*refused)
            cue = Cue(self.engine.now, op, by, index, written)
            self._journal.cue(cue)
            self._clock_mark = (cue.t, time.monotonic())
            return self.engine.cue(cue)

    def msel(self) -> list[MselEntry]:
        """Every inject of the drill with its status and time (the facilitator's view)."""
        with self._lock:
            return msel_of(self.engine)

    def suspend(self) -> None:
        """Leave the session unfinished (a quit): note the clock, on disk, and close the journal."""
        with self._lock:
            self._check_open()
            self._journal.clock(self.engine.now, sync=True)
            self._journal.detach()
            self._writer.release()
            self._open = False

    def finish(self, until: SimTime | None = None) -> RunResult:
        """Close the run, write the session folder's results, record the session and end the journal.

        ``until`` ends the drill before the scenario's horizon: duties not yet due then stay open.
        """
        with self._lock:
            self._check_open()
            log = self.engine.finish(until)
            judged = score(log, self.plan)
            result = RunResult(log, judged, summarize(log, judged))
            h = self.header
            result.write(
                self.folder, RunInfo(h.scenario, h.plan, h.seed, kind="drill", trainees=[t.to_json() for t in h.trainees])
            )
            ended = wall_now()
            with Records(self.db) as records:
                records.add_session(self._record(result, ended))
            self._journal.close(ended)
            self._writer.release()
            self._open = False
            self.result = result
            return result

    def trainee_scores(self, result: RunResult) -> dict[str, RoleScore]:
        """Each trainee's score: the duties of the roles they held and the decisions they took."""
        return self.parts(result).trainees

    def parts(self, result: RunResult) -> Parts:
        """The trainees' part of the drill (each and together) and the auto-responder's."""
        return parts(result.log, result.score, self.plan, self.trainees)

    def _record(self, result: RunResult, ended: str) -> SessionRecord:
        meta = result.log.meta
        split = self.parts(result)
        per_trainee = split.trainees
        return SessionRecord(
            folder=str(self.folder.resolve()),
            scenario=meta.scenario_id,
            plan_id=meta.plan_id,
            plan_version=meta.plan_version,
            seed=meta.seed,
            lang=self.lang,
            started=self.header.started,
            ended=ended,
            compliance_pct=result.score.compliance_pct,
            decision_pct=result.score.decision_pct,
            trainees=tuple(
                TraineeResult(
                    t.name,
                    t.roles,
                    per_trainee[t.name].compliance_pct,
                    per_trainee[t.name].decision_pct,
                    tuple(split.rules(per_trainee[t.name])),
                )
                for t in self.trainees
            ),
            rules=tuple(
                RuleResult(r.rule, r.section, r.met, r.late, r.missed, r.cancelled, r.open) for r in result.score.rules.values()
            ),
            auto_compliance_pct=split.auto.compliance_pct,
            auto_decision_pct=split.auto.decision_pct,
        )


def sessions_dir() -> Path:
    """Where sessions started without a folder live."""
    return data_dir() / "sessions"


def unfinished_sessions(base: Path | None = None) -> list[tuple[Path, JournalContents | UserError]]:
    """The session folders under ``base`` (default: :func:`sessions_dir`) whose drill has not ended.

    Each comes with its journal's contents, newest first; then each folder whose journal cannot
    be read, with what is wrong with it, in folder order.
    """
    root = base if base is not None else sessions_dir()
    found: list[tuple[Path, JournalContents]] = []
    damaged: list[tuple[Path, JournalContents | UserError]] = []
    for folder in sorted(root.iterdir()) if root.is_dir() else ():
        if (folder / JOURNAL).is_file():
            try:
                contents = read_journal(folder)
            except UserError as exc:
                damaged.append((folder, exc))
                continue
            if not contents.ended:
                found.append((folder, contents))
    found.sort(key=lambda item: item[1].header.started, reverse=True)
    return [*found, *damaged]


INPUTS = "inputs"
"""The folder inside a session holding its own copies of the scenario and plan files."""


def keep_inputs(folder: Path, scenario: Path, plan: Path) -> tuple[Path, Path]:
    """Copy the scenario and plan files into ``folder/inputs``; their paths relative to ``folder``.

    A session then depends on no file outside its folder: it resumes, reports and moves as a whole.
    """
    kept = (Path(INPUTS, "scenario", scenario.name), Path(INPUTS, "plan", plan.name))
    for source, rel in zip((scenario, plan), kept, strict=True):
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_bytes(source.read_bytes())
    return kept


def refusal(plan: Plan, holders: Mapping[str, str], action_name: str, role: str, actor: str | None) -> str | None:
    """Why a trainee may not take ``action_name`` for ``role`` (as ``actor``, when given), in words; None if they may.

    ``holders`` maps each role a trainee holds to that trainee's name.
    """
    action = plan.actions.get(action_name)
    if action is None:
        return f"unknown action '{action_name}'; the plan's actions are: {', '.join(plan.actions)}"
    holder = holders.get(role)
    if holder is None:
        return f"role '{role}' is not held by a trainee of this session (held: {', '.join(sorted(holders)) or 'none'})"
    if action.role != role:
        return f"'{action_name}' is a decision of the '{action.role}' role, not of '{role}'"
    if actor is not None and actor != holder:
        return f"'{actor}' does not hold the '{role}' role; '{holder}' does"
    return None


def _check_replayable(contents: JournalContents, plan: Plan, scenario: Scenario, path: Path) -> None:
    """Refuse a journal holding what its session could not have written, naming the line.

    The header's trainees must fit the plan, each decision must be one :meth:`DrillSession.decide`
    would have taken, and no time may pass the scenario's horizon (the clock stops there).
    """
    try:
        holders = check_trainees(contents.header.trainees, plan)
    except UserError as exc:
        raise UserError(f"{path}:1: the session's trainees do not fit the plan ({exc.message})") from None
    for number, d in zip(contents.lines, contents.decisions, strict=True):
        why = refusal(plan, holders, d.action, d.role, d.actor)
        if why is not None:
            raise UserError(f"{path}:{number}: a decision this session could not have taken ({why})")
    if contents.clock > scenario.horizon:
        raise UserError(
            f"{path}:{contents.clock_line}: the clock at {contents.clock:g} min is past the scenario's end"
            f" ({scenario.horizon:g} min)"
        )


def _digest(path: Path) -> str:
    """The SHA-256 of a file's bytes, in hex."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _check_unchanged(path: Path, digest: str | None, what: str) -> None:
    """Refuse to resume on a scenario or plan file that is not the one the session started with."""
    if digest is None:
        return  # a session journaled before files were fingerprinted
    try:
        now = _digest(path)
    except OSError as exc:
        raise UserError(f"{path}: the session's {what} file cannot be read ({exc.strerror}); it is needed to resume") from None
    if now != digest:
        raise UserError(
            f"{path}: the {what} file has changed since the session started; "
            "resuming would replay its decisions against another drill, so it is refused"
        )


def _new_folder(scenario_id: str) -> Path:
    """A fresh session folder under the data folder, named by the wall time and the scenario."""
    base = sessions_dir() / f"{time.strftime('%Y%m%d-%H%M%S')}-{scenario_id}"
    folder, n = base, 1
    while folder.exists():
        n += 1
        folder = base.with_name(f"{base.name}-{n}")
    return folder
