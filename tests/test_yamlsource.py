"""Tests for loading YAML with source marks and turning validation errors into problems."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, Literal

import pytest
from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag

import simulator.load.yamlsource as yamlsource
from simulator.load.yamlsource import SourceDoc, load_yaml, problem, validate
from simulator.model import Location, Problem, UserError, ValidationFailed


class Strict(BaseModel):
    """Test base: unknown keys are errors."""

    model_config = ConfigDict(extra="forbid")


class Team(Strict):
    """A team with staff."""

    name: str
    staff: int


class Media(Strict):
    """A media inject."""

    kind: Literal["media"]
    level: Literal["L1", "L2", "L3"]


class Letter(Strict):
    """A regulator letter inject."""

    kind: Literal["letter"]
    sender: str


class ByTask(Strict):
    """Met by a task."""

    task: str


class ByAnswered(Strict):
    """Met by answering a fraction of complaints in time."""

    answered_fraction: float
    within_h: float


class Move(Strict):
    """A key named by alias."""

    from_: str = Field(alias="from")
    to: str


def _kind(data: Any) -> str:
    return "any" if isinstance(data, dict) and "any" in data else "atom"


class Atom(Strict):
    """A condition on one indicator."""

    indicator: str


class AnyOf(Strict):
    """A condition that holds when one member holds."""

    any: list[Condition]


Condition = Annotated[Annotated[Atom, Tag("atom")] | Annotated[AnyOf, Tag("any")], Discriminator(_kind)]
AnyOf.model_rebuild()


class Scenario(Strict):
    """The model under test."""

    title: str
    teams: list[Team]
    injects: list[Annotated[Media | Letter, Field(discriminator="kind")]] = []
    met_by: ByTask | ByAnswered | None = None
    moves: list[Move] = []
    when: Condition | None = None
    staffing: dict[str, int] = {}


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str], Path]:
    """Write YAML text to a file and return its path."""

    def _write(text: str) -> Path:
        path = tmp_path / "s.yaml"
        path.write_text(text, encoding="utf-8")
        return path

    return _write


def _failure(path: Path, model: type[BaseModel] = Scenario) -> list[str]:
    """Load and validate, expecting failure; return the problems as strings."""
    with pytest.raises(ValidationFailed) as info:
        validate(model, load_yaml(path))
    return [str(p) for p in info.value.problems]


TEAMS = """\
title: drill
teams:
  - name: cs
    staff: 30
  - name: tech
    staff: 15
tags: [a, "b"]
"""


def test_marks_are_exact(write: Callable[[str], Path]) -> None:
    """Every key and value keeps its exact 1-based line and column."""
    doc = load_yaml(write(TEAMS))
    assert doc.data == {
        "title": "drill",
        "teams": [{"name": "cs", "staff": 30}, {"name": "tech", "staff": 15}],
        "tags": ["a", "b"],
    }
    assert doc.value_marks[()] == (1, 1)
    assert doc.value_marks[("title",)] == (1, 8)
    assert doc.value_marks[("teams",)] == (3, 3)
    assert doc.value_marks[("teams", 1)] == (5, 5)
    assert doc.value_marks[("teams", 1, "staff")] == (6, 12)
    assert doc.key_marks[("teams", 1, "staff")] == (6, 5)
    assert doc.value_marks[("tags", 1)] == (7, 11)


def test_locate_key_value_and_deepest_prefix(write: Callable[[str], Path]) -> None:
    """locate() points at a key, a value, or the deepest existing parent."""
    path = write(TEAMS)
    doc = load_yaml(path)
    assert doc.locate(("teams", 1, "staff")) == Location(str(path), 6, 12)
    assert doc.locate(("teams", 1, "staff"), key=True) == Location(str(path), 6, 5)
    assert doc.locate(("teams", 1, "lead", "phone")) == Location(str(path), 5, 5)
    assert doc.locate(("teams", 1), key=True) == Location(str(path), 5, 5)
    assert doc.locate(("nowhere",)) == Location(str(path), 1, 1)


def test_problem_helper(write: Callable[[str], Path]) -> None:
    """problem() builds a located Problem with a printable field path."""
    path = write(TEAMS)
    doc = load_yaml(path)
    found = problem(doc, ("teams", 0, "name"), "no such team 'cs'")
    assert found == Problem(Location(str(path), 3, 11), "no such team 'cs'", "teams[0].name")
    assert str(found) == f"{path}:3:11: teams[0].name: no such team 'cs'"
    assert str(problem(doc, ("teams", 0, "name"), "x", key=True)).startswith(f"{path}:3:5:")


def test_keys_are_source_text_and_timestamps_stay_text(write: Callable[[str], Path]) -> None:
    """Keys are the text written; timestamps are not turned into dates."""
    doc = load_yaml(write("on: 2024-05-01\n1: null\nyes: no\n"))
    assert doc.data == {"on": "2024-05-01", "1": None, "yes": False}


def test_duplicate_key_points_at_second_occurrence(write: Callable[[str], Path]) -> None:
    """A repeated key is an error at its second occurrence."""
    path = write("title: a\nteams:\n  - name: x\n    staff: 1\n    name: y\ntitle: b\n")
    with pytest.raises(ValidationFailed) as info:
        load_yaml(path)
    assert str(info.value) == (
        f"{path}:5:5: teams[0].name: duplicate key 'name' (first at line 3)\n"
        f"{path}:6:1: title: duplicate key 'title' (first at line 1)"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: b: c\n", "1:5: mapping values are not allowed here"),
        ("a:\n  - 1\n - 2\n", "3:2: expected <block end>, but found '<block sequence start>'"),
        ("a: [1, 2\n", "2:1: expected ',' or ']', but got '<stream end>'"),
        ("a: 1\n---\nb: 2\n", "2:1: expected a single document in the stream, but found another"),
        ("a: 1\nb: \x01\n", "2:4: special characters are not allowed (character #x0001)"),
    ],
)
def test_syntax_errors_are_located(write: Callable[[str], Path], text: str, expected: str) -> None:
    """Parser errors carry the parser's mark and problem text."""
    path = write(text)
    with pytest.raises(ValidationFailed) as info:
        load_yaml(path)
    assert str(info.value).startswith(f"{path}:{expected}")


def test_alias_loop_is_a_problem(write: Callable[[str], Path]) -> None:
    """An alias inside the node it names is refused, not recursed into."""
    path = write("a: &x [1, *x]\n")
    with pytest.raises(ValidationFailed, match="alias may not refer"):
        load_yaml(path)


def test_merge_key_is_refused(write: Callable[[str], Path]) -> None:
    """Merge keys are reported rather than silently kept as a key."""
    path = write("base: &b {x: 1}\nother:\n  <<: *b\n")
    with pytest.raises(ValidationFailed) as info:
        load_yaml(path)
    assert str(info.value) == f"{path}:3:3: other: merge keys ('<<') are not supported"


def test_did_you_mean_in_a_model_inside_a_list(write: Callable[[str], Path]) -> None:
    """A misspelt key in a list item gets a suggestion, at the key."""
    path = write("title: t\nteams:\n  - name: cs\n    staf: 3\n")
    assert _failure(path) == [
        f"{path}:3:5: teams[0]: missing required key 'staff'",
        f"{path}:4:5: teams[0].staf: unknown key 'staf'; did you mean 'staff'?",
    ]


def test_unknown_key_without_close_match_lists_keys(write: Callable[[str], Path]) -> None:
    """With no close match the allowed keys are listed."""
    path = write("title: t\nteams: []\nzzz: 1\n")
    assert _failure(path) == [
        (f"{path}:3:1: zzz: unknown key 'zzz'; expected one of: title, teams, injects, met_by, moves, when, staffing")
    ]


def test_did_you_mean_uses_aliases(write: Callable[[str], Path]) -> None:
    """Suggestions and missing keys use a field's alias."""
    path = write("title: t\nteams: []\nmoves:\n  - {form: a, to: b}\n")
    assert _failure(path) == [
        f"{path}:4:5: moves[0]: missing required key 'from'",
        f"{path}:4:6: moves[0].form: unknown key 'form'; did you mean 'from'?",
    ]


def test_missing_key_points_at_parent_mapping(write: Callable[[str], Path]) -> None:
    """A missing key is reported at the mapping that lacks it."""
    path = write("# scenario\n\nteams:\n  - name: cs\n    staff: 3\n")
    assert _failure(path) == [f"{path}:3:1: missing required key 'title'"]


def test_literal_error_and_tag_dropped_from_path(write: Callable[[str], Path]) -> None:
    """A literal error lists the choices; the union tag is not in the path."""
    path = write("title: t\nteams: []\ninjects:\n  - kind: media\n    level: blue\n")
    assert _failure(path) == [f"{path}:5:12: injects[0].level: 'blue' is not one of: 'L1', 'L2', 'L3'"]


def test_did_you_mean_inside_tagged_union(write: Callable[[str], Path]) -> None:
    """Suggestions come from the union member chosen by the tag."""
    path = write("title: t\nteams: []\ninjects:\n  - {kind: letter, sendr: x}\n")
    assert _failure(path) == [
        f"{path}:4:5: injects[0]: missing required key 'sender'",
        f"{path}:4:20: injects[0].sendr: unknown key 'sendr'; did you mean 'sender'?",
    ]


def test_callable_discriminator_tags_are_dropped(write: Callable[[str], Path]) -> None:
    """Tags of a callable discriminator are not keys in the path."""
    path = write("title: t\nteams: []\nwhen:\n  any:\n    - indicatr: heat\n")
    assert _failure(path) == [
        f"{path}:5:7: when.any[0]: missing required key 'indicator'",
        f"{path}:5:7: when.any[0].indicatr: unknown key 'indicatr'; did you mean 'indicator'?",
    ]


def test_plain_union_reports_only_the_best_fitting_member(write: Callable[[str], Path]) -> None:
    """Of a plain union only the member the data fits best is reported."""
    path = write("title: t\nteams: []\nmet_by:\n  answered_fraction: 0.9\n  withn_h: 2\n")
    assert _failure(path) == [
        f"{path}:4:3: met_by: missing required key 'within_h'",
        f"{path}:5:3: met_by.withn_h: unknown key 'withn_h'; did you mean 'within_h'?",
    ]


def test_dict_value_error(write: Callable[[str], Path]) -> None:
    """Errors inside a dict value are located at that value."""
    path = write("title: t\nteams: []\nstaffing:\n  cs: many\n")
    assert _failure(path) == [f"{path}:4:7: staffing.cs: expected a whole number, not 'many'"]


def test_several_errors_at_once_sorted_by_position(write: Callable[[str], Path]) -> None:
    """All errors are reported together, in file order."""
    path = write("teams:\n  - name: cs\n    staff: lots\n  - name: tech\n    staf: 3\ninjects:\n  - kind: media\n    level: L9\n")
    assert _failure(path) == [
        f"{path}:1:1: missing required key 'title'",
        f"{path}:3:12: teams[0].staff: expected a whole number, not 'lots'",
        f"{path}:4:5: teams[1]: missing required key 'staff'",
        f"{path}:5:5: teams[1].staf: unknown key 'staf'; did you mean 'staff'?",
        f"{path}:8:12: injects[0].level: 'L9' is not one of: 'L1', 'L2', 'L3'",
    ]


def test_valid_document_gives_the_model(write: Callable[[str], Path]) -> None:
    """A valid document gives the model instance."""
    scenario = validate(Scenario, load_yaml(write(TEAMS.replace('tags: [a, "b"]\n', ""))))
    assert [t.staff for t in scenario.teams] == [30, 15]


def test_non_utf8_file(tmp_path: Path) -> None:
    """A file that is not UTF-8 is a user error naming the file and place."""
    path = tmp_path / "latin1.yaml"
    path.write_bytes("title: ok\nname: caf\u00e9\n".encode("latin-1"))
    with pytest.raises(UserError) as info:
        load_yaml(path)
    assert not isinstance(info.value, ValidationFailed)
    assert info.value.message == f"{path}:2:10: not UTF-8 text (byte 0xe9)"


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n"])
def test_empty_file(write: Callable[[str], Path], text: str) -> None:
    """An empty file is one unlocated problem."""
    path = write(text)
    with pytest.raises(ValidationFailed) as info:
        load_yaml(path)
    assert info.value.problems == (Problem(Location(str(path)), "file is empty"),)


def test_missing_file(tmp_path: Path) -> None:
    """A missing file is a short user error."""
    path = tmp_path / "absent.yaml"
    with pytest.raises(UserError) as info:
        load_yaml(path)
    assert info.value.message == f"{path}: no such file"


def test_a_long_value_is_quoted_cut_short(write: Callable[[str], Path]) -> None:
    """A message quotes at most the first 60 characters of a text: a 3 MB value was echoed whole to stderr."""
    path = write("kind: " + "m" * 100_000 + "\ncount: " + "七" * 61 + "\n")
    with pytest.raises(ValidationFailed) as info:
        validate(Pick, load_yaml(path))
    shown = f"'{'m' * 60}'… (100000 characters)"
    assert [p.message for p in info.value.problems] == [
        f"{shown} is not one of: 'a', 'b'",
        f"expected a whole number, not '{'七' * 60}'… (61 characters)",
    ]


def test_too_many_values_are_refused_before_the_rest_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The count stops the composer itself: the syntax error at the end of the file is never reached."""
    monkeypatch.setattr(yamlsource, "MAX_VALUES", 10)
    path = tmp_path / "many.yaml"
    path.write_text("x: [" + ", ".join(["0"] * 5000) + ", @]\n", encoding="utf-8")
    with pytest.raises(ValidationFailed) as info:
        load_yaml(path)
    # the root (1), the list (2), then items 0..8 (3..11): the eleventh value is the ninth item, at column 5 + 3 * 8
    assert info.value.problems == (Problem(Location(str(path), 1, 29), "more than 10 values once aliases are expanded"),)


def test_mapping_keys_are_not_counted_as_values(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamlsource, "MAX_VALUES", 10)
    path = tmp_path / "keys.yaml"
    path.write_text("".join(f"k{i}: {i}\n" for i in range(9)), encoding="utf-8")  # 9 values and the root
    assert len(load_yaml(path).data) == 9  # type: ignore[arg-type]


class Pick(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    kind: Literal["a", "b"]
    count: int


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_named_pipe_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    """Opening a pipe no one writes to would block for ever; it is refused as not a regular file."""
    path = tmp_path / "pipe.yaml"
    os.mkfifo(path)
    with pytest.raises(UserError) as info:
        load_yaml(path)
    assert info.value.message == f"{path}: not a regular file (a pipe, device or socket cannot be read as input)"


def test_a_device_is_refused_before_it_is_read() -> None:
    """/dev/zero has no size to check and no end: it is not read at all."""
    with pytest.raises(UserError, match=r"^/dev/zero: not a regular file"):
        load_yaml(Path("/dev/zero"))


def test_source_doc_can_be_built_directly() -> None:
    """A SourceDoc made by hand locates like a loaded one."""
    doc = SourceDoc({"a": 1}, Path("x.yaml"), {(): (1, 1), ("a",): (1, 4)})
    assert str(doc.locate(("a", "b"))) == "x.yaml:1:4"


def test_location_and_problem_text() -> None:
    """Locations, problems and failures render as documented."""
    assert str(Location("f.yaml", 3, 7)) == "f.yaml:3:7"
    assert str(Location("f.yaml")) == "f.yaml"
    assert str(Problem(Location("f.yaml", 1, 1), "bad", "")) == "f.yaml:1:1: bad"
    failed = ValidationFailed(
        [
            Problem(Location("b.yaml", 1, 1), "third"),
            Problem(Location("a.yaml", 10, 2), "second", "x"),
            Problem(Location("a.yaml", 2, 30), "first"),
        ]
    )
    assert str(failed) == "a.yaml:2:30: first\na.yaml:10:2: x: second\nb.yaml:1:1: third"
    assert failed.message == str(failed)
