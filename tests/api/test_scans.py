"""Scans through the API (API.md "Scans"): POST starts a scan of a product's repository (202 {id, status}),
GET /api/v1/scans/{id} gives the scan with its findings; errors have the API's one shape."""

import pytest

from os2hub.products.models import Group, GroupMember, Product, Repository
from os2hub.scanner.checks import CHECKS
from os2hub.scans.models import Scan

from .test_governance import Api

pytestmark = pytest.mark.django_db

URL = "https://github.com/OS2/os2eksempel"
BASE = "/api/v1/products/os2eksempel/scans"


@pytest.fixture
def product(people):
    p = Product.objects.create(
        name="OS2eksempel", slug="os2eksempel", summary="x", status="product", coordinator=people.authority_admin
    )
    steering = Group.objects.create(product=p, kind="steering_group", name="Styregruppen")
    GroupMember.objects.create(group=steering, user=people.authority2_admin)
    Repository.objects.create(product=p, url=URL)
    return p


def post(client, user, data=None, capture=None):
    api = Api(client, user)
    with capture(execute=True):
        response = api.post(BASE, data)
    return response


def test_start_a_scan_and_read_it(client, people, product, scan_sources, django_capture_on_commit_callbacks):
    scan_sources.add(URL)
    response = post(client, people.authority_admin, capture=django_capture_on_commit_callbacks)
    assert response.status_code == 202
    body = response.json()
    assert set(body) == {"id", "status"} and body["status"] in ("queued", "running", "done", "failed")
    scan = Scan.objects.get(pk=body["id"])
    assert scan.status == "done"

    result = client.get(f"/api/v1/scans/{body['id']}")  # public, no token
    assert result.status_code == 200
    data = result.json()
    assert {"id", "status", "repository", "commit", "started_at", "finished_at", "findings"} <= set(data)
    assert data["repository"] == URL and data["commit"] == scan.commit and data["status"] == "done"
    assert [f["check"] for f in data["findings"]] == list(CHECKS)
    for finding in data["findings"]:
        assert finding["outcome"] in ("pass", "fail", "not_applicable", "error")
        assert finding["criteria"] == list(CHECKS[finding["check"]][0])
        assert finding["message"]
        assert isinstance(finding["details"], dict)
        for e in finding["evidence"]:
            assert e["url"].startswith(f"{URL}/blob/{scan.commit}/{e['path']}")
    readme = next(f for f in data["findings"] if f["check"] == "readme")
    assert readme["outcome"] == "pass" and readme["evidence"][0]["path"] == "README.md"
    listed = client.get(BASE).json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == body["id"]


def test_a_named_repository_is_scanned(client, people, product, scan_sources, django_capture_on_commit_callbacks):
    other = "https://gitlab.com/os2/andet"
    Repository.objects.create(product=product, url=other, position=1)
    scan_sources.add(other)
    response = post(client, people.authority2_admin, {"repository": other}, django_capture_on_commit_callbacks)
    assert response.status_code == 202
    assert Scan.objects.get(pk=response.json()["id"]).repository_url == other


def test_a_failed_scan_gives_its_reason(client, people, product, scan_sources, django_capture_on_commit_callbacks):
    response = post(client, people.authority_admin, capture=django_capture_on_commit_callbacks)  # not registered
    data = client.get(f"/api/v1/scans/{response.json()['id']}").json()
    assert data["status"] == "failed" and "could not be fetched" in data["error"] and data["findings"] == []
    assert data["commit"] is None


def test_errors(client, people, product, scan_sources, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    assert client.post(BASE, {}, content_type="application/json").status_code == 401
    assert post(client, people.outsider, capture=capture).status_code == 404
    assert post(client, people.supplier_admin, capture=capture).status_code == 404
    assert Api(client, people.authority_admin).post("/api/v1/products/findes-ikke/scans").status_code == 404
    wrong = post(client, people.authority_admin, {"repository": "https://github.com/andre/x"}, capture)
    assert wrong.status_code == 400 and wrong.json()["errors"][0]["field"] == "repository"
    too_long = post(client, people.authority_admin, {"repository": "https://github.com/" + "x" * 400}, capture)
    assert too_long.status_code == 422
    Scan.objects.create(product=product, repository=product.repositories.get(), repository_url=URL)
    busy = post(client, people.authority_admin, capture=capture)
    assert busy.status_code == 409 and busy.json()["detail"]
    product.repositories.all().delete()
    none = post(client, people.authority_admin, capture=capture)
    assert none.status_code == 400
    assert client.get("/api/v1/scans/999999").status_code == 404
    assert Scan.objects.count() == 1


def test_reading_a_scan_takes_three_queries_whatever_it_found(client, people, product, scan_sources,
                                                                    django_capture_on_commit_callbacks,
                                                                    django_assert_num_queries):  # fmt: skip
    scan_sources.add(URL)
    first = post(client, people.authority_admin, capture=django_capture_on_commit_callbacks).json()["id"]
    with django_assert_num_queries(3):  # the existence check, the scan with its product, the findings
        client.get(f"/api/v1/scans/{first}")
