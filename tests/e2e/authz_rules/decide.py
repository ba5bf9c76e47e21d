"""Authorization rules for the decision aid: public, stores nothing, so everyone may use it."""

ANSWERS = {"condition": "lumbar_spinal_stenosis", "conservative_weeks": 20, "benefit": "none",
           "deficit": "none"}

RULES = [
    {"route": "POST /api/v1/decide", "allow": "all", "json": ANSWERS},
    {"route": "GET /api/v1/decide/options", "allow": "all"},
    {"route": "GET /decide", "allow": "all"},
    {"route": "POST /decide", "allow": "all",
     "form": {"csrf_token": "{csrf}", "warning_signs": "none",
              "condition": "lumbar_spinal_stenosis", "conservative_weeks": "20",
              "benefit": "none", "deficit": "none"}},
    {"route": "POST /decide/summary", "allow": "all",
     "form": {"csrf_token": "{csrf}", "format": "md",
              # Braces doubled: the matrix fills {placeholders} with str.format.
              "payload": '{{"condition": "lumbar_spinal_stenosis", "conservative_weeks": 20, '
                         '"benefit": "none", "deficit": "none"}}'}},
]
