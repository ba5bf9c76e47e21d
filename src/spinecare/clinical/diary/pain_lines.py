"""The pain chart's reference lines (rule DIARY-PAIN-LINES), for the diary page and the
doctor's report alike.

Per pain site, the baseline is the mean of the recorded ratings in the first
``PAIN_BASELINE_DAYS`` days of the period shown (at least ``PAIN_BASELINE_MIN_DAYS`` of
them recorded, else no line: unknown is never guessed). The smallest change in a 0-10 pain
rating that matters to people is 2 points or 30 % (Ostelo 2008); either one counts, as in
the report's change verdicts (rule RPT-CHANGE), so the lines sit that far below (better)
and above (worse) the baseline, whichever is nearer, and only inside 0-10.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from spinecare.clinical.diary.model import DayRecord
from spinecare.clinical.diary.rules import (
    PAIN_BASELINE_DAYS,
    PAIN_BASELINE_MIN_DAYS,
    PAIN_MIC_PERCENT,
    PAIN_MIC_POINTS,
)

RULE_ID = "DIARY-PAIN-LINES"
PAIN_MIN, PAIN_MAX = 0.0, 10.0
SITE_NAMES = {"back": "Back", "leg": "Leg", "neck": "Neck", "arm": "Arm"}
BETTER, WORSE = "better", "worse"


@dataclass(frozen=True, slots=True)
class PainLine:
    site: str        # a pain site ("leg", "back", ...)
    value: float     # on the 0-10 scale
    direction: str   # "better" (below the baseline) | "worse" (above it)
    baseline: float
    change: float    # points from the baseline

    @property
    def label(self) -> str:
        amount = f"{round(self.change, 1):g}"
        sign = "−" if self.direction == BETTER else "+"
        name = SITE_NAMES.get(self.site, self.site)
        return f"{name}: first week {sign} {amount} ({self.direction})"


def important_change(baseline: float) -> float:
    """Points from ``baseline`` that matter: 2 points or 30 %, whichever is reached first
    (30 % of a baseline of 0 is nothing, so then 2 points)."""
    if baseline <= 0:
        return float(PAIN_MIC_POINTS)
    return min(float(PAIN_MIC_POINTS), baseline * PAIN_MIC_PERCENT / 100.0)


def baseline(days: Iterable[DayRecord], site: str, start: date) -> float | None:
    """The mean rating for ``site`` over the first days of the period, or None."""
    last = start + timedelta(days=PAIN_BASELINE_DAYS - 1)
    values = [v for d in days if start <= d.day <= last and (v := d.pain(site)) is not None]
    return sum(values) / len(values) if len(values) >= PAIN_BASELINE_MIN_DAYS else None


def pain_lines(days: Sequence[DayRecord], start: date,
               sites: Sequence[str] = ("leg", "back")) -> tuple[PainLine, ...]:
    """The reference lines for each of ``sites`` (in that order): better, then worse."""
    lines: list[PainLine] = []
    for site in sites:
        base = baseline(days, site, start)
        if base is None:
            continue
        change = important_change(base)
        if base - change >= PAIN_MIN - 1e-9:
            lines.append(PainLine(site, base - change, BETTER, base, change))
        if base + change <= PAIN_MAX + 1e-9:
            lines.append(PainLine(site, base + change, WORSE, base, change))
    return tuple(lines)
