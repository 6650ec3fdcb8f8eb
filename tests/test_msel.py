"""MSEL spreadsheets: CSV and XLSX round trips, bad rows by row and column, writing scenario YAML."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from simulator.cli import main as cli
from simulator.load import load_scenario, load_yaml, resolve_scenario
from simulator.model import Inject, Lang, Plan, Scenario, ValidationFailed
from simulator.msel.reader import read_msel
from simulator.msel.table import COLUMNS, column_letter, rows, write_msel
from simulator.msel.times import parse_time
from simulator.msel.writer import replace_injects, write_injects

HEADER = [f"{c.key} {c.zh}" for c in COLUMNS]
COL = {c.key: i for i, c in enumerate(COLUMNS)}


def scenario(plan: Plan, name: str) -> Scenario:
    return load_scenario(resolve_scenario(name), plan)


def tricky(plan: Plan) -> Scenario:
    """A scenario whose injects carry text a spreadsheet can mangle."""
    base = scenario(plan, "car_airbags")
    injects = [
        *base.injects,
        Inject(
            at_h=36.25,
            synopsis='Quotes "and", commas; semicolons',
            kind="media",
            player="pr",
            text={"zh": "第一行\n第二行,含逗号“引号”", "en": "=SUM(A1:A2) is not a formula,\nand  two spaces "},
            set={"media": "national", "core_media_repost": True, "authority_letter": False},
            expected=["publish_bulletin", "regulator_update"],
        ),
        Inject(at_h=0.1 + 0.2, kind="info", text={"zh": "零点三", "en": "0.30000000000000004 h"}),
    ]
    return base.model_copy(update={"injects": injects})


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_round_trip_gives_back_the_same_injects(
    plan: Plan, scenario_paths: list[Path], tmp_path: Path, suffix: str, lang: Lang
) -> None:
    """import(export(s)) == s for every bundled scenario, in either language: names read back to ids,
    a synopsis the export filled in reads back as none, and the rows come back in order of time."""
    for source in scenario_paths:
        sc = load_scenario(source, plan)
        path = tmp_path / f"{sc.id}{suffix}"
        write_msel(sc.injects, path, plan, lang)
        assert read_msel(path, plan, sc) == sorted(sc.injects, key=lambda i: i.at_h), source.name


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_round_trip_is_exact_for_awkward_text(plan: Plan, tmp_path: Path, suffix: str) -> None:
    sc = tricky(plan)
    first = tmp_path / f"first{suffix}"
    write_msel(sc.injects, first, plan)
    back = read_msel(first, plan, sc)
    assert back == sorted(sc.injects, key=lambda i: i.at_h)
    second = tmp_path / f"second{suffix}"
    write_msel(back, second, plan)
    if suffix == ".csv":
        assert second.read_bytes() == first.read_bytes()
    else:
        assert cells(second) == cells(first)
        assert len(cells(first)) == len(rows(sc.injects, plan))


def cells(path: Path) -> list[list[object]]:
    sheet = load_workbook(path).active
    assert sheet is not None
    return [[c.value for c in row] for row in sheet.iter_rows()]


def write_csv(path: Path, table: list[list[str]], encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as fh:
        csv.writer(fh).writerows(table)
    return path


def good_row(**cells: str) -> list[str]:
    row = {"at_h": "10", "kind": "info", "player": "pr", "text_zh": "中文", "text_en": "English"} | cells
    return [row.get(c.key, "") for c in COLUMNS]


def problems_of(path: Path, plan: Plan, base: Scenario) -> list[tuple[int | None, int | None, str]]:
    with pytest.raises(ValidationFailed) as err:
        read_msel(path, plan, base)
    return [(p.location.line, p.location.column, f"{p.field}: {p.message}") for p in err.value.problems]


def test_bad_rows_are_reported_by_row_and_column(plan: Plan, tmp_path: Path) -> None:
    table = [
        HEADER,
        good_row(),
        good_row(at_h="soon"),
        good_row(player="chef"),
        good_row(expected="publish_bulletin; national_filling"),
        good_row(set="media=global"),
        good_row(set="bogus=true"),
        good_row(set="event_open"),
        good_row(text_en=""),
        good_row(text_zh=" ", text_en=""),
        good_row(at_h="-5"),
        [],
        good_row(),
    ]
    found = problems_of(write_csv(tmp_path / "bad.csv", table), plan, scenario(plan, "refund_surge"))
    expected = [
        (3, "at_h", "'soon' is not a time"),
        (4, "player", "unknown role 'chef'"),
        (5, "expected", "unknown action 'national_filling'"),
        (6, "set", "'global' is not a value of 'media' (none, regional, national)"),
        (7, "set", "unknown indicator 'bogus'"),
        (8, "set", "'event_open' is not NAME=VALUE"),
        (10, "text_zh", "the inject needs its text in Chinese or English"),
        (11, "at_h", "must be at least 0, not -5"),
    ]
    assert len(found) == len(expected)
    for (row, key, words), (line, column, message) in zip(expected, sorted(found), strict=True):
        assert (line, column) == (row, COL[key] + 1)
        assert f"row {row}, column {column_letter(COL[key])} ({key})" in message
        assert words in message


def test_header_problems_are_reported(plan: Plan, tmp_path: Path) -> None:
    table = [["at_h", "kind", "colour", "kind"], ["1", "info", "red", "info"]]
    found = problems_of(write_csv(tmp_path / "head.csv", table), plan, scenario(plan, "refund_surge"))
    messages = " | ".join(m for _, _, m in found)
    assert "column 'kind' appears twice (first in column B)" in messages
    assert "missing column 'text_zh' or 'text_en'" in messages
    assert "colour" not in messages


def test_stray_values_and_bad_xlsx_cells_are_located(plan: Plan, tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append([c.key for c in COLUMNS[:8]])  # column I has no header
    sheet.append([3.5, "", "info", "pr", "", "中文", "English", "", "stray"])
    sheet.append(["1d2h", "", "info", "nobody", "", "中文", "English", ""])
    path = tmp_path / "bad.xlsx"
    book.save(path)
    found = problems_of(path, plan, scenario(plan, "refund_surge"))
    assert [(line, column) for line, column, _ in found] == [(2, 9), (3, COL["player"] + 1)]
    assert "column I" in found[0][2] and "no known header" in found[0][2]


@pytest.mark.parametrize(
    ("cell", "hours"),
    [
        (36, 36.0),
        ("36", 36.0),
        ("36.5", 36.5),
        ("36h", 36.0),
        ("1d12h", 36.0),
        ("1d", 24.0),
        ("36:30", 36.5),
        ("x", None),
        ("", None),
    ],
)
def test_scenario_times(cell: str | int, hours: float | None) -> None:
    assert parse_time(cell) == hours


def test_headers_in_chinese_and_gb18030_csv(plan: Plan, tmp_path: Path) -> None:
    table = [[c.zh for c in COLUMNS], good_row(set="media=regional; event_open=是")]
    path = write_csv(tmp_path / "zh.csv", table, encoding="gb18030")
    (inj,) = read_msel(path, plan, scenario(plan, "refund_surge"))
    assert inj.set == {"media": "regional", "event_open": True}
    assert inj.text.zh == "中文"


def test_import_replaces_only_the_injects_block(plan: Plan, tmp_path: Path) -> None:
    source = resolve_scenario("express_parcels")
    target = tmp_path / "express.yaml"
    target.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    new = tricky(plan).injects
    write_injects(target, new, plan)
    after = load_scenario(target, plan)
    assert after.injects == new
    before = load_scenario(source, plan)
    assert after.model_dump(exclude={"injects"}) == before.model_dump(exclude={"injects"})
    old_text, new_text = source.read_text(encoding="utf-8"), target.read_text(encoding="utf-8")
    start = load_yaml(source).key_marks[("injects",)][0]
    assert new_text.splitlines()[: start - 1] == old_text.splitlines()[: start - 1]
    assert new_text.splitlines()[-20:] == old_text.splitlines()[-20:]


def test_rewriting_a_scenario_with_its_own_injects_keeps_it(plan: Plan, scenario_paths: list[Path], tmp_path: Path) -> None:
    for path in scenario_paths:
        sc = load_scenario(path, plan)
        copy = tmp_path / path.name
        copy.write_text(replace_injects(path, sc.injects), encoding="utf-8")
        assert load_scenario(copy, plan) == sc, path.name


@pytest.fixture
def drillsim() -> Callable[..., int]:
    return lambda *argv: cli.main(list(argv))


def test_msel_commands(plan: Plan, tmp_path: Path, drillsim: Callable[..., int], capsys: pytest.CaptureFixture[str]) -> None:
    sheet = tmp_path / "ride.xlsx"
    assert drillsim("msel", "export", "ride_hailing", "--out", str(sheet)) == 0
    out = tmp_path / "copy.yaml"
    assert drillsim("msel", "import", str(sheet), "--into", "ride_hailing", "--out", str(out)) == 0
    assert load_scenario(out, plan) == scenario(plan, "ride_hailing")
    assert drillsim("msel", "export", "ride_hailing", "--out", str(tmp_path / "x.txt")) == 2
    bad = write_csv(tmp_path / "bad.csv", [HEADER, good_row(kind="")])
    assert drillsim("msel", "import", str(bad), "--into", str(out)) == 2
    err = capsys.readouterr().err
    assert "x.txt: an MSEL file must end in .csv or .xlsx" in err
    assert f"bad.csv:2:{COL['kind'] + 1}: row 2, column C (kind)" in err
    assert load_scenario(out, plan) == scenario(plan, "ride_hailing")
