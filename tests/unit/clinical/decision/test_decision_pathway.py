"""Pathway placement of the decision aid at its boundaries (pure core, no I/O)."""

from __future__ import annotations

import pytest

from spinecare.clinical.decision import (
    OPTION_IDS,
    RED_FLAGS,
    SUPPORTED_CONDITIONS,
    WARNING_SIGNS,
    Stage,
    Status,
    Urgency,
    evaluate,
    parse_decision_input,
)
from spinecare.clinical.triage.engine import TriageEngine
from spinecare.clinical.triage.knowledge import BUILTIN_KNOWLEDGE

ENGINE = TriageEngine(BUILTIN_KNOWLEDGE)
SURGERY = ("decompression", "decompression_with_fusion", "minimally_invasive")


def decide(**overrides):
    raw = {
        "condition": "lumbar_spinal_stenosis",
        "conservative_weeks": 20,
        "benefit": "none",
        "deficit": "none",
        "warning_signs": {k: False for k in WARNING_SIGNS},
    }
    raw.update(overrides)
    return evaluate(parse_decision_input(raw), ENGINE, emergency_number="999")


@pytest.mark.parametrize(
    ("weeks", "stage", "status"),
    [
        (11, Stage.CONSERVATIVE_FIRST, Status.NOT_YET),
        (11.9, Stage.CONSERVATIVE_FIRST, Status.NOT_YET),
        (12, Stage.SURGICAL_DISCUSSION, Status.REASONABLE_NOW),
        (13, Stage.SURGICAL_DISCUSSION, Status.REASONABLE_NOW),
        (26, Stage.SURGICAL_DISCUSSION, Status.REASONABLE_NOW),
        (40, Stage.SURGICAL_DISCUSSION, Status.REASONABLE_NOW),
    ],
)
def test_surgery_is_discussed_after_about_three_months_without_benefit(weeks, stage, status):
    result = decide(conservative_weeks=weeks)
    assert result.stage is stage
    assert result.option("decompression").status is status
    assert result.option("minimally_invasive").status is status


def test_eleven_weeks_says_not_yet_and_why():
    result = decide(conservative_weeks=11)
    reason = result.option("decompression").reasons[0]
    assert reason.rule_id == "DA-PATH-EARLY"
    assert "11 weeks" in reason.text and "12 weeks" in reason.text
    assert "nass-lss-2013" in reason.references


def test_thirteen_weeks_is_within_the_window():
    reason = decide(conservative_weeks=13).stage_reasons[0]
    assert reason.rule_id == "DA-PATH-NOT-ENOUGH"
    assert "within the usual 3-6 month window" in reason.text
    assert "beyond" in decide(conservative_weeks=27).stage_reasons[0].text


def test_good_benefit_means_surgery_not_needed_now_even_after_months():
    result = decide(conservative_weeks=30, benefit="good")
    assert result.stage is Stage.CONTINUE_CONSERVATIVE
    for option_id in SURGERY:
        assert result.option(option_id).status is Status.NOT_NEEDED_NOW


def test_some_benefit_with_minimal_odi_adds_a_caution():
    result = decide(conservative_weeks=16, benefit="some", odi=18)
    assert result.stage is Stage.SURGICAL_DISCUSSION
    assert [n.rule_id for n in result.notes] == ["DA-SCORE-ODI-MINIMAL"]
    assert decide(conservative_weeks=16, benefit="some", odi=46).notes == ()
    disc = decide(conservative_weeks=16, benefit="some", odi=18,
                  condition="lumbar_radiculopathy_disc_herniation")
    assert disc.notes == ()  # the guideline statement behind the note is about stenosis


@pytest.mark.parametrize("weeks", [0, 2, 11])
def test_progressive_deficit_brings_surgical_opinion_forward(weeks):
    early = decide(conservative_weeks=weeks, benefit="none" if weeks else None)
    assert early.option("decompression").status is not Status.REASONABLE_NOW
    result = decide(conservative_weeks=weeks, deficit="progressive")
    assert result.stage is Stage.SURGICAL_OPINION_SOON
    assert result.stage_reasons[0].rule_id == "DA-PATH-PROGRESSIVE"
    assert result.option("decompression").status is Status.REASONABLE_NOW
    # An injection is not a substitute for a specialist opinion on a worsening deficit.
    sciatica = decide(conservative_weeks=weeks, deficit="progressive",
                      condition="lumbar_radiculopathy_disc_herniation")
    assert sciatica.option("epidural_injection").status is Status.DISCUSS_WITH_SPECIALIST


def test_severe_deficit_brings_surgical_opinion_forward():
    result = decide(conservative_weeks=4, deficit="stable", severe_deficit=True,
                    condition="lumbar_radiculopathy_disc_herniation")
    assert result.stage is Stage.SURGICAL_OPINION_SOON
    assert result.stage_reasons[0].rule_id == "DA-PATH-SEVERE"


def test_stable_mild_deficit_does_not_bring_surgery_forward():
    result = decide(conservative_weeks=6, deficit="stable")
    assert result.stage is Stage.CONSERVATIVE_FIRST
    assert "DA-PATH-STABLE-DEFICIT" in result.rule_ids()


EMERGENCY_FLAGS = [k for k, f in RED_FLAGS.items() if f.urgency(ENGINE) is Urgency.EMERGENCY]


@pytest.mark.parametrize("flag", EMERGENCY_FLAGS)
def test_every_emergency_red_flag_bypasses_the_aid(flag):
    result = decide(red_flags=[flag], conservative_weeks=30)
    assert result.stage is Stage.EMERGENCY
    assert result.bypassed
    assert result.options == ()
    assert result.advice is not None and result.advice.level == "emergency"
    assert "999" in result.advice.headline
    assert result.stage_reasons[0].rule_id == "DA-RF-EMERGENCY"


def test_emergency_outranks_urgent_flags():
    result = decide(red_flags=["fever", "saddle_anaesthesia"])
    assert result.stage is Stage.EMERGENCY
    assert RED_FLAGS["saddle_anaesthesia"].question in result.advice.flags


@pytest.mark.parametrize(
    "flag", [k for k, f in RED_FLAGS.items() if f.urgency(ENGINE) is Urgency.URGENT])
def test_urgent_red_flag_sends_to_a_doctor_first(flag):
    result = decide(red_flags=[flag])
    assert result.stage is Stage.URGENT_REVIEW
    assert result.options == ()
    assert "24-48 hours" in result.advice.headline
    assert "999" in result.advice.text


@pytest.mark.parametrize("condition", list(SUPPORTED_CONDITIONS))
@pytest.mark.parametrize("weeks", [0, 8, 20])
def test_stem_cells_are_always_investigational(condition, weeks):
    result = decide(condition=condition, conservative_weeks=weeks)
    stem = result.option("stem_cell_injection")
    assert stem.status is Status.INVESTIGATIONAL_ONLY
    assert stem.status_label.startswith("Investigational")
    assert stem.reasons[0].rule_id == "DA-OPT-STEM-INVESTIGATIONAL"


@pytest.mark.parametrize("condition", list(SUPPORTED_CONDITIONS))
def test_every_option_is_assessed_with_reasons_and_references(condition):
    result = decide(condition=condition)
    assert tuple(o.option_id for o in result.options) == OPTION_IDS
    for option in result.options:
        assert option.reasons, option.option_id
        assert option.references, option.option_id


def test_injection_limit_at_three_in_twelve_months():
    disc = "lumbar_radiculopathy_disc_herniation"
    assert decide(injections_12m=2, condition=disc).option(
        "epidural_injection").status is Status.REASONABLE_NOW
    capped = decide(injections_12m=3, condition=disc).option("epidural_injection")
    assert capped.status is Status.NOT_YET
    assert capped.reasons[0].rule_id == "DA-OPT-ESI-LIMIT"
    assert "3 epidural injections" in capped.reasons[0].text


def test_injection_reasons_cite_the_fda_warning():
    disc = decide(condition="lumbar_radiculopathy_disc_herniation")
    assert "fda-2014-esi" in disc.option("epidural_injection").references


def test_nonspecific_back_pain_is_not_offered_surgery_or_injections():
    result = decide(condition="nonspecific_low_back_pain", conservative_weeks=30)
    assert result.stage is Stage.REHABILITATION_REVIEW
    for option_id in (*SURGERY, "epidural_injection"):
        assert result.option(option_id).status is Status.NOT_RECOMMENDED
    assert "nice-ng59" in result.option("decompression_with_fusion").references


def test_nonspecific_back_pain_with_progressive_deficit_is_reassessed():
    result = decide(condition="nonspecific_low_back_pain", deficit="progressive")
    assert result.stage is Stage.SURGICAL_OPINION_SOON
    assert result.option("decompression").status is Status.DISCUSS_WITH_SPECIALIST


def test_myelopathy_gets_a_surgical_opinion_now_and_no_injection():
    result = decide(condition="cervical_myelopathy", conservative_weeks=0, benefit=None)
    assert result.stage is Stage.SURGICAL_OPINION_SOON
    assert result.option("decompression").status is Status.REASONABLE_NOW
    assert result.option("epidural_injection").status is Status.NOT_RECOMMENDED
    assert result.stage_reasons[0].references == ("fehlings-2017",)


def test_lumbar_fusion_is_a_specialist_question_cervical_fusion_follows_timing():
    lumbar = decide(conservative_weeks=20).option("decompression_with_fusion")
    assert lumbar.status is Status.DISCUSS_WITH_SPECIALIST
    assert "forsth-2016" in lumbar.references
    cervical = decide(condition="cervical_radiculopathy").option("decompression_with_fusion")
    assert cervical.status is Status.REASONABLE_NOW


def test_references_follow_the_condition():
    refs = decide(condition="cervical_radiculopathy").stage_reasons[0].references
    assert "nass-crad-2011" in refs
    assert "nass-lss-2013" not in refs and "zaina-2016" not in refs


def test_result_is_json_ready_and_carries_rule_ids():
    data = decide().to_dict()
    assert data["stage"] == "surgical_discussion"
    assert "DA-PATH-NOT-ENOUGH" in data["rule_ids"]
    assert data["options"][0]["status_label"] == "Reasonable to consider now"
    assert "999" in data["safety_net"]


@pytest.mark.parametrize("answer", ["a_lot", "somewhat", "not_much"])
def test_values_answers_never_change_the_options(answer):
    plain = decide()
    questions = ("avoid_operation", "walk_further", "quick_relief", "lasting_result",
                 "avoid_serious_risk", "recovery_time", "proven_treatment", "cost")
    valued = decide(values={q: answer for q in questions})
    assert valued.options == plain.options and valued.stage is plain.stage
