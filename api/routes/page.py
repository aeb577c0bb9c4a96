"""GET /: the try-it page, one self-contained HTML file (no assets from anywhere else)."""

from __future__ import annotations

import base64
import functools
import hashlib
import re
from importlib import resources

from fastapi import APIRouter
from starlette.responses import Response

router = APIRouter(include_in_schema=False)


@functools.lru_cache(maxsize=1)
def _page() -> tuple[bytes, str]:
    html = (resources.files("postguard") / "api" / "static" / "index.html").read_text(encoding="utf-8")

    def hashes(tag: str) -> str:
        bodies = re.findall(rf"<{tag}>(.*?)</{tag}>", html, re.S)
        return " ".join(
            "'sha256-" + base64.b64encode(hashlib.sha256(b.encode("utf-8")).digest()).decode() + "'" for b in bodies
        )

    # Only this page's own inline script and style may run; it talks to this origin only.
    csp = (
        f"default-src 'none'; script-src {hashes('script')}; style-src {hashes('style')}; "
        "connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    )
    return html.encode("utf-8"), csp


@router.get("/")
async def index() -> Response:
    body, csp = _page()
    return Response(
        body,
        media_type="text/html; charset=utf-8",
        headers={"Content-Security-Policy": csp, "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"},
    )
