"""Small phrases every sentence is built from: numbers, weekdays, durations and how sure we are, in words.

No raw decimals reach a person: rates are percentages or "n of m", confidence is "very likely".
"""

from habits.schedule import WEEKDAY_NAMES

WEEKDAY_PLURALS = ("Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays", "Sundays")

# Confidence (0..1, after correction for everything tried) in the words the pages use.
VERY_LIKELY = 0.95
LIKELY = 0.8


def percent(rate: float) -> str:
    return f"{round(rate * 100)}%"


def count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def weekday_phrase(names: list[str]) -> str:
    plurals = [WEEKDAY_PLURALS[WEEKDAY_NAMES.index(name)] for name in names]
    return " and ".join(plurals)


def minutes_phrase(minutes: int) -> str:
    minutes = abs(int(minutes))
    if minutes < 90:
        return f"{minutes} minutes"
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest:02d} min" if rest else f"{hours} hours"


def direction(signed_minutes: float) -> str:
    return "later" if signed_minutes > 0 else "earlier"


def streak_phrase(number: int, habit) -> str:
    return habit.schedule.streak_words(number)


def likelihood(confidence: float) -> str:
    if confidence >= VERY_LIKELY:
        return "very likely"
    if confidence >= LIKELY:
        return "likely"
    return "possible"
