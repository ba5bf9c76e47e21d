"""Free-text intake: a person's own words -> findings, with negation and uncertainty.

    from spinecare.adapters.intake import extract_findings
    result = extract_findings("my legs ache when I walk but not on my bike")
"""

from spinecare.adapters.intake.extract import extract_findings
from spinecare.adapters.intake.result import FindingSpan, IntakeResult

__all__ = ["FindingSpan", "IntakeResult", "extract_findings"]
