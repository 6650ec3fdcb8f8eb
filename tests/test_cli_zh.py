"""The command line in Chinese: every registered command's help, argparse's own words, and the commands' output.

The commands are enumerated from the parser (so a command added later is checked too); a command whose
output is not run here must say why in ``NOT_RUN``.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from test_bad_inputs import CASES, FOLDER, make_workdir, run_case
from test_bad_inputs import argv as case_argv

from simulator.cli.main import build_parser, main
from simulator.cli.texts import parsers, texts
from simulator.drill import DrillSession, Trainee, sessions_dir
from simulator.lang import find, lang_in, tr
from simulator.load import resolve_scenario

ZH_LOCALE = {"LANG": "zh_CN.UTF-8"}

# What is not a sentence: a command line (drillsim and its commands), option names, METAVARS, paths and
# file names, quoted values, key=value pairs, identifiers with underscores or dashes.
_NOT_PROSE = re.compile(r"\bdrillsim(?: [a-z]+)*|--?[\w-]+|\b[A-Z][A-Z0-9_]+\b|\S*[/\\.]\S+|'[^']*'|\S+=\S+|\b\w+[_-]\w+\b")
_SENTENCE = re.compile(r"\b[a-z]{2,}(?:,? [a-z]{2,}){2,}\b", re.IGNORECASE)


def english(text: str) -> list[str]:
    """The runs of three or more English words in ``text`` (what an untranslated sentence leaves)."""
    return _SENTENCE.findall(_NOT_PROSE.sub(" ", text))


def test_the_detector_finds_english_and_passes_chinese() -> None:
    assert english("options:\n  --plan PLAN  plan file (default: the bundled plan)") == ["the bundled plan"]
    assert english("用法: drillsim run [-h] [--plan PLAN] [scenario]\n  --plan PLAN  预案文件(默认: 内置预案)") == []
    assert english("已写出 /tmp/a b/events.jsonl 和 summary.json; 'media=regional; event_open=true'") == []


def commands() -> dict[str, list[str]]:
    """Every command of the command line (``msel export`` for a nested one), leaves only."""
    out = {}
    for path, parser in parsers(build_parser()):
        if path and not any(isinstance(a, argparse._SubParsersAction) for a in parser._actions):
            out[" ".join(path)] = path
    return out


@pytest.fixture
def zh(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", ZH_LOCALE["LANG"])


def test_the_language_comes_from_lang_else_the_locale() -> None:
    assert lang_in(["run", "--lang", "en"], ZH_LOCALE) == "en"
    assert lang_in(["report", "x", "--lang=zh,en"], {}) == "zh"
    assert lang_in(["run"], ZH_LOCALE) == "zh"
    assert lang_in(["run"], {"LC_ALL": "en_US.UTF-8", "LANG": "zh_CN.UTF-8"}) == "en"
    assert lang_in(["run"], {}) == "en"


def test_every_help_text_of_every_command_has_its_chinese() -> None:
    missing = [
        f"{' '.join(path) or 'drillsim'}: {text!r}"
        for path, parser in parsers(build_parser("en"))
        for text in texts(parser)
        if english(text) and find(text) is None
    ]
    assert not missing, "add these to simulator/lang/zh.py:\n" + "\n".join(missing)


@pytest.mark.parametrize("name", ["", *sorted(commands())])
def test_help_under_a_chinese_locale_has_no_english_sentence(name: str, zh: None, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main([*name.split(), "--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert "用法" in out and "显示本帮助并退出" in out
    assert english(out) == [], out


def test_argparse_errors_are_in_chinese(zh: None, capsys: pytest.CaptureFixture[str]) -> None:
    for argv, words in (
        (["rn"], "参数 command: 无效的选择: 'rn'"),
        (["run", "--seed", "x"], "参数 --seed: 需要 0 到 4294967295 之间的整数,收到 'x'"),
        (["msel", "import", "f.csv"], "缺少必需的参数: --into"),
        (["run", "--bogus"], "无法识别的参数: --bogus"),
    ):
        with pytest.raises(SystemExit):
            main(argv)
        err = capsys.readouterr().err
        assert words in err and "错误" in err and english(err) == [], err


NOT_RUN = {
    "schema": "prints a JSON schema (keys and descriptions of the file format)",
    "play": "the terminal UI, whose texts are tui/i18n.py's (tested in tests/tui)",
    "serve": "the terminal UI served to a browser, as play",
    "join": "a seat's terminal UI, as play",
    "host": "runs a server until stopped: test_the_host_names_its_seats_in_chinese runs it in a process of its own",
}
"""Commands whose output this test does not run, and why."""


def runs(tmp: Path) -> dict[str, list[list[str]]]:
    """Command lines of each command, run in order in ``tmp`` (later ones use what earlier ones wrote)."""
    scenario = str(resolve_scenario("manual_error"))
    return {
        "run": [["run", "manual_error", "--out", "run"]],
        "validate": [["validate", scenario]],
        "scenarios": [["scenarios"]],
        "lint": [["lint"]],
        "msel export": [["msel", "export", "manual_error", "--out", "m.xlsx"]],
        "msel import": [["msel", "import", "m.xlsx", "--into", "manual_error", "--out", "m.yaml"]],
        "tables": [["tables", "run"]],
        "export": [["export", "run", "--out", "run.zip"]],
        "import": [["import", "run.zip", "--into", "moved"]],
        "report": [["report", "moved", "--format", "md"]],
        "history": [["history", "--db", "records.sqlite3"]],
        "sweep": [
            ["sweep", "refund_surge", "--vary", "comms=10:12:2", "--reps", "2", "--workers", "1", "--no-chart", "--out", "s"]
        ],
        "staff": [["staff", "refund_surge", "--range", "comms=11:12", "--reps", "2", "--workers", "1", "--out", "st"]],
        "roster": [["roster", "refund_surge", "--no-check"]],
        "erlang": [
            ["erlang", "--calls", "100", "--aht", "300s", "--sl", "80/20"],
            ["erlang", "--calls", "100", "--aht", "0s"],
            ["erlang", "--calls", "1000", "--aht", "300s", "--agents", "50"],  # more work than the agents can do
        ],
    }


def test_every_command_speaks_chinese_under_a_chinese_locale(
    zh: None, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    plan = runs(tmp_path)
    assert set(plan) | set(NOT_RUN) == set(commands()), "say how each command's output is checked, or why not"
    for lines in plan.values():
        for argv in lines:
            status = main(argv)
            out, err = capsys.readouterr()
            assert status in (0, 1, 2), argv
            said = out + err
            assert said.strip(), argv
            assert english(said) == [], f"{argv}:\n{said}"
            assert re.search(r"[\u4e00-\u9fff]", said), f"{argv} said nothing in Chinese:\n{said}"


def test_the_same_commands_speak_english_with_lang_en(
    zh: None, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["run", "manual_error", "--out", "run", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "duty score:" in out and not re.search(r"[\u4e00-\u9fff]", out.replace("三级响应", ""))
    assert main(["tables", "run", "--lang", "en"]) == 0
    assert capsys.readouterr().out.startswith("wrote ")


def test_a_template_fills_its_holes_and_translates_only_marked_ones() -> None:
    said = tr("wrote run.zip: the drill in d, 9 files with their SHA-256", "zh")
    assert said == "已写出 run.zip: d 中的演练,共 9 个文件及其 SHA-256"
    assert tr("run: ok", "zh") == "run: 正确"  # a path named like a word stays a path
    assert tr("not in the catalogue", "zh") == "not in the catalogue"
    assert tr("options", "en") == "options"


def test_history_names_roles_in_chinese(zh: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "s.yaml"
    shutil.copyfile(resolve_scenario("manual_error"), path)
    trainees = (Trainee("张三", ("duty", "leadership", "logistics")),)
    DrillSession.start(path, None, trainees, folder=sessions_dir() / "a", db=tmp_path / "r.db").suspend()
    assert main(["history", "--db", str(tmp_path / "r.db")]) == 0
    out = capsys.readouterr().out
    assert "张三(总值班室值班员,应急领导小组,后勤保障组)" in out


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_workdir(tmp_path_factory.mktemp("cases") / "bad_inputs")


@pytest.mark.parametrize("name", CASES)
def test_every_bad_input_is_reported_in_chinese_at_the_same_place(
    name: str, workdir: Path, zh: None, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each case of tests/bad_inputs under a Chinese locale: the same places, the words in Chinese."""
    status, out, err = run_case(name, workdir, capsys, monkeypatch)
    assert (status, out) == (2, "")
    if lang_in(case_argv(name)) == "en":  # the case asks for English: --lang wins over the locale
        assert err == (FOLDER / f"{name}.expected").read_text(encoding="utf-8")
        return
    expected = (FOLDER / f"{name}.expected").read_text(encoding="utf-8").splitlines()
    said = err.splitlines()
    assert len(said) == len(expected)
    for zh_line, en_line in zip(said, expected, strict=True):
        place = re.match(r"(drillsim: )?[^ ]+?:(\d+:)*(\d+)?", en_line)
        assert place and zh_line.startswith(place[0]), (zh_line, en_line)
    # What a library says of a damaged file (zlib, expat, zipfile) is quoted as it said it, in parentheses.
    assert english(re.sub(r"\((?:[^()]|\([^()]*\))*\)|(?<=\().*$", "", err)) == [], err
    assert re.search(r"[\u4e00-\u9fff]", err), err


def test_a_mistyped_scenario_name_is_answered_in_chinese(zh: None, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["staff", "refund_surg"]) == 2
    err = capsys.readouterr().err
    assert err == "drillsim: refund_surg: 文件不存在,且未知的内置场景 'refund_surg';是否应为 'refund_surge'?\n"
    assert main(["run", "nosuch"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("drillsim: nosuch: 文件不存在,且未知的内置场景 'nosuch';内置的有: ") and english(err) == [], err


def test_a_tampered_bundle_is_refused_in_chinese(zh: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import zipfile

    run, bundle, tampered = tmp_path / "run", tmp_path / "run.zip", tmp_path / "t.zip"
    assert main(["run", "manual_error", "--out", str(run)]) == 0
    assert main(["export", str(run), "--out", str(bundle)]) == 0
    with zipfile.ZipFile(bundle) as zin, zipfile.ZipFile(tampered, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            zout.writestr(info, data + b"\n" if info.filename == "summary.json" else data)
    capsys.readouterr()
    assert main(["import", str(tampered), "--into", str(tmp_path / "in")]) == 2
    err = capsys.readouterr().err
    assert err == f"drillsim: {tampered}: 'summary.json' 与清单中的 SHA-256 不符;演练包被改动过\n"


def test_the_host_names_its_seats_in_chinese(tmp_path: Path) -> None:
    """``drillsim host`` under a zh locale, stopped once it has printed its three seats: kinds and roles by their names."""
    env = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES")}
    env.update(ZH_LOCALE, XDG_DATA_HOME=str(tmp_path))
    argv = [
        "host",
        "refund_surge",
        "--seat",
        "张三:duty",
        "--port",
        "0",
        "--folder",
        str(tmp_path / "s"),
        "--db",
        str(tmp_path / "r.db"),
    ]
    host = subprocess.Popen(
        [sys.executable, "-m", "simulator.cli", *argv], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )
    assert host.stdout is not None
    lines: list[str] = []
    try:
        while sum(line.startswith("  http://") for line in lines) < 3:
            line = host.stdout.readline()
            assert line, "the host stopped before printing its seats"
            lines.append(line)
    finally:
        host.send_signal(signal.SIGINT)
        out, err = host.communicate(timeout=30)
    said = "".join(lines) + out + err
    assert english(said) == [], said
    assert lines[0].startswith("演练会话 ") and "席位:" in lines[0], said
    assert "张三 (参演者: 总值班室值班员)" in said and "(导调员)" in said and "(评估员)" in said, said
