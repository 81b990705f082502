"""The level rules of PRODUCT.md, over any criteria version (no criterion is named here).

A level is reached when every criterion of that level and all lower levels that is not a recommendation is
satisfied. For a self-assessment "satisfied" means answered Ja or Ikke relevant (Nej, Ved ikke and no answer
block); for an evaluation it means rated green or grey.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

SELF_ASSESSMENT_OK = frozenset({"ja", "ikke_relevant"})
EVALUATION_OK = frozenset({"green", "grey"})


@dataclass
class LevelProgress:
    level: str
    required: int = 0
    met: int = 0
    recommendations: int = 0
    recommendations_met: int = 0
    blockers: list = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return self.met == self.required

    @property
    def percent(self) -> int:
        return 100 if not self.required else round(100 * self.met / self.required)


@dataclass
class LevelReport:
    level: str | None  # the highest level reached, None when not even the first
    next_level: str | None  # None when the highest level is reached
    blockers: list  # the criteria that keep the product from next_level, in criteria order
    progress: list[LevelProgress]


def compute(level_keys: list[str], criteria: Iterable, is_met: Callable[[object], bool]) -> LevelReport:
    """level_keys lowest first; criteria with .level and .recommendation; is_met(criterion) -> bool."""
    progress = {key: LevelProgress(key) for key in level_keys}
    for criterion in criteria:
        row = progress.get(criterion.level)
        if row is None:
            continue
        met = is_met(criterion)
        if criterion.recommendation:
            row.recommendations += 1
            row.recommendations_met += met
        else:
            row.required += 1
            row.met += met
            if not met:
                row.blockers.append(criterion)
    reached = None
    for key in level_keys:
        if not progress[key].complete:
            break
        reached = key
    position = -1 if reached is None else level_keys.index(reached)
    next_level = level_keys[position + 1] if position + 1 < len(level_keys) else None
    blockers = progress[next_level].blockers if next_level else []
    return LevelReport(reached, next_level, list(blockers), [progress[key] for key in level_keys])


def self_declared(level_keys, criteria, answers: dict) -> LevelReport:
    """answers: criterion code -> answer key ('' or None for no answer)."""
    return compute(level_keys, criteria, lambda c: answers.get(c.code) in SELF_ASSESSMENT_OK)


def recommended(level_keys, criteria, ratings: dict) -> LevelReport:
    """ratings: criterion code -> colour key."""
    return compute(level_keys, criteria, lambda c: ratings.get(c.code) in EVALUATION_OK)
