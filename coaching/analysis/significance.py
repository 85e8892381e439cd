"""The exact tests and circular statistics the detectors share.

Written with `math` and numpy rather than `scipy.stats` calls: these run several times per habit
for every person in a cohort, and scipy's per-call overhead would dominate at that scale.
"""

import math
import zlib

import numpy as np
from scipy.special import bdtrc, stdtr

MINUTES_PER_DAY = 1440
_TO_RADIANS = 2 * math.pi / MINUTES_PER_DAY
MAD_TO_SD = 1.4826


def _log_choose(n: int, k: int) -> float:
    return math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)


def hypergeom_cdf(k: int, population: int, successes: int, draws: int) -> float:
    """P(X <= k) for X the successes among `draws` picked without replacement (Fisher's one-sided tail)."""
    low, high = max(0, draws - (population - successes)), min(draws, successes)
    if k < low:
        return 0.0
    if k >= high:
        return 1.0
    denominator = _log_choose(population, draws)
    total = sum(
        math.exp(_log_choose(successes, i) + _log_choose(population - successes, draws - i) - denominator)
        for i in range(low, k + 1)
    )
    return min(1.0, total)


def fisher_lower(group_done: int, group_n: int, other_done: int, other_n: int) -> float:
    """One-sided Fisher exact p-value that the group's rate is lower than the others'."""
    return hypergeom_cdf(group_done, group_n + other_n, group_done + other_done, group_n)


def _hypergeom_pmf(population: int, successes: int, draws: int) -> np.ndarray:
    pmf = np.zeros(draws + 1)
    denominator = _log_choose(population, draws)
    for i in range(max(0, draws - (population - successes)), min(draws, successes) + 1):
        pmf[i] = math.exp(_log_choose(successes, i) + _log_choose(population - successes, draws - i) - denominator)
    return pmf


def stratified_fisher_lower(tables: list[tuple[int, int, int, int]]) -> float:
    """Exact stratified (Mantel-Haenszel style) one-sided test over several 2x2 tables.

    Each table is (group_done, group_n, other_done, other_n); the p-value is P(total group_done <=
    observed) when, within every stratum, done days fall at random between group and others.
    """
    distribution, observed = np.ones(1), 0
    for group_done, group_n, other_done, other_n in tables:
        if group_n == 0 or other_n == 0:
            continue
        distribution = np.convolve(distribution, _hypergeom_pmf(group_n + other_n, group_done + other_done, group_n))
        observed += group_done
    return float(min(1.0, distribution[: observed + 1].sum()))


def binomial_upper(successes: int, n: int, p: float) -> float:
    """P(X >= successes) for X ~ Binomial(n, p)."""
    if successes <= 0:
        return 1.0
    if successes > n:
        return 0.0
    return float(bdtrc(successes - 1, n, p))


def runs_pmf(length: int, misses: int) -> np.ndarray:
    """Distribution of the number of runs of misses when `misses` misses are placed at random among `length` days.

    P(R = r) = C(misses - 1, r - 1) * C(length - misses + 1, r) / C(length, misses).
    """
    pmf = np.zeros(misses + 1)
    if misses == 0:
        pmf[0] = 1.0
        return pmf
    denominator = _log_choose(length, misses)
    for runs in range(1, min(misses, length - misses + 1) + 1):
        pmf[runs] = math.exp(_log_choose(misses - 1, runs - 1) + _log_choose(length - misses + 1, runs) - denominator)
    return pmf / pmf.sum()


def clustered_misses_p(blocks: list[np.ndarray]) -> float:
    """Exact stratified runs test: are misses more bunched together than chance puts them?

    Each block (a stretch of consecutive due days, True = missed) is shuffled only within itself,
    so a slow change in the miss rate across blocks is not mistaken for misses coming in pairs.
    The p-value is P(total runs of misses <= observed) under independent shuffles.
    """
    distribution = np.ones(1)
    observed = 0
    for missed in blocks:
        misses = int(missed.sum())
        observed += int(missed[0]) + int(np.count_nonzero(missed[1:] & ~missed[:-1]))
        distribution = np.convolve(distribution, runs_pmf(len(missed), misses))
    return float(min(1.0, distribution[: observed + 1].sum()))


def spearman_p(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Spearman's rho and its two-sided p-value (t approximation, fine from ten points)."""
    n = len(x)
    rx = np.argsort(np.argsort(x, kind="stable"), kind="stable").astype(float)
    ry = _average_ranks(y)
    rx -= rx.mean()
    ry -= ry.mean()
    denominator = math.sqrt(float(rx @ rx) * float(ry @ ry))
    if denominator == 0 or n < 4:
        return 0.0, 1.0
    rho = float(rx @ ry) / denominator
    if abs(rho) >= 1:
        return rho, 0.0
    t = rho * math.sqrt((n - 2) / (1 - rho * rho))
    return rho, float(2 * stdtr(n - 2, -abs(t)))


def _average_ranks(values: np.ndarray) -> np.ndarray:
    order = np.argsort(values, kind="stable")
    ordered = values[order]
    boundaries = np.flatnonzero(np.diff(ordered)) + 1
    starts = np.concatenate(([0], boundaries))
    ends = np.concatenate((boundaries, [len(values)]))
    ranks = np.empty(len(values))
    ranks[order] = np.repeat((starts + ends - 1) / 2, ends - starts)
    return ranks


def theil_sen_slope(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Median of pairwise slopes and the matching intercept: a line outliers cannot drag."""
    i, j = np.triu_indices(len(x), k=1)
    dx = x[j] - x[i]
    keep = dx != 0
    if not keep.any():
        return 0.0, float(np.median(y))
    slope = float(np.median((y[j] - y[i])[keep] / dx[keep]))
    return slope, float(np.median(y - slope * x))


def wrap_minutes(delta: np.ndarray | float):
    """Signed minutes on the clock face, in [-720, 720)."""
    return (np.asarray(delta) + MINUTES_PER_DAY / 2) % MINUTES_PER_DAY - MINUTES_PER_DAY / 2


def circular_centre(minutes: np.ndarray) -> tuple[float, float, float]:
    """(robust centre minute, robust spread in minutes, mean resultant length R) of times of day.

    The centre starts at the circular mean and moves to the median of the wrapped deviations, so
    midnight is not a wall and a few odd check-ins do not pull it; the spread is the scaled median
    absolute deviation (a standard deviation for well-behaved times).
    """
    angles = minutes * _TO_RADIANS
    c, s = float(np.cos(angles).mean()), float(np.sin(angles).mean())
    resultant = math.hypot(c, s)
    mean = (math.atan2(s, c) / _TO_RADIANS) % MINUTES_PER_DAY
    deviations = wrap_minutes(minutes - mean)
    shift = float(np.median(deviations))
    spread = MAD_TO_SD * float(np.median(np.abs(deviations - shift)))
    return (mean + shift) % MINUTES_PER_DAY, spread, resultant


def rayleigh_p(n: int, resultant: float) -> float:
    """Rayleigh test that times of day are not spread evenly round the clock (Zar's approximation)."""
    if n < 2:
        return 1.0
    rn = n * resultant
    p = math.exp(math.sqrt(1 + 4 * n + 4 * (n * n - rn * rn)) - (1 + 2 * n))
    return min(1.0, max(0.0, p))


def holm_adjusted(p_values: list[float]) -> list[float]:
    """Holm's step-down adjusted p-values: reject where adjusted <= alpha, family-wise error <= alpha."""
    order = sorted(range(len(p_values)), key=p_values.__getitem__)
    adjusted = [1.0] * len(p_values)
    running = 0.0
    for position, index in enumerate(order):
        running = max(running, min(1.0, p_values[index] * (len(p_values) - position)))
        adjusted[index] = running
    return adjusted


def clock_minute(minute: float) -> int:
    """A minute of the day rounded to the nearest five minutes, as people say times."""
    return int(round(minute / 5.0) * 5) % MINUTES_PER_DAY


def clock(minute: float) -> str:
    """'HH:MM' for a minute of the day, rounded to the nearest five minutes."""
    rounded = clock_minute(minute)
    return f"{rounded // 60:02d}:{rounded % 60:02d}"


# Maximum-likelihood-ratio scans, calibrated by resampling.
#
# A detector that picks the best of many candidates (which weekdays, which split day) must judge
# that best one against the best one chance would produce, not against a single fixed test. These
# helpers compute the binomial likelihood-ratio statistic G for every candidate at once and an
# exact-in-the-limit p-value for its maximum by resampling the same data under the null.

def binomial_log_likelihood(done: np.ndarray, n: np.ndarray) -> np.ndarray:
    """sum log P of `done` successes in `n` trials at the maximum-likelihood rate done / n (0 log 0 = 0)."""
    done = np.asarray(done, dtype=float)
    n = np.asarray(n, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(n > 0, done / np.where(n > 0, n, 1), 0.0)
        hit = np.where(done > 0, done * np.log(np.where(rate > 0, rate, 1)), 0.0)
        miss = np.where(n - done > 0, (n - done) * np.log(np.where(rate < 1, 1 - rate, 1)), 0.0)
    return hit + miss


def two_rate_g(done_a, n_a, done_b, n_b) -> np.ndarray:
    """G = 2 log LR of "two rates" against "one rate" for groups a and b (broadcasts)."""
    pooled = binomial_log_likelihood(np.add(done_a, done_b), np.add(n_a, n_b))
    return 2 * (binomial_log_likelihood(done_a, n_a) + binomial_log_likelihood(done_b, n_b) - pooled)


def data_seeded_rng(*arrays: np.ndarray) -> np.random.Generator:
    """The same data always draw the same resamples, so an analysis is reproducible."""
    seed = 0
    for array in arrays:
        seed = zlib.crc32(np.ascontiguousarray(array).tobytes(), seed)
    return np.random.default_rng(seed)


def resampled_p(observed: float, draw_statistics, rng: np.random.Generator,
                max_draws: int = 4000, batch: int = 500, enough_exceedances: int = 12) -> float:
    """P(max statistic under the null >= observed), from batches of `draw_statistics(rng, size)`.

    Stops early once `enough_exceedances` resamples reached the observed value (the p-value is
    then clearly too large to matter; Besag and Clifford's sequential rule), so an unremarkable
    habit costs one batch. Adds one to both counts, so the p-value is never zero.
    """
    exceeded = drawn = 0
    while drawn < max_draws:
        stats = draw_statistics(rng, batch)
        exceeded += int(np.count_nonzero(stats >= observed - 1e-9))
        drawn += batch
        if exceeded >= enough_exceedances:
            break
    return (exceeded + 1) / (drawn + 1)


def permuted_rows(values: np.ndarray, rng: np.random.Generator, size: int) -> np.ndarray:
    """`size` random permutations of `values`, one per row."""
    order = np.argsort(rng.random((size, len(values))), axis=1)
    return values[order]


def markov_rows(first: bool, stay_done: float, done_after_miss: float, length: int,
                rng: np.random.Generator, size: int) -> np.ndarray:
    """`size` two-state Markov chains of done days, started where the data start."""
    rows = np.empty((size, length), dtype=bool)
    state = np.full(size, first)
    draws = rng.random((size, length))
    rows[:, 0] = state
    for day in range(1, length):
        state = draws[:, day] < np.where(state, stay_done, done_after_miss)
        rows[:, day] = state
    return rows
