"""Use cases. Each owns its transaction and talks to storage only through repositories.

``Services`` bundles them; ``spinecare.bootstrap`` builds it (``Spinecare.services``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

# Types only: importing one service (``spinecare.services.instruments``) runs this file first,
# and must not import every other service with it (SQLAlchemy, bm25s).
if TYPE_CHECKING:
    from spinecare.adapters.storage.database import Database
    from spinecare.services.accounts import AccountService
    from spinecare.services.audit import AuditService
    from spinecare.services.care_team import CareTeamService
    from spinecare.services.credentials import CredentialService
    from spinecare.services.data_rights import DataRightsService
    from spinecare.services.decision_aid import DecisionAidService
    from spinecare.services.diary import DiaryService
    from spinecare.services.exercise import ExerciseService
    from spinecare.services.instruments import InstrumentService
    from spinecare.services.questionnaires import QuestionnaireService
    from spinecare.services.reminders import ReminderService
    from spinecare.services.report import ReportService
    from spinecare.services.search import SearchService
    from spinecare.services.sessions import SessionService
    from spinecare.services.triage import TriageService


@dataclass
class Services:
    db: Database
    accounts: AccountService
    care_team: CareTeamService
    triage: TriageService
    questionnaires: QuestionnaireService
    audit: AuditService
    data_rights: DataRightsService
    sessions: SessionService
    credentials: CredentialService
    instruments: InstrumentService
    search: SearchService
    decision_aid: DecisionAidService
    diary: DiaryService
    reminders: ReminderService
    report: ReportService
    exercise: ExerciseService
