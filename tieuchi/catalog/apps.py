"""Criteria catalogs as versioned data: criteria, indicators, thresholds."""

from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "tieuchi.catalog"
    label = "catalog"
    verbose_name = "Bộ tiêu chí"
