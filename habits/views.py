from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def today(request):
    return render(request, "habits/today.html")


@login_required
def habit_list(request):
    return render(request, "habits/today.html")
