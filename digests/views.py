from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from config.middleware import EMAIL_FRAME_POLICY

from .dev_outbox import outbox_folder, outbox_message, outbox_names
from .forms import EmailPreferencesForm
from .models import Stream
from .selectors import address_suppressed, digest_history, profile_for_user, rendered_digest
from .scheduling import email_schedule_for
from .services import PREFERENCE_FIELDS, email_preferences_update, email_stream_on, email_stream_set
from .tokens import BadUnsubscribeToken, read_unsubscribe_token


def _masked(email: str) -> str:
    name, _, domain = email.partition("@")
    return f"{name[:1]}•••@{domain}" if domain else ""


@csrf_exempt  # RFC 8058 one-click: mail providers POST with no cookies and no CSRF token
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """GET asks (link scanners follow links); POST, including the bare one-click POST, unsubscribes."""
    try:
        user_id, stream = read_unsubscribe_token(token)
    except BadUnsubscribeToken:
        return render(request, "digests/unsubscribe_invalid.html", status=400)
    context = {"stream_label": Stream(stream).label}
    profile = profile_for_user(user_id)
    if profile is None:  # the account is gone: nothing will be sent to it
        return render(request, "digests/unsubscribed.html", context)
    if request.method == "POST":
        email_stream_set(user_id=user_id, stream=stream, enabled=False)
        return render(request, "digests/unsubscribed.html", context)
    if not email_stream_on(profile=profile, stream=stream):   # nothing to ask: it is off already
        return render(request, "digests/unsubscribed.html", {**context, "already": True})
    return render(request, "digests/unsubscribe.html", {**context, "email": _masked(profile.user.email), "token": token})


@login_required
def preferences(request):
    profile = request.user.coaching_profile
    schedule = email_schedule_for(profile)
    initial = {field: getattr(schedule, field) for field in PREFERENCE_FIELDS}
    form = EmailPreferencesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        email_preferences_update(profile=profile, changes=form.cleaned_data)
        messages.success(request, "Email preferences saved.")
        return redirect("digests:preferences")
    return render(request, "digests/preferences.html", {
        "form": form, "profile": profile, "schedule": schedule,
        "suppressed": address_suppressed(request.user.email),
    }, status=400 if form.errors else 200)


@login_required
def history(request):
    page = Paginator(digest_history(request.user), 30).get_page(request.GET.get("page"))
    return render(request, "digests/history.html", {"page": page})


@login_required
def digest_detail(request, pk):
    """The "view in browser" page: only your own digests, rendered exactly as they were sent."""
    send = get_object_or_404(digest_history(request.user), pk=pk)
    return render(request, "digests/digest_detail.html", {"send": send, "rendered": rendered_digest(send)})


def _email_frame(html: str) -> HttpResponse:
    """An email's HTML for the frame on its page: inline styles allowed here, and nothing else."""
    response = HttpResponse(html)
    response["Content-Security-Policy"] = EMAIL_FRAME_POLICY
    return response


@login_required
@xframe_options_sameorigin
def digest_html(request, pk):
    send = get_object_or_404(digest_history(request.user), pk=pk)
    return _email_frame(rendered_digest(send).html)


def _dev_outbox_open_to(request):
    """Development email holds every person's links: staff only, and only on a development server."""
    if not (settings.DEBUG and request.user.is_staff):
        raise Http404


def dev_outbox(request):
    _dev_outbox_open_to(request)
    page = Paginator(outbox_names(), 50).get_page(request.GET.get("page"))
    messages_on_page = [message for name in page.object_list if (message := outbox_message(name))]
    return render(request, "digests/dev_outbox.html", {
        "page": page, "outbox_messages": messages_on_page, "folder": outbox_folder(),
    })


def dev_outbox_message(request, name):
    _dev_outbox_open_to(request)
    message = outbox_message(name)
    if message is None:
        raise Http404
    return render(request, "digests/dev_outbox_message.html", {"message": message})


@xframe_options_sameorigin
def dev_outbox_message_html(request, name):
    _dev_outbox_open_to(request)
    message = outbox_message(name)
    if message is None or not message.html:
        raise Http404
    return _email_frame(message.html)
