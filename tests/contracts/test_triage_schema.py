"""The triage contract: what POST /api/v1/triage and a saved check send is what OpenAPI says.

The response schemas are derived from the core's dataclasses (``TriageResult``) and the
services' read models (``TriageRecord``); the triage route writes its body itself (raw bytes,
for speed), so nothing but this test holds the bytes to the declared schema. For every dev
vignette (structured findings): the body validates against the schema the app publishes,
equals the stored shape (``TriageResult.to_dict``) plus the door's fields, and the saved
check reads back with the same result.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from repo_paths import SHARED_DIR
from spinecare.clinical.findings import parse_findings
from spinecare.clinical.triage.result import TriageResult
from web_fixtures import api_user

VIGNETTES = [json.loads(line) for line in
             (SHARED_DIR / "eval" / "dev_vignettes.jsonl").read_text(encoding="utf-8").splitlines()
             if line.strip()]
DOOR_KEYS = ("provisional", "provisional_notice", "saved_check_id")


def _validator(openapi: dict[str, Any], path: str, method: str) -> Draft202012Validator:
    """The declared 200 schema of a route, with the document's components for its $refs."""
    schema = openapi["paths"][path][method]["responses"]["200"]["content"][
        "application/json"]["schema"]
    return Draft202012Validator({**schema, "components": openapi["components"]})


def _request(vignette: dict[str, Any]) -> dict[str, Any]:
    return {"age": vignette["age"], "sex": vignette["sex"], "findings": vignette["findings"]}


def test_the_triage_route_declares_the_cores_types_not_free_form_objects(client) -> None:
    openapi = client.get("/api/openapi.json").json()
    ref = openapi["paths"]["/api/v1/triage"]["post"]["responses"]["200"]["content"][
        "application/json"]["schema"]["$ref"]
    declared = openapi["components"]["schemas"][ref.rsplit("/", 1)[1]]
    assert set(declared["required"]) >= {*TriageResult.__dataclass_fields__, *DOOR_KEYS}
    reasons = declared["properties"]["reasons"]["items"]["$ref"].rsplit("/", 1)[1]
    assert set(openapi["components"]["schemas"][reasons]["properties"]) >= {
        "rule_id", "level", "text", "references"}
    level = openapi["components"]["schemas"]["Level"]
    assert set(level["enum"]) == {"self_care", "routine", "urgent", "emergency"}


def test_every_dev_vignettes_body_matches_the_declared_schema_and_the_stored_shape(
        client) -> None:
    openapi = client.get("/api/openapi.json").json()
    validator = _validator(openapi, "/api/v1/triage", "post")
    triage = client.app.state.spinecare.services.triage
    assert len(VIGNETTES) >= 30
    for vignette in VIGNETTES:
        response = client.post("/api/v1/triage", json=_request(vignette))
        assert response.status_code == 200, (vignette["id"], response.text)
        body = response.json()
        problems = [e.message for e in validator.iter_errors(body)]
        assert not problems, (vignette["id"], problems[:3])
        expected = triage.evaluate(parse_findings({**vignette["findings"], "age": vignette["age"],
                                                   "sex": vignette["sex"]}))
        assert {k: v for k, v in body.items() if k not in DOOR_KEYS} == expected.to_dict()
        assert list(body)[-3:] == list(DOOR_KEYS)
        assert body["saved_check_id"] is None
        assert body["provisional"] is (body["provisional_notice"] is not None)


@pytest.mark.parametrize("vignette", VIGNETTES[::6], ids=lambda v: v["id"])
def test_a_saved_check_is_sent_with_its_declared_schema_and_the_result_it_was_given(
        client, vignette) -> None:
    openapi = client.get("/api/openapi.json").json()
    ana = api_user(client, "ana@example.org")
    fresh = client.post("/api/v1/triage", headers=ana["headers"], json=_request(vignette)).json()
    saved = fresh["saved_check_id"]
    one = client.get(f"/api/v1/triage/checks/{saved}", headers=ana["headers"])
    history = client.get("/api/v1/me/triage", headers=ana["headers"])
    assert not list(_validator(openapi, "/api/v1/triage/checks/{check_id}", "get")
                    .iter_errors(one.json()))
    assert not list(_validator(openapi, "/api/v1/me/triage", "get").iter_errors(history.json()))
    record = one.json()
    assert history.json() == [record]
    assert record["result"] == {k: v for k, v in fresh.items() if k not in DOOR_KEYS}
    assert (record["provisional"], record["provisional_notice"]) == (
        fresh["provisional"], fresh["provisional_notice"])
    stored = client.app.state.spinecare.services.triage.get(
        _patient(client, ana["id"]), saved).result
    assert stored == TriageResult.from_dict(record["result"])


def _patient(client, user_id: int):  # type: ignore[no-untyped-def]
    from spinecare.services.actor import Actor

    return Actor(user_id, "patient")
