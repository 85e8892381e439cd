"""Reads of the current coaching, for the coaching page and the apps that build on it (digests)."""

from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Prefetch

from .analysis.kinds import FAMILY_LABELS, PATTERN_KINDS, REGISTRY, Said
from .analysis.kinds import kind as kind_entry
from .analysis.recommend import standing
from .analysis.wording import likelihood
from .charts import evidence_chart
from .models import (
    AnalysisRun,
    CoachingInsight,
    InsightFeedback,
    Recommendation,
    ReviewStatus,
)


@dataclass(frozen=True)
class Tip:
    """One piece of coaching for an email: ranked, never based on a flagged insight."""

    key: str
    title: str
    text: str
    is_pattern: bool


def visible_recommendations(queryset):
    return queryset.exclude(insights__review_status=ReviewStatus.FLAGGED)


def current_run(user):
    return AnalysisRun.objects.filter(user=user, is_current=True).first()


def sureness(insight) -> str:
    """How sure we are, in words: a tested pattern by its corrected confidence, a plain count as what it is."""
    entry = kind_entry(insight.kind)
    return likelihood(insight.confidence) if entry.pattern else entry.source


def evidence_lines(insight) -> list[str]:
    try:
        return kind_entry(insight.kind).evidence(Said(insight.evidence or {}, insight.habit_name or ""))
    except (KeyError, TypeError, ValueError):
        return []


def strength_notes(run) -> list[tuple]:
    """The run's strengths from plain numbers, as (habit id or None, text); runs stored before notes were kept
    hold plain sentences."""
    return [(None, note) if isinstance(note, str) else tuple(note) for note in run.strengths]


def _cards(insights, feedback) -> list[dict]:
    """Insights by family, then one card per kind listing its habits: one "steady times" card, not five."""
    order = {entry.code: position for position, entry in enumerate(REGISTRY)}
    families: dict[str, dict] = {}
    for insight in sorted(insights, key=lambda i: (order.get(i.kind, len(order)), -i.confidence)):
        entry = kind_entry(insight.kind)
        insight.sureness = sureness(insight)
        insight.evidence_lines = evidence_lines(insight)
        insight.chart = evidence_chart(insight.kind, insight.evidence, insight.habit_name)
        insight.my_feedback = feedback.get(insight.pk)
        family = families.setdefault(entry.family, {"label": FAMILY_LABELS.get(entry.family, entry.family), "cards": {}})
        family["cards"].setdefault(entry.code, {"heading": entry.card, "kind": entry.code, "insights": []})
        family["cards"][entry.code]["insights"].append(insight)
    return [{"label": f["label"], "cards": list(f["cards"].values())} for f in families.values()]


def coaching_overview(user):
    run = current_run(user)
    if run is None:
        return {"run": None, "recommendations": [], "families": [], "strengths": [], "challenges": []}
    recommendations = list(visible_recommendations(run.recommendations.all()).distinct().order_by("rank"))
    for recommendation in recommendations:
        recommendation.based_on_labels = [kind_entry(code).label for code in recommendation.based_on]
    insights = list(run.insights.visible().select_related("habit"))
    feedback = dict(InsightFeedback.objects.filter(user=user, insight__in=insights).values_list("insight_id", "helpful"))
    strengths, challenges = standing(insights, strength_notes(run))
    return {"run": run, "recommendations": recommendations, "families": _cards(insights, feedback),
            "strengths": strengths, "challenges": challenges}


def coaching_history(user, limit=26):
    runs = (
        AnalysisRun.objects.filter(user=user)
        .order_by("-generated_at")
        .prefetch_related(Prefetch("recommendations", queryset=visible_recommendations(Recommendation.objects.all()).distinct().order_by("rank")))
    )[:limit]
    return list(runs)


def _weight(helpful: int, unhelpful: int) -> float:
    return min(1.5, max(0.25, 0.5 ** (unhelpful - helpful)))


def kind_weights_for(user_ids) -> dict[int, dict[str, float]]:
    """Kinds a person keeps marking unhelpful rank lower; helpful votes win them back."""
    votes = defaultdict(lambda: defaultdict(Counter))
    for user_id, kind, helpful in InsightFeedback.objects.filter(user_id__in=user_ids).values_list("user_id", "kind", "helpful"):
        votes[user_id][kind][helpful] += 1
    return {
        user_id: {kind: _weight(c[True], c[False]) for kind, c in kinds.items()} for user_id, kinds in votes.items()
    }


def kind_weights(user) -> dict[str, float]:
    return kind_weights_for([user.pk]).get(user.pk, {})


def digest_tips(users) -> dict[int, list[Tip]]:
    """The current ranked coaching per user, in two queries whatever the number of users."""
    user_ids = [getattr(u, "pk", u) for u in users]
    runs = dict(AnalysisRun.objects.filter(user_id__in=user_ids, is_current=True).values_list("user_id", "active"))
    tips = defaultdict(list)
    recommendations = (
        visible_recommendations(Recommendation.objects.filter(user_id__in=user_ids, is_current=True))
        .distinct()
        .order_by("user_id", "rank")
        .values_list("user_id", "pk", "rank", "text", "habit_name", "based_on")
    )
    for user_id, pk, rank, text, habit_name, based_on in recommendations:
        is_pattern = runs.get(user_id, False) and bool(set(based_on) & PATTERN_KINDS)
        title = f"Tip for {habit_name}" if habit_name else "Your coaching tip"
        tips[user_id].append(Tip(key=f"rec-{pk}", title=title, text=text, is_pattern=is_pattern))
    return {user_id: tips.get(user_id, []) for user_id in user_ids}


def flagged_insight_ids(user):
    return set(CoachingInsight.objects.filter(user=user, review_status=ReviewStatus.FLAGGED).values_list("pk", flat=True))


@dataclass(frozen=True)
class DripCoachingView:
    """What the day-14 email quotes from the current analysis: never a flagged insight."""

    patterns: tuple[str, ...]
    recommendations: tuple[str, ...]
    first_evidence: tuple[str, ...]


def drip_coaching(user_ids) -> dict[int, DripCoachingView]:
    """Strongest visible patterns, the top 5 and the evidence behind the first, per user, in three queries."""
    runs = dict(AnalysisRun.objects.filter(user_id__in=user_ids, is_current=True).values_list("user_id", "pk"))
    insights = defaultdict(list)
    for insight in CoachingInsight.objects.filter(run_id__in=runs.values()).visible().order_by("-confidence"):
        insights[insight.user_id].append(insight)
    recommendations = defaultdict(list)
    for recommendation in (visible_recommendations(Recommendation.objects.filter(run_id__in=runs.values()))
                           .distinct().order_by("user_id", "rank").prefetch_related("insights")):
        recommendations[recommendation.user_id].append(recommendation)
    views = {}
    for user_id in runs:
        patterns = [i for i in insights[user_id] if i.kind in PATTERN_KINDS]
        top = recommendations[user_id][:5]
        behind_first = next((i for i in top[0].insights.all() if i.review_status != ReviewStatus.FLAGGED), None) if top else None
        views[user_id] = DripCoachingView(
            patterns=tuple(i.title for i in patterns[:3]),
            recommendations=tuple(r.text for r in top),
            first_evidence=tuple(evidence_lines(behind_first)) if behind_first else (),
        )
    return views
