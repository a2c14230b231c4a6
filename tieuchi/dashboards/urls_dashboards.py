"""Dashboards for a ward, a district (or city) and a programme."""

from django.urls import path  # noqa: F401 - filled by the dashboard pages

from tieuchi.dashboards import (
    views_cascade,
    views_dashboards,
    views_programme,
    views_publication,
)

app_name = "dashboards"
urlpatterns: list = [
    path("", views_dashboards.mine, name="mine"),
    path("ward/<int:unit_id>/", views_dashboards.ward, name="ward"),
    path("district/<int:unit_id>/", views_dashboards.district, name="district"),
    path(
        "district/<int:unit_id>/<slug:table>.xlsx",
        views_dashboards.district_xlsx,
        name="district_xlsx",
    ),
    path(
        "programme/<slug:catalog_key>/<int:unit_id>/",
        views_programme.programme,
        name="programme",
    ),
    path("publication/<int:unit_id>/", views_publication.publication, name="publication"),
    path("plans/<slug:key>/cascade/", views_cascade.cascade_page, name="cascade"),
    path("plans/<slug:key>/cascade.xlsx", views_cascade.cascade_xlsx, name="cascade_xlsx"),
]
