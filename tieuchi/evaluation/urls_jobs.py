"""Background job pages."""

from django.urls import path

from tieuchi.evaluation import views_jobs

urlpatterns = [
    path("", views_jobs.job_list, name="jobs"),
    path("<int:pk>/", views_jobs.job_detail, name="job"),
]
