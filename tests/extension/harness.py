"""The e2e harness: the real postguard service on 127.0.0.1, a slow proxy in front of it, the unpacked
extension from the repository in Debian's Chromium (headless), fixture pages under real site URLs."""

from __future__ import annotations

import json
import mimetypes
import os
import shutil
import socket
import socketserver
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

REPO = Path(__file__).resolve().parents[2]
EXTENSION = REPO / "browser-extension"
PAGES = Path(__file__).parent / "pages"
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
API_KEY = "e2e-key-4f1c"
ADMIN_KEY = "e2e-admin-key-7d2a"  # reads /v1/stats

# The test policy (shared with the Firefox tests in browser-extension/e2e/): the default checks;
# posting anyway needs a reason and is not allowed past a block.
POLICY = (Path(__file__).parent / "e2e-policy.yaml").read_text()

# Fixture page for each site, under the URL the extension's match patterns expect.
SITES = {
    "x": ("https://x.com/compose/post", "x.html"),
    "mastodon": ("https://mastodon.social/home", "mastodon.html"),
    "bluesky": ("https://bsky.app/", "bluesky.html"),
    "linkedin": ("https://www.linkedin.com/feed/", "linkedin.html"),
    "wordpress": ("https://example.org/wp-admin/post-new.php", "wordpress.html"),
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _postguard() -> str:
    local = REPO / ".venv" / "bin" / "postguard"
    if local.exists():
        return str(local)
    found = shutil.which("postguard") or str(Path(sys.executable).parent / "postguard")
    return found


class Service:
    """`postguard serve` on a free loopback port, with an API key and the test policy."""

    def __init__(self, tmp: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        policy = tmp / "e2e.yaml"
        policy.write_text(POLICY)
        env = {
            **os.environ, "POSTGUARD_API_KEYS": API_KEY, "POSTGUARD_ADMIN_KEYS": ADMIN_KEY,
            "POSTGUARD_DATA_DIR": str(tmp / "data"),  # the decision log, gone with the test's temp dir
        }
        self.log = open(tmp / "service.log", "w+")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            [_postguard(), "serve", "--port", str(self.port), "--policy", str(policy)],
            stdout=self.log, stderr=subprocess.STDOUT, env=env, cwd=tmp,
        )

    def wait_ready(self, timeout: float = 180.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                self.log.seek(0)
                raise RuntimeError(f"postguard serve exited with {self.proc.returncode}:\n{self.log.read()[-3000:]}")
            try:
                with urllib.request.urlopen(f"{self.url}/readyz", timeout=2) as r:
                    if r.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.25)
        raise RuntimeError("postguard serve did not become ready")

    def check(self, text: str, platform: str) -> dict:
        req = urllib.request.Request(
            f"{self.url}/v1/check",
            data=json.dumps({"text": text, "platform": platform, "offsets": "utf16"}).encode(),
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {API_KEY}"},
        )
        with urllib.request.urlopen(req, timeout=10) as r:
            return json.load(r)

    def stats(self) -> dict:
        req = urllib.request.Request(f"{self.url}/v1/stats", headers={"Authorization": f"Bearer {ADMIN_KEY}"})
        with urllib.request.urlopen(req, timeout=10) as r:
            return json.load(r)

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


class SlowProxy:
    """A TCP proxy in front of the service that waits `delay` seconds before forwarding."""

    def __init__(self, target_port: int, delay: float) -> None:
        proxy = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                time.sleep(proxy.delay)
                try:
                    upstream = socket.create_connection(("127.0.0.1", target_port))
                except OSError:
                    return
                pipes = [
                    threading.Thread(target=_pipe, args=(self.request, upstream), daemon=True),
                    threading.Thread(target=_pipe, args=(upstream, self.request), daemon=True),
                ]
                for t in pipes:
                    t.start()
                for t in pipes:
                    t.join()

        self.delay = delay
        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _pipe(src: socket.socket, dst: socket.socket) -> None:
    try:
        while data := src.recv(65536):
            dst.sendall(data)
    except OSError:
        pass
    finally:
        try:
            dst.shutdown(socket.SHUT_WR)
        except OSError:
            pass


# Pages by path where one host serves several (WordPress) or for the extra sites on localhost.
PAGES_BY_PATH = {
    "/wp-admin/post.php": "wordpress-published.html",
    "/home": "mastodon.html",  # a Mastodon instance the user adds in the options
    "/forum": "forum.html",  # any other site the user switches on
}


def serve_fixture(route) -> None:
    """Fixture pages and the editor libraries (from the extension's node_modules), no network."""
    url = urlparse(route.request.url)
    if url.path.startswith("/__fixture__/node_modules/"):
        path = EXTENSION / url.path.removeprefix("/__fixture__/")
    elif url.path.startswith("/__fixture__/"):
        path = PAGES / url.path.removeprefix("/__fixture__/")
    elif url.path in PAGES_BY_PATH and (url.hostname == "localhost" or url.path.startswith("/wp-admin/")):
        path = PAGES / PAGES_BY_PATH[url.path]
    else:
        page = next((file for site_url, file in SITES.values() if urlparse(site_url).hostname == url.hostname), None)
        path = PAGES / page if page else None
    if path is None or not path.is_file():
        route.fulfill(status=404, body="not found")
        return
    ctype = "text/javascript" if path.suffix == ".js" else mimetypes.guess_type(path.name)[0] or "text/plain"
    route.fulfill(status=200, body=path.read_bytes(), headers={"Content-Type": f"{ctype}; charset=utf-8"})


class Browser:
    """Chromium with the unpacked extension, configured from its own options page (an extension
    page outlives the service worker, which the browser may stop at any time)."""

    def __init__(self, context) -> None:
        self.context = context
        self.latencies: list[dict] = []
        worker = next((w for w in context.service_workers if w.url.startswith("chrome-extension://")), None)
        worker = worker or context.wait_for_event("serviceworker", timeout=15_000)
        self.extension_id = urlparse(worker.url).hostname
        self.control = context.new_page()
        self.control.goto(f"chrome-extension://{self.extension_id}/options/options.html")
        # Start-up is over once managed storage answers (the browser's first read of it takes
        # seconds): latency is measured from then on, as an author who opened the browser earlier sees it.
        self.control.evaluate("chrome.storage.managed.get(null).catch(() => null)")

    def configure(self, **settings) -> None:
        self.control.evaluate(
            """async (s) => {
                 await chrome.storage.local.clear();
                 await chrome.storage.session.clear();
                 await chrome.storage.local.set(s);
               }""",
            settings,
        )

    def last_check(self) -> dict | None:
        return self.control.evaluate("async () => (await chrome.storage.session.get('lastCheck')).lastCheck ?? null")

    def record_latency(self, case: str, click_to_post_ms: float | None = None) -> dict | None:
        last = self.last_check()
        entry = {
            "case": case,
            "check_ms": last.get("latencyMs") if last else None,
            "press_to_post_ms": round(click_to_post_ms, 1) if click_to_post_ms is not None else None,
        }
        self.latencies.append(entry)
        return entry

    def open(self, site: str):
        url, _ = SITES[site]
        page = self.context.new_page()
        page.goto(url)
        return page
