from django.contrib import admin
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator

from . import selectors
from .analysis.kinds import REGISTRY, kind
from .models import AnalysisRun, CoachingInsight, InsightFeedback, Recommendation, ReviewStatus


class ConfidenceBandFilter(admin.SimpleListFilter):
    title = "confidence"
    parameter_name = "confidence"

    def lookups(self, request, model_admin):
        return [("high", "Very likely or likely"), ("medium", "Possible (middle)"), ("low", "Possible (low)")]

    def queryset(self, request, queryset):
        if self.value() == "high":
            return queryset.filter(confidence__gte=0.8)
        if self.value() == "medium":
            return queryset.filter(confidence__gte=0.5, confidence__lt=0.8)
        if self.value() == "low":
            return queryset.filter(confidence__lt=0.5)
        return queryset


class KindFilter(admin.SimpleListFilter):
    """Kinds by the words the list shows ("a weak weekday"), not their codes."""

    title = "kind"
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return [(entry.code, entry.label.capitalize()) for entry in REGISTRY]

    def queryset(self, request, queryset):
        return queryset.filter(kind=self.value()) if self.value() else queryset


# The insight list must fit a 1280 px laptop with the review column in view: long titles, habit names (often
# one unbroken word) and addresses are cut to these lengths, whole in the tooltip and on the insight's page.
TITLE_CHARS = 48
NAME_CHARS = 24


def _shortened(text, chars):
    short = Truncator(text).chars(chars)
    return short if short == text else format_html('<span title="{}">{}</span>', text, short)


@admin.register(CoachingInsight)
class CoachingInsightAdmin(admin.ModelAdmin):
    # Review first, right after what is being reviewed; whether an insight is current is a filter, not a column.
    list_display = ("short_title", "review_status", "kind_display", "short_habit_name", "confidence_display",
                    "user_email", "generated_on")
    list_filter = (KindFilter, "review_status", ConfidenceBandFilter, "is_current")
    search_fields = ("user__email", "title")
    list_select_related = ("user",)
    date_hierarchy = "generated_at"
    readonly_fields = ("user", "run", "habit", "habit_name", "kind_display", "title", "body", "evidence_readable",
                       "confidence_display", "generated_at", "is_current", "reviewed_at")
    exclude = ("evidence", "confidence", "kind")
    actions = ["approve", "flag"]

    @admin.display(ordering="title", description="title")
    def short_title(self, insight):
        return _shortened(insight.title, TITLE_CHARS)

    @admin.display(ordering="habit_name", description="habit")
    def short_habit_name(self, insight):
        return _shortened(insight.habit_name, NAME_CHARS)

    @admin.display(ordering="user__email", description="user")
    def user_email(self, insight):
        return _shortened(insight.user.email, NAME_CHARS)

    @admin.display(ordering="generated_at", description="generated")
    def generated_on(self, insight):
        return date_format(timezone.localtime(insight.generated_at), "j M, H:i")

    @admin.display(ordering="kind", description="kind")
    def kind_display(self, insight):
        return kind(insight.kind).label

    @admin.display(ordering="confidence", description="how sure")
    def confidence_display(self, insight):
        return selectors.sureness(insight)

    @admin.display(description="evidence")
    def evidence_readable(self, insight):
        lines = selectors.evidence_lines(insight)
        return format_html("<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((line,) for line in lines)))

    @admin.action(description="Approve selected insights")
    def approve(self, request, queryset):
        updated = queryset.update(review_status=ReviewStatus.APPROVED, reviewed_at=timezone.now())
        self.message_user(request, f"{updated} insight(s) approved.")

    @admin.action(description="Flag selected insights (hide from users and emails)")
    def flag(self, request, queryset):
        updated = queryset.update(review_status=ReviewStatus.FLAGGED, reviewed_at=timezone.now())
        self.message_user(request, f"{updated} insight(s) flagged: they no longer reach the user or any email.")


class RecommendationInline(admin.TabularInline):
    model = Recommendation
    fields = ("rank", "text", "habit_name", "based_on")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(AnalysisRun)
class AnalysisRunAdmin(admin.ModelAdmin):
    list_display = ("user", "local_date", "active", "days_of_data", "is_current", "generated_at")
    list_filter = ("active", "is_current")
    search_fields = ("user__email",)
    list_select_related = ("user",)
    inlines = [RecommendationInline]
    readonly_fields = ("user", "generated_at", "local_date", "active", "days_of_data", "is_current", "strengths", "challenges")


@admin.register(InsightFeedback)
class InsightFeedbackAdmin(admin.ModelAdmin):
    list_display = ("insight", "user", "kind", "helpful", "created_at")
    list_filter = ("helpful", "kind")
    search_fields = ("user__email",)
    list_select_related = ("user", "insight")
