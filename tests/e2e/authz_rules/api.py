"""Authorization rules for the JSON API (spinecare.web.api) and the API docs."""

PATIENTS_AND_CARERS = ["patient_a", "clinician", "admin"]  # who may read patient A's data
SIGNED_IN = ["patient_a", "patient_b", "clinician", "other_clinician", "admin"]

RULES = [
    {"route": "GET /api/openapi.json", "allow": "all"},
    {"route": "GET /api/docs", "allow": "all"},
    {"route": "GET /api/v1/health", "allow": "all"},
    {"route": "POST /api/v1/triage", "allow": "all",
     "json": {"age": 60, "sex": "female", "findings": {"back_pain": True}}},
    {"route": "POST /api/v1/triage/next-question", "allow": "all",
     "json": {"age": 60, "findings": {"back_pain": True}}},
    {"route": "POST /api/v1/auth/register", "allow": "all",
     "json": {"email": "new-person@example.org", "password": "{password}", "name": "New",
              "role": "patient"}},
    {"route": "POST /api/v1/auth/login", "allow": "all",
     "json": {"email": "{patient_a_email}", "password": "{password}"}},
    {"route": "GET /api/v1/me", "allow": SIGNED_IN},
    {"route": "GET /api/v1/me/triage", "allow": ["patient_a", "patient_b"]},
    {"route": "GET /api/v1/patients/{patient_id}/triage", "allow": PATIENTS_AND_CARERS,
     "params": {"patient_id": "{patient_a}"}},
    {"route": "GET /api/v1/patients/{patient_id}/questionnaires", "allow": PATIENTS_AND_CARERS,
     "params": {"patient_id": "{patient_a}"}},
    {"route": "GET /api/v1/triage/checks/{check_id}", "allow": PATIENTS_AND_CARERS,
     "params": {"check_id": "{patient_a_check}"}},
    {"route": "GET /api/v1/clinicians", "allow": ["patient_a", "patient_b"]},
    {"route": "GET /api/v1/me/care-team", "allow": ["patient_a", "patient_b"]},
    {"route": "POST /api/v1/me/care-team", "allow": ["patient_a", "patient_b"],
     "json": {"clinician_email": "{other_clinician_email}"}},
    # Only patient A has granted this clinician access, so only A can revoke it.
    {"route": "DELETE /api/v1/me/care-team/{clinician_id}", "allow": ["patient_a"],
     "params": {"clinician_id": "{clinician}"}},
    {"route": "GET /api/v1/me/access-log", "allow": ["patient_a", "patient_b"]},
    {"route": "GET /api/v1/me/export", "allow": SIGNED_IN},
    {"route": "POST /api/v1/me/delete", "allow": SIGNED_IN, "json": {"password": "{password}"}},
    {"route": "GET /api/v1/clinician/patients", "allow": ["clinician", "other_clinician"]},
    {"route": "GET /api/v1/admin/users", "allow": ["admin"]},
    {"route": "POST /api/v1/admin/users/{user_id}/approve", "allow": ["admin"],
     "params": {"user_id": "{other_clinician}"}},
    {"route": "DELETE /api/v1/admin/users/{user_id}", "allow": ["admin"],
     "params": {"user_id": "{patient_b}"}},
    {"route": "GET /api/v1/admin/audit", "allow": ["admin"]},
]
