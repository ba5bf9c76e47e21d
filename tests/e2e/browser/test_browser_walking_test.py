"""The guided walking test in a real browser at a phone's width (375 px): start, first
symptoms, stop, answer, save; the test is then listed in the diary. Also the diary page with
its charts under the real Content-Security-Policy, checked with axe-core.

Set SPINECARE_SCREENSHOTS=/some/dir to keep screenshots of the pages checked.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import httpx
import pytest

from browser_support import AXE_JS

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"
SHOTS = os.environ.get("SPINECARE_SCREENSHOTS", "")


def _account(server: Any, email: str) -> None:
    made = httpx.post(f"{server.url}/api/v1/auth/register", json={
        "email": email, "password": PASSWORD, "name": "Walker", "role": "patient"})
    assert made.status_code == 202, made.text
    verified = httpx.post(f"{server.url}/api/v1/auth/verify",
                          json={"token": server.mailbox.token(email)})
    assert verified.status_code == 200, verified.text


def _accessible(page: Any, name: str) -> None:
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    bad = [f"{v['id']}: {v['help']}" for v in result["violations"]
           if v["impact"] in ("serious", "critical")]
    assert not bad, f"axe on {name}: {bad}"
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}-375.png"), full_page=True)


def test_walking_test_timer_on_a_phone(server: Any, browser: Any) -> None:
    _account(server, "walker@example.org")
    context = browser.new_context(viewport={"width": 375, "height": 740}, bypass_csp=True)
    page = context.new_page()
    try:
        page.goto(f"{server.url}/signin")
        page.fill("#email", "walker@example.org")
        page.fill("#password", PASSWORD)
        with page.expect_navigation():
            page.click("button:has-text('Sign in')")
        page.goto(f"{server.url}/diary/walking-test")
        assert page.locator("#timer").is_visible()  # the script revealed the timer
        _accessible(page, "walking-test")
        start = page.locator("#walk-start")
        box = start.bounding_box()
        assert box is not None and box["height"] >= 44 and box["width"] >= 300  # big, on a phone
        start.click()
        page.wait_for_timeout(1300)
        page.click("#walk-symptoms")
        assert "First symptoms at 0:0" in page.locator("#walk-symptoms").inner_text()
        page.wait_for_timeout(1200)
        page.click("#walk-stop")
        duration = float(page.input_value("#duration_seconds"))
        first = float(page.input_value("#first_symptom_seconds"))
        assert 2.0 <= duration < 30 and 1.0 <= first < duration
        assert page.is_checked("input[name=stopped_because][value=symptoms]")
        assert page.evaluate("document.activeElement.id") == "after-title"
        page.check("input[name=relief][value=sit]")
        page.fill("#recovery_minutes", "3")
        with page.expect_navigation():
            page.click("#walk-save")
        assert "/diary" in page.url
        assert "Your walking test is saved." in page.locator("main").inner_text()
        rows = page.locator("#walking-test-list tbody tr")
        assert rows.count() == 1
        assert "Sitting down" in rows.first.inner_text()
        # The page fits the phone: nothing wider than the screen.
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        _accessible(page, "diary")
    finally:
        context.close()


def test_the_walking_test_page_runs_under_the_real_csp(server: Any, browser: Any) -> None:
    _account(server, "csp@example.org")
    context = browser.new_context(viewport={"width": 375, "height": 740})
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    try:
        page.goto(f"{server.url}/signin")
        page.fill("#email", "csp@example.org")
        page.fill("#password", PASSWORD)
        with page.expect_navigation():
            page.click("button:has-text('Sign in')")
        page.goto(f"{server.url}/diary/walking-test")
        assert page.locator("#timer").is_visible()
        page.goto(f"{server.url}/diary")
        assert page.locator("h1").first.inner_text() == "My symptom diary"
        assert not problems, problems
    finally:
        context.close()
