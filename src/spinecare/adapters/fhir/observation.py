"""Observations: one per score, category ``survey``, derived from the response."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from spinecare.adapters.fhir.constants import (
    BAND_SYSTEM,
    LOINC,
    OBSERVATION_CATEGORY,
    SCORE_SYSTEM,
    UCUM,
    UCUM_UNITS,
    VERIFIED_LOINC,
)
from spinecare.clinical.instruments.model import InstrumentDefinition
from spinecare.clinical.instruments.result import ScoreResult, number

_SURVEY = [{"coding": [{"system": OBSERVATION_CATEGORY, "code": "survey", "display": "Survey"}]}]


def _quantity(value: Any, unit: str) -> dict[str, Any]:
    return {"value": value, "unit": UCUM_UNITS[unit], "system": UCUM, "code": unit}


def _observation(
    *,
    obs_id: str,
    code: dict[str, Any],
    value: dict[str, Any],
    subject_ref: str,
    response_ref: str,
    effective: datetime,
    performer_ref: str | None,
    interpretation: dict[str, Any] | None = None,
    notes: tuple[str, ...] = (),
    body_site: str = "",
) -> dict[str, Any]:
    obs: dict[str, Any] = {
        "resourceType": "Observation",
        "id": obs_id,
        "status": "final",
        "category": _SURVEY,
        "code": code,
        "subject": {"reference": subject_ref},
        "effectiveDateTime": effective.isoformat(),
        "derivedFrom": [{"reference": response_ref}],
        "valueQuantity": value,
    }
    if performer_ref:
        obs["performer"] = [{"reference": performer_ref}]
    if interpretation:
        obs["interpretation"] = [interpretation]
    if body_site:
        obs["bodySite"] = {"text": body_site}
    if notes:
        obs["note"] = [{"text": n} for n in notes]
    return obs


def observations_for(
    d: InstrumentDefinition,
    result: ScoreResult,
    *,
    id_prefix: str,
    subject_ref: str,
    response_ref: str,
    effective: datetime,
    performer_ref: str | None = None,
) -> list[dict[str, Any]]:
    """Observations for every score in ``result`` (nothing for a score that was refused)."""
    out: list[dict[str, Any]] = []
    common: dict[str, Any] = {
        "subject_ref": subject_ref,
        "response_ref": response_ref,
        "effective": effective,
        "performer_ref": performer_ref,
    }
    if result.score is not None and d.score is not None:
        codings = []
        if d.codes.score_loinc:
            loinc = d.codes.score_loinc
            codings.append({"system": LOINC, "code": loinc, "display": VERIFIED_LOINC[loinc]})
        codings.append({"system": SCORE_SYSTEM, "code": f"{d.id}-total", "display": d.score.label})
        interpretation = None
        if result.band is not None:
            interpretation = {
                "coding": [
                    {
                        "system": BAND_SYSTEM,
                        "code": f"{d.id}-{result.band.id}",
                        "display": result.band.label,
                    }
                ],
                "text": result.band.label,
            }
        notes = result.notes + (
            ("rescaled: scored from fewer items than the instrument has",)
            if result.rescaled
            else ()
        )
        out.append(
            _observation(
                obs_id=f"{id_prefix}-total",
                code={"coding": codings, "text": d.score.label},
                value=_quantity(number(result.score, result.decimals), d.score.unit),
                interpretation=interpretation,
                notes=notes,
                **common,
            )
        )
    for sub in result.subscales:
        if sub.score is None:
            continue
        spec = d.subscale(sub.id)
        interpretation = None
        if sub.band is not None:
            interpretation = {
                "coding": [
                    {
                        "system": BAND_SYSTEM,
                        "code": f"{d.id}-{sub.id}-{sub.band.id}",
                        "display": sub.band.label,
                    }
                ],
                "text": sub.band.label,
            }
        single_site = len(spec.items) == 1
        out.append(
            _observation(
                obs_id=f"{id_prefix}-{sub.id}",
                code={
                    "coding": [
                        {
                            "system": SCORE_SYSTEM,
                            "code": f"{d.id}-{sub.id}",
                            "display": f"{d.short_name} {sub.label}",
                        }
                    ],
                    "text": f"{d.short_name} {sub.label}",
                },
                value=_quantity(number(sub.score, 3), "{score}"),
                interpretation=interpretation,
                body_site=sub.id if single_site else "",
                **common,
            )
        )
    return out
