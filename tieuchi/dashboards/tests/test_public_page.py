"""The public page: opt-in per ward, anonymous, read-only, nothing personal, cacheable."""

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from tieuchi.accounts.models import AuditEvent, User
from tieuchi.core.formatting import vn_number
from tieuchi.dashboards.models import Publication
from tieuchi.dashboards.services import publish, unpublish
from tieuchi.evaluation.queries_scorecard import current_run, default_catalog
from tieuchi.orgs.models import AdminUnit, Person

pytestmark = pytest.mark.django_db
PUBLIC = "/public/00121/"


@pytest.fixture
def ward():
    return AdminUnit.objects.get(official_code="00121")


@pytest.fixture
def run(ward):
    return current_run(ward, default_catalog(ward.unit_type))


def _leader():
    return User.objects.get(username="dong.giangbien")


def test_the_ward_page_is_404_until_published_and_after_unpublishing(ward, run):
    anonymous = Client()
    assert anonymous.get(PUBLIC).status_code == 404
    publish(ward, run, actor=_leader())
    assert anonymous.get(PUBLIC).status_code == 200
    unpublish(ward, actor=_leader())
    assert anonymous.get(PUBLIC).status_code == 404


def test_the_leader_publishes_from_the_publication_page(login, ward, run):
    client = login("dong.giangbien")
    url = reverse("dashboards:publication", kwargs={"unit_id": ward.pk})
    assert "Chưa công khai" in client.get(url).content.decode()
    response = client.post(url, {"action": "publish", "note": "Theo Nghị quyết HĐND"}, follow=True)
    assert "Đã công khai kết quả" in response.content.decode()
    publication = Publication.objects.get(unit=ward)
    assert publication.is_public and publication.published_run == run
    event = AuditEvent.objects.filter(action="publish", object_id=str(publication.pk)).get()
    assert event.actor.username == "dong.giangbien"
    assert event.before["is_public"] is False and event.after["run"] == run.pk
    client.post(url, {"action": "unpublish"})
    assert not Publication.objects.get(unit=ward).is_public
    assert AuditEvent.objects.filter(action="unpublish", object_id=str(publication.pk)).count() == 1


@pytest.mark.parametrize("username", ["canbo.giangbien", "xem.giangbien", "kiemtra.longbien"])
def test_only_the_ward_leader_may_publish(login, ward, run, username):
    url = reverse("dashboards:publication", kwargs={"unit_id": ward.pk})
    client = login(username)
    assert "Chỉ lãnh đạo phường" in client.get(url).content.decode()
    assert client.post(url, {"action": "publish"}).status_code == 403
    assert not Publication.objects.filter(unit=ward, is_public=True).exists()
    with pytest.raises(PermissionDenied):
        publish(ward, run, actor=User.objects.get(username=username))


def test_another_wards_leader_cannot_see_the_publication_page(login, ward):
    url = reverse("dashboards:publication", kwargs={"unit_id": ward.pk})
    assert login("lanhdao.phucloi").get(url).status_code == 404


def test_the_page_shows_the_published_result_and_nothing_personal(ward, run):
    publish(ward, run, actor=_leader(), note="Ghi chú nội bộ của Đ/c Đông")
    response = Client().get(PUBLIC)
    page = response.content.decode()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
    criteria = run.result["children"]
    assert len(criteria) == 9
    for criterion in criteria:
        assert f"Tiêu chí {criterion['code']}. {criterion['name']}" in text
        for item in criterion["children"]:
            assert f"{item['code']}. " in text
    # A ratio's figure is shown as its percentage, in Vietnamese format.
    item = next(c for c in criteria[7]["children"] if c["code"] == "8.4")
    percent = item["measures"][1]["figures"]["value"]
    assert f"{vn_number(percent, 2)}%" in text
    assert run.as_of.strftime("%d/%m/%Y") in text
    people = [(u.username, u.full_name) for u in User.objects.all()]
    people += [(p.short_name, p.full_name) for p in Person.objects.all()]
    for username, name in people:
        assert username not in page
        assert not name or name not in page, name
    for private in ("Ghi chú nội bộ", "minh chứng", "csrfmiddlewaretoken", "Tổ dân phố số"):
        assert private not in page
    assert "Đăng xuất" not in page


def test_the_page_is_cacheable_and_anonymous(ward, run):
    publish(ward, run, actor=_leader())
    for url in ("/public/", PUBLIC):
        response = Client().get(url)
        assert response.status_code == 200
        assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]
        assert "Set-Cookie" not in response.headers
    listing = Client().get("/public/").content.decode()
    assert f'href="{PUBLIC}"' in listing and ward.name in listing


def test_the_list_shows_only_published_wards(ward, run):
    phuc_loi = AdminUnit.objects.get(official_code="00136")
    publish(ward, run, actor=_leader())
    listing = Client().get("/public/").content.decode()
    assert "/public/00136/" not in listing and phuc_loi.name not in listing


def test_fixed_query_count_whatever_the_number_of_published_wards(
    ward, run, django_assert_num_queries
):
    admin = User.objects.get(username="admin")
    publish(ward, run, actor=admin)
    with django_assert_num_queries(1):
        Client().get(PUBLIC)
    with django_assert_num_queries(1):
        Client().get("/public/")
    for other in AdminUnit.objects.filter(parent__official_code="004").exclude(pk=ward.pk):
        other_run = current_run(other, default_catalog(other.unit_type))
        if other_run:
            publish(other, other_run, actor=admin)
    assert Publication.objects.filter(is_public=True).count() > 5
    with django_assert_num_queries(1):
        page = Client().get("/public/").content.decode()
    assert page.count('class="card"') == Publication.objects.filter(is_public=True).count()


def test_a_run_of_another_unit_cannot_be_published(ward):
    other = AdminUnit.objects.get(official_code="00136")
    other_run = current_run(other, default_catalog(other.unit_type))
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        publish(ward, other_run, actor=User.objects.get(username="admin"))
