"""Authorization rules for the server-rendered pages (spinecare.web.pages)."""

SIGNED_IN = ["patient_a", "patient_b", "clinician", "other_clinician", "admin"]
PATIENTS = ["patient_a", "patient_b"]

RULES = [
    # Public: home, accounts, and the symptom check (anonymous use stores nothing).
    {"route": "GET /", "allow": "all"},
    {"route": "GET /signup", "allow": "all"},
    {"route": "POST /signup", "allow": "all",
     "form": {"csrf_token": "{csrf}", "name": "New Person", "email": "new-person@example.org",
              "password": "{password}", "role": "patient"}},
    {"route": "GET /signin", "allow": "all"},
    {"route": "POST /signin", "allow": "all",
     "form": {"csrf_token": "{csrf}", "email": "{patient_a_email}", "password": "{password}"}},
    {"route": "POST /signout", "allow": "all", "form": {"csrf_token": "{csrf}"}},
    {"route": "GET /account/deleted", "allow": "all"},
    {"route": "GET /check", "allow": "all"},
    {"route": "POST /check/start", "allow": "all", "form": {"csrf_token": "{csrf}"}},
    {"route": "GET /check/step/{index}", "allow": "all", "params": {"index": "0"}},
    {"route": "POST /check/step/{index}", "allow": "all", "params": {"index": "0"},
     "form": {"csrf_token": "{csrf}", "finding": "age", "value": "50"}},
    {"route": "GET /check/result", "allow": "all"},
    # Starting from one's own words: public too (the interview lives in the browser's cookie).
    {"route": "GET /check/understood", "allow": "all"},
    {"route": "POST /check/understood", "allow": "all", "form": {"csrf_token": "{csrf}"}},
    # One's own account.
    {"route": "GET /account", "allow": SIGNED_IN},
    {"route": "GET /account/export.json", "allow": SIGNED_IN},
    {"route": "GET /account/export.fhir.json", "allow": PATIENTS},
    {"route": "GET /account/delete", "allow": SIGNED_IN},
    {"route": "POST /account/delete", "allow": SIGNED_IN,
     "form": {"csrf_token": "{csrf}", "password": "{password}", "confirm": "yes"}},
    # Health data: the patient, a clinician they granted, an admin (audited).
    {"route": "GET /history", "allow": PATIENTS},
    {"route": "GET /history/{check_id}", "allow": ["patient_a", "clinician", "admin"],
     "params": {"check_id": "{patient_a_check}"}},
    {"route": "GET /sharing", "allow": PATIENTS},
    {"route": "POST /sharing/grant", "allow": PATIENTS,
     "form": {"csrf_token": "{csrf}", "email": "{other_clinician_email}"}},
    # Only patient A has granted this clinician access, so only A can revoke it.
    {"route": "POST /sharing/revoke/{clinician_id}", "allow": ["patient_a"],
     "params": {"clinician_id": "{clinician}"}, "form": {"csrf_token": "{csrf}"}},
    {"route": "GET /questionnaires", "allow": PATIENTS},
    {"route": "GET /questionnaires/{instrument_id}", "allow": PATIENTS,
     "params": {"instrument_id": "nrs"}},
    {"route": "POST /questionnaires/{instrument_id}", "allow": PATIENTS,
     "params": {"instrument_id": "nrs"}, "form": {"csrf_token": "{csrf}", "item-back": "5"}},
    {"route": "GET /questionnaires/responses/{response_id}",
     "allow": ["patient_a", "clinician", "admin"],
     "params": {"response_id": "{patient_a_response}"}},
    {"route": "GET /clinician/patients", "allow": ["clinician", "other_clinician"]},
    {"route": "GET /clinician/patients/{patient_id}", "allow": ["clinician"],
     "params": {"patient_id": "{patient_a}"}},
]
