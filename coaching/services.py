"""Writes for coaching: running analyses, storing their results, feedback."""

from .models import CoachingInsight, InsightFeedback


def insight_feedback(*, insight: CoachingInsight, helpful: bool) -> InsightFeedback:
    feedback, _ = InsightFeedback.objects.update_or_create(
        user=insight.user, insight=insight, defaults={"helpful": helpful, "kind": insight.kind}
    )
    return feedback
