"""Emergency queries raise the alarm through the intake and the triage red-flag rules."""

from __future__ import annotations

import pytest

from spinecare.adapters.intake import extract_findings
from spinecare.adapters.library.emergency_screen import screen_query
from spinecare.bootstrap import bootstrap, search_service
from spinecare.clinical.triage.engine import TriageEngine
from spinecare.clinical.triage.knowledge import BUILTIN_KNOWLEDGE
from spinecare.services.search import ScreenUnavailable
from spinecare.settings import Settings

ENGINE = TriageEngine(BUILTIN_KNOWLEDGE)
search_knowledge = search_service(bootstrap(Settings(cache_dir=None), engine=ENGINE)).search

EMERGENCIES = [
    "can't control my bladder",
    "numb between my legs",
    "legs suddenly weak and can't pee",
    "I can't feel the toilet paper when I wipe",
    "leaking urine since my back got worse",
    "sudden tearing pain in my back and I feel faint",
]

NOT_EMERGENCIES = [
    "pins and needles in my legs when I walk",
    "no problems with my bladder",
    "what is cauda equina syndrome",
    "is a steroid jab in the spine worth having",
    "how long off work after a fusion",
]


@pytest.mark.parametrize("query", EMERGENCIES)
def test_emergency_queries_are_flagged_with_the_rule_and_advice(query: str) -> None:
    screen = screen_query(query, ENGINE, extract=extract_findings)
    assert screen.emergency, f"missed emergency: {query!r} -> {screen.findings}"
    assert screen.rule_ids and all(r.startswith("RF-") for r in screen.rule_ids)
    assert screen.advice is not None and screen.advice.emergency_number
    assert screen.references


@pytest.mark.parametrize("query", NOT_EMERGENCIES)
def test_ordinary_and_negated_queries_are_not_flagged(query: str) -> None:
    assert screen_query(query, ENGINE, extract=extract_findings).emergency is False


def test_emergency_number_follows_the_country_setting() -> None:
    gb = screen_query("numb between my legs", ENGINE, extract=extract_findings, country="GB").advice
    us = screen_query("numb between my legs", ENGINE, extract=extract_findings, country="US").advice
    assert gb is not None and gb.emergency_number == "999 or 112"
    assert us is not None and us.emergency_number == "911"


def test_search_response_json_has_exactly_the_public_keys() -> None:
    data = search_knowledge("legs suddenly weak and can't pee", limit=3).to_dict()
    assert set(data) == {"query", "emergency", "results"}
    assert data["emergency"] is True
    assert data["results"], "an emergency query still gets its results"
    for result in data["results"]:
        assert set(result) == {"article_id", "title", "snippet", "score", "references"}
        assert result["references"] and all("citation" in r for r in result["references"])


def test_unsure_red_flags_are_named_without_raising_the_alarm() -> None:
    screen = screen_query("not sure about my bladder", ENGINE, extract=extract_findings)
    assert screen.emergency is False
    assert screen.unsure == ("bladder_dysfunction",)
    assert any("bladder" in q for q in screen.unsure_questions())


def test_a_plain_question_names_no_unsure_red_flags() -> None:
    query = "which exercises should I stay away from"
    assert screen_query(query, ENGINE, extract=extract_findings).unsure == ()


def _broken_intake(text: str) -> object:
    raise RuntimeError("lexicon failed to load")


def test_a_failing_screen_is_reported_not_read_as_no_emergency() -> None:
    screen = screen_query("numb between my legs", ENGINE, extract=_broken_intake)
    assert screen.unavailable is True
    assert screen.emergency is False
    response = search_knowledge("numb between my legs", limit=2, extract=_broken_intake)
    assert response.hits, "the articles are still found"
    with pytest.raises(ScreenUnavailable, match="call your emergency number now"):
        response.to_dict()
