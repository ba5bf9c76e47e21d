"""The doctor's report's rules as data: id, what it says, the references behind it, and the
thresholds, each next to the rule that uses it (the AHRQ Pain Management Summary pattern:
every flag is a rule with its own text).

A threshold no cited source contains says "team's choice" (clinical/evidence.py TEAM_CHOICE).
"""

from __future__ import annotations

from spinecare.clinical.decision.rules import MAX_INJECTIONS_PER_YEAR
from spinecare.clinical.decision.rules import RULES as DECISION_RULES
from spinecare.clinical.diary.rules import WALK_DISTANCE_SEM_M, WALKING_MCID_PERCENT
from spinecare.clinical.evidence import CitedRule as Rule
from spinecare.clinical.evidence import references_of_rules

RULES_VERSION = "report-rules-2026-12-03"

# Flags.
LEG_WALK_WINDOW_DAYS = 7        # the latest 7 days of the period
LEG_WALK_MIN_DAYS = 3           # recorded days needed for each mean (as DIARY-TOLERANCE)
LEG_WALK_MINUTES_UNDER = 10.0   # walking tolerance under 10 minutes (team's choice)
ZCQ_WORSE_BY = 0.5              # ZCQ symptom severity: the trial MCID (Stucki 1996)
ZCQ_WINDOW_DAYS = 92            # "in 3 months"
EPIDURAL_LIMIT_12M = MAX_INJECTIONS_PER_YEAR
WALK_TEST_DOWN_PERCENT = WALKING_MCID_PERCENT  # 30 % (Ammendolia 2018)
# The warning signs of cauda equina compression (bladder, bowel, saddle, sexual function).
SPHINCTER_SIGNS = ("bladder_dysfunction", "urinary_hesitancy_new", "bowel_dysfunction",
                   "saddle_anaesthesia", "sexual_dysfunction_new")

# Change verdicts: the usual variation between two measurements when nothing was done.
ODI_NOISE_POINTS = 9.17         # mean change between two untreated measurements (Hatakka 2025)
ODI_NOISE_SD = 7.16
WALK_NOISE_M = WALK_DISTANCE_SEM_M  # 58.3 m, one walk's standard error (Maldaner 2020)

# Data quality and charts.
STALE_DAYS = 90                 # a questionnaire older than 3 months (ICHOM's first time point)
CHART_WEEK_MIN_DAYS = 3         # recorded days a weekly mean needs (team's choice)
OWN_WORDS_MAX_CHARS = 600       # the report quotes at most this much (team's choice)


_RULES = (
    Rule("RPT-ROWS",
         "The report's fixed rows follow the ICHOM low back pain set: back and leg pain "
         "(0-10), disability (ODI), walking, medicines and injections, over a dated period.",
         ("ichom-lbp-2015",)),
    Rule("RPT-DISPLAY",
         "Each chart is a line graph of one person's values, with one score direction per "
         "chart stated in words and labelled threshold lines.",
         ("snyder-2019", "brundage-2015")),
    Rule("RPT-CHANGE",
         "Change from the baseline is judged twice: against the minimal important change "
         "(ODI 10 points or 30 %, NRS 2 points or 30 %, ZCQ 0.5, walking test 30 %) and "
         f"against usual variation (ODI {ODI_NOISE_POINTS:g} points, SD {ODI_NOISE_SD:g}, "
         f"between two measurements without treatment; one walk's distance about "
         f"{WALK_NOISE_M:g} m). Where the usual variation is not known, the report says so.",
         ("ostelo-2008", "stucki-1996", "ammendolia-2018", "hatakka-2025", "maldaner-2020")),
    Rule("RPT-FLAGS",
         "Flags are rules written as data, each with its own text and references; a flag "
         "that cannot be checked for want of data is listed as not checked, never as clear.",
         ("ahrq-pain-summary",)),
    Rule("RPT-STALE",
         f"A questionnaire whose latest answer is more than {STALE_DAYS} days older than the "
         "end of the period is stale (ICHOM's first follow-up is at 3 months).",
         ("ichom-lbp-2015",)),
    Rule("RPT-FLAG-LEG-WALK",
         f"Leg pain at least as bad as back pain and walking under "
         f"{LEG_WALK_MINUTES_UNDER:g} minutes (means of the last {LEG_WALK_WINDOW_DAYS} days, "
         f"at least {LEG_WALK_MIN_DAYS} recorded days each): the neurogenic claudication "
         "picture with a short walking tolerance. The 10 minutes is the team's choice.",
         ("nass-lss-2013", "tomkins-2009")),
    Rule("RPT-FLAG-NO-NONDRUG",
         "No non-drug treatment recorded in the period (no exercise session done or done in "
         "part). Exercise is a first-line treatment; the flag copies the AHRQ summary's "
         "'absence of non-pharmacologic treatments'.",
         ("ahrq-pain-summary", "nice-ng59")),
    Rule("RPT-FLAG-SPHINCTER",
         "A new bladder, bowel, saddle or sexual-function sign logged in the period (diary or "
         "symptom check): possible cauda equina compression, same-day emergency assessment.",
         ("bass-ces-2018", "girft-ces-2023")),
    Rule("RPT-FLAG-ZCQ-WORSE",
         f"ZCQ symptom severity worse by {ZCQ_WORSE_BY:g} or more within 3 months "
         f"({ZCQ_WINDOW_DAYS} days): the latest score against the earliest in the 3 months "
         "before it.",
         ("stucki-1996",)),
    Rule("RPT-FLAG-EPIDURAL",
         f"{EPIDURAL_LIMIT_12M} or more epidural injections in the 12 months before the end "
         "of the period: the decision aid's limit (rule DA-OPT-ESI-LIMIT).",
         DECISION_RULES["DA-OPT-ESI-LIMIT"].references),
    Rule("RPT-FLAG-WALK-TEST-DOWN",
         f"Walking test down by {WALK_TEST_DOWN_PERCENT:g} % or more: the latest test of the "
         "period against the first (distance when both have one, else time).",
         ("ammendolia-2018", "tomkins-2009")),
)

RULES: dict[str, Rule] = {r.id: r for r in _RULES}


def references_of(*rule_ids: str) -> tuple[str, ...]:
    """The references behind some rules, in order, each once."""
    return references_of_rules(RULES, rule_ids)
