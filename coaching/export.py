from habits.export import register_section

from .models import CoachingInsight, InsightFeedback, Recommendation


def register_export_sections():
    register_section("coaching_insights", lambda user: list(CoachingInsight.objects.filter(user=user).values()))
    register_section("recommendations", lambda user: list(Recommendation.objects.filter(user=user).values()))
    register_section("insight_feedback", lambda user: list(InsightFeedback.objects.filter(user=user).values()))
