"""Command-line arguments are checked as they are parsed: the argument named, status 2, no traceback, no work done."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from simulator.cli.main import main


def refused(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    """Parse ``argv`` as ``drillsim`` does; return the error line argparse prints (it must exit 2)."""
    with pytest.raises(SystemExit) as done:
        main(argv)
    assert done.value.code == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return err.splitlines()[-1]


@pytest.mark.parametrize("command", [["run"], ["sweep", "--vary", "comms=1:2"], ["staff"], ["play"], ["serve"]])
@pytest.mark.parametrize("value", ["-1", "4294967296", str(2**80), "١٢", "7.5", "seven"])
def test_seed_is_a_whole_number_in_range(command: list[str], value: str, capsys: pytest.CaptureFixture[str]) -> None:
    line = refused([*command, "manual_error", "--seed", value], capsys)
    assert line.endswith(f"argument --seed: expected a whole number from 0 to 4294967295, got '{value}'")


def test_the_largest_seed_parses() -> None:
    from simulator.cli.main import build_parser

    assert build_parser().parse_args(["run", "--seed", "4294967295"]).seed == 2**32 - 1


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["sweep", "x", "--vary", "comms=1:2", "--reps", "0"],
            "argument --reps: expected a whole number from 1 to 1000000, got '0'",
        ),
        (
            ["staff", "x", "--reps", "99999999999999"],
            "argument --reps: expected a whole number from 1 to 1000000, got '99999999999999'",
        ),
        (
            ["host", "--seat", "a:duty", "--bind", "not..an..address"],
            "argument --bind: expected an IP address or a host name, got 'not..an..address'",
        ),
        (
            ["host", "--seat", "a:duty", "--bind", "drill_room!"],
            "argument --bind: expected an IP address or a host name, got 'drill_room!'",
        ),
        (
            ["sweep", "x", "--vary", "comms=1:2", "--workers", "0"],
            "argument --workers: expected a whole number from 1 to 1024, got '0'",
        ),
        (["play", "--pause-due", "nan"], "argument --pause-due: expected minutes >= 0, got 'nan'"),
        (["play", "--pause-due", "inf"], "argument --pause-due: expected minutes >= 0, got 'inf'"),
        (["play", "--pause-due", "-5"], "argument --pause-due: expected minutes >= 0, got '-5'"),
        (["serve", "--port", "99999"], "argument --port: expected a whole number from 1 to 65535, got '99999'"),
        (["serve", "--port", "-1"], "argument --port: expected a whole number from 1 to 65535, got '-1'"),
        (["serve", "--port", "0"], "argument --port: expected a whole number from 1 to 65535, got '0'"),
    ],
)
def test_numbers_out_of_range(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert refused(argv, capsys).endswith(message)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["run", "manual_error", "--out", "afile"], "argument --out: 'afile' is a file, not a folder"),
        (["run", "manual_error", "--out", "afile/sub"], "argument --out: 'afile' is a file; no folder can be made under it"),
        (["sweep", "x", "--vary", "comms=1:2", "--out", "afile"], "argument --out: 'afile' is a file, not a folder"),
        (["report", "run", "--out", "afile/r"], "argument --out: 'afile' is a file; no folder can be made under it"),
        (["play", "--folder", "afile"], "argument --folder: 'afile' is a file, not a folder"),
        (["msel", "export", "manual_error", "--out", "nowhere/x.csv"], "argument --out: folder 'nowhere' does not exist"),
        (["msel", "export", "manual_error", "--out", "adir"], "argument --out: 'adir' is a folder, not a file"),
    ],
)
def test_output_paths_are_checked_before_the_work(
    argv: list[str], message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "afile").write_text("x")
    (tmp_path / "adir").mkdir()
    assert refused(argv, capsys).endswith(message)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["adir", "afile"]


@pytest.mark.parametrize("option", ["--staff comms=٣", "--staff comms=-3", "--staff comms=²", "--staff comms=10001"])
def test_staff_takes_ascii_digits_only_within_the_team_limit(option: str, capsys: pytest.CaptureFixture[str]) -> None:
    flag, value = option.split()
    assert main(["run", "manual_error", flag, value]) == 2
    assert capsys.readouterr().err == (
        f"drillsim: --staff: expected TEAM=N with N a whole number of people from 0 to 10000, got '{value}'\n"
    )


@pytest.mark.parametrize("address", ["127.0.0.1", "::1", "localhost", "drill-room.example.org", "example.org."])
def test_bind_takes_addresses_and_host_names(address: str) -> None:
    from simulator.cli.main import build_parser

    assert build_parser().parse_args(["host", "--seat", "a:duty", "--bind", address]).bind == address


def test_vary_takes_ascii_digits_only(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sweep", "manual_error", "--vary", "comms=١:٣", "--no-chart"]) == 2
    assert capsys.readouterr().err == "drillsim: --vary: expected TEAM=LO:HI[:STEP] with whole numbers, got 'comms=١:٣'\n"


@pytest.mark.parametrize(("option", "spec"), [("--vary", "comms=9999:10001"), ("--range", "comms=9000000")])
def test_a_staff_range_beyond_the_team_limit(option: str, spec: str, capsys: pytest.CaptureFixture[str]) -> None:
    """A sweep over 10^7 people allocated the kernel's per-person arrays before anything said no."""
    command = "sweep" if option == "--vary" else "staff"
    assert main([command, "manual_error", option, spec]) == 2
    assert capsys.readouterr().err == f"drillsim: {option}: '{spec}' goes beyond 10000 people, the most a team may have\n"


def test_serve_refuses_a_port_in_use(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        status = main(["serve", "manual_error", "--bind", "127.0.0.1", "--port", str(port), "--db", str(tmp_path / "r.db")])
    assert status == 2
    assert capsys.readouterr().err == f"drillsim: --port: cannot listen on 127.0.0.1:{port} (Address already in use)\n"
