"""The warning signs a diary day can record, and the findings they give the triage engine.

Each sign's id is a finding id of the triage vocabulary (clinical/vocabulary.py), so a
ticked sign re-runs the same red-flag rules as the symptom check. A sign may imply other
findings it states in its own words: "new or worsening weakness in a leg" is both
``leg_weakness`` and ``weakness_progressive``. Nothing is ever set to False: a sign not
ticked is unknown, not "no".

Only signs that the red-flag rules rate urgent or an emergency on their own are listed (a
test runs each through the real engine). Unexplained weight loss is not one of them: alone
it is a weak sign (it counts with age, a cancer history or other signs), so the diary does
not offer it as a warning sign; the symptom check asks about it with the signs it goes with.
New loss of sexual function is a cauda equina sign when it comes with back or leg pain.
A diary day may rate no pain at all, so when a sign is ticked and the day says nothing
about back or leg pain, back pain is assumed (``DIARY_CONTEXT``): the diary is a spine
diary, kept by people with back or neck pain, exactly as the health library's emergency
screen assumes it for a search on this site. A ticked sign is then never routine.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from spinecare.clinical.diary.model import DayRecord

FindingValue = bool | float | int | str


@dataclass(frozen=True, slots=True)
class WarningSign:
    id: str                       # a finding id of the vocabulary
    label: str                    # plain words for the diary page
    implies: tuple[str, ...] = ()  # further finding ids the same words state (set True)

    @property
    def findings(self) -> tuple[str, ...]:
        return (self.id, *self.implies)


WARNING_SIGNS: tuple[WarningSign, ...] = (
    WarningSign("bladder_dysfunction",
                "New problem with your bladder: cannot pass urine, leaking, or not feeling "
                "when you pass it"),
    WarningSign("bowel_dysfunction", "New loss of control of your bowels"),
    WarningSign("saddle_anaesthesia",
                "Numbness between your legs, around your bottom or genitals, or on the inner "
                "thighs"),
    WarningSign("sexual_dysfunction_new", "New loss of sexual function or genital feeling"),
    WarningSign("weakness_progressive", "New or worsening weakness in a leg",
                ("leg_weakness",)),
    WarningSign("leg_weakness_bilateral", "Both legs weak", ("leg_weakness",)),
    WarningSign("foot_drop", "Your foot slaps down or catches on the ground when you walk"),
    WarningSign("unable_to_walk_or_stand", "You cannot walk or stand"),
    WarningSign("balance_problems", "Your walking has become unsteady, or you stumble"),
    WarningSign("fever", "Fever, chills or shivering with your back pain"),
    WarningSign("trauma_recent", "A serious fall or accident"),
    WarningSign("sudden_severe_tearing_pain",
                "Sudden, severe pain in your back or belly that was at its worst within "
                "minutes"),
    WarningSign("cold_pale_feet_or_skin_changes", "A cold, pale or discoloured foot or toes"),
)

WARNING_SIGNS_BY_ID: dict[str, WarningSign] = {s.id: s for s in WARNING_SIGNS}


# What a ticked sign is read with when the day says nothing about back or leg pain (see
# the module docstring): it can only raise the level, never lower it.
DIARY_CONTEXT: dict[str, FindingValue] = {"back_pain": True}
_PAIN_KEYS = ("back_pain", "leg_pain")


class UnknownWarningSign(ValueError):
    """A sign id that is not one of the diary's warning signs."""


def findings_for_warning_signs(
    signs: Iterable[str], base: Mapping[str, FindingValue],
) -> dict[str, FindingValue]:
    """The findings for the triage engine: ``base`` (what is already known) with every
    ticked sign and what it implies set True. Nothing is set False; a ticked sign overrides
    an earlier "no" in ``base`` (the newer, more cautious answer wins). With a sign and no
    word on back or leg pain, ``DIARY_CONTEXT`` is added."""
    signs = list(signs)
    findings: dict[str, FindingValue] = dict(base)
    if signs and not any(key in findings for key in _PAIN_KEYS):
        findings.update(DIARY_CONTEXT)
    for sign_id in signs:
        sign = WARNING_SIGNS_BY_ID.get(sign_id)
        if sign is None:
            choices = ", ".join(WARNING_SIGNS_BY_ID)
            raise UnknownWarningSign(
                f"'{sign_id}' is not a diary warning sign; choose from: {choices}.")
        for key in sign.findings:
            findings[key] = True
    return findings


def findings_for_day(day: DayRecord) -> dict[str, FindingValue]:
    """What a diary day says about pain, as findings: a back or leg rating above 0 means
    that pain is present (and its score); a rating of 0 or none claims nothing."""
    findings: dict[str, FindingValue] = {}
    if day.back_pain is not None and day.back_pain > 0:
        findings["back_pain"] = True
        findings["back_pain_score"] = day.back_pain
    if day.leg_pain is not None and day.leg_pain > 0:
        findings["leg_pain"] = True
        findings["leg_pain_score"] = day.leg_pain
    return findings

