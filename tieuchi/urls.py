"""URL map. Every page except login and the public pages requires a logged-in user."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language


def _only_system_admins(request) -> bool:
    """The Django admin is for system administrators only, never for ward staff."""
    return request.user.is_active and request.user.is_superuser


admin.site.has_permission = _only_system_admins
admin.site.site_header = "tieuchi – quản trị hệ thống"

urlpatterns = [
    path("", include("tieuchi.dashboards.urls")),
    path("dashboards/", include("tieuchi.dashboards.urls_dashboards")),
    path("public/", include("tieuchi.dashboards.urls_public")),
    path("reports/", include("tieuchi.reports.urls")),
    path("units/", include("tieuchi.orgs.urls")),
    path("catalogs/", include("tieuchi.catalog.urls")),
    path("plans/", include("tieuchi.plans.urls")),
    path("evaluation/", include("tieuchi.evaluation.urls")),
    path("data/", include("tieuchi.collection.urls")),
    path("api/v1/", include("tieuchi.api.urls")),
    path("account/", include("tieuchi.accounts.urls")),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"
    ),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
]
