"""The pure clinical core: findings, triage, instruments, analytics, decision aid.

Nothing in this package does I/O or imports a web, database or CLI framework;
everything else may import it.
"""
