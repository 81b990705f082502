"""Partners list the e-mail domains they commit from; the secretariat verifies them; scans then count the commits
from a partner's verified domains (and their subdomains) as the partner's, by name, in vendor concentration."""

import pytest
from django.urls import reverse

from os2hub.products.models import Product, Repository
from os2hub.scans.models import Scan
from os2hub.suppliers import services
from os2hub.suppliers.models import CommitDomain

from .personas import OrganisationFactory, UserFactory, make_application, member
from .scan_sources import make_repo, run_git
from .test_scans import scan_now

pytestmark = pytest.mark.django_db

DOMAINS = reverse("suppliers:commit_domains")
URL = "https://github.com/OS2/os2eksempel"


def english(client):
    client.cookies["django_language"] = "en"
    return client


def review_url(app):
    return reverse("suppliers:review", args=[app.pk])


def verify_url(domain):
    return reverse("suppliers:commit_domain_verify", args=[domain.application_id, domain.pk])


def remove_url(domain):
    return reverse("suppliers:commit_domain_remove", args=[domain.pk])


def review_remove_url(domain):
    return reverse("suppliers:review_commit_domain_remove", args=[domain.application_id, domain.pk])


@pytest.fixture
def other_partner(people):
    """A second approved partner with its own administrator."""
    org = OrganisationFactory(name="Andet Firma A/S", slug="andet-firma", kind="supplier", cvr="29403473")
    admin = member(UserFactory(email="andet@example.dk", name="Anders Andet"), org)
    return make_application(org, admin, status="approved"), admin


def add(people, domain, app=None, user=None):
    return services.commit_domain_add(
        application=app or people.supplier, user=user or people.supplier_admin, domain=domain
    )


# --- The partner's list ----------------------------------------------------------------------------------------


def test_it_lets_the_partner_admin_add_a_domain_that_waits_for_verification(client, login, people):
    english(login(people.supplier_admin))
    response = client.post(DOMAINS, {"domain": "  Udvikling.Kodekammeret.DK. "}, follow=True)
    assert response.status_code == 200
    added = CommitDomain.objects.get(application=people.supplier)
    assert (added.domain, added.created_by, added.verified_at) == (
        "udvikling.kodekammeret.dk",
        people.supplier_admin,
        None,
    )
    page = response.content.decode()
    assert "udvikling.kodekammeret.dk is added" in page and "Awaiting verification" in page
    # Not yet on the public profile: only verified domains are shown (and used).
    profile = client.get(reverse("suppliers:profile", args=[people.supplier.slug])).content.decode()
    assert "udvikling.kodekammeret.dk" not in profile
    assert f'href="{DOMAINS}"' in profile  # the admin's way to the list


def test_an_international_domain_is_stored_in_ascii_and_shown_in_letters(client, login, people):
    english(login(people.supplier_admin))
    client.post(DOMAINS, {"domain": "Blåbær.dk"})
    assert CommitDomain.objects.get().domain == "xn--blbr-roah.dk"
    assert "blåbær.dk" in client.get(DOMAINS).content.decode()


@pytest.mark.parametrize(
    "typed, error",
    [
        ("udvikler@kodekammeret.dk", "Enter only the domain, the part after @"),
        ("https://kodekammeret.dk/om", "without https:// or a path"),
        ("kodekammeret", "Enter a domain name such as magenta.dk."),
        ("kode kammeret.dk", "Enter a domain name such as magenta.dk."),
        ("10.1.2.3", "Enter a domain name such as magenta.dk."),
        ("gmail.com", "gmail.com is a public e-mail service"),
        ("Outlook.com", "outlook.com is a public e-mail service"),
        ("users.noreply.github.com", "is a public e-mail service"),
        ("", "This field is required."),
    ],
)
def test_it_refuses_what_is_not_the_partners_own_domain_with_a_clear_error(client, login, people, typed, error):
    english(login(people.supplier_admin))
    response = client.post(DOMAINS, {"domain": typed})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="error-summary"' in page and error in page
    assert not CommitDomain.objects.exists()


def test_a_domain_of_another_partner_is_refused_naming_the_partner(client, login, people, other_partner):
    app, admin = other_partner
    add(people, "kodekammeret.dk")
    english(login(admin))
    for typed, error in [
        ("KODEKAMMERET.dk", "kodekammeret.dk is already registered by Kodekammeret ApS."),
        (
            "dev.kodekammeret.dk",
            "dev.kodekammeret.dk overlaps kodekammeret.dk, which is registered by Kodekammeret ApS.",
        ),
    ]:
        page = client.post(DOMAINS, {"domain": typed}).content.decode()
        assert error in page
    assert list(CommitDomain.objects.values_list("application", "domain")) == [(people.supplier.pk, "kodekammeret.dk")]


def test_the_partners_own_duplicates_and_covered_subdomains_are_refused(client, login, people):
    add(people, "kodekammeret.dk")
    english(login(people.supplier_admin))
    assert (
        "kodekammeret.dk is already on your list."
        in client.post(DOMAINS, {"domain": "kodekammeret.dk"}).content.decode()
    )
    page = client.post(DOMAINS, {"domain": "git.kodekammeret.dk"}).content.decode()
    assert "git.kodekammeret.dk is covered by kodekammeret.dk already" in page
    assert CommitDomain.objects.count() == 1


def test_the_number_of_domains_is_limited(people):
    for i in range(services.MAX_COMMIT_DOMAINS):
        add(people, f"firma{i}.dk")
    with pytest.raises(services.ValidationError):
        add(people, "en-til.dk")
    assert CommitDomain.objects.count() == services.MAX_COMMIT_DOMAINS


def test_removing_asks_first_then_removes(client, login, people):
    domain = add(people, "kodekammeret.dk")
    english(login(people.supplier_admin))
    assert f'href="{remove_url(domain)}"' in client.get(DOMAINS).content.decode()
    confirm = client.get(remove_url(domain))
    assert confirm.status_code == 200 and "Do you want to remove kodekammeret.dk" in confirm.content.decode()
    assert CommitDomain.objects.exists()  # nothing happens before the confirmation
    assert client.post(remove_url(domain))["Location"] == DOMAINS
    assert not CommitDomain.objects.exists()


# --- Who may do what ---------------------------------------------------------------------------------------------


def test_outsiders_and_other_partners_cannot_add_remove_or_verify(client, login, people, other_partner):
    app, other_admin = other_partner
    domain = add(people, "kodekammeret.dk")
    # No supplier organisation: refused. The other partner's list is its own; our domain is not in it.
    login(people.outsider)
    assert client.post(DOMAINS, {"domain": "ude.dk"}).status_code == 403
    assert client.post(remove_url(domain)).status_code == 403
    assert client.post(verify_url(domain)).status_code == 404
    login(other_admin)
    assert client.get(remove_url(domain)).status_code == 404
    assert client.post(remove_url(domain)).status_code == 404
    assert client.post(verify_url(domain)).status_code == 404
    assert client.post(review_remove_url(domain)).status_code == 404
    # A member (not administrator) of the partner cannot change the list, nor verify.
    login(people.supplier_member)
    assert client.post(DOMAINS, {"domain": "kodekammeret.com"}).status_code == 403
    assert client.post(verify_url(domain)).status_code == 404
    # The partner's own administrator cannot verify its own domain.
    login(people.supplier_admin)
    assert client.post(verify_url(domain)).status_code == 404
    client.logout()
    assert client.post(DOMAINS, {"domain": "ude.dk"}).status_code == 302  # to the login page
    assert client.post(verify_url(domain)).status_code == 302
    domain.refresh_from_db()
    assert domain.verified_at is None
    assert list(CommitDomain.objects.values_list("domain", flat=True)) == ["kodekammeret.dk"]


def test_a_secretariat_member_cannot_verify_a_partnership_of_their_own(people):
    domain = add(people, "kodekammeret.dk")
    member(people.secretariat, people.supplier_org, role="member")
    with pytest.raises(services.PermissionDenied):
        services.commit_domain_verify(application=people.supplier, user=people.secretariat, commit_domain=domain)


def test_the_secretariat_verifies_on_the_review_page_once(client, login, people):
    domain = add(people, "kodekammeret.dk")
    english(login(people.secretariat))
    page = client.get(review_url(people.supplier)).content.decode()
    assert 'id="commit-domains"' in page and f'action="{verify_url(domain)}"' in page
    response = client.post(verify_url(domain), follow=True)
    assert "kodekammeret.dk is verified" in response.content.decode()
    domain.refresh_from_db()
    assert domain.verified_by == people.secretariat and domain.verified_at is not None
    # A second press (two people at once) is refused with a message and changes nothing.
    before = domain.verified_at
    again = client.post(verify_url(domain), follow=True).content.decode()
    assert "kodekammeret.dk is verified already" in again
    domain.refresh_from_db()
    assert domain.verified_at == before
    # Shown on the public profile once verified.
    client.logout()
    english(client)
    assert "kodekammeret.dk" in client.get(reverse("suppliers:profile", args=[people.supplier.slug])).content.decode()


def test_the_secretariat_removes_a_domain_after_asking(client, login, people):
    domain = add(people, "kodekammeret.dk")
    english(login(people.secretariat))
    assert client.get(review_remove_url(domain)).status_code == 200
    assert CommitDomain.objects.exists()
    response = client.post(review_remove_url(domain))
    assert response["Location"] == review_url(people.supplier) + "#commit-domains"
    assert not CommitDomain.objects.exists()


# --- Scans name the partner -----------------------------------------------------------------------------------


@pytest.fixture
def product(people):
    p = Product.objects.create(
        name="OS2eksempel", slug="os2eksempel", summary="Et eksempel.", status="product",
        coordinator=people.authority_admin,
    )  # fmt: skip
    Repository.objects.create(product=p, url=URL)
    return p


@pytest.fixture
def company_repo(scan_sources):
    """Two commits by a municipality and twenty by one company from its old and new domains and a subdomain."""
    root = scan_sources.add(URL)
    for i in range(20):
        email = f"dev{i}@" + ["old.dk", "new.dk", "sub.new.dk"][i % 3]
        run_git(root, "commit", "-q", "--allow-empty", "-m", f"Ændring {i}", env={"GIT_AUTHOR_EMAIL": email})
    make_repo(root, {"CHANGELOG.md": "# Ændringer\n"})
    return root


def vendor_finding(scan):
    assert scan.status == Scan.Status.DONE, scan.error
    return scan.findings.get(check_id="vendor-concentration")


def test_a_scan_names_the_partner_behind_its_verified_domains(client, login, people, product, company_repo):
    before = vendor_finding(scan_now(product, people.authority_admin))
    assert (before.outcome, before.details["top_organisation"]) == ("pass", "new.dk")

    old, new = add(people, "old.dk"), add(people, "new.dk")
    login(people.secretariat)
    client.post(verify_url(old))
    # An unverified domain is not used: old.dk alone is the partner's, new.dk is still a domain of its own.
    finding = vendor_finding(scan_now(product, people.authority_admin))
    assert finding.outcome == "pass"
    assert finding.details["by_organisation"][:2] == [["new.dk", 13], ["Kodekammeret ApS", 7]]

    client.post(verify_url(new))
    finding = vendor_finding(scan_now(product, people.authority_admin))
    assert finding.outcome == "fail"
    assert finding.details["top_organisation"] == "Kodekammeret ApS"
    assert finding.details["top_domains"] == ["new.dk", "old.dk", "sub.new.dk"]
    assert finding.details["top_share"] == 0.909  # 20 of 22: the municipality made the first and last
    english(client)
    page = client.get(reverse("scans:product", args=[product.slug])).content.decode()
    assert "Kodekammeret ApS wrote 91% of the commits" in page


def test_a_partner_that_is_not_approved_is_not_used_by_scans(people, product, company_repo):
    draft_org = OrganisationFactory(name="Kladde ApS", slug="kladde", kind="supplier", cvr="25052943")
    admin = member(UserFactory(email="kladde@example.dk"), draft_org)
    draft = make_application(draft_org, admin, status="draft")
    for name in ("old.dk", "new.dk"):
        domain = add(people, name, app=draft, user=admin)
        services.commit_domain_verify(application=draft, user=people.secretariat, commit_domain=domain)
    finding = vendor_finding(scan_now(product, people.authority_admin))
    assert "Kladde ApS" not in str(finding.details)


def test_the_api_shows_a_partners_verified_domains_only(client, people):
    verified, waiting = add(people, "kodekammeret.dk"), add(people, "xn--blbr-roah.dk")
    services.commit_domain_verify(application=people.supplier, user=people.secretariat, commit_domain=verified)
    assert client.get("/api/v1/suppliers/kodekammeret").json()["commit_domains"] == ["kodekammeret.dk"]
    listed = client.get("/api/v1/suppliers").json()["items"]
    assert [p["commit_domains"] for p in listed if p["slug"] == "kodekammeret"] == [["kodekammeret.dk"]]
    assert waiting.domain not in str(listed)
