"""Small SVG pictures of an insight's evidence, so "why am I seeing this" shows, not only tells."""

WIDTH = 260
BAR_HEIGHT = 18

RATE_PAIRS = {
    "weekday_gap": [("weekday_rate", None), ("other_rate", "Other days")],
    "declining_trend": [("rate_before", "Before"), ("rate_after", "Recently")],
    "improving_trend": [("rate_before", "Before"), ("rate_after", "Recently")],
    "double_miss": [("p_miss", "Miss on any day"), ("p_miss_after_miss", "Miss after a miss")],
}
TIME_KEYS = [("planned_time", "Planned"), ("typical_time", "Usual"), ("median_time", "Median")]


def _minutes(text):
    try:
        hours, minutes = str(text).split(":")[:2]
        return int(hours) * 60 + int(minutes)
    except (ValueError, AttributeError):
        return None


def evidence_chart(kind: str, evidence: dict):
    if kind in RATE_PAIRS:
        bars = []
        for key, label in RATE_PAIRS[kind]:
            value = evidence.get(key)
            if not isinstance(value, (int, float)):
                continue
            if label is None:
                label = ", ".join(evidence.get("weekdays", [])) or "Those days"
            bars.append({"label": label, "value": f"{round(value * 100)}%", "w": max(2, value * (WIDTH - 110)),
                         "y": len(bars) * (BAR_HEIGHT + 10)})
        return {"type": "bars", "bars": bars, "width": WIDTH, "height": len(bars) * (BAR_HEIGHT + 10)} if bars else None
    marks = []
    for key, label in TIME_KEYS:
        minute = _minutes(evidence.get(key))
        if minute is not None:
            marks.append({"x": 10 + minute / 1440 * (WIDTH - 20), "label": f"{label} {evidence[key]}", "key": key})
    if marks:
        spread = evidence.get("spread_minutes")
        band = None
        typical = _minutes(evidence.get("typical_time"))
        if isinstance(spread, (int, float)) and typical is not None:
            band = {"x": 10 + max(0, typical - spread) / 1440 * (WIDTH - 20), "w": max(2, 2 * spread / 1440 * (WIDTH - 20))}
        for i, mark in enumerate(marks):
            mark["ly"] = 48 + i * 14
        ticks = [{"x": 10 + h * 60 / 1440 * (WIDTH - 20), "label": f"{h:02d}"} for h in (0, 6, 12, 18, 24)]
        return {"type": "timeline", "marks": marks, "band": band, "ticks": ticks, "width": WIDTH, "height": 50 + len(marks) * 14}
    return None
