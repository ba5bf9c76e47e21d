"""The decision aid's printable summary: HTML (prints on A4), Markdown, or PDF.

One Jinja2 template serves the HTML and the PDF (WeasyPrint renders the same
HTML); Markdown is for pasting into a message or a record.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
TEMPLATE = "decision_summary.html"

_env = Environment(
    loader=FileSystemLoader(TEMPLATES_DIR),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


def _context(report: Any, generated_at: datetime | None) -> dict[str, Any]:
    from spinecare.clinical.decision import SUPPORTED_CONDITIONS

    data = report.to_dict()
    when = (generated_at or datetime.now(UTC)).strftime("%d %B %Y, %H:%M UTC")
    condition = data["input"]["condition"]
    return {
        "d": data,
        "generated_at": when,
        "condition_label": SUPPORTED_CONDITIONS.get(condition, condition),
        "signs_text": _signs_text(data["input"].get("warning_signs") or {}),
    }


def _signs_text(answers: dict[str, str]) -> str:
    """The warning-sign answers in one line: what was yes or not sure, or all no."""
    from spinecare.clinical.decision import WARNING_SIGNS

    yes = [WARNING_SIGNS[k].question for k, a in answers.items() if a == "yes"]
    unsure = [WARNING_SIGNS[k].question for k, a in answers.items() if a == "not_sure"]
    parts = [f"yes: {' '.join(yes)}"] if yes else []
    parts += [f"not sure: {' '.join(unsure)}"] if unsure else []
    if parts:
        return "; ".join(parts)
    no = sum(1 for a in answers.values() if a == "no")
    return f"none: all {no} answered no" if no == len(WARNING_SIGNS) else "not all answered"


def render_html(report: Any, *, generated_at: datetime | None = None) -> str:
    return _env.get_template(TEMPLATE).render(**_context(report, generated_at))


def _md_cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def render_markdown(report: Any, *, generated_at: datetime | None = None) -> str:
    ctx = _context(report, generated_at)
    d = ctx["d"]
    out = ["# Treatment options: my summary", "",
           f"Prepared {ctx['generated_at']} with spinecare ({d['knowledge_version']}).", ""]
    if d["bypassed"]:
        a = d["advice"]
        out += [f"## {d['stage_title']}", "", f"**{a['headline']}**", "", a["text"], ""]
    else:
        inp = d["input"]
        out += ["## About me", "",
                f"- Condition (as my clinician described it): {ctx['condition_label']}",
                f"- Weeks of conservative care: {inp['conservative_weeks']:g}"
                + (f", effect: {inp['benefit']}" if inp["benefit"] else ""),
                f"- Weakness or numbness: {inp['deficit']}"
                + (" (severe)" if inp["severe_deficit"] else ""),
                f"- Epidural injections in the past 12 months: {inp['injections_12m']}",
                f"- Warning signs: {ctx['signs_text']}"]
        for key, label, unit in (("odi", "ODI", "%"), ("zcq_symptom", "ZCQ symptom severity", ""),
                                 ("zcq_function", "ZCQ physical function", ""),
                                 ("pain_nrs", "Worst pain (0-10)", ""),
                                 ("walking_distance_m", "Walking distance", " m")):
            if inp[key] is not None:
                out.append(f"- {label}: {inp[key]:g}{unit}")
        out += ["", f"## Where I am: {d['stage_title']}", ""]
        for r in [*d["stage_reasons"], *d["notes"]]:
            out.append(f"- {r['text']} ({r['rule_id']}; {', '.join(r['references'])})")
        out += ["", "## My options now", "", "| Option | For me now | Why |", "|---|---|---|"]
        for row in d["option_grid"]:
            a = row["assessment"]
            name = row["name"] + (" — **INVESTIGATIONAL**" if row["investigational"] else "")
            why = " ".join(f"{r['text']} ({r['rule_id']})" for r in a["reasons"])
            out.append(f"| {_md_cell(name)} | {a['status_label']} | {_md_cell(why)} |")
        out += ["", "## Option grid", ""]
        for row in d["option_grid"]:
            out += [f"### {row['name']}" + (" (investigational)" if row["investigational"] else ""),
                    "", f"- **What it involves:** {row['what_it_involves']}",
                    f"- **Chance of benefit:** {row['chance_of_benefit']}"]
            if row["condition_note"]:
                out.append(f"- **For my condition:** {row['condition_note']}")
            out += [f"- **Risks:** {row['risks']}", f"- **Recovery:** {row['recovery']}",
                    f"- **How long it lasts:** {row['durability']}",
                    f"- **Evidence:** level {row['evidence_level']} — {row['evidence_note']}",
                    f"- **Cost:** {row['cost_notes']}"]
            if row["what_is_not_known"]:
                out.append("- **Not known:** " + " ".join(row["what_is_not_known"]))
            out += [f"- References: {', '.join(row['references'])}", ""]
    if not d["bypassed"]:
        out += ["## What matters most to me", ""]
        for v in d["values_questions"]:
            out.append(f"- {v['text']} — {v['answer_label'] or '(not answered)'}")
        out += ["", "## Questions for my surgeon or specialist", ""]
        out += [f"- [ ] {q}" for q in d["surgeon_questions"]]
        out.append("")
    out += ["## References", ""]
    out += [f"- `{r['id']}` {r['citation']} (evidence level {r['evidence_level']})"
            for r in d["references"]]
    out += ["", f"**Safety net:** {d['safety_net']}", "", f"_{d['disclaimer']}_", ""]
    return "\n".join(out)


def write_summary(report: Any, path: Path, *, generated_at: datetime | None = None) -> None:
    """Write the summary; the file type follows the suffix (.html/.htm, .md, .pdf)."""
    suffix = path.suffix.lower()
    if suffix == ".md":
        path.write_text(render_markdown(report, generated_at=generated_at), encoding="utf-8")
        return
    html = render_html(report, generated_at=generated_at)
    if suffix == ".pdf":
        from weasyprint import HTML  # heavy import: only when a PDF is asked for

        HTML(string=html, base_url=str(TEMPLATES_DIR)).write_pdf(str(path))
        return
    path.write_text(html, encoding="utf-8")
