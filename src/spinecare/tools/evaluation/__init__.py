"""Scoring the engine against vignette files (the format of shared/eval/FINDINGS.md)."""
