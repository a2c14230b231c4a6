from django.urls import path

from tieuchi.plans import views_import

urlpatterns = [
    path("import/", views_import.upload, name="import"),
    path("import/<slug:key>/<str:digest>/", views_import.review, name="import_review"),
    path("<slug:key>/export.docx", views_import.plan_download_docx, name="docx"),
]
