"""Authorization rules for the exercise programme: the library is public; a plan and its
sessions are the patient's (and, read only, a clinician they granted access to)."""

PATIENTS = ["patient_a", "patient_b"]

RULES = [
    {"route": "GET /api/v1/exercises", "allow": "all"},
    {"route": "GET /api/v1/exercises/{exercise_id}", "allow": "all",
     "params": {"exercise_id": "pelvic_tilt"}},
    {"route": "GET /api/v1/me/exercise/plan", "allow": PATIENTS},
    {"route": "PUT /api/v1/me/exercise/programme", "allow": PATIENTS,
     "json": {"condition": "lumbar_spinal_stenosis"}},
    {"route": "POST /api/v1/me/exercise/sessions", "allow": PATIENTS,
     "json": {"day": "2026-01-05", "status": "done"}},
    {"route": "GET /api/v1/me/exercise/sessions", "allow": PATIENTS},
    # The matrix's world holds no exercise session, so every role is refused: patients with
    # 404 (someone else's session answers the same: tests/e2e/api/test_api_exercise.py).
    {"route": "DELETE /api/v1/me/exercise/sessions/{session_id}", "allow": [],
     "params": {"session_id": "1"}},
    {"route": "GET /api/v1/patients/{patient_id}/exercise/plan",
     "allow": ["patient_a", "clinician"], "params": {"patient_id": "{patient_a}"}},
    {"route": "GET /exercise", "allow": PATIENTS},
    {"route": "POST /exercise/programme", "allow": PATIENTS,
     "form": {"csrf_token": "{csrf}", "condition": "lumbar_spinal_stenosis"}},
    {"route": "POST /exercise/log", "allow": PATIENTS,
     "form": {"csrf_token": "{csrf}", "day": "2026-01-05", "status": "done"}},
    {"route": "GET /exercise/library", "allow": "all"},
    {"route": "GET /exercise/library/{exercise_id}", "allow": "all",
     "params": {"exercise_id": "pelvic_tilt"}},
]
