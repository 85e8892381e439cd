from django.urls import path

from . import views
from .webhooks import tracking_urlpatterns

app_name = "digests"

urlpatterns = [
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("email/preferences/", views.preferences, name="preferences"),
    path("email/history/", views.history, name="history"),
    path("email/history/<int:pk>/", views.digest_detail, name="digest"),
    *tracking_urlpatterns(),
]
