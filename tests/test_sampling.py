"""Draws from the scenario's distributions and mixes."""

from __future__ import annotations

import numpy as np
import pytest

from simulator.rules import categorical


@pytest.mark.parametrize("shares", [[0.3, 0.5, 0.2], [0.0, 1.0, 0.0, 0.0], [2.0, 0.0, 1.0, 5.0], [1.0]])
def test_categorical_draws_are_numpys_choice(shares: list[float]) -> None:
    p = np.asarray(shares) / sum(shares)
    ours = categorical(shares, np.random.default_rng(11), 50_000)
    theirs = np.random.default_rng(11).choice(len(shares), size=50_000, p=p)
    assert ours.dtype == np.uint8
    np.testing.assert_array_equal(ours, theirs)


def test_categorical_shares_are_respected() -> None:
    got = np.bincount(categorical([1.0, 3.0, 0.0, 6.0], np.random.default_rng(2), 200_000), minlength=4) / 200_000
    # three standard errors of a binomial share at n = 200,000 are below 0.0035
    np.testing.assert_allclose(got, [0.1, 0.3, 0.0, 0.6], atol=0.0035)
