"""Small SVG pictures of an insight's evidence, so "why am I seeing this" shows, not only tells.

What to draw comes from the kind's registry entry (`Kind.chart`); this module only lays it out.
"""

from .analysis.kinds import Said, kind

WIDTH = 260
BAR_HEIGHT = 18
LABEL_WIDTH = 100


def _minutes(text):
    try:
        hours, minutes = str(text).split(":")[:2]
        return int(hours) * 60 + int(minutes)
    except (ValueError, AttributeError):
        return None


def _x(minute: float) -> float:
    return 10 + minute / 1440 * (WIDTH - 20)


def evidence_chart(code: str, evidence: dict, habit_name: str = ""):
    try:
        spec = kind(code).chart(Said(evidence or {}, habit_name))
    except (KeyError, TypeError, ValueError):
        return None     # evidence stored by an older detector may lack what today's chart draws
    if spec is None:
        return None
    if spec["type"] == "bars":
        bars = [
            {"label": bar["label"], "value": bar["caption"], "w": max(2, min(1.0, bar["rate"]) * (WIDTH - LABEL_WIDTH - 10)),
             "y": i * (BAR_HEIGHT + 10)}
            for i, bar in enumerate(spec["bars"])
        ]
        return {"type": "bars", "bars": bars, "width": WIDTH, "height": len(bars) * (BAR_HEIGHT + 10)}
    marks = []
    for mark in spec["marks"]:
        minute = _minutes(mark["time"])
        if minute is not None:
            marks.append({"x": _x(minute), "label": f"{mark['label']} {mark['time']}", "ly": 48 + len(marks) * 14})
    if not marks:
        return None
    band = None
    spread, usual = spec.get("spread"), _minutes(spec["marks"][0]["time"])
    if isinstance(spread, (int, float)) and usual is not None:
        band = {"x": _x(max(0, usual - spread)), "w": max(2, 2 * spread / 1440 * (WIDTH - 20))}
    ticks = [{"x": _x(h * 60), "label": f"{h:02d}"} for h in (0, 6, 12, 18, 24)]
    return {"type": "timeline", "marks": marks, "band": band, "ticks": ticks, "width": WIDTH, "height": 50 + len(marks) * 14}
