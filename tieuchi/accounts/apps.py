"""Users, roles and the audit log."""

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "tieuchi.accounts"
    label = "accounts"
    verbose_name = "Tài khoản"
