"""Change verdicts that state both yardsticks: the minimal important change and usual
variation (rule RPT-CHANGE), with which way is better said in words.

"ODI 40 → 50 (+10, worse): beyond the minimal important change and beyond usual
variation." A change can matter to people and still be inside what two measurements of an
untreated person differ by (Hatakka 2025: ODI 9.17 points on average), or the reverse; the
reader sees both. Where usual variation is not known, the verdict says "usual variation not
known" rather than guess.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from spinecare.clinical.report.model import HIGHER_IS_WORSE
from spinecare.clinical.report.rules import (
    ODI_NOISE_POINTS,
    ODI_NOISE_SD,
    WALK_NOISE_M,
)


@dataclass(frozen=True, slots=True)
class Noise:
    """How much two measurements differ with no real change, and where that comes from."""

    amount: float
    text: str
    references: tuple[str, ...]


# Keyed by score key. Only what a cited study measured; everything else is "not known".
NOISE: dict[str, Noise] = {
    "odi": Noise(ODI_NOISE_POINTS,
                 f"{ODI_NOISE_POINTS:g} points on average, SD {ODI_NOISE_SD:g}, between two "
                 "untreated measurements", ("hatakka-2025",)),
    "walk_test.distance": Noise(WALK_NOISE_M, f"about {WALK_NOISE_M:g} m for one walk",
                                ("maldaner-2020",)),
}

BEYOND_MCID = "beyond the minimal important change"
WITHIN_MCID = "within the minimal important change"
NO_MCID = "no minimal important change defined"
BEYOND_NOISE = "beyond usual variation"
WITHIN_NOISE = "within usual variation"
NOISE_UNKNOWN = "usual variation not known"


def _num(value: float) -> str:
    rounded = round(value, 2)
    return f"{rounded:g}"


@dataclass(frozen=True, slots=True)
class ChangeVerdict:
    key: str
    label: str
    direction: str
    baseline: float
    baseline_day: date
    latest: float
    latest_day: date
    unit: str
    mcid_absolute: float | None
    mcid_relative_percent: float | None
    mcid_met: bool | None        # None: no MCID defined
    mcid_text: str
    noise: float | None
    noise_met: bool | None       # None: usual variation not known
    noise_text: str
    references: tuple[str, ...]

    @property
    def change(self) -> float:
        return self.latest - self.baseline

    @property
    def percent_change(self) -> float | None:
        return None if self.baseline == 0 else self.change / abs(self.baseline) * 100.0

    @property
    def better_or_worse(self) -> str:
        if self.change == 0:
            return "unchanged"
        worse = self.change > 0 if self.direction == HIGHER_IS_WORSE else self.change < 0
        return "worse" if worse else "better"

    @property
    def name(self) -> str:
        """The label without its range: "ODI (0-100)" -> "ODI"."""
        return self.label.split(" (")[0]

    @property
    def change_text(self) -> str:
        sign = "+" if self.change > 0 else ("−" if self.change < 0 else "±")
        pct = self.percent_change
        pct_text = f", {sign}{abs(pct):.0f} %" if pct is not None else ""
        return f"{sign}{_num(abs(self.change))}{self.unit}{pct_text}"

    @property
    def sentence(self) -> str:
        """'ODI 40 → 50 (+10, worse): beyond the minimal important change (10 points or 30 %)
        and beyond usual variation (9.17 points ...).'"""
        head = (f"{self.name} {_num(self.baseline)} → {_num(self.latest)} "
                f"({self.change_text}, {self.better_or_worse})")
        if self.change == 0:
            return f"{head}."
        return f"{head}: {self.mcid_text} and {self.noise_text}."

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "label": self.label, "direction": self.direction,
                "baseline": self.baseline, "baseline_day": self.baseline_day.isoformat(),
                "latest": self.latest, "latest_day": self.latest_day.isoformat(),
                "change": round(self.change, 2),
                "percent_change": None if self.percent_change is None
                else round(self.percent_change, 1), "change_text": self.change_text,
                "better_or_worse": self.better_or_worse,
                "mcid_absolute": self.mcid_absolute,
                "mcid_relative_percent": self.mcid_relative_percent,
                "mcid_met": self.mcid_met, "noise": self.noise, "noise_met": self.noise_met,
                "sentence": self.sentence, "references": list(self.references)}


def _mcid_words(absolute: float | None, relative: float | None, unit: str) -> str:
    parts = []
    if absolute is not None:
        parts.append(f"{_num(absolute)}{unit or ' points'}")
    if relative is not None:
        parts.append(f"{_num(relative)} %")
    return " or ".join(parts)


def verdict(
    key: str, label: str, direction: str, baseline: tuple[date, float],
    latest: tuple[date, float], *, unit: str = "", mcid_absolute: float | None = None,
    mcid_relative_percent: float | None = None, references: tuple[str, ...] = (),
    noise: Noise | None = None,
) -> ChangeVerdict:
    """The change from ``baseline`` to ``latest`` (each (day, value)) against the minimal
    important change (either criterion met counts, in either direction: a worsening as
    large as an improvement that matters is worth a doctor's eye) and against ``noise``
    (default: ``NOISE[key]``, if known)."""
    noise = noise if noise is not None else NOISE.get(key)
    (b_day, b), (l_day, v) = baseline, latest
    size = abs(v - b)
    met: list[bool] = []
    if mcid_absolute is not None:
        met.append(size >= mcid_absolute - 1e-9)
    if mcid_relative_percent is not None and b != 0:
        met.append(size / abs(b) * 100.0 >= mcid_relative_percent - 1e-9)
    mcid_met = any(met) if met else None
    words = _mcid_words(mcid_absolute, mcid_relative_percent, unit)
    if mcid_met is None:
        mcid_text = NO_MCID
    else:
        mcid_text = f"{BEYOND_MCID if mcid_met else WITHIN_MCID} ({words})"
    if noise is None:
        noise_met, noise_text = None, NOISE_UNKNOWN
    else:
        noise_met = size > noise.amount
        noise_text = f"{BEYOND_NOISE if noise_met else WITHIN_NOISE} ({noise.text})"
    refs = dict.fromkeys((*references, *(noise.references if noise else ())))
    return ChangeVerdict(key, label, direction, b, b_day, v, l_day, unit, mcid_absolute,
                         mcid_relative_percent, mcid_met, mcid_text,
                         None if noise is None else noise.amount, noise_met, noise_text,
                         tuple(refs))
