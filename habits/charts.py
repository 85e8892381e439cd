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


CHART_TEXT_WIDTH = 6.5  # px per character of the 11px chart font, an upper bound: labels must stay inside the drawing


def fit_label(label: str, room: float) -> str:
    """`label` cut to what fits in `room` px, with an ellipsis (the whole text goes in a <title>)."""
    most = max(int(room // CHART_TEXT_WIDTH), 2)
    return label if len(label) <= most else label[: most - 1] + "…"


def percent_line(values, first_label, last_label, titles=None, width=320, height=150):
    """A 0–100% line with both axes; `values` are 0..1 and None leaves a gap. With `titles`,
    each point gets a dot that names it."""
    if sum(v is not None for v in values) < (1 if titles else 2):
        return None
    left, right, top, bottom = 34, width - 8, 8, height - 22
    step = (right - left) / max(len(values) - 1, 1)
    segments, run, dots = [], [], []
    for i, value in enumerate(values):
        if value is None:
            segments.append(run)
            run = []
            continue
        x, y = left + i * step, bottom - value * (bottom - top)
        run.append(f"{x:.1f},{y:.1f}")
        if titles:
            dots.append({"x": round(x, 1), "y": round(y, 1), "title": titles[i]})
    segments.append(run)
    return {
        "width": width, "height": height, "left": left, "right": right, "top": top, "bottom": bottom,
        "segments": [" ".join(points) for points in segments if len(points) > 1], "dots": dots,
        "y_ticks": [{"y": round(bottom - share * (bottom - top), 1), "ty": round(bottom - share * (bottom - top) + 4, 1),
                     "label": f"{round(share * 100)}%"} for share in (0, 0.5, 1)],
        "label_x": left - 4,
        "x_labels": [{"x": left, "anchor": "start", "label": first_label}, {"x": right, "anchor": "end", "label": last_label}],
        "label_y": height - 6,
    }


def consistency_bars(rows, window_labels, width=320):
    """Horizontal 0–100% bars, one group per habit and one bar per window: `rows` are
    (name, rate for each window), a rate None when nothing was asked."""
    left, right, top = 52, width - 40, 4
    row_height = 16 + 14 * len(window_labels)
    groups = []
    for i, (name, *rates) in enumerate(rows):
        y0 = top + i * row_height
        bars = []
        for j, (label, rate) in enumerate(zip(window_labels, rates)):
            y = y0 + 16 + j * 14
            length = (rate or 0) * (right - left)
            bars.append({
                "label": label, "y": y, "w": round(length, 1), "tx": round(left + length + 4, 1), "ty": y + 9,
                "text": "–" if rate is None else f"{round(rate * 100)}%", "faint": j > 0,
            })
        groups.append({"name": fit_label(name, width), "full_name": name, "name_y": y0 + 11, "bars": bars})
    axis = top + len(rows) * row_height + 2
    ticks = [{"x": round(left + share * (right - left), 1), "label": f"{round(share * 100)}%"} for share in (0, 0.25, 0.5, 0.75, 1)]
    return {"width": width, "height": axis + 18, "left": left, "top": top, "axis": axis, "label_y": axis + 14,
            "groups": groups, "ticks": ticks, "bar_height": 10}


def _short_date(day) -> str:
    return f"{day.day} {day:%b}"


def strength_since(series, width=320, height=120):
    """Strength over a window with its axes, from an already computed (day, 0..1) series."""
    if len(series) < 2:
        return None
    return percent_line([score for _, score in series], _short_date(series[0][0]), "today", width=width, height=height)


def weekly_consistency(weekly, width=320, height=150):
    """Consistency week by week, one dot per week: `weekly` is (Monday, rate or None), this week last."""
    titles = [f"Week of {_short_date(monday)}: {'nothing scheduled' if rate is None else f'{round(rate * 100)}%'}"
              for monday, rate in weekly]
    return percent_line([rate for _, rate in weekly], _short_date(weekly[0][0]), "this week", titles=titles,
                        width=width, height=height)
