"""Authorization rules for the free-text intake: public, stores nothing."""

RULES = [
    {"route": "POST /api/v1/intake", "allow": "all",
     "json": {"text": "no fever, but I can't feel when I wipe"}},
]
