"""Every number in a report equals the one in summary.json, the scoring or the event log.

The HTML marks each number with the source it claims (``data-src``) and its raw value
(``data-v``). These tests resolve every source on their own — summary.json as written by the
run, ``score()`` of the log, the log's records, fresh comparison runs — compare the value, and
parse the displayed text back. Numbers left bare in a table cell fail the test. The Markdown is
checked against summary.json table by table.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from test_reports_support import Built

from simulator.batch import RunInfo, RunResult
from simulator.record import ActionDone, DecisionMade, EventLog, Hourly, InjectFired, ObligationOpened
from simulator.score import Score, duty_role, score

CHAPTER = re.compile(r"§\s*(\d+)")
BARE_NUMBER = re.compile(r"^[\s\d,.:%+—-]*\d[\s\d,.:%]*(min|h|days|分钟|小时|天)?$")

pytest_plugins = ("test_reports_support",)


class Spans(HTMLParser):
    """Collects the numbers of a report page and the table cells holding bare numbers."""

    def __init__(self) -> None:
        super().__init__()
        self.spans: list[dict[str, str]] = []
        self.bare: list[str] = []
        self._span: dict[str, str] | None = None
        self._depth = 0
        self._cell: list[str] | None = None
        self._time = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "time":
            self._time = True
        if tag == "td":
            self._cell = []
        if tag == "span":
            if self._span is not None:
                self._depth += 1
            elif "n" in a.get("class", "").split():
                self._span = {**a, "text": ""}

    def handle_endtag(self, tag: str) -> None:
        if tag == "time":
            self._time = False
        if tag == "span" and self._span is not None:
            if self._depth:
                self._depth -= 1
            else:
                self.spans.append(self._span)
                self._span = None
        if tag == "td" and self._cell is not None:
            text = "".join(self._cell).strip()
            if text and BARE_NUMBER.match(text):
                self.bare.append(text)
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._span is not None:
            self._span["text"] += data
        elif self._cell is not None and not self._time:
            self._cell.append(data)


class Sources:
    """Resolves the sources a report names, independently of the report's code."""

    def __init__(self, folder: Path, variants: list[dict[str, Any]], logs: list[EventLog] | None = None) -> None:
        self.summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
        self.log = EventLog.read(folder / "events.jsonl")
        self.info = RunInfo.read(folder)
        self.variants = variants
        self.logs = logs or []

    def part(self, path: str) -> Any:
        """A figure of a drill's part, computed here: duties by the role the plan makes answer for them, decisions by actor."""
        who, field = path.rsplit(".", 1)
        plan, _ = self.info.load()
        result = score(self.log, plan)
        index = {e.oid: e.index for e in self.log.of(ObligationOpened)}
        holders = {r: t["name"] for t in self.info.trainees for r in t["roles"]}
        role_of = {d.oid: duty_role(plan, plan.obligations[index[d.oid]]) for d in result.duties}
        kind, _, name = who.partition("/")
        if kind == "role":
            duties = [d for d in result.duties if role_of[d.oid] == name]
            decisions = [j for j in result.decisions if j.role == name]
        elif kind == "trainee":
            roles = {r for r, n in holders.items() if n == name}
            duties = [d for d in result.duties if role_of[d.oid] in roles]
            decisions = [j for j in result.decisions if j.actor == name]
        elif who == "trainees":
            duties = [d for d in result.duties if role_of[d.oid] in holders]
            decisions = [j for j in result.decisions if j.actor != "auto"]
        else:
            assert who == "auto", who
            duties = [d for d in result.duties if role_of[d.oid] is not None and role_of[d.oid] not in holders]
            decisions = [j for j in result.decisions if j.actor == "auto"]
        n = {s: sum(d.status == s for d in duties) for s in ("met", "incomplete", "late", "missed")}
        scored = sum(n.values())
        correct = sum(j.correct for j in decisions)
        # the plan's credit per outcome (scenarios/plan.yaml ``credit:``): met 1, missed 0
        c = plan.credit
        share = {"met": 1.0, "incomplete": c.incomplete, "missed": 0.0}
        earned = sum(share.get(d.status, c.late_incomplete if d.missing else c.late) for d in duties if d.status in n)
        return {
            **n,
            "scored": scored,
            "duty_score": 100.0 * earned / scored if scored else None,
            "correct": correct,
            "judged": len(decisions),
            "decision_pct": 100.0 * correct / len(decisions) if decisions else None,
        }[field]

    def resolve(self, src: str) -> Any:
        summary, log = self.summary, self.log
        if src.startswith("variant:"):
            k, _, src = src.removeprefix("variant:").partition("/")
            summary = self.variants[int(k)]
            log = self.logs[int(k)] if src.startswith(("log:", "heat:")) else log
        kind, _, path = src.partition(":")
        if kind == "part":
            return self.part(path)
        if kind == "heat":
            assert path == "peak", src
            return max((h.heat for h in log.of(Hourly)), default=0.0)
        if kind == "summary":
            node: Any = summary
            for part in path.split("."):
                if isinstance(node, list):
                    node = node[int(part)] if int(part) < len(node) else None
                else:
                    node = node.get(part) if node is not None else None
            return node
        if kind == "total":
            return sum(r[path] for r in summary["rules"].values())
        if kind == "chapter":
            chapter, field = path.split(".")
            rules = [r for r in summary["rules"].values() if int(CHAPTER.search(r["section"]).group(1)) == int(chapter)]
            fields = ("met", "late", "missed") if field == "scored" else (field,)
            return sum(r[f] for r in rules for f in fields)
        assert kind == "log", src
        what, number = path.split(".")
        if what == "decision":
            return next(e.t for e in log.of(DecisionMade) if e.seq == int(number))
        if what == "done":
            return next(e.t for e in log.of(ActionDone) if e.seq == int(number))
        assert what == "inject", src
        return next(e.t for e in log.of(InjectFired) if e.index == int(number))


def shown(kind: str, text: str) -> Any:
    """The value a displayed text stands for (the inverse of the report's formatting)."""
    if text == "—":
        return None
    if kind == "str":
        return text
    if kind == "clock":
        m = re.fullmatch(r"(?:D(\d+)|第(\d+)天) (\d\d):(\d\d)", text)
        assert m, text
        day = int(m.group(1) or m.group(2))
        return (day - 1) * 1440 + int(m.group(3)) * 60 + int(m.group(4))
    number = float(re.sub(r"[^\d.]", "", text))
    if kind == "minutes" and ("h" in text or "小时" in text):
        return number * 60
    if kind == "days":
        return number * 1440
    if kind == "share":
        return number / 100
    return number


TOLERANCE = {"int": 0.5, "plain": 0.5, "pct": 0.05, "share": 0.0005, "hours": 0.05, "minutes": 3.0, "clock": 0.5, "days": 1}


def check_page(page: Path, sources: Sources) -> list[dict[str, str]]:
    parser = Spans()
    parser.feed(page.read_text(encoding="utf-8"))
    assert not parser.bare, f"bare numbers in table cells of {page.name}: {parser.bare[:5]}"
    assert parser.spans, page
    for span in parser.spans:
        claimed = json.loads(span["data-v"])
        truth = sources.resolve(span["data-src"])
        assert claimed == truth, (page.name, span["data-src"], claimed, truth)
        value = shown(span["data-kind"], span["text"])
        if truth is None or span["data-kind"] == "str":
            assert value == truth, (span["data-src"], span["text"], truth)
        else:
            tol = TOLERANCE[span["data-kind"]]
            assert abs(value - truth) <= tol, (page.name, span["data-src"], span["text"], truth)
    return parser.spans


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_drill_numbers_match_their_sources(aar_drill_report: Built, aar_comparisons: list[RunResult], lang: str) -> None:
    variants = [json.loads(json.dumps(r.summary.to_json())) for r in aar_comparisons]
    sources = Sources(aar_drill_report.folder, variants, [r.log for r in aar_comparisons])
    spans = check_page(aar_drill_report.out / f"aar.{lang}.html", sources)
    srcs = {s["data-src"] for s in spans}
    for i in range(len(sources.summary["obligations"])):
        assert {f"summary:obligations.{i}.opened", f"summary:obligations.{i}.due"} <= srcs
    for e in sources.log.of(DecisionMade):
        assert f"log:decision.{e.seq}" in srcs
    assert any(s.startswith("variant:0/") for s in srcs) and any(s.startswith("variant:1/") for s in srcs)
    assert {"part:trainees.duty_score", "part:auto.duty_score", "part:trainee/王芳.met", "part:trainee/王芳.incomplete"} <= srcs


def test_run_numbers_match_their_sources(aar_run_report: Built) -> None:
    sources = Sources(aar_run_report.folder, [])
    spans = check_page(aar_run_report.out / "aar.en.html", sources)
    assert {"summary:complaints.arrived", "summary:compliance_pct", "total:met", "total:missed"} <= {s["data-src"] for s in spans}


def test_counts_equal_the_scoring(aar_drill_report: Built) -> None:
    """The rule and chapter counts the report shows are those of ``score()`` run on the log here."""
    info = RunInfo.read(aar_drill_report.folder)
    plan, _ = info.load()
    result: Score = score(EventLog.read(aar_drill_report.folder / "events.jsonl"), plan)
    parser = Spans()
    parser.feed((aar_drill_report.out / "aar.en.html").read_text(encoding="utf-8"))
    checked = 0
    for span in parser.spans:
        m = re.fullmatch(r"summary:rules\.([\w-]+)\.(met|late|missed|cancelled|open)", span["data-src"])
        if m:
            assert int(span["text"]) == getattr(result.rules[m.group(1)], m.group(2))
            checked += 1
        m = re.fullmatch(r"chapter:(\d+)\.(met|late|missed|cancelled|open)", span["data-src"])
        if m:
            expected = sum(
                1 for d in result.duties if int(CHAPTER.search(d.section).group(1)) == int(m.group(1)) and d.status == m.group(2)
            )
            assert int(span["text"]) == expected
            checked += 1
    assert checked >= 5 * len(result.rules)


def md_table(md: str, heading: str) -> list[list[str]]:
    """The rows of the first table after ``heading`` in a Markdown text."""
    lines = md[md.index(heading) :].splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("| "))
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("| "):
            break
        rows.append([c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]])
    return rows


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_markdown_obligation_table_equals_summary(aar_drill_report: Built, lang: str) -> None:
    md = (aar_drill_report.out / f"aar.{lang}.md").read_text(encoding="utf-8")
    summary = json.loads((aar_drill_report.folder / "summary.json").read_text(encoding="utf-8"))
    heading = "## 附录A" if lang == "zh" else "## Appendix A"
    rows = md_table(md, heading)
    assert len(rows) == len(summary["obligations"])
    for row, o in zip(rows, summary["obligations"], strict=True):
        rule, section, _duty, _owner, opened, due, done, _status, late = row
        assert (rule, section) == (o["rule_id"], o["section"])
        assert abs(shown("clock", opened) - o["opened"]) <= 0.5
        assert abs(shown("clock", due) - o["due"]) <= 0.5
        assert shown("clock", done) is None if o["done"] is None else abs(shown("clock", done) - o["done"]) <= 0.5
        assert (late == "") == (o["status"] != "late")


def test_markdown_key_results_equal_summary(aar_run_report: Built) -> None:
    md = (aar_run_report.out / "aar.en.md").read_text(encoding="utf-8")
    summary = json.loads((aar_run_report.folder / "summary.json").read_text(encoding="utf-8"))
    rows = dict(md_table(md, "### Key results"))
    c = summary["complaints"]
    assert shown("int", rows["Complaints arrived"]) == c["arrived"]
    assert shown("int", rows["Answered"]) == c["answered"]
    assert shown("int", rows["Abandoned on the hotline"]) == c["abandoned"]
    assert abs(shown("hours", rows["Answer time, 90th percentile"]) - summary["answer_time_h"]["p90"]) <= 0.05
    assert abs(shown("pct", rows["Duty score"]) - summary["compliance_pct"]) <= 0.05
    counts = tuple(int(x) for x in rows["Duties scored: met / incomplete / late / missed"].split(" / "))
    fields = ("met", "incomplete", "late", "missed")
    assert counts == tuple(sum(r[f] for r in summary["rules"].values()) for f in fields)
