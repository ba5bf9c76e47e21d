"""The emergency number shown in the footer of every page.

It comes from the triage engine's own advice so that the footer and a result can
never disagree about which number to call.
"""

from __future__ import annotations

from functools import lru_cache

from spinecare.clinical.findings import Findings
from spinecare.clinical.triage.engine import TriageEngine

_FALLBACK = ("112", "112 reaches the emergency services in Europe and from most mobile phones.")


@lru_cache(maxsize=32)
def emergency_for_country(country: str) -> tuple[str, str]:
    try:
        advice = TriageEngine().evaluate(Findings(), country=country).advice
    except NotImplementedError:  # engine not wired yet (development only)
        return _FALLBACK
    return advice.emergency_number, advice.emergency_note
