"""Scoring a questionnaire recorded as a total from a paper form.

When an instrument's wording is licensed, a person can still fill in the clinic's paper
form and enter what it adds up to. This module scores such an entry with the same
published rules as ``scoring.py`` and returns the same ``ScoreSummary`` that a stored
item-by-item response carries, so trends and the change/MCID code read both alike:

- ODI / NDI (``sum_percent``, Fairbank 2000; Vernon 1991): the sum of the section scores
  and how many sections were answered; percent = total / (5 × answered) × 100; NDI also
  gives the prorated raw 0-50 score, on which its bands are set.
- RMDQ (``count``): statements that apply and how many were answered; rescaled as
  applies × 24 / answered when some were left out (Kent & Lauridsen), flagged.
- STarT Back (``startback``, Hill 2008): the total (0-9) and the psychosocial subscale
  (0-5); both are needed for the risk group.
- ZCQ / NRS (``subscale_means``): each scale's mean, as worked out on the form.
- mJOA (``sum_all``): the total 0-18.

The missing-item limits are the definition's (``max_missing``, ``min_answered``), and
every entry is checked against the definition's ranges; a problem says the allowed range.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from spinecare.clinical.instruments.model import InstrumentDefinition, RuleKind
from spinecare.clinical.instruments.result import ScoreSummary, number


class TotalError(ValueError):
    """The entry does not fit the instrument: ``problems`` maps a field to a message."""

    def __init__(self, problems: dict[str, str]):
        self.problems = problems
        super().__init__("; ".join(f"{k}: {v}" for k, v in problems.items()))


@dataclass(frozen=True, slots=True)
class TotalField:
    """One number a paper entry asks for: ``total``, ``answered`` or ``subscales.<id>``."""

    name: str
    label: str
    min: Fraction
    max: Fraction
    whole: bool  # a whole number (a sum or a count), else a mean with decimals
    required: bool
    hint: str = ""

    def range_text(self) -> str:
        lo, hi = _show(self.min), _show(self.max)
        kind = "a whole number" if self.whole else "a number"
        return f"{kind} from {lo} to {hi}"


def _show(value: Fraction) -> str:
    shown = number(value, 2)
    return f"{shown:g}"


def total_fields(definition: InstrumentDefinition) -> tuple[TotalField, ...]:
    """What a paper entry of ``definition`` asks for, in the order a form shows it."""
    d, rule = definition, definition.rule
    n = len(d.items)
    if rule.kind in (RuleKind.SUM_PERCENT, RuleKind.COUNT):
        per_item = d.items[0].max_score
        word = "sections" if rule.kind is RuleKind.SUM_PERCENT else "statements"
        if rule.kind is RuleKind.SUM_PERCENT:
            total_label = f"Total of the section scores (each 0 to {per_item})"
            total_hint = f"Add up the score of every section you answered: 0 to {per_item * n}."
        else:
            total_label = "Number of statements that apply to you"
            total_hint = f"Count the statements you ticked: 0 to {n}."
        return (
            TotalField("total", total_label, Fraction(0), Fraction(per_item * n), True, True,
                       total_hint),
            TotalField("answered", f"Number of {word} answered", Fraction(n - rule.max_missing),
                       Fraction(n), True, False,
                       f"Leave it at {n} if you answered them all. {d.short_name} is scored "
                       f"with at most {rule.max_missing} left out."),
        )
    if rule.kind is RuleKind.STARTBACK:
        assert d.score is not None
        sub = d.subscales[0]
        return (
            TotalField("total", "Overall score (total)", d.score.min, d.score.max, True, True,
                       "The number of questions scored 1: 0 to 9."),
            TotalField(f"subscales.{sub.id}", f"{sub.label} score", sub.score_min,
                       sub.score_max, True, True, "Questions 5 to 9 only: 0 to 5."),
        )
    if rule.kind is RuleKind.SUM_ALL:
        assert d.score is not None
        return (TotalField("total", d.score.label, d.score.min, d.score.max, True, True),)
    # SUBSCALE_MEANS: one mean per scale.
    fields = []
    for sub in d.subscales:
        whole = len(sub.items) == 1
        hint = "" if whole else (
            f"The mean of the {len(sub.items)} answers in this part (at least "
            f"{sub.min_answered} answered), from {_show(sub.score_min)} to "
            f"{_show(sub.score_max)}.")
        if sub.optional:
            hint = (hint + " Leave it empty if this part was not filled in.").strip()
        fields.append(TotalField(f"subscales.{sub.id}", sub.label, sub.score_min,
                                 sub.score_max, whole, not sub.optional, hint))
    return tuple(fields)


def _read(value: Any, spec: TotalField, problems: dict[str, str],
          label: str) -> Fraction | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if spec.required:
            problems[spec.name] = f"{label}: enter {spec.range_text()}."
        return None
    if isinstance(value, bool):
        problems[spec.name] = f"{label} must be {spec.range_text()}."
        return None
    try:
        if isinstance(value, Fraction):
            exact = value
        elif isinstance(value, int):
            exact = Fraction(value)
        else:
            text = str(value).strip().replace(",", ".")
            decimal = Decimal(text)
            if not decimal.is_finite():
                raise InvalidOperation(text)
            exact = Fraction(decimal)
    except (InvalidOperation, ValueError, TypeError):
        problems[spec.name] = f"{label} must be {spec.range_text()}."
        return None
    if (spec.whole and exact.denominator != 1) or not spec.min <= exact <= spec.max:
        problems[spec.name] = f"{label} must be {spec.range_text()}; {_show(exact)} is not."
        return None
    return exact


def read_entry(
    definition: InstrumentDefinition,
    total: Any = None,
    answered: Any = None,
    subscales: dict[str, Any] | None = None,
) -> dict[str, Fraction | None]:
    """The numbers of a paper entry, checked against the definition's ranges, by field
    name (``total``, ``answered``, ``subscales.<id>``). Raises ``TotalError``."""
    d = definition
    fields = {f.name: f for f in total_fields(d)}
    subscales = dict(subscales or {})
    problems: dict[str, str] = {}
    known_subs = {name.removeprefix("subscales.") for name in fields if "." in name}
    for key in subscales:
        if key not in known_subs:
            allowed = ", ".join(sorted(known_subs)) or "none"
            problems[f"subscales.{key}"] = (
                f"{d.short_name} has no part '{key}' to enter; parts: {allowed}.")
    if "total" not in fields and total is not None:
        problems["total"] = (f"{d.short_name} has no single total: enter the mean of each "
                             "part instead.")
    if "answered" not in fields and answered is not None:
        problems["answered"] = (f"{d.short_name} does not use the number answered: leave it "
                                "out.")
    values: dict[str, Fraction | None] = {}
    for name, spec in fields.items():
        raw = total if name == "total" else answered if name == "answered" else \
            subscales.get(name.removeprefix("subscales."))
        values[name] = _read(raw, spec, problems, spec.label)
    if problems:
        raise TotalError(problems)
    return values


def score_entry(definition: InstrumentDefinition,
                values: dict[str, Fraction | None]) -> ScoreSummary:
    """Score the numbers ``read_entry`` gave with the instrument's published rule.
    Raises ``TotalError`` when they contradict each other (a total above the maximum for
    the number answered)."""
    return _RULES[definition.rule.kind](definition, values)


def score_total(
    definition: InstrumentDefinition,
    total: Any = None,
    answered: Any = None,
    subscales: dict[str, Any] | None = None,
) -> ScoreSummary:
    """Score a paper form's total (and answered count or subscale means) with the
    published rules. Raises ``TotalError`` naming each field that does not fit."""
    return score_entry(definition, read_entry(definition, total, answered, subscales))


def _summary(d: InstrumentDefinition, **kw: Any) -> ScoreSummary:
    spec = d.score
    decimals = spec.decimals if spec else 2
    fields: dict[str, Any] = {
        "instrument": d.id,
        "instrument_name": d.name,
        "version": d.version,
        "score": None,
        "band": None,
        "band_label": None,
        "subscales": {},
        "subscale_bands": {},
        "scored": True,
        "reason": None,
        "unit": (spec.unit or None) if spec else None,
        "range": (number(spec.min), number(spec.max)) if spec else None,
        "direction": str(spec.direction) if spec else None,
        "answered": len(d.items),
        "items": len(d.items),
        "missing_items": (),
        "rescaled": False,
        "notes": (),
        "references": d.rule.references,
        "answers": {},
    }
    for key in ("score", "raw", "percent"):
        if key in kw and isinstance(kw[key], Fraction):
            kw[key] = number(kw[key], decimals)
    fields.update(kw)
    return ScoreSummary(**fields)


PAPER_NOTE = "Entered as a total from a paper form."


def _sum_percent(d: InstrumentDefinition, v: dict[str, Fraction | None]) -> ScoreSummary:
    """ODI (Fairbank 2000) / NDI: total / (item maximum × sections answered) × 100."""
    n = len(d.items)
    total = v["total"]
    assert total is not None
    answered = int(v["answered"]) if v["answered"] is not None else n
    per_item = d.items[0].max_score
    possible = per_item * answered
    if total > possible:
        raise TotalError({"total": (
            f"With {answered} sections answered the total can be at most {possible} "
            f"({per_item} per section); {_show(total)} is more. Check the total or the "
            "number answered.")})
    percent = total * 100 / possible
    raw = percent * d.rule.raw_max / 100 if d.rule.raw_max else None
    notes = [f"{PAPER_NOTE} {_show(total)} of {possible}."]
    if answered < n:
        notes.append(f"Scored from {answered} of {n} sections: the maximum possible score "
                     f"shrinks by {per_item} per missing section (missing sections are not "
                     "counted as 0).")
    band = None
    if d.bands:
        band = d.bands.classify(raw if d.bands.applies_to == "raw" and raw is not None
                                else percent)
    return _summary(d, score=percent, raw=raw, band=band.id if band else None,
                    band_label=band.label if band else None, answered=answered,
                    rescaled=answered < n, notes=tuple(notes))


def _count(d: InstrumentDefinition, v: dict[str, Fraction | None]) -> ScoreSummary:
    """RMDQ: statements that apply; rescaled proportionally (and flagged) when some were
    not answered."""
    n = len(d.items)
    applies = v["total"]
    assert applies is not None
    answered = int(v["answered"]) if v["answered"] is not None else n
    if applies > answered:
        raise TotalError({"total": (
            f"With {answered} statements answered at most {answered} can apply; "
            f"{_show(applies)} is more. Check the count or the number answered.")})
    notes = [f"{PAPER_NOTE} {_show(applies)} of {answered} statements apply."]
    if answered < n:
        notes.append(f"{n - answered} statement(s) not answered: the count is rescaled "
                     f"proportionally to the {n}-statement range (Kent & Lauridsen); flagged "
                     "as rescaled.")
    return _summary(d, score=applies * n / answered, raw=applies,
                    percent=applies * 100 / answered, answered=answered,
                    rescaled=answered < n, notes=tuple(notes))


def _startback(d: InstrumentDefinition, v: dict[str, Fraction | None]) -> ScoreSummary:
    """Keele STarT Back (Hill 2008): total <= 3 low; else psychosocial >= 4 high; else medium."""
    r, sub = d.rule, d.subscales[0]
    total, psych = v["total"], v[f"subscales.{sub.id}"]
    assert total is not None and psych is not None
    others = sum(d.item(i).max_score for i in r.total_items if i not in r.psychosocial_items)
    if psych > total or total - psych > others:
        raise TotalError({"total": (
            f"The psychosocial score ({_show(psych)}) is part of the total, so the total must "
            f"be from {_show(psych)} to {_show(psych + others)}. Check both numbers.")})
    if total <= r.low_max_total:
        band_id = "low"
    elif psych >= r.high_min_psychosocial:
        band_id = "high"
    else:
        band_id = "medium"
    assert d.bands is not None
    band = d.bands.by_id(band_id)
    return _summary(d, score=total, band=band.id, band_label=band.label,
                    subscales={sub.id: number(psych, 3)}, notes=(PAPER_NOTE,))


def _sum_all(d: InstrumentDefinition, v: dict[str, Fraction | None]) -> ScoreSummary:
    """mJOA: the sum of all domains, as added up on the form."""
    total = v["total"]
    assert total is not None
    band = d.bands.classify(total) if d.bands else None
    return _summary(d, score=total, band=band.id if band else None,
                    band_label=band.label if band else None, notes=(PAPER_NOTE,))


def _subscale_means(d: InstrumentDefinition, v: dict[str, Fraction | None]) -> ScoreSummary:
    """ZCQ / NRS: each scale's mean as entered; an optional scale left empty is not scored."""
    subs: dict[str, int | float | None] = {}
    bands: dict[str, str] = {}
    reasons: dict[str, str] = {}
    answered = 0
    for sub in d.subscales:
        mean = v[f"subscales.{sub.id}"]
        if mean is None:
            subs[sub.id] = None
            reasons[sub.id] = "not answered"
            continue
        subs[sub.id] = number(mean, 3)
        answered += len(sub.items)
        if sub.bands:
            bands[sub.id] = sub.bands.classify(mean).id
    if answered == 0:
        raise TotalError({"subscales": "Enter at least one score."})
    return _summary(d, subscales=subs, subscale_bands=bands, subscale_reasons=reasons,
                    answered=answered, notes=(PAPER_NOTE,))


_RULES = {
    RuleKind.SUM_PERCENT: _sum_percent,
    RuleKind.COUNT: _count,
    RuleKind.STARTBACK: _startback,
    RuleKind.SUM_ALL: _sum_all,
    RuleKind.SUBSCALE_MEANS: _subscale_means,
}
