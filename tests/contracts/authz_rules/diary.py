"""Authorization rules for the symptom diary, walking tests and visit questions (pages and
API). Only the patient writes their diary; the patient and a clinician they granted read
its summary; an admin sees none of it. The world holds no diary rows, so deleting one is a
404 for everybody (ownership of existing rows: tests/e2e/api/test_api_diary.py)."""

PATIENTS = ["patient_a", "patient_b"]
DAY = "2024-05-01"

RULES = [
    # API
    {"route": "GET /api/v1/diary/warning-signs", "allow": "all"},
    {"route": "GET /api/v1/me/diary/summary", "allow": PATIENTS},
    {"route": "GET /api/v1/patients/{patient_id}/diary/summary",
     "allow": ["patient_a", "clinician"], "params": {"patient_id": "{patient_a}"}},
    {"route": "GET /api/v1/me/diary/export.csv", "allow": PATIENTS},
    # An empty body is refused with a 422 (allowed through, then judged).
    {"route": "POST /api/v1/me/diary/import", "allow": PATIENTS},
    {"route": "GET /api/v1/me/diary", "allow": PATIENTS},
    {"route": "GET /api/v1/me/diary/{day}", "allow": [], "params": {"day": DAY}},
    {"route": "PUT /api/v1/me/diary/{day}", "allow": PATIENTS, "params": {"day": DAY},
     "json": {"back_pain": 4, "leg_pain": 6}},
    {"route": "DELETE /api/v1/me/diary/{day}", "allow": [], "params": {"day": DAY}},
    {"route": "GET /api/v1/me/walking-tests", "allow": PATIENTS},
    {"route": "POST /api/v1/me/walking-tests", "allow": PATIENTS,
     "json": {"duration_seconds": 600, "stopped_because": "symptoms"}},
    {"route": "DELETE /api/v1/me/walking-tests/{test_id}", "allow": [],
     "params": {"test_id": "1"}},
    {"route": "GET /api/v1/me/visit-questions", "allow": PATIENTS},
    {"route": "POST /api/v1/me/visit-questions", "allow": PATIENTS,
     "json": {"text": "Can I keep cycling?"}},
    {"route": "PATCH /api/v1/me/visit-questions/{question_id}", "allow": [],
     "params": {"question_id": "1"}, "json": {"done": True}},
    {"route": "DELETE /api/v1/me/visit-questions/{question_id}", "allow": [],
     "params": {"question_id": "1"}},
    # Pages
    {"route": "GET /diary", "allow": PATIENTS},
    {"route": "GET /diary/walking-test", "allow": PATIENTS},
    {"route": "POST /diary/walking-test", "allow": PATIENTS,
     "form": {"csrf_token": "{csrf}", "duration_minutes": "10", "stopped_because": "symptoms"}},
    {"route": "POST /diary/walking-test/{test_id}/delete", "allow": [],
     "params": {"test_id": "1"}, "form": {"csrf_token": "{csrf}"}},
    {"route": "GET /diary/export.csv", "allow": PATIENTS},
    {"route": "GET /diary/import", "allow": PATIENTS},
    {"route": "POST /diary/import", "allow": PATIENTS, "form": {"csrf_token": "{csrf}"}},
    {"route": "POST /diary/questions", "allow": PATIENTS,
     "form": {"csrf_token": "{csrf}", "text": "Can I keep cycling?"}},
    {"route": "POST /diary/questions/{question_id}/done", "allow": [],
     "params": {"question_id": "1"}, "form": {"csrf_token": "{csrf}"}},
    {"route": "GET /diary/{day}", "allow": PATIENTS, "params": {"day": DAY}},
    {"route": "POST /diary/{day}", "allow": PATIENTS, "params": {"day": DAY},
     "form": {"csrf_token": "{csrf}", "back_pain": "4"}},
    {"route": "POST /diary/{day}/delete", "allow": [], "params": {"day": DAY},
     "form": {"csrf_token": "{csrf}"}},
]
