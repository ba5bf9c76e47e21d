"""extract_findings: the interface others code against, spans, numbers and bad input."""

from __future__ import annotations

import json

import pytest

from repo_paths import TEST_DATA
from spinecare.adapters.intake import FindingSpan, IntakeResult, extract_findings
from spinecare.adapters.intake.lexicon import load_lexicon
from spinecare.clinical.findings import parse_findings

BRIEF = "my legs ache when I walk but not on my bike, no problems peeing"


def test_brief_example_gives_the_stenosis_pattern_and_a_normal_bladder():
    result = extract_findings(BRIEF)
    assert isinstance(result, IntakeResult)
    assert result.findings["leg_symptoms_walking"] is True
    assert result.findings["leg_pain"] is True
    assert result.findings["cycling_tolerated"] is True
    assert result.findings["bladder_dysfunction"] is False
    assert result.uncertain == []


def test_findings_validate_against_the_vocabulary():
    result = extract_findings(BRIEF + ". I'm 71 and can walk about 400 metres, pain 7/10, "
                                      "it's been going on for a year")
    parsed = parse_findings(result.findings)
    assert parsed.as_dict() == result.findings
    assert result.findings["age"] == 71
    assert result.findings["walking_distance_m"] == 400
    assert result.findings["pain_score"] == 7
    assert result.findings["duration_weeks"] == 52


def test_every_span_points_at_its_text_and_names_a_lexicon_rule():
    text = "No fever, but I can't feel the paper when I wipe and my legs are weak."
    result = extract_findings(text)
    entries = load_lexicon().entries
    assert result.spans, "expected spans"
    for span in result.spans:
        assert isinstance(span, FindingSpan)
        assert text[span.start:span.end] == span.text
        rule = span.rule.removesuffix("+implies")
        assert rule in entries or rule.startswith(("number.", "text."))
    fever = [s for s in result.spans if s.key == "fever"]
    assert fever and fever[0].negated and fever[0].value is False and fever[0].text == "fever"


def test_each_finding_is_explained_by_a_span_with_the_same_value():
    result = extract_findings("Both legs have gone weak, I've wet myself and I'm not diabetic.")
    for key, value in result.findings.items():
        assert any(s.key == key and s.value == value for s in result.spans), key


def test_to_dict_is_json_ready_and_complete():
    result = extract_findings("not sure about my bladder, but my back aches")
    data = json.loads(json.dumps(result.to_dict()))
    assert set(data) == {"findings", "spans", "uncertain"}
    assert data["findings"] == {"back_pain": True}
    assert data["uncertain"] == ["bladder_dysfunction"]
    assert {"key", "value", "text", "start", "end", "negated", "uncertain", "rule"} <= set(
        data["spans"][0])
    unsure = [s for s in data["spans"] if s["key"] == "bladder_dysfunction"]
    assert unsure and unsure[0]["uncertain"] is True


@pytest.mark.parametrize(("text", "key", "value"), [
    ("peeing is fine", "bladder_dysfunction", False),
    ("I can't feel when I wipe", "saddle_anaesthesia", True),
    ("no trouble with my waterworks", "bladder_dysfunction", False),
    ("I wet myself last night", "bladder_dysfunction", True),
    ("if I lean on the trolley I can keep going", "shopping_cart_sign", True),
    ("fine on my bike though", "cycling_tolerated", True),
    ("pins and needles in my feet", "numbness_tingling_legs", True),
    ("it's in both legs", "leg_symptoms_bilateral", True),
    ("looking up makes my arms tingle", "neck_extension_worsens", True),
    ("my hands have gone clumsy", "hand_clumsiness", True),
])
def test_lay_phrases_from_the_brief(text, key, value):
    assert extract_findings(text).findings.get(key) is value


@pytest.mark.parametrize(("text", "key", "value"), [
    ("I can walk about 400 metres", "walking_distance_m", 400),
    ("only a hundred yards before I stop", "walking_distance_m", 91),
    ("half a mile and I need to sit", "walking_distance_m", 805),
    ("it's been like this for a year", "duration_weeks", 52),
    ("my back has hurt for about six months now", "duration_weeks", 26),
    ("leg pain for 8 weeks", "duration_weeks", 8),
    ("it started three days ago", "duration_weeks", 0.4),
    ("the pain is 8 out of 10", "pain_score", 8),
    ("my back pain is a six out of ten", "back_pain_score", 6),
    ("I've done 12 weeks of physio", "conservative_care_weeks", 12),
    ("I'm 64 years old", "age", 64),
    ("I'm a 55 year old woman", "sex", "female"),
])
def test_numbers_in_lay_words(text, key, value):
    assert extract_findings(text).findings.get(key) == value


@pytest.mark.parametrize("text", [
    "I fell 4 metres off scaffolding",         # a fall, not a walking distance
    "I've smoked for 40 years",                 # not how long the symptoms have lasted
    "I had breast cancer treated six years ago",
    "six weeks of physio",                      # care, not duration
])
def test_numbers_about_other_things_are_not_taken(text):
    findings = extract_findings(text).findings
    assert "walking_distance_m" not in findings
    assert "duration_weeks" not in findings


def test_empty_and_unrelated_text_give_nothing():
    assert extract_findings("").to_dict() == {"findings": {}, "spans": [], "uncertain": []}
    assert extract_findings("The weather is lovely today.").findings == {}


# Everyday sentences with no symptom in them: times, distances and words like
# "stenosis" or "gardening" must not turn into findings.
NEUTRAL = (TEST_DATA / "intake_neutral.txt")


@pytest.mark.parametrize("text", [t for t in NEUTRAL.read_text().splitlines() if t.strip()])
def test_everyday_sentences_give_no_findings(text):
    result = extract_findings(text)
    assert result.findings == {} and result.uncertain == []


def test_non_text_input_is_a_clear_error():
    with pytest.raises(TypeError, match="needs text"):
        extract_findings(None)  # type: ignore[arg-type]


def test_curly_apostrophes_and_missing_apostrophes_are_understood():
    assert extract_findings("I can’t feel when I wipe").findings["saddle_anaesthesia"] is True
    assert extract_findings("cant feel my privates properly").findings[
        "saddle_anaesthesia"] is True


def test_very_long_text_is_cut_and_still_answers():
    text = "my back aches. " * 5000
    result = extract_findings(text)
    assert result.findings["back_pain"] is True
    assert all(s.end <= 20_000 for s in result.spans)


def test_someone_elses_history_is_not_the_persons():
    findings = extract_findings("my dad died of prostate cancer").findings
    assert "history_of_cancer" not in findings


def test_concurrent_calls_give_the_same_answers_as_one_at_a_time():
    # The web API calls extract_findings from a thread pool with one shared pipeline.
    from concurrent.futures import ThreadPoolExecutor

    corpus = TEST_DATA / "intake_corpus.jsonl"
    texts = [json.loads(line)["text"] for line in corpus.read_text().splitlines() if line][:80]
    expected = [extract_findings(t).to_dict() for t in texts]
    with ThreadPoolExecutor(max_workers=8) as pool:
        got = list(pool.map(lambda t: extract_findings(t).to_dict(), texts * 3))
    assert got == expected * 3


def test_long_stories_are_read_in_pieces_with_offsets_into_the_whole_text():
    filler = "I have been gardening a lot this year and the roses are lovely. " * 60
    text = filler + "No fever, but I can't feel when I wipe."
    result = extract_findings(text)
    assert result.findings["saddle_anaesthesia"] is True
    assert result.findings["fever"] is False
    for span in result.spans:
        assert text[span.start:span.end] == span.text
    assert min(s.start for s in result.spans) > len(filler) - 1
