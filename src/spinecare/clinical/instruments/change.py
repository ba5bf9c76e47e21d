"""Change between two administrations, judged against the instrument's MCID.

Both MCID criteria are reported separately (absolute points and relative percent)
because they can disagree: ODI 50 -> 38 improves by 12 points (>= 10) but only 24 %
(< 30 %). A worsening at least as large as the absolute MCID is flagged too, so a
deterioration is never hidden behind "MCID not met".
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from spinecare.clinical.instruments.model import Direction, InstrumentDefinition, Mcid
from spinecare.clinical.instruments.result import number


class ChangeError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class ChangeResult:
    instrument: str
    subscale: str | None
    baseline: Fraction
    follow_up: Fraction
    direction: Direction
    mcid: Mcid | None
    decimals: int = 2
    worsening_advice: str = ""
    worsening_references: tuple[str, ...] = ()

    @property
    def change(self) -> Fraction:
        return self.follow_up - self.baseline

    @property
    def improvement(self) -> Fraction:
        """Change in the better direction (positive = better), whatever the scale's polarity."""
        return -self.change if self.direction is Direction.HIGHER_IS_WORSE else self.change

    @property
    def percent_change(self) -> Fraction | None:
        return None if self.baseline == 0 else self.change * 100 / self.baseline

    @property
    def percent_improvement(self) -> Fraction | None:
        return None if self.baseline == 0 else self.improvement * 100 / abs(self.baseline)

    @property
    def mcid_absolute_met(self) -> bool | None:
        if self.mcid is None or self.mcid.absolute is None:
            return None
        return self.improvement >= self.mcid.absolute

    @property
    def mcid_relative_met(self) -> bool | None:
        if self.mcid is None or self.mcid.relative_percent is None:
            return None
        pct = self.percent_improvement
        # From a baseline of 0 there is nothing to improve relative to.
        return None if pct is None else pct >= self.mcid.relative_percent

    @property
    def worsening_absolute_met(self) -> bool | None:
        if self.mcid is None or self.mcid.absolute is None:
            return None
        return -self.improvement >= self.mcid.absolute

    @property
    def trend(self) -> str:
        if self.improvement > 0:
            return "improved"
        return "worsened" if self.improvement < 0 else "unchanged"

    def interpretation(self) -> str:
        met = [m for m in (self.mcid_absolute_met, self.mcid_relative_met) if m is not None]
        if self.worsening_absolute_met:
            return "clinically important worsening (at least the MCID, in the worse direction)"
        if not met:
            return f"{self.trend}; no MCID is defined for this score"
        if all(met):
            return "clinically important improvement (every MCID criterion met)"
        if any(met):
            a = "yes" if self.mcid_absolute_met else "no"
            r = "yes" if self.mcid_relative_met else "no"
            return f"meets one of two MCID criteria (absolute {a}, relative {r})"
        return f"{self.trend}, but not by a clinically important amount"

    def to_dict(self) -> dict[str, Any]:
        d = self.decimals
        return {
            "instrument": self.instrument,
            "subscale": self.subscale,
            "baseline": number(self.baseline, d),
            "follow_up": number(self.follow_up, d),
            "change": number(self.change, d),
            "percent_change": number(self.percent_change, 2),
            "percent_improvement": number(self.percent_improvement, 2),
            "trend": self.trend,
            "mcid_absolute": number(self.mcid.absolute, d) if self.mcid else None,
            "mcid_relative_percent": number(self.mcid.relative_percent, d) if self.mcid else None,
            "mcid_absolute_met": self.mcid_absolute_met,
            "mcid_relative_met": self.mcid_relative_met,
            "worsening_absolute_met": self.worsening_absolute_met,
            "interpretation": self.interpretation(),
            "advice": self.worsening_advice if self.worsening_absolute_met else None,
            "references": [
                *(self.mcid.references if self.mcid else ()),
                *(self.worsening_references if self.worsening_absolute_met else ()),
            ],
        }


def _to_fraction(name: str, value: Any) -> Fraction:
    if isinstance(value, bool) or not isinstance(value, int | float | Fraction | str):
        raise ChangeError(f"{name} must be a number, got {value!r}")
    try:
        return Fraction(str(value)) if not isinstance(value, Fraction) else value
    except ValueError as exc:
        raise ChangeError(f"{name} must be a number, got {value!r}") from exc


def compute_change(
    definition: InstrumentDefinition,
    baseline: Any,
    follow_up: Any,
    subscale: str | None = None,
    mcid_absolute: Any = None,
    mcid_relative_percent: Any = None,
) -> ChangeResult:
    """Change from ``baseline`` to ``follow_up`` on the primary score or one subscale."""
    if subscale is None and definition.score is None:
        candidates = [s for s in definition.subscales if s.mcid]
        shapes = {(s.score_min, s.score_max, s.mcid) for s in candidates}
        if len(shapes) != 1:
            names = ", ".join(s.id for s in candidates)
            raise ChangeError(
                f"{definition.short_name} has no single total; name the subscale ({names})"
            )
        subscale = candidates[0].id if len(candidates) == 1 else None
        lo, hi = candidates[0].score_min, candidates[0].score_max
        direction, mcid = candidates[0].direction, candidates[0].mcid
    elif subscale is not None:
        try:
            sub = definition.subscale(subscale)
        except KeyError:
            names = ", ".join(s.id for s in definition.subscales) or "none"
            raise ChangeError(
                f"{definition.short_name} has no subscale '{subscale}'; subscales: {names}"
            ) from None
        lo, hi, direction, mcid = sub.score_min, sub.score_max, sub.direction, sub.mcid
    else:
        assert definition.score is not None
        spec = definition.score
        lo, hi, direction, mcid = spec.min, spec.max, spec.direction, definition.mcid
    base = _to_fraction("baseline", baseline)
    follow = _to_fraction("follow-up", follow_up)
    for name, value in (("baseline", base), ("follow-up", follow)):
        if not lo <= value <= hi:
            raise ChangeError(
                f"{name} {float(value):g} is outside the {definition.short_name} range "
                f"{float(lo):g}-{float(hi):g}"
            )
    if mcid is not None and (mcid_absolute is not None or mcid_relative_percent is not None):
        mcid = Mcid(
            absolute=_to_fraction("MCID", mcid_absolute)
            if mcid_absolute is not None
            else mcid.absolute,
            relative_percent=(
                _to_fraction("relative MCID", mcid_relative_percent)
                if mcid_relative_percent is not None
                else mcid.relative_percent
            ),
            references=mcid.references,
            note="MCID overridden by the caller",
        )
    decimals = definition.score.decimals if definition.score else 2
    return ChangeResult(
        definition.id,
        subscale,
        base,
        follow,
        direction,
        mcid,
        decimals,
        definition.worsening_advice,
        definition.worsening_references,
    )
