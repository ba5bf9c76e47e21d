"""The adaptive interview: red flags first, emergencies stop it, 'not sure' is respected,
and it ends."""

from __future__ import annotations

from spinecare.clinical.findings import Findings, parse_findings
from spinecare.clinical.rules.levels import Level
from spinecare.clinical.triage.engine import TriageEngine
from spinecare.clinical.triage.interview import next_question
from spinecare.clinical.triage.knowledge import BUILTIN_KNOWLEDGE
from spinecare.clinical.triage.knowledge.screening import LOCATION_KEYS, SCREEN
from spinecare.clinical.vocabulary import VOCABULARY

ENGINE = TriageEngine(BUILTIN_KNOWLEDGE)
BASE = {"age": 58, "sex": "female", **{k: False for k in LOCATION_KEYS}}


def walk(truth: dict, limit: int = 80) -> tuple[list[str], dict, set[str]]:
    """Answer from ``truth``; anything not in it is 'not sure'."""
    findings: dict = {}
    skipped: set[str] = set()
    asked: list[str] = []
    for _ in range(limit):
        q = next_question(Findings(findings), ENGINE, skipped)
        if q is None:
            return asked, findings, skipped
        assert q.finding not in findings and q.finding not in skipped, "asked twice"
        asked.append(q.finding)
        if q.finding in truth:
            findings[q.finding] = truth[q.finding]
        else:
            skipped.add(q.finding)
    raise AssertionError(f"interview did not end after {limit} questions: {asked}")


def test_starts_with_age_sex_and_location_then_red_flags():
    asked, _, _ = walk({**BASE, "back_pain": True, "leg_pain": True})
    assert asked[:2] == ["age", "sex"]
    assert asked[2:2 + len(LOCATION_KEYS)] == list(LOCATION_KEYS)
    after = asked[2 + len(LOCATION_KEYS):]
    # The cauda equina screen comes first (its exact list is the rules' business).
    assert after[0] == "saddle_anaesthesia"
    assert {"bladder_dysfunction", "bowel_dysfunction"} <= set(after[:4])


def test_an_emergency_answer_stops_the_interview_at_once():
    truth = {**BASE, "back_pain": True, "leg_pain": True, "saddle_anaesthesia": True}
    asked, findings, _ = walk(truth)
    assert asked[-1] == "saddle_anaesthesia"
    assert ENGINE.evaluate(parse_findings(findings)).level is Level.EMERGENCY


def test_not_sure_is_never_asked_again_and_stays_open():
    truth = {**BASE, "back_pain": True}
    asked, findings, skipped = walk(truth)
    assert len(asked) == len(set(asked))
    result = ENGINE.evaluate(parse_findings(findings))
    open_keys = {q.finding for q in result.open_questions}
    assert "saddle_anaesthesia" in skipped and "saddle_anaesthesia" in open_keys
    assert result.complete is False


def test_every_question_has_text_and_sets_a_known_finding():
    findings: dict = {}
    truth = {**BASE, "back_pain": True, "leg_pain": True, "leg_symptoms_walking": True}
    for _ in range(60):
        q = next_question(Findings(findings), ENGINE)
        if q is None:
            break
        assert q.finding in VOCABULARY and not VOCABULARY[q.finding].clinician_only
        assert q.text.endswith("?") and q.reason
        assert q.kind in {"bool", "number", "choice"}
        findings[q.finding] = truth.get(q.finding, False if q.kind == "bool" else 1)
    else:
        raise AssertionError("interview did not end")


def test_it_separates_stenosis_from_vascular_claudication():
    # Leg pain on walking: the interview must ask what relieves it.
    truth = {**BASE, "age": 70, "leg_pain": True, "leg_symptoms_walking": True,
             "relief_sitting_or_flexion": True, "leg_symptoms_standing": True,
             "shopping_cart_sign": True}
    for key in ("saddle_anaesthesia", "bladder_dysfunction", "bowel_dysfunction",
                "leg_weakness", "trauma_recent", "fever", "history_of_cancer",
                "unexplained_weight_loss", "night_pain_unrelenting", "osteoporosis",
                "long_term_steroids", "minor_trauma_or_strain", "falls_recent",
                "onset_sudden", *(q.finding for q in SCREEN)):
        truth.setdefault(key, False)
    asked, findings, _ = walk(truth)
    assert "relief_sitting_or_flexion" in asked or "relief_standing_still" in asked
    result = ENGINE.evaluate(parse_findings(findings))
    assert result.top_condition == "lumbar_spinal_stenosis"
    assert result.complete is True


def test_the_interview_reaches_the_gold_level_on_every_dev_vignette(shared_dir):
    import json

    order = list(Level)
    for line in (shared_dir / "eval" / "dev_vignettes.jsonl").read_text().splitlines():
        row = json.loads(line)
        truth = {**row["findings"], "age": row["age"], "sex": row["sex"]}
        _, findings, _ = walk(truth)
        level = ENGINE.evaluate(parse_findings(findings)).level
        gold = Level(row["gold_triage"])
        # Answering only what the vignette states (everything else 'not sure'), the
        # interview must never end below the gold level.
        assert order.index(level) >= order.index(gold), (row["id"], level, gold)


def test_no_leg_questions_after_no_leg_pain_and_no_leg_numbness():
    truth = {**BASE, "back_pain": True, "pain_mechanical": True, "duration_weeks": 2}
    asked, _, _ = walk(truth)
    for leg_only in ("leg_pain_below_knee", "relief_sitting_or_flexion", "shopping_cart_sign",
                     "walking_distance_m", "leg_symptoms_walking"):
        assert leg_only not in asked


def test_not_sure_about_an_emergency_sign_is_never_read_as_no():
    # Every emergency screening question answered "no" except the one in doubt.
    screen_no = {q.finding: False for q in SCREEN if q.finding != "bladder_dysfunction"}
    findings = parse_findings({"age": 40, "back_pain": True, "pain_mechanical": True,
                               "duration_weeks": 1, "leg_pain": False, **screen_no})
    assert ENGINE.evaluate(findings).level is Level.ROUTINE  # an open question: not self-care
    findings = parse_findings({**findings.data, "bladder_dysfunction": False})
    assert ENGINE.evaluate(findings).level is Level.SELF_CARE
    findings = parse_findings({k: v for k, v in findings.data.items()
                               if k != "bladder_dysfunction"})
    unsure = ENGINE.evaluate(findings, unsure={"bladder_dysfunction"})
    assert unsure.level is Level.URGENT
    reason = next(r for r in unsure.reasons if r.rule_id == "RF-UNSURE-EMERGENCY-SIGN")
    assert reason.findings == ("bladder_dysfunction",)
    # "Not sure" about something that is not an emergency sign does not escalate.
    every_no = parse_findings({**findings.data, "bladder_dysfunction": False})
    assert ENGINE.evaluate(every_no, unsure={"smoker"}).level is Level.SELF_CARE


def test_the_shared_conversation_asks_what_the_policy_asks():
    """Every door runs Conversation; without unclear keys from free text it asks exactly
    the questions of this policy, in the same order, and ends at the same point."""
    from spinecare.clinical.triage.conversation import Conversation

    truth = {**BASE, "back_pain": True, "leg_pain": True, "leg_symptoms_walking": True}
    asked, _, _ = walk(truth)
    state = Conversation()
    shared: list[str] = []
    while (q := state.next_question(ENGINE)) is not None:
        shared.append(q.finding)
        state = state.answered(q.finding, truth.get(q.finding))
    assert shared == asked
