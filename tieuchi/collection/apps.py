"""Observed values, events and evidence."""

from django.apps import AppConfig


class CollectionConfig(AppConfig):
    name = "tieuchi.collection"
    label = "collection"
    verbose_name = "Thu thập số liệu"
