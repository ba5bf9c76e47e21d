"""Questionnaires (PROMs): fill one in, see its score and band, and the change since last time.

Definitions, scoring, bands and MCID come from ``services.instruments`` and a submitted form
is stored by ``services.questionnaires.submit``, the same door as ``POST
/api/v1/me/questionnaires``; this module only shows them. An instrument whose wording is
licensed out is listed with the reason, and can be filled in once the clinic imports it;
until then (and after) a paper form's total can be recorded (``/questionnaires/{id}/paper``,
``services.questionnaires.record_total``, the API's ``paper`` body), scored and trended
like the rest.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from spinecare.clinical.instruments import ChangeError, InstrumentDefinition
from spinecare.entrypoints.web.auth import SignedIn, require_patient, require_user
from spinecare.entrypoints.web.pages import _auth
from spinecare.entrypoints.web.pages._render import render, render_error
from spinecare.services.errors import InvalidInput, NotFound, PermissionDenied
from spinecare.services.instruments import InstrumentService
from spinecare.services.questionnaires import clinician_rated_message, entered_as_total

router = APIRouter(tags=["pages: questionnaires"])


def _instruments(request: Request) -> InstrumentService:
    return _auth.services(request).instruments


def _definitions(request: Request) -> dict[str, InstrumentDefinition]:
    # With the clinic's imported licensed wording (read once, again after an import).
    return _instruments(request).definitions()


def _fillable(definition: InstrumentDefinition) -> bool:
    return definition.respondent == "patient" and definition.has_text


def _paper(request: Request) -> Any:
    """Whether the list offers "record a total from a paper form" for an instrument: every
    patient-reported one whose wording is licensed (shipped without its text)."""
    shipped = _instruments(request).shipped

    def offered(definition: InstrumentDefinition) -> bool:
        original = shipped.get(definition.id)
        return (definition.respondent == "patient" and original is not None
                and not original.licence.text_included)

    return offered


def score_lines(
    instruments: InstrumentService, instrument_id: str, score_dict: dict[str, Any],
    with_label: bool = True,
) -> list[str]:
    """Plain lines for a stored score: the total (with band) or each subscale."""
    definition = instruments.shipped.get(instrument_id)
    if not score_dict.get("scored", True) and score_dict.get("reason"):
        return [f"Not scored: {score_dict['reason']}"]
    lines = []
    unit = "%" if score_dict.get("unit") == "%" else ""
    if score_dict.get("score") is not None:
        label = definition.score.label if definition and definition.score else "Score"
        band = score_dict.get("band_label")
        text = f"{score_dict['score']:g}{unit}" + (f" ({band})" if band else "")
        lines.append(f"{label}: {text}" if with_label else text)
    labels = {s.id: s.label for s in definition.subscales} if definition else {}
    for sub_id, value in (score_dict.get("subscales") or {}).items():
        if value is not None:
            lines.append(f"{labels.get(sub_id, sub_id)}: {value:g}")
    return lines or ["No score"]


def score_lines_for(request: Request) -> Any:
    """``score_lines`` bound to this app's instruments, for the templates."""
    instruments = _instruments(request)

    def lines(instrument_id: str, score_dict: dict[str, Any], with_label: bool = True
              ) -> list[str]:
        return score_lines(instruments, instrument_id, score_dict, with_label)

    return lines


def change_lines(
    instruments: InstrumentService, instrument_id: str, before: dict[str, Any],
    after: dict[str, Any],
) -> list[str]:
    definition = instruments.shipped.get(instrument_id)
    if definition is None:
        return []
    pairs: list[tuple[str | None, Any, Any, str]] = []
    if before.get("score") is not None and after.get("score") is not None:
        label = definition.score.label if definition.score else definition.short_name
        pairs.append((None, before["score"], after["score"], label))
    else:
        for sub in definition.subscales:
            b = (before.get("subscales") or {}).get(sub.id)
            a = (after.get("subscales") or {}).get(sub.id)
            if a is not None and b is not None and sub.mcid is not None:
                pairs.append((sub.id, b, a, f"{definition.short_name} {sub.label.lower()}"))
    lines = []
    for subscale, b, a, label in pairs:
        try:
            change = instruments.change(instrument_id, b, a, subscale=subscale)
        except ChangeError:
            continue
        lines.append(f"{label}: from {b:g} to {a:g}: {change.interpretation()}.")
    return lines


@router.get("/questionnaires")
def questionnaires(request: Request, who: SignedIn = Depends(require_patient)) -> Response:
    responses = _auth.services(request).questionnaires.list(who.actor, who.user.id)
    defs = _definitions(request)
    listed = [d for d in defs.values() if d.respondent == "patient"]
    return render(request, "questionnaires.html", instruments=listed, fillable=_fillable,
                  paper=_paper(request), responses=responses,
                  score_lines=score_lines_for(request),
                  names={k: d.short_name for k, d in defs.items()})


def _instrument_or_404(request: Request, instrument_id: str) -> InstrumentDefinition | None:
    definition = _definitions(request).get(instrument_id)
    return definition if definition is not None and _fillable(definition) else None


def _not_fillable(request: Request, instrument_id: str) -> Response:
    """Why a patient cannot fill this in: rated by a clinician (mJOA), or unknown/licensed."""
    definition = _definitions(request).get(instrument_id)
    if definition is not None and definition.respondent == "clinician":
        # The service refuses it too (one rule); the page says why instead of "not found".
        return render_error(request, 403, "Your clinician fills this in",
                            clinician_rated_message(definition.short_name))
    return render_error(request, 404, "Questionnaire not available",
                        "This questionnaire does not exist, or its wording has not been "
                        "added by your clinic.")


@router.get("/questionnaires/{instrument_id}")
def questionnaire_form(
    request: Request, instrument_id: str, who: SignedIn = Depends(require_patient)
) -> Response:
    definition = _instrument_or_404(request, instrument_id)
    if definition is None:
        return _not_fillable(request, instrument_id)
    return render(request, "questionnaire_form.html", d=definition, values={}, errors={})


@router.post("/questionnaires/{instrument_id}")
async def questionnaire_submit(
    request: Request, instrument_id: str, who: SignedIn = Depends(require_patient)
) -> Response:
    # May read and validate the clinic's licensed wording (after an import): off the loop.
    definition = await run_in_threadpool(_instrument_or_404, request, instrument_id)
    if definition is None:
        return await run_in_threadpool(_not_fillable, request, instrument_id)
    form = await request.form()
    raw: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for item in definition.items:
        text = str(form.get(f"item-{item.id}", "")).strip()
        if not text:
            raw[item.id] = None  # unanswered: the instrument's missing-item rule applies
            continue
        try:
            raw[item.id] = int(text)
        except ValueError:
            errors[f"item-{item.id}"] = f"{item.label}: choose one of the answers."
    if not errors:
        try:
            # The API's door: scored by the service, stored with its knowledge version.
            record = await run_in_threadpool(
                _auth.services(request).questionnaires.submit, who.actor, instrument_id, raw)
        except InvalidInput as exc:
            labels = {item.id: item.label for item in definition.items}
            for field, message in exc.problems.items():
                if field == "answers":  # the whole form (left blank)
                    errors["answers"] = message
                    continue
                item_id = field.removeprefix("answers.")
                errors[f"item-{item_id}"] = f"{labels.get(item_id, item_id)}: {message}"
    if errors:
        return render(request, "questionnaire_form.html", status_code=422, d=definition,
                      values={k: v for k, v in raw.items() if v is not None}, errors=errors)
    return RedirectResponse(f"/questionnaires/responses/{record.id}", status_code=303)


def _paper_definition(request: Request, instrument_id: str) -> InstrumentDefinition | None:
    definition = _definitions(request).get(instrument_id)
    return definition if definition is not None and definition.respondent == "patient" else None


def _field_id(name: str) -> str:
    return name.replace(".", "-")


def _paper_page(request: Request, definition: InstrumentDefinition, values: dict[str, str],
                errors: dict[str, str], status_code: int = 200) -> Response:
    fields = _auth.services(request).questionnaires.total_fields(definition.id)
    return render(request, "questionnaire_paper.html", status_code=status_code, d=definition,
                  fields=fields, values=values, errors=errors, field_id=_field_id,
                  today=datetime.now(UTC).date().isoformat())


@router.get("/questionnaires/{instrument_id}/paper")
def questionnaire_paper_form(
    request: Request, instrument_id: str, who: SignedIn = Depends(require_patient)
) -> Response:
    """Record a total from a paper form: the licensed questionnaire filled in on paper."""
    definition = _paper_definition(request, instrument_id)
    if definition is None:
        return _not_fillable(request, instrument_id)
    return _paper_page(request, definition, {}, {})


def _parse_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


@router.post("/questionnaires/{instrument_id}/paper")
async def questionnaire_paper_submit(
    request: Request, instrument_id: str, who: SignedIn = Depends(require_patient)
) -> Response:
    definition = await run_in_threadpool(_paper_definition, request, instrument_id)
    if definition is None:
        return await run_in_threadpool(_not_fillable, request, instrument_id)
    form = await request.form()
    services = _auth.services(request)
    fields = services.questionnaires.total_fields(definition.id)
    values = {f.name: str(form.get(f.name, "")).strip()[:20] for f in fields}
    values["completed_on"] = str(form.get("completed_on", "")).strip()[:20]
    errors: dict[str, str] = {}
    completed_on = _parse_date(values["completed_on"])
    if completed_on is None:
        errors["completed_on"] = "Enter the date you filled in the form, for example 2025-03-31."
    subscales = {name.removeprefix("subscales."): value for name, value in values.items()
                 if name.startswith("subscales.") and value}
    if not errors:
        try:
            record = await run_in_threadpool(
                lambda: services.questionnaires.record_total(
                    who.actor, definition.id, total=values.get("total") or None,
                    answered=values.get("answered") or None, subscales=subscales,
                    completed_on=completed_on))
        except InvalidInput as exc:
            errors.update(exc.problems)
    if errors:
        shown = {_field_id(k): v for k, v in errors.items()}
        return _paper_page(request, definition, values, shown, 422)
    return RedirectResponse(f"/questionnaires/responses/{record.id}", status_code=303)


@router.get("/questionnaires/responses/{response_id}")
def questionnaire_response(
    request: Request, response_id: int, who: SignedIn = Depends(require_user)
) -> Response:
    services = _auth.services(request)
    try:
        record = services.questionnaires.get(who.actor, response_id)
    except (NotFound, PermissionDenied) as exc:
        return render_error(request, 404, "Questionnaire not found", exc.message)
    earlier = [
        r for r in services.questionnaires.list(who.actor, record.patient_id, record.instrument_id)
        if r.created_at < record.created_at
    ]
    previous = earlier[0] if earlier else None
    instruments = services.instruments
    changes = change_lines(instruments, record.instrument_id, previous.score, record.score) \
        if previous else []
    definition = instruments.shipped.get(record.instrument_id)
    return render(request, "questionnaire_result.html", record=record, d=definition,
                  lines=score_lines(instruments, record.instrument_id, record.score),
                  previous=previous,
                  changes=changes, own=who.user.id == record.patient_id,
                  paper=entered_as_total(record.answers))
