"""Round assessment and recognition workflow pages (under /evaluation/rounds/)."""

from django.urls import path

from tieuchi.evaluation import views_assessments, views_recognition, views_xlsx_rounds

urlpatterns = [
    path("", views_assessments.round_list, name="rounds"),
    path("export.xlsx", views_xlsx_rounds.rounds_xlsx, name="rounds_xlsx"),
    path("actions/", views_assessments.action_list, name="corrective_actions"),
    path("actions/export.xlsx", views_xlsx_rounds.actions_xlsx, name="corrective_actions_xlsx"),
    path(
        "actions/<int:pk>/<str:move>/", views_assessments.action_move, name="corrective_action_move"
    ),
    path(
        "items/<int:item_id>/actions/new/",
        views_assessments.action_new,
        name="corrective_action_new",
    ),
    path(
        "assessments/<int:pk>/items/", views_assessments.assessment_items, name="assessment_items"
    ),
    path(
        "assessments/<int:pk>/items/<int:item_id>/",
        views_assessments.assessment_item,
        name="assessment_item",
    ),
    path(
        "assessments/<int:pk>/<str:action>/",
        views_assessments.assessment_move,
        name="assessment_move",
    ),
    path("recognition/<str:code>/", views_recognition.recognition_page, name="recognition"),
    path(
        "recognition/<str:code>/<str:step>/<int:pk>/",
        views_recognition.recognition_step,
        name="recognition_step",
    ),
    path("<int:round_id>/<str:code>/", views_assessments.assessment_page, name="round_self"),
    path(
        "<int:round_id>/<str:code>/inspection/",
        views_assessments.assessment_page,
        {"stage": "inspection"},
        name="round_inspection",
    ),
    path(
        "<int:round_id>/<str:code>/export.xlsx",
        views_xlsx_rounds.assessment_xlsx,
        name="round_self_xlsx",
    ),
    path(
        "<int:round_id>/<str:code>/inspection/export.xlsx",
        views_xlsx_rounds.assessment_xlsx,
        {"stage": "inspection"},
        name="round_inspection_xlsx",
    ),
    path(
        "<int:round_id>/<str:code>/self/start/",
        views_assessments.assessment_start,
        {"stage": "self"},
        name="round_self_start",
    ),
    path(
        "<int:round_id>/<str:code>/inspection/start/",
        views_assessments.assessment_start,
        {"stage": "inspection"},
        name="round_inspection_start",
    ),
]
