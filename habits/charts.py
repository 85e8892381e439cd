"""Geometry for the server-rendered SVG charts; templates only draw what these return.

Every chart keeps its labels inside its viewBox (text is 11px: see CHART_TEXT_WIDTH) and
comes with words for a screen reader or a caption: `summary` where the template needs one."""

from collections import Counter
from datetime import timedelta

from . import stats
from .schedule import WEEKDAY_NAMES

CELL = 12
GAP = 2
HEATMAP_LEFT = 28   # room for the weekday labels
HEATMAP_TOP = 16    # room for the month labels
MONTH_LABEL_ROOM = 3  # weeks: a month label closer than this to the next one is dropped (it would overlap)
HEATMAP_WEEKDAY_LABELS = (0, 2, 4)  # Mon, Wed, Fri: every other row, as the rows are too close for all seven
STATE_CLASS = {
    "done": "heat-done", "missed": "heat-missed", "skipped": "heat-skipped", "paused": "heat-paused",
    "unscheduled": "heat-off", "open": "heat-open", "future": "heat-future", "before_start": "heat-before",
}
SUMMARY_STATES = ("done", "missed", "skipped", "paused")  # what the year's caption counts, in this order
HEATMAP_LEGEND = [("heat-done", "Done"), ("heat-missed", "Missed"), ("heat-skipped", "Skipped or paused"),
                  ("heat-off", "Not scheduled"), ("heat-before", "Before the habit started")]


def heatmap(history, today, weeks=52):
    """A year of days, one column per week (Monday on top), like a contributions calendar."""
    last_monday = today - timedelta(days=today.weekday())
    first = last_monday - timedelta(weeks=weeks - 1)
    column = CELL + GAP
    width = HEATMAP_LEFT + weeks * column
    cells, months, states = [], [], Counter()
    previous_month = None
    for week in range(weeks):
        monday = first + timedelta(weeks=week)
        if monday.month != previous_month:
            if months and week - months[-1]["week"] < MONTH_LABEL_ROOM:
                months.pop()
            x, label = HEATMAP_LEFT + week * column, monday.strftime("%b")
            if x + len(label) * CHART_TEXT_WIDTH <= width:
                months.append({"week": week, "x": x, "label": label})
            previous_month = monday.month
        for weekday in range(7):
            day = monday + timedelta(days=weekday)
            if day > today:
                continue
            state = stats.day_state(history, day, today)
            states[state] += 1
            cells.append({
                "x": HEATMAP_LEFT + week * column, "y": HEATMAP_TOP + weekday * column,
                "css": STATE_CLASS.get(state, "heat-off"), "title": f"{day:%a} {day.day} {day:%b %Y}: {stats.DAY_STATE_WORDS[state]}",
            })
    weekday_labels = [{"y": HEATMAP_TOP + i * column + CELL - 2, "label": WEEKDAY_NAMES[i]} for i in HEATMAP_WEEKDAY_LABELS]
    counted = [f"{stats.DAY_STATE_WORDS[state]} {states[state]} day{'s' if states[state] != 1 else ''}"
               for state in SUMMARY_STATES if states[state]]
    summary = f"Last {weeks} weeks: " + (", ".join(counted) if counted else "nothing to count yet") + "."
    return {"cells": cells, "months": months, "weekday_labels": weekday_labels, "width": width,
            "height": HEATMAP_TOP + 7 * column, "cell": CELL, "summary": summary, "legend": HEATMAP_LEGEND}


def strength_line(series, days=365, width=320, height=150):
    """Strength over up to a year with its axes (0, 50 and 100% and the first and last day),
    from an already computed (day, 0..1) series; `area` fills under the line."""
    series = series[-days:]
    if len(series) < 2:
        return None
    first = series[0][0]
    first_label = f"{first.day} {first:%b %Y}" if first.year != series[-1][0].year else _short_date(first)
    chart = percent_line([score for _, score in series], first_label, "today", width=width, height=height)
    line = chart["segments"][0]
    chart.update({
        "first": first, "current": round(series[-1][1] * 100),
        "area": f"{chart['left']},{chart['bottom']} {line} {chart['right']},{chart['bottom']}",
    })
    return chart


def weekday_bars(history, today, width=280, height=120):
    """Share of scheduled days done per weekday, the share written above each bar."""
    top, base = 16, height - 20  # room above a full bar for its label, and below the bars for the day names
    rates = stats.weekday_rates(history, today)
    bar = width / 7
    bars = []
    for i, rate in enumerate(rates):
        h = (rate or 0) * (base - top)
        bars.append({
            "x": i * bar + 4, "y": base - h, "w": bar - 8, "h": h, "label": WEEKDAY_NAMES[i],
            "text": "–" if rate is None else f"{round(rate * 100)}%", "lx": i * bar + bar / 2, "ty": base - h - 4,
        })
    summary = ", ".join(f"{b['label']} {'not scheduled' if rate is None else b['text']}" for b, rate in zip(bars, rates))
    return {"bars": bars, "width": width, "height": height, "base": base, "label_y": height - 6, "summary": summary}


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
    ticks = [{"x": h * bar, "label": f"{h:02d}:00"} for h in (0, 6, 12, 18)]
    busiest = [h for h, c in enumerate(counts) if c == top]
    hours = " and ".join(f"between {h:02d}:00 and {(h + 1) % 24:02d}:00" for h in busiest)
    if sum(counts) == 1:
        summary = f"1 timed check-in, {hours}"
    elif len(busiest) <= 2:
        summary = f"{sum(counts)} timed check-ins, most often {hours}"
    else:
        summary = f"{sum(counts)} timed check-ins, {top} in each of {len(busiest)} different hours"
    return {"bars": bars, "ticks": ticks, "width": width, "height": height, "base": height - 18, "label_y": height - 4,
            "summary": summary}


def sparkline(series, days=30, width=120, height=32):
    """A month of strength, drawn from an already computed strength series, over a 0% baseline."""
    series = series[-days:]
    if len(series) < 2:
        return None
    pad = 3  # the line's width and the end dot stay inside the drawing
    step = (width - 2 * pad) / (len(series) - 1)
    points = [(pad + i * step, height - pad - score * (height - 2 * pad)) for i, (_, score) in enumerate(series)]
    return {
        "points": " ".join(f"{x:.1f},{y:.1f}" for x, y in points), "width": width, "height": height,
        "base": height - pad, "left": pad, "right": width - pad, "end_x": round(points[-1][0], 1),
        "end_y": round(points[-1][1], 1), "first": round(series[0][1] * 100), "current": round(series[-1][1] * 100),
        "days": len(series),
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
