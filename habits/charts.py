"""Geometry for the server-rendered SVG charts; templates only draw what these return."""

from datetime import timedelta

from . import stats
from .schedule import WEEKDAY_NAMES

CELL = 12
GAP = 2
STATE_CLASS = {
    "done": "heat-done", "missed": "heat-missed", "skipped": "heat-skipped", "paused": "heat-paused",
    "unscheduled": "heat-off", "open": "heat-open", "future": "heat-future", "before_start": "heat-before",
}
STATE_LABEL = {
    "done": "done", "missed": "missed", "skipped": "skipped", "paused": "paused", "unscheduled": "not scheduled",
    "open": "open", "future": "", "before_start": "before the habit started",
}


def heatmap(history, today, weeks=52):
    """A year of days, one column per week (Monday on top), like a contributions calendar."""
    last_monday = today - timedelta(days=today.weekday())
    first = last_monday - timedelta(weeks=weeks - 1)
    cells, months = [], []
    previous_month = None
    for week in range(weeks):
        monday = first + timedelta(weeks=week)
        if monday.month != previous_month:
            months.append({"x": week * (CELL + GAP), "label": monday.strftime("%b")})
            previous_month = monday.month
        for weekday in range(7):
            day = monday + timedelta(days=weekday)
            if day > today:
                continue
            state = stats.day_state(history, day, today)
            cells.append({
                "x": week * (CELL + GAP), "y": weekday * (CELL + GAP) + 16, "css": STATE_CLASS.get(state, "heat-off"),
                "title": f"{day:%a %d %b %Y}: {STATE_LABEL.get(state, state)}".rstrip(": "),
            })
    return {"cells": cells, "months": months, "width": weeks * (CELL + GAP), "height": 7 * (CELL + GAP) + 16, "cell": CELL}


def strength_line(series, days=365, width=640, height=140):
    series = series[-days:]
    if len(series) < 2:
        return None
    step = width / (len(series) - 1)
    points = " ".join(f"{i * step:.1f},{height - score * height:.1f}" for i, (_, score) in enumerate(series))
    return {
        "points": points, "width": width, "height": height, "first": series[0][0], "last": series[-1][0],
        "current": round(series[-1][1] * 100), "area": f"0,{height} {points} {width},{height}",
    }


def weekday_bars(history, today, width=280, height=120):
    rates = stats.weekday_rates(history, today)
    bar = width / 7
    bars = []
    for i, rate in enumerate(rates):
        h = (rate or 0) * (height - 20)
        bars.append({
            "x": i * bar + 4, "y": height - 20 - h, "w": bar - 8, "h": h, "label": WEEKDAY_NAMES[i],
            "text": "–" if rate is None else f"{round(rate * 100)}%", "lx": i * bar + bar / 2,
        })
    return {"bars": bars, "width": width, "height": height, "base": height - 20}


def time_histogram(times, width=720, height=120):
    counts = stats.time_histogram([t for t in times if t is not None])
    top = max(counts) if counts and max(counts) else 0
    if not top:
        return None
    bar = width / 24
    bars = [
        {"x": h * bar + 1, "y": height - 18 - c / top * (height - 24), "w": bar - 2, "h": c / top * (height - 24),
         "title": f"{h:02d}:00–{h:02d}:59: {c} check-in{'s' if c != 1 else ''}"}
        for h, c in enumerate(counts)
    ]
    ticks = [{"x": h * bar, "label": f"{h:02d}"} for h in (0, 6, 12, 18)]
    return {"bars": bars, "ticks": ticks, "width": width, "height": height, "base": height - 18}


def sparkline(series, days=30, width=96, height=24):
    """A month of strength, drawn from an already computed strength series."""
    series = series[-days:]
    if len(series) < 2:
        return None
    step = width / (len(series) - 1)
    return {
        "points": " ".join(f"{i * step:.1f},{height - 2 - score * (height - 4):.1f}" for i, (_, score) in enumerate(series)),
        "width": width, "height": height,
    }
