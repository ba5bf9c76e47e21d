"""Clinical knowledge as data (rules, conditions, questions, advice), kept apart from engines.

Every stored result records ``KNOWLEDGE_VERSION``; bump it whenever a rule,
weight, threshold or advice text changes.
"""

KNOWLEDGE_VERSION = "2026.12.1"
