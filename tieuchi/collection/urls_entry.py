"""Entry pages: the form per unit and period, its rows, the workflow, history and completeness."""

from django.urls import path

from tieuchi.collection import views_entry as views
from tieuchi.collection import views_xlsx

urlpatterns = [
    path("", views.entry_index, name="entry_index"),
    path("units/<int:unit_id>/<str:period>/", views.entry_page, name="entry"),
    path(
        "units/<int:unit_id>/<str:period>/export.xlsx",
        views_xlsx.entry_xlsx,
        name="entry_xlsx",
    ),
    path(
        "units/<int:unit_id>/<str:period>/rows/<int:measure_id>/",
        views.entry_row,
        name="entry_row",
    ),
    path(
        "units/<int:unit_id>/<str:period>/submission/",
        views.transition,
        name="transition",
    ),
    path("values/<int:pk>/history/", views.history, name="history"),
    path("values/<int:pk>/history/export.xlsx", views_xlsx.history_xlsx, name="history_xlsx"),
    path(
        "completeness/<int:unit_id>/<str:period>/",
        views.completeness_page,
        name="completeness",
    ),
    path(
        "completeness/<int:unit_id>/<str:period>/export.xlsx",
        views_xlsx.completeness_xlsx,
        name="completeness_xlsx",
    ),
    path(
        "completeness/<int:unit_id>/<str:period>/remind/",
        views.remind,
        name="remind",
    ),
]
