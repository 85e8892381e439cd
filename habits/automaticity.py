"""Habit formation curve (Lally et al. 2010): automaticity = a - b * exp(-c * day).

Pure: answers in, projection out. The median participant reached 95% of their plateau
after 66 days (range 18-254), which is what the projection is compared with.
"""

import math
from dataclasses import dataclass

import numpy as np
from scipy.optimize import curve_fit

MEDIAN_DAYS = 66
PLATEAU_SHARE = 0.95


@dataclass(frozen=True)
class AutomaticityProjection:
    plateau: float           # a: where the score levels off (1-7)
    rate: float              # c: per day
    day_automatic: int       # day (since start) reaching 95% of the plateau
    latest_score: float
    answers: int


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
