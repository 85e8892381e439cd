import math
import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from .schedule import Measure, Schedule, counts_as_done


class HabitKind(models.TextChoices):
    BOOLEAN = "boolean", "Yes / no"
    MEASURABLE = "measurable", "Measurable"


class TargetType(models.TextChoices):
    AT_LEAST = "at_least", "At least"
    AT_MOST = "at_most", "At most"


class ScheduleKind(models.TextChoices):
    DAILY = "daily", "Every day"
    WEEKDAYS = "weekdays", "On specific weekdays"
    FREQUENCY = "frequency", "A number of times in a period"


MAX_PERIOD_DAYS = 366


class Colour(models.TextChoices):
    GREEN = "green", "Green"
    BLUE = "blue", "Blue"
    PURPLE = "purple", "Purple"
    ORANGE = "orange", "Orange"
    RED = "red", "Red"
    TEAL = "teal", "Teal"
    GREY = "grey", "Grey"


NAME_MAX_LENGTH = 300
NOTE_MAX_LENGTH = 2000


def validate_finite(value):
    if value is not None and not math.isfinite(value):
        raise ValidationError("Enter a real number.", code="not_finite")


class HabitQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(user=user)

    def active(self):
        return self.filter(archived_at__isnull=True)

    def archived(self):
        return self.filter(archived_at__isnull=False)


class Habit(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="habits")
    name = models.CharField(max_length=NAME_MAX_LENGTH)
    description = models.CharField(max_length=1000, blank=True)
    colour = models.CharField(max_length=10, choices=Colour.choices, default=Colour.GREEN)
    icon = models.CharField(max_length=8, blank=True, help_text="Optional emoji, e.g. 🏃")
    kind = models.CharField(max_length=12, choices=HabitKind.choices, default=HabitKind.BOOLEAN)
    unit = models.CharField(max_length=40, blank=True)
    target = models.FloatField(
        null=True, blank=True, validators=[validate_finite, MinValueValidator(0), MaxValueValidator(1_000_000)]
    )
    target_type = models.CharField(max_length=10, choices=TargetType.choices, default=TargetType.AT_LEAST)
    schedule_kind = models.CharField(max_length=10, choices=ScheduleKind.choices, default=ScheduleKind.DAILY)
    weekdays = models.JSONField(default=list, blank=True)
    # "k times in N days", Loop's numerator and denominator; used when schedule_kind is FREQUENCY.
    frequency_numerator = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1), MaxValueValidator(MAX_PERIOD_DAYS)]
    )
    frequency_denominator = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1), MaxValueValidator(MAX_PERIOD_DAYS)]
    )
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

    def clean(self):
        times, days = self.frequency_numerator, self.frequency_denominator
        if self.schedule_kind == ScheduleKind.FREQUENCY and 1 <= days < times:  # a day count below 1 has its own message
            raise ValidationError({"frequency_numerator": "That is more times than there are days in the period."})

    @property
    def schedule(self) -> Schedule:
        if self.schedule_kind == ScheduleKind.WEEKDAYS:
            return Schedule(weekdays=frozenset(self.weekdays or ()))
        if self.schedule_kind == ScheduleKind.FREQUENCY:
            return Schedule(times=self.frequency_numerator, days=self.frequency_denominator)
        return Schedule()

    @property
    def measure(self) -> Measure | None:
        if not self.is_measurable or self.target is None:
            return None
        return Measure(target=self.target, at_most=self.target_type == TargetType.AT_MOST)

    def meets_target(self, value) -> bool:
        return counts_as_done(self.schedule, self.measure, value)

    def schedule_label(self) -> str:
        return self.schedule.label

    def target_label(self) -> str:
        if not self.is_measurable or self.target is None:
            return ""
        from .templatetags.amounts import amount

        target = amount(self.target)
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
    note = models.CharField(max_length=NOTE_MAX_LENGTH, blank=True)
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
    note = models.CharField(max_length=NOTE_MAX_LENGTH, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["habit", "local_date"], name="one_skip_per_habit_per_day")]


class DayNote(models.Model):
    """A note on a day with neither a check-in nor a skip (Loop keeps notes on any day)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="day_notes")
    habit = models.ForeignKey(Habit, on_delete=models.CASCADE, related_name="day_notes")
    local_date = models.DateField()
    text = models.CharField(max_length=NOTE_MAX_LENGTH)

    class Meta:
        ordering = ["-local_date"]
        constraints = [models.UniqueConstraint(fields=["habit", "local_date"], name="one_day_note_per_habit_per_day")]


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


class HabitCheckpoint(models.Model):
    """A habit's strength and streaks at the end of `as_of`, the last day of a closed period.

    Pages fold forward from here over the recent days only, so their cost does not grow with
    the length of the history. Valid while nothing on or before `as_of` changes: the services
    that change an older day or the habit's schedule or target delete it, and it is rebuilt on
    the next read.
    """

    habit = models.OneToOneField(Habit, on_delete=models.CASCADE, related_name="checkpoint", primary_key=True)
    as_of = models.DateField()
    score = models.FloatField()
    current_streak = models.PositiveIntegerField()
    best_streak = models.PositiveIntegerField()


class LoopImport(models.Model):
    """One uploaded Loop backup: the bytes wait here for the worker, then only the outcome stays."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting"
        RUNNING = "running", "Importing"
        DONE = "done", "Imported"
        FAILED = "failed", "Not imported"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="loop_imports")
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    archive = models.BinaryField(blank=True, default=b"")  # the upload; emptied once the import has run
    result = models.JSONField(null=True, blank=True)       # ImportResult.as_dict() when DONE
    error = models.CharField(max_length=1000, blank=True)  # the one-line reason when FAILED

    class Meta:
        ordering = ["-created_at"]

    @property
    def outcome(self):
        """The stored result as an `ImportResult` (its summary, its notices), once DONE."""
        from .loop_import import ImportResult

        return ImportResult(**self.result) if self.result else None


DISPLAY_NAME_MAX_LENGTH = 30


def display_name_key(name: str) -> str:
    """What makes two display names the same name: Unicode case folding, which the databases'
    LOWER() does not do for every letter (SQLite folds ASCII only)."""
    return unicodedata.normalize("NFKC", name).casefold()


class LeaderboardMember(models.Model):
    """Someone who chose to appear on the leaderboard, under a name of their choosing and nothing else."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="leaderboard_member")
    display_name = models.CharField(max_length=DISPLAY_NAME_MAX_LENGTH)
    name_key = models.CharField(max_length=4 * DISPLAY_NAME_MAX_LENGTH, unique=True)  # display_name_key(display_name)
    joined_at = models.DateTimeField()
    name_changed_at = models.DateTimeField(null=True, blank=True)  # the last rename; None until the first

    def __str__(self):
        return self.display_name

    def save(self, *args, **kwargs):
        self.name_key = display_name_key(self.display_name)
        super().save(*args, **kwargs)


class LeaderboardRenameClock(models.Model):
    """When someone who left the board last renamed themselves there: their name goes when they
    leave, this time stays, so leaving and joining again is no way round the daily rename limit."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    renamed_at = models.DateTimeField(null=True, blank=True)  # None: they never renamed
