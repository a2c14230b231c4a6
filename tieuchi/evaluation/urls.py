"""Evaluation pages: scorecards and district matrix (urls_scorecard), rounds and recognition (urls_rounds)."""

from django.urls import include, path

app_name = "evaluation"
urlpatterns = [
    path("", include("tieuchi.evaluation.urls_scorecard")),
    path("rounds/", include("tieuchi.evaluation.urls_rounds")),
    path("jobs/", include("tieuchi.evaluation.urls_jobs")),
]
