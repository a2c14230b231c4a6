"""Data collection pages: entry and approval (urls_entry), Excel import (urls_import), evidence (urls_evidence)."""

from django.urls import include, path

app_name = "collection"
urlpatterns = [
    path("", include("tieuchi.collection.urls_entry")),
    path("import/", include("tieuchi.collection.urls_import")),
    path("evidence/", include("tieuchi.collection.urls_evidence")),
]
