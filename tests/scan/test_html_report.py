"""The HTML report in real Chromium: the counts it shows match the JSONL, and it sorts and filters offline."""

from __future__ import annotations

import json
import os
import sys
from collections import Counter

import pytest
from exports import mastodon_archive, markdown_folder, wxr, x_archive

from postguard.cli import main

pytestmark = pytest.mark.e2e

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="module")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip("Chromium is not installed at /usr/bin/chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True)
        yield b
        b.close()


def scan(*argv):
    old = sys.stderr
    sys.stderr = open(os.devnull, "w")
    try:
        return main(["scan", *map(str, argv)])
    finally:
        sys.stderr.close()
        sys.stderr = old


def test_html_counts_match_the_jsonl_and_it_works_offline(tmp_path, browser):
    (tmp_path / "in").mkdir()
    tricky = tmp_path / "in" / "tricky.md"
    # Markup and a closing script tag in a post must stay text; an astral emoji shifts UTF-16 offsets.
    tricky.write_text("🎉 <b>hi</b> </script><script>window.pwned=1</script> email jane.doe@example.com\n",
                      encoding="utf-8")
    paths = [x_archive(tmp_path / "in"), wxr(tmp_path / "in" / "blog.xml"), mastodon_archive(tmp_path / "in"),
             markdown_folder(tmp_path / "in"), tricky]
    scan(*paths, "--output", tmp_path / "r.jsonl")
    scan(*paths, "--output", tmp_path / "r.html")
    found = [json.loads(line) for line in (tmp_path / "r.jsonl").read_text(encoding="utf-8").splitlines()]
    assert found

    page = browser.new_page()
    requests, errors = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto((tmp_path / "r.html").as_uri())
    page.wait_for_selector("#table tbody tr")

    def text(sel):
        return page.locator(sel).inner_text().strip()

    posts = {r["post_id"] for r in found}
    assert int(text("#total-findings")) == len(found)
    assert int(text("#total-flagged")) == len(posts)
    assert int(text("#total-block")) + int(text("#total-warn")) <= len(posts)
    for cat, n in Counter(r["category"] for r in found).items():
        assert page.locator(f'#chart-category li[data-category="{cat}"]').get_attribute("data-count") == str(n)
    for sev, n in Counter(r["severity"] for r in found).items():
        assert page.locator(f'#chart-severity li[data-severity="{sev}"]').get_attribute("data-count") == str(n)
    assert page.locator("#table tbody tr").count() == len(posts)
    assert page.locator(".reasons li").count() == len(found)

    # Highlights: each mark holds exactly its finding's excerpt (code-point offsets, emoji included).
    row = page.locator("#table tbody tr", has_text="jane.doe@example.com").filter(has_text="window.pwned")
    assert row.locator("mark").first.inner_text() == "jane.doe@example.com"
    assert page.evaluate("window.pwned") is None  # post text never runs as markup
    assert row.locator(".text").inner_text().startswith("🎉 <b>hi</b> </script>")

    # Filtering and sorting.
    page.select_option("#f-category", "secret")
    secret_posts = {r["post_id"] for r in found if r["category"] == "secret"}
    assert page.locator("#table tbody tr").count() == len(secret_posts)
    assert text("#shown") == f"{len(secret_posts)} of {len(posts)} flagged posts"
    page.select_option("#f-category", "")
    page.fill("#q", "jane.doe")
    assert 1 <= page.locator("#table tbody tr").count() < len(posts)
    page.fill("#q", "")
    page.click('th[data-sort="count"] button')
    counts = [int(c) for c in page.locator("#table tbody td.count").all_inner_texts()]
    assert counts == sorted(counts, reverse=True)
    page.click('th[data-sort="count"] button')
    counts = [int(c) for c in page.locator("#table tbody td.count").all_inner_texts()]
    assert counts == sorted(counts)

    assert errors == []
    assert all(u.startswith("file://") for u in requests), requests
