"""The SVG logo check reads all of a <style>: the text after a child element (which ElementTree keeps in the
child's tail), after a comment or in a CDATA section, in upper case or spelled with escapes. A style holds CSS
and nothing else."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from os2hub.accounts.services import api_token_issue
from os2hub.suppliers.models import SupplierApplication
from os2hub.suppliers.uploads import check_svg

from .files import svg_upload
from .test_partnership import complete

EVIL = "https://evil.example"


def svg(body: str) -> bytes:
    start = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
    return f'{start}{body}<rect width="10" height="10"/></svg>'.encode()


HOSTILE = {
    # The defect: the text after a child of <style> is that child's tail.
    "child-then-import": svg(f"<style><tspan/>@import url({EVIL}/a.css);</style>"),
    "child-then-url": svg(f"<style>a{{}}<tspan/>rect{{fill:url({EVIL}/p)}}</style>"),
    "title-child-then-url": svg(f"<style><title>x</title>rect{{fill:url({EVIL}/p)}}</style>"),
    "nested-children-then-url": svg(f"<style>a{{}}<g><tspan/>b{{}}</g>rect{{fill:url({EVIL}/p)}}</style>"),
    "url-inside-a-child": svg(f"<style><tspan>rect{{fill:url({EVIL}/p)}}</tspan></style>"),
    "a-child-alone": svg("<style>rect{fill:#036}<tspan/></style>"),
    "comment-then-url": svg(f"<style>a{{}}<!-- x -->rect{{fill:url({EVIL}/p)}}</style>"),
    "comment-then-cdata-then-url": svg(f"<style>a{{}}<!-- x --><![CDATA[ ]]>rect{{fill:url({EVIL}/p)}}</style>"),
    "cdata-url": svg(f"<style><![CDATA[rect{{fill:url({EVIL}/p)}}]]></style>"),
    "import": svg(f'<style>@import "{EVIL}/a.css";</style>'),
    "import-after-cdata": svg(f'<style><![CDATA[a{{}}]]>@import "{EVIL}/a.css";</style>'),
    "font-face": svg(f"<style>@font-face{{font-family:x;src:url({EVIL}/f.woff)}}</style>"),
    "uppercase-url": svg(f"<style>rect{{fill:URL({EVIL}/p)}}</style>"),
    "mixed-case-url-with-space": svg(f"<style>rect{{fill:Url ( '{EVIL}/p' )}}</style>"),
    "css-escape-url": svg(f"<style>rect{{fill:\\75 rl({EVIL}/p)}}</style>"),
    "css-escape-import": svg(f'<style>@\\69mport "{EVIL}/a.css";</style>'),
    "xml-reference-url": svg(f"<style>rect{{fill:&#117;rl({EVIL}/p)}}</style>"),
    "xml-reference-url-after-child": svg(f"<style><tspan/>rect{{fill:&#x55;RL({EVIL}/p)}}</style>"),
    "relative-url": svg("<style>rect{fill:url(/media/x.svg)}</style>"),
    "scheme-relative-url": svg("<style>rect{fill:url(//evil.example/p)}</style>"),
    "image-set": svg(f'<style>rect{{fill:image-set("{EVIL}/p" 1x)}}</style>'),
    # The same in style attributes.
    "attribute-uppercase-url": svg(f'<g style="fill:URL({EVIL}/p)"/>'),
    "attribute-css-escape-url": svg(f'<g style="fill:\\75 rl({EVIL}/p)"/>'),
    "attribute-xml-reference-url": svg(f'<g style="fill:&#117;rl({EVIL}/p)"/>'),
    "attribute-import": svg(f'<g style="@import url({EVIL}/a.css)"/>'),
}

CLEAN = {
    "local-gradient-in-style": svg(
        '<defs><linearGradient id="g"><stop offset="0" stop-color="#036"/></linearGradient></defs>'
        "<style>rect{fill:url(#g)}</style>"
    ),
    "plain-style-with-cdata-and-comment": svg("<style><![CDATA[rect{fill:#036}]]><!-- farve --></style>"),
    "local-gradient-in-attribute": svg('<g style="fill:url(#g)"/>'),
}


# --- The checker --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("data", HOSTILE.values(), ids=HOSTILE.keys())
def test_the_checker_refuses_css_that_could_load_something(data):
    with pytest.raises(ValidationError):
        check_svg(svg_upload(data))


@pytest.mark.parametrize("data", CLEAN.values(), ids=CLEAN.keys())
def test_the_checker_accepts_local_references_and_plain_css(data):
    assert check_svg(svg_upload(data)) == "svg"


def test_a_child_of_a_style_is_named_in_the_message():
    with pytest.raises(ValidationError) as refused:
        check_svg(svg_upload(HOSTILE["child-then-import"]))
    assert "<tspan>" in refused.value.messages[0]


# --- Through the API ----------------------------------------------------------------------------------------

URL = "/api/v1/supplier-applications"


@pytest.fixture
def draft(client, people):
    _token, raw = api_token_issue(user=people.new_supplier_admin, name="test")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    data = {"organisation_name": "Nyt Firma ApS", "cvr": "29403473", "website": "https://nyt-firma.example",
            "competences": ["software-development"], "core_competences": "Vi laver software."}  # fmt: skip
    response = client.post(URL, data, content_type="application/json", **headers)
    assert response.status_code == 201, response.content
    app_id = response.json()["id"]

    def upload(data: bytes):
        return client.post(f"{URL}/{app_id}/vector-logo", {"file": svg_upload(data)}, **headers)

    def vector_logo_url():
        return client.get(f"{URL}/{app_id}", **headers).json()["vector_logo_url"]

    return upload, vector_logo_url


@pytest.mark.parametrize("data", HOSTILE.values(), ids=HOSTILE.keys())
def test_the_api_refuses_the_logo(draft, data):
    upload, vector_logo_url = draft
    response = upload(data)
    assert response.status_code == 400, response.content
    assert [e["field"] for e in response.json()["errors"]] == ["file"]
    assert vector_logo_url() is None


@pytest.mark.parametrize("data", CLEAN.values(), ids=CLEAN.keys())
def test_the_api_accepts_a_clean_logo(draft, data):
    upload, vector_logo_url = draft
    assert upload(data).status_code == 200
    assert vector_logo_url().endswith("/logo.svg")


# --- Through the page ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["child-then-import", "child-then-url", "comment-then-url", "css-escape-url"])
def test_the_page_refuses_the_logo(people, login, name):
    applicant = login(people.new_supplier_admin)
    app = complete(applicant)
    response = applicant.post(reverse("suppliers:files"), {"vector_logo": svg_upload(HOSTILE[name])})
    assert response.status_code == 200
    assert response.context["form"].errors["vector_logo"]
    app.refresh_from_db()
    assert not app.vector_logo
    assert not SupplierApplication.objects.get(pk=app.pk).vector_logo
