"""The diary analytics' rules as data: id, what it says, the references behind it, and the
thresholds, each next to the rule that uses it.

Every section of a diary summary names the rule ids it applied, so a reader (or a
reviewer) can trace each number to its source. A threshold no cited source contains says
"team's choice" (clinical/evidence.py TEAM_CHOICE).
"""

from __future__ import annotations

from spinecare.clinical.decision.rules import MAX_INJECTIONS_PER_YEAR
from spinecare.clinical.decision.rules import RULES as DECISION_RULES
from spinecare.clinical.evidence import CitedRule as Rule
from spinecare.clinical.evidence import references_of_rules

RULES_VERSION = "diary-rules-2026-12-10"

# Pain-defined flare (spinecare-defined, based on Costa 2021, Suri 2018 and FLAReS).
FLARE_BASELINE_DAYS = 14       # the calendar days before a day that set its usual level
FLARE_BASELINE_MIN_DAYS = 7    # recorded days among them needed to judge
FLARE_POINTS_ABOVE = 2         # NRS points above the median (Ostelo 2008 NRS MCID: 2 points)
FLARE_MIN_DAYS = 2             # consecutive above-usual days that make a flare

# Walking: SPWT minimal clinically important difference (Ammendolia 2018) and the
# smartphone 6-minute walk's standard error of measurement (Maldaner 2020).
WALKING_MCID_PERCENT = 30.0
WALK_DISTANCE_SEM_M = 58.3
TOLERANCE_WINDOW_DAYS = 7      # first and latest week of the period compared
TOLERANCE_MIN_DAYS = 3         # recorded days in each week needed (team's choice)

# Associations (Bearable's minimum data rule).
ASSOCIATION_MIN_DAYS = 3
ASSOCIATION_PREFERRED_DAYS = 30
MAX_FACTORS = 8                # factors tested in one summary, the published priors included
SITTING_HOURS_OVER = 6.0       # Suri 2018: prolonged sitting > 6 h, OR 4.4 (2.0-9.7)
POOR_SLEEP_AT_MOST = 2         # sleep quality 1-2 of 5 = "poor" (Costa 2021 Eur Spine J)

# The pain chart's reference lines (DIARY-PAIN-LINES): NRS minimal important change, 2
# points or 30 % (Ostelo 2008), from the mean of the period's first week; the 3 recorded
# days a baseline needs are the team's choice.
PAIN_MIC_POINTS = 2
PAIN_MIC_PERCENT = 30.0
PAIN_BASELINE_DAYS = 7
PAIN_BASELINE_MIN_DAYS = 3

# Open warning signs (DIARY-OPEN-SIGN): how long a sign stays open, the day it happened
# included (spinecare-defined); the same value as clinical/diary/open_signs.py.
OPEN_SIGN_DAYS = 14

# Trend and means.
TREND_MIN_POINTS = 3
MEAN_WINDOWS = (7, 28)

# Epidural injections: the decision aid's limit, reused (rule DA-OPT-ESI-LIMIT).
EPIDURAL_LIMIT_12M = MAX_INJECTIONS_PER_YEAR


_RULES = (
    Rule("DIARY-MEANS",
         "Average pain per site over the last 7 and 28 calendar days ending today; days not "
         "recorded are left out (never counted as zero). The smallest change in a 0-10 "
         "pain rating that matters to people is 2 points or 30%.",
         ("ostelo-2008", "hawker-2011")),
    Rule("DIARY-TREND",
         "Trend: an ordinary least-squares slope per week over the period with a 95% "
         "confidence interval (Student's t); at least 3 recorded days; 'no clear change' "
         "when the interval includes 0. Lower pain and longer walking or standing are better.",
         ("nist-esh", "abramowitz-stegun-1964")),
    Rule("DIARY-FLARE-PAIN",
         f"Pain-defined flare (spinecare-defined, based on Costa 2021, Suri 2018 and FLAReS): "
         f"a day's pain (the higher of leg and back) at least {FLARE_POINTS_ABOVE} points "
         f"above the median of the recorded days among the previous {FLARE_BASELINE_DAYS} "
         f"days (at least {FLARE_BASELINE_MIN_DAYS} of them recorded) is above the usual "
         f"level; {FLARE_MIN_DAYS} or more such days in a row are a flare. The 2 points are "
         "the NRS minimal important change; FLAReS found a reported flare goes with 2.8 "
         "points more pain. The exact rule is the team's choice.",
         ("costa-2021-cjp", "suri-2018", "suri-flares-2025", "ostelo-2008")),
    Rule("DIARY-FLARE-SELF",
         "Self-reported flare: the person's own yes to 'am I in a flare?' (consensus "
         "definition), shown beside the pain-defined flare because the two often disagree "
         "(68% of self-reported flare days had no above-average pain).",
         ("costa-2019", "costa-2021-cjp")),
    Rule("DIARY-WALK-TEST",
         "Walking test: own pace on level ground until symptoms force a stop or 30 minutes; "
         "a change of 30% or more from the first test of the period is meaningful (the "
         "SPWT's minimal clinically important difference, used here for worsening too). A "
         "single walk's distance varies by about 58 m (standard error of measurement).",
         ("tomkins-2009", "ammendolia-2018", "maldaner-2020")),
    Rule("DIARY-TOLERANCE",
         "Daily walking and standing tolerance: the latest 7-day mean against the first "
         "7-day mean of the period, each from at least 3 recorded days; 30% or more is "
         "meaningful (the SPWT threshold applied to the diary's own minutes: team's choice).",
         ("ammendolia-2018",)),
    Rule("DIARY-ASSOC",
         f"Association between a factor and the next day's pain (leg, else back): shown "
         f"only with at least {ASSOCIATION_MIN_DAYS} days with the factor and "
         f"{ASSOCIATION_MIN_DAYS} without, each followed by a recorded day; "
         f"{ASSOCIATION_PREFERRED_DAYS} of each preferred; difference of means with a 95% "
         f"Welch interval; at most {MAX_FACTORS} factors tested. An association, not a cause.",
         ("bearable-correlations", "nist-esh")),
    Rule("DIARY-ASSOC-SITTING",
         f"Published prior: sitting more than {SITTING_HOURS_OVER:g} hours raised the odds of "
         "a back-pain flare (odds ratio 4.4, 95% CI 2.0-9.7).",
         ("suri-2018",)),
    Rule("DIARY-ASSOC-SLEEP",
         f"Published prior: poor sleep (quality {POOR_SLEEP_AT_MOST} or less of 5) raised the "
         "odds of a flare; good sleep lowered them.",
         ("costa-2021-esj",)),
    Rule("DIARY-EPIDURAL",
         f"Epidural injections in the 12 months before today: {EPIDURAL_LIMIT_12M} or more "
         "reaches the decision aid's limit (rule DA-OPT-ESI-LIMIT).",
         DECISION_RULES["DA-OPT-ESI-LIMIT"].references),
    Rule("DIARY-PAIN-LINES",
         f"Pain chart lines: from the mean of the first {PAIN_BASELINE_DAYS} days of the "
         f"period (at least {PAIN_BASELINE_MIN_DAYS} recorded days, the team's choice), "
         f"{PAIN_MIC_POINTS} points or {PAIN_MIC_PERCENT:g}% better and worse, whichever "
         "is the smaller change (either is the smallest change in a 0-10 pain rating that "
         "matters to people).",
         ("ostelo-2008", "hawker-2011")),
    Rule("DIARY-OPEN-SIGN",
         f"An open warning sign (spinecare-defined: {OPEN_SIGN_DAYS} days is the team's "
         "choice): a warning sign in the diary, or a symptom check that advised urgent or "
         f"emergency care, in the last {OPEN_SIGN_DAYS} days including today. A check the "
         "diary ran counts from its diary day, any other check from the day it was saved. "
         "It pauses the exercise plan, puts the person at the top of their clinician's "
         "list and is shown first in the doctor's report.",
         ("nice-ng59", "bass-ces-2018")),
    Rule("DIARY-COMPLETENESS",
         "Completeness: days with an entry out of the days in the period, and the longest "
         "run of days without one. Missing days are unknown, not pain-free.",
         ()),
)

RULES: dict[str, Rule] = {r.id: r for r in _RULES}


def references_of(*rule_ids: str) -> tuple[str, ...]:
    """The references behind some rules, in order, each once."""
    return references_of_rules(RULES, rule_ids)
