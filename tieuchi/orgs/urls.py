from django.urls import path

from tieuchi.orgs import views, views_xlsx

app_name = "orgs"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("export.json", views.tree_json, name="tree_json"),
    path("export.xlsx", views_xlsx.tree_xlsx, name="tree_xlsx"),
    path("<int:pk>/", views.detail, name="detail"),
]
