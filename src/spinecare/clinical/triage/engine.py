"""The triage engine (interface; rules land in the next commit)."""

from __future__ import annotations

from spinecare.clinical.findings import Findings
from spinecare.clinical.triage.result import TriageResult


class TriageEngine:
    """Stateless: ``evaluate`` maps findings to a result; safe to share across threads."""

    def evaluate(self, findings: Findings, *, country: str = "") -> TriageResult:
        raise NotImplementedError
