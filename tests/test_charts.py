"""Charts: the geometry of core.charts on its own (clamping, division by zero, rounding), the components rendering
it as accessible SVG with its text alternative, and the pages that show them with the numbers of their data:
funding on the development list and board, level and theme progress in governance, adoption over the years on the
product page and the commits per organisation in a scan."""

import re
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from os2hub.accounts.models import Organisation
from os2hub.core import charts
from os2hub.development import services as development
from os2hub.products.models import Adoption
from os2hub.scans import services as scans
from os2hub.scans.models import Finding, Scan

from .scan_sources import run_git
from .test_development_pages import World
from .test_governance import import_example, make_product

CPH = ZoneInfo("Europe/Copenhagen")


def svg_attributes(html: str) -> list[str]:
    """Every attribute value inside the page's <svg> elements."""
    return [value for svg in re.findall(r"<svg.*?</svg>", html, re.S) for value in re.findall(r'="([^"]*)"', svg)]


# --- Geometry ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "total", "percent", "width", "complete", "over"),
    [
        (Decimal("2500.00"), Decimal("10000.00"), 25.0, "25", False, False),
        (1, 3, 100 / 3, "33.33", False, False),
        (0, 10, 0.0, "0", False, False),
        (-5, 10, 0.0, "0", False, False),  # a negative value counts as nothing
        (10, 10, 100.0, "100", True, False),
        (15, 10, 100.0, "100", True, True),  # over the total: the bar is full, and says so
        (5, 0, 0.0, "0", False, False),  # no total: an empty bar, no division by zero
        (None, None, 0.0, "0", False, False),
        ("NaN", "Infinity", 0.0, "0", False, False),
        ("abc", 10, 0.0, "0", False, False),
    ],
)
def test_a_progress_bar_is_clamped_to_its_track(value, total, percent, width, complete, over):
    bar = charts.progress(value, total)
    assert bar.percent == pytest.approx(percent)
    assert (bar.width, bar.complete, bar.over) == (width, complete, over)


def test_a_progress_bar_keeps_the_true_share_for_its_text():
    assert charts.progress(15, 10).percent_text == "150"
    assert charts.progress(1, 3).percent_text == "33"
    assert charts.progress(3, 0).percent_text == "0"


def test_segments_follow_each_other_and_end_at_the_full_width():
    bar = charts.segments([("a", 1), ("b", 1), ("c", 1)])
    xs = [float(s.x) for s in bar.segments]
    ends = [float(s.x) + float(s.width) for s in bar.segments]
    assert xs == [0, 33.33, 66.67]
    assert xs[1:] == pytest.approx(ends[:-1]) and ends[-1] == pytest.approx(100)  # no gaps, no overlap
    assert [s.percent_text for s in bar.segments] == ["33", "33", "33"]
    assert [s.fill for s in bar.segments] == [1, 2, 3]


def test_segments_of_nothing_are_an_empty_bar_and_negative_parts_count_as_nothing():
    empty = charts.segments([("a", 0), ("b", 0)])
    assert empty.total == 0 and empty.visible == [] and [s.width for s in empty.segments] == ["0", "0"]
    mixed = charts.segments([("a", -4), ("b", 2)])
    assert [(s.label, s.width) for s in mixed.visible] == [("b", "100")]
    assert charts.segments([]).segments == []


def test_the_largest_parts_are_kept_and_the_rest_summed():
    pairs = [("d.dk", 1), ("a.dk", 10), ("b.dk", 5), ("c.dk", 5)]
    assert charts.top_with_rest(pairs, keep=2, rest_label="andre") == [("a.dk", 10), ("b.dk", 5), ("andre", 6)]
    # With a total the rest is what the listed ones do not account for; none is left out when it is 0.
    assert charts.top_with_rest([("a.dk", 8)], keep=5, rest_label="andre", total=10) == [("a.dk", 8), ("andre", 2)]
    assert charts.top_with_rest([("a.dk", 8)], keep=5, rest_label="andre", total=8) == [("a.dk", 8)]


def test_counts_per_year_fill_the_gaps_and_run_a_total():
    dates = [date(2022, 3, 1), datetime(2022, 12, 31, 23, 0), date(2024, 6, 1), None]
    assert charts.counts_per_period(dates) == [("2022", 2, 2), ("2023", 0, 2), ("2024", 1, 3)]
    assert charts.counts_per_period(dates, until=date(2026, 1, 1))[-1] == ("2026", 0, 3)
    quarters = charts.counts_per_period([date(2025, 11, 1), date(2026, 2, 1)], period="quarter")
    assert quarters == [("2025 Q4", 1, 1), ("2026 Q1", 1, 2)]
    assert charts.counts_per_period([]) == []


def test_columns_are_as_tall_as_their_share_of_the_largest():
    chart = charts.columns([("2024", 2), ("2025", 4), ("2026", 0)], width=300, height=164)
    plot = 164 - 20 - 24  # the view box less the room for the values above and the labels below
    heights = [float(c.height) for c in chart.columns]
    assert heights == [plot / 2, plot, 0]
    assert [float(c.y) + float(c.height) for c in chart.columns] == [140, 140, 140]  # all stand on the axis
    assert chart.baseline == "140" and chart.view_box == "0 0 300 164"
    assert [c.text for c in chart.columns] == ["2", "4", "0"]
    many = charts.columns([(str(y), 1) for y in range(2000, 2020)], max_columns=10)
    assert [c.label for c in many.columns] == [str(y) for y in range(2010, 2020)]
    assert [c.height for c in charts.columns([("2026", 0)]).columns] == ["0"]


# --- Components --------------------------------------------------------------------------------------------


def test_the_progress_component_is_a_named_image_with_its_numbers_as_text():
    with translation.override("da"):
        html = render_to_string(
            "components/chart_progress.html",
            {"chart": charts.progress(Decimal("1234.5"), Decimal("10000")), "id": "bar-1", "caption": "1.234,50 kr."},
        )
    assert 'role="img" aria-labelledby="bar-1"' in html
    assert '<figcaption class="chart-caption" id="bar-1">1.234,50 kr.</figcaption>' in html
    assert 'width="12.35%"' in html  # a point, not the Danish comma, inside SVG
    assert "style=" not in html and "<script" not in html


def test_the_segments_component_has_a_legend_with_every_number_and_share():
    chart = charts.segments([("aarhus.dk", 30), ("netcompany.com", 60), ("Andre", 10)])
    with translation.override("en"):
        html = render_to_string(
            "components/chart_segments.html", {"chart": chart, "id": "shares", "caption": "Commits", "unit": "commits"}
        )
    assert 'role="img" aria-labelledby="shares" aria-describedby="shares-legend"' in html
    legend = re.sub(r"<svg.*?</svg>", "", html.split('id="shares-legend"')[1], flags=re.S)
    texts = [" ".join(t.split()) for t in re.findall(r"<span>(.*?)</span>", legend, re.S)]
    assert texts == ["aarhus.dk: 30 commits (30 %)", "netcompany.com: 60 commits (60 %)", "Andre: 10 commits (10 %)"]
    # The second part is hatched as well as coloured: meaning does not rest on colour alone.
    assert html.count('fill="url(#shares-hatch)"') == 2  # in the bar and in its legend swatch
    assert 'x="30%" y="0" width="60%"' in html
    assert "style=" not in html


def test_the_columns_component_has_a_table_of_its_numbers():
    rows = [("2025", 2, 2), ("2026", 1, 3)]
    chart = charts.columns([(label, total) for label, _new, total in rows])
    html = render_to_string(
        "components/chart_columns.html",
        {"chart": chart, "rows": rows, "id": "adopt", "caption": "Brugere", "period_heading": "År",
         "new_heading": "Nye", "total_heading": "I alt"},
    )  # fmt: skip
    assert 'role="img" aria-labelledby="adopt"' in html and 'viewBox="0 0 320 160"' in html
    cells = re.findall(r"<t[hd][^>]*>([^<]*)</t[hd]>", html.split("<table>")[1])
    assert cells == ["År", "Nye", "I alt", "2025", "2", "2", "2026", "1", "3"]


# --- Pages -------------------------------------------------------------------------------------------------


@pytest.fixture
def world(people):
    return World(people)


def pledge(world, request, amount):
    development.pledge_create(
        request=request, user=world.people.authority_admin, organisation=world.people.authority, amount=Decimal(amount)
    )
    request.refresh_from_db()
    return request


def test_the_list_and_the_board_show_what_is_pledged_of_the_price(world, client):
    request, _estimate = world.funding()
    quarter = (request.price_dkk / 4).quantize(Decimal("0.01"))
    pledge(world, request, quarter)
    share = charts.svg_number(float(quarter / request.price_dkk * 100))
    client.cookies["django_language"] = "en"
    listing = client.get("/development-requests/").content.decode()
    board = client.get("/products/os2mo/development-requests/board/").content.decode()
    for html, name in ((listing, f"funding-{request.pk}"), (board, f"card-funding-{request.pk}")):
        figure = html.split(f'aria-labelledby="{name}"')[1].split("</figure>")[0]
        assert f'class="chart-fill" x="0" y="0" width="{share}%"' in figure
        caption = re.search(rf'<figcaption class="chart-caption" id="{name}">([^<]*)</figcaption>', figure)
        amount = f"{quarter:,.2f}"
        price = f"{request.price_dkk:,.2f}"
        assert caption.group(1) == f"DKK\xa0{amount} of DKK\xa0{price} pledged"


def test_the_list_of_requests_being_funded_costs_the_same_queries_for_more(world, client, login,
                                                                        django_assert_max_num_queries):  # fmt: skip
    login(world.people.authority2_admin)
    pledge(world, world.funding()[0], "100")
    with CaptureQueriesContext(connection) as one:
        assert client.get("/development-requests/").status_code == 200
    for _n in range(5):
        pledge(world, world.funding()[0], "100")
    with django_assert_max_num_queries(len(one.captured_queries)):
        html = client.get("/development-requests/").content.decode()
    assert html.count('class="chart chart-progress chart-progress--small"') == 6


def test_the_level_page_and_the_self_assessment_show_progress_per_level_and_theme(login, people):
    product = make_product(people)
    client = login(people.authority_admin)
    import_example(client, product)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("governance:level", args=[product.slug]))
    html = page.content.decode()
    rows = [row for _name, row in page.context["progress"]]
    assert rows
    for row in rows:
        figure = html.split(f'aria-labelledby="level-progress-{row.level}"')[1].split("</figure>")[0]
        assert f'width="{charts.progress(row.met, row.required).width}%"' in figure or row.met == 0
        assert f">{row.met} of {row.required}" in figure

    page = client.get(reverse("governance:self_assessment", args=[product.slug]))
    html = page.content.decode()
    themes = page.context["progress"]
    assert len(themes) == 4
    for theme in themes:
        figure = html.split(f'aria-labelledby="theme-progress-{theme.key}"')[1].split("</figure>")[0]
        assert f'id="theme-progress-{theme.key}">{theme.answered} of {theme.total}</figcaption>' in figure
        if theme.answered:
            assert f'width="{charts.svg_number(theme.answered / theme.total * 100)}%"' in figure


def adopt(product, name, when):
    organisation = Organisation.objects.create(
        name=name, slug=name.lower().replace(" ", "-"), kind=Organisation.Kind.AUTHORITY
    )
    adoption = Adoption.objects.create(product=product, organisation=organisation)
    Adoption.objects.filter(pk=adoption.pk).update(created_at=when)


def test_the_product_page_shows_adoptions_per_year_without_more_queries(client, people,
                                                                      django_assert_max_num_queries):  # fmt: skip
    product = make_product(people)
    url = reverse("products:detail", args=[product.slug])
    this_year = date.today().year
    adopt(product, "Aarhus Kommune", datetime(this_year, 1, 2, 12, tzinfo=CPH))
    html = client.get(url).content.decode()
    assert 'id="adoption-chart"' not in html  # one year is no history: the list says it all
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    # A year starts at midnight in Copenhagen: half past midnight on New Year's Day is still the old year in UTC.
    adopt(product, "Odense Kommune", datetime(2024, 1, 1, 0, 30, tzinfo=CPH))
    adopt(product, "Vejle Kommune", datetime(2025, 1, 1, 0, 30, tzinfo=CPH))
    adopt(product, "Gladsaxe Kommune", datetime(2025, 8, 1, 9, tzinfo=CPH))
    with django_assert_max_num_queries(len(one.captured_queries)):
        html = client.get(url).content.decode()
    table = html.split('id="adoption-chart"')[1].split("</table>")[0].split("<tbody>")[1]
    cells = re.findall(r"<t[hd][^>]*>([^<]*)</t[hd]>", table)
    expected = [("2024", "1", "1"), ("2025", "2", "3")]
    expected += [(str(y), "0", "3") for y in range(2026, this_year)] + [(str(this_year), "1", "4")]
    assert [tuple(cells[i : i + 3]) for i in range(0, len(cells), 3)] == expected
    assert 'text-anchor="middle">4</text>' in html


def test_the_scan_shows_the_share_of_commits_per_organisation(client, people, scan_sources):
    product = make_product(people)
    url = "https://github.com/OS2/os2-test"
    repository = product.repositories.create(url=url)
    root = scan_sources.add(url)
    for n, email in enumerate(["a@netcompany.com"] * 6 + ["b@aarhus.dk"] * 3 + ["c@kommune.odense.dk"] * 2):
        env = {"GIT_AUTHOR_EMAIL": email, "GIT_COMMITTER_EMAIL": email}
        (root / f"f{n}.txt").write_text(str(n))
        run_git(root, "add", "-A")
        run_git(root, "commit", "-q", "-m", f"Ændring {n}", env=env)
    (scan,) = scans.scan_request(product=product, repository=repository)
    scans.scan_run(scan.pk)
    scan.refresh_from_db()
    assert scan.status == Scan.Status.DONE
    finding = Finding.objects.get(scan=scan, check_id="vendor-concentration")
    counts = dict(finding.details["by_organisation"])
    client.cookies["django_language"] = "en"
    html = client.get(reverse("scans:detail", args=[product.slug, scan.pk])).content.decode()
    legend = html.split(f'id="commit-shares-{scan.pk}-legend"')[1].split("</ol>")[0]
    texts = [" ".join(t.split()) for t in re.findall(r"<span>(.*?)</span>", legend, re.S)]
    total = sum(counts.values())
    assert texts[:3] == [
        f"netcompany.com: 6 ({round(600 / total)} %)",
        f"aarhus.dk: {counts['aarhus.dk']} ({round(counts['aarhus.dk'] * 100 / total)} %)",
        f"odense.dk: 2 ({round(200 / total)} %)",
    ]
    assert counts["netcompany.com"] == 6 and counts["odense.dk"] == 2
    assert "," not in "".join(v for v in svg_attributes(html) if v.endswith("%"))


def test_an_old_scan_without_the_list_of_organisations_shows_the_largest_and_the_others(client, people):
    product = make_product(people)
    repository = product.repositories.create(url="https://github.com/OS2/os2-test")
    scan = scans.scan_record(
        product=product,
        repository=repository,
        result={
            "commit": "a" * 40,
            "duration_ms": 5,
            "findings": [
                {"check": "vendor-concentration", "outcome": "fail", "criteria": ["F6", "G9"], "message": "x",
                 "details": {"top_organisation": "leverandoer.dk", "top_share": 0.95, "organisations": 2,
                             "commits": 40}},
            ],
        },
    )  # fmt: skip
    client.cookies["django_language"] = "en"
    html = client.get(reverse("scans:detail", args=[product.slug, scan.pk])).content.decode()
    legend = html.split(f'id="commit-shares-{scan.pk}-legend"')[1].split("</ol>")[0]
    texts = [" ".join(t.split()) for t in re.findall(r"<span>(.*?)</span>", legend, re.S)]
    assert texts == ["leverandoer.dk: 38 (95 %)", "Other organisations: 2 (5 %)"]
