"""The diary's warning signs are real triage findings, and each one alone is urgent or an
emergency in the real engine."""

from __future__ import annotations

from datetime import date

import pytest

from spinecare.bootstrap import triage_engine
from spinecare.clinical.diary.model import DayRecord
from spinecare.clinical.diary.warning_signs import (
    WARNING_SIGNS,
    UnknownWarningSign,
    findings_for_day,
    findings_for_warning_signs,
)
from spinecare.clinical.findings import parse_findings
from spinecare.clinical.rules.levels import Level
from spinecare.clinical.triage.engine import TriageEngine
from spinecare.clinical.vocabulary import VOCABULARY, FindingType

ENGINE: TriageEngine = triage_engine()
PAIN_DAY = DayRecord(day=date(2026, 5, 1), back_pain=4, leg_pain=6)


def test_every_sign_and_what_it_implies_is_a_boolean_finding() -> None:
    ids = [s.id for s in WARNING_SIGNS]
    assert len(ids) == len(set(ids))
    for sign in WARNING_SIGNS:
        for key in sign.findings:
            assert key in VOCABULARY, key
            assert VOCABULARY[key].type is FindingType.BOOL, key
        assert sign.label and sign.label[0].isupper()


def test_the_named_signs_are_offered() -> None:
    ids = {s.id for s in WARNING_SIGNS}
    assert {"bladder_dysfunction", "bowel_dysfunction", "saddle_anaesthesia",
            "weakness_progressive", "fever", "leg_weakness_bilateral"} <= ids


@pytest.mark.parametrize("sign", [s.id for s in WARNING_SIGNS])
def test_each_sign_alone_is_urgent_or_emergency(sign: str) -> None:
    # No pain rating at all: the spine diary's context (back pain) is assumed.
    result = ENGINE.evaluate(parse_findings(findings_for_warning_signs([sign], {})))
    assert result.level >= Level.URGENT, (sign, result.level)


def test_the_context_is_added_only_with_a_sign_and_only_when_pain_is_unstated() -> None:
    assert findings_for_warning_signs([], {}) == {}
    assert findings_for_warning_signs(["fever"], {"leg_pain": True}) == {
        "leg_pain": True, "fever": True}
    assert findings_for_warning_signs(["fever"], {})["back_pain"] is True


@pytest.mark.parametrize("sign", [s.id for s in WARNING_SIGNS])
def test_each_sign_on_a_day_with_pain_is_urgent_or_emergency(sign: str) -> None:
    base = findings_for_day(PAIN_DAY)
    result = ENGINE.evaluate(parse_findings(findings_for_warning_signs([sign], base)))
    assert result.level >= Level.URGENT, (sign, result.level)


def test_cauda_equina_signs_are_emergencies() -> None:
    for sign in ("bladder_dysfunction", "bowel_dysfunction", "saddle_anaesthesia"):
        found = findings_for_warning_signs([sign], {})
        assert ENGINE.evaluate(parse_findings(found)).level is Level.EMERGENCY


def test_nothing_is_claimed_false_and_a_tick_overrides_an_old_no() -> None:
    found = findings_for_warning_signs(["weakness_progressive"], {"fever": False, "age": 70})
    assert found == {"fever": False, "age": 70, "weakness_progressive": True,
                     "leg_weakness": True, "back_pain": True}
    ticked = findings_for_warning_signs(["fever"], {"fever": False})
    assert ticked == {"fever": True, "back_pain": True}
    assert findings_for_warning_signs([], {}) == {}
    assert all(v is True for v in findings_for_warning_signs(
        [s.id for s in WARNING_SIGNS], {}).values())


def test_an_unknown_sign_is_an_error_that_lists_the_choices() -> None:
    with pytest.raises(UnknownWarningSign, match="bladder_dysfunction"):
        findings_for_warning_signs(["unexplained_weight_loss"], {})


def test_a_day_claims_pain_only_when_rated_above_zero() -> None:
    assert findings_for_day(PAIN_DAY) == {"back_pain": True, "back_pain_score": 4,
                                          "leg_pain": True, "leg_pain_score": 6}
    assert findings_for_day(DayRecord(day=date(2026, 5, 1), back_pain=0)) == {}
