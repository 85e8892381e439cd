from django.urls import path

from . import views

app_name = "coaching"

urlpatterns = [
    path("coaching/", views.overview, name="overview"),
    path("coaching/insights/<int:pk>/feedback/", views.feedback, name="feedback"),
]
