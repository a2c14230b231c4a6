"""Background job pages."""

from django.urls import path

from tieuchi.evaluation import views_jobs, views_xlsx_rounds

urlpatterns = [
    path("", views_jobs.job_list, name="jobs"),
    path("export.xlsx", views_xlsx_rounds.jobs_xlsx, name="jobs_xlsx"),
    path("<int:pk>/", views_jobs.job_detail, name="job"),
]
