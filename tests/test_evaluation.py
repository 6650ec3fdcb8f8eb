"""The evaluator's file: entries on disk, the last rating per capability kept, damage named by line."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.drill import EVALUATION, Observation, Rating, read_evaluation, record
from simulator.model import UserError


def test_entries_round_trip_and_a_later_rating_replaces_the_earlier(tmp_path: Path) -> None:
    record(tmp_path, Rating(seat="ev", t=10.0, chapter=5, letter="M", note="预警晚了"))
    record(tmp_path, Observation(seat="ev", t=12.5, text="PR drafted before the warning"))
    record(tmp_path, Rating(seat="ev2", t=13.0, chapter=5, letter="S"))
    record(tmp_path, Rating(seat="ev", t=20.0, chapter=3, letter="P"))
    record(tmp_path, Rating(seat="ev", t=30.0, chapter=5, letter="U", note="no notice at all"))
    kept = read_evaluation(tmp_path)
    assert [(r.chapter, r.seat, r.letter) for r in kept.ratings] == [(3, "ev", "P"), (5, "ev", "U"), (5, "ev2", "S")]
    assert [(o.t, o.text) for o in kept.observations] == [(12.5, "PR drafted before the warning")]
    assert (tmp_path / EVALUATION).stat().st_mode & 0o077 == 0


def test_no_file_is_no_evaluation(tmp_path: Path) -> None:
    assert read_evaluation(tmp_path).ratings == []


def test_a_line_cut_short_at_the_end_is_dropped_and_damage_elsewhere_is_named(tmp_path: Path) -> None:
    record(tmp_path, Rating(seat="ev", t=10.0, chapter=5, letter="M"))
    path = tmp_path / EVALUATION
    with path.open("a", encoding="utf-8") as f:
        f.write('{"kind":"rating","seat":"ev","t":11.0,"chap')  # a write cut by a kill: never acknowledged
    assert [r.letter for r in read_evaluation(tmp_path).ratings] == ["M"]
    with path.open("a", encoding="utf-8") as f:
        f.write('\n{"kind":"observation","seat":"ev","t":12.0,"text":""}\n')
    with pytest.raises(UserError, match=rf"{EVALUATION}:2: not an evaluation line"):
        read_evaluation(tmp_path)
