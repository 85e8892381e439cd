from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from . import charts, selectors, services
from .analytics import DEFAULT_WINDOW, MIN_TIMED_CHECK_INS, WINDOWS
from .days import BACKFILL_DAYS, today_for
from .forms import (
    AutomaticityForm,
    CheckInEditForm,
    CheckInForm,
    DeleteAccountForm,
    HabitForm,
    LoopImportForm,
    PauseForm,
)
from .models import CheckIn, Habit


def _today(request) -> date:
    return today_for(request.user.coaching_profile, timezone.now())


def _own_habit(request, pk) -> Habit:
    habit = get_object_or_404(Habit, pk=pk, user=request.user)
    habit.user = request.user   # the signed-in user, with the profile the middleware already read
    return habit


def _back(request, fallback="habits:today"):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect(fallback)


def _recent_days(today):
    return [today - timedelta(days=i) for i in range(BACKFILL_DAYS + 1)]


@login_required
def today(request):
    day = _today(request)
    overview = selectors.today_overview(request.user, day)
    return render(request, "habits/today.html", {**overview, "today": day})


def _render_today_row(request, habit, error=None, status=200):
    """The htmx answer: the habit's row, plus the progress line swapped out of band. A row answered
    from its "More" menu comes back with the menu open, so keyboard focus stays where it was."""
    day = _today(request)
    overview = selectors.today_overview(request.user, day)
    view = next((v for v in overview["due"] + overview["other"] if v.habit.pk == habit.pk), None)
    context = {**overview, "item": view, "today": day, "error": error, "menu_open": request.POST.get("menu") == "open"}
    return render(request, "habits/_today_row_response.html", context, status=status)


def _refuse_input(request, habit, form):
    """Malformed day, time or value: a 400 that says what is wrong, and nothing changes."""
    field, errors = next(iter(form.errors.items()))
    label = {"day": "Day", "time": "Time", "value": "Value", "note": "Note"}.get(field, field)
    error = f"{label}: {errors[0]}"
    if request.htmx and request.POST.get("from") == "today":
        return _render_today_row(request, habit, error=error, status=400)
    return render(request, "habits/bad_input.html", {"habit": habit, "error": error}, status=400)


def _checkin_response(request, habit, error=None):
    if request.htmx and request.POST.get("from") == "today":
        return _render_today_row(request, habit, error=error, status=400 if error else 200)
    if error:
        messages.error(request, error)
        if not request.htmx:
            return _back(request)
        return HttpResponse(error, status=400)
    return _back(request)


@login_required
@require_POST
def checkin(request, pk):
    habit = _own_habit(request, pk)
    form = CheckInForm(request.POST)
    if not form.is_valid():
        return _refuse_input(request, habit, form)
    data = form.cleaned_data
    try:
        # Today's note boxes show the day's note, so what they send replaces it, even empty; elsewhere
        # (a tap, the habit page's blank "Log a day" box) an empty note leaves the day's note alone.
        note = data["note"] if request.POST.get("note_shown") else data["note"] or None
        services.checkin_record(habit=habit, day=data["day"], at_time=data["time"], value=data["value"], note=note)
    except ValidationError as error:
        return _checkin_response(request, habit, error=error.messages[0])
    return _checkin_response(request, habit)


def _day_action(request, pk, action):
    """Undo or skip for one day (today unless a day is posted), answered like a check-in."""
    habit = _own_habit(request, pk)
    form = CheckInForm(request.POST)
    if not form.is_valid():
        return _refuse_input(request, habit, form)
    day = form.cleaned_data["day"] or _today(request)
    try:
        action(habit=habit, day=day)
    except ValidationError as error:
        return _checkin_response(request, habit, error=error.messages[0])
    return _checkin_response(request, habit)


@login_required
@require_POST
def undo(request, pk):
    return _day_action(request, pk, services.checkin_undo)


@login_required
@require_POST
def skip(request, pk):
    return _day_action(request, pk, services.skip_toggle)


@login_required
def habit_list(request):
    day = _today(request)
    active = selectors.habit_views(selectors.active_habits(request.user), day, recent_days=0)
    archived = list(Habit.objects.for_user(request.user).archived())
    for view in active:
        view.sparkline = charts.sparkline(view.strength_series)
    return render(request, "habits/habit_list.html", {"habits": active, "archived": archived, "today": day})


def _window_days(request) -> int:
    raw = request.GET.get("days", "")
    return int(raw) if raw in {str(days) for days in WINDOWS} else DEFAULT_WINDOW


@login_required
def analytics(request):
    day = _today(request)
    report = selectors.analytics_for(request.user, day, _window_days(request))
    context = {
        "report": report, "windows": WINDOWS, "min_timed": MIN_TIMED_CHECK_INS,
        "habits": [(item, charts.strength_since(item.strength_series)) for item in report.habits],
        "weekly_chart": charts.weekly_consistency(report.overall.weekly),
        "consistency_chart": charts.consistency_bars(report.consistency_by_window, [f"{days} days" for days in WINDOWS]),
    }
    return render(request, "habits/analytics.html", context)


@login_required
def habit_create(request):
    form = HabitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            habit = services.habit_create(user=request.user, **form.changes())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"“{habit.name}” added.")
            return redirect("habits:today")
    return render(request, "habits/habit_form.html", {"form": form, "creating": True}, status=400 if form.errors else 200)


@login_required
def habit_edit(request, pk):
    habit = _own_habit(request, pk)
    # Validating writes the posted values onto the form's instance; the service compares them with the stored habit.
    form = HabitForm(request.POST or None, instance=_own_habit(request, pk))
    if request.method == "POST" and form.is_valid():
        services.habit_update(habit=habit, changes=form.changes())
        if form.values_set_aside:
            messages.success(request, f"Habit saved. The values you logged ({form.values_set_aside}) are kept "
                                      "and show again if you make it measurable.")
        else:
            messages.success(request, "Habit saved.")
        return redirect("habits:detail", pk=habit.pk)
    return render(request, "habits/habit_form.html", {"form": form, "habit": habit}, status=400 if form.errors else 200)


@login_required
def habit_detail(request, pk):
    habit = _own_habit(request, pk)
    day = _today(request)
    view = selectors.habit_views([habit], day, whole_history=True)[0]
    checkins = list(selectors.habit_checkins(habit)[:400])
    context = {
        "item": view, "habit": habit, "today": day, "checkins": checkins[:60], "more_checkins": len(checkins) > 60,
        "notes": [c for c in checkins if c.note][:20],
        "heatmap": charts.heatmap(view.history, day),
        "strength_chart": charts.strength_line(view.strength_series),
        "weekday_chart": charts.weekday_bars(view.history, day),
        "time_chart": charts.time_histogram([c.local_time for c in checkins if c.time_known]),
        "recent_days": _recent_days(day),
        "pause_form": PauseForm(initial={"start": day}),
        "automaticity_form": AutomaticityForm(),
        "automaticity": selectors.automaticity_summary(habit, day),
    }
    return render(request, "habits/habit_detail.html", context)


@login_required
@require_POST
def habit_archive(request, pk):
    habit = _own_habit(request, pk)
    services.habit_archive(habit=habit)
    messages.success(request, f"“{habit.name}” archived. Its history is kept.")
    return redirect("habits:list")


@login_required
@require_POST
def habit_unarchive(request, pk):
    habit = _own_habit(request, pk)
    services.habit_unarchive(habit=habit)
    messages.success(request, f"“{habit.name}” is back on your list.")
    return redirect("habits:list")


@login_required
def habit_delete(request, pk):
    habit = _own_habit(request, pk)
    if request.method == "POST":
        name = habit.name
        services.habit_delete(habit=habit)
        messages.success(request, f"“{name}” and its history were deleted.")
        return redirect("habits:list")
    return render(request, "habits/habit_confirm_delete.html", {"habit": habit, "checkin_count": habit.check_ins.count()})


@login_required
@require_POST
def habit_move(request, pk, direction):
    habit = _own_habit(request, pk)
    services.habit_move(habit=habit, offset=-1 if direction == "up" else 1)
    return redirect("habits:list")


@login_required
@require_POST
def habit_reorder(request):
    ids = [int(v) for v in request.POST.getlist("order") if v.isascii() and v.isdigit()]
    services.habits_reorder(user=request.user, habit_ids=ids)
    return HttpResponse(status=204) if request.htmx else redirect("habits:list")


@login_required
@require_POST
def habit_pause(request, pk):
    habit = _own_habit(request, pk)
    form = PauseForm(request.POST)
    if form.is_valid():
        services.habit_pause(habit=habit, start=form.cleaned_data["start"], end=form.cleaned_data["end"])
        messages.success(request, f"“{habit.name}” is paused. Paused days never break your streak.")
    else:
        messages.error(request, " ".join(m for errors in form.errors.values() for m in errors))
    return redirect("habits:detail", pk=habit.pk)


@login_required
@require_POST
def habit_resume(request, pk):
    habit = _own_habit(request, pk)
    services.habit_resume(habit=habit)
    messages.success(request, f"“{habit.name}” is running again.")
    return _back(request, fallback="habits:list")


@login_required
@require_POST
def pause_all(request):
    form = PauseForm(request.POST)
    if form.is_valid():
        count = services.pause_all(user=request.user, start=form.cleaned_data["start"], end=form.cleaned_data["end"])
        if count:
            messages.success(request, f"{'Your habit is' if count == 1 else f'All {count} habits are'} paused. Enjoy the break.")
        else:
            messages.error(request, "You have no active habits to pause.")
    else:
        messages.error(request, " ".join(m for errors in form.errors.values() for m in errors))
    return redirect("habits:list")


@login_required
@require_POST
def resume_all(request):
    services.resume_all(user=request.user)
    messages.success(request, "All habits are running again.")
    return redirect("habits:list")


@login_required
def checkin_edit(request, pk):
    checkin = get_object_or_404(CheckIn.objects.select_related("habit"), pk=pk, user=request.user)
    initial = {"value": checkin.value, "note": checkin.note, "time": checkin.local_time}
    form = CheckInEditForm(request.POST or None, initial=initial, habit=checkin.habit)
    if request.method == "POST" and form.is_valid():
        try:
            services.checkin_update(
                checkin=checkin, value=form.cleaned_data.get("value"), note=form.cleaned_data["note"],
                at_time=form.cleaned_data["time"],
            )
        except ValidationError as error:
            form.add_error("value" if checkin.habit.is_measurable else None, error)
        else:
            messages.success(request, "Check-in updated.")
            return redirect("habits:detail", pk=checkin.habit_id)
    return render(request, "habits/checkin_form.html", {"form": form, "checkin": checkin}, status=400 if form.errors else 200)


@login_required
@require_POST
def checkin_delete(request, pk):
    checkin = get_object_or_404(CheckIn, pk=pk, user=request.user)
    habit_id = checkin.habit_id
    services.checkin_delete(checkin=checkin)
    messages.success(request, "Check-in deleted.")
    return redirect("habits:detail", pk=habit_id)


@login_required
@require_POST
def automaticity_answer(request, pk):
    habit = _own_habit(request, pk)
    form = AutomaticityForm(request.POST)
    if form.is_valid():
        services.automaticity_record(habit=habit, answers=form.cleaned_data)
        messages.success(request, "Thanks! Your self-check is saved.")
    else:
        messages.error(request, "Answer all four statements from 1 (disagree) to 7 (agree).")
    return redirect(reverse("habits:detail", args=[habit.pk]) + "#automaticity")


@login_required
def your_data(request):
    return your_data_page(request)


def your_data_page(request, *, import_form=None, delete_form=None):
    """Export, Loop, and delete, with whichever form was just sent back; someone still in the wizard
    (who may export and delete at any stage) is shown only what they can use, and the way back."""
    from onboarding.models import CoachingProfile

    import_form = import_form or LoopImportForm()
    delete_form = delete_form or DeleteAccountForm(user=request.user)
    onboarded = CoachingProfile.objects.filter(user=request.user, onboarding_completed_at__isnull=False).exists()
    context = {"import_form": import_form, "delete_form": delete_form, "onboarded": onboarded}
    return render(request, "habits/your_data.html", context, status=400 if import_form.errors or delete_form.errors else 200)


@login_required
def export_json(request):
    from .export import export_json as build

    response = HttpResponse(build(request.user), content_type="application/json")
    response["Content-Disposition"] = 'attachment; filename="cadence-export.json"'
    return response


@login_required
def export_zip(request):
    from .export import export_zip as build

    response = HttpResponse(build(request.user), content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="cadence-export.zip"'
    return response


@login_required
def delete_account(request):
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        services.account_delete(user=user)
        messages.success(request, "Your account and all your data have been deleted.")
        return redirect("home")
    return your_data_page(request, delete_form=form)
