"""One door per permission for scans. Scans and findings are public (they describe public repositories);
starting a scan and deciding proposals belong to those who answer the product's self-assessment."""

from os2hub.governance.getters import can_answer


def can_scan(user, product) -> bool:
    """Those who answer the self-assessment (coordinator, steering group, secretariat) start scans."""
    return can_answer(user, product)
