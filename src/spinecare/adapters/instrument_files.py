"""Load the instrument definitions and offer the scoring API the CLI and the web call.

Built-in definitions come from ``content/instruments/*.yaml``. A clinic's imported
licensed wording (a FHIR Questionnaire stored by ``spinecare instruments import``) lives
under ``<data_dir>/instruments/`` and is laid over the built-in definition by item id,
so every screen and export uses the licensed text from then on.

Public API (pure functions over data; no storage of responses here):
``definitions()``, ``get_definition(id)``, ``score(id, answers)``,
``score_change(id, baseline, follow_up)``.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from spinecare.bootstrap import private_dir
from spinecare.clinical.instruments import (
    ChangeResult,
    InstrumentDefinition,
    ScoreResult,
    ScoringOptions,
    compute_change,
    parse_definition,
    score_answers,
)
from spinecare.paths import CONTENT_DIR

if TYPE_CHECKING:
    from spinecare.adapters.fhir.licensed import LicensedText

INSTRUMENTS_DIR = CONTENT_DIR / "instruments"
INSTRUMENT_IDS = ("odi", "ndi", "rmdq", "zcq", "startback", "mjoa", "nrs")


class UnknownInstrument(KeyError):
    def __init__(self, instrument_id: str):
        self.instrument_id = instrument_id
        super().__init__(instrument_id)

    def __str__(self) -> str:
        return (
            f"unknown instrument '{self.instrument_id}'; choose one of: {', '.join(INSTRUMENT_IDS)}"
        )


@lru_cache(maxsize=1)
def builtin_definitions() -> dict[str, InstrumentDefinition]:
    """The shipped definitions, in the public order (odi ndi rmdq zcq startback mjoa nrs)."""
    found: dict[str, InstrumentDefinition] = {}
    for path in sorted(INSTRUMENTS_DIR.glob("*.yaml")):
        definition = parse_definition(yaml.safe_load(path.read_text(encoding="utf-8")))
        if definition.id != path.stem:
            raise ValueError(f"{path.name}: id '{definition.id}' must match the file name")
        found[definition.id] = definition
    order = {iid: n for n, iid in enumerate(INSTRUMENT_IDS)}
    return dict(sorted(found.items(), key=lambda kv: order.get(kv[0], len(order))))


def default_data_dir() -> Path:
    from spinecare.bootstrap import settings

    return settings().data_dir


def licensed_dir(data_dir: Path | None = None) -> Path:
    return (data_dir or default_data_dir()) / "instruments"


def licensed_path(instrument_id: str, data_dir: Path | None = None) -> Path:
    return licensed_dir(data_dir) / f"{instrument_id}.questionnaire.json"


def definitions(data_dir: Path | None = None) -> dict[str, InstrumentDefinition]:
    """Every definition, with a clinic's imported licensed wording applied where present."""
    from spinecare.adapters.fhir.licensed import apply_licensed_questionnaire

    result = {}
    for iid, definition in builtin_definitions().items():
        path = licensed_path(iid, data_dir)
        if path.is_file():
            questionnaire = json.loads(path.read_text(encoding="utf-8"))
            definition = apply_licensed_questionnaire(definition, questionnaire, source=str(path))
        result[iid] = definition
    return result


def get_definition(instrument_id: str, data_dir: Path | None = None) -> InstrumentDefinition:
    key = instrument_id.strip().lower()
    if key not in builtin_definitions():
        raise UnknownInstrument(instrument_id)
    return definitions(data_dir)[key]


def score(
    instrument_id: str,
    answers: Any,
    *,
    max_missing: int | None = None,
    data_dir: Path | None = None,
) -> ScoreResult:
    """Score one administration. Raises ``UnknownInstrument`` or ``AnswerError``."""
    key = instrument_id.strip().lower()
    if key not in builtin_definitions():
        raise UnknownInstrument(instrument_id)
    # Scoring never depends on wording, so the built-in definition is enough.
    return score_answers(
        builtin_definitions()[key], answers, ScoringOptions(max_missing=max_missing)
    )


def score_change(
    instrument_id: str,
    baseline: Any,
    follow_up: Any,
    *,
    subscale: str | None = None,
    mcid_absolute: Any = None,
    mcid_relative_percent: Any = None,
) -> ChangeResult:
    """Change between two scores. Raises ``UnknownInstrument`` or ``ChangeError``."""
    key = instrument_id.strip().lower()
    if key not in builtin_definitions():
        raise UnknownInstrument(instrument_id)
    return compute_change(
        builtin_definitions()[key],
        baseline,
        follow_up,
        subscale=subscale,
        mcid_absolute=mcid_absolute,
        mcid_relative_percent=mcid_relative_percent,
    )


def licensed_text(instrument_id: str, data_dir: Path | None = None) -> LicensedText | None:
    """The clinic's imported wording for ``instrument_id`` (with its answer-code map), if any."""
    from spinecare.adapters.fhir.licensed import read_licensed_questionnaire

    path = licensed_path(instrument_id, data_dir)
    if not path.is_file():
        return None
    questionnaire = json.loads(path.read_text(encoding="utf-8"))
    return read_licensed_questionnaire(builtin_definitions()[instrument_id], questionnaire)


def import_licensed_questionnaire(
    questionnaire: Any, instrument_id: str | None = None, data_dir: Path | None = None
) -> tuple[InstrumentDefinition, Path]:
    """Validate a clinic's licensed Questionnaire, map it, and store it for later use.

    Nothing is written unless the whole file maps; the write is atomic (temp file + rename).
    Raises ``UnknownInstrument`` or ``LicensedImportError``.
    """
    from spinecare.adapters.fhir.licensed import (
        LicensedImportError,
        apply_licensed_questionnaire,
        guess_instrument,
        validate_questionnaire,
    )

    if not isinstance(questionnaire, dict) or questionnaire.get("resourceType") != "Questionnaire":
        found = questionnaire.get("resourceType") if isinstance(questionnaire, dict) else None
        raise LicensedImportError([f"expected a FHIR Questionnaire, got resourceType {found!r}"])
    validate_questionnaire(questionnaire)  # before guessing: "item": "zzz" is a clear error
    if instrument_id is None:
        instrument_id = guess_instrument(questionnaire, builtin_definitions())
    key = instrument_id.strip().lower()
    if key not in builtin_definitions():
        raise UnknownInstrument(instrument_id)
    path = licensed_path(key, data_dir)
    definition = apply_licensed_questionnaire(builtin_definitions()[key], questionnaire, str(path))
    private_dir(path.parent)  # 0700, the data directory too if this creates it
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(questionnaire, ensure_ascii=False, indent=2), encoding="utf-8")
    tmp.replace(path)
    return definition, path


def score_response(response: Any, data_dir: Path | None = None) -> ScoreResult:
    """Score an imported FHIR QuestionnaireResponse (from our Questionnaire or a licensed one).

    The instrument is found from ``questionnaire`` (our canonical URL or the URL of an
    imported licensed Questionnaire), else from the item linkIds. Every score is
    recomputed; any score inside the file is ignored. Raises ``ResponseImportError``,
    ``FhirValidationError`` or ``AnswerError``.
    """
    from spinecare.adapters.fhir.constants import questionnaire_url
    from spinecare.adapters.fhir.response import ResponseImportError, answers_from_response
    from spinecare.adapters.fhir.validate import validate_resource

    try:
        validate_resource(response, "QuestionnaireResponse")
    except RecursionError:
        raise ResponseImportError(
            "items or answers are nested too deeply (hundreds of levels); no real "
            "QuestionnaireResponse is"
        ) from None
    canonical = str(response.get("questionnaire") or "").split("|")[0]
    texts = {iid: licensed_text(iid, data_dir) for iid in builtin_definitions()}
    chosen = None
    for iid in builtin_definitions():
        lic = texts[iid]
        if canonical and canonical in {questionnaire_url(iid), lic.url if lic else ""}:
            chosen = iid
    if chosen is None:
        link_ids = {str(i.get("linkId")) for i in response.get("item") or ()}
        link_ids = {x for x in link_ids if not x.startswith("score-")}
        matches = [iid for iid, d in builtin_definitions().items() if link_ids <= set(d.item_ids)]
        if len(matches) != 1:
            raise ResponseImportError(
                f"cannot tell which instrument this response is for (questionnaire "
                f"'{canonical or 'not given'}'); set QuestionnaireResponse.questionnaire to "
                f"the Questionnaire's URL"
            )
        chosen = matches[0]
    lic = texts[chosen]
    answers = answers_from_response(
        builtin_definitions()[chosen], response, lic.code_map if lic else None
    )
    return score(chosen, answers)
