"""Scorecard and district matrix pages."""

from django.urls import path

from tieuchi.evaluation import views_monthly, views_xlsx
from tieuchi.evaluation import views_scorecard as views

urlpatterns = [
    path("", views.index, name="home"),
    path("units/<int:pk>/", views.unit_scorecard, name="scorecard"),
    path("units/<int:pk>/result.json", views.scorecard_json, name="scorecard_json"),
    path("units/<int:pk>/export.xlsx", views_xlsx.scorecard_xlsx, name="scorecard_xlsx"),
    path("units/<int:pk>/recompute/", views.recompute, name="recompute"),
    path("units/<int:pk>/monthly/", views_monthly.unit_monthly, name="monthly"),
    path(
        "units/<int:pk>/monthly/export.xlsx",
        views_monthly.unit_monthly_xlsx,
        name="monthly_xlsx",
    ),
    path("matrix/", views.matrix_default, name="matrix_default"),
    path("matrix/<int:pk>/", views.unit_matrix, name="matrix"),
    path("matrix/<int:pk>/export.xlsx", views_xlsx.matrix_xlsx, name="matrix_xlsx"),
]
