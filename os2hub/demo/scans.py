"""OS2hub itself as a sandbox product, scanned from this installation's own folder."""

from os2hub.accounts.models import User
from os2hub.demo.common import DEMO_NOTE
from os2hub.products import services as product_services
from os2hub.products.models import Category, Product


def load(*, secretariat) -> str:
    """OS2hub itself as a sandbox product, its repository scanned from this installation's own folder, so the
    scanner's findings and proposals can be seen without internet access. The other products' repositories are
    scanned from their pages (that needs access to github.com)."""
    from django.conf import settings

    from os2hub.scanner import cli as scanner
    from os2hub.scanner.targets import TargetError, parse_target
    from os2hub.scans import services as scan_services

    coordinator = User.objects.get(email="koordinator@os2hub.example")
    product = product_services.product_create(
        user=secretariat,
        data={
            "name": "OS2hub",
            "summary": "Platformen for OS2-fællesskabet: leverandørpartnere, produktkatalog, produktniveauer og "
            "evidens fra koden.",
            "purpose": "OS2hub samler fællesskabets samarbejde ét sted: leverandører, produkter, produktniveauer, "
            "udviklingsønsker og behov." + DEMO_NOTE,
            "status": Product.Status.SANDBOX,
            "licence": "MPL-2.0",
            "coordinator": coordinator,
        },
        categories=list(Category.objects.filter(slug="kommunikation")),
    )
    repository = product_services.repository_add(product=product, user=secretariat, url="https://github.com/OS2/os2hub")
    try:
        result = scanner.scan(parse_target(str(settings.BASE_DIR)))
    except TargetError:
        return ""
    scan = scan_services.scan_record(product=product, repository=repository, result=result, user=coordinator)
    passed = sum(1 for f in result["findings"] if f["outcome"] == "pass")
    return f"{passed} of {len(result['findings'])} checks pass, {scan.proposals.count()} proposals"
