"""What a person reads about an insight: one-line title and a short body, in their tone.

Every number quoted comes from the finding's evidence, so a sentence never says more than the data.
"""


from . import kinds
from .detectors import Finding


def percent(rate: float) -> str:
    return f"{round(rate * 100)}%"


def weekday_phrase(names: list[str]) -> str:
    plurals = [kinds.WEEKDAY_PLURALS[kinds.WEEKDAY_NAMES.index(name)] for name in names]
    return " and ".join(plurals)


def minutes_phrase(minutes: int) -> str:
    minutes = abs(int(minutes))
    if minutes < 90:
        return f"{minutes} minutes"
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest:02d} min" if rest else f"{hours} hours"


def direction(signed_minutes: float) -> str:
    return "later" if signed_minutes > 0 else "earlier"


def streak_phrase(count: int, habit) -> str:
    unit = habit.schedule.streak_unit
    return f"{count} {unit}{'' if count == 1 else 's'}"


def _pick(tone: str, direct: str, gentle: str) -> str:
    return gentle if tone == "gentle" else direct


def insight_text(finding: Finding, tone: str) -> tuple[str, str]:
    e = finding.evidence
    name = finding.habit.name if finding.habit else ""
    kind = finding.kind
    if kind == kinds.TIME_ANCHOR:
        return (
            _pick(tone, f"{name} happens at {e['typical_time']}", f"{name} has a steady time: around {e['typical_time']}"),
            _pick(
                tone,
                f"{percent(e['share_within_hour'])} of your last {e['check_ins']} check-ins came within an hour of "
                f"{e['typical_time']} (typical spread {e['spread_minutes']} minutes). That time is your cue.",
                f"Across your last {e['check_ins']} check-ins, {percent(e['share_within_hour'])} came within an hour "
                f"of {e['typical_time']}. That steady time is working for you.",
            ),
        )
    if kind == kinds.TIME_DRIFT:
        later = direction(e["minutes_per_week"])
        return (
            _pick(tone, f"{name} is drifting {later}", f"{name} has been moving {later} in the day"),
            f"You checked in {name} around {e['from_time']} at first and around {e['to_time']} lately: about "
            f"{minutes_phrase(e['minutes_per_week'])} {later} each week over {e['weeks']:g} weeks.",
        )
    if kind == kinds.WEEKDAY_GAP:
        days = weekday_phrase(e["weekdays"])
        return (
            _pick(tone, f"{name} slips on {days}", f"{days} are harder for {name}"),
            f"You did {name} on {e['weekday_done']} of the last {e['weekday_days']} {days} "
            f"({percent(e['weekday_rate'])}), against {percent(e['other_rate'])} of other days.",
        )
    if kind in (kinds.DECLINING_TREND, kinds.IMPROVING_TREND):
        declining = kind == kinds.DECLINING_TREND
        title = (
            _pick(tone, f"{name} is slipping", f"{name} has been harder lately") if declining
            else _pick(tone, f"{name} is picking up", f"{name} is going better and better")
        )
        return title, (
            f"Over the last {e['days']} due days, you did {name} on {percent(e['rate_before'])} of days in the first "
            f"half and {percent(e['rate_after'])} in the second."
        )
    if kind == kinds.DOUBLE_MISS:
        return (
            _pick(tone, f"One missed {name} tends to become two", f"After a missed {name}, the next day gets harder"),
            f"After a missed day you also missed the next one {percent(e['p_miss_after_miss'])} of the time, "
            f"while you miss {name} on {percent(e['p_miss'])} of days overall.",
        )
    if kind == kinds.CHRONOTYPE_MISMATCH:
        morning = e["chronotype"] == "morning"
        where = "after 17:00" if morning else "before noon"
        return (
            _pick(tone, f"Most check-ins come in the {'evening' if morning else 'morning'}",
                  f"Your day seems to run {'late' if morning else 'early'}"),
            f"You told us you're {'a morning' if morning else 'an evening'} person, but {percent(e['share_other_end'])} "
            f"of your last {e['check_ins']} check-ins were {where} (middle of your check-ins: {e['median_time']}).",
        )
    if kind == kinds.PLANNED_TIME_MISMATCH:
        gap = e["difference_minutes"]
        return (
            _pick(tone, f"{name} happens at {e['typical_time']}, not {e['planned_time']}",
                  f"{name} tends to happen away from its planned time"),
            f"You planned {name} for {e['planned_time']}, but you usually check it in around {e['typical_time']}, "
            f"{minutes_phrase(gap)} {direction(gap)}.",
        )
    if kind == kinds.MAIN_HABIT_LAGGING:
        return (
            _pick(tone, f"Your main habit, {name}, is behind", f"{name}, your main habit, could use some care"),
            f"In the last 30 days you did {name} on {percent(e['main_rate'])} of due days and your other habits "
            f"on {percent(e['others_rate'])}.",
        )
    if kind == kinds.STRONG_HABIT:
        return (
            _pick(tone, f"{name} is strong", f"{name} is becoming part of you"),
            f"Strength {e['strength']}/100, best streak {streak_phrase(e['best_streak'], finding.habit)}.",
        )
    if kind == kinds.STRUGGLING_HABIT:
        return (
            _pick(tone, f"{name} is struggling", f"{name} hasn't found its place yet"),
            f"You did {name} on {percent(e['completion_rate_30d'])} of the {e['due_days']} days it was due in the last 30.",
        )
    if kind == kinds.OVERLOAD:
        return (
            _pick(tone, f"{e['habit_count']} habits at once is a lot", f"You're carrying {e['habit_count']} habits"),
            f"Together they were done on {percent(e['overall_rate'])} of due days in the last 30.",
        )
    if kind == kinds.GOAL_GAP:
        return (
            f"No habit for {e['goal_label']} yet",
            f"You chose {e['goal_label']} as a goal, but none of your habits serves it yet.",
        )
    return kind.replace("_", " ").capitalize(), ""
