"""Official documents (.docx, PDF): the report form and downloads."""

from django.urls import path  # noqa: F401 - filled by the report pages

app_name = "reports"
urlpatterns: list = []
