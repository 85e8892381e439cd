from django.urls import path

from . import views

app_name = "habits"

urlpatterns = [
    path("today/", views.today, name="today"),
    path("habits/", views.habit_list, name="list"),
]
