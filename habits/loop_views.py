"""Loop Habit Tracker backups: the import page, its progress page and the "Back up for Loop" downloads."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from .days import today_for, zone
from .forms import LoopImportForm
from .loop_export import loop_backup, loop_database
from .loop_import import MAX_UPLOAD_BYTES, LoopImportError, loop_import_start
from .models import LoopImport
from .views import your_data_page


@login_required
def import_loop(request):
    form = LoopImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["archive"]
        try:
            if upload.size > MAX_UPLOAD_BYTES:
                raise LoopImportError("That file is larger than 20 MB; a Loop backup is much smaller.")
            record = loop_import_start(user=request.user, data=upload.read())
        except LoopImportError as error:
            form.add_error("archive", str(error))
        else:
            return redirect("habits:import_loop_progress", pk=record.pk)
    return your_data_page(request, import_form=form)


@login_required
def import_loop_progress(request, pk):
    record = get_object_or_404(LoopImport.objects.defer("archive"), pk=pk, user=request.user)
    template = "habits/_loop_import_status.html" if request.htmx else "habits/loop_import_progress.html"
    return render(request, template, {"record": record})


@login_required
def export_loop(request):
    today = today_for(request.user.coaching_profile, timezone.now())
    response = HttpResponse(loop_backup(request.user, today), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="Loop Habits CSV {today.isoformat()}.zip"'
    return response


@login_required
def export_loop_db(request):
    """Loop's own database file, named as Loop names its full backups, in the person's local time."""
    local_now = timezone.now().astimezone(zone(request.user.coaching_profile.timezone))
    response = HttpResponse(loop_database(request.user), content_type="application/x-sqlite3")
    response["Content-Disposition"] = f'attachment; filename="Loop Habits Backup {local_now:%Y-%m-%d %H%M%S}.db"'
    response["Cache-Control"] = "private, no-store"
    return response
