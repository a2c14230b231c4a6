"""JSON API over the same services and scopes as the web pages."""

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "tieuchi.api"
    label = "api"
    verbose_name = "API"
