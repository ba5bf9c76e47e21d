"""The secret key must be long enough to resist guessing (security review finding 16), and
the data directory is owner-only wherever it is first created (finding 19)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from spinecare import bootstrap
from spinecare.adapters.fhir import questionnaire_for
from spinecare.services.instruments import InstrumentService
from spinecare.settings import Settings


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize("key", ["a", "short-but-not-empty", " " * 40, "x" * 31])
def test_a_short_secret_key_is_refused_with_how_to_make_one(tmp_path: Path, key: str) -> None:
    with pytest.raises(bootstrap.SecretKeyError) as refused:
        bootstrap.secret_key(Settings(data_dir=tmp_path, secret_key=key))
    message = str(refused.value)
    assert "SPINECARE_SECRET_KEY" in message and "at least 32" in message
    assert "secrets.token_urlsafe" in message  # says how to make a good one
    assert len(key.strip()) < 5 or key not in message  # never echoes the key itself


def test_a_key_of_32_characters_or_more_is_used_as_given(tmp_path: Path) -> None:
    key = "k" * 32
    assert bootstrap.secret_key(Settings(data_dir=tmp_path, secret_key=key)) == key
    assert not (tmp_path / "secret_key").exists()


def test_the_generated_key_creates_the_data_directory_owner_only(tmp_path: Path) -> None:
    old_umask = os.umask(0o022)  # the common default, which would give 0755
    try:
        data_dir = tmp_path / "srv" / "data"
        key = bootstrap.secret_key(Settings(data_dir=data_dir))
    finally:
        os.umask(old_umask)
    assert len(key) >= 32
    assert _mode(data_dir) == 0o700 and _mode(data_dir.parent) == 0o700
    assert _mode(data_dir / "secret_key") == 0o600


def test_a_licensed_import_creates_the_data_directory_owner_only(tmp_path: Path) -> None:
    questionnaire = questionnaire_for(InstrumentService().builtin("odi"))
    questionnaire["url"] = "https://clinic.example/fhir/Questionnaire/odi-licensed"
    old_umask = os.umask(0o022)
    try:
        data_dir = tmp_path / "data"
        _definition, path = InstrumentService(data_dir=data_dir).import_licence(questionnaire)
    finally:
        os.umask(old_umask)
    assert path.is_file()
    assert _mode(data_dir) == 0o700 and _mode(path.parent) == 0o700


def test_an_existing_directory_keeps_its_mode(tmp_path: Path) -> None:
    shared = tmp_path / "data"
    shared.mkdir(mode=0o750)
    shared.chmod(0o750)
    bootstrap.private_dir(shared)
    assert _mode(shared) == 0o750
