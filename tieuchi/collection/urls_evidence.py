"""evidence pages."""

urlpatterns: list = []
