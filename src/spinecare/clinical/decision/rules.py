"""The decision aid's rules as data: id, what it says, and the references behind it.

Every reason the aid gives carries one of these ids, so a person (or a reviewer)
can trace each "reasonable now" or "not yet" to its source. Thresholds live here
too, each with the reference that sets it.
"""

from __future__ import annotations

from spinecare.clinical.evidence import CitedRule as Rule

RULES_VERSION = "decision-rules-2026-12-02"

# Surgery is usually discussed after about 3 months of conservative care without
# enough benefit (NASS 2013 LSS; patient guide: "3-6 months"). 3 months = 12 weeks
# here, the convention NICE uses for "3 months".
SURGERY_DISCUSSION_WEEKS = 12
# The far end of the usual 3-6 month window.
SURGERY_WINDOW_END_WEEKS = 26
# Epidural steroid injections: a few a year at most (common practice, "3-4").
# Reaching 3 in 12 months pauses the option until a specialist reviews it.
MAX_INJECTIONS_PER_YEAR = 3
# ODI 0-20% is the "minimal disability" band (Fairbank & Pynsent 2000).
ODI_MINIMAL_MAX = 20.0


_RULES = (
    Rule("DA-RF-EMERGENCY",
         "Warning signs that the symptom check's red-flag rules rate an emergency stop the "
         "decision aid and show emergency advice.",
         ("bass-ces-2018", "girft-ces-2023", "nice-ng156", "nice-ng41")),
    Rule("DA-RF-URGENT",
         "Warning signs that the symptom check's red-flag rules rate urgent stop the decision "
         "aid: see a doctor within 24-48 hours first.",
         ("finucane-2020", "idsa-2015", "downie-2013", "esvs-2019")),
    Rule("DA-RF-UNSURE",
         "'Not sure' about a warning sign that alone is urgent or an emergency is not 'no': "
         "get checked by a doctor before comparing treatments.",
         ("bass-ces-2018", "girft-ces-2023", "finucane-2020")),
    Rule("DA-RF-TELL-DOCTOR",
         "A sign that is weak on its own (it counts only with others) does not stop the aid, "
         "but the doctor should hear about it before an injection or an operation.",
         ("downie-2013", "finucane-2020")),
    Rule("DA-PATH-START",
         "No conservative care yet: start with exercise, physiotherapy and medicines.",
         ("nass-lss-2013", "nice-ng59", "acp-2017")),
    Rule("DA-PATH-EARLY",
         f"Less than {SURGERY_DISCUSSION_WEEKS} weeks of conservative care and no progressive "
         "or severe deficit: keep going with conservative care; surgery is not yet discussed.",
         ("nass-lss-2013", "nass-ldh-2014", "nass-crad-2011", "seed-stenosis-guide")),
    Rule("DA-PATH-NOT-ENOUGH",
         f"{SURGERY_DISCUSSION_WEEKS} weeks or more of conservative care without enough "
         "benefit: discussing surgery with a specialist is reasonable now.",
         ("nass-lss-2013", "nass-ldh-2014", "nass-crad-2011", "zaina-2016",
          "seed-stenosis-guide")),
    Rule("DA-PATH-WORKING",
         "Conservative care is helping well: keep going; surgery is not needed now.",
         ("nass-lss-2013", "delitto-2015")),
    Rule("DA-PATH-PROGRESSIVE",
         "Weakness or numbness that is getting worse: see a doctor within days and ask for "
         "a surgical opinion now, whatever the number of weeks.",
         ("nass-lss-2013", "nice-cks-sciatica", "fehlings-2017", "seed-stenosis-guide")),
    Rule("DA-PATH-SEVERE",
         "A severe deficit (such as foot drop): a surgical opinion is reasonable now.",
         ("nass-ldh-2014", "nice-cks-sciatica", "seed-stenosis-guide")),
    Rule("DA-PATH-MYELOPATHY",
         "Pressure on the spinal cord in the neck tends to progress: a specialist opinion on "
         "surgery is reasonable now; mild cases may try supervised rehabilitation.",
         ("fehlings-2017",)),
    Rule("DA-PATH-NSLBP",
         "Back pain without nerve compression: spinal surgery is not recommended; after "
         "3 months without benefit, a combined physical and psychological programme is.",
         ("nice-ng59", "acp-2017")),
    Rule("DA-PATH-STABLE-DEFICIT",
         "A stable, mild deficit alone does not bring surgery forward; watch for change.",
         ("nass-lss-2013", "nice-cks-sciatica")),
    Rule("DA-OPT-CONSERVATIVE",
         "Exercise, physiotherapy and medicines are reasonable at every step.",
         ("acp-2017", "nice-ng59", "hayden-2021")),
    Rule("DA-OPT-MEDS-CAUTION",
         "Medicines: NSAIDs at the lowest dose for the shortest time; gabapentinoids did not "
         "help sciatica or neurogenic claudication in trials.",
         ("acp-2017", "nice-ng59", "mathieson-2017", "markman-2015")),
    Rule("DA-OPT-ESI-RADICULAR",
         "Epidural steroid injection: can be considered for acute, severe sciatica or arm "
         "pain from a trapped nerve root; expect a small, short-lived effect.",
         ("nice-ng59", "nass-ldh-2014", "nass-crad-2011", "fda-2014-esi")),
    Rule("DA-OPT-ESI-NOT-NC",
         "Epidural injections are not offered for neurogenic claudication (leg pain on "
         "walking) from central spinal canal stenosis (NICE NG59: do not offer); the LESS "
         "trial found the steroid added little. Sciatica from a narrowed nerve exit is a "
         "different question for the specialist.",
         ("nice-ng59", "friedly-2014")),
    Rule("DA-OPT-ESI-LIMIT",
         f"{MAX_INJECTIONS_PER_YEAR} or more epidural injections in 12 months: no more for "
         "now without a specialist review (a few a year at most).",
         ("seed-stenosis-guide", "fda-2014-esi")),
    Rule("DA-OPT-ESI-NECK",
         "Neck injections carry more risk of rare serious events: a specialist decision.",
         ("fda-2014-esi", "nass-crad-2011")),
    Rule("DA-OPT-ESI-NOT-LBP",
         "Epidural injections are not recommended for back pain without sciatica.",
         ("nice-ng59",)),
    Rule("DA-OPT-ESI-NOT-MYELOPATHY",
         "Injections do not relieve pressure on the spinal cord; they are not a treatment "
         "for myelopathy.",
         ("fehlings-2017",)),
    Rule("DA-OPT-FUSION-LUMBAR",
         "Adding fusion to a lumbar decompression did not improve results for most stenosis "
         "(Swedish Spinal Stenosis Study); it is for instability the surgeon can show.",
         ("forsth-2016", "ghogawala-2016", "deyo-2010")),
    Rule("DA-OPT-FUSION-CERVICAL",
         "In the neck, decompression through the front is usually combined with fusion (ACDF).",
         ("nass-crad-2011", "fehlings-2017")),
    Rule("DA-OPT-FUSION-NOT-LBP",
         "Spinal fusion is not recommended for low back pain outside a randomised trial.",
         ("nice-ng59",)),
    Rule("DA-OPT-MIS",
         "Minimally invasive decompression follows the same timing as open decompression; "
         "the evidence comparing them is low quality.",
         ("overdevest-2015",)),
    Rule("DA-OPT-STEM-INVESTIGATIONAL",
         "Stem-cell injections are investigational: only within a registered clinical trial.",
         ("fda-2019-regen", "isscr-2021")),
    Rule("DA-SCORE-ODI-MINIMAL",
         f"ODI of {ODI_MINIMAL_MAX:g}% or less (minimal disability) with some benefit: the "
         "benefit may be enough; surgery is suggested for moderate to severe symptoms.",
         ("nass-lss-2013", "fairbank-2000")),
)

RULES: dict[str, Rule] = {r.id: r for r in _RULES}
