"""Authorization rules for the health library: public, read-only, no account needed."""

RULES = [
    {"route": "GET /api/v1/search", "allow": "all", "query": {"q": "pins and needles"}},
    {"route": "GET /search", "allow": "all", "query": {"q": "slipped disc"}},
    {"route": "GET /articles", "allow": "all"},
    {"route": "GET /articles/{article_id}", "allow": "all",
     "params": {"article_id": "what-is-spinal-stenosis"}},
]
