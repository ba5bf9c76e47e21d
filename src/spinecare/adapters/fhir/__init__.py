"""FHIR R4 in and out, generated from the instrument definitions.

Out: ``questionnaire_for`` (SDC Questionnaire), ``questionnaire_response``,
``observations_for``, ``bundle_for_person``. In: ``answers_from_response`` (score an
imported QuestionnaireResponse) and ``read_licensed_questionnaire`` (a clinic's licensed
wording). ``code_problems`` checks the codes we emit; ``validate_resource`` runs the
fhir.resources R4B models.
"""

from spinecare.adapters.fhir.bundle import (
    Administration,
    FhirExportError,
    Person,
    bundle_for_person,
)
from spinecare.adapters.fhir.codes import code_problems
from spinecare.adapters.fhir.licensed import (
    LicensedImportError,
    apply_licensed_questionnaire,
    read_licensed_questionnaire,
)
from spinecare.adapters.fhir.observation import observations_for
from spinecare.adapters.fhir.questionnaire import questionnaire_for
from spinecare.adapters.fhir.response import (
    ResponseImportError,
    answers_from_response,
    questionnaire_response,
)
from spinecare.adapters.fhir.validate import FhirValidationError, validate_resource

__all__ = [
    "Administration",
    "FhirExportError",
    "FhirValidationError",
    "LicensedImportError",
    "Person",
    "ResponseImportError",
    "answers_from_response",
    "apply_licensed_questionnaire",
    "bundle_for_person",
    "code_problems",
    "observations_for",
    "questionnaire_for",
    "questionnaire_response",
    "read_licensed_questionnaire",
    "validate_resource",
]
