from django.conf import settings
from django.db import models

from habits.models import NAME_MAX_LENGTH


class ReviewStatus(models.TextChoices):
    PENDING = "pending", "Not reviewed"
    APPROVED = "approved", "Approved"
    FLAGGED = "flagged", "Flagged"


class AnalysisRun(models.Model):
    """One analysis of one person's data: everything it produced hangs off it, so history is kept."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="analysis_runs")
    generated_at = models.DateTimeField(db_index=True)
    local_date = models.DateField()
    active = models.BooleanField(help_text="Pattern coaching on (from the activation day, with enough check-ins)")
    days_of_data = models.PositiveIntegerField(default=0)
    is_current = models.BooleanField(default=True)
    # [habit id or None, text]: strengths from plain numbers (best streaks). Strengths and challenges from insights
    # are derived from the insights a person may see, so a flagged one leaves them too.
    strengths = models.JSONField(default=list, blank=True)
    challenges = models.JSONField(default=list, blank=True)   # as computed at analysis time, for staff review

    class Meta:
        ordering = ["-generated_at"]
        indexes = [models.Index(fields=["user", "is_current"])]

    def __str__(self):
        return f"Analysis of {self.user} on {self.local_date}"


class CoachingInsightQuerySet(models.QuerySet):
    def visible(self):
        """What a person may see: never a flagged insight."""
        return self.exclude(review_status=ReviewStatus.FLAGGED)

    def current(self):
        return self.filter(is_current=True)


class CoachingInsight(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coaching_insights")
    run = models.ForeignKey(AnalysisRun, on_delete=models.CASCADE, related_name="insights")
    habit = models.ForeignKey("habits.Habit", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    habit_name = models.CharField(max_length=NAME_MAX_LENGTH, blank=True)
    kind = models.CharField(max_length=40, db_index=True)
    title = models.CharField(max_length=200)
    body = models.TextField()
    evidence = models.JSONField(default=dict)
    confidence = models.FloatField()
    generated_at = models.DateTimeField()
    is_current = models.BooleanField(default=True)
    review_status = models.CharField(max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.PENDING)
    reviewed_at = models.DateTimeField(null=True, blank=True)

    objects = CoachingInsightQuerySet.as_manager()

    class Meta:
        ordering = ["-generated_at", "-confidence"]
        indexes = [models.Index(fields=["user", "is_current"]), models.Index(fields=["review_status", "generated_at"])]

    def __str__(self):
        return self.title


class Recommendation(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recommendations")
    run = models.ForeignKey(AnalysisRun, on_delete=models.CASCADE, related_name="recommendations")
    habit = models.ForeignKey("habits.Habit", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    habit_name = models.CharField(max_length=NAME_MAX_LENGTH, blank=True)
    rank = models.PositiveSmallIntegerField()
    text = models.TextField()
    based_on = models.JSONField(default=list)
    insights = models.ManyToManyField(CoachingInsight, blank=True, related_name="recommendations")
    is_current = models.BooleanField(default=True)
    generated_at = models.DateTimeField()

    class Meta:
        ordering = ["run", "rank"]
        indexes = [models.Index(fields=["user", "is_current"])]

    def __str__(self):
        return f"#{self.rank} {self.text[:60]}"


class InsightFeedback(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="insight_feedback")
    insight = models.ForeignKey(CoachingInsight, on_delete=models.CASCADE, related_name="feedback")
    kind = models.CharField(max_length=40)
    helpful = models.BooleanField()
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "insight"], name="one_feedback_per_insight")]


class CoachingState(models.Model):
    """When a person is next due for analysis (indexed, so the sweep reads only who is due)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coaching_state")
    next_analysis_at = models.DateTimeField(null=True, blank=True, db_index=True)
    last_analysis_at = models.DateTimeField(null=True, blank=True)
    activated_at = models.DateTimeField(null=True, blank=True)


class EvaluationRun(models.Model):
    """One run of the detector evaluation on a synthetic cohort (`evaluate_coaching`): what the staff
    metrics page reports as pattern detection quality."""

    ran_at = models.DateTimeField(db_index=True)
    cohort = models.CharField(max_length=20)
    users = models.PositiveIntegerField(help_text="People in the cohort at each horizon")
    seed = models.IntegerField()
    true_positives = models.PositiveIntegerField(default=0)
    false_positives = models.PositiveIntegerField(default=0)
    false_negatives = models.PositiveIntegerField(default=0)
    no_pattern_hit = models.FloatField(help_text="Share of no-pattern people told about any pattern")
    per_kind = models.JSONField(default=dict)

    class Meta:
        ordering = ["-ran_at"]

    @property
    def precision(self) -> float | None:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else None

    @property
    def recall(self) -> float | None:
        planted = self.true_positives + self.false_negatives
        return self.true_positives / planted if planted else None

    def __str__(self):
        return f"Detector evaluation of {self.ran_at:%Y-%m-%d %H:%M}"
