"""Task pages, included from plans/urls.py under /plans/tasks/ (names in the "plans" namespace)."""

from django.urls import path

from tieuchi.plans import views_tasks, views_xlsx

urlpatterns = [
    path("mine/", views_tasks.my_tasks, name="tasks_mine"),
    path("mine/export.xlsx", views_xlsx.my_tasks_xlsx, name="tasks_mine_xlsx"),
    path("leader/<int:person_id>/", views_tasks.leader_tasks, name="tasks_leader"),
    path(
        "leader/<int:person_id>/export.xlsx",
        views_xlsx.leader_tasks_xlsx,
        name="tasks_leader_xlsx",
    ),
    path("overdue/<int:unit_id>/", views_tasks.overdue_tasks, name="tasks_overdue"),
    path(
        "overdue/<int:unit_id>/export.xlsx",
        views_xlsx.overdue_tasks_xlsx,
        name="tasks_overdue_xlsx",
    ),
    path("calendar/", views_tasks.task_calendar, name="tasks_calendar"),
    path("calendar/token/", views_tasks.token_create, name="task_token_create"),
    path(
        "calendar/token/<int:token_id>/revoke/",
        views_tasks.token_revoke,
        name="task_token_revoke",
    ),
    path("calendar/<str:token>.ics", views_tasks.task_feed, name="task_feed"),
    path("<int:task_id>/", views_tasks.task_detail, name="task_detail"),
    path("<int:task_id>/update/", views_tasks.task_update, name="task_update"),
]
