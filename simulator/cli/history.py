"""``drillsim history``: the training records, trainee first, with each trainee's trends, and the unfinished sessions.

Each session is shown trainee by trainee: their own part (the duties of the roles they held, the
decisions they took) first, the auto-responder's part apart and labelled. Then each trainee's
score trend, the rules that keep failing for them across sessions (a per-rule trend: a rule fails
in a session when one of its duties was late or missed, or its document lacked required elements,
or a decision under it was judged wrong; incomplete documents are marked apart from the rest),
and the improvement items kept at the hot washes.

The records file is only read (never created or migrated). Unfinished sessions are the session
folders under the data folder whose journal has no end line, each with the command that resumes
it; a damaged journal is listed with what is wrong with it. Columns are padded by display
width, so that Chinese names and headings line up in a terminal.
"""

from __future__ import annotations

import argparse
import shlex
import sys
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path

from ..drill import (
    ENV_DB,
    Records,
    RulePoint,
    SessionRecord,
    TrendPoint,
    default_db_path,
    sessions_dir,
    unfinished_sessions,
)
from ..lang import Lang, lang_of
from ..lang import tr as translate
from ..load import load_plan
from ..model import MINUTES_PER_HOUR, Names, UserError

LANGS = ("zh", "en")
TREND_POINTS = 5
"""How many of a trainee's latest scores the trend column shows."""

TEXTS: dict[str, dict[str, str]] = {
    "zh": {
        "started": "开始时间",
        "scenario": "场景",
        "plan": "预案版本",
        "trainees": "学员(角色)",
        "compliance": "学员职责得分",
        "decisions": "学员决策正确率",
        "auto_compliance": "自动响应部分·职责得分",
        "auto_decisions": "自动响应部分·决策",
        "trainee": "学员",
        "roles": "角色",
        "sessions": "场次",
        "first": "首次",
        "latest": "最近",
        "best": "最好",
        "change": "变化",
        "trend": "近期走势",
        "sessions_title": "演练记录",
        "trend_title": "学员成绩走势",
        "rules_title": "反复未达标的规则(按学员)",
        "rule": "规则",
        "section": "条款",
        "failed": "未达标场次",
        "of": "{n}/{m}",
        "by_session": "逐场(旧→新)",
        "incomplete_in": "要素不全场次",
        "marks": "✓ 达标  ✗ 超时、未完成或决策错误  ⊖ 文件缺少必备要素",
        "rules_none": "没有未达标的规则。",
        "items_title": "改进事项(复盘记录)",
        "what": "事项",
        "owner": "负责人",
        "due": "期限",
        "none": "{db} 中还没有演练记录",
        "none_for": "{db} 中没有学员“{name}”的演练记录",
        "unfinished_title": "未完成的演练",
        "clock": "已演练到",
        "hours": "{h:.1f} 小时",
        "resume": "续演命令",
        "damaged": "日志已损坏，无法续演：{problem}",
    },
    "en": {
        "started": "started",
        "scenario": "scenario",
        "plan": "plan",
        "trainees": "trainees (roles)",
        "compliance": "trainee duty score",
        "decisions": "trainee decisions",
        "auto_compliance": "auto-responder duty score",
        "auto_decisions": "auto-responder decisions",
        "trainee": "trainee",
        "roles": "roles",
        "sessions": "sessions",
        "first": "first",
        "latest": "latest",
        "best": "best",
        "change": "change",
        "trend": "recent trend",
        "sessions_title": "Drill sessions",
        "trend_title": "Trainees' trends",
        "rules_title": "Rules that keep failing, per trainee",
        "rule": "rule",
        "section": "section",
        "failed": "failed in",
        "of": "{n} of {m}",
        "by_session": "by session (oldest first)",
        "incomplete_in": "incomplete in",
        "marks": "✓ held  ✗ late, missed or wrong decision  ⊖ document lacked required elements",
        "rules_none": "no rule failed.",
        "items_title": "Improvement items (hot wash)",
        "what": "what",
        "owner": "owner",
        "due": "due",
        "none": "no drill sessions recorded in {db}",
        "none_for": "no drill sessions of trainee '{name}' recorded in {db}",
        "unfinished_title": "Unfinished sessions",
        "clock": "clock reached",
        "hours": "{h:.1f} h",
        "resume": "resume with",
        "damaged": "damaged journal, cannot be resumed: {problem}",
    },
}


def text_width(text: str) -> int:
    """Columns ``text`` takes in a terminal: wide and full-width characters take two."""
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pad(cells: Sequence[str], widths: Sequence[int]) -> str:
    """Cells left-aligned to display ``widths`` (0: no padding), one space apart."""
    return " ".join(c + " " * max(0, w - text_width(c)) if w else c for c, w in zip(cells, widths, strict=True))


def render_table(headers: Sequence[str], rows: Sequence[Sequence[str]], right: frozenset[int] = frozenset()) -> str:
    """A plain-text table; columns in ``right`` are right-aligned."""
    widths = [max(text_width(r[i]) for r in [headers, *rows]) for i in range(len(headers))]

    def line(cells: Sequence[str]) -> str:
        out = []
        for i, cell in enumerate(cells):
            fill = " " * (widths[i] - text_width(cell))
            out.append(fill + cell if i in right else cell + fill)
        return "  ".join(out).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(headers), rule, *(line(r) for r in rows)]) + "\n"


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{x:.1f}%"


def _when(iso: str) -> str:
    return iso[:16].replace("T", " ")


def _people(trainees: Iterable[tuple[str, Sequence[str]]], names: Names) -> str:
    return ", ".join(f"{name}({','.join(names.role(r) for r in roles)})" for name, roles in trainees)


def plan_names(lang: str) -> Names:
    """The default plan's names of roles in ``lang`` (an identifier it does not know is shown as it is)."""
    return Names(load_plan(None), "zh" if lang == "zh" else "en")


def sessions_table(sessions: Sequence[SessionRecord], lang: str, names: Names, trainee: str | None = None) -> str:
    """The recorded sessions, a row per trainee: their own figures first, the auto-responder's part apart."""
    t = TEXTS[lang]
    headers = [t["started"], t["scenario"], t["plan"], t["trainees"], t["compliance"], t["decisions"]]
    headers += [t["auto_compliance"], t["auto_decisions"]]
    rows = [
        [
            _when(s.started),
            s.scenario,
            s.plan_version,
            _people([(tr.name, tr.roles)], names),
            _pct(tr.compliance_pct),
            _pct(tr.decision_pct),
            _pct(s.auto_compliance_pct),
            _pct(s.auto_decision_pct),
        ]
        for s in sessions
        for tr in s.trainees
        if trainee is None or tr.name == trainee
    ]
    return render_table(headers, rows, frozenset({4, 5, 6, 7}))


def _mark(p: RulePoint) -> str:
    """One session's mark of a rule: ✓ held, ✗ late, missed or wrong, ⊖ incomplete (both marks if both)."""
    return ("✗" if p.tally.overdue else "") + ("⊖" if p.tally.incomplete else "") or "✓"


def rules_table(trends: dict[str, list[RulePoint]], lang: str) -> str:
    """Per trainee, the rules that failed in at least one session: in how many, in how many incomplete, session by session."""
    t = TEXTS[lang]
    headers = [t["trainee"], t["rule"], t["section"], t["failed"], t["incomplete_in"], t["by_session"]]
    rows = []
    for name, points in trends.items():
        by_rule: dict[str, list[RulePoint]] = {}
        for p in points:
            by_rule.setdefault(p.tally.rule, []).append(p)
        failing = [(rule, ps) for rule, ps in by_rule.items() if any(p.tally.failed for p in ps)]
        failing.sort(key=lambda item: (-sum(p.tally.failed for p in item[1]), item[0]))
        for rule, ps in failing:
            n = sum(p.tally.failed for p in ps)
            short = sum(bool(p.tally.incomplete) for p in ps)
            marks = " ".join(_mark(p) for p in ps[-TREND_POINTS:])
            of = [t["of"].format(n=n, m=len(ps)), t["of"].format(n=short, m=len(ps))]
            rows.append([name, rule, ps[-1].tally.section, *of, marks])
    return render_table(headers, rows, frozenset({3, 4})) + t["marks"] + "\n" if rows else t["rules_none"] + "\n"


def items_table(sessions: Sequence[SessionRecord], lang: str) -> str:
    """The improvement items kept at the sessions' hot washes; empty if none."""
    t = TEXTS[lang]
    rows = [
        [_when(s.started), s.scenario, item.rule or "-", item.what, item.owner, item.due]
        for s in sessions
        for item in s.improvements
    ]
    headers = [t["started"], t["scenario"], t["rule"], t["what"], t["owner"], t["due"]]
    return render_table(headers, rows) if rows else ""


def trend_table(trends: dict[str, list[TrendPoint]], lang: str, names: Names) -> str:
    """One row per trainee: sessions, first, latest and best scores, change, and the latest few."""
    t = TEXTS[lang]
    headers = [t["trainee"], t["roles"], t["sessions"], t["first"], t["latest"], t["best"], t["change"], t["trend"]]
    rows = []
    for name, points in trends.items():
        scores = [p.compliance_pct for p in points if p.compliance_pct is not None]
        change = f"{scores[-1] - scores[0]:+.1f}" if len(scores) > 1 else "-"
        rows.append(
            [
                name,
                ",".join(names.role(r) for r in points[-1].roles),
                str(len(points)),
                _pct(scores[0] if scores else None),
                _pct(scores[-1] if scores else None),
                _pct(max(scores) if scores else None),
                change,
                " → ".join(f"{s:.0f}" for s in scores[-TREND_POINTS:]) or "-",
            ]
        )
    return render_table(headers, rows, frozenset({2, 3, 4, 5, 6}))


def unfinished_table(root: Path, lang: str, names: Names, trainee: str | None = None) -> str:
    """The unfinished sessions under ``root``, newest first, then the damaged journals there; empty if none.

    With ``trainee``, only the sessions they take part in (and every damaged journal: whose it is cannot be read).
    """
    t = TEXTS[lang]
    rows: list[list[str]] = []
    damaged: list[str] = []
    for folder, contents in unfinished_sessions(root):
        if isinstance(contents, UserError):
            damaged.append(t["damaged"].format(problem=contents))
            continue
        header = contents.header
        if trainee is not None and trainee not in {tr.name for tr in header.trainees}:
            continue
        rows.append(
            [
                header.started,
                Path(header.scenario).stem,
                _people(((tr.name, tr.roles) for tr in header.trainees), names),
                t["hours"].format(h=contents.clock / MINUTES_PER_HOUR),
                f"drillsim play --resume {shlex.quote(str(folder))}",
            ]
        )
    headers = [t["started"], t["scenario"], t["trainees"], t["clock"], t["resume"]]
    table = render_table(headers, [[_when(row[0]), *row[1:]] for row in rows], frozenset({3})) if rows else ""
    return table + "".join(f"{line}\n" for line in damaged)


def history(records: Records, lang: str, trainee: str | None = None, sessions: Path | None = None) -> str:
    """The ``history`` report: the sessions table, the trainees' trends, then the unfinished sessions under ``sessions``."""
    t = TEXTS[lang]
    names = plan_names(lang)
    finished = records.sessions(trainee)
    unfinished = unfinished_table(sessions, lang, names, trainee) if sessions is not None else ""
    if not finished and not unfinished:
        raise UserError(t["none" if trainee is None else "none_for"].format(db=records.path, name=trainee))
    parts = []
    if finished:
        people = [trainee] if trainee is not None else records.trainees()
        trends = {name: records.trend(name) for name in people}
        parts += [
            f"{t['sessions_title']}\n{sessions_table(finished, lang, names, trainee)}",
            f"{t['trend_title']}\n{trend_table(trends, lang, names)}",
            f"{t['rules_title']}\n{rules_table({name: records.rule_trend(name) for name in people}, lang)}",
        ]
        items = items_table(finished, lang)
        if items:
            parts.append(f"{t['items_title']}\n{items}")
    else:
        parts.append(t["none" if trainee is None else "none_for"].format(db=records.path, name=trainee) + "\n")
    if unfinished:
        parts.append(f"{t['unfinished_title']}\n{unfinished}")
    return "\n".join(parts)


def db_epilog(lang: Lang) -> str:
    """Where the training records are, for ``history --help``."""
    return translate(f"Training records: --db, else ${ENV_DB}, else {default_db_path()}.", lang)


def cmd_history(args: argparse.Namespace) -> int:
    """Print the training records and the trainees' trends."""
    with Records(args.db or default_db_path(), read_only=True) as records:
        sys.stdout.write(history(records, lang_of(args), args.trainee, sessions_dir()))
    return 0
