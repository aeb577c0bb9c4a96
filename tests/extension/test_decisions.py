"""Decisions from the real extension to the real service: held, then posted anyway, edited or abandoned,
each found in /v1/stats; queued while the service is away and sent when it is back."""

from __future__ import annotations

import time

import pytest
from test_extension import EMAIL, PANEL, RISKY, apply, held, open_composer, posted, release, submit, write

pytestmark = pytest.mark.e2e


def _wait_stats(service, until, timeout: float = 20.0) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        stats = service.stats()
        if until(stats) or time.monotonic() > deadline:
            return stats
        time.sleep(0.2)


def _wait_queue_empty(ext, timeout: float = 10.0) -> list:
    deadline = time.monotonic() + timeout
    while True:
        queue = ext.control.evaluate("async () => (await chrome.storage.local.get('decisionQueue')).decisionQueue")
        if queue == [] or time.monotonic() > deadline:
            return queue
        time.sleep(0.2)


def _rule(stats: dict, rule_id: str) -> dict:
    return next((r for r in stats["rules"] if r["rule_id"] == rule_id), {"posted_anyway": 0, "edited_away": 0})


def test_post_anyway_with_a_reason_is_in_the_stats(ext, service):
    before = service.stats()
    page = open_composer(ext, "x")
    write(page, "x", RISKY)
    submit(page, "x")
    held(page)
    select = page.locator(f"{PANEL} select")
    select.select_option(index=1)
    reason = select.evaluate("s => s.options[s.selectedIndex].text")
    page.click(f"{PANEL} [data-action=post-anyway]")
    page.wait_for_function("window.__posted.length === 1")  # the post went first
    stats = _wait_stats(service, lambda s: s["outcomes"]["posted_anyway"] > before["outcomes"]["posted_anyway"])
    assert stats["outcomes"]["posted_anyway"] == before["outcomes"]["posted_anyway"] + 1
    assert _rule(stats, "pii.email_address")["posted_anyway"] == _rule(before, "pii.email_address")["posted_anyway"] + 1
    assert any(r["reason"] == reason for r in stats["reasons"]), (reason, stats["reasons"])
    assert stats["platforms"] and any(p["platform"] == "x" for p in stats["platforms"])
    # The worker drops the entry once the service has answered, which may be just after the
    # decision shows in the stats.
    assert _wait_queue_empty(ext) == []
    assert EMAIL not in str(stats)
    assert "reason you give for posting anyway, which is stored" in ext.control.locator("#decisions-note").inner_text()


def test_apply_then_post_is_edited_with_the_rule_that_went(ext, service):
    before = service.stats()
    page = open_composer(ext, "mastodon")
    write(page, "mastodon", RISKY)
    submit(page, "mastodon")
    held(page)
    apply(page)
    release(page)
    page.wait_for_function("window.__posted.length === 1")
    assert EMAIL not in posted(page)[0]
    stats = _wait_stats(service, lambda s: s["checks"] > before["checks"])
    gained = {k: stats["outcomes"][k] - before["outcomes"][k] for k in stats["outcomes"]}
    assert gained in ({"edited": 1, "posted_anyway": 0, "cancelled": 0, "posted_clean": 0},
                      {"edited": 0, "posted_anyway": 1, "cancelled": 0, "posted_clean": 0})
    if gained["edited"]:
        assert _rule(stats, "pii.email_address")["edited_away"] == _rule(before, "pii.email_address")["edited_away"] + 1


def test_a_clean_post_is_posted_clean(ext, service):
    before = service.stats()
    page = open_composer(ext, "bluesky")
    write(page, "bluesky", "The library opens at nine tomorrow.")
    submit(page, "bluesky")
    page.wait_for_function("window.__posted.length === 1")
    stats = _wait_stats(service, lambda s: s["outcomes"]["posted_clean"] > before["outcomes"]["posted_clean"])
    assert stats["outcomes"]["posted_clean"] == before["outcomes"]["posted_clean"] + 1


def test_leaving_a_held_post_is_cancelled(ext, service):
    before = service.stats()
    page = open_composer(ext, "x")
    write(page, "x", RISKY)
    submit(page, "x")
    held(page)
    page.close(run_before_unload=True)
    stats = _wait_stats(service, lambda s: s["outcomes"]["cancelled"] > before["outcomes"]["cancelled"])
    assert stats["outcomes"]["cancelled"] == before["outcomes"]["cancelled"] + 1


@pytest.mark.parametrize("site", ["bluesky", "linkedin"])
def test_closing_the_composer_of_a_held_post_is_cancelled_and_the_panel_goes(ext, service, site):
    """The site closes its dialog (Bluesky: Cancel, then Discard; LinkedIn: Dismiss): seen from the DOM."""
    before = service.stats()
    page = open_composer(ext, site)
    write(page, site, RISKY)
    submit(page, site)
    held(page)
    if site == "bluesky":
        page.click('[data-testid="composePostView"] button[aria-label="Cancel"]')
        page.click('[data-testid="confirmBtn"]')
    else:
        page.click('button[aria-label="Dismiss"]')
    page.wait_for_selector(PANEL, state="detached", timeout=2000)
    stats = _wait_stats(service, lambda s: s["outcomes"]["cancelled"] > before["outcomes"]["cancelled"])
    assert stats["outcomes"]["cancelled"] == before["outcomes"]["cancelled"] + 1
    assert posted(page) == []


def test_decisions_wait_while_the_service_is_away(ext, service):
    before = service.stats()
    page = open_composer(ext, "x")
    write(page, "x", RISKY)
    submit(page, "x")
    held(page)
    # The service goes away between the check and the decision.
    ext.control.evaluate("async () => chrome.storage.local.set({serviceUrl: 'http://127.0.0.1:9'})")
    page.locator(f"{PANEL} select").select_option(index=1)
    t0 = time.perf_counter()
    page.click(f"{PANEL} [data-action=post-anyway]")
    page.wait_for_function("window.__posted.length === 1")
    assert time.perf_counter() - t0 < 2  # posting did not wait for the unreachable service
    page.wait_for_timeout(500)
    queue = ext.control.evaluate("async () => (await chrome.storage.local.get('decisionQueue')).decisionQueue")
    assert len(queue) == 1 and queue[0]["body"]["outcome"] == "posted_anyway" and queue[0]["tries"] >= 1
    assert EMAIL not in str(queue)
    assert service.stats()["outcomes"]["posted_anyway"] == before["outcomes"]["posted_anyway"]
    # Back: the next check sends what waited.
    ext.control.evaluate(f"async () => chrome.storage.local.set({{serviceUrl: '{service.url}'}})")
    again = open_composer(ext, "bluesky")
    write(again, "bluesky", "The library opens at nine tomorrow.")
    submit(again, "bluesky")
    again.wait_for_function("window.__posted.length === 1")
    stats = _wait_stats(service, lambda s: s["outcomes"]["posted_anyway"] > before["outcomes"]["posted_anyway"])
    assert stats["outcomes"]["posted_anyway"] == before["outcomes"]["posted_anyway"] + 1
