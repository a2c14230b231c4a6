"""The read endpoints of /api/v1: shapes, pagination, and the same scope as the web pages."""

import json

import pytest
from django.core.serializers.json import DjangoJSONEncoder

from tieuchi.catalog.models import Catalog
from tieuchi.catalog.queries import catalog_dict
from tieuchi.collection.models import Observation
from tieuchi.evaluation.models import EvaluationRun
from tieuchi.orgs.models import AdminUnit
from tieuchi.plans.exports import plan_dict
from tieuchi.plans.models import Plan


def as_json(data):
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def codes(forest) -> list[str]:
    return [node["code"] for node in forest]


@pytest.mark.django_db
def test_without_a_token_every_endpoint_answers_401_in_json(api):
    anonymous = api(None)
    for path in ["/units", "/catalogs", "/catalogs/qd04-2022", "/plans", "/values", "/results"]:
        response = anonymous.get(path)
        assert response.status_code == 401, path
        assert response["Content-Type"].startswith("application/json")
        assert response["WWW-Authenticate"].startswith("Bearer")
        error = response.json()["error"]
        assert error["code"] == "unauthorized"
        assert "Authorization: Bearer" in error["message"]
    response = anonymous.post("/values", {"values": []})
    assert response.status_code == 401


@pytest.mark.django_db
def test_an_unknown_token_is_401_and_a_session_is_not_enough(api, login):
    response = api(None).get("/units", headers={"authorization": "Bearer tc_not-a-real-token"})
    assert response.status_code == 401
    assert response.json()["error"] == {
        "code": "unauthorized",
        "message": "Mã truy cập API không hợp lệ hoặc đã bị thu hồi.",
        "field": None,
    }
    # Logged in on the web, without a token: the API still needs the token.
    assert login("dong.giangbien").get("/api/v1/units").status_code == 401


@pytest.mark.django_db
def test_units_are_the_callers_tree_on_a_date(api):
    ward = api("dong.giangbien").get("/units", {"as_of": "2023-06-01"}).json()
    assert ward["as_of"] == "2023-06-01"
    assert codes(ward["units"]) == ["00121"]
    assert len(ward["units"][0]["children"]) == 20
    assert ward["units"][0]["children"][0] == {
        "code": "00121-TDP01",
        "name": "Tổ dân phố số 1",
        "unit_type": "to_dan_pho",
        "level": "residential_group",
        "type_label": "Tổ dân phố",
        "children": [],
    }
    tdp = api("tdp01.giangbien").get("/units", {"as_of": "2023-06-01"}).json()
    assert codes(tdp["units"]) == ["00121-TDP01"] and tdp["units"][0]["children"] == []
    admin = api("admin").get("/units", {"as_of": "2023-06-01"}).json()
    assert codes(admin["units"]) == ["01"]
    assert api("admin").get("/units", {"as_of": "2025-07-01"}).json()["units"][0]["children"] == []


@pytest.mark.django_db
def test_a_bad_date_is_a_validation_error_in_vietnamese(api):
    response = api("dong.giangbien").get("/units", {"as_of": "2023-13-01"})
    assert response.status_code == 422
    assert response.json() == {
        "error": {
            "code": "validation_error",
            "message": "Ngày không hợp lệ; dùng dạng YYYY-MM-DD.",
            "field": "as_of",
        }
    }


@pytest.mark.django_db
def test_catalogs_are_listed_with_pagination_and_read_like_the_export(api):
    client = api("tdp01.giangbien")
    listing = client.get("/catalogs").json()
    assert (listing["count"], listing["page"], listing["page_size"]) == (2, 1, 50)
    assert [item["key"] for item in listing["items"]] == ["ctr02-longbien-2020-2025", "qd04-2022"]
    assert listing["items"][1]["legal_document"] == "04/2022/QĐ-TTg"
    second = client.get("/catalogs", {"page": 2, "page_size": 1}).json()
    assert (second["count"], [i["key"] for i in second["items"]]) == (2, ["qd04-2022"])
    assert client.get("/catalogs", {"page": 3, "page_size": 1}).json()["items"] == []
    detail = client.get("/catalogs/qd04-2022").json()
    assert detail == as_json(catalog_dict(Catalog.objects.get(key="qd04-2022")))
    leaf = detail["children"][5]["children"][0]
    assert leaf["code"] == "6.1" and leaf["thresholds"][0]["value"] == 90
    assert "short_name" not in detail["children"][0]  # absent keys stay absent, never null


@pytest.mark.django_db
def test_unknown_catalog_and_page_size_limits(api):
    client = api("dong.giangbien")
    response = client.get("/catalogs/khong-co")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert "khong-co" in response.json()["error"]["message"]
    too_big = client.get("/catalogs", {"page_size": 1000})
    assert too_big.status_code == 422
    assert too_big.json()["error"] == {
        "code": "validation_error",
        "message": "Phải nhỏ hơn hoặc bằng 200.",
        "field": "page_size",
    }
    assert client.get("/catalogs", {"page": 0}).json()["error"]["field"] == "page"


@pytest.mark.django_db
def test_plans_are_scoped_like_the_plan_pages(api):
    ward = api("dong.giangbien")
    listing = ward.get("/plans").json()
    assert listing["count"] == 1
    assert listing["items"][0] == {
        "key": "giang-bien-2023",
        "name": Plan.objects.get(key="giang-bien-2023").name,
        "document": "68/KH-UBND",
        "issued_on": "2023-02-08",
        "unit": "00121",
        "catalog": "qd04-2022",
        "period": {"start": "2023-01-01", "end": "2023-12-31"},
    }
    detail = ward.get("/plans/giang-bien-2023").json()
    assert detail == as_json(plan_dict(Plan.objects.get(key="giang-bien-2023")))
    assert len(detail["rows"]) == 52
    other_ward = api("lanhdao.phucloi")
    assert other_ward.get("/plans").json()["count"] == 0
    hidden = other_ward.get("/plans/giang-bien-2023")
    unknown = other_ward.get("/plans/khong-co")
    assert (hidden.status_code, unknown.status_code) == (404, 404)
    assert hidden.json()["error"]["code"] == unknown.json()["error"]["code"] == "not_found"


@pytest.mark.django_db
def test_values_are_paginated_and_filtered(api):
    client = api("dong.giangbien")
    ward = AdminUnit.objects.get(official_code="00121")
    first = client.get("/values", {"unit": "00121", "period": "2023", "page_size": 10}).json()
    expected = Observation.objects.filter(unit=ward, period="2023").count()
    assert first["count"] == expected and len(first["items"]) == 10
    value = next(
        item
        for page in range(1, expected // 10 + 2)
        for item in client.get(
            "/values", {"unit": "00121", "period": "2023", "page": page, "page_size": 10}
        ).json()["items"]
        if item["measure"] == "7.2"
    )
    stored = Observation.objects.get(unit=ward, period="2023", measure__code="7.2")
    assert value == {
        "id": stored.pk,
        "unit": "00121",
        "unit_name": "Giang Biên",
        "catalog": "qd04-2022",
        "catalog_version": "2022",
        "measure": "7.2",
        "measure_name": stored.measure.name,
        "kind": "ratio",
        "period": "2023",
        "numerator": 19,
        "denominator": 20,
        "value": None,
        "boolean": None,
        "level": "",
        "percent": 95,
        "status": "approved",
        "version": stored.version,
        "source": "Số liệu minh họa (demo)",
        "entered_by": "canbo.giangbien",
        "entered_at": value["entered_at"],
        "approved_at": None,
    }
    below = client.get("/values", {"unit": "00121", "subtree": "true", "page_size": 1}).json()
    in_subtree = Observation.objects.filter(unit__path__startswith=ward.path).count()
    assert below["count"] == in_subtree > first["count"]
    only_measure = client.get("/values", {"unit": "00121-TDP05", "measure": "6.1"}).json()
    assert [item["measure"] for item in only_measure["items"]] == ["6.1"]
    by_catalog = client.get("/values", {"catalog": "ctr02-longbien-2020-2025"}).json()
    assert by_catalog["count"] == 0
    submitted = client.get("/values", {"unit": "00121", "status": "submitted"}).json()
    assert [item["measure"] for item in submitted["items"]] == ["1.5"]


@pytest.mark.django_db
def test_a_ward_cannot_read_another_wards_values_or_results(api):
    other_ward = api("lanhdao.phucloi")
    for path in ["/values", "/results"]:
        hidden = other_ward.get(path, {"unit": "00121"})
        unknown = other_ward.get(path, {"unit": "99999"})
        assert hidden.status_code == unknown.status_code == 404, path
        assert hidden.json()["error"]["code"] == "not_found"
        assert hidden.json()["error"]["field"] == "unit"
    everything = other_ward.get("/values", {"page_size": 200}).json()
    assert everything["count"] == Observation.objects.filter(unit__official_code="00136").count()
    assert {item["unit"] for item in everything["items"]} == {"00136"}
    results = other_ward.get("/results").json()
    assert {item["unit"] for item in results["items"]} == {"00136"}
    # A TDP head sees the TDP only, not the ward above it nor the TDP next door.
    tdp = api("tdp01.giangbien")
    assert tdp.get("/values", {"unit": "00121"}).status_code == 404
    assert tdp.get("/values", {"unit": "00121-TDP02"}).status_code == 404
    assert {i["unit"] for i in tdp.get("/values", {"page_size": 200}).json()["items"]} == {
        "00121-TDP01"
    }


@pytest.mark.django_db
def test_results_are_the_current_runs_with_their_verdict_tree(api):
    client = api("dong.giangbien")
    response = client.get("/results", {"unit": "00121", "catalog": "qd04-2022"}).json()
    runs = EvaluationRun.objects.filter(unit__official_code="00121", is_current=True)
    assert response["count"] == runs.count() == 2
    latest = response["items"][0]
    run = runs.order_by("-as_of").first()
    assert latest["id"] == run.pk
    assert (latest["as_of"], latest["verdict"], latest["catalog"]) == (
        run.as_of.isoformat(),
        run.verdict,
        "qd04-2022",
    )
    assert latest["round"] == {"number": run.round.number, "name": run.round.name}
    assert latest["result"]["code"] == "00121"
    assert len(latest["result"]["children"]) == 9
    assert "inputs" not in latest
    admin = api("admin").get("/results", {"unit": "004", "subtree": "true"}).json()
    assert admin["count"] == EvaluationRun.objects.filter(is_current=True).count()


@pytest.mark.django_db
def test_errors_for_unknown_paths_are_json_too(api):
    response = api("dong.giangbien").get("/khong-co")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


@pytest.mark.django_db
def test_the_openapi_schema_is_public_and_the_docs_need_a_login(client, login):
    schema = client.get("/api/v1/openapi.json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert {
        "/api/v1/units",
        "/api/v1/catalogs",
        "/api/v1/catalogs/{key}",
        "/api/v1/plans",
        "/api/v1/plans/{key}",
        "/api/v1/values",
        "/api/v1/results",
    } <= set(paths)
    assert schema.json()["components"]["securitySchemes"] == {
        "ApiTokenAuth": {"type": "http", "scheme": "bearer"}
    }
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 302 and "/login/" in docs["Location"]
    page = login("tdp01.giangbien").get("/api/v1/docs")
    assert page.status_code == 200
    html = page.content.decode()
    assert "/api/v1/docs/assets/swagger-ui-bundle.js" in html and "cdn" not in html
    asset = client.get("/api/v1/docs/assets/swagger-ui-bundle.js")
    assert asset.status_code == 200 and asset["Content-Type"] == "text/javascript"
    assert client.get("/api/v1/docs/assets/settings.py").status_code == 404
