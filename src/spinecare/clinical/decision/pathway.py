"""Place a person on the stepped pathway and say which options are reasonable now.

Order matters: warning signs first (the triage engine says what they lead to;
emergency or urgent bypasses the aid), then the condition's own
route (myelopathy, non-specific back pain), then deficits that bring a surgical
opinion forward, then time and benefit of conservative care.
"""

from __future__ import annotations

from spinecare.clinical.decision.inputs import Benefit, DecisionInput, Deficit
from spinecare.clinical.decision.red_flags import (
    WARNING_SIGNS,
    SignAssessment,
    assess_signs,
)
from spinecare.clinical.decision.result import (
    Advice,
    DecisionResult,
    OptionAssessment,
    Reason,
    Stage,
    Status,
)
from spinecare.clinical.decision.rules import (
    MAX_INJECTIONS_PER_YEAR,
    ODI_MINIMAL_MAX,
    RULES,
    RULES_VERSION,
    SURGERY_DISCUSSION_WEEKS,
    SURGERY_WINDOW_END_WEEKS,
)
from spinecare.clinical.rules.levels import Level
from spinecare.clinical.triage.engine import TriageEngine

OPTION_IDS = (
    "exercise_physiotherapy",
    "medications",
    "epidural_injection",
    "decompression",
    "decompression_with_fusion",
    "minimally_invasive",
    "stem_cell_injection",
)
SURGICAL_OPTIONS = ("decompression", "decompression_with_fusion", "minimally_invasive")
CERVICAL = frozenset({"cervical_radiculopathy", "cervical_myelopathy"})

_EMERGENCY_SIGNS = (
    "new trouble passing or holding urine, or loss of bowel control",
    "numbness between the legs or around the back passage",
    "leg pain or numbness that spreads to both legs",
    "weakness in the legs that gets worse quickly, or being suddenly unable to walk",
)


# The guideline that speaks to each condition; rules citing several guidelines
# keep only the one for the person's condition (plus their other sources).
CONDITION_GUIDELINES: dict[str, tuple[str, ...]] = {
    "lumbar_spinal_stenosis": ("nass-lss-2013",),
    "lumbar_radiculopathy_disc_herniation": ("nass-ldh-2014", "nice-ng59"),
    "cervical_radiculopathy": ("nass-crad-2011",),
    "cervical_myelopathy": ("fehlings-2017",),
    "nonspecific_low_back_pain": ("nice-ng59", "acp-2017"),
}
_CONDITION_SPECIFIC = frozenset(r for refs in CONDITION_GUIDELINES.values() for r in refs)
# Sources that are about one condition only.
_ONLY_FOR: dict[str, str] = {
    "zaina-2016": "lumbar_spinal_stenosis",
    "friedly-2014": "lumbar_spinal_stenosis",
    "delitto-2015": "lumbar_spinal_stenosis",
    "seed-stenosis-guide": "lumbar_spinal_stenosis",
}


def _reason(
    rule_id: str, text: str | None = None, *extra_refs: str, condition: str = ""
) -> Reason:
    rule = RULES[rule_id]  # KeyError here means an undocumented rule: a bug
    refs = [*rule.references, *extra_refs]
    if condition:
        own = CONDITION_GUIDELINES[condition]
        kept = [
            r for r in refs
            if (r not in _CONDITION_SPECIFIC or r in own)
            and _ONLY_FOR.get(r, condition) == condition
        ]
        # Never drop a rule's evidence altogether: fall back on the condition's guideline.
        refs = kept if kept else [*own]
    return Reason(rule_id, text or rule.summary, tuple(dict.fromkeys(refs)))


def safety_net(emergency_number: str) -> str:
    signs = "; ".join(_EMERGENCY_SIGNS)
    return (
        f"Whatever you decide: if you notice {signs}, call {emergency_number} or go to an "
        "emergency department now."
    )


def assess(inp: DecisionInput, engine: TriageEngine) -> SignAssessment:
    """The warning-sign answers of ``inp`` through the triage engine."""
    return assess_signs(engine, inp.warning_signs, condition=inp.condition,
                        deficit=inp.deficit.value, severe=inp.severe_deficit)


def _questions(keys: tuple[str, ...]) -> str:
    return " ".join(f"\u201c{WARNING_SIGNS[k].question}\u201d" for k in keys)


def _bypass(inp: DecisionInput, signs: SignAssessment,
            emergency_number: str) -> DecisionResult | None:
    level = signs.level
    unsure = signs.unsure_needs_check
    if level not in (Level.EMERGENCY, Level.URGENT) and not unsure:
        return None
    told = f"You answered yes to: {_questions(signs.yes)} " if signs.yes else ""
    doubt = (f"You were not sure about: {_questions(unsure)} Not sure is not the same as no. "
             if unsure else "")
    open_ = (f"You have not answered: {_questions(signs.unanswered)} If any of these is "
             f"true, call {emergency_number} now. " if signs.unanswered else "")
    # The triage's own explanation of each rule that fired (one clinical truth).
    chosen = [r for r in signs.reasons if r.level == level] if level else []
    why = " ".join(dict.fromkeys(r.text for r in chosen))
    refs = tuple(r for reason in chosen for r in reason.references)
    flags = tuple(WARNING_SIGNS[k].question for k in (*signs.yes, *unsure))
    if level is Level.EMERGENCY:
        stage, rule_id = Stage.EMERGENCY, "DA-RF-EMERGENCY"
        advice = Advice(
            level="emergency",
            headline=f"Call {emergency_number} or go to an emergency department now.",
            text=(f"{told}{doubt}{why} This needs checking today, in hospital. Comparing "
                  "treatments can wait; do not drive yourself.").strip(),
            emergency_number=emergency_number,
            flags=flags,
        )
    else:
        stage = Stage.URGENT_REVIEW
        rule_id = "DA-RF-URGENT" if level is Level.URGENT else "DA-RF-UNSURE"
        check = why or "A doctor should check whether it is there."
        advice = Advice(
            level="urgent",
            headline="See a doctor within 24-48 hours, before choosing a treatment.",
            text=(f"{told}{doubt}{check} Comparing treatments can wait until a doctor has "
                  f"checked. If you get worse, or a sign is there, call {emergency_number}. "
                  f"{open_}").strip(),
            emergency_number=emergency_number,
            flags=flags,
        )
    # The references of the triage rules that fired (the aid rule's own list otherwise).
    reason = Reason(rule_id, RULES[rule_id].summary,
                    tuple(dict.fromkeys(refs)) or RULES[rule_id].references)
    return DecisionResult(
        input=inp,
        stage=stage,
        stage_reasons=(reason,),
        options=(),
        notes=(),
        advice=advice,
        safety_net=safety_net(emergency_number),
        rules_version=RULES_VERSION,
        open_warning_signs=signs.unanswered,
    )


def _stage(inp: DecisionInput) -> tuple[Stage, list[Reason]]:
    weeks = inp.conservative_weeks
    w = f"{weeks:g} week{'s' if weeks != 1 else ''}"
    if inp.condition == "cervical_myelopathy":
        return Stage.SURGICAL_OPINION_SOON, [_reason("DA-PATH-MYELOPATHY")]
    if inp.condition == "nonspecific_low_back_pain":
        reasons = [_reason("DA-PATH-NSLBP")]
        if inp.deficit is Deficit.PROGRESSIVE or inp.severe_deficit:
            # A worsening deficit does not fit non-specific pain: needs reassessment.
            reasons.append(_reason(
                "DA-PATH-PROGRESSIVE",
                "A worsening or severe nerve deficit does not fit non-specific back pain: "
                "see a doctor within days to be reassessed.",
            ))
            return Stage.SURGICAL_OPINION_SOON, reasons
        if weeks >= SURGERY_DISCUSSION_WEEKS and inp.benefit is not Benefit.GOOD:
            return Stage.REHABILITATION_REVIEW, reasons
        if inp.benefit is Benefit.GOOD:
            return Stage.CONTINUE_CONSERVATIVE, reasons
        return Stage.CONSERVATIVE_FIRST, reasons
    if inp.deficit is Deficit.PROGRESSIVE:
        reasons = [_reason("DA-PATH-PROGRESSIVE", condition=inp.condition)]
        if inp.severe_deficit:
            reasons.append(_reason("DA-PATH-SEVERE", condition=inp.condition))
        return Stage.SURGICAL_OPINION_SOON, reasons
    if inp.severe_deficit:
        return Stage.SURGICAL_OPINION_SOON, [_reason("DA-PATH-SEVERE", condition=inp.condition)]
    reasons = []
    if inp.deficit is Deficit.STABLE:
        reasons.append(_reason("DA-PATH-STABLE-DEFICIT", condition=inp.condition))
    if weeks == 0:
        return Stage.CONSERVATIVE_FIRST, [
            _reason("DA-PATH-START", condition=inp.condition), *reasons
        ]
    if inp.benefit is Benefit.GOOD:
        return Stage.CONTINUE_CONSERVATIVE, [_reason(
            "DA-PATH-WORKING",
            f"After {w} of conservative care you report a good effect: keep going; "
            "surgery is not needed now.",
            condition=inp.condition,
        ), *reasons]
    if weeks < SURGERY_DISCUSSION_WEEKS:
        left = SURGERY_DISCUSSION_WEEKS - weeks
        return Stage.CONSERVATIVE_FIRST, [_reason(
            "DA-PATH-EARLY",
            f"You have had {w} of conservative care. Surgery is usually discussed after "
            f"about {SURGERY_DISCUSSION_WEEKS} weeks (3 months) without enough benefit, "
            f"so about {left:g} more week{'s' if left != 1 else ''} of a good programme "
            "comes first, unless weakness or numbness gets worse.",
            condition=inp.condition,
        ), *reasons]
    effect = "no real benefit" if inp.benefit is Benefit.NONE else "some benefit"
    window = (
        "within the usual 3-6 month window"
        if weeks <= SURGERY_WINDOW_END_WEEKS else "beyond the usual 3-6 month window"
    )
    text = (
        f"You have had {w} of conservative care ({window}) with {effect}. "
        "Discussing surgery with a spine specialist is reasonable now"
        + ("." if inp.benefit is Benefit.NONE else ", if the benefit is not enough for you.")
    )
    return Stage.SURGICAL_DISCUSSION, [
        _reason("DA-PATH-NOT-ENOUGH", text, condition=inp.condition), *reasons
    ]


def _surgical_status(stage: Stage) -> Status:
    return {
        Stage.SURGICAL_DISCUSSION: Status.REASONABLE_NOW,
        Stage.SURGICAL_OPINION_SOON: Status.REASONABLE_NOW,
        Stage.CONTINUE_CONSERVATIVE: Status.NOT_NEEDED_NOW,
    }.get(stage, Status.NOT_YET)


def _conservative(inp: DecisionInput, stage: Stage) -> list[OptionAssessment]:
    exercise = [_reason("DA-OPT-CONSERVATIVE")]
    if stage is Stage.SURGICAL_OPINION_SOON:
        neck = " Avoid neck manipulation." if inp.condition in CERVICAL else ""
        exercise.append(_reason(
            "DA-OPT-CONSERVATIVE",
            "Keep moving while you wait for the specialist, but stop any exercise that makes "
            "weakness or numbness worse." + neck,
        ))
    if stage is Stage.REHABILITATION_REVIEW:
        exercise.append(_reason(
            "DA-PATH-NSLBP",
            "After 3 months without benefit, ask about a combined physical and psychological "
            "programme rather than more of the same.",
        ))
    return [
        OptionAssessment("exercise_physiotherapy", Status.REASONABLE_NOW, tuple(exercise)),
        OptionAssessment("medications", Status.REASONABLE_NOW, (_reason("DA-OPT-MEDS-CAUTION"),)),
    ]


def _epidural(inp: DecisionInput, stage: Stage) -> OptionAssessment:
    if inp.condition == "nonspecific_low_back_pain":
        return OptionAssessment("epidural_injection", Status.NOT_RECOMMENDED,
                                (_reason("DA-OPT-ESI-NOT-LBP"),))
    if inp.condition == "cervical_myelopathy":
        return OptionAssessment("epidural_injection", Status.NOT_RECOMMENDED,
                                (_reason("DA-OPT-ESI-NOT-MYELOPATHY"),))
    if inp.condition == "lumbar_spinal_stenosis":
        # NICE NG59 1.3.2: do not offer epidurals for neurogenic claudication in central
        # canal stenosis. The aid's stenosis is neurogenic claudication; sciatica from a
        # disc (NG59 1.3.1: consider for acute, severe sciatica) is its own condition.
        return OptionAssessment("epidural_injection", Status.NOT_RECOMMENDED,
                                (_reason("DA-OPT-ESI-NOT-NC"),))
    if inp.injections_12m >= MAX_INJECTIONS_PER_YEAR:
        n = inp.injections_12m
        return OptionAssessment("epidural_injection", Status.NOT_YET, (_reason(
            "DA-OPT-ESI-LIMIT",
            f"You have had {n} epidural injection{'s' if n != 1 else ''} in the past 12 "
            f"months. Doctors usually give only a few a year, so no more for now unless a "
            "specialist reviews it.",
        ),))
    reasons = [_reason("DA-OPT-ESI-RADICULAR", condition=inp.condition)]
    status = Status.REASONABLE_NOW
    if inp.condition in CERVICAL:
        status = Status.DISCUSS_WITH_SPECIALIST
        reasons.append(_reason("DA-OPT-ESI-NECK"))
    if stage is Stage.SURGICAL_OPINION_SOON:
        status = Status.DISCUSS_WITH_SPECIALIST
        reasons.append(_reason(
            "DA-PATH-PROGRESSIVE",
            "An injection does not replace a specialist opinion on a worsening or severe deficit.",
        ))
    return OptionAssessment("epidural_injection", status, tuple(reasons))


def _surgery(
    inp: DecisionInput, stage: Stage, stage_reasons: list[Reason]
) -> list[OptionAssessment]:
    if inp.condition == "nonspecific_low_back_pain" and stage is not Stage.SURGICAL_OPINION_SOON:
        no_nerve = _reason(
            "DA-PATH-NSLBP",
            "Decompression treats squeezed nerves; it is not a treatment for back pain "
            "without nerve compression.",
        )
        return [
            OptionAssessment("decompression", Status.NOT_RECOMMENDED, (no_nerve,)),
            OptionAssessment("decompression_with_fusion", Status.NOT_RECOMMENDED,
                             (_reason("DA-OPT-FUSION-NOT-LBP"),)),
            OptionAssessment("minimally_invasive", Status.NOT_RECOMMENDED, (no_nerve,)),
        ]
    status = _surgical_status(stage)
    timing = stage_reasons[0]
    # Fusion and minimally invasive rows repeat the timing briefly, with its rule id.
    same_timing = Reason(timing.rule_id, "The same timing applies as for decompression.",
                         timing.references)
    if inp.condition == "nonspecific_low_back_pain":
        # Worsening deficit: the label may be wrong; a specialist reassesses first.
        reassess = (timing, stage_reasons[-1])
        return [
            OptionAssessment(option_id, Status.DISCUSS_WITH_SPECIALIST, reassess)
            for option_id in SURGICAL_OPTIONS
        ]
    decompression = OptionAssessment("decompression", status, (timing,))
    mis_status: Status
    if inp.condition in CERVICAL:
        fusion_status = status
        fusion_reasons = (same_timing, _reason("DA-OPT-FUSION-CERVICAL"))
        mis_status = (
            Status.DISCUSS_WITH_SPECIALIST if status is Status.REASONABLE_NOW else status
        )
        mis_reasons = (same_timing, _reason(
            "DA-OPT-MIS",
            "Smaller-incision neck operations exist; the comparison evidence here is for the "
            "lower back, so ask the surgeon what applies to you.",
        ))
    else:
        fusion_status = (
            Status.DISCUSS_WITH_SPECIALIST if status is Status.REASONABLE_NOW else status
        )
        fusion_reasons = (same_timing, _reason("DA-OPT-FUSION-LUMBAR"))
        mis_status = status
        mis_reasons = (same_timing, _reason("DA-OPT-MIS"))
    return [
        decompression,
        OptionAssessment("decompression_with_fusion", fusion_status, fusion_reasons),
        OptionAssessment("minimally_invasive", mis_status, mis_reasons),
    ]


def _stem_cells() -> OptionAssessment:
    return OptionAssessment("stem_cell_injection", Status.INVESTIGATIONAL_ONLY,
                            (_reason("DA-OPT-STEM-INVESTIGATIONAL"),))


def _notes(inp: DecisionInput, stage: Stage, signs: SignAssessment) -> list[Reason]:
    notes: list[Reason] = []
    if signs.combination_only_yes:
        # Weak alone (the triage's rule), but a doctor should know before any procedure.
        notes.append(_reason(
            "DA-RF-TELL-DOCTOR",
            f"You answered yes to: {_questions(signs.combination_only_yes)} On its own this "
            "is not a warning sign, but tell your doctor before choosing an injection or "
            "an operation; see a doctor sooner if other warning signs appear.",
        ))
    # NASS 2013's "moderate to severe symptoms" statement is about stenosis only.
    if (
        stage is Stage.SURGICAL_DISCUSSION
        and inp.condition == "lumbar_spinal_stenosis"
        and inp.benefit is Benefit.SOME
        and inp.odi is not None
        and inp.odi <= ODI_MINIMAL_MAX
    ):
        notes.append(_reason(
            "DA-SCORE-ODI-MINIMAL",
            f"Your ODI of {inp.odi:g}% is in the minimal-disability range (0-20%). With some "
            "benefit already, carrying on may be enough; guidelines suggest surgery mainly "
            "for moderate to severe symptoms.",
        ))
    return notes


def warning_sign_result(inp: DecisionInput, engine: TriageEngine, *,
                        emergency_number: str = "112") -> DecisionResult | None:
    """The emergency or urgent result the warning signs of ``inp`` lead to, or None.

    For an input that failed validation elsewhere (``signs_only``): a warning sign is
    never hidden behind a mistake in another field."""
    return _bypass(inp, assess(inp, engine), emergency_number)


def evaluate(inp: DecisionInput, engine: TriageEngine, *,
             emergency_number: str = "112") -> DecisionResult:
    """The decision aid's answer for one validated input (pure, no I/O); ``engine``
    (the triage's) says what the warning signs lead to.

    A result that compares treatments needs every warning sign answered; callers get
    such inputs from ``parse_decision_input``. An input with unanswered signs (from
    ``signs_only``) yields only a bypass, or ``open_warning_signs`` set and no options.
    """
    signs = assess(inp, engine)
    bypass = _bypass(inp, signs, emergency_number)
    if bypass is not None:
        return bypass
    if signs.unanswered:
        raise ValueError(f"warning signs not answered: {', '.join(signs.unanswered)}")
    stage, stage_reasons = _stage(inp)
    options = [
        *_conservative(inp, stage),
        _epidural(inp, stage),
        *_surgery(inp, stage, stage_reasons),
        _stem_cells(),
    ]
    assert tuple(o.option_id for o in options) == OPTION_IDS
    return DecisionResult(
        input=inp,
        stage=stage,
        stage_reasons=tuple(stage_reasons),
        options=tuple(options),
        notes=tuple(_notes(inp, stage, signs)),
        advice=None,
        safety_net=safety_net(emergency_number),
        rules_version=RULES_VERSION,
    )
