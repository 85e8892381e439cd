from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from . import selectors, services
from .models import CoachingInsight


@login_required
def overview(request):
    if selectors.current_run(request.user) is None:
        # The first analysis is queued at the end of onboarding; nobody waits for the worker to see it.
        services.analyse_user(user=request.user)
    context = selectors.coaching_overview(request.user)
    context["history"] = selectors.coaching_history(request.user)[1:]
    return render(request, "coaching/overview.html", context)


@login_required
@require_POST
def feedback(request, pk):
    insight = get_object_or_404(CoachingInsight.objects.visible(), pk=pk, user=request.user)
    answer = request.POST.get("helpful")
    if answer not in ("yes", "no"):
        return HttpResponseBadRequest("Answer yes or no.")
    helpful = answer == "yes"
    services.insight_feedback(insight=insight, helpful=helpful)
    if request.htmx:
        return render(request, "coaching/_feedback.html", {"insight": insight, "helpful": helpful})
    messages.success(request, "Thanks, your coach will use that." if helpful else "Thanks, you'll see fewer insights like this.")
    return redirect("coaching:overview")
