"""Evidence pages: a unit's evidence for a period (with the upload form), a file, deleting."""

from django.urls import path

from tieuchi.collection import views_evidence as views
from tieuchi.collection import views_xlsx_evidence

urlpatterns = [
    path("", views.evidence_index, name="evidence_index"),
    path("unit/<int:unit_id>/<str:period>/", views.evidence_list, name="evidence_list"),
    path(
        "unit/<int:unit_id>/<str:period>/export.xlsx",
        views_xlsx_evidence.evidence_xlsx,
        name="evidence_list_xlsx",
    ),
    path("<int:pk>/file/", views.evidence_file, name="evidence_file"),
    path("<int:pk>/delete/", views.evidence_delete, name="evidence_delete"),
    path(
        "task-updates/<int:pk>/",
        views.task_update_evidence,
        name="task_update_evidence",
    ),
]
