"""Official documents (.docx, PDF): the report form, downloads and the register of numbers."""

from django.urls import path

from tieuchi.reports import views, views_register

app_name = "reports"
urlpatterns = [
    path("units/<int:unit_id>/", views.unit_reports, name="unit"),
    path("units/<int:unit_id>/register/", views_register.register_page, name="register"),
    path(
        "units/<int:unit_id>/register/export.xlsx",
        views_register.register_xlsx,
        name="register_xlsx",
    ),
    path("units/<int:unit_id>/<slug:kind>/", views.download, name="download"),
    path("units/<int:unit_id>/<slug:kind>/register/", views.register, name="register_document"),
]
