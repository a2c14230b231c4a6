"""Round assessment and recognition workflow pages."""

urlpatterns: list = []
