"""Authorization rules for the decision aid: public, stores nothing, so everyone may use it."""

from spinecare.clinical.decision import WARNING_SIGNS

ANSWERS = {"condition": "lumbar_spinal_stenosis", "conservative_weeks": 20, "benefit": "none",
           "deficit": "none", "warning_signs": {k: False for k in WARNING_SIGNS}}

RULES = [
    {"route": "POST /api/v1/decide", "allow": "all", "json": ANSWERS},
    {"route": "GET /api/v1/decide/options", "allow": "all"},
    {"route": "GET /decide", "allow": "all"},
    {"route": "POST /decide", "allow": "all",
     "form": {"csrf_token": "{csrf}", **{f"sign_{k}": "no" for k in WARNING_SIGNS},
              "condition": "lumbar_spinal_stenosis", "conservative_weeks": "20",
              "benefit": "none", "deficit": "none"}},
    {"route": "POST /decide/summary", "allow": "all",
     "form": {"csrf_token": "{csrf}", "format": "md",
              # Braces doubled: the matrix fills {placeholders} with str.format.
              "payload": '{{"condition": "lumbar_spinal_stenosis", "conservative_weeks": 20, '
                         '"benefit": "none", "deficit": "none", "warning_signs": '
                         '{{"saddle_anaesthesia": "yes"}}}}'}},
]
