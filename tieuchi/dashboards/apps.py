"""Read-only overview pages."""

from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "tieuchi.dashboards"
    label = "dashboards"
    verbose_name = "Bảng điều khiển"
