"""The emergency number shown on every page: the same table the triage advice uses."""

from __future__ import annotations

import re

from spinecare.clinical.triage.knowledge.emergency_numbers import emergency_contact


def emergency_for_country(country: str) -> tuple[str, str]:
    contact = emergency_contact(country)
    return contact.number, contact.note


def tel_number(number: str) -> str:
    """The first dialable number of "999 or 112" / "000 (112 from mobiles)", for a tel: link."""
    match = re.search(r"\d+", number)
    return match.group(0) if match else number
