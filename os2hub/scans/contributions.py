"""What scans adds to the pages of the apps below it: the latest scan of each repository on the product page,
the open proposals in the self-assessment form, and the findings per criterion beside the secretariat's rating.

products and governance never import scans (scans imports them); they ask their own registries
(products.contributions, governance.evidence), which `register()` fills when Django starts (apps.py).
"""

from os2hub.governance import evidence
from os2hub.products import contributions

from . import labels, selectors
from .getters import can_scan


def product_page(user, product) -> dict:
    """For scans/_product_summary.html on the product page."""
    return {
        "scan_summaries": [(scan, selectors.summary(scan)) for scan in selectors.latest_done(product)],
        "can_scan": can_scan(user, product),
    }


def criterion_evidence(product) -> dict[str, list]:
    """criterion code -> [(scan, finding)] of the latest finished scans, each finding labelled and linked for
    scans/_criterion_evidence.html."""
    found = selectors.evidence_by_criterion(product)
    for items in found.values():
        for _scan, finding in items:
            finding.label = labels.label(finding.check_id)
            finding.links = finding.evidence_links()
    return found


def register() -> None:
    contributions.add_to_detail(product_page)
    evidence.add_source(evidence.Source(proposals=selectors.open_proposals_by_code, evidence=criterion_evidence))
