"""MSELs as planners write them: HSEEP-style sheets, T3SF's JSON, user mappings, planner times; the export
sorted, by name, with a synopsis and drop-down lists."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from simulator.cli.main import main
from simulator.load import load_scenario, resolve_scenario
from simulator.model import Inject, Plan, Problem, Scenario, ValidationFailed
from simulator.msel import mapping, read_msel, write_msel
from simulator.msel.table import COLUMNS, derived_synopsis, in_order, rows
from simulator.msel.times import StartNeeded, parse_time

# HSEEP-style headers (Event #, Scenario Time, Event Synopsis, Intended Player, Expected Action,
# Responsible Controller, Notes), one synopsis in one language, no kind, and two columns HSEEP does not have.
HSEEP = [
    ["Event #", "Scenario Time", "Event Synopsis", "Intended Player", "Expected Action", "Responsible Controller", "Notes",
     "Location", "MSEL Status"],
    ["1", "D+0 02:00", "热线接到一名顾客关于退款的投诉。", "总值班室值班员", "接报登记", "王五", "by phone", "Shanghai", "ready"],
    ["2", "D+1 08:30", "A regional paper asks about the refunds.", "PR",
     "publish the daily situation bulletin; update the regulator", "Li", "", "", "draft"],
    ["3", "30:15", "法务部收到监管来函。", "legal", "regulator_report", "", "", "", ""],
]  # fmt: skip


def base(plan: Plan) -> Scenario:
    return load_scenario(resolve_scenario("refund_surge"), plan)


def write_csv(path: Path, table: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(table)
    return path


def write_xlsx(path: Path, table: list[list[str]]) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in table:
        sheet.append(row)
    book.save(path)
    return path


def check_hseep(injects: list[Inject], warnings: list[Problem]) -> None:
    first, second, third = injects
    assert (first.at_h, first.kind, first.player, first.expected) == (2.0, "info", "duty", ["register_report"])
    assert (first.text.zh, first.text.en) == ("热线接到一名顾客关于退款的投诉。", "")
    assert first.notes == "by phone\nResponsible Controller: 王五\nLocation: Shanghai\nMSEL Status: ready"
    assert (second.at_h, second.player, second.expected) == (32.5, "pr", ["publish_bulletin", "regulator_update"])
    assert (second.text.zh, second.text.en) == ("", "A regional paper asks about the refunds.")
    assert (third.at_h, third.player, third.expected) == (30.25, "legal", ["regulator_report"])
    if warnings:
        assert [(w.location.line, w.location.column) for w in warnings] == [(1, 8), (1, 9)]
        assert "unknown column 'Location': kept in each inject's notes" in str(warnings[0])


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_an_hseep_sheet_with_extra_columns_imports(plan: Plan, tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"hseep{suffix}"
    (write_csv if suffix == ".csv" else write_xlsx)(path, HSEEP)
    warnings: list[Problem] = []
    check_hseep(read_msel(path, plan, base(plan), warnings=warnings), warnings)


def test_hseep_problems_are_still_located(plan: Plan, tmp_path: Path) -> None:
    table = [HSEEP[0], ["1", "D+0 25:00", "x", "chef", "", "", "", "", ""], ["2", "Tuesday 08:00", "y", "", "", "", "", "", ""]]
    with pytest.raises(ValidationFailed) as err:
        read_msel(write_csv(tmp_path / "bad.csv", table), plan, base(plan))
    found = sorted((p.location.line, p.location.column, p.field, p.message) for p in err.value.problems)
    assert found[0][:3] == (2, 2, "row 2, column B (at_h)") and "'D+0 25:00' is not a time" in found[0][3]
    assert found[1][:3] == (2, 4, "row 2, column D (player)") and "unknown role 'chef'" in found[1][3]
    assert found[2][:3] == (3, 2, "row 3, column B (at_h)") and "counts from the exercise start" in found[2][3]
    assert len(found) == 3


T3SF = [
    {"#": 1, "Real Time": "07:29 PM", "Date": "Monday 9:30 AM", "Subject": "Refund complaints", "From": "Hotline",
     "Player": "duty officer", "Script": "The hotline logs a wave of refund complaints.", "Photo": "", "Poll": ""},
    {"#": 2, "Real Time": "07:35 PM", "Date": "Tuesday 11:15 AM", "Subject": "媒体来电", "From": "日报记者",
     "Player": "公关部", "Script": "一名记者来电询问退款问题。", "Photo": "https://example.org/a.png",
     "Poll": "Answer | Decline"},
]  # fmt: skip
"""Shaped like T3SF's MSEL_EXAMPLE.json (github.com/Base4Security/T3SF, examples/): a list of objects."""


def test_a_t3sf_json_msel_imports_from_the_exercise_start(plan: Plan, tmp_path: Path) -> None:
    path = tmp_path / "msel.json"
    text = json.dumps(T3SF, ensure_ascii=False, indent=1)
    path.write_text(text, encoding="utf-8")
    warnings: list[Problem] = []
    start = dt.datetime(2026, 3, 2, 9, 0)  # a Monday
    first, second = read_msel(path, plan, base(plan), warnings=warnings, start=start)
    assert (first.at_h, first.kind, first.player, first.synopsis) == (0.5, "info", "duty", "Refund complaints")
    assert first.text.en == "The hotline logs a wave of refund complaints." and first.text.zh == ""
    assert first.notes == "Real Time: 07:29 PM\nFrom: Hotline"
    assert (second.at_h, second.player, second.text.zh) == (26.25, "pr", "一名记者来电询问退款问题。")
    assert second.notes == "Real Time: 07:35 PM\nFrom: 日报记者\nPhoto: https://example.org/a.png\nPoll: Answer | Decline"
    assert sorted(w.message.split("'")[1] for w in warnings) == ["Photo", "Poll"]
    lines = text.splitlines()
    for w, key in zip(warnings, ("Photo", "Poll"), strict=True):  # each at its key's first line in the file
        assert w.location.line == next(n for n, line in enumerate(lines, 1) if f'"{key}"' in line)


def test_a_json_msel_locates_problems_by_line_and_column(plan: Plan, tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('[\n {"Date": "D+0 01:00", "Player": "nobody",\n  "Script": "x"},\n {"Date": "soon", "Script": "y"}\n]\n')
    with pytest.raises(ValidationFailed) as err:
        read_msel(path, plan, base(plan))
    found = sorted((p.location.line, p.location.column, p.field) for p in err.value.problems)
    assert found == [(2, 34, "item 1, 'Player' (player)"), (4, 11, "item 2, 'Date' (at_h)")]
    path.write_text('{"Date": 1}')
    with pytest.raises(ValidationFailed, match="a JSON MSEL is a list of objects"):
        read_msel(path, plan, base(plan))


def test_a_user_mapping_file(plan: Plan, tmp_path: Path) -> None:
    spec = tmp_path / "columns.yaml"
    spec.write_text("preset: hseep\ncolumns: {When: at_h, Message: text, Type: kind, Owner: skip}\nkind: media\n")
    table = [["When", "Type", "Message", "Owner"], ["3", "", "记者来电。", "Wang"], ["4", "监管来函", "A letter.", "Li"]]
    first, second = read_msel(write_csv(tmp_path / "m.csv", table), plan, base(plan), mapping(str(spec)))
    assert (first.at_h, first.kind, first.text.zh, first.notes) == (3.0, "media", "记者来电。", "")
    assert (second.kind, second.text.en) == ("regulator_letter", "A letter.")
    spec.write_text("columns: {When: time}\nstart: tomorrow\n", encoding="utf-8")
    with pytest.raises(ValidationFailed) as err:
        mapping(str(spec))
    assert [(p.location.line, p.location.column) for p in err.value.problems] == [(1, 17), (2, 8)]


@pytest.mark.parametrize(
    ("cell", "start", "hours"),
    [
        ("D+1 08:00", None, 32.0),
        ("D+0 9:30 PM", None, 21.5),
        ("D+2", None, 48.0),
        ("D+1 08:00", dt.datetime(2026, 3, 2, 9), 23.0),
        ("2026-03-03 10:30", dt.datetime(2026, 3, 2, 9), 25.5),
        (dt.datetime(2026, 3, 2, 12, 0), dt.datetime(2026, 3, 2, 9), 3.0),
        ("Wednesday 09:00", dt.datetime(2026, 3, 2, 9), 48.0),
        ("周二 08:00", dt.datetime(2026, 3, 2, 8), 24.0),
        ("Monday 13:00 PM", dt.datetime(2026, 3, 2, 9), None),
        ("D+1 24:30", None, None),
    ],
)
def test_planner_times(cell: str | dt.datetime, start: dt.datetime | None, hours: float | None) -> None:
    assert parse_time(cell, start) == hours


def test_a_date_time_without_a_start_says_so() -> None:
    with pytest.raises(StartNeeded):
        parse_time("2026-03-03 10:30")


def test_export_is_sorted_named_and_summarised(plan: Plan, tmp_path: Path) -> None:
    sc = base(plan)
    text = {"zh": "第二天。更多。", "en": "Day two."}
    late = Inject(at_h=36, kind="media", player="pr", expected=["publish_bulletin"], text=text)
    early = Inject(at_h=34, kind="regulator_letter", player="legal", text={"zh": "", "en": "A letter arrives. It asks."})
    table = rows([late, early], plan, "zh")
    col = {c.key: i for i, c in enumerate(COLUMNS)}
    assert [r[col["at_h"]] for r in table[1:]] == [34, 36]
    assert [r[col["kind"]] for r in table[1:]] == ["监管来函", "媒体报道"]
    assert [r[col["player"]] for r in table[1:]] == ["法务部", "公关部"]
    assert table[2][col["expected"]] == "发布每日情况通报"
    assert [r[col["synopsis"]] for r in table[1:]] == ["A letter arrives", "第二天"]  # no Chinese yet: the English
    assert rows([late], plan, "en")[1][col["player"]] == "PR"
    path = tmp_path / "msel.xlsx"
    write_msel([late, early], path, plan, "en")
    assert read_msel(path, plan, sc) == [early, late]
    book = load_workbook(path)
    rules = {str(v.sqref).split(":")[0]: v for v in book["MSEL"].data_validations.dataValidation}
    lists = book["lists"]
    assert lists.sheet_state == "hidden"
    for key, column in (("kind", "A"), ("player", "B"), ("expected", "C")):
        rule = rules[f"{chr(65 + col[key])}2"]
        assert rule.type == "list" and rule.formula1.startswith(f"lists!${column}$1")
    assert {c.value for c in lists["B"] if c.value} == {plan.roles[r].name("en") for r in plan.roles}
    assert rules[f"{chr(65 + col['player'])}2"].errorStyle == "stop"


def test_derived_synopsis() -> None:
    assert derived_synopsis("第一句。第二句") == "第一句"
    assert derived_synopsis("One. Two") == "One"
    assert derived_synopsis("v1.2 is out") == "v1.2 is out"
    assert derived_synopsis("x" * 50) == "x" * 39 + "…"


def test_planner_msels_import_validate_and_run(plan: Plan, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The commands as a planner uses them: import an HSEEP XLSX and a T3SF JSON, validate, run."""
    sheet = write_xlsx(tmp_path / "hseep.xlsx", HSEEP)
    merged = tmp_path / "hseep.yaml"
    assert main(["msel", "import", str(sheet), "--into", "refund_surge", "--out", str(merged)]) == 0
    err = capsys.readouterr().err
    assert "warning: " in err and "unknown column 'MSEL Status'" in err
    warnings: list[Problem] = []
    check_hseep(load_scenario(merged, plan).injects, warnings)  # notes and one-language texts kept in the YAML
    feed = tmp_path / "t3sf.json"
    feed.write_text(json.dumps(T3SF, ensure_ascii=False), encoding="utf-8")
    both = tmp_path / "both.yaml"
    args = ["msel", "import", str(feed), "--into", str(merged), "--out", str(both), "--start", "2026-03-02 09:00"]
    assert main(args) == 0
    assert main(["msel", "import", str(feed), "--into", str(merged), "--out", str(both), "--start", "soon"]) == 2
    assert "--start: 'soon' is not a date-time" in capsys.readouterr().err
    assert main(["validate", str(merged), str(both)]) == 0
    out = tmp_path / "run"
    assert main(["run", str(both), "--out", str(out)]) == 0
    events = [json.loads(line) for line in (out / "events.jsonl").read_text(encoding="utf-8").splitlines()]
    injected = [e for e in events if e["type"] == "InjectFired"]
    assert [e["t"] for e in injected] == [30.0, 1575.0]


def test_export_order_places_relative_and_conditional_injects_by_what_they_follow() -> None:
    def inj(name: str, at_h: float = 0.0, **more: object) -> Inject:
        return Inject.model_validate({"id": name, "at_h": at_h, "kind": "info", "text": {"zh": name, "en": ""}, **more})

    late = inj("late", 10)
    follow = inj("follow", after={"inject": "early", "delay_h": 12})  # 3 + 12 = 15 h: after late
    early = inj("early", 3)
    asked = inj("asked", when={"decision": "open_backup_hotline", "taken": False})  # no time: where early is (3 h)
    alone = inj("alone", 1, after={"decision": "announce"})  # no earlier than 1 h nor than asked before it: 3 h
    assert [i.id for i in in_order([late, follow, early, asked, alone])] == ["early", "asked", "alone", "late", "follow"]
