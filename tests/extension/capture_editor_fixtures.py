"""Save the DOM the real editor libraries render as unit-test fixtures for the extension.

Types the same draft (several lines, an empty line, emoji, a flag) into the Draft.js, ProseMirror and
Quill fixture sites in Chromium, and writes each composer's HTML with the editor's OWN plain text to
browser-extension/test/fixtures/real-<site>.html. The unit tests check that the extension reads the
same text as the editor holds. Run after upgrading an editor library:

    .venv/bin/python tests/extension/capture_editor_fixtures.py
"""

from __future__ import annotations

import html
import json
import sys
from pathlib import Path
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).parent))

from harness import CHROMIUM, EXTENSION, SITES, serve_fixture  # noqa: E402

LINES = ["Launch day 🚀🎉 at the café", "", "Tickets: jane.doe@example.com 🇬🇧", "See you there"]
# site: (the editor, the composer element to save, the site's post button)
CASES = {
    "x": ('[data-testid="tweetTextarea_0"]', '[role="dialog"]', '[data-testid="tweetButton"]'),
    "bluesky": (".ProseMirror", '[role="dialog"][aria-modal="true"]', '[data-testid="composerPublishBtn"]'),
    "linkedin": (".ql-editor", '#artdeco-modal-outlet [role="dialog"]', ".share-actions__primary-action"),
}


def type_draft(page, editor: str) -> None:
    page.click(editor)
    for i, line in enumerate(LINES):
        if i:
            page.keyboard.press("Enter")
        if line:
            page.keyboard.insert_text(line)


def main() -> None:
    from playwright.sync_api import sync_playwright

    out_dir = EXTENSION / "test" / "fixtures"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True)
        context = browser.new_context()
        for site_url, _ in SITES.values():
            context.route(f"https://{urlparse(site_url).hostname}/**", serve_fixture)
        for site, (editor, outer, button) in CASES.items():
            page = context.new_page()
            page.goto(SITES[site][0])
            page.wait_for_selector(editor)
            page.wait_for_timeout(300)
            # The editor's own idea of the text: what the site's submit handler posts.
            type_draft(page, editor)
            page.click(button)
            own = page.evaluate("window.__posted[0]")
            # Type it again in a fresh composer (posting closes or clears it) and keep that DOM.
            page.reload()
            page.wait_for_selector(editor)
            page.wait_for_timeout(300)
            type_draft(page, editor)
            markup = page.eval_on_selector(outer, "el => el.outerHTML")
            target = out_dir / f"real-{site}.html"
            target.write_text(
                "<!-- Rendered by the real editor library in Chromium (tests/extension/capture_editor_fixtures.py). -->\n"
                f'<!doctype html><html><head><meta name="editor-text" content="{html.escape(json.dumps(own))}"></head>'
                f"<body>\n{markup}\n</body></html>\n",
                encoding="utf-8",
            )
            print(f"{target.relative_to(EXTENSION)}: {json.dumps(own, ensure_ascii=False)}")
        browser.close()


if __name__ == "__main__":
    main()
