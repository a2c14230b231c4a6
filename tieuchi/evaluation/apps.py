"""Evaluation of observed values against the catalog (engine in a later issue)."""

from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "tieuchi.evaluation"
    label = "evaluation"
    verbose_name = "Đánh giá"

    def ready(self) -> None:
        from tieuchi.catalog.signals import catalog_changed
        from tieuchi.collection.signals import figures_changed
        from tieuchi.evaluation.aggregates_upkeep import refresh_after_figures_changed
        from tieuchi.evaluation.jobs import recompute_after_catalog_change
        from tieuchi.evaluation.services import reevaluate_after_figures_changed

        catalog_changed.connect(recompute_after_catalog_change, dispatch_uid="evaluation-recompute")
        figures_changed.connect(
            reevaluate_after_figures_changed, dispatch_uid="evaluation-incremental"
        )
        # The aggregate sets (batch path) follow every change, so they never go stale.
        figures_changed.connect(refresh_after_figures_changed, dispatch_uid="evaluation-aggregates")
