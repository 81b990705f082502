"""What a scan produces: one finding per check, each with evidence a person can open."""

from dataclasses import asdict, dataclass, field

PASS, FAIL, NOT_APPLICABLE, ERROR = "pass", "fail", "not_applicable", "error"


@dataclass(frozen=True)
class Evidence:
    path: str
    line: int | None = None


@dataclass
class Finding:
    check: str
    outcome: str
    criteria: list[str]
    message: str
    evidence: list[Evidence] = field(default_factory=list)
    details: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        data = asdict(self)
        data["evidence"] = [{k: v for k, v in asdict(e).items() if v is not None} for e in self.evidence]
        return data
