from habits.export import model_columns, register_section

from .models import CoachingInsight, InsightFeedback, Recommendation
from .selectors import visible_recommendations


def register_export_sections():
    # A flagged insight is withdrawn: it leaves the export with everything that rests on it.
    register_section("coaching_insights", lambda user: list(CoachingInsight.objects.filter(user=user).visible().values()),
                     model_columns(CoachingInsight))
    register_section("recommendations", lambda user: list(
        visible_recommendations(Recommendation.objects.filter(user=user)).distinct().values()), model_columns(Recommendation))
    register_section("insight_feedback", lambda user: list(
        InsightFeedback.objects.filter(user=user, insight__in=CoachingInsight.objects.filter(user=user).visible()).values()),
        model_columns(InsightFeedback))
