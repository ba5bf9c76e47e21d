"""The application object: built only by bootstrap, each piece built once and only when asked
for, and the environment read only by ``Settings.from_env`` (through bootstrap)."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from spinecare.app import Lazy
from spinecare.bootstrap import bootstrap, triage_engine
from spinecare.clinical.findings import parse_findings
from spinecare.entrypoints.web.app import create_app
from spinecare.settings import Settings


def _settings(tmp_path: Path) -> Settings:
    data = tmp_path / "data"
    return Settings(data_dir=data, database_url=f"sqlite:///{data / 'spinecare.sqlite3'}",
                    secret_key="k" * 40)


def test_bootstrap_opens_nothing_until_a_piece_is_asked_for(tmp_path: Path) -> None:
    app = bootstrap(_settings(tmp_path))
    assert app.engine.evaluate(parse_findings({"back_pain": True})).level  # no files needed
    assert not (tmp_path / "data").exists()  # so `spinecare check` leaves no database behind
    assert app.services.db is app.database  # asking for the services opens the database
    assert (tmp_path / "data" / "spinecare.sqlite3").exists()
    app.close()


def test_a_piece_is_built_once_even_when_threads_race_for_it() -> None:
    built: list[object] = []

    def slow_build() -> object:
        time.sleep(0.05)  # long enough for every thread to arrive while it builds
        built.append(object())
        return built[-1]

    lazy = Lazy(slow_build)
    got: list[object] = []
    threads = [threading.Thread(target=lambda: got.append(lazy.get())) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(built) == 1
    assert got == built * 8 and lazy.built


def test_a_piece_that_needs_itself_says_so_instead_of_hanging() -> None:
    lazy: Lazy[object] = Lazy(lambda: lazy.get())
    with pytest.raises(RuntimeError, match="needs itself"):
        lazy.get()
    assert not lazy.built


def test_pieces_given_to_bootstrap_are_the_ones_every_use_case_and_the_web_app_use(
    tmp_path: Path,
) -> None:
    engine = triage_engine()
    app = bootstrap(_settings(tmp_path), engine=engine)
    web = create_app(app)
    assert web.state.spinecare is app
    assert app.engine is engine and app.services.triage.engine is engine
    app.close()


def test_the_environment_is_read_by_from_env_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SPINECARE_DATA_DIR", str(tmp_path / "from-env"))
    monkeypatch.setenv("SPINECARE_COUNTRY", "au")
    monkeypatch.chdir(tmp_path)
    assert Settings().data_dir == tmp_path / "data"  # a test's own Settings: no environment
    assert Settings().country == ""
    from_env = bootstrap().settings  # an entry point: bootstrap reads it, once
    assert from_env.data_dir == tmp_path / "from-env" and from_env.country == "AU"
