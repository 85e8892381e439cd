from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("", include("onboarding.urls")),
    path("", include("habits.urls")),
    path("", include("coaching.urls")),
    path("", include("digests.urls")),
]
