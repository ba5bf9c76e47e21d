"""Findings validation: nothing silently dropped, clear messages with the fix."""

from __future__ import annotations

import pytest

from spinecare.clinical.findings import FindingsError, parse_findings
from spinecare.clinical.vocabulary import VOCABULARY


def test_every_findings_md_key_is_in_the_vocabulary(shared_dir):
    text = (shared_dir / "eval" / "FINDINGS.md").read_text(encoding="utf-8")
    findings_part = text.split("## Findings", 1)[1].split("## Vignette", 1)[0]
    keys = {line.split("|")[1].strip().strip("`") for line in findings_part.splitlines()
            if line.startswith("| `")}
    assert keys, "no keys parsed from FINDINGS.md"
    assert keys <= set(VOCABULARY), sorted(keys - set(VOCABULARY))


def test_unknown_key_is_named_with_the_closest_valid_key():
    with pytest.raises(FindingsError) as err:
        parse_findings({"bladder_dysfunktion": True})
    problem = err.value.problems[0]
    assert problem.key == "bladder_dysfunktion"
    assert problem.suggestion == "bladder_dysfunction"
    assert "Did you mean 'bladder_dysfunction'" in str(err.value)


def test_all_problems_are_reported_not_just_the_first():
    with pytest.raises(FindingsError) as err:
        parse_findings({"age": 400, "pain_score": 11, "fevr": True})
    keys = [p.key for p in err.value.problems]
    assert keys == ["age", "pain_score", "fevr"]
    messages = str(err.value)
    assert "0 to 120" in messages and "0 to 10" in messages


@pytest.mark.parametrize(
    ("key", "value"),
    [("fever", "yes"), ("fever", 1), ("age", True), ("age", 71.5), ("sex", "other"),
     ("walking_distance_m", -5), ("ankle_brachial_index", float("nan"))],
)
def test_wrong_types_and_ranges_are_rejected(key, value):
    with pytest.raises(FindingsError) as err:
        parse_findings({key: value})
    assert err.value.problems[0].key == key
    assert "must be" in err.value.problems[0].message


def test_null_means_unknown_and_is_not_false():
    findings = parse_findings({"fever": None, "bladder_dysfunction": False})
    assert "fever" not in findings
    assert findings["bladder_dysfunction"] is False


def test_values_are_kept_exactly():
    findings = parse_findings({"age": 71, "sex": "Male", "walking_distance_m": 400.0})
    assert findings.as_dict() == {"age": 71, "sex": "male", "walking_distance_m": 400.0}


def test_a_non_object_is_rejected_clearly():
    with pytest.raises(FindingsError) as err:
        parse_findings(["fever"])  # type: ignore[arg-type]
    assert "must be an object" in str(err.value)
