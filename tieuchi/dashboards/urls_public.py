"""Public pages: a ward's published results, no login."""

from django.urls import path

from tieuchi.dashboards import views_public

app_name = "public"
urlpatterns: list = [
    path("", views_public.public_list, name="list"),
    path("<str:unit_code>/", views_public.public_unit, name="unit"),
]
