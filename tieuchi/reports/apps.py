"""Official documents and exports."""

from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "tieuchi.reports"
    label = "reports"
    verbose_name = "Báo cáo"
