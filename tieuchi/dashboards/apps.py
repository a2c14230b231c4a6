"""Read-only overview pages."""

from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "tieuchi.dashboards"
    label = "dashboards"
    verbose_name = "Bảng điều khiển"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from tieuchi.dashboards.page_cache import bump_register_generation

        # A changed unit, membership, legal document or catalog outdates every cached board.
        post_save.connect(bump_register_generation, dispatch_uid="dashboards-register-save")
        post_delete.connect(bump_register_generation, dispatch_uid="dashboards-register-delete")
