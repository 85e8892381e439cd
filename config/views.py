from django.http import HttpResponse
from django.shortcuts import redirect

from onboarding.views import landing


def home(request):
    """Visitors see the landing page; signed-in people go to Today."""
    if request.user.is_authenticated:
        return redirect("habits:today")
    return landing(request)


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")
