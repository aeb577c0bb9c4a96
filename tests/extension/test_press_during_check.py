"""A press on Post while a check is in flight is answered when the check returns, in Chromium (the
Firefox suite in browser-extension/e2e/ has the same case)."""

from __future__ import annotations

import socket
import socketserver
import threading
import time

import pytest

from harness import API_KEY

pytestmark = pytest.mark.e2e

PANEL = "#postguard-panel .panel"
EDITOR = '[data-testid="tweetTextarea_0"]'
POST = '[data-testid="tweetButton"]'
CLEAN = "Our spring newsletter is out today, with the new opening hours."
EMAIL = "jane.doe@example.com"


class ChunkDelayProxy:
    """A TCP proxy that holds every chunk from the browser for `delay` s: each request is slow,
    on a kept-alive connection too (a delay per connection would slow only the first)."""

    def __init__(self, target_port: int, delay: float) -> None:
        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                upstream = socket.create_connection(("127.0.0.1", target_port))
                back = threading.Thread(target=_copy, args=(upstream, self.request, 0.0), daemon=True)
                back.start()
                _copy(self.request, upstream, delay)
                back.join(timeout=delay + 5)

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _copy(src: socket.socket, dst: socket.socket, delay: float) -> None:
    try:
        while data := src.recv(65536):
            time.sleep(delay)
            dst.sendall(data)
    except OSError:
        pass
    finally:
        try:
            dst.shutdown(socket.SHUT_WR)
        except OSError:
            pass


@pytest.fixture
def slow(service):
    proxy = ChunkDelayProxy(service.port, delay=2.0)
    yield proxy
    proxy.stop()


def test_words_typed_during_a_check_are_checked_and_a_press_during_the_recheck_posts(ext, slow):
    ext.configure(serviceUrl=slow.url, apiKey=API_KEY)
    page = ext.context.new_page()
    page.goto("https://x.com/compose/post")
    page.click(EDITOR)
    page.keyboard.insert_text(CLEAN)
    page.click(POST)
    # While the first check runs, the author adds an address and presses Post again.
    page.click(EDITOR)
    page.keyboard.press("End")
    page.keyboard.insert_text(f" Write to {EMAIL}")
    assert page.evaluate("window.__posted") == []
    page.click(POST)
    page.wait_for_selector(PANEL, state="visible", timeout=15_000)
    assert EMAIL in page.locator(PANEL).inner_text()
    assert page.evaluate("window.__posted") == []
    # Apply, then press the site's own Post while the re-check runs: it posts when that passes.
    page.click(f'{PANEL} li[data-finding*="pii.email_address"] [data-action=apply]')
    page.click(POST)
    page.wait_for_function("window.__posted.length === 1", timeout=15_000)
    page.wait_for_timeout(300)
    assert page.evaluate("window.__posted") == [f"{CLEAN} Write to [email removed]"]
