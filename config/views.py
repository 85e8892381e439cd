from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from onboarding.views import landing

from .health import health_check


def home(request):
    """Visitors see the landing page; signed-in people go to Today."""
    if request.user.is_authenticated:
        return redirect("habits:today")
    return landing(request)


@require_safe
@never_cache
def healthz(request):
    """For load balancers: 200 when healthy, 503 otherwise; the rules are in config/health.py."""
    health = health_check()
    return JsonResponse(health.as_dict(), status=200 if health.healthy else 503)


def admin_login(request):
    """Staff sign in through allauth's login like everyone else, so its failed-login rate limits apply."""
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        next_url = reverse("admin:index")
    if request.user.is_authenticated:
        # allauth sends a signed-in person straight on to `next`: a non-staff one would bounce back here forever.
        if not request.user.is_staff:
            raise PermissionDenied
        return redirect(next_url)
    return redirect(f"{reverse('account_login')}?{urlencode({'next': next_url})}")
