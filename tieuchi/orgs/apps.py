"""Administrative units with their history, organisations, people and who belongs where."""

from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "tieuchi.orgs"
    label = "orgs"
    verbose_name = "Đơn vị"
