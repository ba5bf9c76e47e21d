"""The one-page pre-visit report for the doctor: pure rules, flags and change verdicts."""

from spinecare.clinical.report.build import DoctorReport, build_report
from spinecare.clinical.report.flags import FLAG_RULES, Flag, evaluate_flags
from spinecare.clinical.report.model import (
    OwnWords,
    ReportData,
    ScorePoint,
    ScoreSeries,
    SessionRecord,
    WarningEvent,
)
from spinecare.clinical.report.verdicts import ChangeVerdict, verdict

__all__ = ["FLAG_RULES", "ChangeVerdict", "DoctorReport", "Flag", "OwnWords", "ReportData",
           "ScorePoint", "ScoreSeries", "SessionRecord", "WarningEvent", "build_report",
           "evaluate_flags", "verdict"]
