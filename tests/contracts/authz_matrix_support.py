"""The authorization matrix machinery: the world, the roles, the rules, and the verdict.

Rules live in ``tests/contracts/authz_rules/<area>.py`` (one file per area; files starting
with ``_`` are ignored) as plain data::

    RULES = [
        {"route": "GET /history/{check_id}", "allow": ["patient_a", "clinician", "admin"],
         "params": {"check_id": "{patient_a_check}"}},
        {"route": "POST /signin", "allow": "all",
         "form": {"csrf_token": "{csrf}", "email": "{patient_a_email}", "password": "{password}"}},
    ]

``route`` is "METHOD /path" exactly as in the app's route table. ``allow`` lists roles
(``anonymous``, ``patient_a``, ``patient_b``, ``clinician`` — approved and granted access
by patient A —, ``other_clinician`` — approved, no grant —, ``admin``) or is ``"all"``.
Optional ``params`` (path), ``query``, ``json``, ``form``, ``headers``; strings in them may
use placeholders: user ids ``{patient_a}`` … ``{admin}``, e-mails ``{patient_a_email}`` …,
``{patient_a_check}``/``{patient_b_check}`` (saved checks), ``{patient_a_response}``/
``{patient_b_response}`` (questionnaire responses), ``{patient_a_session}`` (an API token
of patient A's), ``{password}`` (every account's) and
``{csrf}`` (the session's CSRF token; signed-in roles also send it as X-CSRF-Token).

Each (route, role) case runs against a fresh copy of that world. Denied means 401, 403,
404 or a redirect to /signin; allowed means any other status below 500; a 5xx fails.
"""

from __future__ import annotations

import functools
import re
import runpy
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.routing import iter_route_contexts

from spinecare.adapters.storage import migrate
from spinecare.adapters.storage.models import User, utcnow
from spinecare.adapters.storage.repositories import Repositories
from spinecare.bootstrap import Spinecare, bootstrap
from spinecare.entrypoints.web.auth import csrf_token, sign_in
from spinecare.services.actor import Actor
from spinecare.services.passwords import hash_password
from spinecare.services.triage import build_findings
from spinecare.settings import Settings

RULES_DIR = Path(__file__).with_name("authz_rules")
ROLES = ("anonymous", "patient_a", "patient_b", "clinician", "other_clinician", "admin")
PASSWORD = "matrix password 123"
SECRET = "authz-matrix-secret-key-0123456789abcdef"
SKIPPED_METHODS = {"HEAD", "OPTIONS"}
TEST_SIGN_IN = "/_authz/sign-in"


@dataclass
class World:
    """A database file with five accounts, a grant, checks and a response; ids by name."""

    path: Path
    ids: dict[str, Any] = field(default_factory=dict)


def build_world(directory: Path) -> World:
    path = directory / "world.sqlite3"
    settings = Settings(data_dir=directory, database_url=f"sqlite:///{path}", secret_key=SECRET)
    spinecare = bootstrap(settings)
    services = spinecare.services
    migrate.upgrade(services.db)
    password_hash = hash_password(PASSWORD)  # once: every account shares it
    people = {
        "patient_a": ("patient", "Patient A"), "patient_b": ("patient", "Patient B"),
        "clinician": ("clinician", "Dr With Access"),
        "other_clinician": ("clinician", "Dr Without Access"), "admin": ("admin", "Admin"),
    }
    ids: dict[str, Any] = {"password": PASSWORD}
    with services.db.transaction() as session:
        repos = Repositories(session)
        for key, (role, name) in people.items():
            email = f"{key.replace('_', '-')}@example.org"
            user = repos.users.add(User(email=email, name=name, role=role,
                                        password_hash=password_hash, approved=True,
                                        email_verified_at=utcnow()))
            ids[key] = user.id
            ids[f"{key}_email"] = email
        repos.grants.add(ids["patient_a"], ids["clinician"])
    findings = build_findings({"back_pain": True, "leg_pain": True}, age=60, sex="female")
    for key in ("patient_a", "patient_b"):
        actor = Actor(ids[key], "patient", "127.0.0.1")
        ids[f"{key}_check"] = services.triage.save(actor, findings).saved_check_id
        ids[f"{key}_response"] = services.questionnaires.submit(actor, "nrs", {"back": 5}).id
    # A second sign-in of patient A (an API token) that only A may end.
    ids["patient_a_session"] = services.sessions.start(ids["patient_a"], "api")[1].id
    spinecare.close()
    return World(path, ids)


@functools.cache
def _stateless_pieces() -> Spinecare:
    """Built once for the run: the engine, search index and text extractor hold no one's
    data, so every case's application object may share them."""
    return bootstrap(Settings(data_dir=Path(tempfile.gettempdir()), secret_key=SECRET))


def case_app(settings: Settings) -> Spinecare:
    """One case's application object: its own settings and database, shared stateless pieces."""
    shared = _stateless_pieces()
    return bootstrap(settings, engine=shared.engine, search_index=shared.search_index,
                     extractor=shared.extractor)


def copy_world(world: World, directory: Path) -> Settings:
    target = directory / "case.sqlite3"
    shutil.copyfile(world.path, target)
    return Settings(data_dir=directory, database_url=f"sqlite:///{target}", secret_key=SECRET)


TYPED_SEGMENT = re.compile(r"{(\w+):\w+}")


def route_table(app: FastAPI) -> list[str]:
    """'METHOD /path' for every route of the app (mounts such as /static are not routes)."""
    out = set()
    for context in iter_route_contexts(app.routes):
        methods = getattr(context, "methods", None)
        if not methods or context.path is None:
            continue
        for method in methods - SKIPPED_METHODS:
            # A typed segment ({day:isoday}) is written as plain {day} in the rules.
            path = TYPED_SEGMENT.sub(r"{\1}", context.path)
            out.add(f"{method} {path}")
    return sorted(out)


def app_route_table() -> list[str]:
    from spinecare.entrypoints.web.app import create_app

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp), database_url=f"sqlite:///{tmp}/r.sqlite3",
                            secret_key=SECRET)
        spinecare = bootstrap(settings)
        try:
            return route_table(create_app(spinecare))
        finally:
            spinecare.close()


def load_rules() -> dict[str, dict[str, Any]]:
    rules: dict[str, dict[str, Any]] = {}
    for path in sorted(RULES_DIR.glob("*.py")):
        if path.name.startswith("_"):
            continue
        for rule in runpy.run_path(str(path)).get("RULES", []):
            route = rule["route"]
            if route in rules:
                raise AssertionError(f"{route} has two rules ({path.name} and another file)")
            allow = rule["allow"]
            allowed = set(ROLES) if allow == "all" else set(allow)
            unknown = allowed - set(ROLES)
            if unknown:
                raise AssertionError(f"{path.name}: {route}: unknown roles {sorted(unknown)}")
            rules[route] = {**rule, "allowed": allowed, "file": path.name}
    return rules


def fill(value: Any, values: dict[str, Any]) -> Any:
    """Replace {placeholders} in strings (whole-string placeholders keep their type)."""
    if isinstance(value, str):
        if value.startswith("{") and value.endswith("}") and value[1:-1] in values:
            return values[value[1:-1]]
        return value.format(**values)
    if isinstance(value, dict):
        return {k: fill(v, values) for k, v in value.items()}
    if isinstance(value, list):
        return [fill(v, values) for v in value]
    return value


def add_test_sign_in(app: FastAPI) -> None:
    """Sign in (or start an anonymous session) the way the sign-in page does."""

    @app.post(TEST_SIGN_IN + "/{user_id}")
    async def _sign_in(user_id: int, request: Request) -> dict:
        if user_id:
            await sign_in(request, request.app.state.spinecare.services.accounts.get(user_id))
        return {"csrf": csrf_token(request)}


def is_denied(status: int, location: str) -> bool:
    if status in (401, 403, 404):
        return True
    return 300 <= status < 400 and "/signin" in location
