"""JSON API /api/v1 (django-ninja)."""

urlpatterns: list = []
