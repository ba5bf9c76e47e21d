"""Questionnaire responses, stored generically: instrument id, answers, score, version.

Scoring happens in ``spinecare.clinical.instruments``; this service stores what it
produced, with the definition version that produced it, and reads it back.

Who may record a response depends on who completes the instrument (its definition's
``respondent``): a patient-reported one (ODI, ZCQ, NRS ...) only the patient, for
themself; a clinician-rated one (mJOA: the clinician examines the person) only a
clinician the patient granted access to, never the patient. This service is the one
place that rule lives, so the API, the pages and any import obey it alike.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from spinecare.adapters.storage.database import Database
from spinecare.adapters.storage.models import QuestionnaireResponse
from spinecare.clinical.instruments import AnswerError
from spinecare.clinical.instruments.result import number
from spinecare.clinical.instruments.totals import (
    TotalError,
    TotalField,
    read_entry,
    score_entry,
    total_fields,
)
from spinecare.services import audit
from spinecare.services.access import (
    read_record,
    require_patient_readable,
    require_self_patient,
)
from spinecare.services.actor import Actor
from spinecare.services.errors import InvalidInput, PermissionDenied
from spinecare.services.instruments import InstrumentService, UnknownInstrument
from spinecare.services.views import ResponseRecord


def clinician_rated_message(short_name: str) -> str:
    return (f"The {short_name} is rated by a clinician who examines you, so it cannot be "
            "filled in by the patient. Ask your clinician to record it: once you have shared "
            "your record with them, it appears in your questionnaires.")


NO_ANSWERS_MESSAGE = ("No answers were given, so nothing was saved. Answer at least one "
                      "question, then send the form again.")
# A paper form's date: not in the future, and not older than this (a typing slip).
OLDEST_PAPER_FORM_YEARS = 10
# Stored in ``answers`` of a response recorded as a total from a paper form.
ENTERED_AS_TOTAL = {"_entered_as": "total"}


def blank(answers: Any) -> bool:
    """No answer at all: an empty form, or every item left empty (None or "")."""
    if isinstance(answers, Mapping):
        values = list(answers.values())
    elif isinstance(answers, list | tuple):
        values = list(answers)
    else:
        return False
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def entered_as_total(answers: Mapping[str, Any]) -> bool:
    """True for a response recorded as a total from a paper form."""
    return answers.get("_entered_as") == "total"


def completed_on_problem(completed_on: date, today: date) -> str | None:
    """Why ``completed_on`` cannot be a paper form's date, or None."""
    if completed_on > today + timedelta(days=1):  # a day's grace for time zones
        return f"The date cannot be in the future: enter {today.isoformat()} or earlier."
    oldest = today.replace(year=today.year - OLDEST_PAPER_FORM_YEARS)
    if completed_on < oldest:
        return (f"The date is more than {OLDEST_PAPER_FORM_YEARS} years ago: enter a date "
                f"from {oldest.isoformat()} to {today.isoformat()}.")
    return None


class QuestionnaireService:
    def __init__(self, db: Database, instruments: InstrumentService):
        self.db = db
        self.instruments = instruments

    def score(self, instrument_id: str, answers: Any) -> tuple[str, dict[str, Any]]:
        """What ``submit`` stores for these answers: (definition version, score as JSON
        with the knowledge version), from the published rules. Raises ``InvalidInput``."""
        try:
            # The shipped definition: licensed wording changes neither the score nor the
            # versions, so no licence file is read for a submission.
            definition = self.instruments.builtin(instrument_id)
            result = self.instruments.score(instrument_id, answers)
        except UnknownInstrument as exc:
            raise InvalidInput({"instrument_id": str(exc).strip("'\"")}) from exc
        except AnswerError as exc:
            raise InvalidInput(
                {f"answers.{p.item_id}": p.message for p in exc.problems}
            ) from exc
        data = result.to_dict()
        data["knowledge_version"] = str(definition.knowledge_version)
        return str(definition.version), data

    def _respondent(self, instrument_id: str) -> tuple[str, str] | None:
        """Who completes ``instrument_id`` ("patient" or "clinician") and its short name,
        from the shipped definitions (a clinic's licensed wording never changes who fills
        the form in), or None for an unknown instrument."""
        definition = self.instruments.shipped.get(instrument_id.strip().lower())
        if definition is None:
            return None
        return definition.respondent, definition.short_name

    def _who_completes(self, actor: Actor, instrument_id: str,
                       patient_id: int | None) -> tuple[bool, int | None]:
        """(clinician-rated?, the patient to store under if already known). Refuses a
        patient recording a clinician-rated instrument, and anyone but the patient
        recording a patient-reported one."""
        known = self._respondent(instrument_id)
        if known is not None and known[0] == "clinician":
            if actor.is_patient:
                raise PermissionDenied(clinician_rated_message(known[1]))
            if actor.role != "clinician":
                raise PermissionDenied("Only a clinician the patient shared their record with "
                                       "can record a clinician-rated questionnaire.")
            if patient_id is None:
                raise InvalidInput({"patient_id": "say which patient you rated"})
            return True, patient_id  # access is checked with the grant, in the transaction
        own = require_self_patient(actor)
        if patient_id is not None and patient_id != own:
            raise PermissionDenied("A patient records questionnaires only in their own record.")
        return False, own

    def submit(self, actor: Actor, instrument_id: str, answers: dict[str, Any], *,
               patient_id: int | None = None) -> ResponseRecord:
        """Score the answers with the published rules and store both: the one way a
        response is stored (API, pages and imports alike), so every stored score carries
        its knowledge version.

        Patient-reported instruments: the signed-in patient, for themself. Clinician-rated
        ones (mJOA): a clinician with an active grant from ``patient_id``."""
        clinician_rated, patient_id = self._who_completes(actor, instrument_id, patient_id)
        assert patient_id is not None
        if blank(answers):
            # An empty form is not a result (it would start a trend with "not scored");
            # an unknown instrument is said first.
            self.total_fields(instrument_id)
            raise InvalidInput({"answers": NO_ANSWERS_MESSAGE})
        version, score = self.score(instrument_id, answers)
        return self._save(actor, instrument_id, version, answers, score,
                          patient_id=patient_id, clinician_rated=clinician_rated)

    def total_fields(self, instrument_id: str) -> tuple[TotalField, ...]:
        """What a total from a paper form of ``instrument_id`` asks for (page and API).
        Raises ``InvalidInput`` for an unknown instrument."""
        try:
            return total_fields(self.instruments.builtin(instrument_id))
        except UnknownInstrument as exc:
            raise InvalidInput({"instrument_id": str(exc).strip("'\"")}) from exc

    def record_total(
        self,
        actor: Actor,
        instrument_id: str,
        *,
        total: Any = None,
        answered: Any = None,
        subscales: Mapping[str, Any] | None = None,
        completed_on: date | None = None,
        patient_id: int | None = None,
    ) -> ResponseRecord:
        """Store a questionnaire filled in on paper, entered as its total (with the number
        of items answered where the scoring needs it, or each part's mean for ZCQ), scored
        with the same published rules into the same score JSON as ``submit``, so trends and
        the change since last time read it alike. ``completed_on`` (default today) is the
        paper form's date: the response is dated then, so it sorts where it belongs.

        Who may record it is the same as for ``submit``. Raises ``InvalidInput`` with one
        message per field that does not fit, saying the allowed range."""
        clinician_rated, patient_id = self._who_completes(actor, instrument_id, patient_id)
        assert patient_id is not None
        try:
            definition = self.instruments.builtin(instrument_id)
        except UnknownInstrument as exc:
            raise InvalidInput({"instrument_id": str(exc).strip("'\"")}) from exc
        now = datetime.now(UTC)
        day = completed_on or now.date()
        problems: dict[str, str] = {}
        problem = completed_on_problem(day, now.date())
        if problem:
            problems["completed_on"] = problem
        try:
            values = read_entry(definition, total, answered, dict(subscales or {}))
            summary = score_entry(definition, values)
        except TotalError as exc:
            problems.update(exc.problems)
        if problems:
            raise InvalidInput(problems)
        score = summary.to_dict()
        score["knowledge_version"] = str(definition.knowledge_version)
        entry: dict[str, Any] = {**ENTERED_AS_TOTAL, "completed_on": day.isoformat()}
        for name, value in values.items():
            if name.startswith("subscales."):
                entry.setdefault("subscales", {})[name.removeprefix("subscales.")] = \
                    number(value, 3)
            else:
                entry[name] = number(value, 3)
        when = now if day >= now.date() else datetime.combine(day, time(12), UTC)
        return self._save(actor, definition.id, str(definition.version), entry, score,
                          patient_id=patient_id, clinician_rated=clinician_rated,
                          created_at=when)

    def _save(
        self,
        actor: Actor,
        instrument_id: str,
        definition_version: str,
        answers: dict[str, Any],
        score: dict[str, Any],
        *,
        patient_id: int,
        clinician_rated: bool,
        created_at: datetime | None = None,
    ) -> ResponseRecord:
        problems = {}
        if not instrument_id.strip() or len(instrument_id) > 80:
            problems["instrument_id"] = "must be a known instrument id such as 'odi'"
        if not definition_version.strip() or len(definition_version) > 80:
            problems["definition_version"] = "must name the definition version that scored it"
        if problems:
            raise InvalidInput(problems)
        with self.db.unit_of_work() as repos:
            if clinician_rated:
                # An approved clinician with an active grant from this patient only.
                require_patient_readable(repos, actor, patient_id)
            response = QuestionnaireResponse(
                patient_id=patient_id,
                instrument_id=instrument_id,
                definition_version=definition_version,
                answers=answers,
                score=score,
            )
            if created_at is not None:
                response.created_at = created_at  # a paper form's date
            row = repos.responses.add(response)
            audit.record(
                repos, actor, "create", "questionnaire_response", resource_id=row.id,
                patient_id=patient_id, detail=instrument_id,
            )
            return ResponseRecord.of(row)

    def list(
        self, actor: Actor, patient_id: int, instrument_id: str | None = None
    ) -> list[ResponseRecord]:
        with self.db.unit_of_work() as repos:
            require_patient_readable(repos, actor, patient_id)
            found = repos.responses.for_patient(patient_id, instrument_id)
            rows = [ResponseRecord.of(r) for r in found]
            audit.record(
                repos, actor, "read", "questionnaire_responses", patient_id=patient_id,
                detail=instrument_id or "all",
            )
            return rows

    def get(self, actor: Actor, response_id: int) -> ResponseRecord:
        with self.db.unit_of_work() as repos:
            row = read_record(repos, actor, repos.responses.get(response_id),
                              "questionnaire_response",
                              f"No questionnaire response with id {response_id}.")
            return ResponseRecord.of(row)
