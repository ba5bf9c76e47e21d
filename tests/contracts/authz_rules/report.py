"""Authorization rules for the report for the doctor: the patient's own, and the clinician the
patient granted; never another patient, a clinician without a grant, or an admin."""

PATIENTS = ["patient_a", "patient_b"]
A_AND_CARER = ["patient_a", "clinician"]
A = {"patient_id": "{patient_a}"}

RULES = [
    {"route": "GET /report", "allow": PATIENTS},
    {"route": "GET /report/view", "allow": PATIENTS},
    {"route": "GET /report.pdf", "allow": PATIENTS},
    {"route": "GET /clinician/patients/{patient_id}/report", "allow": ["clinician"], "params": A},
    {"route": "GET /clinician/patients/{patient_id}/report.pdf", "allow": ["clinician"],
     "params": A},
    {"route": "GET /api/v1/me/report.pdf", "allow": PATIENTS},
    {"route": "GET /api/v1/patients/{patient_id}/report", "allow": A_AND_CARER, "params": A},
    {"route": "GET /api/v1/patients/{patient_id}/report.pdf", "allow": A_AND_CARER,
     "params": A},
]
