"""The end screen: the trainees' part first, then scores by rule, duty and decision, the hot wash, the report command.

The headline is the trainees' own figures (the duties of the roles they held, the decisions they
took), with the auto-responder's part on its own labelled line. The first tab shows each trainee
and each of their roles, then the auto-responder's part apart; every duty is shown met, incomplete
(naming what its document left out), late (by how much) or missed under its rule ID, the trainees'
first, cancelled and not-yet-due duties apart; the judged decisions, the selected one's whole
verdict (the conditions that held and did not, with their values) wrapped in a pane below; the hot
wash (the scenario's guide, notes, improvement items); and the command that writes the
after-action report.
"""

from __future__ import annotations

import shlex

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Label, Static, TabbedContent, TabPane

from simulator.batch import RunResult
from simulator.drill import AUTO_ACTOR, DrillSession
from simulator.model import Names, list_separator
from simulator.score import DecisionResult, DutyResult, RoleScore

from ..bindings import bindings
from ..i18n import clock, duration, tr
from ..settings import Settings
from ..widgets.keybar import KeyBar
from .hotwash import HotWashPane

STATUS_STYLE = {
    "met": "green",
    "incomplete": "magenta",
    "late": "yellow",
    "missed": "bold red",
    "cancelled": "dim",
    "open": "dim",
}


def pct(value: float | None) -> str:
    """A percentage, or a dash when nothing was scored."""
    return "—" if value is None else f"{value:.0f}%"


def report_command(session: DrillSession) -> str:
    """The command that writes the session's after-action report."""
    return f"drillsim report {shlex.quote(str(session.folder))}"


class EndScreen(Screen[None]):
    """The drill's results."""

    BINDINGS = bindings("end")

    def __init__(self, session: DrillSession, result: RunResult, settings: Settings) -> None:
        super().__init__()
        self.session = session
        self.result = result
        self.settings = settings
        self.lang = settings.lang
        self.parts = session.parts(result)
        self.judged = {str(j.seq): j for j in result.score.decisions}
        """The judged decisions by their row key in the decisions table."""

    def compose(self) -> ComposeResult:
        """The trainees' headline, the auto-responder's part apart, five tabs, the report command."""
        lang, mine, auto = self.lang, self.parts.trainee, self.parts.auto
        with Vertical(id="end"):
            yield Label(f"{tr('end.title', lang)} · {self.session.scenario.title(lang)}", classes="title")
            yield Static(tr("end.summary", lang, c=pct(mine.compliance_pct), d=pct(mine.decision_pct)), id="summary")
            yield Static(tr("end.auto_part", lang, c=pct(auto.compliance_pct), d=pct(auto.decision_pct)), id="auto-part")
            with TabbedContent(id="tabs"):
                with TabPane(tr("end.roles", lang), id="tab-roles"):
                    yield DataTable(id="roles", cursor_type="row", zebra_stripes=True)
                with TabPane(tr("end.by_rule", lang), id="tab-rules"):
                    yield DataTable(id="rules", cursor_type="row", zebra_stripes=True)
                with TabPane(tr("end.duties", lang), id="tab-duties"):
                    yield DataTable(id="duties", cursor_type="row", zebra_stripes=True)
                with TabPane(tr("end.decisions", lang), id="tab-decisions"):
                    yield DataTable(id="decisions", cursor_type="row", zebra_stripes=True)
                    with VerticalScroll(id="verdict-pane"):
                        yield Static(tr("end.no_decisions", lang), id="verdict")
                with TabPane(tr("end.hotwash", lang), id="tab-hotwash"):
                    yield HotWashPane(self.session, lang, id="hotwash")
            yield Static(tr("end.report", lang, cmd=report_command(self.session)), id="report", classes="note")
        yield KeyBar("end", lang, self.settings.keymap, id="keys")

    def on_mount(self) -> None:
        """Fill the tables."""
        self._rules()
        self._duties()
        self._decisions()
        self._roles()
        self.query_one("#roles", DataTable).focus()

    def action_switch_tab(self, step: int) -> None:
        """Show the next (1) or previous (-1) tab and focus its table."""
        tabs = self.query_one(TabbedContent)
        panes = [pane.id for pane in tabs.query(TabPane) if pane.id]
        current = panes.index(tabs.active) if tabs.active in panes else 0
        pane = panes[(current + step) % len(panes)]
        tabs.active = pane
        self.query_one(f"#{pane}").query("DataTable, Input").first().focus()

    def _columns(self, table_id: str, *labels: str) -> DataTable[Text | str]:
        table: DataTable[Text | str] = self.query_one(f"#{table_id}", DataTable)
        for label in labels:
            table.add_column(tr(label, self.lang), key=label)
        return table

    def _rules(self) -> None:
        labels = ("col.met", "col.incomplete", "col.late", "col.missed", "col.cancelled", "col.open")
        table = self._columns("rules", "col.rule", "col.section", *labels)
        for rs in self.result.score.rules.values():
            counts = (rs.met, rs.incomplete, rs.late, rs.missed, rs.cancelled, rs.open)
            styles = ("green", "magenta", "yellow", "bold red", "dim", "dim")
            table.add_row(
                Text(rs.rule, style="bold"),
                rs.section,
                *(Text(str(n), style=style if n else "", justify="right") for n, style in zip(counts, styles, strict=True)),
                key=rs.rule,
            )

    def outcome(self, duty: DutyResult) -> str:
        """A duty's outcome in words: met, incomplete without what, late by how much, missed ..."""
        lang = self.lang
        missing = Names(self.session.plan, lang).elements(duty.missing)
        if duty.status == "late":
            late = tr("end.late", lang, late=duration(duty.late_by, lang))
            return tr("end.late_incomplete", lang, late=late, missing=missing) if duty.missing else late
        if duty.status == "incomplete":
            return tr("end.incomplete", lang, missing=missing)
        return tr(f"end.{duty.status}", lang)

    def _duties(self) -> None:
        table = self._columns("duties", "col.rule", "col.duty", "col.owner", "col.due", "col.status")
        plan, lang = self.session.plan, self.lang
        theirs = {d.oid for d in self.parts.trainee.duties}
        for duty in sorted(self.result.score.duties, key=lambda d: (d.oid not in theirs, d.due, d.oid)):
            table.add_row(
                Text(duty.rule, style="bold"),
                duty.name_zh if lang == "zh" else duty.name_en,
                Names(plan, lang).owner(duty.owner),
                clock(duty.due, lang),
                Text(self.outcome(duty), style=STATUS_STYLE.get(duty.status, "")),
                key=str(duty.oid),
            )

    def _decisions(self) -> None:
        table = self._columns("decisions", "col.time", "col.role", "col.actor", "col.action", "col.status", "col.rule")
        plan, lang = self.session.plan, self.lang
        for j in sorted(self.result.score.decisions, key=lambda j: (j.actor == AUTO_ACTOR, j.t, j.seq)):
            table.add_row(
                clock(j.t, lang),
                Names(plan, lang).owner(j.role),
                self._actor(j),
                Names(plan, lang).action(j.action),
                self._verdict(j),
                j.rule,
                key=str(j.seq),
            )

    def _actor(self, j: DecisionResult) -> str:
        """Who took a decision: a trainee's name, or the auto-responder in words."""
        return tr("palette.auto", self.lang) if j.actor == AUTO_ACTOR else j.actor

    def _verdict(self, j: DecisionResult) -> Text:
        """Right or wrong, marked and coloured."""
        lang = self.lang
        return Text(tr("end.correct", lang), style="green") if j.correct else Text(tr("end.wrong", lang), style="bold red")

    def verdict(self, j: DecisionResult) -> Text:
        """A judged decision's whole verdict: who did what when, right or wrong under which rule, and why."""
        names, lang = Names(self.session.plan, self.lang), self.lang
        head = f"{clock(j.t, lang)} · {self._actor(j)} · {names.action(j.action)} · {j.rule} "
        return Text.assemble(
            (head, "bold"),
            self._verdict(j),
            "\n",
            (tr("end.why", lang), "bold"),
            j.why.say(lang, self.session.plan),
        )

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        """Show the highlighted decision's whole verdict in the pane under the decisions table."""
        if event.data_table.id == "decisions" and event.row_key.value in self.judged:
            self.query_one("#verdict", Static).update(self.verdict(self.judged[event.row_key.value]))

    def _roles(self) -> None:
        """Each trainee (bold) and each of their roles; then the auto-responder's part and its roles, dimmed."""
        labels = (
            "col.trainee",
            "col.role",
            "col.met",
            "col.incomplete",
            "col.late",
            "col.missed",
            "col.compliance",
            "col.decisions",
        )
        table = self._columns("roles", *labels)
        names, lang, split = Names(self.session.plan, self.lang), self.lang, self.parts
        auto = tr("end.auto_label", lang)
        for trainee in self.session.trainees:
            roles = list_separator(lang).join(names.role(r) for r in trainee.roles)
            self._score_row(table, f"trainee:{trainee.name}", trainee.name, roles, split.trainees[trainee.name], "bold")
            for role in trainee.roles if len(trainee.roles) > 1 else ():
                self._score_row(table, f"role:{role}", "", names.role(role), split.roles[role], "")
        self._score_row(table, "auto", auto, "", split.auto, "dim")
        for role, rs in split.roles.items():
            if role not in split.holders:
                self._score_row(table, f"role:{role}", "", names.role(role), rs, "dim")

    @staticmethod
    def _score_row(table: DataTable[Text | str], key: str, who: str, role: str, rs: RoleScore, style: str) -> None:
        judged = f"{rs.correct}/{len(rs.decisions)}" if rs.decisions else "—"
        cells = (str(rs.met), str(rs.incomplete), str(rs.late), str(rs.missed), pct(rs.compliance_pct), judged)
        table.add_row(
            Text(who, style=style),
            Text(role, style=style),
            *(Text(c, style=style, justify="right") for c in cells),
            key=key,
        )
