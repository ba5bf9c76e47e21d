"""Score results and the one rounding rule used for every number we show.

Scores are computed exactly (``fractions.Fraction``), bands and MCIDs are decided on
the exact value, and only the output is rounded: half-up to the instrument's number
of decimals (2 by default), so ODI 16/45 × 100 = 35.555… is shown as 35.56.

What is stored with a response and sent by the API and the CLI is the rounded
``ScoreSummary`` (``ScoreResult.summary()``; ``to_dict`` is its JSON). It reads back with
``ScoreSummary.from_dict`` into an equal object whose JSON is identical. The exact
``ScoreResult`` cannot be rebuilt from it (the fractions were rounded), and need not be.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any, overload

from spinecare.clinical.instruments.model import Band, Direction


def round_half_up(value: Fraction, decimals: int = 2) -> float:
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return float(exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))


@overload
def number(value: Fraction, decimals: int = 2) -> int | float: ...


@overload
def number(value: None, decimals: int = 2) -> None: ...


@overload
def number(value: Fraction | None, decimals: int = 2) -> int | float | None: ...


def number(value: Fraction | None, decimals: int = 2) -> int | float | None:
    """JSON number: an int when exact, else rounded half-up; ``None`` stays ``None``."""
    if value is None:
        return None
    if value.denominator == 1:
        return int(value)
    return round_half_up(value, decimals)


Number = int | float  # a JSON number: an int when exact, else rounded half-up


@dataclass(frozen=True, slots=True, kw_only=True)
class ScoreSummary:
    """A score as stored and sent: numbers rounded for display, bands by id and label.

    Fields are in the order of the JSON; ``raw``, ``percent``, ``subscale_reasons`` and
    ``knowledge_version`` are written only when they have a value (older stored scores
    have no ``knowledge_version``: the questionnaire service adds it when it stores one).
    """

    instrument: str
    instrument_name: str
    version: str
    score: Number | None
    band: str | None
    band_label: str | None
    subscales: dict[str, Number | None]
    subscale_bands: dict[str, str]
    scored: bool
    reason: str | None
    unit: str | None
    range: tuple[Number, ...] | None  # (lowest, highest)
    direction: str | None
    answered: int
    items: int
    missing_items: tuple[str, ...]
    rescaled: bool
    raw: Number | None = None
    percent: Number | None = None
    subscale_reasons: dict[str, str] = field(default_factory=dict)
    notes: tuple[str, ...]
    references: tuple[str, ...]
    answers: dict[str, int | None]
    knowledge_version: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "instrument": self.instrument,
            "instrument_name": self.instrument_name,
            "version": self.version,
            "score": self.score,
            "band": self.band,
            "band_label": self.band_label,
            "subscales": dict(self.subscales),
            "subscale_bands": dict(self.subscale_bands),
            "scored": self.scored,
            "reason": self.reason,
            "unit": self.unit,
            "range": list(self.range) if self.range is not None else None,
            "direction": self.direction,
            "answered": self.answered,
            "items": self.items,
            "missing_items": list(self.missing_items),
            "rescaled": self.rescaled,
        }
        if self.raw is not None:
            out["raw"] = self.raw
        if self.percent is not None:
            out["percent"] = self.percent
        if self.subscale_reasons:
            out["subscale_reasons"] = dict(self.subscale_reasons)
        out["notes"] = list(self.notes)
        out["references"] = list(self.references)
        out["answers"] = dict(self.answers)
        if self.knowledge_version is not None:
            out["knowledge_version"] = self.knowledge_version
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ScoreSummary:
        """A stored or sent score read back; a missing required key raises ``KeyError``."""
        span = data["range"]
        return cls(
            instrument=data["instrument"],
            instrument_name=data["instrument_name"],
            version=data["version"],
            score=data["score"],
            band=data["band"],
            band_label=data["band_label"],
            subscales=dict(data["subscales"]),
            subscale_bands=dict(data["subscale_bands"]),
            scored=data["scored"],
            reason=data["reason"],
            unit=data["unit"],
            range=tuple(span) if span is not None else None,
            direction=data["direction"],
            answered=data["answered"],
            items=data["items"],
            missing_items=tuple(data["missing_items"]),
            rescaled=data["rescaled"],
            raw=data.get("raw"),
            percent=data.get("percent"),
            subscale_reasons=dict(data.get("subscale_reasons", {})),
            notes=tuple(data["notes"]),
            references=tuple(data["references"]),
            answers=dict(data["answers"]),
            knowledge_version=data.get("knowledge_version"),
        )


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

    def summary(self, knowledge_version: str | None = None) -> ScoreSummary:
        """What is stored and sent: numbers rounded half-up to the instrument's decimals
        (subscales to 3), bands by id and label."""
        d = self.decimals
        return ScoreSummary(
            instrument=self.instrument,
            instrument_name=self.instrument_name,
            version=self.version,
            score=number(self.score, d),
            band=self.band.id if self.band else None,
            band_label=self.band.label if self.band else None,
            subscales={s.id: number(s.score, 3) for s in self.subscales},
            subscale_bands={s.id: s.band.id for s in self.subscales if s.band},
            scored=self.scored,
            reason=self.reason or None,
            unit=self.unit or None,
            range=(number(self.score_range[0]), number(self.score_range[1]))
            if self.score_range else None,
            direction=str(self.direction) if self.direction else None,
            answered=self.answered,
            items=len(self.answers),
            missing_items=self.missing_items,
            rescaled=self.rescaled,
            raw=number(self.raw, d),
            percent=number(self.percent, d),
            subscale_reasons={s.id: s.reason for s in self.subscales
                              if s.score is None and s.reason},
            notes=self.notes,
            references=self.references,
            answers=dict(self.answers),
            knowledge_version=knowledge_version,
        )

    def to_dict(self) -> dict[str, Any]:
        """The JSON of ``summary()``."""
        return self.summary().to_dict()

