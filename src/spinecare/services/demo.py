"""Demo data: a clinician, two patients with a few months of history, an administrator.

Idempotent: loading twice changes nothing and returns the same sign-in details.
Only for trying spinecare out; the e-mails use the reserved ``.test`` domain.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from spinecare.adapters.storage.models import (
    CareTeamGrant,
    QuestionnaireResponse,
    User,
    utcnow,
)
from spinecare.services import Services, audit
from spinecare.services.actor import Actor
from spinecare.services.demo_diary import ANA_STORY, BEN_STORY, diary_rows
from spinecare.services.passwords import hash_password
from spinecare.services.triage import build_findings, new_session


@dataclass(frozen=True, slots=True)
class DemoAccount:
    role: str
    name: str
    email: str
    password: str


CLINICIAN = DemoAccount(
    "clinician", "Dr Maya Okafor", "clinician@spinecare.test", "demo-doctor-pass"
)
PATIENT_ANA = DemoAccount("patient", "Ana Ribeiro", "ana@spinecare.test", "demo-patient-pass")
PATIENT_BEN = DemoAccount("patient", "Ben Hartley", "ben@spinecare.test", "demo-patient-pass")
ADMIN = DemoAccount(
    "admin", "Clinic Administrator", "admin@spinecare.test", "demo-manager-pass"
)
ACCOUNTS = (CLINICIAN, PATIENT_ANA, PATIENT_BEN, ADMIN)
# The passwords meet the sign-up policy (no e-mail's first part in them, zxcvbn score 3+):
# tests/unit/services/test_passwords.py checks it.

_NO_RED_FLAGS = {
    "bladder_dysfunction": False,
    "bowel_dysfunction": False,
    "saddle_anaesthesia": False,
    "fever": False,
    "history_of_cancer": False,
    "unexplained_weight_loss": False,
    "trauma_recent": False,
    "weakness_progressive": False,
}

# (days ago, findings): Ana's walking gets worse over three months (a stenosis picture);
# Ben's sciatica after lifting settles.
_ANA_STENOSIS = {
    "age": 71, "sex": "female", "back_pain": True, "leg_pain": True,
    "leg_symptoms_bilateral": True, "leg_symptoms_walking": True,
    "relief_sitting_or_flexion": True, "shopping_cart_sign": True, "cycling_tolerated": True,
    **_NO_RED_FLAGS,
}
_BEN_SCIATICA = {
    "age": 44, "sex": "male", "back_pain": True, "leg_pain": True, "leg_pain_below_knee": True,
    "leg_pain_worse_than_back": True, "pain_worse_cough_sneeze": True,
    "onset_after_lifting_or_twisting": True, **_NO_RED_FLAGS,
}
# What Ana typed when she started her latest check from her own words (the report quotes it).
OWN_WORDS = {
    (PATIENT_ANA.email, 4): (
        "Both legs go heavy and numb after about five minutes of walking, and I have to sit "
        "down or lean on the shopping trolley before I can go on. It has been getting worse "
        "since the summer."),
}
HISTORY: dict[str, list[tuple[int, dict[str, Any]]]] = {
    PATIENT_ANA.email: [
        (96, {**_ANA_STENOSIS, "duration_weeks": 26, "walking_distance_m": 400}),
        (61, {**_ANA_STENOSIS, "duration_weeks": 31, "walking_distance_m": 300}),
        (33, {**_ANA_STENOSIS, "duration_weeks": 35, "walking_distance_m": 200}),
        (4, {**_ANA_STENOSIS, "duration_weeks": 39, "walking_distance_m": 100,
             "recent_worsening": True, "numbness_tingling_legs": True}),
    ],
    PATIENT_BEN.email: [
        (84, {**_BEN_SCIATICA, "duration_weeks": 2, "leg_pain_score": 8}),
        (55, {**_BEN_SCIATICA, "duration_weeks": 6, "leg_pain_score": 6}),
        (20, {**_BEN_SCIATICA, "duration_weeks": 11, "leg_pain_score": 3,
              "symptoms_improving": True}),
    ],
}


_ODI_ITEMS = ("pain_intensity", "personal_care", "lifting", "walking", "sitting", "standing",
              "sleeping", "sex_life", "social_life", "travelling")
# (days ago, instrument, answers): Ana's walking-related disability grows; Ben's settles.
QUESTIONNAIRES: dict[str, list[tuple[int, str, dict[str, int]]]] = {
    PATIENT_ANA.email: [
        (95, "odi", dict(zip(_ODI_ITEMS, (2, 1, 2, 2, 1, 2, 1, 1, 2, 3), strict=True))),
        (60, "odi", dict(zip(_ODI_ITEMS, (2, 1, 3, 3, 1, 3, 1, 1, 2, 3), strict=True))),
        (4, "odi", dict(zip(_ODI_ITEMS, (3, 1, 3, 4, 1, 3, 2, 1, 3, 4), strict=True))),
        (4, "nrs", {"back": 5, "leg": 7}),
    ],
    PATIENT_BEN.email: [
        (84, "odi", dict(zip(_ODI_ITEMS, (4, 2, 4, 3, 3, 3, 3, 2, 3, 3), strict=True))),
        (20, "odi", dict(zip(_ODI_ITEMS, (1, 0, 2, 1, 1, 1, 1, 0, 1, 1), strict=True))),
        (20, "nrs", {"back": 3, "leg": 2}),
    ],
}


def load(services: Services) -> tuple[bool, tuple[DemoAccount, ...]]:
    """Load the demo once. Returns (loaded now?, the accounts)."""
    if services.accounts.by_email(CLINICIAN.email) is not None:
        return False, ACCOUNTS
    hashes = {a.email: hash_password(a.password) for a in ACCOUNTS}  # slow: before the transaction
    # Results come from today's engine, so the demo always matches the knowledge version.
    results = {
        email: [(days, f, services.triage.evaluate(build_findings(f))) for days, f in checks]
        for email, checks in HISTORY.items()
    }
    scored = {
        email: [(days, iid, answers, services.questionnaires.score(iid, answers))
                for days, iid, answers in items]
        for email, items in QUESTIONNAIRES.items()
    }
    actor = Actor.system("demo load")
    now = utcnow()
    with services.db.unit_of_work() as repos:
        users = {}
        for account in ACCOUNTS:
            users[account.email] = repos.users.add(
                User(email=account.email, name=account.name, role=account.role,
                     password_hash=hashes[account.email], approved=True,
                     created_at=now - timedelta(days=120),
                     email_verified_at=now - timedelta(days=120))
            )
        clinician = users[CLINICIAN.email]
        for email, checks in results.items():
            patient = users[email]
            repos.session.add(CareTeamGrant(patient_id=patient.id, clinician_id=clinician.id,
                                            granted_at=now - timedelta(days=100)))
            for days, findings, result in checks:
                row = repos.triage.add(new_session(
                    patient.id, build_findings(findings), result,
                    created_at=now - timedelta(days=days),
                    own_words=OWN_WORDS.get((email, days), "")))
                audit.record(repos, actor, "create", "triage_session", resource_id=row.id,
                             patient_id=patient.id, detail="demo data")
            for days, instrument_id, answers, (version, score) in scored[email]:
                response = repos.responses.add(QuestionnaireResponse(
                    patient_id=patient.id, instrument_id=instrument_id,
                    definition_version=version, created_at=now - timedelta(days=days),
                    answers=answers, score=score,
                ))
                audit.record(repos, actor, "create", "questionnaire_response",
                             resource_id=response.id, patient_id=patient.id, detail="demo data")
        for email, story in ((PATIENT_ANA.email, ANA_STORY), (PATIENT_BEN.email, BEN_STORY)):
            _add_diary(repos, actor, users[email].id, story, now.date())
    return True, ACCOUNTS


def _add_diary(repos: Any, actor: Actor, patient_id: int, story: Any, today: Any) -> None:
    """The story's diary, walking tests, programme and sessions, one audit event per kind."""
    entries, tests, sessions, profile, questions = diary_rows(story, patient_id, today)
    repos.session.add_all([*entries, *tests, *sessions, profile, *questions])
    repos.session.flush()
    for resource, count in (("diary_entry", len(entries)), ("walking_test", len(tests)),
                            ("exercise_session", len(sessions)),
                            ("visit_question", len(questions))):
        audit.record(repos, actor, "create", resource, patient_id=patient_id,
                     detail=f"demo data: {count}")
