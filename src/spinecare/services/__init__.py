"""Use cases. Each owns its transaction and talks to storage only through repositories.

``Services`` bundles them; build it with ``spinecare.bootstrap.build_services``.
"""

from __future__ import annotations

from dataclasses import dataclass

from spinecare.adapters.storage.database import Database
from spinecare.services.accounts import AccountService
from spinecare.services.audit import AuditService
from spinecare.services.care_team import CareTeamService
from spinecare.services.credentials import CredentialService
from spinecare.services.data_rights import DataRightsService
from spinecare.services.questionnaires import QuestionnaireService
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
