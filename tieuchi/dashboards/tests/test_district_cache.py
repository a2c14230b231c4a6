"""The district board is cached (dashboards/page_cache.py): a new evaluation, a register change or
another reader's scope must never show a stale or foreign board."""

import datetime as dt
import re
from decimal import Decimal

import pytest

from tieuchi.catalog.models import Catalog
from tieuchi.collection.models import Observation
from tieuchi.evaluation.models import EvaluationRun, NodeResult
from tieuchi.evaluation.services import evaluate_unit
from tieuchi.orgs.models import AdminUnit, Membership

AS_OF = dt.date(2023, 11, 30)


def unit(code: str) -> AdminUnit:
    return AdminUnit.objects.filter(official_code=code).order_by("-valid_from").first()


def url(code: str = "004") -> str:
    return f"/dashboards/district/{unit(code).pk}/"


def shown_verdicts(html: str, ward: AdminUnit) -> dict[str, str]:
    """criterion code -> verdict of the ward's row of the heat map, read from the HTML."""
    cells = re.findall(
        rf'<a class="verdict-(\w+)" href="/evaluation/units/{ward.pk}/\?[^"#]*#criterion-(\w+)"',
        html,
    )
    return {code: verdict for verdict, code in cells}


def ward_rows(html: str) -> list[str]:
    return re.findall(r'<tr id="ward-(\d+)">', html)


def from_cache(response) -> bool:
    """The board was not built for this response: it came from the cache."""
    return "board" not in response.context


@pytest.mark.django_db
def test_a_re_evaluation_after_a_figure_changed_shows_on_the_next_request(login):
    client, ward = login("kiemtra.longbien"), unit("00121")
    first = client.get(url())
    again = client.get(url())
    assert not from_cache(first) and from_cache(again)
    before = shown_verdicts(again.content.decode(), ward)
    assert len(before) == 9

    # Every ratio of the ward drops to zero, then the ward is evaluated again.
    changed = Observation.objects.filter(unit=ward, numerator__isnull=False, denominator__gt=0)
    assert changed.update(numerator=Decimal(0))
    catalog = Catalog.objects.get(key="qd04-2022")
    run = evaluate_unit(ward, catalog, AS_OF, trigger=EvaluationRun.Trigger.VALUE_CHANGE)

    response = client.get(url())
    assert not from_cache(response)
    after = shown_verdicts(response.content.decode(), ward)
    stored = dict(NodeResult.objects.filter(run=run, depth=0).values_list("code", "verdict"))
    assert after == stored
    assert after != before


@pytest.mark.parametrize(
    ("first", "second"),
    [("kiemtra.longbien", "dong.giangbien"), ("dong.giangbien", "kiemtra.longbien")],
)
@pytest.mark.django_db
def test_readers_with_other_scopes_never_get_each_others_board(login, first, second):
    expected = {"kiemtra.longbien": 14, "dong.giangbien": 1}
    for username in (first, second, first, second):
        response = login(username).get(url())
        html = response.content.decode()
        assert len(ward_rows(html)) == expected[username], username
        if username == "dong.giangbien":
            assert ward_rows(html) == [str(unit("00121").pk)]
            assert "Phúc Lợi" not in html


@pytest.mark.django_db
def test_readers_with_the_same_scope_share_one_board(login, django_user_model):
    colleague = django_user_model.objects.create_user("kiemtra2.longbien", password="x")
    for membership in Membership.objects.filter(user__username="kiemtra.longbien"):
        Membership.objects.create(user=colleague, unit=membership.unit, role=membership.role)
    assert not from_cache(login("kiemtra.longbien").get(url()))
    client = login("kiemtra.longbien")
    client.force_login(colleague)
    assert from_cache(client.get(url()))


@pytest.mark.django_db
def test_a_membership_ended_behind_the_services_back_ends_access_to_the_cached_board(login):
    client = login("kiemtra.longbien")
    assert client.get(url()).status_code == 200
    ended = Membership.objects.filter(user__username="kiemtra.longbien")
    assert ended.update(valid_to=dt.date(2020, 1, 1))  # a bulk update: no signal
    assert client.get(url()).status_code == 404


@pytest.mark.django_db
def test_a_renamed_ward_shows_its_new_name_at_once(login):
    client = login("kiemtra.longbien")
    assert "Giang Biên" in client.get(url()).content.decode()
    ward = unit("00121")
    ward.name = "Giang Biên Mới"
    ward.save()
    response = client.get(url())
    assert not from_cache(response)
    assert f'href="/dashboards/ward/{ward.pk}/">Giang Biên Mới</a>' in response.content.decode()


@pytest.mark.django_db
def test_another_day_or_language_is_another_board(login):
    client = login("kiemtra.longbien")
    client.get(url())
    assert not from_cache(client.get(url(), {"as_of": "2023-06-30"}))
    client.cookies["django_language"] = "en"
    assert not from_cache(client.get(url()))
    assert from_cache(client.get(url()))
