from django.urls import path

from tieuchi.orgs import views

app_name = "orgs"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("export.json", views.tree_json, name="tree_json"),
    path("<int:pk>/", views.detail, name="detail"),
]
