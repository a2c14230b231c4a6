"""Official documents (.docx, PDF): the report form and downloads."""

from django.urls import path

from tieuchi.reports import views

app_name = "reports"
urlpatterns = [
    path("units/<int:unit_id>/", views.unit_reports, name="unit"),
    path("units/<int:unit_id>/<slug:kind>/", views.download, name="download"),
]
