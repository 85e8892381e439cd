"""The hand-written exact tests agree with scipy and with brute force."""

import itertools
import math

import numpy as np
import pytest
from scipy import stats

from coaching.analysis.significance import (
    binomial_upper,
    circular_centre,
    clock,
    clustered_misses_p,
    fisher_lower,
    holm_adjusted,
    runs_pmf,
    spearman_p,
    stratified_fisher_lower,
)


@pytest.mark.parametrize("table", [(0, 4, 21, 24), (1, 8, 40, 48), (3, 14, 12, 13), (5, 5, 0, 3), (0, 0, 3, 4)])
def test_fisher_lower_matches_scipy(table):
    group_done, group_n, other_done, other_n = table
    if group_n == 0:
        assert fisher_lower(*table) == 1.0
        return
    expected = stats.fisher_exact([[group_done, group_n - group_done], [other_done, other_n - other_done]], "less").pvalue
    assert fisher_lower(*table) == pytest.approx(expected, rel=1e-9)


def test_single_stratum_stratified_test_is_fisher():
    assert stratified_fisher_lower([(2, 10, 9, 12)]) == pytest.approx(fisher_lower(2, 10, 9, 12))


@pytest.mark.parametrize("k,n,p", [(0, 10, 0.5), (8, 10, 0.5), (20, 20, 0.5), (21, 20, 0.5), (14, 30, 0.3)])
def test_binomial_upper_matches_scipy(k, n, p):
    assert binomial_upper(k, n, p) == pytest.approx(stats.binom.sf(k - 1, n, p), abs=1e-12)


@pytest.mark.parametrize("length,misses", [(6, 2), (8, 4), (10, 7)])
def test_runs_distribution_matches_brute_force(length, misses):
    counts = np.zeros(misses + 1)
    for positions in itertools.combinations(range(length), misses):
        sequence = np.zeros(length, dtype=bool)
        sequence[list(positions)] = True
        runs = int(sequence[0]) + int(np.count_nonzero(sequence[1:] & ~sequence[:-1]))
        counts[runs] += 1
    assert runs_pmf(length, misses) == pytest.approx(counts / counts.sum())


def test_clustered_misses_are_significant_and_spread_ones_are_not():
    bunched = np.array([False] * 5 + [True] * 4 + [False] * 5 + [True] * 4 + [False] * 10)
    spread = np.array([i % 4 == 0 for i in range(28)])
    assert clustered_misses_p([bunched]) < 0.01
    assert clustered_misses_p([spread]) > 0.5


def test_spearman_matches_scipy():
    rng = np.random.default_rng(1)
    x, y = np.arange(30.0), rng.normal(size=30) + np.arange(30) * 0.05
    rho, p = spearman_p(x, y)
    expected = stats.spearmanr(x, y)
    assert rho == pytest.approx(expected.statistic) and p == pytest.approx(expected.pvalue, rel=1e-6)


def test_holm_adjusts_step_down():
    assert holm_adjusted([0.01, 0.04, 0.03]) == pytest.approx([0.03, 0.06, 0.06])


def test_circular_centre_handles_midnight_and_clock_rounds_to_five_minutes():
    centre, spread, resultant = circular_centre(np.array([1430.0, 1435, 5, 10, 0]))
    assert clock(centre) == "00:00" and spread < 15 and resultant > 0.99
    assert clock(1437.6) == "00:00" and clock(372) == "06:10" and not math.isnan(spread)
