"""Fixtures for the extension's end-to-end tests (see harness.py)."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from urllib.parse import urlparse

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from harness import API_KEY, ARTIFACTS, CHROMIUM, EXTENSION, SITES, Browser, Service, SlowProxy, serve_fixture


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    svc = Service(tmp_path_factory.mktemp("service"))
    try:
        svc.wait_ready()
        yield svc
    finally:
        svc.stop()


@pytest.fixture(scope="module")
def slow_service(service):
    proxy = SlowProxy(service.port, delay=3.0)
    yield proxy
    proxy.stop()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install -y chromium)")
    if not (EXTENSION / "node_modules" / "draft-js").exists():
        pytest.skip("the fixture editors are not installed: run `npm ci` in browser-extension/")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("profile")),
            executable_path=CHROMIUM,
            headless=True,
            args=[f"--disable-extensions-except={EXTENSION}", f"--load-extension={EXTENSION}"],
            viewport={"width": 1200, "height": 800},
        )
        for site_url, _ in SITES.values():
            context.route(f"https://{urlparse(site_url).hostname}/**", serve_fixture)
        # Sites added from the options page (any port on localhost, which the extension may reach).
        context.route(re.compile(r"^http://localhost:\d+/"), serve_fixture)
        b = Browser(context)
        try:
            yield b
        finally:
            ARTIFACTS.mkdir(exist_ok=True)
            if b.latencies:
                summary = _latency_summary(b.latencies)
                (ARTIFACTS / "latency.json").write_text(json.dumps(summary, indent=2) + "\n")
                print(f"\nextension latency: {json.dumps({k: v for k, v in summary.items() if k != 'cases'})}")
            context.close()


def _median(values: list[float]) -> float | None:
    values = sorted(v for v in values if v is not None)
    return round(values[len(values) // 2], 1) if values else None


def _latency_summary(cases: list[dict]) -> dict:
    """The service round trip the worker measured, and the press-to-post delay with and without it."""
    checks = [c["check_ms"] for c in cases if c.get("check_ms") is not None]
    # WordPress is left out: its check runs on the toolbar Publish, and the pre-publish Publish that
    # posts (and is timed) needs no second check.
    checked = [c["press_to_post_ms"] for c in cases if c["case"].startswith("clean:") and "wordpress" not in c["case"]]
    baseline = [c["press_to_post_ms"] for c in cases if c["case"].startswith("baseline:") and "wordpress" not in c["case"]]
    return {
        "check_ms_median": _median(checks),
        "check_ms_max": max(checks) if checks else None,
        "press_to_post_ms_median_checked": _median(checked),
        "press_to_post_ms_median_without_extension": _median(baseline),
        "cases": cases,
    }


@pytest.fixture
def ext(browser, service):
    """The extension pointed at the real service with the right key, fail-open (the defaults)."""
    browser.configure(serviceUrl=service.url, apiKey=API_KEY)
    yield browser
    for page in list(browser.context.pages):
        if page is not browser.control:
            page.close()
