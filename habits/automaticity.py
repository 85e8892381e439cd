"""Habit formation curve (Lally et al. 2010): automaticity = a - b * exp(-c * day).

Pure: answers in, projection out. The median participant reached 95% of their plateau
after 66 days (range 18-254), which is what the projection is compared with.
"""

import math
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
from scipy.optimize import curve_fit

MEDIAN_DAYS = 66
PLATEAU_SHARE = 0.95
# The self-check asks how automatic a habit feels, which says nothing in its first days: it is
# offered from the habit's third week (day 14, counting the start day as day 0), then weekly.
FIRST_CHECK_DAY = 14
CHECK_INTERVAL_DAYS = 7


@dataclass(frozen=True)
class AutomaticityProjection:
    plateau: float           # a: where the score levels off (1-7)
    rate: float              # c: per day
    day_automatic: int       # day (since start) reaching 95% of the plateau
    latest_score: float
    answers: int


def next_check_day(start: date, last_check: date | None) -> date:
    """The first day the self-check is offered: day FIRST_CHECK_DAY of the habit, and a week after the last one."""
    first = start + timedelta(days=FIRST_CHECK_DAY)
    return first if last_check is None else max(first, last_check + timedelta(days=CHECK_INTERVAL_DAYS))


def _curve(day, a, b, c):
    return a - b * np.exp(-c * day)


def project(points: list[tuple[int, float]]) -> AutomaticityProjection | None:
    """Fit the curve to (day since start, SRBAI score 1-7) points; None below 3 answers or when no curve fits."""
    if len(points) < 3:
        return None
    days = np.array([p[0] for p in points], dtype=float)
    scores = np.array([p[1] for p in points], dtype=float)
    if np.ptp(days) == 0:
        return None
    start = scores[0] if scores[0] < 7 else 6.9
    guess = (min(7.0, max(scores.max(), 1.0) + 0.5), max(0.1, min(7.0, max(scores.max(), 1.0) + 0.5) - start), 0.05)
    try:
        (a, b, c), _ = curve_fit(
            _curve, days, scores, p0=guess, bounds=([1, 0, 1e-4], [7, 7, 2]), maxfev=5000
        )
    except (RuntimeError, ValueError):
        return None
    if b <= 0 or c <= 0 or not math.isfinite(c):
        return None
    # a - b*exp(-c*d) reaches share s of the plateau a when exp(-c*d) = a*(1-s)/b
    ratio = a * (1 - PLATEAU_SHARE) / b
    day_automatic = 0 if ratio >= 1 else math.ceil(-math.log(ratio) / c)
    return AutomaticityProjection(
        plateau=round(float(a), 2), rate=float(c), day_automatic=int(day_automatic),
        latest_score=float(scores[-1]), answers=len(points),
    )
