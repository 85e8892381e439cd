"""The staff metrics page and its CSV: staff only (404 for everyone else, the login page when signed out)."""

import csv

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils import timezone

from config.widgets import DateInput

from . import metrics
from .charts import retention_curve


class WindowForm(forms.Form):
    since = forms.DateField(label="From", required=False, widget=DateInput())
    until = forms.DateField(label="To", required=False, widget=DateInput())

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        for name in ("since", "until"):
            day = cleaned.get(name)
            if day is not None and not metrics.EARLIEST <= day <= metrics.LATEST:
                self.add_error(name, "Pick a date between 2000 and 2999.")
        if since and since > (until or timezone.now().date()):
            self.add_error("since", "The start is after the end." if until else "The start is after today.")
        return cleaned

    def window(self, today) -> metrics.Window:
        until = self.cleaned_data.get("until") or today
        since = self.cleaned_data.get("since")
        return metrics.Window(since, until) if since else metrics.Window.ending(until)


def staff_only(view):
    @login_required
    def guarded(request, *args, **kwargs):
        if not request.user.is_staff:
            raise Http404
        return view(request, *args, **kwargs)
    return guarded


def _window(request):
    """The window asked for, or the default; an unbound or invalid form falls back to the default."""
    today = timezone.now().date()
    form = WindowForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return form, form.window(today)
    window = metrics.Window.ending(today)
    if not form.is_bound:
        form = WindowForm(initial={"since": window.since, "until": window.until})
    return form, window


@staff_only
def staff_metrics(request):
    form, window = _window(request)
    now = timezone.now()
    figures = metrics.success_metrics(window, now)
    retention = metrics.retention(window, now)
    rows = []
    for metric in metrics.METRICS:
        value = figures[metric.key]
        rows.append({"metric": metric, "value": value, "meets": value is not None and value >= metric.target,
                     "counts": figures["counts"][metric.key]})
    return render(request, "digests/staff_metrics.html", {
        "form": form, "window": window, "rows": rows, "retention": retention,
        "curve": retention_curve(retention.curve), "query": request.GET.urlencode(),
    })


@staff_only
def staff_metrics_csv(request):
    form, window = _window(request)
    if form.errors:
        problems = "; ".join(f"{name}: {' '.join(errors)}" for name, errors in form.errors.items())
        return HttpResponseBadRequest(f"Bad date range ({problems})", content_type="text/plain; charset=utf-8")
    now = timezone.now()
    figures = metrics.success_metrics(window, now)
    retention = metrics.retention(window, now)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="cadence-metrics-{window.since}-{window.until}.csv"'
    response["Cache-Control"] = "private, no-store"
    out = csv.writer(response)
    out.writerow(["section", "metric", "value", "target", "numerator", "denominator"])
    for metric in metrics.METRICS:
        counts = figures["counts"][metric.key]
        if metric.key == "pattern_detection":
            numerator = denominator = ""
        else:
            numerator, denominator = counts["numerator"], counts["denominator"]
        value = figures[metric.key]
        out.writerow(["metric", metric.key, "" if value is None else round(value, 4), metric.target, numerator, denominator])
    out.writerow([])
    out.writerow(["section", "cohort_week", "people", *[f"week_{week}" for week in range(retention.weeks)]])
    for monday, size, shares in retention.rows:
        out.writerow(["retention", monday.isoformat(), size, *["" if s is None else round(s, 4) for s in shares]])
    out.writerow(["curve", "all cohorts", "", *["" if s is None else round(s, 4) for s in retention.curve]])
    return response
