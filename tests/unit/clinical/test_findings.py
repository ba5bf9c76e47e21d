"""Findings validation: nothing silently dropped, clear messages with the fix."""

from __future__ import annotations

import pytest

from spinecare.clinical.findings import FindingsError, parse_findings
from spinecare.clinical.vocabulary import VOCABULARY, FindingType, Group

# FINDINGS.md table headings (their first words) and the vocabulary group of each table.
_TABLE_GROUPS = {"Person and history": Group.PERSON, "Pain and its pattern": Group.PAIN,
                 "Nerves and red flags": Group.NERVES, "Examination and measurements": Group.EXAM}


def _findings_md_rows(shared_dir) -> list[tuple[str, str, str]]:
    """(key, type column, table heading) for every row of FINDINGS.md's findings tables."""
    text = (shared_dir / "eval" / "FINDINGS.md").read_text(encoding="utf-8")
    findings_part = text.split("## Findings", 1)[1].split("## Vignette", 1)[0]
    rows, heading = [], ""
    for line in findings_part.splitlines():
        if line.startswith("| `"):
            cells = [c.strip() for c in line.split("|")]
            rows.append((cells[1].strip("`"), cells[2], heading))
        elif line.strip() and not line.startswith("|"):
            heading = line.strip()
    return rows


def test_every_findings_md_key_is_in_the_vocabulary(shared_dir):
    keys = {key for key, _, _ in _findings_md_rows(shared_dir)}
    assert keys, "no keys parsed from FINDINGS.md"
    assert keys <= set(VOCABULARY), sorted(keys - set(VOCABULARY))


def test_every_findings_md_key_has_its_table_group_and_type(shared_dir):
    types = {"bool": (FindingType.BOOL,), "int": (FindingType.INTEGER,),
             "number": (FindingType.NUMBER, FindingType.INTEGER),
             "0–10": (FindingType.NUMBER, FindingType.INTEGER),
             '"female" / "male"': (FindingType.CHOICE,)}
    rows = _findings_md_rows(shared_dir)
    assert {h for _, _, h in rows if h}, "no table headings parsed from FINDINGS.md"
    for key, type_cell, heading in rows:
        group = next(g for start, g in _TABLE_GROUPS.items() if heading.startswith(start))
        assert VOCABULARY[key].group is group, (key, heading)
        assert VOCABULARY[key].type in types[type_cell], (key, type_cell)


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
