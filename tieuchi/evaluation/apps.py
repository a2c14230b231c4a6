"""Evaluation of observed values against the catalog (engine in a later issue)."""

from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "tieuchi.evaluation"
    label = "evaluation"
    verbose_name = "Đánh giá"
