from django.urls import path

from tieuchi.catalog import views

app_name = "catalog"
urlpatterns = [
    path("", views.catalog_list, name="list"),
    path("<slug:key>/", views.catalog_detail, name="detail"),
    path("<slug:key>/export.json", views.catalog_json, name="json"),
]
