from django.urls import include, path

from . import views

app_name = "digests"

urlpatterns = [
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("email/preferences/", views.preferences, name="preferences"),
    path("email/history/", views.history, name="history"),
    path("email/history/<int:pk>/", views.digest_detail, name="digest"),
    path("anymail/", include("anymail.urls")),
]
