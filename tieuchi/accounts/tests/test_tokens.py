"""Personal API tokens: created (secret shown once, only its hash stored), used, revoked."""

import hashlib
import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from tieuchi.accounts.models import ApiToken, AuditEvent, User
from tieuchi.accounts.tokens import authenticate, create_token, revoke_token


@pytest.fixture
def ward_leader(db):
    return User.objects.get(username="dong.giangbien")


def api_get(secret: str | None):
    headers = {"authorization": f"Bearer {secret}"} if secret else {}
    return Client().get("/api/v1/units", headers=headers)


@pytest.mark.django_db
def test_only_the_hash_of_a_new_token_is_stored(ward_leader):
    token, secret = create_token(ward_leader, "Bảng tính", actor=ward_leader)
    assert secret.startswith("tc_") and len(secret) >= 40
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert stored.prefix == secret[:12]
    stored_text = " ".join(str(value) for value in vars(stored).values())
    assert secret not in stored_text
    event = AuditEvent.objects.get(object_type="accounts.apitoken", object_id=str(token.pk))
    assert (event.action, event.actor, event.channel) == ("create", ward_leader, "web")
    assert secret not in str(event.after) and event.after["prefix"] == token.prefix


@pytest.mark.django_db
def test_token_lifecycle_create_use_revoke(ward_leader):
    token, secret = create_token(ward_leader, "Tập lệnh", actor=ward_leader)
    assert authenticate(secret) == ward_leader
    assert api_get(secret).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None
    revoke_token(token, actor=ward_leader)
    assert authenticate(secret) is None
    response = api_get(secret)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"
    assert AuditEvent.objects.filter(object_id=str(token.pk), action="revoke").count() == 1
    revoke_token(token, actor=ward_leader)  # twice is harmless and not audited again
    assert AuditEvent.objects.filter(object_id=str(token.pk), action="revoke").count() == 1


@pytest.mark.django_db
def test_a_deactivated_user_and_garbage_do_not_authenticate(ward_leader):
    _token, secret = create_token(ward_leader, "x", actor=None)
    ward_leader.is_active = False
    ward_leader.save()
    assert authenticate(secret) is None
    for garbage in ["", None, "tc_", "Bearer", secret[:-1], "x" * 1000]:
        assert authenticate(garbage) is None


@pytest.mark.django_db
def test_the_page_shows_a_new_secret_once_and_revokes(login, ward_leader):
    client = login("dong.giangbien")
    page = client.get("/account/tokens/")
    assert page.status_code == 200
    assert "Bạn chưa có mã truy cập nào." in page.content.decode()
    created = client.post("/account/tokens/", {"name": "Bảng tính tổng hợp"})
    assert created.status_code == 200
    assert "no-store" in created["Cache-Control"]
    token = ApiToken.objects.get(user=ward_leader)
    html = created.content.decode()
    secret = html.split('class="secret"')[0].rsplit('value="', 1)[1].split('"')[0]
    assert secret.startswith(token.prefix)
    assert authenticate(secret) == ward_leader
    again = client.get("/account/tokens/").content.decode()
    assert secret not in again and token.prefix in again and "Bảng tính tổng hợp" in again
    revoked = client.post(f"/account/tokens/{token.pk}/revoke/", follow=True)
    assert "Đã thu hồi mã" in revoked.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert authenticate(secret) is None


@pytest.mark.django_db
def test_a_name_is_required_and_others_tokens_cannot_be_revoked(login, ward_leader):
    client = login("dong.giangbien")
    refused = client.post("/account/tokens/", {"name": "   "})
    assert "Hãy đặt tên gợi nhớ" in refused.content.decode()
    assert not ApiToken.objects.filter(user=ward_leader).exists()
    too_long = client.post("/account/tokens/", {"name": "x" * 101})
    assert "dài quá 100 ký tự" in too_long.content.decode()
    theirs, _secret = create_token(User.objects.get(username="lanhdao.phucloi"), "x", actor=None)
    assert client.post(f"/account/tokens/{theirs.pk}/revoke/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None
    assert client.get(f"/account/tokens/{theirs.pk}/revoke/").status_code == 405


@pytest.mark.django_db
def test_the_page_needs_a_login(client):
    response = client.get("/account/tokens/")
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.django_db
def test_create_token_command_prints_a_working_token():
    out = io.StringIO()
    call_command("create_token", "admin", "--name", "Sao lưu hằng đêm", stdout=out)
    secret = out.getvalue().strip()
    assert "\n" not in secret and secret.startswith("tc_")
    admin = User.objects.get(username="admin")
    assert authenticate(secret) == admin
    token = ApiToken.objects.get(user=admin)
    assert token.name == "Sao lưu hằng đêm"
    event = AuditEvent.objects.get(object_type="accounts.apitoken", object_id=str(token.pk))
    assert (event.channel, event.actor) == ("cli", None)
    assert api_get(secret).status_code == 200


@pytest.mark.django_db
def test_create_token_command_refuses_an_unknown_user():
    with pytest.raises(CommandError, match="Không có người dùng 'khong-co'."):
        call_command("create_token", "khong-co", stdout=io.StringIO())
