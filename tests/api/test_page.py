"""The try-it page in real Chromium: paste a risky draft, see the highlights, apply a fix."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from service_helpers import Server

pytestmark = pytest.mark.e2e

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
EMAIL = "jane.doe@example.com"
DRAFT = f"Huge thanks to Jane Doe for organising the open day! Questions? Email {EMAIL} or call 07700 900123."


@pytest.fixture(scope="module")
def pii_server(tmp_path_factory):
    """The service with personal-data checks on, whatever the default policy holds today."""
    policy = tmp_path_factory.mktemp("policy") / "try-it.yaml"
    policy.write_text("name: try-it\nextends: default\nchecks:\n  pii: {enabled: true}\n", encoding="utf-8")
    srv = Server("--policy", str(policy))
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip("Chromium is not installed at /usr/bin/chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    sync_api.expect.set_options(timeout=30_000)
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True)
        yield b
        b.close()


def test_paste_check_highlight_and_apply_a_fix(pii_server, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(pii_server.url + "/")
    expect = _expect()
    page.locator("#platform option[value=x]").wait_for(state="attached")
    assert page.locator("#policy").input_value() == "try-it"

    # Keyboard only: type the draft, pick the platform, check with Ctrl+Enter.
    page.locator("#text").fill(DRAFT)
    page.locator("#platform").select_option("x")
    page.locator("#text").focus()
    page.keyboard.press("Control+Enter")
    page.wait_for_selector("#findings li", timeout=30_000)

    verdict = page.locator(".verdict").inner_text().lower()
    assert verdict in ("warn", "block")
    marks = page.locator("#preview mark")
    assert marks.count() >= 2
    assert EMAIL in [m.inner_text() for m in marks.all()]
    email_item = page.locator("#findings li.finding", has_text="pii.email_address")
    assert email_item.count() == 1
    assert email_item.locator(".msg").inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "try-it-findings.png"), full_page=True)

    # Apply the e-mail's suggestion from the keyboard; the draft is re-checked.
    suggestion = email_item.locator(".fix q").inner_text()
    email_item.locator("button.apply").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#text")).not_to_have_value(re.compile(re.escape(EMAIL)))
    text = page.locator("#text").input_value()
    assert suggestion in text and text.startswith("Huge thanks")
    expect(page.locator("#findings li[data-rule='pii.email_address']")).to_have_count(0)
    expect(page.locator("#check")).to_be_enabled()
    page.screenshot(path=str(ARTIFACTS / "try-it-applied.png"), full_page=True)
    assert not errors, errors  # no CSP violations or script errors
    page.close()


def test_apply_all_and_clean_draft(pii_server, browser):
    expect = _expect()
    page = browser.new_page()
    page.goto(pii_server.url + "/")
    page.locator("#platform option[value=x]").wait_for(state="attached")
    page.locator("#text").fill(f"Write to {EMAIL} today.")
    page.locator("#check").click()
    page.wait_for_selector("#findings li")
    page.locator("#apply-all").click()
    expect(page.locator("#text")).not_to_have_value(re.compile(re.escape(EMAIL)))
    expect(page.locator("#findings li[data-rule='pii.email_address']")).to_have_count(0)
    page.close()


GROUPED = "Free coffee today, \U0001d5f1\U0001d5ee\U0001d5fa\U0001d5FB \U0001d5f4\U0001d5fc\U0001d5fc\U0001d5f1 at the desk."
STYLED = GROUPED[19:28]


def test_overlapping_findings_are_one_highlight_with_several_reasons(pii_server, browser):
    expect = _expect()
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(pii_server.url + "/")
    page.locator("#platform option[value=x]").wait_for(state="attached")
    page.locator("#text").fill(GROUPED)
    page.locator("#check").click()
    page.wait_for_selector("#findings li.group")

    # One highlight over the styled words (UTF-16 offsets: each letter is two code units), and
    # one item for it holding both reasons, each with its own fix.
    marks = page.locator("#preview mark")
    assert [m.inner_text() for m in marks.all()] == [STYLED]
    group = page.locator("#findings li.group")
    expect(group).to_have_count(1)
    reasons = group.locator("li.finding")
    assert sorted(r.get_attribute("data-rule") for r in reasons.all()) == ["policy.style.styled-letters", "profanity.mild"]
    assert "2 reasons" in group.locator(".meta").first.inner_text()
    assert group.locator("button.apply").count() == 2
    marks.first.click()
    expect(group).to_have_class(re.compile(r"\bactive\b"))
    page.screenshot(path=str(ARTIFACTS / "try-it-grouped.png"), full_page=True)

    # Apply only the styled-letters fix: the plain words replace the styled ones, nothing else moves.
    group.locator("li.finding[data-rule='policy.style.styled-letters'] button.apply").click()
    expect(page.locator("#text")).to_have_value("Free coffee today, damn good at the desk.")
    expect(page.locator("#findings li.finding[data-rule='policy.style.styled-letters']")).to_have_count(0)
    assert not errors, errors
    page.close()


def test_apply_all_takes_the_most_severe_fix_of_a_group(pii_server, browser):
    expect = _expect()
    page = browser.new_page()
    page.goto(pii_server.url + "/")
    page.locator("#platform option[value=x]").wait_for(state="attached")
    page.locator("#text").fill(GROUPED)
    page.locator("#check").click()
    page.wait_for_selector("#findings li.group")
    page.locator("#apply-all").click()
    # The plain letters (a warning) win over "darn" (a note) for the same words, as in the library.
    expect(page.locator("#text")).to_have_value("Free coffee today, damn good at the desk.")
    page.close()


def _expect():
    from playwright.sync_api import expect

    return expect
