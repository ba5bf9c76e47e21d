"""The decision aid use case: the option grid is loaded once per service and checked."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from spinecare.clinical.decision import WARNING_SIGNS, GridError, OptionGrid
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

    aid = DecisionAidService(load, engine=ENGINE)
    assert loads == []
    first = aid.decide(RAW)
    second = aid.decide({**RAW, "conservative_weeks": 2})
    assert len(loads) == 1 and aid.grid is loads[0]
    assert first.knowledge_version == second.knowledge_version == aid.knowledge_version


def test_the_emergency_number_follows_the_service_country_unless_a_call_names_one() -> None:
    flagged = {**RAW, "warning_signs": {**NO_SIGNS, "bladder_dysfunction": True}}
    aid = DecisionAidService(engine=lambda: ENGINE, country="GB")
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
