from django.urls import include, path

from tieuchi.plans import views, views_xlsx

app_name = "plans"
urlpatterns = [
    path("tasks/", include("tieuchi.plans.urls_tasks")),
    path("", include("tieuchi.plans.urls_import")),
    path("", views.plan_list, name="list"),
    path("export.xlsx", views_xlsx.plan_list_xlsx, name="list_xlsx"),
    path("<slug:key>/", views.plan_detail, name="detail"),
    path("<slug:key>/export.json", views.plan_json, name="json"),
    path("<slug:key>/export.xlsx", views.plan_download_xlsx, name="xlsx"),
    path("<slug:key>/rows/<str:code>/edit/", views.row_edit, name="row_edit"),
]
