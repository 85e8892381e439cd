"""Geometry for the staff page's SVG charts; the template only draws what this returns."""

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 12, 36


def retention_curve(curve: list[float | None]) -> dict | None:
    """The share of people active in each week since signup: a line with a 0-100% axis and week labels."""
    points = [(week, share) for week, share in enumerate(curve) if share is not None]
    if len(points) < 2:
        return None
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(1, len(curve) - 1)

    def xy(week, share):
        return LEFT + week * step, TOP + (1 - share) * plot_h

    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in (xy(w, s) for w, s in points))
    dots = [{"x": round(xy(w, s)[0], 1), "y": round(xy(w, s)[1], 1), "label": f"Week {w}: {s:.0%}"} for w, s in points]
    y_ticks = [{"y": round(TOP + (1 - share) * plot_h, 1), "label": f"{share:.0%}"} for share in (0, 0.25, 0.5, 0.75, 1)]
    x_ticks = [{"x": round(LEFT + week * step, 1), "label": str(week)} for week in range(len(curve)) if week % 2 == 0]
    summary = ", ".join(f"week {w} {s:.0%}" for w, s in points)
    return {
        "width": WIDTH, "height": HEIGHT, "left": LEFT, "right": WIDTH - RIGHT, "top": TOP, "base": HEIGHT - BOTTOM,
        "line": line, "dots": dots, "y_ticks": y_ticks, "x_ticks": x_ticks, "axis_label_y": HEIGHT - 6,
        "description": f"Share of people with a check-in, by week since signup: {summary}.",
    }
