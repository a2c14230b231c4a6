"""Personal API tokens page: list, create (the secret is shown once, on the response), revoke."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tieuchi.accounts.models import ApiToken
from tieuchi.accounts.tokens import NAME_MAX_LENGTH, create_token, revoke_token, tokens_of


def _page(request, *, secret: str = "", created=None, error: str = "", name: str = ""):
    response = render(
        request,
        "accounts/tokens.html",
        {
            "nav": "tokens",
            "tokens": list(tokens_of(request.user)),
            "secret": secret,
            "created": created,
            "error": error,
            "name": name,
            "name_max_length": NAME_MAX_LENGTH,
        },
    )
    # The page may carry a secret: never keep it in a cache or the browser's history.
    add_never_cache_headers(response)
    return response


@login_required
@require_http_methods(["GET", "POST"])
def token_list(request):
    if request.method == "GET":
        return _page(request)
    name = " ".join(request.POST.get("name", "").split())
    if not name:
        return _page(request, error=_("Hãy đặt tên gợi nhớ cho mã (ví dụ: “Bảng tính tổng hợp”)."))
    if len(name) > NAME_MAX_LENGTH:
        return _page(
            request,
            name=name,
            error=_("Tên gợi nhớ dài quá %(n)s ký tự.") % {"n": NAME_MAX_LENGTH},
        )
    token, secret = create_token(request.user, name, actor=request.user, channel="web")
    return _page(request, secret=secret, created=token)


@login_required
@require_POST
def token_revoke(request, pk: int):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    if token.revoked_at is None:
        revoke_token(token, actor=request.user, channel="web")
        messages.success(
            request,
            _("Đã thu hồi mã “%(name)s”; mã này không dùng được nữa.") % {"name": token.name},
        )
    return redirect("accounts:tokens")
