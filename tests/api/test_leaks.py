"""Leaks through the real service over a socket: a secret in a Markdown code block and an HTML comment."""

from __future__ import annotations

import httpx2

MD = "Kiosk is back!\n\n```\nslack_token: xoxb-" + "2231234567-8812345678901-Qw3rTy7UiOp9AsDf2GhJkL4z\n```\n"
HTML = "<p>Kiosk is back.</p><!-- temp creds for the kiosk: kiosk / Otter-Lantern-7 -->"


def test_the_service_finds_leaks_hidden_in_markup(server):
    with httpx2.Client(base_url=server.url, timeout=30) as c:
        for text, fmt, secret in ((MD, "markdown", MD[MD.index("xoxb") : MD.index("\n```\n", 20)]),
                                  (HTML, "html", "Otter-Lantern-7")):
            body = c.post("/v1/check", json={"text": text, "format": fmt, "platform": "blog"}).json()
            hits = [f for f in body["findings"] if f["category"] == "secret"]
            assert [text[f["start"] : f["end"]] for f in hits] == [secret]
            assert body["verdict"] == "block"
