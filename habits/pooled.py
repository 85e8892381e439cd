"""`stats.completion_counts` for thousands of habits at once, as arrays: what staff figures pool.

The rules are `habits.schedule`'s and `habits.stats`'s, restated over arrays (habits x days)
because a Python call per habit is too slow for a whole population; a property test checks this
module against `stats.completion_counts` habit by habit (tests/habits/test_pooled.py).

Days are ordinals (`date.toordinal()`). Every habit is counted over the `days` days ending on its
own `last` day, a day gone by (`completion_counts(history, last + 1 day, days, end=last)`).

Frames in:
    habits:    habit_id, start, last, weekdays (bit d set = weekday d scheduled; 127 = every day),
               times, period_days (1 for day-by-day habits), measured, at_most, target
    check_ins: habit_id, day, value (NaN for yes/no)
    plain:     see `pooled_counts`
    skips:     habit_id, day
    pauses:    habit_id, start, end (NaN = still paused)
"""

import numpy as np
import pandas as pd

from .schedule import MONTH_LENGTHS

EPOCH_ORDINAL = 719163   # date(1970, 1, 1).toordinal(): numpy's datetime64[D] counts from there
OPEN_END = np.iinfo(np.int64).max // 2


def ordinals(column: pd.Series) -> np.ndarray:
    """Dates (date objects or ISO strings, as database drivers return them) as ordinals."""
    if column.empty:
        return np.zeros(0, dtype=np.int64)
    return pd.to_datetime(column).to_numpy().astype("datetime64[D]").astype(np.int64) + EPOCH_ORDINAL


def pooled_counts(habits: pd.DataFrame, check_ins: pd.DataFrame, skips: pd.DataFrame, pauses: pd.DataFrame,
                  days: int, plain: pd.DataFrame | None = None) -> tuple[float, float]:
    """(done, scheduled) habit-days summed over every habit, each as `stats.completion_counts` counts it.

    `plain`: daily habits with no excused day, whose done days in the window were counted already
    (columns start, last, done): every day of the window since the start is scheduled."""
    day_by_day = habits[habits["period_days"] == 1]
    flexible = habits[habits["period_days"] > 1]
    done = scheduled = 0.0
    if plain is not None and len(plain):
        last = plain["last"].to_numpy()
        first = np.maximum(plain["start"].to_numpy(), last - days + 1)
        done, scheduled = float(plain["done"].sum()), float(np.clip(last - first + 1, 0, None).sum())
    if len(day_by_day):
        d, s = _day_by_day(day_by_day, check_ins, skips, pauses, days)
        done, scheduled = done + d, scheduled + s
    if len(flexible):
        d, s = _flexible(flexible, check_ins, skips, pauses, days)
        done, scheduled = done + d, scheduled + s
    return done, scheduled


def period_reach(habits: pd.DataFrame) -> int:
    """How many days beyond the window a period touching it can reach: its length, a month's at most for monthly ones."""
    lengths = habits["period_days"].to_numpy()
    return int(max(lengths.max(initial=1), 31 if np.isin(lengths, MONTH_LENGTHS).any() else 0))


def _grid(habits: pd.DataFrame, check_ins, skips, pauses, first: np.ndarray, width: int):
    """Per habit (rows) and day (columns from `first`): (day ordinals, done, amount, excused)."""
    rows = pd.Index(habits["habit_id"].to_numpy())
    day = first[:, None] + np.arange(width)[None, :]
    done = np.zeros(day.shape, dtype=bool)
    amount = np.zeros(day.shape)
    excused = np.zeros(day.shape, dtype=bool)

    def cells(frame, column="day"):
        row = rows.get_indexer(frame["habit_id"].to_numpy())
        keep = row >= 0
        row = row[keep]
        col = frame[column].to_numpy()[keep] - first[row]
        inside = (col >= 0) & (col < width)
        return row[inside], col[inside], keep, inside

    if len(check_ins):
        row, col, keep, inside = cells(check_ins)
        values = check_ins["value"].to_numpy(dtype=float)[keep][inside]
        measured = habits["measured"].to_numpy()[row]
        at_most = habits["at_most"].to_numpy()[row]
        target = habits["target"].to_numpy(dtype=float)[row]
        per_period = measured & (habits["times"].to_numpy()[row] == 1) & (habits["period_days"].to_numpy()[row] > 1)
        with np.errstate(invalid="ignore"):
            meets = np.where(at_most, values <= target, values >= target)
        done[row, col] = ~measured | per_period | meets
        amount[row, col] = np.nan_to_num(values)
    if len(skips):
        row, col, _, _ = cells(skips)
        excused[row, col] = True
    if len(pauses):
        row = rows.get_indexer(pauses["habit_id"].to_numpy())
        keep = row >= 0
        row = row[keep]
        start = pauses["start"].to_numpy(dtype=float)[keep]
        end = np.nan_to_num(pauses["end"].to_numpy(dtype=float)[keep], nan=OPEN_END)
        for r, s, e in zip(row, start, end):   # one step per pause: pauses are few
            excused[r] |= (day[r] >= s) & (day[r] <= e)
    return day, done, amount, excused


def _day_by_day(habits, check_ins, skips, pauses, days):
    last = habits["last"].to_numpy()
    first = last - days + 1
    day, done, _, excused = _grid(habits, check_ins, skips, pauses, first, days)
    weekday = (day - 1) % 7
    mask = habits["weekdays"].to_numpy()[:, None]
    scheduled = (((mask >> weekday) & 1) == 1) & (day >= habits["start"].to_numpy()[:, None])
    counted = scheduled & (done | ~excused)
    return float((scheduled & done).sum()), float(counted.sum())


def _period_bounds(habits, day):
    """First and last ordinal of the period each cell belongs to."""
    n = habits["period_days"].to_numpy()[:, None]
    start = habits["start"].to_numpy()[:, None]
    weekly = n == 7
    monthly = np.isin(n, MONTH_LENGTHS)
    week_first = day - (day - 1) % 7
    as_dates = (day - EPOCH_ORDINAL).astype("datetime64[D]")
    month = as_dates.astype("datetime64[M]")
    month_first = month.astype("datetime64[D]").astype(np.int64) + EPOCH_ORDINAL
    month_last = (month + 1).astype("datetime64[D]").astype(np.int64) + EPOCH_ORDINAL - 1
    block_first = start + np.floor_divide(day - start, n) * n
    period_first = np.where(weekly, week_first, np.where(monthly, month_first, block_first))
    period_last = np.where(weekly, week_first + 6, np.where(monthly, month_last, block_first + n - 1))
    return period_first, period_last


def _flexible(habits, check_ins, skips, pauses, days):
    reach = period_reach(habits)
    last = habits["last"].to_numpy()
    window_first = np.maximum(habits["start"].to_numpy(), last - days + 1)
    grid_first = last - days + 1 - reach
    day, done, amount, excused = _grid(habits, check_ins, skips, pauses, grid_first, days + 2 * reach)
    period_first, period_last = _period_bounds(habits, day)
    start = habits["start"].to_numpy()[:, None]
    available = done | ((day >= start) & ~excused)
    in_window = (day >= window_first[:, None]) & (day <= last[:, None])
    cells = pd.DataFrame({
        "row": np.repeat(np.arange(len(habits)), day.shape[1]),
        "period_first": period_first.ravel(),
        "period_last": period_last.ravel(),
        "done": done.ravel(),
        "amount": np.where(done, amount, 0.0).ravel(),
        "available": available.ravel(),
        "in_window": in_window.ravel(),
    })
    periods = cells.groupby(["row", "period_first", "period_last"], sort=False).agg(
        done=("done", "sum"), amount=("amount", "sum"), available=("available", "sum"), touches=("in_window", "any"),
    ).reset_index()
    periods = periods[periods["touches"]]
    row = periods["row"].to_numpy()
    times = habits["times"].to_numpy()[row]
    needed = np.minimum(times, periods["available"].to_numpy())
    tally_done = periods["done"].to_numpy()
    per_period = habits["measured"].to_numpy()[row] & (times == 1)
    total = periods["amount"].to_numpy()
    target = habits["target"].to_numpy(dtype=float)[row]
    with np.errstate(invalid="ignore"):
        total_meets = np.where(habits["at_most"].to_numpy()[row], total <= target, total >= target)
    tally_done = np.where(per_period, ((tally_done > 0) & total_meets).astype(int), tally_done)
    met = np.minimum(tally_done, needed)
    p_first, p_last = periods["period_first"].to_numpy(), periods["period_last"].to_numpy()
    inside_last = np.minimum(p_last, last[row])
    life_first = np.maximum(p_first, habits["start"].to_numpy()[row])
    weight = (inside_last - np.maximum(p_first, window_first[row]) + 1) / (p_last - life_first + 1)
    running = p_last > last[row]
    expected = weight * np.where(running, met, needed)
    return float((weight * met).sum()), float(expected.sum())
