"""The health library in a real browser (Debian chromium + axe-core) against a real server:
search from the header box on the home page, an emergency search, an article page, all
accessible (no serious or critical axe violations) at desktop and phone widths and under
the app's real Content-Security-Policy."""

from __future__ import annotations

from typing import Any

import pytest

from browser_support import AXE_JS
from repo_paths import REPO_ROOT

pytestmark = pytest.mark.browser

REPO_ROOT = REPO_ROOT


def _page(browser: Any, width: int = 1280, bypass_csp: bool = True) -> Any:
    return browser.new_context(viewport={"width": width, "height": 900},
                               bypass_csp=bypass_csp).new_page()


def assert_accessible(page: Any, name: str) -> None:
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    bad = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
    assert not bad, f"axe on {name}: " + "; ".join(f"{v['id']}: {v['help']}" for v in bad)


@pytest.mark.parametrize("width", [1280, 375])
def test_search_from_the_header_box_and_open_an_article(server: Any, browser: Any,
                                                         width: int) -> None:
    page = _page(browser, width)
    page.goto(server.url + "/")
    page.fill("#site-search", "pins and needles in my legs when I walk")
    page.press("#site-search", "Enter")
    page.wait_for_url("**/search?q=*")
    first = page.locator(".search-result").first
    assert "Symptoms of lumbar stenosis" in first.locator("h3").inner_text()
    assert first.locator("mark").count() >= 2
    assert page.locator(".level-emergency").count() == 0
    assert_accessible(page, f"search-{width}")
    # No horizontal scrolling on a phone.
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")
    first.locator("h3 a").click()
    page.wait_for_url("**/articles/symptoms-of-lumbar-stenosis*")
    assert page.locator("h1").inner_text().startswith("Symptoms of lumbar stenosis")
    assert page.locator("#sources").count() == 1
    assert page.locator("a[href='/check']").count() >= 1
    assert_accessible(page, f"article-{width}")
    page.context.close()


def test_emergency_search_puts_the_advice_first(server: Any, browser: Any) -> None:
    page = _page(browser)
    page.goto(server.url + "/search?q=numb+between+my+legs")
    alert = page.locator("[role=alert].level-emergency")
    assert alert.count() == 1
    box = alert.bounding_box()
    results = page.locator(".search-results").bounding_box()
    assert box is not None and results is not None and box["y"] < results["y"]
    assert "tel:" in alert.locator("a.emergency-call").get_attribute("href")
    assert_accessible(page, "search-emergency")
    page.context.close()


def test_library_pages_load_under_the_real_csp(server: Any, browser: Any) -> None:
    page = _page(browser, bypass_csp=False)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    for path in ("/articles", "/articles/spinal-fusion", "/search?q=slipped+disc"):
        response = page.goto(server.url + path)
        assert response is not None and response.status == 200
    assert not [e for e in errors if "Content Security Policy" in e], errors
    color = page.evaluate("() => getComputedStyle(document.querySelector('mark')).backgroundColor")
    assert color == "rgb(255, 221, 0)"  # knowledge.css loaded (no inline styles needed)
    page.context.close()
