"""The opt-in leaderboard page, and joining, renaming and leaving it."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from . import leaderboard
from .models import DISPLAY_NAME_MAX_LENGTH, LeaderboardMember


class DisplayNameForm(forms.Form):
    # The rules for a name live in leaderboard.clean_display_name; the form only carries it.
    display_name = forms.CharField(
        label="Display name",
        error_messages={"required": "Choose a display name."},
        help_text="Shown to other members instead of your name. Letters, digits, spaces, - _ and . only.",
        widget=forms.TextInput(attrs={"maxlength": DISPLAY_NAME_MAX_LENGTH, "autocomplete": "off"}),
    )


def _page(request, *, join_form=None, rename_form=None, status=200):
    member = LeaderboardMember.objects.filter(user=request.user).first()
    context = {
        "member": member,
        "standings": leaderboard.standings(timezone.now()),
        "window_days": leaderboard.WINDOW_DAYS,
    }
    if member is None:
        context["join_form"] = join_form or DisplayNameForm(initial={"display_name": leaderboard.suggested_name()})
    else:
        context["rename_form"] = rename_form or DisplayNameForm(initial={"display_name": member.display_name})
    return render(request, "habits/leaderboard.html", context, status=status)


@login_required
def leaderboard_page(request):
    return _page(request)


@login_required
@require_POST
def leaderboard_join(request):
    return _change_name(request, "join_form", "You are on the leaderboard.",
                        lambda name: leaderboard.join(user=request.user, display_name=name))


@login_required
@require_POST
def leaderboard_rename(request):
    return _change_name(request, "rename_form", "Your display name is changed.",
                        lambda name: leaderboard.rename(user=request.user, display_name=name, now=timezone.now()))


def _change_name(request, form_name: str, done: str, change):
    """Join or rename: the service's refusal goes next to the field, and nothing changes."""
    form = DisplayNameForm(request.POST)
    if form.is_valid():
        try:
            change(form.cleaned_data["display_name"])
        except ValidationError as error:
            form.add_error("display_name", error)
        else:
            messages.success(request, done)
            return redirect("habits:leaderboard")
    return _page(request, status=400, **{form_name: form})


@login_required
@require_POST
def leaderboard_leave(request):
    leaderboard.leave(user=request.user)
    messages.success(request, "You have left the leaderboard; your name is no longer on it.")
    return redirect("habits:leaderboard")
