"""Triage: red flags first, then an explained differential, then advice."""
