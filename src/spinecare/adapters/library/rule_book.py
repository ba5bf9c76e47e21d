"""Render the triage knowledge (rules, conditions, scores, screens) as Markdown.

``docs/clinical/triage-rules.md`` is this output; a test regenerates it and fails
when the committed file is out of date, so the documentation cannot drift from
the rules. Regenerate with ``spinecare rules --markdown > docs/clinical/triage-rules.md``.
"""

from __future__ import annotations

from spinecare.clinical.evidence import (
    EVIDENCE_LEVELS,
    NASS_GRADE_TO_LEVEL,
    TEAM_CHOICE,
    ReferenceRegistry,
    ReferenceType,
    is_team_choice,
)
from spinecare.clinical.triage.knowledge import BUILTIN_KNOWLEDGE, TriageKnowledge


def _refs(ids: tuple[str, ...], registry: ReferenceRegistry) -> str:
    out = []
    for ref_id in ids:
        ref = registry.get(ref_id)
        out.append(f"`{ref_id}`" + (f" (level {ref.evidence_level})" if ref else " (MISSING)"))
    return ", ".join(out)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _points(weight: float, basis: str) -> str:
    # The team's choices are set in italics so they cannot pass for published figures.
    shown = f"_{_cell(basis)}_" if is_team_choice(basis) else _cell(basis)
    return f"{weight:+g} ({shown})"


def _rule_note(note: str) -> str:
    return f" ({_cell(note)})" if note else ""


def render_triage_rules_markdown(registry: ReferenceRegistry,
                                 knowledge: TriageKnowledge = BUILTIN_KNOWLEDGE) -> str:
    k = knowledge
    lines = [
        "# Triage rules, conditions and scores",
        "",
        f"Knowledge version **{k.version}**. Generated from "
        "`src/spinecare/clinical/triage/knowledge/` by `spinecare rules --markdown`; "
        "do not edit by hand (a test compares this file with the rules). "
        "Evidence levels are OCEBM 2011 (1 best … 5 expert opinion); "
        "full citations are in `docs/clinical/references.md`.",
        "",
        "## How the level is decided",
        "",
        f"0. `{k.child_rule.id}` (under {k.adult_age}): {k.child_rule.reason}"
        f"{_rule_note(k.child_rule.note)} No adult differential "
        "is shown; an emergency rule that fires still makes it an emergency.",
        "1. Every red-flag rule that fires demands at least its level (table below).",
        f"2. Every condition scoring at least {k.possible:g} points (\"possible\"; \"likely\" from "
        f"{k.likely:g}) contributes the level of its first matching level rule, or its default. "
        "A condition is \"possible\" only with its cardinal feature (listed under each "
        "condition); a serious condition is then at least urgent (cauda equina and aortic "
        "aneurysm: emergency).",
        f"3. `{k.deficit_rule.id}`: {k.deficit_rule.reason}",
        f"4. When no condition is possible: `{k.benign_fallback.id}` (self-care) when "
        f"{_cell(k.benign_fallback.when.describe())} — {k.benign_fallback.reason}"
        f"{_rule_note(k.benign_fallback.note)} Otherwise "
        f"`{k.insufficient_rule.id}`: {k.insufficient_rule.reason}",
        f"5. Safety gate `{k.open_screen_rule.id}`: {k.open_screen_rule.reason} (An emergency "
        "screening question is an unanswered screening question whose \"yes\" would fire an "
        "emergency rule.)",
        "",
        "The most urgent of these is the result. An applicable red-flag question left "
        "unanswered is listed in `open_questions` and the result is marked incomplete "
        "(provisional); it is never read as \"no\". Before any symptom location is known, "
        "every screening question applies as if the pain could be anywhere.",
        "",
        "## Red-flag rules",
        "",
        "| id | level | fires when | condition | references | note |",
        "|---|---|---|---|---|---|",
    ]
    for r in k.rules:
        lines.append(
            f"| `{r.id}` | {r.level.value} | {_cell(r.when.describe())} | "
            f"{r.condition or '-'} | {_refs(r.references, registry)} | {_cell(r.note)} |"
        )
    u = k.unsure_escalation
    lines += [
        "",
        f"**\"Not sure\" answers.** `{u.id}` ({u.level.value}): "
        f"{_cell(u.reason)} Applies to: "
        + ", ".join(f"`{key}`" for key in sorted(k.unsure_escalating_keys))
        + f". {_cell(u.note)} References: {_refs(u.references, registry)}.",
    ]
    features = [f for c in k.conditions for f in c.features]
    published = sum(1 for f in features if not is_team_choice(f.basis))
    lines += [
        "", "## Conditions", "",
        "Each feature's points are followed by their basis: a figure that a cited reference "
        "contains (likelihood ratio, post-test probability or a published item weight; ≈ "
        "marks a secondary reproduction), or _" + TEAM_CHOICE + "_ when no cited reference "
        "gives a figure for it. The references say that the feature belongs to the condition; "
        "they do not make its points evidence-based. "
        f"**{published} of {len(features)} weights rest on a published figure; the other "
        f"{len(features) - published} are the team's choice.** Level-rule thresholds say "
        "where they come from in the note column.",
        "",
    ]
    for c in k.conditions:
        lines += [
            f"### `{c.id}` — {c.name}",
            "",
            _cell(c.summary),
            "",
            f"Default level when possible: **{c.default_level.value}**"
            + (" (serious: screened by the red-flag rules first)" if c.serious else "")
            + (f". Cardinal feature (needed to be possible): "
               f"`{_cell(c.cardinal.describe())}`" if c.cardinal is not None else "")
            + f". References: {_refs(c.references, registry)}.",
            "",
            "| feature | points (basis) | references |",
            "|---|---|---|",
        ]
        for feat in c.features:
            lines.append(f"| {_cell(feat.label)} (`{_cell(feat.when.describe())}`) | "
                         f"{_points(feat.weight, feat.basis)} | "
                         f"{_refs(feat.references, registry)} |")
        if c.level_rules:
            lines += ["", "| level rule | level | when | references | note |",
                      "|---|---|---|---|---|"]
            for lr in c.level_rules:
                lines.append(f"| `{lr.id}` | {lr.level.value} | {_cell(lr.when.describe())} | "
                             f"{_refs(lr.references, registry)} | {_cell(lr.note)} |")
        lines.append("")
    lines += ["## Published scores", ""]
    for s in k.scores:
        lines += [
            f"### `{s.id}` — {s.name}",
            "",
            f"Cut-off {s.cutoff:g}. {_cell(s.interpretation)} {_cell(s.note)} "
            f"References: {_refs(s.references, registry)}.",
            "",
            "| item | options (points) | note |",
            "|---|---|---|",
        ]
        for item in s.items:
            opts = "; ".join(f"{p.describe()} → {pts:+g}" for p, pts in item.options) or \
                "not in the vocabulary (always missing)"
            lines.append(f"| {_cell(item.label)} | {_cell(opts)} | {_cell(item.note)} |")
        lines.append("")
    lines += [
        "## Red-flag screening questions (asked first, in this order)",
        "",
        "| finding | asked when | why | rules |",
        "|---|---|---|---|",
    ]
    for q in k.screen:
        when = q.applies.describe() + (" — or before any symptom location is known"
                                       if q.core else "")
        lines.append(f"| `{q.finding}` | {_cell(when)} | {_cell(q.why)} | "
                     f"{', '.join(q.rule_ids)} |")
    lines.append("")
    return "\n".join(lines)


def render_references_markdown(registry: ReferenceRegistry) -> str:
    lines = [
        "# References",
        "",
        "Every rule, score, threshold, article and treatment figure cites these by id. "
        "Generated by `spinecare rules --references`; do not edit by hand.",
        "",
        "Levels are OCEBM 2011: "
        + "; ".join(f"{n} = {t}" for n, t in EVIDENCE_LEVELS.items()) + ". "
        "A guideline carries the level of the evidence behind the recommendation spinecare "
        "relies on, not level 1 for being a guideline; its note says what that is. NASS "
        "grades map at the weaker end of each grade: "
        + ", ".join(f"{g} → {lv}" for g, lv in NASS_GRADE_TO_LEVEL.items()) + ". "
        f"{sum(1 for r in registry if r.type is ReferenceType.SOURCE_PAGE)} references are "
        "source pages (type `source_page`): article text may cite them, but no triage rule, "
        "weight, threshold or score does.",
        "",
        "| id | citation | type | level | note |",
        "|---|---|---|---|---|",
    ]
    for ref in sorted(registry, key=lambda r: r.id):
        lines.append(f"| `{ref.id}` | {_cell(ref.citation)} | {ref.type.value} | "
                     f"{ref.evidence_level} | {_cell(ref.note)} |")
    lines.append("")
    return "\n".join(lines)
