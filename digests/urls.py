from django.urls import path

from . import views
from .webhooks import tracking_urlpatterns

app_name = "digests"

urlpatterns = [
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("email/preferences/", views.preferences, name="preferences"),
    path("email/history/", views.history, name="history"),
    path("email/history/<int:pk>/", views.digest_detail, name="digest"),
    path("email/history/<int:pk>/email.html", views.digest_html, name="digest_html"),
    path("email/dev-outbox/", views.dev_outbox, name="dev_outbox"),
    path("email/dev-outbox/<str:name>/", views.dev_outbox_message, name="dev_outbox_message"),
    path("email/dev-outbox/<str:name>/email.html", views.dev_outbox_message_html, name="dev_outbox_message_html"),
    *tracking_urlpatterns(),
]
