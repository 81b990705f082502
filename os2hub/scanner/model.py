"""What a scan produces: one finding per check, each with evidence a person can open."""

from dataclasses import asdict, dataclass, field

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
        data = asdict(self)
        del data["template"]
        data["evidence"] = [{k: v for k, v in asdict(e).items() if v is not None} for e in self.evidence]
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
