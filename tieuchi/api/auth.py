"""Bearer authentication with personal API tokens (accounts.tokens): `Authorization: Bearer tc_…`."""

from ninja.security import HttpBearer

from tieuchi.accounts.tokens import authenticate


class ApiTokenAuth(HttpBearer):
    """The request acts as the token's owner, with exactly that person's scope."""

    def authenticate(self, request, token: str):
        user = authenticate(token.strip())
        if user is not None:
            request.user = user
        return user


def current_user(request):
    return request.auth
