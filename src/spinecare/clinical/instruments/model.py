"""The instrument definition model: one validated questionnaire, described as data.

A definition carries everything the scoring, the screens and the FHIR export need:
items and their answer options (the value a person gives and the score it carries),
subscales, the scoring rule and its missing-item limit, interpretation bands, the
minimal clinically important difference (MCID), recall period, respondent, licence
and references. Nothing here knows where the definition came from (YAML, an imported
FHIR Questionnaire); ``parse.py`` builds these objects from plain mappings.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum
from fractions import Fraction


class ItemKind(StrEnum):
    CHOICE = "choice"  # one of a fixed list of options, each with a score
    INTEGER = "integer"  # a whole number in [min_value, max_value]; the value is the score


class RuleKind(StrEnum):
    SUM_PERCENT = "sum_percent"  # ODI, NDI: sum / (max × answered) × 100
    COUNT = "count"  # RMDQ: count of statements that apply, rescaled if missing
    SUBSCALE_MEANS = "subscale_means"  # ZCQ, NRS: mean of answered items per subscale
    STARTBACK = "startback"  # Keele STarT Back: total, psychosocial, risk group
    SUM_ALL = "sum_all"  # mJOA: sum of domains, every domain required


class Direction(StrEnum):
    HIGHER_IS_WORSE = "higher_is_worse"
    HIGHER_IS_BETTER = "higher_is_better"


@dataclass(frozen=True, slots=True)
class Option:
    value: int  # what a person (or the CLI JSON, or a FHIR code) gives
    score: int  # what the option contributes to the score (SDC ordinalValue)
    text: str = ""  # wording; empty where the wording is licensed out
    label: str = ""  # our own short label (e.g. "agree"), shipped whatever the licence

    @property
    def display(self) -> str:
        return self.text or self.label or f"Score {self.score}"


@dataclass(frozen=True, slots=True)
class Item:
    id: str
    label: str  # our own short name for the item (always shipped)
    kind: ItemKind
    options: tuple[Option, ...] = ()
    min_value: int | None = None  # INTEGER items only
    max_value: int | None = None
    text: str = ""  # licensed or free wording; empty when licensed out
    help: str = ""
    subscale: str = ""
    required: bool = False
    enable_when: tuple[tuple[str, int], ...] = ()  # (item id, value): skip rule for screens

    def allowed_values(self) -> tuple[int, ...]:
        if self.kind is ItemKind.CHOICE:
            return tuple(o.value for o in self.options)
        assert self.min_value is not None and self.max_value is not None
        return tuple(range(self.min_value, self.max_value + 1))

    def option_for(self, value: int) -> Option | None:
        for option in self.options:
            if option.value == value:
                return option
        return None

    def score_of(self, value: int) -> int:
        if self.kind is ItemKind.INTEGER:
            return value
        option = self.option_for(value)
        if option is None:
            raise KeyError(value)
        return option.score

    @property
    def max_score(self) -> int:
        if self.kind is ItemKind.INTEGER:
            assert self.max_value is not None
            return self.max_value
        return max(o.score for o in self.options)

    @property
    def min_score(self) -> int:
        if self.kind is ItemKind.INTEGER:
            assert self.min_value is not None
            return self.min_value
        return min(o.score for o in self.options)


@dataclass(frozen=True, slots=True)
class Band:
    """One interpretation band; ``upper`` is inclusive, ``None`` = no upper limit."""

    id: str
    label: str
    upper: Fraction | None


@dataclass(frozen=True, slots=True)
class Bands:
    applies_to: str  # "score", "raw" or a subscale id
    bands: tuple[Band, ...]
    references: tuple[str, ...]

    def by_id(self, band_id: str) -> Band:
        for band in self.bands:
            if band.id == band_id:
                return band
        raise KeyError(band_id)

    def classify(self, value: Fraction) -> Band:
        for band in self.bands:
            if band.upper is None or value <= band.upper:
                return band
        raise ValueError(f"no band covers {float(value)}")


@dataclass(frozen=True, slots=True)
class Mcid:
    """Minimal clinically important difference, in the units of the score it applies to."""

    absolute: Fraction | None
    relative_percent: Fraction | None
    references: tuple[str, ...]
    note: str = ""


@dataclass(frozen=True, slots=True)
class Subscale:
    id: str
    label: str
    items: tuple[str, ...]
    min_answered: int
    score_min: Fraction
    score_max: Fraction
    direction: Direction
    bands: Bands | None = None
    mcid: Mcid | None = None
    optional: bool = False  # e.g. ZCQ satisfaction: only after treatment


@dataclass(frozen=True, slots=True)
class ScoringRule:
    kind: RuleKind
    max_missing: int = 0  # SUM_PERCENT, COUNT: most items that may be missing
    raw_max: int | None = None  # SUM_PERCENT: report a prorated raw score on 0..raw_max
    total_items: tuple[str, ...] = ()  # STARTBACK
    psychosocial_items: tuple[str, ...] = ()  # STARTBACK
    low_max_total: int = 3  # STARTBACK: total <= 3 -> low risk
    high_min_psychosocial: int = 4  # STARTBACK: psychosocial >= 4 -> high risk
    references: tuple[str, ...] = ()
    missing_rule_note: str = ""


@dataclass(frozen=True, slots=True)
class ScoreSpec:
    label: str
    unit: str  # UCUM code: "%" or "{score}"
    min: Fraction
    max: Fraction
    direction: Direction
    decimals: int = 2


@dataclass(frozen=True, slots=True)
class Licence:
    text_included: bool  # True: item wording ships with spinecare
    holder: str
    terms: str  # the terms, stated in our words
    decision: str  # what the project ships and why
    notice: str = ""  # required copyright notice, verbatim (shown on screen)
    distributor: str = ""
    url: str = ""
    references: tuple[str, ...] = ()
    imported_from: str = ""  # set when a clinic imported licensed wording


@dataclass(frozen=True, slots=True)
class Codes:
    """Standard codes: LOINC where one exists (verified in instruments-evidence.md)."""

    panel_loinc: str = ""
    score_loinc: str = ""
    item_loinc: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class InstrumentDefinition:
    id: str
    name: str
    short_name: str
    version: str
    description: str
    respondent: str  # "patient" or "clinician"
    recall_period: str
    instructions: str
    items: tuple[Item, ...]
    rule: ScoringRule
    score: ScoreSpec | None  # None: no single primary score (ZCQ, NRS)
    subscales: tuple[Subscale, ...]
    bands: Bands | None
    mcid: Mcid | None
    licence: Licence
    references: tuple[str, ...]
    codes: Codes = field(default_factory=Codes)
    answer_format: str = ""  # how the CLI/JSON answers are given, in one sentence
    worsening_advice: str = ""  # shown when a worsening reaches the MCID (e.g. mJOA)
    worsening_references: tuple[str, ...] = ()
    knowledge_version: str = "1"

    def item(self, item_id: str) -> Item:
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)

    @property
    def item_ids(self) -> tuple[str, ...]:
        return tuple(i.id for i in self.items)

    def subscale(self, subscale_id: str) -> Subscale:
        for sub in self.subscales:
            if sub.id == subscale_id:
                return sub
        raise KeyError(subscale_id)

    @property
    def has_text(self) -> bool:
        """True when every item has wording a person can answer (free or imported)."""
        return self.licence.text_included and all(i.text for i in self.items)

    def with_licensed_text(
        self,
        item_text: dict[str, str],
        option_text: dict[tuple[str, int], str],
        notice: str,
        source: str,
    ) -> InstrumentDefinition:
        """A copy carrying a clinic's licensed wording (keys already mapped by item id)."""
        items = tuple(
            replace(
                item,
                text=item_text.get(item.id, item.text),
                options=tuple(
                    replace(o, text=option_text.get((item.id, o.value), o.text))
                    for o in item.options
                ),
            )
            for item in self.items
        )
        licence = replace(
            self.licence,
            text_included=True,
            notice=notice or self.licence.notice,
            imported_from=source,
        )
        return replace(self, items=items, licence=licence)
