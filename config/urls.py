from django.contrib import admin
from django.urls import include, path

from digests import staff_views

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("admin/metrics/", staff_views.staff_metrics, name="staff_metrics"),
    path("admin/metrics.csv", staff_views.staff_metrics_csv, name="staff_metrics_csv"),
    path("admin/login/", views.admin_login, name="admin_login"),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("", include("onboarding.urls")),
    path("", include("habits.urls")),
    path("", include("coaching.urls")),
    path("", include("digests.urls")),
]
