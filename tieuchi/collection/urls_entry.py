"""entry pages."""

urlpatterns: list = []
