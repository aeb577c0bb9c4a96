"""The /stats dashboard in real Chromium over the real server: its figures are /v1/stats's, keyboard and narrow."""

from __future__ import annotations

import os

import httpx2
import pytest
from service_helpers import Server

CHROMIUM = "/usr/bin/chromium"
ADMIN = "admin-key-for-the-dashboard"
STAFF = "staff-key-for-the-extension"
HELD = "Email jane.doe@example.com about it, this is stupid and awful"


@pytest.fixture(scope="module")
def stats_server():
    srv = Server(env={"POSTGUARD_API_KEYS": STAFF, "POSTGUARD_ADMIN_KEYS": ADMIN})
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip("Chromium is not installed at /usr/bin/chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True)
        yield b
        b.close()


def _decide(url: str, text: str, platform: str, outcome: str, **extra) -> None:
    staff = {"Authorization": f"Bearer {STAFF}"}
    check = httpx2.post(f"{url}/v1/check", json={"text": text, "platform": platform}, headers=staff).json()
    r = httpx2.post(f"{url}/v1/decisions", json={"check_id": check["check_id"], "outcome": outcome, **extra}, headers=staff)
    assert r.status_code == 201, r.text


@pytest.mark.e2e
def test_dashboard_shows_the_json_figures(stats_server, browser):
    url = stats_server.url
    _decide(url, HELD, "x", "posted_anyway", reason="It is the public helpdesk address")
    _decide(url, HELD, "x", "posted_anyway", reason="It is the public helpdesk address")
    _decide(url, HELD, "mastodon", "edited")
    _decide(url, HELD, "mastodon", "cancelled")
    _decide(url, "The library opens at nine tomorrow.", "x", "posted_clean")
    data = httpx2.get(f"{url}/v1/stats", headers={"Authorization": f"Bearer {ADMIN}"}).json()
    assert data["held"] == 4 and data["nudge_rate"] == 0.5

    context = browser.new_context(
        http_credentials={"username": "admin", "password": ADMIN}, viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    assert page.goto(f"{url}/stats").status == 200

    def card(name: str) -> str:
        return page.locator(f'[data-stat="{name}"] b').inner_text()

    assert card("checks") == str(data["checks"]) and card("held") == str(data["held"])
    assert card("nudge rate") == f"{data['nudge_rate']:.0%}"
    assert card("posted anyway") == str(data["outcomes"]["posted_anyway"])

    def chart(name: str) -> dict[str, float]:
        bars = page.locator(f'[data-chart="{name}"] [data-key]')
        return {bars.nth(i).get_attribute("data-key"): float(bars.nth(i).get_attribute("data-value"))
                for i in range(bars.count())}

    assert chart("days") == {d["day"]: d["nudge_rate"] for d in data["days"]}
    assert chart("overridden") == {r["rule_id"]: r["posted_anyway"] for r in data["rules"] if r["posted_anyway"]}
    assert chart("acted") == {
        r["rule_id"]: r["edited_away"] + r["cancelled"] for r in data["rules"] if r["edited_away"] + r["cancelled"]
    }
    assert chart("platforms") == {p["platform"]: p["nudge_rate"] for p in data["platforms"] if p["held"]}
    assert "It is the public helpdesk address" in page.content()
    assert "jane.doe" not in page.content()

    # From the keyboard: the filters first, then every bar, each saying its figure.
    labels = []
    for _ in range(30):
        page.keyboard.press("Tab")
        labels.append(page.evaluate("document.activeElement.getAttribute('aria-label') || document.activeElement.tagName"))
    assert any(label.startswith(data["days"][0]["day"]) for label in labels)
    assert any(label.startswith("mastodon: 100%") for label in labels)

    # Filtered by the form, from the keyboard: platform x only.
    page.select_option("select[name=platform]", "x")
    page.locator("form button").press("Enter")
    page.wait_for_url("**platform=x**")
    assert card("checks") == "3"

    # A narrow window: nothing wider than the screen.
    page.set_viewport_size({"width": 340, "height": 700})
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    context.close()


@pytest.mark.e2e
def test_dashboard_asks_for_an_admin_key(stats_server, browser):
    context = browser.new_context(http_credentials={"username": "x", "password": STAFF})
    page = context.new_page()
    assert page.goto(f"{stats_server.url}/stats").status == 403
    context.close()
