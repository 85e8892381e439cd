"""Pattern detectors: each speaks only when an exact or standard test says the pattern is real.

Every detector has a minimum sample, an effect size a person would notice and a significance
test, corrected for the number of habits (Holm) and, within a habit, for the number of weekday
groups tried (Bonferroni). People whose data show no pattern get no pattern finding: the
thresholds below were chosen on the synthetic cohort (`coaching/cohort.py`), where
`bench/coaching_eval.py` measures what each one costs in precision and recall.
"""

import itertools
import math
from dataclasses import dataclass
from datetime import date

import numpy as np

from . import kinds
from .inputs import HabitInput, ProfileInput
from .series import HabitSeries
from .significance import (
    binomial_upper,
    data_seeded_rng,
    markov_rows,
    permuted_rows,
    resampled_p,
    two_rate_g,
    circular_centre,
    clock,
    clock_minute,
    clustered_misses_p,
    fisher_lower,
    holm_adjusted,
    rayleigh_p,
    spearman_p,
    theil_sen_slope,
    wrap_minutes,
)

PATTERN_WINDOW = 56         # days: patterns describe the last eight weeks, not last year
DOUBLE_MISS_WINDOW = 84     # misses are rarer events, so "never miss twice" looks further back
SUMMARY_WINDOW = 30

# Family-wise error per kind and person, across that person's habits.
ALPHA_WEEKDAY = 0.01
ALPHA_TREND = 0.01
ALPHA_DOUBLE_MISS = 0.005
ALPHA_TIME = 0.01
ALPHA_CHRONOTYPE = 0.01
ALPHA_MAIN = 0.001

MIN_WEEKDAY_DAYS = 21       # three of every weekday
MIN_WEEKDAY_OCCURRENCES = 3
MAX_GAP_WEEKDAYS = 3        # sets of up to three weekdays: "never on Tuesdays and Thursdays"
MAX_GAP_DAY_RATE = 0.34     # every day of a set is weak on its own (at most 1 of 3), so no good day rides along
MAX_GAP_RATE = 0.2          # "much lower": the weak days are done at most one time in five...
MIN_GAP_DIFFERENCE = 0.5    # ...at least 50 points below the other days...
MIN_OTHER_RATE = 0.8        # ...which are themselves mostly done: a gap in a habit done every day else.
                            # A steady habit done on 60-75% of days misses some weekday four times
                            # running by chance far more often than a 90% habit, so this effect-size
                            # floor buys the precision that lets ALPHA_WEEKDAY rise from 0.02 to 0.05.

MIN_TREND_DAYS = 20
MIN_TREND_SIDE = 7          # due days on each side of a change point: a week before and a week after
MIN_TREND_CHANGE = 0.4      # 40 points: a change a person would notice...
MIN_TREND_HIGH = 0.6        # ...from a habit that was (or became) mostly done...
MAX_TREND_LOW = 0.4         # ...to one mostly missed (or back): not a 70% habit having a 45% fortnight
CARRY_OVER_ALPHA = 0.05     # misses this bunched within each side mean days are not exchangeable: use a Markov null

MIN_DOUBLE_MISS_DAYS = 28
MIN_MISSES = 6
MIN_MISS_PAIRS = 3
DOUBLE_MISS_BLOCK = 14      # misses are shuffled within two-week blocks, so a slow trend is not read as pairs
MIN_MISS_RATIO = 1.5        # "far more often than usual": half as likely again...
MIN_MISS_EXCESS = 0.2       # ...and 20 points more likely than on an average day

MIN_ANCHOR_TIMES = 10
MAX_ANCHOR_SPREAD = 45      # minutes (robust standard deviation)
MIN_ANCHOR_SHARE = 0.6      # of check-ins within an hour of the typical time

MIN_DRIFT_TIMES = 12
MIN_DRIFT_SPAN = 14         # days between the first and last timed check-in
MIN_DRIFT_PER_WEEK = 10     # minutes
MIN_DRIFT_TOTAL = 60        # minutes over the window
MAX_DRIFT_RESIDUAL = 60     # minutes around the moving line: "steadily", not "all over the place"

MIN_PLANNED_TIMES = 8
MAX_PLANNED_SPREAD = 90
PLANNED_TOLERANCE = 90      # minutes between planned and actual before it is worth saying

MIN_CHRONOTYPE_TIMES = 14
MIN_CHRONOTYPE_SHARE = 0.7
EVENING_FROM, EVENING_UNTIL = 17 * 60, 4 * 60     # 17:00 to 04:00
MORNING_FROM, MORNING_UNTIL = 4 * 60, 12 * 60     # 04:00 to 12:00

STRONG_STRENGTH = 80
STRUGGLING_RATE = 0.4
MIN_SUMMARY_DUE = 7
OVERLOAD_HABITS = 5
OVERLOAD_RATE = 0.5
MIN_MAIN_DUE = 10
MIN_MAIN_GAP = 0.2

# Words of a habit's name that tell which goal it serves when no area was chosen: a word matches
# a keyword exactly, or starts with it when the keyword is a stem of five letters or more.
GOAL_KEYWORDS = {
    "health": ("run", "runs", "running", "jog", "jogging", "walk", "walks", "walking", "gym", "workout", "exercise",
               "yoga", "swim", "swimming", "bike", "biking", "cycling", "stretch", "pushups", "squats", "plank",
               "water", "vegetables", "fruit", "steps", "training", "lift", "lifting", "sport", "hike", "hiking",
               "salad", "vitamins", "fitness", "pilates", "dance", "dancing", "healthy"),
    "learning": ("read", "reading", "study", "studying", "learn", "learning", "course", "language", "duolingo",
                 "practice", "book", "books", "lesson", "lessons", "spanish", "french", "german", "code", "coding",
                 "podcast", "flashcards", "anki", "vocabulary"),
    "mindfulness": ("meditate", "meditation", "breathe", "breathing", "journal", "journaling", "gratitude",
                    "mindful", "mindfulness", "pray", "prayer", "reflect", "reflection", "calm"),
    "productivity": ("plan", "planning", "inbox", "email", "focus", "todo", "deep", "review", "clean",
                     "cleaning", "tidy", "desk", "declutter", "pomodoro", "prioritise", "prioritize"),
    "relationships": ("call", "text", "friend", "friends", "family", "partner", "mom", "mum", "dad", "kids",
                      "date", "visit", "letter", "parents"),
    "creativity": ("write", "writing", "draw", "drawing", "paint", "painting", "music", "guitar", "piano", "sing",
                   "singing", "sketch", "sketching", "photo", "photography", "craft", "compose", "poem", "poetry",
                   "knit", "knitting"),
    "finances": ("budget", "budgeting", "save", "saving", "savings", "spend", "spending", "expenses", "invest",
                 "investing", "money", "finances", "bank", "debt"),
    "sleep": ("sleep", "bed", "bedtime", "screens", "screen", "phone", "nap", "wake", "lights"),
}


@dataclass(frozen=True)
class Finding:
    kind: str
    habit: HabitInput | None
    confidence: float
    evidence: dict


@dataclass(frozen=True)
class Timing:
    """Timed check-ins of one habit in the pattern window."""

    x: np.ndarray               # day index within the window
    minutes: np.ndarray
    centre: float
    spread: float
    resultant: float

    @property
    def n(self) -> int:
        return len(self.minutes)


def _confidence(p_adjusted: float, n: int, n_full: int) -> float:
    """Certainty after correction, discounted while the sample is still small."""
    return round(max(0.0, min(0.99, (1 - p_adjusted) * min(1.0, math.sqrt(n / n_full)))), 2)


def _rate(value: float) -> float:
    return round(float(value), 2)


def timing(series: HabitSeries) -> Timing | None:
    low = series.window_start(PATTERN_WINDOW)
    minutes = series.minutes[low:]
    known = ~np.isnan(minutes)
    if known.sum() < 2:
        return None
    x = np.flatnonzero(known).astype(float)
    minutes = minutes[known]
    centre, spread, resultant = circular_centre(minutes)
    return Timing(x=x, minutes=minutes, centre=centre, spread=spread, resultant=resultant)


def _window(series: HabitSeries, days: int) -> tuple[np.ndarray, np.ndarray]:
    """(done, weekday) of the due days among the last `days` days, oldest first."""
    low = series.window_start(days)
    due = series.due[low:]
    return series.done[low:][due], series.weekday[low:][due]


def _significant(candidates: list[tuple], alpha: float) -> list[tuple[tuple, float]]:
    """Candidates are (p, ...) per tested habit; Holm across them, keep those that reject."""
    adjusted = holm_adjusted([c[0] for c in candidates])
    return [(c, p) for c, p in zip(candidates, adjusted) if p <= alpha]


def _weekday_sets(eligible: list[int]) -> np.ndarray:
    """Membership matrix (sets x 7) of every set of 1-3 eligible weekdays that leaves at least two others."""
    largest = min(MAX_GAP_WEEKDAYS, len(eligible) - 2)
    sets = [group for size in range(1, largest + 1) for group in itertools.combinations(eligible, size)]
    membership = np.zeros((len(sets), 7))
    for row, group in enumerate(sets):
        membership[row, list(group)] = 1
    return membership


def _weekday_statistic(hits: np.ndarray, counts: np.ndarray, membership: np.ndarray) -> np.ndarray:
    """For each row of weekday hit counts (rows x 7), the largest G over the weekday sets that look like a gap.

    A set looks like a gap when it is done at most MAX_GAP_RATE of the time, every one of its
    days at most MAX_GAP_DAY_RATE, and the other days clearly more (the effect-size floors below);
    other sets score 0.
    """
    set_n = membership @ counts
    total_n, total_done = counts.sum(), hits.sum(axis=1, keepdims=True)
    set_done = hits @ membership.T
    other_done, other_n = total_done - set_done, total_n - set_n
    set_rate, other_rate = set_done / set_n, other_done / other_n
    day_rate = hits / np.where(counts > 0, counts, 1)
    worst_member = (day_rate[:, None, :] * membership[None]).max(axis=2)
    gap = ((set_rate <= MAX_GAP_RATE) & (worst_member <= MAX_GAP_DAY_RATE)
           & (other_rate - set_rate >= MIN_GAP_DIFFERENCE) & (other_rate >= MIN_OTHER_RATE))
    return np.where(gap, two_rate_g(set_done, set_n, other_done, other_n), 0.0)


def weekday_gaps(series_list: list[HabitSeries]) -> list[Finding]:
    """Which weekdays, if any, does a habit skip? A likelihood-ratio scan over every set of 1-3 weekdays.

    Testing each weekday against "the other days" misses a habit never done on Tuesdays *and*
    Thursdays (each gap day dilutes the other's comparison). So every set of up to three
    weekdays is compared with the remaining days, the set with the largest binomial likelihood
    ratio wins, and that maximum is judged against the maxima of the same habit's done days
    shuffled across its due days (a permutation test), so trying 63 sets costs no false alarms.
    """
    candidates = []
    for series in series_list:
        if series.is_flexible:
            continue
        done, weekday = _window(series, PATTERN_WINDOW)
        if len(done) < MIN_WEEKDAY_DAYS:
            continue
        counts = np.bincount(weekday, minlength=7).astype(float)
        hits = np.bincount(weekday, weights=done, minlength=7)
        eligible = [day for day in range(7) if counts[day] >= MIN_WEEKDAY_OCCURRENCES]
        if len(eligible) < 3:
            continue
        membership = _weekday_sets(eligible)
        observed = _weekday_statistic(hits[None], counts, membership)[0]
        best = int(np.argmax(observed))
        if observed[best] <= 0:
            candidates.append((1.0, series, None))
            continue
        one_hot = np.eye(7)[weekday]  # due day x weekday

        def draw(rng, size, done=done, one_hot=one_hot, counts=counts, membership=membership):
            return _weekday_statistic(permuted_rows(done.astype(float), rng, size) @ one_hot, counts, membership).max(axis=1)

        p = resampled_p(float(observed[best]), draw, data_seeded_rng(done, weekday))
        group = tuple(int(day) for day in np.flatnonzero(membership[best]))
        group_n, group_done = int(counts[list(group)].sum()), int(hits[list(group)].sum())
        other_n, other_done = int(counts.sum()) - group_n, int(hits.sum()) - group_done
        candidates.append((p, series, (group, group_done / group_n, other_done / other_n, group_n, group_done, other_n, other_done)))
    findings = []
    for (_, series, detail), p in _significant(candidates, ALPHA_WEEKDAY):
        group, group_rate, other_rate, group_n, group_done, other_n, other_done = detail
        findings.append(Finding(kinds.WEEKDAY_GAP, series.habit, _confidence(p, group_n, 4 * len(group)), {
            "weekdays": [kinds.WEEKDAY_NAMES[day] for day in group],
            "weekday_rate": _rate(group_rate),
            "other_rate": _rate(other_rate),
            "weekday_done": group_done,
            "weekday_days": group_n,
            "other_done": other_done,
            "other_days": other_n,
        }))
    return findings


def _due_run(series: HabitSeries, days: int, skip_weekdays: frozenset = frozenset(), include_today: bool = True):
    """(done, follows) for the due days among the last `days`, oldest first.

    `follows[i]` says day i is the next scheduled day after day i-1 (no excused day or left-out
    weekday between), so Monday-Wednesday-Friday habits chain their days.
    """
    low = series.window_start(days)
    position = np.cumsum(series.scheduled[low:]) - 1
    due = series.due[low:].copy()
    if skip_weekdays:
        due &= ~np.isin(series.weekday[low:], list(skip_weekdays))
    if not include_today and len(due):
        due[-1] = False
    index = np.flatnonzero(due)
    follows = np.zeros(len(index), dtype=bool)
    follows[1:] = np.diff(position[index]) == 1
    return series.done[low:][index], follows


def _miss_segments(done: np.ndarray, follows: np.ndarray) -> list[np.ndarray]:
    """Stretches of consecutive due days as arrays of "missed"."""
    return [segment for segment in np.split(~done, np.flatnonzero(~follows)[1:]) if len(segment) >= 2] if len(done) else []


def _split_statistic(rows: np.ndarray, min_side: int, min_change: float) -> tuple[np.ndarray, np.ndarray]:
    """For each row of done days (rows x days), the largest G over split days with a big enough change, and where.

    A split at k compares days [0, k) with [k, n); both sides keep at least `min_side` days.
    """
    n = rows.shape[1]
    splits = np.arange(min_side, n - min_side + 1)
    cumulative = np.cumsum(rows, axis=1)
    before_done = cumulative[:, splits - 1]
    after_done = cumulative[:, -1:] - before_done
    before_n, after_n = splits, n - splits
    before_rate, after_rate = before_done / before_n, after_done / after_n
    high, low = np.maximum(before_rate, after_rate), np.minimum(before_rate, after_rate)
    clear = (high - low >= min_change) & (high >= MIN_TREND_HIGH) & (low <= MAX_TREND_LOW)
    g = np.where(clear, two_rate_g(before_done, before_n, after_done, after_n), 0.0)
    best = np.argmax(g, axis=1)
    return g[np.arange(len(rows)), best], splits[best]


def _bunched_within_sides(done: np.ndarray, follows: np.ndarray, split: int) -> bool:
    """Are misses bunched within each side of the split? Then the days are not exchangeable."""
    same_side = follows.copy()
    same_side[split] = False
    return clustered_misses_p(_miss_segments(done, same_side)) <= CARRY_OVER_ALPHA


def trends(series_list: list[HabitSeries]) -> list[Finding]:
    """Did a habit's rate change at some day in the window? A change-point scan.

    Every split day is tried (the change may start any day, not only mid-window): the binomial
    likelihood ratio of "one rate before, another after" against "one rate throughout", and the
    largest is judged against the largest that the same days, shuffled, produce. A person who
    misses in runs (yesterday's miss makes today's likelier) makes long runs that look like
    changes, so when misses are bunched within each side of the split, the null is instead a
    two-state Markov chain fitted to the habit: only a change beyond what its own persistence
    makes is called a trend.
    """
    candidates = []
    for series in series_list:
        if series.is_flexible:
            continue
        done, follows = _due_run(series, PATTERN_WINDOW)
        if len(done) < MIN_TREND_DAYS:
            continue
        observed, split = _split_statistic(done[None].astype(float), MIN_TREND_SIDE, MIN_TREND_CHANGE)
        observed, split = float(observed[0]), int(split[0])
        if observed <= 0:
            candidates.append((1.0, series, None))
            continue
        values = done.astype(float)
        if _bunched_within_sides(done, follows, split):
            after_done = done[1:][done[:-1]]
            after_miss = done[1:][~done[:-1]]
            stay = float(after_done.mean()) if len(after_done) else 0.5
            recover = float(after_miss.mean()) if len(after_miss) else 0.5

            def draw(rng, size, stay=stay, recover=recover, first=bool(done[0]), n=len(done)):
                return _split_statistic(markov_rows(first, stay, recover, n, rng, size).astype(float),
                                        MIN_TREND_SIDE, MIN_TREND_CHANGE)[0]
        else:
            def draw(rng, size, values=values):
                return _split_statistic(permuted_rows(values, rng, size), MIN_TREND_SIDE, MIN_TREND_CHANGE)[0]
        p = resampled_p(observed, draw, data_seeded_rng(done, follows))
        rate_before, rate_after = float(done[:split].mean()), float(done[split:].mean())
        low = series.window_start(PATTERN_WINDOW)
        changed_on = series.first + low + int(np.flatnonzero(series.due[low:])[split])
        candidates.append((p, series, (rate_before, rate_after, len(done), changed_on)))
    findings = []
    for (_, series, (rate_before, rate_after, n, changed_on)), p in _significant(candidates, ALPHA_TREND):
        kind = kinds.DECLINING_TREND if rate_after < rate_before else kinds.IMPROVING_TREND
        findings.append(Finding(kind, series.habit, _confidence(p, n, 28), {
            "rate_before": _rate(rate_before),
            "rate_after": _rate(rate_after),
            "days": n,
            "changed_on": date.fromordinal(changed_on).isoformat(),
        }))
    return findings


def double_misses(
    series_list: list[HabitSeries], weekday_findings: list[Finding], trend_findings: list[Finding]
) -> list[Finding]:
    """Exact runs test: do misses bunch into pairs more than chance would put them?

    Misses on a weekday already known to be a gap are left out (a missed weekend is not two
    separate misses). For a habit with a trend, misses are only shuffled within two-week blocks,
    so the trend's run of misses is not read as "one miss leads to another".
    """
    gap_days = {
        finding.habit.id: frozenset(kinds.WEEKDAY_NAMES.index(name) for name in finding.evidence["weekdays"])
        for finding in weekday_findings
    }
    trending = {finding.habit.id for finding in trend_findings}
    candidates = []
    for series in series_list:
        if series.is_flexible:
            continue
        done, follows = _due_run(series, DOUBLE_MISS_WINDOW, gap_days.get(series.habit.id, frozenset()), include_today=False)
        segments = _miss_segments(done, follows)
        days = sum(len(segment) for segment in segments)
        misses = sum(int(segment.sum()) for segment in segments)
        if days < MIN_DOUBLE_MISS_DAYS or misses < MIN_MISSES:
            continue
        pairs = sum(int(np.count_nonzero(segment[1:] & segment[:-1])) for segment in segments)
        followed = sum(int(segment[:-1].sum()) for segment in segments)
        p_miss, p_after = misses / days, pairs / followed if followed else 0.0
        p = 1.0
        if pairs >= MIN_MISS_PAIRS and p_after >= MIN_MISS_RATIO * p_miss and p_after - p_miss >= MIN_MISS_EXCESS:
            if series.habit.id in trending:
                segments = [s[i:i + DOUBLE_MISS_BLOCK] for s in segments for i in range(0, len(s), DOUBLE_MISS_BLOCK)]
            p = clustered_misses_p(segments)
        candidates.append((p, series, p_after, p_miss, misses))
    findings = []
    for (_, series, p_after, p_miss, misses), p in _significant(candidates, ALPHA_DOUBLE_MISS):
        findings.append(Finding(kinds.DOUBLE_MISS, series.habit, _confidence(p, misses, 12), {
            "p_miss_after_miss": _rate(p_after),
            "p_miss": _rate(p_miss),
            "misses": misses,
        }))
    return findings


def time_drifts(series_list: list[HabitSeries], timings: dict) -> list[Finding]:
    """Spearman's test of time against date; Theil-Sen for how fast, so odd check-ins cannot fake a drift."""
    candidates = []
    for series in series_list:
        t = timings.get(series.habit.id)
        if t is None or t.n < MIN_DRIFT_TIMES or t.x[-1] - t.x[0] < MIN_DRIFT_SPAN:
            continue
        y = wrap_minutes(t.minutes - t.centre)
        slope, intercept = theil_sen_slope(t.x, y)
        span = t.x[-1] - t.x[0]
        residual = 1.4826 * float(np.median(np.abs(y - (intercept + slope * t.x))))
        p = 1.0
        if abs(slope) * 7 >= MIN_DRIFT_PER_WEEK and abs(slope) * span >= MIN_DRIFT_TOTAL and residual <= MAX_DRIFT_RESIDUAL:
            rho, p = spearman_p(t.x, y)
            if rho * slope <= 0:
                p = 1.0
        start = t.centre + intercept + slope * t.x[0]
        end = t.centre + intercept + slope * t.x[-1]
        candidates.append((p, series, slope * 7, start, end, t.n, span))
    findings = []
    for (_, series, per_week, start, end, n, span), p in _significant(candidates, ALPHA_TIME):
        findings.append(Finding(kinds.TIME_DRIFT, series.habit, _confidence(p, n, 20), {
            "minutes_per_week": int(round(per_week)),
            "from_time": clock(start),
            "to_time": clock(end),
            "weeks": round(span / 7, 1),
        }))
    return findings


def time_anchors(series_list: list[HabitSeries], timings: dict, drifting: set) -> list[Finding]:
    """A tight spread round a typical time (Rayleigh's test says the times are not spread by chance)."""
    candidates = []
    for series in series_list:
        t = timings.get(series.habit.id)
        if t is None or t.n < MIN_ANCHOR_TIMES or series.habit.id in drifting:
            continue
        share = float(np.mean(np.abs(wrap_minutes(t.minutes - t.centre)) <= 60))
        p = 1.0
        if t.spread <= MAX_ANCHOR_SPREAD and share >= MIN_ANCHOR_SHARE:
            p = rayleigh_p(t.n, t.resultant)
        candidates.append((p, series, t, share))
    findings = []
    for (_, series, t, share), p in _significant(candidates, ALPHA_TIME):
        sharpness = min(1.0, MAX_ANCHOR_SPREAD / max(t.spread, 1.0) / 2)
        confidence = round(min(0.99, _confidence(p, t.n, 20) * (0.75 + 0.25 * sharpness)), 2)
        findings.append(Finding(kinds.TIME_ANCHOR, series.habit, confidence, {
            "typical_time": clock(t.centre),
            "spread_minutes": int(round(t.spread)),
            "share_within_hour": _rate(share),
            "check_ins": t.n,
        }))
    return findings


def planned_time_mismatches(series_list: list[HabitSeries], timings: dict) -> list[Finding]:
    """Sign test: are check-ins more than 90 minutes from the planned time, mostly on one side?"""
    candidates = []
    for series in series_list:
        planned = series.habit.planned_time
        t = timings.get(series.habit.id)
        if planned is None or t is None or t.n < MIN_PLANNED_TIMES:
            continue
        planned_minute = planned.hour * 60 + planned.minute
        difference = float(wrap_minutes(t.centre - planned_minute))
        quoted_difference = int(wrap_minutes(clock_minute(t.centre) - planned_minute))
        p = 1.0
        if abs(difference) > PLANNED_TOLERANCE and t.spread <= MAX_PLANNED_SPREAD:
            offsets = wrap_minutes(t.minutes - planned_minute) * math.copysign(1, difference)
            p = binomial_upper(int(np.count_nonzero(offsets > PLANNED_TOLERANCE)), t.n, 0.5)
        candidates.append((p, series, planned_minute, t, quoted_difference))
    findings = []
    for (_, series, planned_minute, t, difference), p in _significant(candidates, ALPHA_TIME):
        findings.append(Finding(kinds.PLANNED_TIME_MISMATCH, series.habit, _confidence(p, t.n, 16), {
            "planned_time": f"{planned_minute // 60:02d}:{planned_minute % 60:02d}",
            "typical_time": clock(t.centre),
            "difference_minutes": difference,
        }))
    return findings


def _at_other_end(minutes: np.ndarray, chronotype: str) -> np.ndarray:
    if chronotype == "morning":
        return (minutes >= EVENING_FROM) | (minutes < EVENING_UNTIL)
    return (minutes >= MORNING_FROM) & (minutes < MORNING_UNTIL)


def chronotype_mismatch(series_list: list[HabitSeries], timings: dict, profile: ProfileInput) -> list[Finding]:
    """Binomial test: do clearly more than half of all timed check-ins fall at the other end of the day?"""
    if profile.chronotype not in ("morning", "evening") or not timings:
        return []
    minutes = np.concatenate([t.minutes for t in timings.values()])
    if len(minutes) < MIN_CHRONOTYPE_TIMES:
        return []
    other_end = _at_other_end(minutes, profile.chronotype)
    share = float(other_end.mean())
    centre, _, _ = circular_centre(minutes)
    centre_at_other_end = (centre >= EVENING_FROM or centre < EVENING_UNTIL) if profile.chronotype == "morning" \
        else MORNING_FROM <= centre < MORNING_UNTIL
    if share < MIN_CHRONOTYPE_SHARE or not centre_at_other_end:
        return []
    p = binomial_upper(int(other_end.sum()), len(minutes), 0.5)
    if p > ALPHA_CHRONOTYPE:
        return []
    most = max(series_list, key=lambda s: int(_at_other_end(timings[s.habit.id].minutes, profile.chronotype).sum())
               if s.habit.id in timings else -1)
    return [Finding(kinds.CHRONOTYPE_MISMATCH, None, _confidence(p, len(minutes), 28), {
        "chronotype": profile.chronotype,
        "habit_other_end": most.habit.name,
        "median_time": clock(centre),
        "share_other_end": _rate(share),
        "check_ins": len(minutes),
    })]


def _recent(series: HabitSeries) -> tuple[int, int]:
    done, _ = _window(series, SUMMARY_WINDOW)
    return len(done), int(done.sum())


def main_habit_lagging(series_list: list[HabitSeries], main: HabitSeries | None) -> list[Finding]:
    """The main habit's last 30 days against the other habits' pooled, Fisher's exact test."""
    if main is None or len(series_list) < 2 or main.is_flexible:
        return []
    main_n, main_done = _recent(main)
    others = [_recent(s) for s in series_list if s is not main and not s.is_flexible]
    other_n, other_done = sum(n for n, _ in others), sum(d for _, d in others)
    if main_n < MIN_MAIN_DUE or other_n < MIN_MAIN_DUE:
        return []
    main_rate, other_rate = main_done / main_n, other_done / other_n
    if other_rate - main_rate < MIN_MAIN_GAP:
        return []
    p = fisher_lower(main_done, main_n, other_done, other_n)
    if p > ALPHA_MAIN:
        return []
    return [Finding(kinds.MAIN_HABIT_LAGGING, main.habit, _confidence(p, main_n, 20), {
        "main_rate": _rate(main_rate),
        "others_rate": _rate(other_rate),
    })]


def thresholds(series_list: list[HabitSeries], summaries: dict) -> list[Finding]:
    """Strong and struggling habits, and too many habits at once: plain numbers, said only when true."""
    findings = []
    rates = []
    for series in series_list:
        summary = summaries[series.habit.id]
        due_recent, _ = _recent(series)
        if summary.strength >= STRONG_STRENGTH:
            findings.append(Finding(kinds.STRONG_HABIT, series.habit, round(min(0.99, summary.strength / 100), 2), {
                "strength": summary.strength,
                "best_streak": summary.best_streak,
            }))
        rate = summary.completion_rate_30d
        if rate is not None and rate < STRUGGLING_RATE and due_recent >= MIN_SUMMARY_DUE:
            findings.append(Finding(kinds.STRUGGLING_HABIT, series.habit, _confidence(0.0, due_recent, 30), {
                "completion_rate_30d": _rate(rate),
                "due_days": due_recent,
            }))
        if rate is not None and due_recent >= MIN_SUMMARY_DUE:
            rates.append(rate)
    # Each habit counts by its own completion rate, which judges a 3-times-a-week habit by its weeks
    # (habits.stats), not by the days it was never meant to be done on.
    if len(rates) >= OVERLOAD_HABITS and sum(rates) / len(rates) < OVERLOAD_RATE:
        findings.append(Finding(kinds.OVERLOAD, None, _confidence(0.0, len(rates), 8), {
            "habit_count": len(rates),
            "overall_rate": _rate(sum(rates) / len(rates)),
        }))
    return findings


def serves_goal(habit: HabitInput, goal: str) -> bool:
    if habit.area:
        return habit.area == goal
    words = "".join(c if c.isalnum() else " " for c in habit.name.lower()).split()
    return any(
        word == keyword or (len(keyword) >= 5 and word.startswith(keyword))
        for word in words for keyword in GOAL_KEYWORDS.get(goal, ())
    )


def goal_gaps(habits: list[HabitInput], profile: ProfileInput) -> list[Finding]:
    """A goal from onboarding that none of the habits serves (by its area, else by its name)."""
    findings = []
    for goal in dict.fromkeys(profile.goals):
        if goal in kinds.GOALS and not any(serves_goal(habit, goal) for habit in habits):
            findings.append(Finding(kinds.GOAL_GAP, None, 0.9, {"goal": goal, "goal_label": kinds.GOAL_LABELS[goal]}))
    return findings


def detect(series_list: list[HabitSeries], summaries: dict, profile: ProfileInput, main: HabitSeries | None) -> list[Finding]:
    timings = {s.habit.id: t for s in series_list if (t := timing(s)) is not None}
    weekday = weekday_gaps(series_list)
    trend = trends(series_list)
    drift = time_drifts(series_list, timings)
    findings = [
        *weekday,
        *trend,
        *double_misses(series_list, weekday, trend),
        *drift,
        *time_anchors(series_list, timings, {f.habit.id for f in drift}),
        *planned_time_mismatches(series_list, timings),
        *chronotype_mismatch(series_list, timings, profile),
        *main_habit_lagging(series_list, main),
        *thresholds(series_list, summaries),
        *goal_gaps([s.habit for s in series_list], profile),
    ]
    return sorted(findings, key=lambda f: -f.confidence)
