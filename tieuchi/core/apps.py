"""Shared pure helpers: Vietnamese text, number formats, environment readers."""

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "tieuchi.core"
    label = "core"
    verbose_name = "Lõi"
