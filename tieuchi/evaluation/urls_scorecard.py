"""Scorecard and district matrix pages."""

urlpatterns: list = []
