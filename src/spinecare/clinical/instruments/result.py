"""Score results and the one rounding rule used for every number we show.

Scores are computed exactly (``fractions.Fraction``), bands and MCIDs are decided on
the exact value, and only the output is rounded: half-up to the instrument's number
of decimals (2 by default), so ODI 16/45 × 100 = 35.555… is shown as 35.56.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from spinecare.clinical.instruments.model import Band, Direction


def round_half_up(value: Fraction, decimals: int = 2) -> float:
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return float(exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))


def number(value: Fraction | None, decimals: int = 2) -> int | float | None:
    """JSON number: an int when exact, else rounded half-up; ``None`` stays ``None``."""
    if value is None:
        return None
    if value.denominator == 1:
        return int(value)
    return round_half_up(value, decimals)


@dataclass(frozen=True, slots=True)
class SubscaleScore:
    id: str
    label: str
    score: Fraction | None
    answered: int
    item_count: int
    band: Band | None = None
    reason: str = ""


@dataclass(frozen=True, slots=True)
class ScoreResult:
    instrument: str
    instrument_name: str
    version: str
    score: Fraction | None
    band: Band | None
    subscales: tuple[SubscaleScore, ...]
    answers: dict[str, int | None]
    missing_items: tuple[str, ...]
    scored: bool
    reason: str
    unit: str
    direction: Direction | None
    score_range: tuple[Fraction, Fraction] | None
    references: tuple[str, ...]
    decimals: int = 2
    raw: Fraction | None = None  # NDI: prorated raw 0-50; RMDQ: statements that apply
    percent: Fraction | None = None  # RMDQ: applies / answered × 100 (Kent & Lauridsen)
    rescaled: bool = False  # scored from fewer items than the instrument has
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def answered(self) -> int:
        return sum(v is not None for v in self.answers.values())

    def subscale(self, subscale_id: str) -> SubscaleScore:
        for sub in self.subscales:
            if sub.id == subscale_id:
                return sub
        raise KeyError(subscale_id)

    def to_dict(self) -> dict[str, Any]:
        d = self.decimals
        out: dict[str, Any] = {
            "instrument": self.instrument,
            "instrument_name": self.instrument_name,
            "version": self.version,
            "score": number(self.score, d),
            "band": self.band.id if self.band else None,
            "band_label": self.band.label if self.band else None,
            "subscales": {s.id: number(s.score, 3) for s in self.subscales},
            "subscale_bands": {s.id: s.band.id for s in self.subscales if s.band},
            "scored": self.scored,
            "reason": self.reason or None,
            "unit": self.unit or None,
            "range": [number(x) for x in self.score_range] if self.score_range else None,
            "direction": str(self.direction) if self.direction else None,
            "answered": self.answered,
            "items": len(self.answers),
            "missing_items": list(self.missing_items),
            "rescaled": self.rescaled,
        }
        if self.raw is not None:
            out["raw"] = number(self.raw, d)
        if self.percent is not None:
            out["percent"] = number(self.percent, d)
        unscored = {s.id: s.reason for s in self.subscales if s.score is None and s.reason}
        if unscored:
            out["subscale_reasons"] = unscored
        out["notes"] = list(self.notes)
        out["references"] = list(self.references)
        out["answers"] = dict(self.answers)
        return out
