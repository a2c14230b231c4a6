from django.urls import path

from tieuchi.catalog import views, views_xlsx

app_name = "catalog"
urlpatterns = [
    path("", views.catalog_list, name="list"),
    path("export.xlsx", views_xlsx.catalog_list_xlsx, name="list_xlsx"),
    path("<slug:key>/", views.catalog_detail, name="detail"),
    path("<slug:key>/export.json", views.catalog_json, name="json"),
    path("<slug:key>/export.xlsx", views_xlsx.catalog_xlsx, name="xlsx"),
]
