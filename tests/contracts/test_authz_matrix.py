"""Every route × {anonymous, patient A, patient B, clinician with access, clinician
without access, admin}: allowed or denied as its rule says. The route table comes from
the app itself, so a new route without a rule fails here. Rules: tests/contracts/authz_rules/.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from authz_matrix_support import (
    ROLES,
    TEST_SIGN_IN,
    World,
    add_test_sign_in,
    app_route_table,
    build_world,
    case_app,
    copy_world,
    fill,
    is_denied,
    load_rules,
)
from fastapi.testclient import TestClient

from spinecare.entrypoints.web.app import create_app

ROUTES = app_route_table()
RULES = load_rules()


def test_every_route_has_a_rule_and_every_rule_a_route() -> None:
    missing = [r for r in ROUTES if r not in RULES]
    stale = [f"{r} ({RULES[r]['file']})" for r in RULES if r not in ROUTES]
    assert not missing, (
        "Routes without an authorization rule (add them to tests/contracts/authz_rules/<area>.py): "
        + ", ".join(missing))
    assert not stale, "Rules for routes that no longer exist: " + ", ".join(stale)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    return build_world(tmp_path_factory.mktemp("authz-world"))


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", ROUTES)
def test_route_allows_exactly_the_roles_in_its_rule(
    route: str, role: str, world: World, tmp_path: Path
) -> None:
    rule = RULES.get(route)
    if rule is None:
        pytest.fail(f"{route} has no rule in tests/contracts/authz_rules/ (see the docstring)")
    spinecare = case_app(copy_world(world, tmp_path))
    app = create_app(spinecare)
    add_test_sign_in(app)
    method, path_template = route.split(" ", 1)
    with TestClient(app, base_url="http://127.0.0.1", follow_redirects=False) as client:
        user_id = 0 if role == "anonymous" else world.ids[role]
        csrf = client.post(f"{TEST_SIGN_IN}/{user_id}").json()["csrf"]
        values = {**world.ids, "csrf": csrf}
        params = fill(rule.get("params", {}), values)
        path = path_template.format(**{k: str(v) for k, v in params.items()})
        response = client.request(
            method, path,
            params=fill(rule.get("query"), values),
            json=fill(rule["json"], values) if "json" in rule else None,
            data=fill(rule["form"], values) if "form" in rule else None,
            headers={"X-CSRF-Token": csrf, **fill(rule.get("headers", {}), values)},
        )
    spinecare.close()
    location = response.headers.get("location", "")
    assert response.status_code < 500, f"{route} as {role}: {response.status_code}"
    expected = "allow" if role in rule["allowed"] else "deny"
    actual = "deny" if is_denied(response.status_code, location) else "allow"
    assert actual == expected, (
        f"{route} as {role}: expected {expected}, got {response.status_code} {location} "
        f"{response.text[:200]!r} (rule in {rule['file']})")


UNSAFE = ("POST", "PUT", "PATCH", "DELETE")
# Writes that need a signed-in user, and every form that carries a CSRF token (sign-in,
# sign-up, the interview …): without the token each must be refused.
CSRF_PROTECTED = [
    r for r in ROUTES
    if r.split(" ", 1)[0] in UNSAFE and r in RULES and RULES[r]["allowed"]
    and ("anonymous" not in RULES[r]["allowed"] or "csrf_token" in RULES[r].get("form", {}))
]


@pytest.mark.parametrize("route", CSRF_PROTECTED)
def test_signed_in_writes_are_refused_without_the_csrf_token(
    route: str, world: World, tmp_path: Path
) -> None:
    """The same request as the allowed case, from the same session, minus the token."""
    rule = RULES[route]
    role = next(r for r in ROLES if r in rule["allowed"])
    spinecare = case_app(copy_world(world, tmp_path))
    app = create_app(spinecare)
    add_test_sign_in(app)
    method, path_template = route.split(" ", 1)
    with TestClient(app, base_url="http://127.0.0.1", follow_redirects=False) as client:
        client.post(f"{TEST_SIGN_IN}/{0 if role == 'anonymous' else world.ids[role]}")
        values = {**world.ids, "csrf": ""}
        params = fill(rule.get("params", {}), values)
        response = client.request(
            method, path_template.format(**{k: str(v) for k, v in params.items()}),
            params=fill(rule.get("query"), values),
            json=fill(rule["json"], values) if "json" in rule else None,
            data=fill(rule["form"], values) if "form" in rule else None,
        )
    spinecare.close()
    assert response.status_code == 403, (
        f"{route} as {role} without a CSRF token: {response.status_code} (expected 403)")
