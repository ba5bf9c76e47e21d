"""The exercise programme's rules as data: id, one plain sentence, references or a team mark.

Every programme and every progression decision names one of these ids, so a person (or a
reviewer) can see why the plan says what it says. A value no cited source contains is
marked spinecare-defined (``clinical.evidence.TEAM_CHOICE``), never passed off as published.
"""

from __future__ import annotations

from dataclasses import dataclass

from spinecare.clinical.diary.rules import OPEN_SIGN_DAYS
from spinecare.clinical.evidence import TEAM_CHOICE

RULES_VERSION = "exercise-rules-2026-12-10"

# The stenosis trials' dose: two sessions a week for six weeks (Delitto 2015, Minetama
# 2019, Ammendolia 2018, Schneider 2019, Pua 2007), plus a daily home programme.
SESSIONS_PER_WEEK = 2
PROGRAMME_WEEKS = 6
TRIAL_SESSIONS = SESSIONS_PER_WEEK * PROGRAMME_WEEKS  # 12
# What counts towards the trials' 12: a programme session done = 1, done in part = 0.5,
# skipped = 0 (spinecare-defined: the trials counted attended sessions; half credit for a
# shortened one is our choice). Home sessions are the daily extra and do not count.
SESSION_CREDIT = {"done": 1.0, "partly": 0.5, "skipped": 0.0}

# Conditioning minutes (cycling or supported walking): start, floor and ceiling. Whitman
# 2006 walked up to 45 minutes per session; the start and floor are spinecare-defined.
START_MINUTES = 10
MIN_MINUTES = 5
MAX_MINUTES = 45
# Step size: 10% of the current minutes or 2 minutes, whichever is larger (spinecare-
# defined, after the 10% claudication walking progression in the evidence notes).
STEP_FRACTION = 0.10
STEP_MIN_MINUTES = 2
# Progress only after this many days without a change and without a flare.
STEADY_DAYS = 7
# How many of the latest rated sessions must be "easy" or "just right" to move up.
RATED_SESSIONS_TO_PROGRESS = 2
# Pain-monitoring model: a rise of more than 2 points (0-10) from before to after a
# session is too much (Silbernagel 2007's idea; the figure 2 is spinecare-defined).
PAIN_RISE_LIMIT = 2
# A rise of 3 or more, twice within 28 days: tell the clinician (spinecare-defined).
FLAG_RISE = 3
FLAG_COUNT = 2
FLAG_WINDOW_DAYS = 28
# A check rated emergency or urgent, or a warning sign ticked in the diary, within this
# many days pauses the programme: the one open-sign rule (spinecare-defined, rule
# DIARY-OPEN-SIGN, clinical/diary/open_signs.py).
WARNING_SIGN_DAYS = OPEN_SIGN_DAYS

SPINECARE_DEFINED = f"spinecare-defined ({TEAM_CHOICE})"


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    sentence: str
    references: tuple[str, ...]
    basis: str = ""  # SPINECARE_DEFINED when no cited source holds the number

    @property
    def spinecare_defined(self) -> bool:
        return self.basis == SPINECARE_DEFINED


_RULES = (
    # Which programme.
    Rule("EX-NONE-WARNING",
         "A warning sign is open (a check that said emergency or urgent, or a warning sign in "
         f"your diary, in the last {WARNING_SIGN_DAYS} days): no exercise plan until a doctor "
         "has seen you.",
         ("nice-ng59", "bass-ces-2018", "finucane-2020"), SPINECARE_DEFINED),
    Rule("EX-BIAS-FLEXION",
         "For lumbar spinal stenosis the plan bends the back forwards (flexion) and leaves out "
         "arching backwards, because stenosis symptoms ease when you bend forward or sit.",
         ("nass-lss-2013", "delitto-2015", "whitman-2006", "minetama-2019")),
    Rule("EX-DOSE-TRIALS",
         f"Two sessions a week for {PROGRAMME_WEEKS} weeks ({TRIAL_SESSIONS} sessions) plus a "
         "short daily home routine: the dose the stenosis exercise trials used.",
         ("delitto-2015", "minetama-2019", "ammendolia-2018", "kb-schneider-2019", "pua-2007")),
    Rule("EX-CONDITIONING-EQUAL",
         "Cycling on an exercise bike works as well as walking on a treadmill for stenosis, so "
         "choose whichever you can do.",
         ("pua-2007",)),
    Rule("EX-BIAS-DIRECTION",
         "For sciatica from a disc, the plan uses the direction of movement that eases the leg "
         "pain (most often gentle arching back) and walking; a physiotherapist can test your "
         "direction.",
         ("long-2004", "nice-ng59", "nass-ldh-2014")),
    Rule("EX-MOBILITY",
         "For a strain or everyday back pain, keep moving: gentle mobility every day and "
         "walking, building up as it settles.",
         ("nice-ng59", "hayden-2021", "acp-2017")),
    Rule("EX-NECK",
         "For a trapped nerve in the neck, gentle neck movements and walking; stop anything "
         "that sends more pain or tingling down the arm.",
         ("nass-crad-2011", "nice-cks-neck")),
    Rule("EX-SUPERVISED",
         "Pressure on the spinal cord in the neck (myelopathy): exercise only as agreed with a "
         "specialist or physiotherapist who knows your diagnosis.",
         ("fehlings-2017",)),
    Rule("EX-NOT-COVERED",
         "This condition needs a doctor's care first; this exercise plan is not made for it.",
         ("nice-ng59",), SPINECARE_DEFINED),
    Rule("EX-NO-CONDITION",
         "Choose the condition your plan is for (your latest symptom check suggests one).",
         (), SPINECARE_DEFINED),
    # Progression, from the sessions you log (pain-monitoring model, rated sessions).
    Rule("EX-PROG-UP",
         f"{STEADY_DAYS} days without a flare and your last {RATED_SESSIONS_TO_PROGRESS} "
         "sessions felt easy or just right: add a little time (10% or 2 minutes).",
         ("silbernagel-2007",), SPINECARE_DEFINED),
    Rule("EX-PROG-HOLD",
         "Keep the same amount for now: it moves up after a steady week of sessions that "
         "felt easy or just right.",
         (), SPINECARE_DEFINED),
    Rule("EX-PROG-DOWN-FLARE",
         "You had a flare: step back a little (10% or 2 minutes) and build up again once it "
         "settles.",
         ("silbernagel-2007",), SPINECARE_DEFINED),
    Rule("EX-PROG-DOWN-PAINFUL",
         "A session felt painful: step back a little (10% or 2 minutes) next time.",
         ("silbernagel-2007",), SPINECARE_DEFINED),
    Rule("EX-PROG-DOWN-PAIN-RISE",
         f"Your pain after a session was more than {PAIN_RISE_LIMIT} points above your pain "
         "before it: step back a little (10% or 2 minutes) next time.",
         ("silbernagel-2007",), SPINECARE_DEFINED),
    Rule("EX-FLAG-CLINICIAN",
         f"Your pain went up by {FLAG_RISE} points or more after a session {FLAG_COUNT} times "
         f"in {FLAG_WINDOW_DAYS} days: tell your physiotherapist or doctor before you go on.",
         ("silbernagel-2007",), SPINECARE_DEFINED),
    Rule("EX-TRIAL-CREDIT",
         f"A programme session done counts 1 towards the trials' {TRIAL_SESSIONS}, one done "
         "in part counts a half, a skipped one nothing.",
         ("delitto-2015", "minetama-2019"), SPINECARE_DEFINED),
)

RULES: dict[str, Rule] = {r.id: r for r in _RULES}
