"""Structural validation with fhir.resources (R4B models, the closest to R4 it ships)."""

from __future__ import annotations

from collections.abc import Mapping
from importlib import import_module
from typing import Any

from pydantic import ValidationError

_MODULES = {
    "Questionnaire": "questionnaire",
    "QuestionnaireResponse": "questionnaireresponse",
    "Observation": "observation",
    "Patient": "patient",
    "Practitioner": "practitioner",
    "Bundle": "bundle",
}


class FhirValidationError(ValueError):
    def __init__(self, resource_type: str, problems: list[str]):
        self.problems = problems
        super().__init__(f"not a valid FHIR {resource_type}: " + "; ".join(problems))


def _location(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(resource)"


def validate_resource(data: Mapping[str, Any], expected: str | None = None) -> Any:
    """Validate ``data`` with the R4B model of its resourceType; raise with readable problems."""
    rtype = data.get("resourceType") if isinstance(data, Mapping) else None
    if expected and rtype != expected:
        raise FhirValidationError(expected, [f"resourceType is {rtype!r}, expected {expected!r}"])
    if rtype not in _MODULES:
        raise FhirValidationError(str(rtype), [f"unsupported resourceType {rtype!r}"])
    model = getattr(import_module(f"fhir.resources.R4B.{_MODULES[rtype]}"), rtype)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = [f"{_location(e['loc'])}: {e['msg']}" for e in exc.errors()[:10]]
        raise FhirValidationError(rtype, problems) from None
