"""Dashboards for a ward, a district (or city) and a programme."""

from django.urls import path  # noqa: F401 - filled by the dashboard pages

app_name = "dashboards"
urlpatterns: list = []
