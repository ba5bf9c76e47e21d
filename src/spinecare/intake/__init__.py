"""Free-text intake: a person's own words -> findings, with negation and uncertainty.

    from spinecare.intake import extract_findings
    result = extract_findings("my legs ache when I walk but not on my bike")
"""

from spinecare.intake.extract import extract_findings
from spinecare.intake.result import FindingSpan, IntakeResult

__all__ = ["FindingSpan", "IntakeResult", "extract_findings"]
