"""import pages."""

urlpatterns: list = []
