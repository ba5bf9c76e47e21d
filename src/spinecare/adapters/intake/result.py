"""What the free-text intake returns: findings, the text behind each, and what stayed unsure."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

Value = bool | float | int | str


@dataclass(frozen=True, slots=True)
class FindingSpan:
    """One piece of text that set (or, when negated, cleared) a finding."""

    key: str
    value: Value | None   # None: a bare mention that set nothing (kept for uncertain ones)
    text: str
    start: int            # character offsets into the original text
    end: int
    negated: bool
    uncertain: bool
    rule: str             # lexicon entry id, or the numeric extractor's name

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass(slots=True)
class IntakeResult:
    findings: dict[str, Value] = field(default_factory=dict)
    spans: list[FindingSpan] = field(default_factory=list)
    uncertain: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return {
            "findings": dict(self.findings),
            "spans": [s.to_dict() for s in self.spans],
            "uncertain": list(self.uncertain),
        }
