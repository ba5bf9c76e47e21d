"""Care team: a patient grants a clinician access to their data and can revoke it."""

from __future__ import annotations

from spinecare.adapters.storage.database import Database
from spinecare.services import audit
from spinecare.services.access import require_patient_readable, require_self_patient
from spinecare.services.accounts import normalise_email
from spinecare.services.actor import Actor
from spinecare.services.diary import open_warning_signs
from spinecare.services.errors import Conflict, NotFound, PermissionDenied
from spinecare.services.views import GrantView, PatientSummary

# Red flags first: the clinician's list sorts by this rank, most urgent first.
LEVEL_RANK = {"emergency": 0, "urgent": 1, "routine": 2, "self_care": 3, None: 4}


class CareTeamService:
    def __init__(self, db: Database):
        self.db = db

    def grant(self, actor: Actor, clinician_email: str) -> GrantView:
        patient_id = require_self_patient(actor)
        with self.db.unit_of_work() as repos:
            clinician = repos.users.by_email(normalise_email(clinician_email))
            # An unconfirmed address gets the same answer as an unknown one: a grant must
            # not go to whoever typed a clinician's e-mail into the sign-up form.
            if (clinician is None or clinician.role != "clinician"
                    or clinician.email_verified_at is None):
                raise NotFound(
                    "No clinician has an account with that e-mail. Check the spelling, or ask "
                    "your clinician which e-mail they registered with."
                )
            if repos.grants.active(patient_id, clinician.id) is not None:
                raise Conflict(f"{clinician.name} can already see your data.")
            grant = repos.grants.add(patient_id, clinician.id)
            audit.record(
                repos, actor, "create", "care_team_grant", resource_id=grant.id,
                patient_id=patient_id, detail=f"access granted to clinician {clinician.id}",
            )
            patient = repos.users.get(patient_id)
            assert patient is not None
            return GrantView.of(grant, patient, clinician)

    def revoke(self, actor: Actor, clinician_id: int) -> None:
        patient_id = require_self_patient(actor)
        with self.db.unit_of_work() as repos:
            # Locked: of several revokes at once, exactly one finds the grant active.
            grant = repos.grants.active(patient_id, clinician_id, lock=True)
            if grant is None:
                raise NotFound("That clinician does not have access to your data.")
            repos.grants.revoke(grant)
            audit.record(
                repos, actor, "delete", "care_team_grant", resource_id=grant.id,
                patient_id=patient_id, detail=f"access revoked from clinician {clinician_id}",
            )

    def grants_of(self, actor: Actor, patient_id: int) -> list[GrantView]:
        """All grants (active and revoked) of a patient: the patient or an admin may look."""
        if not (actor.is_patient and actor.user_id == patient_id) and not actor.is_admin:
            raise PermissionDenied("Only the patient can see who has access to their data.")
        with self.db.unit_of_work() as repos:
            patient = repos.users.get(patient_id)
            if patient is None:
                raise NotFound("No such patient.")
            out = []
            for grant in repos.grants.for_patient(patient_id):
                clinician = repos.users.get(grant.clinician_id)
                if clinician is not None:
                    out.append(GrantView.of(grant, patient, clinician))
            return out

    def my_patients(self, actor: Actor) -> list[PatientSummary]:
        """The clinician's patients: a warning sign ticked in the diary in the last 14 days
        first, then red flags of the latest check, then the most recent check first."""
        if not actor.is_clinician or actor.user_id is None:
            raise PermissionDenied("Only a clinician has a patient list.")
        if not actor.approved:
            raise PermissionDenied(
                "Your clinician account is waiting for an administrator's approval."
            )
        summaries = []
        with self.db.unit_of_work() as repos:
            for patient_id in repos.grants.active_patient_ids(actor.user_id):
                patient = require_patient_readable(repos, actor, patient_id)
                latest = repos.triage.for_patient(patient_id, limit=1)
                scores: dict[str, object] = {}
                signs = open_warning_signs(repos, patient_id)
                for response in repos.responses.for_patient(patient_id):
                    scores.setdefault(
                        response.instrument_id,
                        {"score": response.score, "at": response.created_at.isoformat()},
                    )
                summaries.append(
                    PatientSummary(
                        id=patient.id,
                        name=patient.name,
                        email=patient.email,
                        latest_level=latest[0].level if latest else None,
                        latest_check_at=latest[0].created_at if latest else None,
                        latest_top_condition=latest[0].top_condition if latest else None,
                        checks=repos.triage.count_for_patient(patient_id),
                        latest_scores=scores,
                        open_warning_signs=list(dict.fromkeys(w.label for w in signs)),
                        open_signs=signs,
                    )
                )
                audit.record(
                    repos, actor, "read", "patient_summary", resource_id=patient_id,
                    patient_id=patient_id,
                )
        summaries.sort(
            key=lambda s: (
                0 if s.open_warning_signs else 1,
                LEVEL_RANK.get(s.latest_level, 4),
                -(s.latest_check_at.timestamp() if s.latest_check_at else 0),
            )
        )
        return summaries
