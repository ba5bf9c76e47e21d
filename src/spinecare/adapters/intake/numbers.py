"""Numbers in a person's story: walking distance, how long, pain scores, age, care so far.

Regular expressions over the text (numbers do not need negation handling). Each
extractor returns spans with character offsets, like the lexicon matches.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spinecare.adapters.intake.result import FindingSpan
from spinecare.clinical.number_words import words_to_number

_SMALL = (r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
          r"fifteen|sixteen|seventeen|eighteen|nineteen")
_TENS = r"twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_WORD_NUM = (
    rf"(?:\d+(?:[.,]\d+)?|half an?|a couple of|couple of|a few hundred|a few|few|several|"
    rf"(?:(?:{_TENS})(?:[- ](?:{_SMALL}))?|{_SMALL}|a|an)"
    rf"(?: hundred(?: and (?:{_TENS}|{_SMALL}))?)?)"
)
_APPROX = r"(?:(?:about|around|roughly|approximately|approx\.?|maybe|only|just|nearly|almost|"
_APPROX += r"over|under|less than|more than|no more than|barely|a good|a bit over|a bit under|"
_APPROX += r"the past|the last|a|an)\s+)*"


@dataclass(frozen=True, slots=True)
class _Rule:
    name: str
    regex: re.Pattern[str]


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern.replace(" ?", r"\s*").replace(" ", r"\s+"), re.IGNORECASE)


_DISTANCE = _rx(
    rf"(?<![\w.]){_APPROX}(?P<n>{_WORD_NUM})[ -]?"
    r"(?P<unit>metres|meters|metre|meter|m|yards|yds|yard|km|kilometres|kilometers|kilometre|"
    r"miles|mile)(?![\w])"
)
_WALK_MINUTES = _rx(
    rf"(?:after|for|about|around|only|just|walk(?:ing)? for)\s+{_APPROX}(?P<n>{_WORD_NUM})"
    r" minutes?'?(?: of)? (?:walking|walk)"
)
_WALKING_FOR_MINUTES = _rx(
    rf"walk(?:ing|ed)? (?:for )?{_APPROX}(?P<n>{_WORD_NUM}) minutes?"
)
_NOT_WALKING = re.compile(
    r"\b(fell|fall|fallen|drop|height|scaffold\w*|ladder|roof|drive|drove|driving|car|cycle|"
    r"cycling|bike|ride|swim|swimming|run|running|ran|tall|long|wide|away|lives?)\b", re.I)
_DURATION = _rx(
    rf"(?P<n>{_WORD_NUM}) (?P<unit>days?|weeks?|months?|years?)(?P<post>'? (?:ago|now|of "
    r"(?:physio\w*|exercises?|home exercises|treatment|painkillers|tablets|therapy)))?(?![\w])"
)
# Words before a number that make it the length of the story ("for six weeks").
_DURATION_LEAD = re.compile(
    r"(?:\bfor|\bover|\bthe (?:past|last)|\bcrept up over|\bnearly|\balmost|\babout|"
    r"\baround|\broughly|\bmore than|\bover|\bjust|\bonly|\bgood|\bpast|\blast)\s*$", re.I)
_DAY_WORDS = _rx(
    r"(?P<w>since this morning|this morning|an hour ago|(?:a few|two|three|a couple of) hours ago|"
    r"since last night|last night|yesterday|(?:on|since|last) (?:sunday|saturday|friday|monday|"
    r"tuesday|wednesday|thursday)|spent (?:sunday|saturday|the weekend)|over the weekend|"
    r"at the weekend|"
    r"(?:for|over|in) the (?:past|last) week|last week|"
    r"for (?:about |around |nearly |over )?(?:a month|a year|a couple of years|a couple of weeks|"
    r"a couple of months|a week|a fortnight))(?![\w])"
)
_DAY_VALUES = {"a month": 4.3, "a year": 52.0, "a couple of years": 104.0,
               "a couple of weeks": 2.0, "a couple of months": 8.7, "a week": 1.0,
               "a fortnight": 2.0}
_SCORE = _rx(
    rf"(?P<n>{_WORD_NUM}|10)(?: ?(?:out of|/|over) ?(?:10|ten))(?!\d)"
)
# Age now, said many ways ("I'm 71", "I'm now 52", "turned 60", "now at 66", "who is 79").
# A past-tense age ("I was 45 when it started") is never read: it is not the age now.
_AGE = _rx(
    r"(?:I'm|I am|Im|aged|age|turned|just turned|now at|now aged|who is|who's|he's|she's|"
    r"he is|she is)\s+(?:now\s+|just\s+|only\s+|nearly\s+|almost\s+)?(?P<n>\d{1,3})"
    r"(?:\s*(?:years? old|yrs?|y/?o))?"
    r"(?![\w]|\.\d|\s*(?:kg|kilo|"
    r"metres|meters|minutes|days|weeks|months|stone|st|pounds|lbs|foot|feet|ft|cm|inches|'|%|"
    r"years? ago|in the|times))"
    r"|(?P<n2>\d{1,3})[- ]year[- ]old"
)
_SEX = _rx(r"\b(?:I'm|I am|year old|years old|yr old|y/?o) (?:an? )?"
           r"(?:(?P<f>woman|female|lady|girl|mum|mother|grandmother|wife)"
           r"|(?P<m>man|male|guy|bloke|dad|father|grandfather|husband))\b")
_CARE = _rx(
    rf"(?P<n>{_WORD_NUM}) (?P<unit>weeks?|months?)'?(?: of)? "
    r"(?:physio\w*|exercises?|home exercises|treatment|rehab|therapy)"
    rf"|(?:physio\w*|treatment|therapy)(?: [\w']+){{0,4}} for {_APPROX}(?P<n2>{_WORD_NUM}) "
    r"(?P<unit2>weeks?|months?)"
)
# A time phrase is the length of the story only in a sentence about symptoms
# ("we went to the beach on Saturday" is not).
_SYMPTOM_SENTENCE = re.compile(
    r"\b(pain\w*|ache|aches|aching|ached|achy|hurt\w*|sore|numb\w*|tingl\w*|weak\w*|sciatica|"
    r"stiff\w*|symptoms?|trouble|problems?|had it|got it|with it|like this|had this|with this|"
    r"started|began|start|came on|come on|going on|woke|wet|leak\w*|accidents?|"
    r"back|neck|legs?|arms?|spasm|cramp\w*|burn\w*|pins and needles|flared?|twinge|injur\w*|"
    r"fell|slipped|lifted|bent|twisted|worse|better|bladder|wee|pee\w*|bottom|feet|foot|hands?)\b",
    re.I)
# A distance is a walking limit only when the sentence says so.
_LIMIT_SENTENCE = re.compile(
    r"\b(before|only|can't|cannot|cant|can only|can walk|could walk|manage|stop|stops|stopped|"
    r"limit|max|maximum|at most|until|till|after|then|struggle|struggling|no more than|"
    r"pain\w*|ache|aches|aching|numb\w*|heavy|tingl\w*|cramp\w*|legs?|calf|calves|sit|rest)\b",
    re.I)
_NON_SYMPTOM_AGO = re.compile(
    r"\b(cancer|treated|operation|surgery|scan|mri|x-ray|xray|ct|stent|diagnosed|injection|"
    r"infection|heart|had a baby|married|retired|stroke|smoked|smoking|smoker|diabetes|diabetic|"
    r"myeloma|lymphoma|leuka?emia|tumou?r|chemo\w*|radiotherapy|"
    r"prednisolone|prednisone|steroids?|tablets|medication|worked|lived|physio\w*|exercises)\b",
    re.I)
_SYMPTOM_ONSET = re.compile(
    r"\b(woke|started|began|start|came on|come on|bent|lifted|slipped|fell|felt|twisted|"
    r"hurt|ache|ached|aching|pain|sore|had|been|got|developed|noticed|flared)\b", re.I)


def _unit_weeks(unit: str) -> float:
    u = unit.lower().rstrip("s")
    return {"day": 1 / 7, "week": 1.0, "month": 52 / 12, "year": 52.0}[u]


def _weeks(value: float, unit: str) -> float:
    w = value * _unit_weeks(unit)
    return round(w, 1) if w < 10 else float(round(w))


def _sentence_of(text: str, start: int, end: int) -> str:
    left = max(text.rfind(".", 0, start), text.rfind("!", 0, start), text.rfind("?", 0, start))
    rights = [i for i in (text.find(".", end), text.find("!", end), text.find("?", end)) if i >= 0]
    return text[left + 1: min(rights) if rights else len(text)]


# "A scan showed narrowing but my problem is back ache for two weeks": a contrast word
# starts a new clause, so the scan does not claim the duration.
_CONTRAST = re.compile(r"\b(?:but|though|although|whereas|however|whilst|while)\b", re.I)


def _clause_of(text: str, start: int, end: int) -> str:
    sentence_start = max(text.rfind(c, 0, start) for c in ".!?;,") + 1
    rights = [i for i in (text.find(c, end) for c in ".!?;,") if i >= 0]
    clause_end = min(rights) if rights else len(text)
    before = [m.end() for m in _CONTRAST.finditer(text, sentence_start, start)]
    after = _CONTRAST.search(text, end, clause_end)
    return text[before[-1] if before else sentence_start: after.start() if after else clause_end]


def _span(
    key: str, value: float | int | str, m: re.Match[str], rule: str, text: str
) -> FindingSpan:
    return FindingSpan(key, value, text[m.start():m.end()].strip(), m.start(), m.end(),
                       False, False, rule)


def walking_distance(text: str) -> list[FindingSpan]:
    spans: list[FindingSpan] = []
    for m in _DISTANCE.finditer(text):
        n = words_to_number(m.group("n"))
        unit = m.group("unit").lower()
        if n is None or (unit == "m" and not m.group("n")[-1].isdigit()):
            continue  # a bare "m" needs a figure before it: "I am 71" is not "a m"
        sentence = _sentence_of(text, m.start(), m.end())
        if _NOT_WALKING.search(sentence) or not _LIMIT_SENTENCE.search(sentence):
            continue  # "I fell 4 metres", "I drive 10 miles to work", "I walk 5 km a day"
        factor = (("kilomet", 1000.0), ("km", 1000.0), ("mile", 1609.344), ("yard", 0.9144),
                  ("yd", 0.9144), ("m", 1.0))
        metres = n * next(f for u, f in factor if unit.startswith(u))
        spans.append(_span("walking_distance_m", float(round(metres)), m, "number.walking_distance",
                           text))
    if not spans:
        # About 75 m a minute: a slow walking pace (4.5 km/h) for someone with leg symptoms.
        found = list(_WALK_MINUTES.finditer(text)) + list(_WALKING_FOR_MINUTES.finditer(text))
        for m in found:
            if not _LIMIT_SENTENCE.search(_sentence_of(text, m.start(), m.end())):
                continue
            n = words_to_number(m.group("n"))
            if n is not None:
                spans.append(_span("walking_distance_m", float(round(n * 75)), m,
                                   "number.walking_minutes", text))
    return spans[:1]


def duration(text: str) -> list[FindingSpan]:
    """How long the current symptoms have lasted: the longest stated duration of them.

    "for six weeks", "over three years", "three days ago" (when the clause is about the
    symptoms starting), "since this morning", "yesterday". Durations of other things
    ("smoked for 40 years", "six weeks of physio", "cancer treated six years ago") are
    skipped.
    """
    candidates: list[tuple[float, re.Match[str]]] = []
    for m in _DURATION.finditer(text):
        post = (m.group("post") or "").lower()
        if " of " in post:
            continue  # "six weeks of physio" is care, not duration
        n = words_to_number(m.group("n"))
        if n is None:
            continue
        clause = _clause_of(text, m.start(), m.end())
        before = text[max(0, m.start() - 30):m.start()]
        if not _SYMPTOM_SENTENCE.search(_sentence_of(text, m.start(), m.end())):
            continue
        if "ago" in post:
            if _NON_SYMPTOM_AGO.search(clause) or not _SYMPTOM_ONSET.search(clause):
                continue
        elif not _DURATION_LEAD.search(before) or _NON_SYMPTOM_AGO.search(clause):
            continue
        candidates.append((_weeks(n, m.group("unit")), m))
    for m in _DAY_WORDS.finditer(text):
        w = re.sub(r"\s+", " ", m.group("w").lower())
        clause = _clause_of(text, m.start(), m.end())
        sentence = _sentence_of(text, m.start(), m.end())
        if _NON_SYMPTOM_AGO.search(clause) or not _SYMPTOM_SENTENCE.search(sentence):
            continue
        phrase = next((p for p in _DAY_VALUES if w.endswith(p)), None)
        if phrase is not None:
            value = _DAY_VALUES[phrase]
        elif w.endswith("week"):
            value = 1.0
        elif "hour" in w or "morning" in w or w == "today":
            value = 0.0
        elif "yesterday" in w or "night" in w:
            value = 0.1
        else:
            value = 0.3  # a named day in the past week
        candidates.append((value, m))
    if not candidates:
        return []
    weeks, m = max(candidates, key=lambda c: c[0])
    return [_span("duration_weeks", weeks, m, "number.duration", text)]


def pain_scores(text: str, regions_present: set[str]) -> list[FindingSpan]:
    spans: list[FindingSpan] = []
    for m in _SCORE.finditer(text):
        n = words_to_number(m.group("n"))
        if n is None or not 0 <= n <= 10:
            continue
        value = int(n) if n == int(n) else n
        sentence = _sentence_of(text, m.start(), m.end()).lower()
        spans.append(_span("pain_score", value, m, "number.pain_score", text))
        back = re.search(r"\bback\b", sentence)
        leg = re.search(r"\b(legs?|sciatica|thigh|calf|foot)\b", sentence)
        if leg and not back:
            spans.append(_span("leg_pain_score", value, m, "number.pain_score", text))
        elif back and not leg:
            spans.append(_span("back_pain_score", value, m, "number.pain_score", text))
        elif not back and not leg and regions_present == {"back_pain"}:
            # "It's about a 5 out of 10" in a story about back pain only
            spans.append(_span("back_pain_score", value, m, "number.pain_score", text))
    return spans


def age_and_sex(text: str) -> list[FindingSpan]:
    spans: list[FindingSpan] = []
    for m in _AGE.finditer(text):
        n = int(m.group("n") or m.group("n2"))
        if 0 < n <= 120:
            spans.append(_span("age", n, m, "number.age", text))
            break
    for m in _SEX.finditer(text):
        spans.append(_span("sex", "female" if m.group("f") else "male", m, "text.sex", text))
        break
    return spans


def care_weeks(text: str) -> list[FindingSpan]:
    for m in _CARE.finditer(text):
        n = words_to_number(m.group("n") or m.group("n2"))
        unit = m.group("unit") or m.group("unit2")
        if n is not None:
            return [_span("conservative_care_weeks", _weeks(n, unit), m,
                          "number.conservative_care_weeks", text)]
    return []
