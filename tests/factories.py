import datetime as dt

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone as django_timezone

from digests.models import EmailSchedule
from habits.models import CheckIn, Habit
from onboarding.models import CoachingProfile

User = get_user_model()

EMAIL_SCHEDULE_FIELDS = ("digest_hour", "digest_hour_overridden", "digest_enabled", "drip_enabled", "next_digest_at")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.Sequence(lambda n: f"user{n}@example.com")
    first_name = "Sam"
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()

    @factory.post_generation
    def verified_email(obj, create, extracted, **kwargs):
        """People in tests have confirmed their address (sign-in needs it); pass verified_email=False for one who has not."""
        if create and extracted is not False and obj.email:
            from allauth.account.models import EmailAddress

            EmailAddress.objects.get_or_create(user=obj, email=obj.email, defaults={"verified": True, "primary": True})


class ProfileFactory(factory.django.DjangoModelFactory):
    """An onboarded person with every answer filled in."""

    class Meta:
        model = CoachingProfile

    user = factory.SubFactory(UserFactory)
    goals = factory.LazyFunction(lambda: ["health", "learning"])
    main_habit = "Run before work"
    obstacle = "forgetting"
    why_now = "I want more energy for my kids."
    timezone = "Europe/London"
    chronotype = "morning"
    success_factor = "Running three times a week without thinking about it."
    tone = "gentle"
    digest_hour = 7
    onboarding_started_at = factory.LazyFunction(django_timezone.now)
    onboarding_completed_at = factory.LazyFunction(django_timezone.now)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        """The email settings (digest_hour=, digest_enabled=, ...) go to the person's EmailSchedule, as digests keeps them."""
        email = {field: kwargs.pop(field) for field in EMAIL_SCHEDULE_FIELDS if field in kwargs}
        profile = super()._create(model_class, *args, **kwargs)
        EmailSchedule.objects.update_or_create(user_id=profile.user_id, defaults=email)
        return profile

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        return super()._build(model_class, *args, **{k: v for k, v in kwargs.items() if k not in EMAIL_SCHEDULE_FIELDS})


class HabitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Habit

    user = factory.LazyAttribute(lambda o: ProfileFactory().user)
    name = factory.Sequence(lambda n: f"Habit {n}")
    position = factory.Sequence(lambda n: n)
    start_date = factory.LazyFunction(lambda: dt.date.today() - dt.timedelta(days=60))


class CheckInFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CheckIn

    habit = factory.SubFactory(HabitFactory)
    user = factory.LazyAttribute(lambda o: o.habit.user)
    local_date = factory.LazyFunction(dt.date.today)
    completed_at = factory.LazyAttribute(
        lambda o: dt.datetime.combine(o.local_date, dt.time(7, 30), tzinfo=dt.timezone.utc)
    )
    timezone = "UTC"
    utc_offset_minutes = 0


class AnalysisRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "coaching.AnalysisRun"

    user = factory.LazyAttribute(lambda o: ProfileFactory().user)
    generated_at = factory.LazyFunction(django_timezone.now)
    local_date = factory.LazyFunction(dt.date.today)
    active = True
    days_of_data = 28


class InsightFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "coaching.CoachingInsight"

    run = factory.SubFactory(AnalysisRunFactory)
    user = factory.LazyAttribute(lambda o: o.run.user)
    kind = "weekday_gap"
    habit_name = "Run"
    title = "Saturdays slip for Run"
    body = "You ran on 1 of 4 Saturdays and 22 of 24 other days."
    evidence = factory.LazyFunction(lambda: {"weekdays": ["Sat"], "weekday_rate": 0.25, "other_rate": 0.92, "weekday_done": 1,
                                             "weekday_days": 4, "other_done": 22, "other_days": 24})
    confidence = 0.97
    generated_at = factory.LazyFunction(django_timezone.now)


class RecommendationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "coaching.Recommendation"

    run = factory.SubFactory(AnalysisRunFactory)
    user = factory.LazyAttribute(lambda o: o.run.user)
    rank = 1
    text = "Plan Saturday's run for 08:00, when you have done it before."
    habit_name = "Run"
    based_on = factory.LazyFunction(lambda: ["weekday_gap"])
    generated_at = factory.LazyFunction(django_timezone.now)


# Digests

class SkipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "habits.Skip"

    habit = factory.SubFactory(HabitFactory)
    user = factory.LazyAttribute(lambda o: o.habit.user)
    local_date = factory.LazyFunction(dt.date.today)


class DigestSendFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "digests.DigestSend"

    user = factory.LazyAttribute(lambda o: ProfileFactory().user)
    local_date = factory.LazyFunction(dt.date.today)
    covered_date = factory.LazyAttribute(lambda o: o.local_date)
    status = "sent"
    claimed_at = factory.LazyFunction(django_timezone.now)
    sent_at = factory.LazyAttribute(lambda o: o.claimed_at if o.status == "sent" else None)


class EmailSuppressionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "digests.EmailSuppression"

    email = factory.Sequence(lambda n: f"bounced{n}@example.com")
    reason = "bounced"
