"""Use case: the questionnaire instruments: catalogue, scoring, change, licensed wording.

One home for what the CLI, the pages, the API, the questionnaire store and the FHIR
export ask of the instruments:

- the catalogue: the shipped definitions with a clinic's imported licensed wording laid
  over them by item id (every screen and export shows the licensed text from then on);
- ``score`` and ``change`` with the published rules (wording never changes scoring, so
  these use the shipped definitions and read no licence file);
- ``import_licence`` (validate, map, store) and ``score_response`` (a FHIR
  QuestionnaireResponse, from our Questionnaire or a licensed one).

The shipped definitions are parsed once. The licensed catalogue is read once and read
again only when a licence is imported: by this object, or by another process (``spinecare
instruments import`` while the server runs), which a directory scan of the licence files'
names, inodes and times notices without reading any file.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from spinecare.adapters.fhir.bundle import (
    Administration,
    FhirExportError,
    Person,
    bundle_for_person,
)
from spinecare.adapters.fhir.codes import code_problems
from spinecare.adapters.fhir.licensed import (
    LicensedImportError,
    LicensedText,
    guess_instrument,
    read_licensed_questionnaire,
    validate_questionnaire,
)
from spinecare.adapters.fhir.questionnaire import questionnaire_for
from spinecare.adapters.fhir.response import (
    ResponseImportError,
    answers_from_response,
    instrument_of_response,
    validated_response,
)
from spinecare.adapters.fhir.validate import FhirValidationError, validate_resource
from spinecare.adapters.instrument_files import (
    UnknownInstrument,
    licensed_path,
    licensed_stamp,
    load_definitions,
    read_licensed,
    write_licensed,
)
from spinecare.clinical.instruments import (
    ChangeResult,
    InstrumentDefinition,
    ScoreResult,
    ScoringOptions,
    compute_change,
    score_answers,
)

# The errors the instruments' doors catch are the service's (raised by the adapters it
# uses), and so is the Person an export is for: the CLI and the pages import them from here.
__all__ = [
    "FhirExportError", "FhirValidationError", "InstrumentService", "LicensedImportError",
    "Person", "ResponseImportError", "UnknownInstrument",
]

Definitions = Mapping[str, InstrumentDefinition]


@dataclass(frozen=True, slots=True)
class _Catalogue:
    """The definitions as shown (licensed wording applied) and each licence's text, as
    read from the licence files whose ``stamp`` this is."""

    stamp: tuple[tuple[str, int, int, int], ...]
    definitions: dict[str, InstrumentDefinition]
    licensed: dict[str, LicensedText]


class InstrumentService:
    """The instruments of one deployment: the shipped definitions, and a clinic's licensed
    wording from ``data_dir`` (None: shipped wording only, as in tests and benchmarks).

    ``definitions`` is the shipped catalogue or a function that builds it on first use
    (the application object's lazy piece), so constructing the service reads nothing.
    """

    def __init__(
        self,
        definitions: Definitions | Callable[[], Definitions] = load_definitions,
        data_dir: Path | None = None,
    ) -> None:
        self._source = definitions
        self._shipped: Definitions | None = None
        self.data_dir = data_dir
        self._catalogue: _Catalogue | None = None
        self._lock = threading.Lock()
        # How often the licence files were read (each read maps and validates every
        # stored licence): the number a test holds at one per import.
        self.catalogue_loads = 0

    # --- the shipped definitions --------------------------------------------------------

    @property
    def shipped(self) -> Definitions:
        """The shipped definitions by id, in the public order (built once)."""
        if self._shipped is None:
            source = self._source
            self._shipped = source() if callable(source) else source
        return self._shipped

    def builtin(self, instrument_id: str) -> InstrumentDefinition:
        """The shipped definition of ``instrument_id`` (any case, spaces trimmed)."""
        definition = self.shipped.get(instrument_id.strip().lower())
        if definition is None:
            raise UnknownInstrument(instrument_id)
        return definition

    # --- the catalogue: shipped definitions with the clinic's licensed wording ----------

    def definitions(self) -> dict[str, InstrumentDefinition]:
        """Every definition, with the clinic's imported licensed wording where present.
        Raises ``LicensedImportError`` (a ValueError) if a stored licence no longer maps."""
        return dict(self._current().definitions)

    def definition(self, instrument_id: str) -> InstrumentDefinition:
        """One definition as shown (licensed wording applied). Raises ``UnknownInstrument``."""
        key = self.builtin(instrument_id).id
        return self._current().definitions[key]

    def licensed_text(self, instrument_id: str) -> LicensedText | None:
        """The clinic's imported wording for ``instrument_id`` (with its answer-code map)."""
        return self._current().licensed.get(self.builtin(instrument_id).id)

    def refresh(self) -> None:
        """Forget the catalogue: the next use reads the licence files again."""
        with self._lock:
            self._catalogue = None

    def _current(self) -> _Catalogue:
        if self.data_dir is None:
            stamp: tuple[tuple[str, int, int, int], ...] = ()
        else:
            stamp = licensed_stamp(self.data_dir)
        catalogue = self._catalogue
        if catalogue is not None and catalogue.stamp == stamp:
            return catalogue
        with self._lock:
            catalogue = self._catalogue
            if catalogue is None or catalogue.stamp != stamp:
                # Not kept when a stored file fails to map: the next use says so again.
                catalogue = self._load(stamp)
                self._catalogue = catalogue
        return catalogue

    def _load(self, stamp: tuple[tuple[str, int, int, int], ...]) -> _Catalogue:
        self.catalogue_loads += 1
        definitions: dict[str, InstrumentDefinition] = {}
        licensed: dict[str, LicensedText] = {}
        for iid, definition in self.shipped.items():
            stored = None if self.data_dir is None else read_licensed(iid, self.data_dir)
            if stored is not None:
                questionnaire, path = stored
                text = read_licensed_questionnaire(definition, questionnaire)
                licensed[iid] = text
                definition = definition.with_licensed_text(
                    text.item_text, text.option_text, text.notice, str(path))
            definitions[iid] = definition
        return _Catalogue(stamp, definitions, licensed)

    # --- scoring --------------------------------------------------------------------------

    def score(
        self, instrument_id: str, answers: Any, *, max_missing: int | None = None
    ) -> ScoreResult:
        """Score one administration. Raises ``UnknownInstrument`` or ``AnswerError``."""
        # Scoring never depends on wording, so the shipped definition is enough.
        return score_answers(
            self.builtin(instrument_id), answers, ScoringOptions(max_missing=max_missing))

    def change(
        self,
        instrument_id: str,
        baseline: Any,
        follow_up: Any,
        *,
        subscale: str | None = None,
        mcid_absolute: float | None = None,
        mcid_relative_percent: float | None = None,
    ) -> ChangeResult:
        """Change between two scores. Raises ``UnknownInstrument`` or ``ChangeError``."""
        return compute_change(
            self.builtin(instrument_id),
            baseline,
            follow_up,
            subscale=subscale,
            mcid_absolute=mcid_absolute,
            mcid_relative_percent=mcid_relative_percent,
        )

    # --- licensed wording -------------------------------------------------------------

    def import_licence(
        self, questionnaire: Any, instrument_id: str | None = None
    ) -> tuple[InstrumentDefinition, Path]:
        """Validate a clinic's licensed Questionnaire, map it, and store it for later use.

        Nothing is written unless the whole file maps; the write is atomic (temp file +
        rename). Raises ``UnknownInstrument`` or ``LicensedImportError``.
        """
        if self.data_dir is None:
            raise LicensedImportError(["no data directory to store licensed wording in"])
        if not isinstance(questionnaire, dict) or \
                questionnaire.get("resourceType") != "Questionnaire":
            found = questionnaire.get("resourceType") if isinstance(questionnaire, dict) else None
            raise LicensedImportError(
                [f"expected a FHIR Questionnaire, got resourceType {found!r}"])
        validate_questionnaire(questionnaire)  # before guessing: "item": "zzz" is a clear error
        if instrument_id is None:
            instrument_id = guess_instrument(questionnaire, self.shipped)
        shipped = self.builtin(instrument_id)
        path = licensed_path(shipped.id, self.data_dir)
        text = read_licensed_questionnaire(shipped, questionnaire)
        definition = shipped.with_licensed_text(
            text.item_text, text.option_text, text.notice, str(path))
        write_licensed(questionnaire, path)
        self.refresh()
        return definition, path

    def questionnaire_resource(self, instrument_id: str) -> dict[str, Any]:
        """The shipped instrument as a FHIR R4 Questionnaire, checked against its own codes
        and the R4 models. Raises ``UnknownInstrument``, ``FhirExportError`` or
        ``FhirValidationError``."""
        return _checked(questionnaire_for(self.builtin(instrument_id)))

    def bundle_resource(
        self, person: Person, instrument_id: str, answers: Any, authored: datetime,
    ) -> dict[str, Any]:
        """One person's administration as a FHIR Bundle (response + score Observations).
        The answers are scored first so that a bad answer gets the scorer's message.
        Raises ``UnknownInstrument``, ``AnswerError``, ``FhirExportError`` or
        ``FhirValidationError``."""
        definition = self.builtin(instrument_id)
        self.score(definition.id, answers)
        bundle = bundle_for_person(
            person, [Administration(definition.id, answers, authored)], self.definitions())
        return _checked(bundle)

    def score_response(self, response: Any) -> ScoreResult:
        """Score an imported FHIR QuestionnaireResponse (from our Questionnaire or a
        licensed one).

        The instrument is found from ``questionnaire`` (our canonical URL or the URL of an
        imported licensed Questionnaire), else from the item linkIds. Every score is
        recomputed; any score inside the file is ignored. Raises ``ResponseImportError``,
        ``FhirValidationError`` or ``AnswerError``.
        """
        validated_response(response)
        licensed = self._current().licensed
        chosen = instrument_of_response(
            response, self.shipped, {iid: text.url for iid, text in licensed.items()})
        text = licensed.get(chosen)
        answers = answers_from_response(
            self.shipped[chosen], response, text.code_map if text else None)
        return self.score(chosen, answers)


def _checked(resource: dict[str, Any]) -> dict[str, Any]:
    # Our own exports must pass our own code checks and the R4 models before anyone sees
    # them: a failure is a bug here, reported as FhirExportError rather than sent out.
    problems = code_problems(resource)
    if problems:
        raise FhirExportError("; ".join(problems))
    validate_resource(resource)
    return resource
