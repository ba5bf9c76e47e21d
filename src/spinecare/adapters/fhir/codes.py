"""Check the coded values we emit ourselves.

fhir.resources validates structure only: it accepts ``status: "bogus"``. These checks
cover every required binding and code we put into our resources, so a typo in our code
fails a test (and an export) instead of reaching a receiving system.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from spinecare.adapters.fhir.constants import (
    EXT_CALCULATED,
    EXT_ITEM_WEIGHT,
    EXT_MAX,
    EXT_MIN,
    EXT_ORDINAL,
    EXT_UNIT,
    EXT_VARIABLE,
    LOINC,
    OBSERVATION_CATEGORY,
    UCUM,
    UCUM_UNITS,
    VERIFIED_LOINC,
)

# Required bindings in FHIR R4 for the elements we emit.
STATUS = {
    "Questionnaire": {"draft", "active", "retired", "unknown"},
    "QuestionnaireResponse": {"in-progress", "completed", "amended", "entered-in-error", "stopped"},
    "Observation": {
        "registered",
        "preliminary",
        "final",
        "amended",
        "corrected",
        "cancelled",
        "entered-in-error",
        "unknown",
    },
}
ITEM_TYPES = {
    "group",
    "display",
    "boolean",
    "decimal",
    "integer",
    "date",
    "dateTime",
    "time",
    "string",
    "text",
    "url",
    "choice",
    "open-choice",
    "attachment",
    "reference",
    "quantity",
}
BUNDLE_TYPES = {
    "document",
    "message",
    "transaction",
    "transaction-response",
    "batch",
    "batch-response",
    "history",
    "searchset",
    "collection",
}
GENDERS = {"male", "female", "other", "unknown"}
ENABLE_WHEN_OPERATORS = {"exists", "=", "!=", ">", "<", ">=", "<="}
OBSERVATION_CATEGORIES = {
    "social-history",
    "vital-signs",
    "imaging",
    "laboratory",
    "procedure",
    "survey",
    "exam",
    "therapy",
    "activity",
}
KNOWN_EXTENSIONS = {
    EXT_ORDINAL,
    EXT_ITEM_WEIGHT,
    EXT_UNIT,
    EXT_MIN,
    EXT_MAX,
    EXT_CALCULATED,
    EXT_VARIABLE,
}
_LOINC_FORMAT = re.compile(r"^\d{1,7}-\d$")


def loinc_check_digit(number: str) -> int:
    """LOINC mod-10 check digit (LOINC Users' Guide, appendix on check digits)."""
    digits = number[::-1]
    odd = int("".join(digits[0::2])[::-1]) * 2
    even = "".join(digits[1::2])[::-1]
    total = sum(int(c) for c in str(odd) + even)
    return (10 - total % 10) % 10


def loinc_is_well_formed(code: str) -> bool:
    if not _LOINC_FORMAT.match(code):
        return False
    number, check = code.split("-")
    return loinc_check_digit(number) == int(check)


def _walk(node: Any, path: str) -> Iterator[tuple[str, Mapping[str, Any]]]:
    if isinstance(node, Mapping):
        yield path, node
        for key, value in node.items():
            yield from _walk(value, f"{path}.{key}")
    elif isinstance(node, list):
        for n, value in enumerate(node):
            yield from _walk(value, f"{path}[{n}]")


def code_problems(resource: Mapping[str, Any]) -> list[str]:
    """Every coded value in ``resource`` (and nested resources) that breaks a binding."""
    problems: list[str] = []
    for path, node in _walk(resource, resource.get("resourceType", "?")):
        rtype = node.get("resourceType")
        if rtype in STATUS and node.get("status") not in STATUS[rtype]:
            problems.append(f"{path}.status: '{node.get('status')}' is not a {rtype} status")
        if rtype == "Bundle" and node.get("type") not in BUNDLE_TYPES:
            problems.append(f"{path}.type: '{node.get('type')}' is not a Bundle type")
        if rtype == "Patient" and "gender" in node and node["gender"] not in GENDERS:
            problems.append(f"{path}.gender: '{node['gender']}' is not an administrative gender")
        if "linkId" in node and "type" in node and node["type"] not in ITEM_TYPES:
            problems.append(f"{path}.type: '{node['type']}' is not a Questionnaire item type")
        if (
            "question" in node
            and "operator" in node
            and node["operator"] not in ENABLE_WHEN_OPERATORS
        ):
            problems.append(f"{path}.operator: '{node['operator']}' is not an enableWhen operator")
        if "url" in node and (
            "valueDecimal" in node
            or "valueExpression" in node
            or "valueCoding" in node
            or "valueInteger" in node
        ):
            if node["url"] not in KNOWN_EXTENSIONS:
                problems.append(f"{path}.url: unexpected extension {node['url']}")
            expr = node.get("valueExpression")
            if expr and expr.get("language") != "text/fhirpath":
                problems.append(f"{path}: expression language must be text/fhirpath")
        system = node.get("system")
        code = node.get("code")
        if system == LOINC:
            if not loinc_is_well_formed(str(code)):
                problems.append(f"{path}: LOINC code '{code}' is malformed (check digit)")
            elif code not in VERIFIED_LOINC:
                problems.append(f"{path}: LOINC code '{code}' is not in our verified list")
        if system == UCUM and code not in UCUM_UNITS:
            problems.append(f"{path}: UCUM unit '{code}' is not one we emit")
        if system == OBSERVATION_CATEGORY and code not in OBSERVATION_CATEGORIES:
            problems.append(f"{path}: '{code}' is not an observation category")
    return problems
