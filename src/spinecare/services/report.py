"""The doctor's report: one or two pages over a date range, for the patient or a clinician
they granted access to (the host's own tools too: ``spinecare report``).

Everything is read in one transaction and the read is audited once ("doctor_report", the
period in the detail: dates, never health words). The pure core
(``spinecare.clinical.report``) builds the typed ``DoctorReport``; the adapters render it
(``adapters/reports/doctor_report.py``: HTML and PDF from one template).

The diary rows, walking tests, exercise sessions, questions and saved checks are read here
through the repositories (one read, one audit) and mapped with the diary service's views;
the diary numbers come from the diary analytics (``clinical.diary.analytics.summarise``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

from spinecare.adapters.storage.database import Database
from spinecare.adapters.storage.models import QuestionnaireResponse, TriageSession, User
from spinecare.adapters.storage.repositories import Repositories
from spinecare.clinical.diary.analytics import summarise
from spinecare.clinical.diary.model import DayRecord
from spinecare.clinical.diary.open_signs import CheckRecord, warning_items
from spinecare.clinical.evidence import ReferenceRegistry
from spinecare.clinical.instruments.model import Direction, InstrumentDefinition
from spinecare.clinical.report import (
    DoctorReport,
    OwnWords,
    ReportData,
    ScorePoint,
    ScoreSeries,
    SessionRecord,
    WarningEvent,
    build_report,
)
from spinecare.clinical.report.model import HIGHER_IS_BETTER, HIGHER_IS_WORSE
from spinecare.clinical.report.rules import SPHINCTER_SIGNS
from spinecare.clinical.vocabulary import VOCABULARY
from spinecare.services import audit
from spinecare.services.access import require_patient_readable
from spinecare.services.actor import Actor
from spinecare.services.diary import (
    DiaryEntryView,
    WalkingTestView,
    check_records,
    open_warning_signs,
)
from spinecare.services.errors import InvalidInput, NotFound
from spinecare.services.instruments import InstrumentService, UnknownInstrument

DEFAULT_DAYS = 90
MAX_PERIOD_DAYS = 3 * 366      # at most three years in one report
LOOK_BACK_DAYS = 366           # the 12-month injection count and the flares' usual level
# The instruments the report shows, in this order (ICHOM rows first), with the subscales
# that matter for each; an instrument the person never answered is left out.
REPORT_INSTRUMENTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("odi", ()), ("zcq", ("symptom_severity", "physical_function")), ("nrs", ("leg", "back")),
    ("ndi", ()), ("mjoa", ()), ("rmdq", ()),
)


def today_utc() -> date:
    return datetime.now(UTC).date()


def default_period(today: date) -> tuple[date, date]:
    """The last ``DEFAULT_DAYS`` days, today included."""
    return today - timedelta(days=DEFAULT_DAYS - 1), today


def check_period(start: date, end: date, today: date) -> tuple[date, date]:
    """The period to report on, or InvalidInput saying how to fix it. An end after today is
    taken as today (nothing is recorded in the future)."""
    if start > today:
        raise InvalidInput({"start": f"the start {start.isoformat()} is after today "
                                     f"({today.isoformat()}): choose a start on or before "
                                     "today"})
    end = min(end, today)
    if start > end:
        raise InvalidInput({"start": f"the start {start.isoformat()} is after the end "
                                     f"{end.isoformat()}: the start must come first"})
    if (end - start).days + 1 > MAX_PERIOD_DAYS:
        raise InvalidInput({"end": f"the period is {(end - start).days + 1} days; a report "
                                   f"covers at most {MAX_PERIOD_DAYS} days (about three "
                                   "years): choose a later start"})
    return start, end


def _day_of(when: datetime) -> date:
    return (when if when.tzinfo else when.replace(tzinfo=UTC)).astimezone(UTC).date()


def _direction(direction: Direction) -> str:
    return HIGHER_IS_BETTER if direction is Direction.HIGHER_IS_BETTER else HIGHER_IS_WORSE


def _range(low: Any, high: Any) -> str:
    return f"{float(low):g}-{float(high):g}"


def score_series(definitions: Callable[[str], InstrumentDefinition],
                 responses: Sequence[QuestionnaireResponse]) -> tuple[ScoreSeries, ...]:
    """The report's score lines from stored responses (any order), oldest point first."""
    by_instrument: dict[str, list[QuestionnaireResponse]] = defaultdict(list)
    for row in responses:
        by_instrument[row.instrument_id].append(row)
    out: list[ScoreSeries] = []
    for iid, subscales in REPORT_INSTRUMENTS:
        rows = sorted(by_instrument.get(iid, ()), key=lambda r: (r.created_at, r.id))
        if not rows:
            continue
        try:
            definition = definitions(iid)
        except UnknownInstrument:
            continue
        if not subscales and definition.score is not None:
            spec = definition.score
            points = tuple(ScorePoint(_day_of(r.created_at), float(r.score["score"]),
                                      r.score.get("band_label"))
                           for r in rows if isinstance(r.score.get("score"), int | float))
            mcid = definition.mcid
            out.append(ScoreSeries(
                iid, f"{definition.short_name} ({_range(spec.min, spec.max)})",
                _direction(spec.direction), points, " points",
                None if mcid is None or mcid.absolute is None else float(mcid.absolute),
                None if mcid is None or mcid.relative_percent is None
                else float(mcid.relative_percent),
                tuple(mcid.references) if mcid else ()))
            continue
        for sub_id in subscales:
            try:
                sub = definition.subscale(sub_id)
            except KeyError:
                continue
            points = tuple(
                ScorePoint(_day_of(r.created_at), float(value))
                for r in rows
                if isinstance(value := (r.score.get("subscales") or {}).get(sub_id),
                              int | float))
            if not points:
                continue
            name = (f"{sub.label} (NRS 0-10)" if iid == "nrs" else
                    f"{definition.short_name} {sub.label.lower()} "
                    f"({_range(sub.score_min, sub.score_max)})")
            mcid = sub.mcid
            out.append(ScoreSeries(
                f"{iid}.{sub_id}", name, _direction(sub.direction), points, " points",
                None if mcid is None or mcid.absolute is None else float(mcid.absolute),
                None if mcid is None or mcid.relative_percent is None
                else float(mcid.relative_percent),
                tuple(mcid.references) if mcid else ()))
    return tuple(out)


def warning_events(days: Sequence[DayRecord], checks: Sequence[TriageSession],
                   start: date, end: date,
                   records: Sequence[CheckRecord] | None = None) -> tuple[WarningEvent, ...]:
    """Warning signs in ``start``..``end``: the one definition (rule DIARY-OPEN-SIGN: diary
    signs, and checks at urgent or emergency, a check the diary ran dated by its diary day
    and not listed twice), plus the cauda equina signs a symptom check found. ``records``
    are ``checks`` as the rule reads them (``services.diary.check_records``; without them
    every check is dated by the day it was saved)."""
    records = records if records is not None else [
        CheckRecord(_day_of(c.created_at), c.level, c.source) for c in checks]
    events: list[WarningEvent] = list(warning_items(days, records, start, end))
    for row in checks:
        day = _day_of(row.created_at)
        if not start <= day <= end or row.source == "diary":
            continue
        findings = row.findings or {}
        for sign in SPHINCTER_SIGNS:
            if findings.get(sign) is True:
                vocab = VOCABULARY.get(sign)
                label = vocab.meaning if vocab else sign.replace("_", " ")
                events.append(WarningEvent(day, sign, label[:1].upper() + label[1:], "check"))
    return tuple(events)


def _age(checks: Sequence[TriageSession]) -> int | None:
    for row in checks:  # newest first
        age = (row.findings or {}).get("age")
        if isinstance(age, int | float) and not isinstance(age, bool) and 0 < age < 130:
            return int(age)
    return None


def _own_words(checks: Sequence[TriageSession], end: date) -> OwnWords | None:
    for row in checks:  # newest first
        if _day_of(row.created_at) <= end and (row.own_words or "").strip():
            return OwnWords(_day_of(row.created_at), row.own_words)
    return None


class ReportService:
    def __init__(self, db: Database, instruments: InstrumentService,
                 references: Callable[[], ReferenceRegistry] | None = None):
        self.db = db
        self.instruments = instruments
        self._references = references

    def _citations(self) -> dict[str, str]:
        registry = self._references() if self._references is not None else None
        return {} if registry is None else {r.id: r.citation for r in registry}

    def _patient(self, repos: Repositories, actor: Actor, patient_id: int) -> User:
        if actor.role == "system":
            # The host's own tools (``spinecare report``): whoever runs them holds the
            # database already; the read is audited as role "system" like the demo loader.
            patient = repos.users.get(patient_id)
            if patient is None or patient.role != "patient":
                raise NotFound("No such patient.")
            return patient
        return require_patient_readable(repos, actor, patient_id)

    def data(self, actor: Actor, patient_id: int, start: date | None = None,
             end: date | None = None, today: date | None = None) -> ReportData:
        """The report's inputs for ``start``..``end`` (default: the last 90 days), read in one
        transaction, the read audited."""
        the_today = today or today_utc()
        first, last = default_period(the_today)
        start, end = check_period(start or first, end or last, the_today)
        since = start - timedelta(days=LOOK_BACK_DAYS)
        with self.db.unit_of_work() as repos:
            patient = self._patient(repos, actor, patient_id)
            days = tuple(DiaryEntryView.of(r).record()
                         for r in repos.diary.between(patient_id, since, end))
            tests = tuple(
                WalkingTestView.of(r).record()
                for r in repos.walking_tests.for_patient(
                    patient_id, None, datetime.combine(end + timedelta(days=1),
                                                       datetime.min.time(), UTC)))
            tests = tuple(t for t in tests if _day_of(t.performed_at) <= end)
            profile = repos.exercise.profile(patient_id)
            sessions = tuple(SessionRecord(s.day, s.kind, s.status)
                             for s in repos.exercise.sessions(patient_id, None, end))
            questions = tuple(q.text for q in repos.visit_questions.open_for(patient_id))
            checks = repos.triage.for_patient(patient_id)
            records = check_records(repos, patient_id, checks)
            # Open now, whatever the period (the same rule as the clinician's list).
            open_now = tuple(open_warning_signs(repos, patient_id, the_today))
            responses = repos.responses.for_patient(patient_id)
            data = ReportData(
                name=patient.name, age=_age(checks), start=start, end=end, days=days,
                walking_tests=tests,
                diary=summarise(days, tests, today=end, period_start=start),
                scores=score_series(self.instruments.builtin, responses),
                sessions=sessions,
                programme_started=profile.started_on if profile is not None else None,
                warning_events=warning_events(days, checks, start, end, records),
                own_words=_own_words(checks, end), questions=questions,
                open_signs=open_now, today=the_today)
            audit.record(repos, actor, "read", "doctor_report", patient_id=patient_id,
                         detail=f"{start.isoformat()}..{end.isoformat()}")
        return data

    def build(self, actor: Actor, patient_id: int, start: date | None = None,
              end: date | None = None, today: date | None = None) -> DoctorReport:
        """The typed report (the patient, a clinician they granted, or the host's tools)."""
        data = self.data(actor, patient_id, start, end, today)
        return build_report(data, self._citations())
