"""The decision aid use case: the option grid is loaded once per service and checked."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from spinecare.adapters.library.references import load_references
from spinecare.clinical.decision import WARNING_SIGNS, GridError, OptionGrid
from spinecare.clinical.decision.red_flags import sign_urgencies
from spinecare.clinical.triage.engine import TriageEngine
from spinecare.clinical.triage.knowledge import BUILTIN_KNOWLEDGE
from spinecare.services.decision_aid import (
    TREATMENTS_DIR,
    VALUE_ANSWERS,
    DecisionAidService,
    load_grid,
)

NO_SIGNS = {k: False for k in WARNING_SIGNS}
ENGINE = TriageEngine(BUILTIN_KNOWLEDGE)
RAW = {"condition": "lumbar_spinal_stenosis", "conservative_weeks": 20, "benefit": "none",
       "deficit": "none", "warning_signs": NO_SIGNS}


def test_the_grid_is_loaded_on_first_use_and_then_kept() -> None:
    loads: list[OptionGrid] = []

    def load() -> OptionGrid:
        loads.append(load_grid())
        return loads[-1]

    aid = DecisionAidService(load, engine=ENGINE, references=load_references)
    assert loads == []
    first = aid.decide(RAW)
    second = aid.decide({**RAW, "conservative_weeks": 2})
    assert len(loads) == 1 and aid.grid is loads[0]
    assert first.knowledge_version == second.knowledge_version == aid.knowledge_version


def test_the_emergency_number_follows_the_service_country_unless_a_call_names_one() -> None:
    flagged = {**RAW, "warning_signs": {**NO_SIGNS, "bladder_dysfunction": True}}
    aid = DecisionAidService(load_grid, engine=lambda: ENGINE, references=load_references,
                             country="GB")
    assert aid.decide(flagged).result.bypassed
    gb = aid.decide(flagged).to_dict()["advice"]["emergency_number"]
    us = aid.decide(flagged, country="US").to_dict()["advice"]["emergency_number"]
    assert (gb, us) == ("999 or 112", "911")


def test_a_grid_whose_answer_scale_the_api_does_not_name_is_refused(tmp_path: Path) -> None:
    content = tmp_path / "treatments"
    shutil.copytree(TREATMENTS_DIR, content)
    questions = content / "questions.yaml"
    text = questions.read_text(encoding="utf-8")
    assert "id: not_much" in text
    questions.write_text(text.replace("id: not_much", "id: hardly"), encoding="utf-8")
    with pytest.raises(GridError, match="answer scale must be"):
        load_grid(content)
    assert tuple(a for a, _ in load_grid().scale) == VALUE_ANSWERS


def test_sign_urgencies_are_worked_out_once_per_service() -> None:
    # GET /decide asks on every request: one engine evaluation per sign must not be paid
    # each time. The engine is asked for only while they are worked out.
    asked: list[TriageEngine] = []

    def engine() -> TriageEngine:
        asked.append(ENGINE)
        return ENGINE

    aid = DecisionAidService(load_grid, engine=engine, references=load_references)
    first = aid.sign_urgencies()
    assert len(asked) == 1 and set(first) == set(WARNING_SIGNS)
    first.clear()  # a caller's copy: the service's answer stays whole
    assert aid.sign_urgencies() == sign_urgencies(ENGINE)
    assert len(asked) == 1


def test_a_sign_that_leads_to_emergency_advice_stops_the_aid_whatever_else_is_missing() -> None:
    aid = DecisionAidService(load_grid, engine=ENGINE, references=load_references)
    assert aid.stops_the_aid({"warning_signs": {"bladder_dysfunction": "yes"}})
    assert not aid.stops_the_aid({"warning_signs": {"bladder_dysfunction": "no"}})
    assert not aid.stops_the_aid(RAW)
    assert not aid.stops_the_aid({})
