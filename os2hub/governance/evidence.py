"""Suggested answers and evidence for a product's criteria, from the apps that gather them.

governance is below the apps that read a product's code: scans turns its findings into proposals on the
self-assessment and imports governance to do so, so governance never imports scans. The self-assessment and
evaluation pages ask here instead. Such an app registers a Source when Django starts (in its AppConfig.ready);
with none registered the pages show no proposals and no evidence.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Source:
    """proposals(user, product) -> {criterion code: [proposal]}: the open proposals this person may decide (none
    for anyone who does not answer the product's self-assessment).
    evidence(product) -> {criterion code: [(scan, finding)]}: what was found, beside the secretariat's rating."""

    proposals: Callable[..., dict]
    evidence: Callable[..., dict]


_SOURCES: list[Source] = []


def add_source(source: Source) -> None:
    """Register a source of proposals and evidence. Registering the same one twice is harmless."""
    if source not in _SOURCES:
        _SOURCES.append(source)


def open_proposals(user, product) -> dict[str, list]:
    """criterion code -> the open proposals on it that the person may accept or reject."""
    found: dict[str, list] = {}
    for source in _SOURCES:
        for code, items in source.proposals(user, product).items():
            found.setdefault(code, []).extend(items)
    return found


def evidence(product) -> dict[str, list]:
    """criterion code -> the evidence for it."""
    found: dict[str, list] = {}
    for source in _SOURCES:
        for code, items in source.evidence(product).items():
            found.setdefault(code, []).extend(items)
    return found
