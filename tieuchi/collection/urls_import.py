"""Excel import pages: /data/import/ (form, template download, upload), preview, commit, discard."""

from django.urls import path

from tieuchi.collection import views_import, views_xlsx_evidence

urlpatterns = [
    path("", views_import.import_start, name="import"),
    path("export.xlsx", views_xlsx_evidence.import_batches_xlsx, name="import_batches_xlsx"),
    path("template/", views_import.import_template, name="import_template"),
    path("<int:pk>/", views_import.import_preview, name="import_preview"),
    path("<int:pk>/commit/", views_import.import_commit, name="import_commit"),
    path("<int:pk>/discard/", views_import.import_discard, name="import_discard"),
]
