"""Round assessment and recognition workflow pages (under /evaluation/rounds/)."""

from django.urls import path

from tieuchi.evaluation import views_rounds as views

urlpatterns = [
    path("", views.round_list, name="rounds"),
    path("actions/", views.action_list, name="corrective_actions"),
    path("actions/<int:pk>/<str:move>/", views.action_move, name="corrective_action_move"),
    path("items/<int:item_id>/actions/new/", views.action_new, name="corrective_action_new"),
    path("assessments/<int:pk>/items/", views.assessment_items, name="assessment_items"),
    path(
        "assessments/<int:pk>/items/<int:item_id>/",
        views.assessment_item,
        name="assessment_item",
    ),
    path("assessments/<int:pk>/<str:action>/", views.assessment_move, name="assessment_move"),
    path("recognition/<str:code>/", views.recognition_page, name="recognition"),
    path(
        "recognition/<str:code>/<str:step>/<int:pk>/",
        views.recognition_step,
        name="recognition_step",
    ),
    path("<int:round_id>/<str:code>/", views.assessment_page, name="round_self"),
    path(
        "<int:round_id>/<str:code>/inspection/",
        views.assessment_page,
        {"stage": "inspection"},
        name="round_inspection",
    ),
    path(
        "<int:round_id>/<str:code>/self/start/",
        views.assessment_start,
        {"stage": "self"},
        name="round_self_start",
    ),
    path(
        "<int:round_id>/<str:code>/inspection/start/",
        views.assessment_start,
        {"stage": "inspection"},
        name="round_inspection_start",
    ),
]
