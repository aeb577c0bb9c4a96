"""The extension rolled out by enterprise policy in Chromium: a managed policy file presets its settings
through managed storage (3rdparty.extensions.<id>), the options page shows them locked, and the
organisation's own WordPress is checked with no prompt."""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path
from urllib.parse import urlparse

import pytest

from harness import API_KEY, CHROMIUM, EXTENSION, PAGES, SITES, Browser, free_port, serve_fixture

pytestmark = pytest.mark.e2e

POLICY_DIR = Path(os.environ.get("CHROMIUM_POLICY_DIR", "/etc/chromium/policies/managed"))
PANEL = "#postguard-panel .panel"
EMAIL = "jane.doe@example.com"
RISKY = f"Launch day write to {EMAIL} for tickets"


def unpacked_extension_id(path: Path) -> str:
    """Chromium's id for an unpacked extension: its absolute path hashed, hex digits spelt a-p."""
    digest = hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:32]
    return "".join(chr(ord("a") + int(c, 16)) for c in digest)


def serve_with_wordpress_anywhere(route) -> None:
    """The fixture sites, and the organisation's WordPress in a folder of its own site."""
    if urlparse(route.request.url).path.endswith("/wp-admin/post-new.php"):
        route.fulfill(status=200, body=(PAGES / SITES["wordpress"][1]).read_bytes(),
                      headers={"Content-Type": "text/html; charset=utf-8"})
        return
    serve_fixture(route)


@pytest.fixture(scope="module")
def managed(tmp_path_factory, service):
    """Chromium started with a managed policy for this extension (and only for it)."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install -y chromium)")
    try:
        POLICY_DIR.mkdir(parents=True, exist_ok=True)
    except PermissionError:
        pytest.skip(f"{POLICY_DIR} is not writable: run as root, as scripts/test does in CI")
    from playwright.sync_api import sync_playwright

    ext_id = unpacked_extension_id(EXTENSION)
    wordpress = [
        f"http://localhost:{free_port()}/news", "https://www.example.ac.uk/news/blog",
        "http://intranet.example.ac.uk/servicedesk",  # plain http, not localhost
    ]
    # Named for the extension id: other checkouts load their own id and are not affected.
    policy_file = POLICY_DIR / f"postguard-e2e-{ext_id}.json"
    policy_file.write_text(json.dumps({"3rdparty": {"extensions": {ext_id: {
        "serviceUrl": service.url, "apiKey": API_KEY, "failMode": "closed", "wordpressSites": wordpress,
    }}}}, indent=2))
    try:
        with sync_playwright() as p:
            context = p.chromium.launch_persistent_context(
                str(tmp_path_factory.mktemp("managed-profile")),
                executable_path=CHROMIUM,
                headless=True,
                args=[f"--disable-extensions-except={EXTENSION}", f"--load-extension={EXTENSION}"],
                viewport={"width": 1200, "height": 800},
            )
            for site_url, _ in SITES.values():
                context.route(f"https://{urlparse(site_url).hostname}/**", serve_fixture)
            context.route(re.compile(r"^http://localhost:\d+/"), serve_with_wordpress_anywhere)
            context.route("https://www.example.ac.uk/**", serve_with_wordpress_anywhere)
            context.route("http://intranet.example.ac.uk/**", serve_with_wordpress_anywhere)
            try:
                b = Browser(context)
                assert b.extension_id == ext_id  # the policy names the extension that was loaded
                yield b, wordpress
            finally:
                context.close()
    finally:
        policy_file.unlink(missing_ok=True)


def test_options_page_shows_the_organisations_settings_locked(managed, service):
    browser, wordpress = managed
    page = browser.context.new_page()
    page.goto(f"chrome-extension://{browser.extension_id}/options/options.html")
    page.wait_for_selector("#managed", state="visible")
    assert page.input_value("#serviceUrl") == service.url
    assert page.is_disabled("#serviceUrl") and page.is_disabled("#apiKey")
    assert page.is_checked("input[name=failMode][value=closed]")
    assert page.is_disabled("input[name=failMode][value=open]")
    assert page.is_enabled("#policy")  # not set by the policy: the author's to choose
    assert all(site in page.inner_text("#wordpress-sites") for site in wordpress)
    page.close()


def test_the_authors_settings_cannot_undo_the_policy(managed):
    browser, _ = managed
    browser.control.evaluate(
        "(port) => chrome.storage.local.set({serviceUrl: `http://127.0.0.1:${port}`, apiKey: 'mine', failMode: 'open'})",
        free_port(),
    )
    page = browser.context.new_page()
    page.goto(SITES["x"][0])
    page.click('[data-testid="tweetTextarea_0"]')
    page.keyboard.insert_text(RISKY)
    page.click('[data-testid="tweetButton"]')
    page.wait_for_selector(PANEL, state="visible")
    assert EMAIL in page.locator(PANEL).inner_text()  # checked by the managed service, with the managed key
    assert page.evaluate("window.__posted") == []
    browser.control.evaluate("chrome.storage.local.clear()")
    page.close()


@pytest.mark.parametrize("site", [0, 1, 2], ids=["http-localhost", "https-folder", "http-named-host"])
def test_the_organisations_wordpress_in_a_folder_is_checked_with_no_prompt(managed, site):
    browser, wordpress = managed
    page = browser.context.new_page()
    page.goto(f"{wordpress[site]}/wp-admin/post-new.php")
    assert page.url.startswith(wordpress[site])  # not upgraded to https: the http page is what is checked
    # No host permission was asked for or granted (localhost's is the service's): the content scripts cover it.
    host = urlparse(wordpress[site])
    held_host = browser.control.evaluate(
        "(origin) => chrome.permissions.contains({origins: [`${origin}/*`]})", f"{host.scheme}://{host.hostname}",
    )
    assert held_host == (host.hostname == "localhost")
    page.click(".editor-post-title__input")
    page.keyboard.insert_text("Open day")
    page.click(".wp-block-paragraph")
    page.keyboard.insert_text(RISKY)
    page.click(".editor-post-publish-panel__toggle")
    page.wait_for_selector(PANEL, state="visible")
    assert EMAIL in page.locator(PANEL).inner_text()
    assert page.evaluate("window.__posted") == []
    page.close()
