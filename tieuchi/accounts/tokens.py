"""Personal API tokens: create (the secret is shown once), revoke, and authenticate a request.

Only the SHA-256 of a secret is stored (ApiToken.key_hash), with its first characters (`prefix`)
so its owner can recognise it in the list. A secret is `tc_` followed by 43 URL-safe characters
(256 random bits): far too long to guess, so a plain, unsalted SHA-256 is enough and lets a
request be authenticated with one indexed lookup.
"""

import datetime as dt
import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from tieuchi.accounts import audit
from tieuchi.accounts.models import ApiToken, AuditEvent

SECRET_PREFIX = "tc_"
PREFIX_LENGTH = 12  # ApiToken.prefix: "tc_" and the secret's first 9 characters
NAME_MAX_LENGTH = ApiToken._meta.get_field("name").max_length
# last_used_at is written at most this often per token, not on every request.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _audit_data(token: ApiToken) -> dict:
    return {
        "user": token.user.username,
        "name": token.name,
        "prefix": token.prefix,
        "revoked": token.revoked_at is not None,
    }


def create_token(
    user, name: str, *, actor=None, channel: str = AuditEvent.Channel.WEB
) -> tuple[ApiToken, str]:
    """A new token for `user`: (the stored token, the secret). The secret is never stored.

    `actor` is who created it (the user on the web page; None from the command line).
    """
    name = " ".join((name or "").split())[:NAME_MAX_LENGTH] or "API"
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, name=name, prefix=secret[:PREFIX_LENGTH], key_hash=hash_secret(secret)
        )
        audit.record(actor, "create", token, after=_audit_data(token), channel=channel)
    return token, secret


def revoke_token(token: ApiToken, *, actor, channel: str = AuditEvent.Channel.WEB) -> ApiToken:
    """Revoke for good (a revoked token is kept for the audit trail). Revoking twice is harmless."""
    if token.revoked_at is not None:
        return token
    with transaction.atomic():
        before = _audit_data(token)
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(
            actor, "revoke", token, before=before, after=_audit_data(token), channel=channel
        )
    return token


def tokens_of(user):
    """The user's tokens, newest first, revoked ones included."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")


def authenticate(secret: str | None):
    """The active user owning this (unrevoked) secret, or None."""
    if not secret or not secret.startswith(SECRET_PREFIX) or len(secret) > 200:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_secret(secret), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
