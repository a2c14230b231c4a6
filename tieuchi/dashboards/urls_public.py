"""Public pages: a ward's published results, no login."""

from django.urls import path  # noqa: F401 - filled by the public pages

app_name = "public"
urlpatterns: list = []
