"""Account pages: personal API tokens."""

from django.urls import path

from tieuchi.accounts import views_tokens

app_name = "accounts"
urlpatterns = [
    path("tokens/", views_tokens.token_list, name="tokens"),
    path("tokens/<int:pk>/revoke/", views_tokens.token_revoke, name="token_revoke"),
]
