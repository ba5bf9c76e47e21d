"""Published scores computed exactly, from known items only; missing items never defaulted."""

from __future__ import annotations

import json

import pytest

from spinecare.clinical.findings import parse_findings
from spinecare.clinical.triage.engine import TriageEngine
from spinecare.clinical.triage.knowledge import BUILTIN_KNOWLEDGE
from spinecare.clinical.triage.knowledge.clinical_scores import KONNO

ENGINE = TriageEngine(BUILTIN_KNOWLEDGE)


def score(result, score_id):
    return next(s for s in result.scores if s.id == score_id)


def vignette(shared_dir, vid):
    for line in (shared_dir / "eval" / "dev_vignettes.jsonl").read_text().splitlines():
        row = json.loads(line)
        if row["id"] == vid:
            return parse_findings({**row["findings"], "age": row["age"], "sex": row["sex"]})
    raise AssertionError(vid)


@pytest.mark.parametrize(("vid", "published"), [("dev-001", 14), ("dev-033", 12)])
def test_konno_matches_the_worked_scores_in_the_vignette_sources(shared_dir, vid, published):
    # The vignette authors computed these by hand from Konno 2007's item table.
    konno = score(ENGINE.evaluate(vignette(shared_dir, vid)), "konno_2007")
    assert konno.points == published
    assert konno.positive is True  # >= 7 whatever the missing items turn out to be


@pytest.mark.parametrize(("vid", "published"), [("dev-004", 5), ("dev-006", -2)])
def test_konno_with_missing_items_brackets_the_worked_score(shared_dir, vid, published):
    konno = score(ENGINE.evaluate(vignette(shared_dir, vid)), "konno_2007")
    assert konno.missing_items, "these cases lack items; they must be reported"
    low = konno.points + sum(min(i.possible_points) for i in KONNO.items
                             if i.id in konno.missing_items)
    assert low <= published <= konno.max_possible
    # Never called positive; "undetermined" (None) when the missing items could still
    # reach 7 — the vignette authors filled gaps the tool must not fill.
    assert konno.positive is not True


def test_konno_range_is_minus_3_to_16():
    top = {"age": 75, "diabetes": False, "leg_symptoms_walking": True,
           "leg_symptoms_standing": True, "relief_sitting_or_flexion": True,
           "pain_worse_sitting_or_bending": False, "ankle_brachial_index": 1.1,
           "ankle_reflex_reduced": True, "straight_leg_raise_positive": False, "leg_pain": True}
    konno = score(ENGINE.evaluate(parse_findings(top)), "konno_2007")
    # 2+1+3+2+3+0+3+1+0 = 15 known, plus the always-missing 'bending backward' (+1) = 16.
    assert konno.points == 15 and konno.max_possible == 16
    bottom = {"age": 30, "diabetes": True, "leg_symptoms_walking": False,
              "leg_symptoms_standing": False, "relief_sitting_or_flexion": False,
              "pain_worse_sitting_or_bending": True, "ankle_brachial_index": 0.6,
              "ankle_reflex_reduced": False, "straight_leg_raise_positive": True,
              "leg_pain": True}
    assert score(ENGINE.evaluate(parse_findings(bottom)), "konno_2007").points == -3


def test_unmeasured_abi_is_never_assumed_normal():
    # A vascular claudicant: imputing "ABI normal" (+3) would push Konno over 7.
    f = parse_findings({"age": 70, "diabetes": False, "leg_pain": True,
                        "leg_symptoms_walking": True, "leg_symptoms_standing": False,
                        "relief_sitting_or_flexion": False})
    konno = score(ENGINE.evaluate(f), "konno_2007")
    assert "abi" in konno.missing_items
    assert konno.points == 2 + 1 + 3
    assert konno.positive is None or konno.positive is False
    assert "never assumed normal" in konno.note


def test_asas_needs_four_of_five_and_three_months():
    base = {"age": 27, "back_pain": True, "insidious_onset": True,
            "improves_with_exercise": True, "no_improvement_with_rest": True,
            "night_pain_eases_on_rising": False}
    chronic = score(ENGINE.evaluate(parse_findings({**base, "duration_weeks": 20})),
                    "asas_2009_ibp")
    assert chronic.points == 4 and chronic.positive is True
    acute = ENGINE.evaluate(parse_findings({**base, "duration_weeks": 4}))
    assert all(s.id != "asas_2009_ibp" for s in acute.scores)
    three = score(ENGINE.evaluate(parse_findings({**base, "duration_weeks": 20,
                                                  "improves_with_exercise": False})),
                  "asas_2009_ibp")
    assert three.points == 3 and three.positive is False


def test_cook_clusters_use_their_published_cutoffs():
    lss = score(ENGINE.evaluate(parse_findings({
        "age": 65, "leg_pain": True, "leg_symptoms_bilateral": True,
        "leg_pain_worse_than_back": True, "leg_symptoms_walking": True,
        "relief_sitting_or_flexion": True})), "cook_2011_lss_cluster")
    assert lss.points == 5 and lss.cutoff == 4 and lss.positive is True
    dcm = score(ENGINE.evaluate(parse_findings({
        "age": 60, "neck_pain": True, "balance_problems": True, "hoffmann_sign": True})),
        "cook_2010_myelopathy_cluster")
    assert dcm.points == 3 and dcm.positive is True
    assert "inverted_supinator" in dcm.missing_items
