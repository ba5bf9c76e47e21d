"""Names and e-mails that look like someone else's (security review finding 19): fullwidth
e-mails are the same address, and names cannot hide or reverse their text."""

from __future__ import annotations

import pytest

from spinecare.services.actor import Actor
from spinecare.services.errors import Conflict, InvalidInput

PASSWORD = "correct horse battery"
FULLWIDTH_ANA = "ａｎａ@example.org"  # U+FF41 U+FF4E U+FF41


def test_a_fullwidth_email_is_the_same_account(services) -> None:
    ana = services.accounts.create("ana@example.org", PASSWORD, "Ana", "patient")
    with pytest.raises(Conflict):
        services.accounts.create(FULLWIDTH_ANA, PASSWORD, "Not Ana", "patient")
    found = services.accounts.by_email(FULLWIDTH_ANA)
    assert found is not None and found.id == ana.id
    assert services.accounts.authenticate(FULLWIDTH_ANA, PASSWORD).id == ana.id


def test_a_patient_typing_a_fullwidth_email_shares_with_the_real_clinician(services) -> None:
    doc = services.accounts.create("doc@example.org", PASSWORD, "Dr Doc", "clinician")
    services.accounts.set_approved(Actor.system(), doc.id)
    ben = services.accounts.create("ben@example.org", PASSWORD, "Ben", "patient")
    grant = services.care_team.grant(Actor(ben.id, "patient"), "ｄｏｃ@example.org")
    assert grant.clinician_id == doc.id


@pytest.mark.parametrize("name", [
    "Dr \u202eevil\u202c",  # right-to-left override: shows as "Dr live"
    "Dr \u2067Smith\u2069",  # right-to-left isolate
    "\u202aAna",
])
def test_names_with_text_direction_controls_are_refused(services, name: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        services.accounts.create("x@example.org", PASSWORD, name, "clinician")
    assert "text direction" in refused.value.problems["name"]


@pytest.mark.parametrize("name", ["\u200b", "\u200b\u200c\u200d", "\u2060\ufeff", "\u3164",
                                  "\u00a0\u200b"])
def test_names_made_only_of_invisible_characters_are_refused(services, name: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        services.accounts.create("x@example.org", PASSWORD, name, "patient")
    assert "letters someone can see" in refused.value.problems["name"]


@pytest.mark.parametrize("name", ["Zoë Ångström", "李小龍", "محمد", "Anne-Marie O'Neil",
                                  "Dr\u00a0Ana"])
def test_ordinary_names_in_any_script_are_accepted(services, name: str) -> None:
    assert services.accounts.create("x@example.org", PASSWORD, name, "patient").name == name
