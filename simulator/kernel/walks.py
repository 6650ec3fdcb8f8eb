"""Control timelines kept for replications that differ only in staff the walk never read.

A replication's control timeline (:mod:`.control`) depends on its seed and, of the staffing, only
on the rosters of the teams whose team tasks it schedules (:meth:`Control.staff_of` notes each team
it reads). A replication with the same seed whose staffing gives those teams the same rosters walks
the very same timeline, and its random streams stand where that walk left them: so a minimum-staff
search or a sweep, which runs the same seeds at many staffings (common random numbers), walks each
seed once per process and reuses it, number for number.
"""

from __future__ import annotations

import copy
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from .control import Timeline

Streams = tuple[np.random.Generator, ...]


@dataclass(frozen=True)
class Walk:
    """A walked timeline, the rosters it read, and its random streams' states after it."""

    read: Mapping[str, list[int]]
    timeline: Timeline
    states: tuple[Mapping[str, Any], ...]

    def replay(self, streams: Streams) -> Timeline:
        """Put ``streams`` where the walk left them; a copy of the timeline that its caller may change."""
        for rng, state in zip(streams, self.states, strict=True):
            rng.bit_generator.state = state
        return fresh(self.timeline)


def fresh(timeline: Timeline) -> Timeline:
    """A copy of ``timeline`` whose lists and duties may be changed without touching the original."""
    return Timeline(
        list(timeline.counts),
        {team: list(moves) for team, moves in timeline.moves.items()},
        [copy.copy(duty) for duty in timeline.targets],
        list(timeline.changes),
        dict(timeline.fired),
    )


class Walks:
    """The walks of the latest ``seeds`` seeds of one plan and scenario."""

    def __init__(self, seeds: int = 4096) -> None:
        self.seeds = seeds
        self._by_seed: OrderedDict[int, list[Walk]] = OrderedDict()

    def find(self, seed: int, rosters: Callable[[str], list[int]]) -> Walk | None:
        """A walk of ``seed`` whose read teams have the same rosters under the staffing ``rosters`` gives."""
        for walk in self._by_seed.get(seed, []):
            if all(rosters(team) == hours for team, hours in walk.read.items()):
                self._by_seed.move_to_end(seed)
                return walk
        return None

    def keep(self, seed: int, read: Mapping[str, list[int]], timeline: Timeline, streams: Streams) -> None:
        """Keep a walk just made (before anything changes its timeline), forgetting the oldest seed beyond the limit."""
        walk = Walk(dict(read), fresh(timeline), tuple(rng.bit_generator.state for rng in streams))
        self._by_seed.setdefault(seed, []).append(walk)
        self._by_seed.move_to_end(seed)
        while len(self._by_seed) > self.seeds:
            self._by_seed.popitem(last=False)
