"""What a scan produces: one finding per check, each with evidence a person can open."""

from dataclasses import dataclass, field

PASS, FAIL, NOT_APPLICABLE, ERROR = "pass", "fail", "not_applicable", "error"


@dataclass(frozen=True)
class Evidence:
    path: str
    line: int | None = None


@dataclass
class Finding:
    """`message` is the English sentence; `template` the same message as a template with its parameters
    (messages.Message.as_data()), for those who show it in another language. The JSON of the command line
    (`as_dict`) has the sentence only."""

    check: str
    outcome: str
    criteria: list[str]
    message: str
    evidence: list[Evidence] = field(default_factory=list)
    details: dict = field(default_factory=dict)
    template: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        # Written out rather than dataclasses.asdict, which deep-copies every value: printable builds new
        # containers already, and a batch of scans spends its time here otherwise.
        data = {
            "check": self.check,
            "outcome": self.outcome,
            "criteria": self.criteria,
            "message": self.message,
            "evidence": [
                {"path": e.path} if e.line is None else {"path": e.path, "line": e.line} for e in self.evidence
            ],
            "details": self.details,
        }
        return printable(data)


def printable(value):
    """The value with every string made valid UTF-8: a file name that is not (kept by os.fsdecode as
    surrogates) shows with U+FFFD in its place, so JSON, SARIF and text output never fail to encode."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            try:
                return value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
            except UnicodeEncodeError:
                return value.encode("utf-8", "replace").decode("utf-8")
        return value
    if isinstance(value, dict):
        return {printable(k): printable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [printable(v) for v in value]
    return value
