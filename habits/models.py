from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models


class HabitKind(models.TextChoices):
    BOOLEAN = "boolean", "Yes / no"
    MEASURABLE = "measurable", "Measurable"


class TargetType(models.TextChoices):
    AT_LEAST = "at_least", "At least"
    AT_MOST = "at_most", "At most"


class ScheduleKind(models.TextChoices):
    DAILY = "daily", "Every day"
    WEEKDAYS = "weekdays", "On specific weekdays"
    PER_WEEK = "per_week", "A number of times per week"


class Colour(models.TextChoices):
    GREEN = "green", "Green"
    BLUE = "blue", "Blue"
    PURPLE = "purple", "Purple"
    ORANGE = "orange", "Orange"
    RED = "red", "Red"
    TEAL = "teal", "Teal"
    GREY = "grey", "Grey"


WEEKDAY_NAMES = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


class HabitQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(user=user)

    def active(self):
        return self.filter(archived_at__isnull=True)

    def archived(self):
        return self.filter(archived_at__isnull=False)


class Habit(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="habits")
    name = models.CharField(max_length=80)
    description = models.CharField(max_length=300, blank=True)
    colour = models.CharField(max_length=10, choices=Colour.choices, default=Colour.GREEN)
    icon = models.CharField(max_length=8, blank=True, help_text="Optional emoji, e.g. 🏃")
    kind = models.CharField(max_length=12, choices=HabitKind.choices, default=HabitKind.BOOLEAN)
    unit = models.CharField(max_length=20, blank=True)
    target = models.FloatField(null=True, blank=True, validators=[MinValueValidator(0), MaxValueValidator(1_000_000)])
    target_type = models.CharField(max_length=10, choices=TargetType.choices, default=TargetType.AT_LEAST)
    schedule_kind = models.CharField(max_length=10, choices=ScheduleKind.choices, default=ScheduleKind.DAILY)
    weekdays = models.JSONField(default=list, blank=True)
    times_per_week = models.PositiveSmallIntegerField(default=7, validators=[MinValueValidator(1), MaxValueValidator(7)])
    planned_time = models.TimeField(null=True, blank=True)
    area = models.CharField(max_length=20, blank=True)
    is_main = models.BooleanField(default=False)
    position = models.PositiveIntegerField(default=0)
    start_date = models.DateField()
    archived_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = HabitQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["user", "archived_at", "position"])]

    def __str__(self):
        return self.name

    @property
    def is_measurable(self):
        return self.kind == HabitKind.MEASURABLE

    @property
    def schedule(self):
        from .stats import Schedule

        return Schedule(
            kind=self.schedule_kind, weekdays=frozenset(self.weekdays or ()), times_per_week=self.times_per_week
        )

    def meets_target(self, value) -> bool:
        if not self.is_measurable or self.target is None:
            return True
        if value is None:
            return False
        return value >= self.target if self.target_type == TargetType.AT_LEAST else value <= self.target

    def schedule_label(self) -> str:
        if self.schedule_kind == ScheduleKind.WEEKDAYS:
            return ", ".join(WEEKDAY_NAMES[d] for d in sorted(self.weekdays))
        if self.schedule_kind == ScheduleKind.PER_WEEK:
            return f"{self.times_per_week}× a week"
        return "Every day"

    def target_label(self) -> str:
        if not self.is_measurable or self.target is None:
            return ""
        target = f"{self.target:g}"
        return f"{TargetType(self.target_type).label.lower()} {target} {self.unit}".strip()


class CheckIn(models.Model):
    """One habit done on one local day: when exactly, in which zone, and how much."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="check_ins")
    habit = models.ForeignKey(Habit, on_delete=models.CASCADE, related_name="check_ins")
    local_date = models.DateField()
    completed_at = models.DateTimeField()
    timezone = models.CharField(max_length=64)
    utc_offset_minutes = models.SmallIntegerField()
    time_known = models.BooleanField(default=True)
    value = models.FloatField(null=True, blank=True)
    note = models.CharField(max_length=280, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-local_date"]
        constraints = [models.UniqueConstraint(fields=["habit", "local_date"], name="one_check_in_per_habit_per_day")]
        indexes = [models.Index(fields=["user", "local_date"])]

    def __str__(self):
        return f"{self.habit} on {self.local_date}"

    @property
    def local_time(self):
        from .days import zone

        return self.completed_at.astimezone(zone(self.timezone)).time() if self.time_known else None


class Skip(models.Model):
    """A single day excused on purpose: it neither breaks a streak nor counts as a miss."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="skips")
    habit = models.ForeignKey(Habit, on_delete=models.CASCADE, related_name="skips")
    local_date = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["habit", "local_date"], name="one_skip_per_habit_per_day")]


class Pause(models.Model):
    """A vacation for one habit: days from `start` to `end` (inclusive, open when None) are excused."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pauses")
    habit = models.ForeignKey(Habit, on_delete=models.CASCADE, related_name="pauses")
    start = models.DateField()
    end = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["start"]
        indexes = [models.Index(fields=["habit", "start"])]


class AutomaticityCheck(models.Model):
    """A weekly Self-Report Behavioural Automaticity Index answer (four items, 1-7)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="automaticity_checks")
    habit = models.ForeignKey(Habit, on_delete=models.CASCADE, related_name="automaticity_checks")
    local_date = models.DateField()
    without_thinking = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(7)])
    automatically = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(7)])
    without_remembering = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(7)])
    before_realising = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(7)])

    class Meta:
        ordering = ["local_date"]
        constraints = [models.UniqueConstraint(fields=["habit", "local_date"], name="one_automaticity_check_per_day")]

    @property
    def score(self) -> float:
        return (self.without_thinking + self.automatically + self.without_remembering + self.before_realising) / 4
