"""The drill journal: header round trip, fsync-before-return, torn last lines, located errors."""

from __future__ import annotations

import json
import os
import re
from dataclasses import replace
from pathlib import Path

import pytest

from simulator.drill.journal import JOURNAL, Journal, SessionHeader, read_journal
from simulator.drill.trainees import Trainee
from simulator.model import Decision, UserError

HEADER = SessionHeader(
    scenario="/x/refund_surge.yaml",
    plan=None,
    seed=7,
    trainees=(Trainee("张三", ("duty",)), Trainee("Li", ("command", "pr"))),
    lang="zh",
    started="2024-05-01T09:00:00.000+08:00",
)
D1 = Decision(60.0, "register_report", "duty", "张三", {}, ("time", "place"))
D2 = Decision(90.5, "declare_level", "command", "Li", {"level": "L2"})
DECISION_AT = (
    '{{"kind":"decision","t":{t},"action":"notify_gm","role":"duty","actor":"张三","params":{{}},"contents":[],'
    '"wall":"2024-05-01T09:01:00.000+08:00"}}'
)


def test_header_json_round_trip(tmp_path: Path) -> None:
    Journal.create(tmp_path / "a", HEADER).detach()
    assert read_journal(tmp_path / "a").header == HEADER
    Journal.create(tmp_path / "b", replace(HEADER, plan="/p/plan.yaml")).detach()
    assert read_journal(tmp_path / "b").header.plan == "/p/plan.yaml"


def test_write_and_read_back(tmp_path: Path) -> None:
    j = Journal.create(tmp_path / "s", HEADER)
    j.append(D1)
    j.clock(75.0)
    j.append(D2)
    j.clock(200.0)
    j.close("2024-05-01T10:00:00+08:00")
    got = read_journal(tmp_path / "s")
    assert got.header == HEADER
    assert got.decisions == [D1, D2]
    assert got.clock == 200.0
    assert got.ended
    lines = [json.loads(line) for line in (tmp_path / "s" / JOURNAL).read_text(encoding="utf-8").splitlines()]
    assert [rec["kind"] for rec in lines] == ["header", "decision", "clock", "decision", "clock", "end"]
    assert lines[1]["wall"] and lines[1]["actor"] == "张三"


def test_decisions_are_fsynced_and_clock_lines_are_not(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    j = Journal.create(tmp_path, HEADER)
    synced: list[int] = []
    real_fsync = os.fsync

    def spy(fd: int) -> None:
        # What is on disk at fsync time must already hold the decision line.
        synced.append(len(read_journal(tmp_path).decisions))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", spy)
    j.append(D1)
    assert synced == [1]
    j.clock(70.0)
    assert synced == [1]
    j.append(D2)
    assert synced == [1, 2]
    j.detach()


def test_torn_last_line_is_ignored_and_cut_on_reopen(tmp_path: Path) -> None:
    j = Journal.create(tmp_path, HEADER)
    j.append(D1)
    j.detach()
    path = tmp_path / JOURNAL
    whole = json.dumps({"kind": "decision", **D2.to_json()}, ensure_ascii=False)
    with path.open("ab") as f:
        f.write(whole.encode("utf-8")[:-7])
    assert read_journal(tmp_path).decisions == [D1]
    j2, contents = Journal.reopen(tmp_path)
    assert contents.decisions == [D1]
    j2.append(D2)
    j2.detach()
    assert read_journal(tmp_path).decisions == [D1, D2]
    assert all(json.loads(line) for line in path.read_text(encoding="utf-8").splitlines())


def test_torn_multibyte_character_is_ignored(tmp_path: Path) -> None:
    Journal.create(tmp_path, HEADER).detach()
    with (tmp_path / JOURNAL).open("ab") as f:
        f.write('{"kind":"decision","actor":"张'.encode()[:-1])
    assert read_journal(tmp_path).decisions == []


def test_corrupt_inner_line_names_file_and_line(tmp_path: Path) -> None:
    j = Journal.create(tmp_path, HEADER)
    j.append(D1)
    j.detach()
    with (tmp_path / JOURNAL).open("a", encoding="utf-8") as f:
        f.write("{not json\n")
        f.write(json.dumps({"kind": "clock", "t": 100.0}) + "\n")
    with pytest.raises(UserError, match=rf"{JOURNAL}:3: not a journal line"):
        read_journal(tmp_path)


@pytest.mark.parametrize(
    ("line", "why"),
    [
        ('{"kind":"mystery"}', "unknown line kind 'mystery'"),
        ('{"t":1}', "no line kind"),
        ('{"kind":"decision","t":1}', "action: Field required"),
        (DECISION_AT.format(t="10"), "a decision at 10.0 after the clock had reached 50.0"),
        ("[1, 2]", "not a journal line"),
        ('{"kind":"clock","t":NaN}', "not a journal line"),
        ('{"kind":"clock","t":Infinity}', "not a journal line"),
        ('{"kind":"clock","t":"60"}', "t: Input should be a valid number"),
        ('{"kind":"clock","t":true}', "t: Input should be a valid number"),
        ('{"kind":"clock","t":-1}', "t: Input should be greater than or equal to 0"),
        (DECISION_AT.format(t="1e999"), "not a journal line"),
        (DECISION_AT.format(t="60").replace('"params":{}', '"params":[["level","L2"]]'), "params: Input should be an object"),
        (DECISION_AT.format(t="60").replace('"contents":[]', '"contents":[1]'), "contents[0]: Input should be a valid string"),
        (json.dumps({"kind": "header", **HEADER.to_json()}), "a second session header"),
    ],
)
def test_bad_lines(tmp_path: Path, line: str, why: str) -> None:
    j = Journal.create(tmp_path, HEADER)
    j.clock(50.0)
    j.detach()
    with (tmp_path / JOURNAL).open("a", encoding="utf-8") as f:
        f.write(line + "\n")
    with pytest.raises(UserError, match=rf":3: .*{re.escape(why)}"):
        read_journal(tmp_path)


@pytest.mark.parametrize(
    ("change", "why"),
    [
        ({"seed": -1}, "seed: Input should be greater than or equal to 0"),
        ({"seed": 2**40}, "seed: Input should be less than or equal to 4294967295"),
        ({"seed": "7"}, "seed: Input should be a valid integer"),
        ({"lang": "fr"}, "lang: Input should be 'zh' or 'en'"),
        ({"trainees": {"name": "x"}}, "trainees: Input should be a valid"),
        ({"trainees": [{"name": "", "roles": ["duty"]}]}, "trainees[0].name: String should have at least 1 character"),
        ({"surprise": 1}, "surprise: Extra inputs are not permitted"),
        ({"scenario": ""}, "scenario: String should have at least 1 character"),  # it would be read as the folder '.'
        ({"plan": ""}, "plan: String should have at least 1 character"),
    ],
)
def test_bad_headers(tmp_path: Path, change: dict[str, object], why: str) -> None:
    rec = {"kind": "header", **HEADER.to_json(), **change}
    (tmp_path / JOURNAL).write_text(json.dumps(rec) + "\n", encoding="utf-8")
    with pytest.raises(UserError, match=rf"{JOURNAL}:1: not a journal line \(header\.{re.escape(why)}"):
        read_journal(tmp_path)


def test_a_line_after_the_end_is_damage(tmp_path: Path) -> None:
    Journal.create(tmp_path, HEADER).close("2024-05-01T10:00:00+08:00")
    with (tmp_path / JOURNAL).open("a", encoding="utf-8") as f:
        f.write('{"kind":"clock","t":5}\n')
    with pytest.raises(UserError, match=r":3: .*a line after the session's end"):
        read_journal(tmp_path)


def test_damage_in_the_middle_is_refused_and_the_file_left_as_it_was(tmp_path: Path) -> None:
    j = Journal.create(tmp_path, HEADER)
    j.append(D1)
    j.append(D2)
    j.detach()
    path = tmp_path / JOURNAL
    lines = path.read_bytes().split(b"\n")
    lines[1] = lines[1][:20] + b"#" + lines[1][21:]
    damaged = b"\n".join(lines) + b'{"kind":"clock","t":9'  # and a torn last line
    path.write_bytes(damaged)
    with pytest.raises(UserError, match=rf"{JOURNAL}:2: not a journal line"):
        Journal.reopen(tmp_path)
    assert path.read_bytes() == damaged


def test_a_journal_that_is_a_folder(tmp_path: Path) -> None:
    (tmp_path / JOURNAL).mkdir()
    with pytest.raises(UserError, match=rf"{JOURNAL}: is a folder, not a file"):
        read_journal(tmp_path)


def test_a_journal_that_is_a_named_pipe(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / JOURNAL)
    with pytest.raises(UserError, match=rf"{JOURNAL}: not a regular file"):
        read_journal(tmp_path)


def test_missing_or_headless_journal(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="not a drill-session folder"):
        read_journal(tmp_path)
    (tmp_path / JOURNAL).write_text('{"kind":"header","scenario":"x"', encoding="utf-8")
    with pytest.raises(UserError, match="no session header"):
        read_journal(tmp_path)
    (tmp_path / JOURNAL).write_text(json.dumps({"kind": "clock", "t": 1}) + "\n", encoding="utf-8")
    with pytest.raises(UserError, match=r":1: .*session header"):
        read_journal(tmp_path)


def test_create_refuses_an_existing_session(tmp_path: Path) -> None:
    Journal.create(tmp_path, HEADER).detach()
    with pytest.raises(UserError, match="already lives in this folder"):
        Journal.create(tmp_path, HEADER)


def test_reopen_refuses_a_finished_session(tmp_path: Path) -> None:
    Journal.create(tmp_path, HEADER).close("2024-05-01T10:00:00+08:00")
    with pytest.raises(UserError, match="has finished"):
        Journal.reopen(tmp_path)


def test_a_document_s_text_is_journaled_and_older_journals_without_text_still_read(tmp_path: Path) -> None:
    notice = Decision(30.0, "warning_notice", "pr", "李", {}, ("risk_nature",), {"title": "情况通报", "body": "正在核实。"})
    j = Journal.create(tmp_path / "s", HEADER)
    j.append(notice)
    j.append(D1)
    j.detach()
    assert read_journal(tmp_path / "s").decisions == [notice, D1]
    path = tmp_path / "s" / JOURNAL
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert lines[1]["text"] == {"body": "正在核实。", "title": "情况通报"} and "text" not in lines[2]
    del lines[1]["text"]  # as a journal written before documents had text
    path.write_text("".join(json.dumps(rec, ensure_ascii=False) + "\n" for rec in lines), encoding="utf-8")
    assert read_journal(tmp_path / "s").decisions == [replace(notice, text={}), D1]
