"""QuestionnaireService: a total from a paper form is stored, scored and trended like item
answers; a blank form is refused and stores nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from spinecare.services.actor import Actor
from spinecare.services.errors import InvalidInput, PermissionDenied


def _patient(services, email: str = "pat@example.org") -> Actor:  # type: ignore[no-untyped-def]
    user = services.accounts.create(email, "a long phrase 1", "Pat", "patient")
    return Actor(user.id, "patient")


def _odi(value: int) -> dict[str, int]:
    return dict.fromkeys(("pain_intensity", "personal_care", "lifting", "walking", "sitting",
                          "standing", "sleeping", "sex_life", "social_life", "travelling"),
                         value)


def _count(services, actor: Actor) -> int:  # type: ignore[no-untyped-def]
    return len(services.questionnaires.list(actor, actor.user_id))


def test_a_paper_odi_is_stored_scored_and_marked(services) -> None:  # type: ignore[no-untyped-def]
    pat = _patient(services)
    day = datetime.now(UTC).date() - timedelta(days=30)
    record = services.questionnaires.record_total(pat, "odi", total=21, answered=9,
                                                  completed_on=day)
    assert record.answers == {"_entered_as": "total", "completed_on": day.isoformat(),
                              "total": 21, "answered": 9}
    assert record.score["score"] == 46.67 and record.score["band"] == "severe"
    assert record.score["knowledge_version"]
    assert record.created_at.date() == day  # dated as the paper form, so trends sort right
    # Same shape as a response given item by item.
    by_items = services.questionnaires.submit(pat, "odi", _odi(2))
    assert set(record.score) - {"raw", "percent"} == set(by_items.score) - {"raw", "percent"}


def test_the_change_since_the_paper_form_reads_both(services) -> None:  # type: ignore[no-untyped-def]
    from spinecare.entrypoints.web.pages.questionnaires import change_lines

    pat = _patient(services)
    old = services.questionnaires.record_total(
        pat, "odi", total=30, completed_on=datetime.now(UTC).date() - timedelta(days=90))
    new = services.questionnaires.submit(pat, "odi", _odi(1))  # 20 %
    rows = services.questionnaires.list(pat, pat.user_id, "odi")
    assert [r.id for r in rows] == [new.id, old.id]  # newest first, paper by its date
    lines = change_lines(services.instruments, "odi", old.score, new.score)
    assert lines == ["ODI score: from 60 to 20: clinically important improvement "
                     "(every MCID criterion met)."]


def test_zcq_means_and_startback_total(services) -> None:  # type: ignore[no-untyped-def]
    pat = _patient(services)
    zcq = services.questionnaires.record_total(
        pat, "zcq", subscales={"symptom_severity": 3.14, "physical_function": "2.4"})
    assert zcq.score["subscales"] == {"symptom_severity": 3.14, "physical_function": 2.4,
                                      "satisfaction": None}
    sbt = services.questionnaires.record_total(pat, "startback", total=6,
                                               subscales={"psychosocial": 4})
    assert (sbt.score["score"], sbt.score["band"]) == (6, "high")


@pytest.mark.parametrize(("kwargs", "field", "says"), [
    ({"total": 55}, "total", "from 0 to 50"),
    ({"total": 20, "completed_on": date(2999, 1, 1)}, "completed_on", "future"),
    ({"total": 20, "completed_on": date(1990, 1, 1)}, "completed_on", "more than 10 years"),
])
def test_a_bad_total_or_date_stores_nothing(services, kwargs, field, says) -> None:  # type: ignore[no-untyped-def]
    pat = _patient(services)
    with pytest.raises(InvalidInput) as raised:
        services.questionnaires.record_total(pat, "odi", **kwargs)
    assert says in raised.value.problems[field]
    assert _count(services, pat) == 0


def test_only_a_clinician_records_a_paper_mjoa(services) -> None:  # type: ignore[no-untyped-def]
    pat = _patient(services)
    with pytest.raises(PermissionDenied):
        services.questionnaires.record_total(pat, "mjoa", total=15)


@pytest.mark.parametrize("answers", [{}, {"back": None, "leg": None}, [None] * 4,
                                     {"back": "", "leg": " "}])
def test_a_blank_form_is_refused_and_stores_nothing(services, answers) -> None:  # type: ignore[no-untyped-def]
    pat = _patient(services)
    with pytest.raises(InvalidInput) as raised:
        services.questionnaires.submit(pat, "nrs", answers)
    assert "No answers were given" in raised.value.problems["answers"]
    assert _count(services, pat) == 0
