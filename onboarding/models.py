from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from .timezones import validate_timezone


class Goal(models.TextChoices):
    HEALTH = "health", "Health & fitness"
    LEARNING = "learning", "Learning"
    MINDFULNESS = "mindfulness", "Mindfulness"
    PRODUCTIVITY = "productivity", "Productivity"
    RELATIONSHIPS = "relationships", "Relationships"
    CREATIVITY = "creativity", "Creativity"
    FINANCES = "finances", "Finances"
    SLEEP = "sleep", "Sleep"


class Obstacle(models.TextChoices):
    TIME = "time", "Time management"
    MOTIVATION = "motivation", "Motivation"
    FORGETTING = "forgetting", "Forgetting"
    ENERGY = "energy", "Low energy"
    RESTARTING = "restarting", "Getting back after a missed day"
    OTHER = "other", "Something else"


class Chronotype(models.TextChoices):
    MORNING = "morning", "Morning person"
    INTERMEDIATE = "intermediate", "In between"
    EVENING = "evening", "Evening person"


class Tone(models.TextChoices):
    GENTLE = "gentle", "Gentle: encourage me"
    DIRECT = "direct", "Direct: tell it straight"


class CoachingProfileQuerySet(models.QuerySet):
    def onboarded(self):
        return self.filter(onboarding_completed_at__isnull=False)


class CoachingProfile(models.Model):
    """Everything a person told us in onboarding, and their clock (time zone, when their day starts)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coaching_profile")

    goals = models.JSONField(default=list, blank=True)
    goals_other = models.CharField("Anything else you want to work on", max_length=200, blank=True)
    main_habit = models.CharField("Your main habit", max_length=80, blank=True)
    main_habit_time = models.TimeField("Planned time of day", null=True, blank=True)
    obstacle = models.CharField(max_length=20, choices=Obstacle.choices, blank=True)
    obstacle_other = models.CharField("Tell us more", max_length=200, blank=True)
    why_now = models.TextField("Why now", max_length=500, blank=True)
    timezone = models.CharField("Time zone", max_length=64, default="UTC", validators=[validate_timezone])
    chronotype = models.CharField(max_length=20, choices=Chronotype.choices, blank=True)
    success_factor = models.CharField("What would make the next 30 days a success", max_length=200, blank=True)
    tone = models.CharField("Coaching tone", max_length=10, choices=Tone.choices, default=Tone.GENTLE)

    day_start_hour = models.PositiveSmallIntegerField(
        "My day starts at", default=0, validators=[MinValueValidator(0), MaxValueValidator(5)]
    )

    onboarding_started_at = models.DateTimeField(null=True, blank=True)
    onboarding_completed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CoachingProfileQuerySet.as_manager()

    def __str__(self):
        return f"Coaching profile of {self.user}"

    @property
    def is_onboarded(self):
        return self.onboarding_completed_at is not None

    def goal_labels(self):
        return [Goal(code).label for code in self.goals if code in Goal.values]


class OnboardingDraft(models.Model):
    """A started onboarding's answers, kept until it completes, so logging out (or another device) loses nothing.

    `answers` holds each answered step's submitted fields as the wizard stores them,
    `{step name: {"<step>-<field>": [values]}}`; the wizard validates them all again when it finishes.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="onboarding_draft")
    current_step = models.CharField(max_length=20, blank=True)
    answers = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Onboarding draft of {self.user}"
