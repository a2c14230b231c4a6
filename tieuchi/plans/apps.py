"""Plans, their rows (assignments) and evaluation rounds."""

from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "tieuchi.plans"
    label = "plans"
    verbose_name = "Kế hoạch"
